use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: i32,
    pub department_id: i32,
    pub service_id: Option<i32>,
    pub subject: String,
    pub priority: String,
    pub status: String,
    pub assigned_to: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The client's latest message (staff see the ticket as unread after it).
    pub last_client_at: Option<DateTimeUtc>,
    /// The latest public staff reply (the client sees the ticket as unread after it).
    pub last_staff_at: Option<DateTimeUtc>,
    pub client_read_at: Option<DateTimeUtc>,
    pub staff_read_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// The key of the form that opened it: the same form sent again finds this ticket.
    pub form_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
