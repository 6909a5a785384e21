use sea_orm::entity::prelude::*;

/// Money given back on an invoice, to the client's credit or to their card.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub invoice_id: i32,
    pub amount_cents: i64,
    pub destination: String,
    pub reason: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub recorded_by: Option<i32>,
    pub created_at: DateTimeUtc,
    /// Stripe's refund id, for a refund to a card.
    pub gateway_ref: Option<String>,
    /// The card payment the refund went back to.
    pub payment_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
