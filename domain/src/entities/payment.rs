use sea_orm::entity::prelude::*;

/// Money received for an invoice (by hand, from credit, or by card); once per idempotency key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub invoice_id: i32,
    pub client_id: i32,
    pub amount_cents: i64,
    pub currency: String,
    pub method: String,
    pub reference: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub recorded_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
