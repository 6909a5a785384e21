//! Saved cards and card payments: the client's Stripe customer, their cards (only Stripe's
//! PaymentMethod id, brand, last 4 and expiry — never card data), every charge attempt recorded
//! before Stripe is called (its idempotency key is unique, and one number per invoice), the
//! webhook events already handled, and which card payment a refund went back to.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    StripeCustomerId,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    GatewayRef,
    PaymentId,
}

#[derive(DeriveIden)]
enum Cards {
    Table,
    Id,
    ClientId,
    GatewayRef,
    Brand,
    Last4,
    ExpMonth,
    ExpYear,
    IsDefault,
    ExpiryNoticeFor,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CardAttempts {
    Table,
    Id,
    InvoiceId,
    ClientId,
    AttemptNo,
    IdempotencyKey,
    CardRef,
    AmountCents,
    Currency,
    OffSession,
    Status,
    IntentId,
    ErrorCode,
    ErrorMessage,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    Kind,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(string_len_null(Users::StripeCustomerId, 100))
                .to_owned(),
        )
        .await?;
        for col in [
            string_len_null(Refunds::GatewayRef, 100),
            integer_null(Refunds::PaymentId),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Refunds::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Cards::Table)
                .col(pk_auto(Cards::Id))
                .col(integer(Cards::ClientId))
                // Stripe's PaymentMethod id.
                .col(string_len_uniq(Cards::GatewayRef, 100))
                .col(string_len(Cards::Brand, 20))
                .col(string_len(Cards::Last4, 4))
                .col(integer(Cards::ExpMonth))
                .col(integer(Cards::ExpYear))
                .col(boolean(Cards::IsDefault).default(false))
                // The expiry month (YYYY-MM) the client was last warned about, so once each.
                .col(string_len(Cards::ExpiryNoticeFor, 7).default(""))
                .col(timestamp_with_time_zone(Cards::CreatedAt))
                .col(timestamp_with_time_zone(Cards::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Cards::Table, Cards::ClientId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_cards_client")
                .table(Cards::Table)
                .col(Cards::ClientId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CardAttempts::Table)
                .col(pk_auto(CardAttempts::Id))
                .col(integer(CardAttempts::InvoiceId))
                .col(integer(CardAttempts::ClientId))
                .col(integer(CardAttempts::AttemptNo))
                .col(string_len_uniq(CardAttempts::IdempotencyKey, 100))
                .col(string_len(CardAttempts::CardRef, 100))
                .col(big_integer(CardAttempts::AmountCents))
                .col(string_len(CardAttempts::Currency, 3))
                .col(boolean(CardAttempts::OffSession))
                // pending (outcome unknown) | succeeded | declined | requires_action | failed
                .col(string_len(CardAttempts::Status, 20))
                .col(string_len_null(CardAttempts::IntentId, 100))
                .col(string_len(CardAttempts::ErrorCode, 60).default(""))
                .col(string_len(CardAttempts::ErrorMessage, 500).default(""))
                .col(timestamp_with_time_zone(CardAttempts::CreatedAt))
                .col(timestamp_with_time_zone(CardAttempts::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CardAttempts::Table, CardAttempts::InvoiceId)
                        .to(Invoices::Table, Invoices::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_card_attempts_invoice_no")
                .table(CardAttempts::Table)
                .col(CardAttempts::InvoiceId)
                .col(CardAttempts::AttemptNo)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_card_attempts_intent")
                .table(CardAttempts::Table)
                .col(CardAttempts::IntentId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookEvents::Table)
                .col(string_len(WebhookEvents::Id, 100).primary_key())
                .col(string_len(WebhookEvents::Kind, 100))
                .col(timestamp_with_time_zone(WebhookEvents::ReceivedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            WebhookEvents::Table.into_iden(),
            CardAttempts::Table.into_iden(),
            Cards::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for col in [
            Refunds::PaymentId.into_iden(),
            Refunds::GatewayRef.into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Refunds::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::StripeCustomerId)
                .to_owned(),
        )
        .await
    }
}
