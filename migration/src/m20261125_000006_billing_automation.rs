//! Billing automation: what makes each unit of work happen exactly once, enforced by the
//! database — one renewal per service and period, one notice per invoice and kind, one run at a
//! time (a lease) — and the log of runs staff read.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
    NextDueOn,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    Status,
    DueOn,
}

#[derive(DeriveIden)]
enum ServiceRenewals {
    Table,
    Id,
    ServiceId,
    PeriodStart,
    PeriodEnd,
    InvoiceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BillingNotices {
    Table,
    Id,
    InvoiceId,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BillingLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum BillingRuns {
    Table,
    Id,
    AsOf,
    StartedAt,
    FinishedAt,
    Summary,
    Error,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ServiceRenewals::Table)
                .col(pk_auto(ServiceRenewals::Id))
                .col(integer(ServiceRenewals::ServiceId))
                .col(date(ServiceRenewals::PeriodStart))
                .col(date(ServiceRenewals::PeriodEnd))
                .col(integer(ServiceRenewals::InvoiceId))
                .col(timestamp_with_time_zone(ServiceRenewals::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceRenewals::Table, ServiceRenewals::ServiceId)
                        .to(Services::Table, Services::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceRenewals::Table, ServiceRenewals::InvoiceId)
                        .to(Invoices::Table, Invoices::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_service_renewals_period")
                .table(ServiceRenewals::Table)
                .col(ServiceRenewals::ServiceId)
                .col(ServiceRenewals::PeriodStart)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_service_renewals_invoice")
                .table(ServiceRenewals::Table)
                .col(ServiceRenewals::InvoiceId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BillingNotices::Table)
                .col(pk_auto(BillingNotices::Id))
                .col(integer(BillingNotices::InvoiceId))
                // created | reminder | overdue_1 | overdue_3 | overdue_7 | suspended | ...
                .col(string_len(BillingNotices::Kind, 32))
                .col(timestamp_with_time_zone(BillingNotices::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(BillingNotices::Table, BillingNotices::InvoiceId)
                        .to(Invoices::Table, Invoices::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_billing_notices")
                .table(BillingNotices::Table)
                .col(BillingNotices::InvoiceId)
                .col(BillingNotices::Kind)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BillingLeases::Table)
                .col(string_len(BillingLeases::Name, 64).primary_key())
                .col(string_len(BillingLeases::Holder, 64))
                .col(timestamp_with_time_zone(BillingLeases::ExpiresAt))
                .to_owned(),
        )
        .await?;
        // A run reads only what falls due: its cost grows with due services, not all services.
        m.create_index(
            Index::create()
                .name("idx_services_next_due")
                .table(Services::Table)
                .col(Services::NextDueOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_invoices_status_due")
                .table(Invoices::Table)
                .col(Invoices::Status)
                .col(Invoices::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BillingRuns::Table)
                .col(pk_auto(BillingRuns::Id))
                .col(date(BillingRuns::AsOf))
                .col(timestamp_with_time_zone(BillingRuns::StartedAt))
                .col(timestamp_with_time_zone_null(BillingRuns::FinishedAt))
                .col(text(BillingRuns::Summary))
                .col(text_null(BillingRuns::Error))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("idx_services_next_due", Services::Table.into_iden()),
            ("idx_invoices_status_due", Invoices::Table.into_iden()),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        for t in [
            BillingRuns::Table.into_iden(),
            BillingLeases::Table.into_iden(),
            BillingNotices::Table.into_iden(),
            ServiceRenewals::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
