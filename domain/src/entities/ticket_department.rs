use sea_orm::entity::prelude::*;

/// Where a ticket goes; each says, in both languages, what it covers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_departments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name_en: String,
    pub name_es: String,
    pub description_en: String,
    pub description_es: String,
    pub position: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
