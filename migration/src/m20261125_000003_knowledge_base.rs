//! The knowledge base: categories, articles, one vote per person and article, and the search
//! index. The index differs by database (FTS5 on SQLite, a tsvector table with a GIN index on
//! PostgreSQL); `domain::content::kb::search` hides the difference.
use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum KbCategories {
    Table,
    Id,
    Slug,
    Language,
    Name,
    Description,
    SortOrder,
}

#[derive(DeriveIden)]
enum KbArticles {
    Table,
    Id,
    CategoryId,
    Slug,
    Language,
    Title,
    BodyMd,
    Tags,
    Published,
    Views,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KbVotes {
    Table,
    Id,
    ArticleId,
    VoterKey,
    Helpful,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KbCategories::Table)
                .col(pk_auto(KbCategories::Id))
                .col(string_len(KbCategories::Slug, 120))
                .col(string_len(KbCategories::Language, 8))
                .col(string_len(KbCategories::Name, 120))
                .col(text(KbCategories::Description))
                .col(integer(KbCategories::SortOrder).default(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_kb_categories_slug_language")
                .table(KbCategories::Table)
                .col(KbCategories::Slug)
                .col(KbCategories::Language)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(KbArticles::Table)
                .col(pk_auto(KbArticles::Id))
                .col(integer(KbArticles::CategoryId))
                .col(string_len(KbArticles::Slug, 160))
                .col(string_len(KbArticles::Language, 8))
                .col(string_len(KbArticles::Title, 200))
                .col(text(KbArticles::BodyMd))
                // Comma-separated, lowercase.
                .col(string_len(KbArticles::Tags, 400).default(""))
                .col(boolean(KbArticles::Published).default(false))
                .col(big_integer(KbArticles::Views).default(0))
                .col(timestamp_with_time_zone(KbArticles::CreatedAt))
                .col(timestamp_with_time_zone(KbArticles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(KbArticles::Table, KbArticles::CategoryId)
                        .to(KbCategories::Table, KbCategories::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_kb_articles_slug_language")
                .table(KbArticles::Table)
                .col(KbArticles::Slug)
                .col(KbArticles::Language)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kb_articles_category")
                .table(KbArticles::Table)
                .col(KbArticles::CategoryId)
                .col(KbArticles::Published)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(KbVotes::Table)
                .col(pk_auto(KbVotes::Id))
                .col(integer(KbVotes::ArticleId))
                // "user:<id>" for a signed-in person, "anon:<sha256 of a cookie>" otherwise.
                .col(string_len(KbVotes::VoterKey, 80))
                .col(boolean(KbVotes::Helpful))
                .col(timestamp_with_time_zone(KbVotes::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(KbVotes::Table, KbVotes::ArticleId)
                        .to(KbArticles::Table, KbArticles::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One vote per person and article, enforced by the database.
        m.create_index(
            Index::create()
                .name("uq_kb_votes_article_voter")
                .table(KbVotes::Table)
                .col(KbVotes::ArticleId)
                .col(KbVotes::VoterKey)
                .unique()
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let index_sql: &[&str] = match backend {
            // Text is accent-folded before it is indexed; remove_diacritics also folds what
            // slips through. Column order matters for bm25 weights in the search query.
            DatabaseBackend::Sqlite => &["CREATE VIRTUAL TABLE kb_search USING fts5(\
                 title, tags, body, tokenize = 'unicode61 remove_diacritics 2')"],
            _ => &[
                "CREATE TABLE kb_search (article_id INTEGER PRIMARY KEY \
                 REFERENCES kb_articles (id) ON DELETE CASCADE, document tsvector NOT NULL)",
                "CREATE INDEX idx_kb_search_document ON kb_search USING GIN (document)",
            ],
        };
        for sql in index_sql {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP TABLE kb_search").await?;
        for t in [
            KbVotes::Table.into_iden(),
            KbArticles::Table.into_iden(),
            KbCategories::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
