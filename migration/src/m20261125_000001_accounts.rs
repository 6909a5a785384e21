//! Accounts: users (clients and staff), server-side sessions, sign-in attempts for throttling,
//! password-reset tokens, and the record of every email sent.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Name,
    Role,
    Language,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    Email,
    Ip,
    Success,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Emails {
    Table,
    Id,
    UserId,
    ToAddress,
    Kind,
    Language,
    Subject,
    BodyText,
    Status,
    Error,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_auto(Users::Id))
                .col(string_len_uniq(Users::Email, 254))
                .col(string(Users::PasswordHash))
                .col(string_len(Users::Name, 200))
                .col(string_len(Users::Role, 16))
                .col(string_len(Users::Language, 8))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(pk_auto(Sessions::Id))
                .col(string_len_uniq(Sessions::TokenHash, 64))
                .col(integer(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(string_len(Sessions::Ip, 64))
                .col(string_len(Sessions::UserAgent, 512))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginAttempts::Table)
                .col(pk_auto(LoginAttempts::Id))
                .col(string_len(LoginAttempts::Email, 254))
                .col(string_len(LoginAttempts::Ip, 64))
                .col(boolean(LoginAttempts::Success))
                .col(timestamp_with_time_zone(LoginAttempts::CreatedAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_login_attempts_email", LoginAttempts::Email),
            ("idx_login_attempts_ip", LoginAttempts::Ip),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(LoginAttempts::Table)
                    .col(col)
                    .col(LoginAttempts::CreatedAt)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(PasswordResets::Table)
                .col(pk_auto(PasswordResets::Id))
                .col(integer(PasswordResets::UserId))
                .col(string_len_uniq(PasswordResets::TokenHash, 64))
                .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PasswordResets::Table, PasswordResets::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Emails::Table)
                .col(pk_auto(Emails::Id))
                .col(integer_null(Emails::UserId))
                .col(string_len(Emails::ToAddress, 254))
                .col(string_len(Emails::Kind, 64))
                .col(string_len(Emails::Language, 8))
                .col(string_len(Emails::Subject, 300))
                .col(text(Emails::BodyText))
                .col(string_len(Emails::Status, 16))
                .col(text_null(Emails::Error))
                .col(timestamp_with_time_zone(Emails::CreatedAt))
                .col(timestamp_with_time_zone_null(Emails::SentAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Emails::Table, Emails::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_emails_user")
                .table(Emails::Table)
                .col(Emails::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Emails::Table.into_iden(),
            PasswordResets::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
