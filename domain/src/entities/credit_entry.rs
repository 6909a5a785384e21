use sea_orm::entity::prelude::*;

/// One movement of a client's credit: positive adds (overpayment, refund, downgrade), negative
/// spends (applied to an invoice). `unique_key` makes each movement happen once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: i32,
    pub currency: String,
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    pub kind: String,
    pub invoice_id: Option<i32>,
    pub note: String,
    #[sea_orm(unique)]
    pub unique_key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
