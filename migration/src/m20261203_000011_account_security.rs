//! The rest of the account: email changes waiting for their confirmation link, two-factor
//! sign-in (the TOTP secret, one-time recovery codes, the half-done sign-in between password and
//! code), contacts (a user who acts for another client account, with permissions) and the
//! settings staff change in the app (e.g. "staff must use two-factor sign-in").
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ParentId,
    Permissions,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum EmailChanges {
    Table,
    Id,
    UserId,
    NewEmail,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    /// The code itself while set-up is in progress (shown on the set-up page, so it can be
    /// written down before two-factor sign-in is on); cleared when it is turned on.
    ShownCode,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInChallenges {
    Table,
    Id,
    UserId,
    TokenHash,
    Ip,
    UserAgent,
    Attempts,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

fn user_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            integer_null(Users::ParentId),
            string_len(Users::Permissions, 200).default("").to_owned(),
            string_len_null(Users::TotpSecret, 64),
            timestamp_with_time_zone_null(Users::TotpEnabledAt),
            big_integer_null(Users::TotpLastStep),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_users_parent")
                .table(Users::Table)
                .col(Users::ParentId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EmailChanges::Table)
                .col(pk_auto(EmailChanges::Id))
                .col(integer(EmailChanges::UserId))
                .col(string_len(EmailChanges::NewEmail, 254))
                .col(string_len_uniq(EmailChanges::TokenHash, 64))
                .col(timestamp_with_time_zone(EmailChanges::CreatedAt))
                .col(timestamp_with_time_zone(EmailChanges::ExpiresAt))
                .col(timestamp_with_time_zone_null(EmailChanges::UsedAt))
                .foreign_key(&mut user_fk(EmailChanges::Table, EmailChanges::UserId))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(pk_auto(RecoveryCodes::Id))
                .col(integer(RecoveryCodes::UserId))
                .col(string_len(RecoveryCodes::CodeHash, 64))
                .col(string_len_null(RecoveryCodes::ShownCode, 16))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .foreign_key(&mut user_fk(RecoveryCodes::Table, RecoveryCodes::UserId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_recovery_codes_user")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::UserId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SignInChallenges::Table)
                .col(pk_auto(SignInChallenges::Id))
                .col(integer(SignInChallenges::UserId))
                .col(string_len_uniq(SignInChallenges::TokenHash, 64))
                .col(string_len(SignInChallenges::Ip, 64))
                .col(string_len(SignInChallenges::UserAgent, 512))
                .col(integer(SignInChallenges::Attempts).default(0))
                .col(timestamp_with_time_zone(SignInChallenges::CreatedAt))
                .col(timestamp_with_time_zone(SignInChallenges::ExpiresAt))
                .col(timestamp_with_time_zone_null(SignInChallenges::UsedAt))
                .foreign_key(&mut user_fk(
                    SignInChallenges::Table,
                    SignInChallenges::UserId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string_len(Settings::Key, 64).primary_key())
                .col(string_len(Settings::Value, 1000))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Settings::Table.into_iden(),
            SignInChallenges::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
            EmailChanges::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_users_parent")
                .table(Users::Table)
                .to_owned(),
        )
        .await?;
        for col in [
            Users::TotpLastStep,
            Users::TotpEnabledAt,
            Users::TotpSecret,
            Users::Permissions,
            Users::ParentId,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
