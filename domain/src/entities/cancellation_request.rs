use sea_orm::entity::prelude::*;

/// A client's request to cancel a service, now or at the end of the paid period.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cancellation_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    pub client_id: i32,
    /// `immediate` or `end_of_period`.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// `open`, `done` or `withdrawn`.
    pub status: String,
    pub effective_on: Date,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service::Entity",
        from = "Column::ServiceId",
        to = "super::service::Column::Id"
    )]
    Service,
}

impl Related<super::service::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Service.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
