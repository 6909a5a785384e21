//! Sign-in history per account: which account an attempt was for (when the email named one)
//! and the browser it came from, so clients see their last 90 days of sign-ins and a sign-in
//! from a browser never seen before can be told to them.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    UserId,
    UserAgent,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            integer_null(LoginAttempts::UserId),
            string_len(LoginAttempts::UserAgent, 512)
                .default("")
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(LoginAttempts::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_login_attempts_user")
                .table(LoginAttempts::Table)
                .col(LoginAttempts::UserId)
                .col(LoginAttempts::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_login_attempts_user")
                .table(LoginAttempts::Table)
                .to_owned(),
        )
        .await?;
        for col in [LoginAttempts::UserAgent, LoginAttempts::UserId] {
            m.alter_table(
                Table::alter()
                    .table(LoginAttempts::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
