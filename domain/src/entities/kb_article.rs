use sea_orm::entity::prelude::*;

/// A knowledge-base article, in one language. `tags` is comma-separated and lowercase.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub category_id: i32,
    pub slug: String,
    pub language: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body_md: String,
    pub tags: String,
    pub published: bool,
    pub views: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::kb_category::Entity",
        from = "Column::CategoryId",
        to = "super::kb_category::Column::Id"
    )]
    Category,
}

impl Related<super::kb_category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
