use sea_orm::entity::prelude::*;

/// An invoice. `number` is assigned when it is issued (drafts have none); the bill-to fields
/// are frozen at issue time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: i32,
    pub number: Option<String>,
    pub status: String,
    pub currency: String,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub issued_on: Date,
    pub due_on: Date,
    pub paid_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub bill_to_name: String,
    pub bill_to_email: String,
    pub bill_to_company: String,
    pub bill_to_address: String,
    pub bill_to_postcode: String,
    pub bill_to_region: String,
    pub bill_to_country: String,
    pub bill_to_vat_id: String,
    /// The tax applied at issue: its name ("IVA"), rate in hundredths of a percent, and mode
    /// (`none`, `standard`, `reverse_charge`).
    pub tax_name: String,
    pub tax_rate_bp: i32,
    pub tax_mode: String,
    pub prices_include_tax: bool,
    /// Part of `paid_cents` that came from the client's credit.
    pub credit_applied_cents: i64,
    pub refunded_cents: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::invoice_item::Entity")]
    Items,
}

impl Related<super::invoice_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Items.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
