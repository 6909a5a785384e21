use sea_orm::entity::prelude::*;

/// An upgrade (or downgrade) order: the plan and cycle a client chose, the prorated amount,
/// and the invoice that completes it when paid. `status`: pending | completed | cancelled.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_upgrades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    pub client_id: i32,
    pub from_plan_id: i32,
    pub to_plan_id: i32,
    pub from_cycle: String,
    pub to_cycle: String,
    pub new_amount_cents: i64,
    pub amount_due_cents: i64,
    pub credit_left_cents: i64,
    pub invoice_id: Option<i32>,
    pub status: String,
    pub cancel_after: Date,
    pub created_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
