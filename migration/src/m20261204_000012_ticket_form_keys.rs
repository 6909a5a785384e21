//! A key per new-ticket form, so a form sent twice (a double click, the back button, a retry
//! after a lost answer) opens one ticket: the second send finds the first.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    ClientId,
    FormKey,
}

const INDEX: &str = "idx_tickets_client_form_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Tickets::Table)
                .add_column(string_len_null(Tickets::FormKey, 64))
                .to_owned(),
        )
        .await?;
        // NULLs are distinct in both SQLite and PostgreSQL: tickets without a key never clash.
        m.create_index(
            Index::create()
                .name(INDEX)
                .table(Tickets::Table)
                .col(Tickets::ClientId)
                .col(Tickets::FormKey)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(INDEX).table(Tickets::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Tickets::Table)
                .drop_column(Tickets::FormKey)
                .to_owned(),
        )
        .await
    }
}
