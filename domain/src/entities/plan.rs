use sea_orm::entity::prelude::*;

/// A hosting plan (product). Prices per billing cycle live in `plan_price`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// One feature per line.
    #[sea_orm(column_type = "Text")]
    pub features: String,
    pub currency: String,
    pub setup_fee_cents: i64,
    pub active: bool,
    pub hidden: bool,
    pub sort_order: i32,
    /// The provisioning module that sets services of this plan up (`manual` by default).
    pub module: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
