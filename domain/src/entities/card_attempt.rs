use sea_orm::entity::prelude::*;

/// One try at charging an invoice to a card, written before Stripe is called.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "card_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub invoice_id: i32,
    pub client_id: i32,
    pub attempt_no: i32,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub card_ref: String,
    pub amount_cents: i64,
    pub currency: String,
    pub off_session: bool,
    pub status: String,
    pub intent_id: Option<String>,
    pub error_code: String,
    pub error_message: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
