//! Invoices (the core that billing automation builds on) and upgrade orders. Invoice numbers
//! come from `number_sequences`, incremented in the same transaction that issues the invoice,
//! so numbers are gapless and never reused. Money is integer cents.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NumberSequences {
    Table,
    Name,
    NextValue,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    ClientId,
    Number,
    Status,
    Currency,
    SubtotalCents,
    TaxCents,
    TotalCents,
    PaidCents,
    IssuedOn,
    DueOn,
    PaidAt,
    CancelledAt,
    BillToName,
    BillToEmail,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InvoiceItems {
    Table,
    Id,
    InvoiceId,
    ServiceId,
    Description,
    PeriodStart,
    PeriodEnd,
    AmountCents,
    SortOrder,
}

#[derive(DeriveIden)]
enum ServiceUpgrades {
    Table,
    Id,
    ServiceId,
    ClientId,
    FromPlanId,
    ToPlanId,
    FromCycle,
    ToCycle,
    NewAmountCents,
    AmountDueCents,
    CreditLeftCents,
    InvoiceId,
    Status,
    CancelAfter,
    CreatedAt,
    ResolvedAt,
}

fn fk(
    from_tbl: impl IntoIden,
    from_col: impl IntoIden,
    to_tbl: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_tbl, from_col)
        .to(to_tbl, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(NumberSequences::Table)
                .col(string_len(NumberSequences::Name, 64).primary_key())
                .col(big_integer(NumberSequences::NextValue))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Invoices::Table)
                .col(pk_auto(Invoices::Id))
                .col(integer(Invoices::ClientId))
                // NULL while a draft: drafts do not consume numbers.
                .col(string_len_null(Invoices::Number, 32).unique_key())
                .col(string_len(Invoices::Status, 16))
                .col(string_len(Invoices::Currency, 3))
                .col(big_integer(Invoices::SubtotalCents))
                .col(big_integer(Invoices::TaxCents).default(0))
                .col(big_integer(Invoices::TotalCents))
                .col(big_integer(Invoices::PaidCents).default(0))
                .col(date(Invoices::IssuedOn))
                .col(date(Invoices::DueOn))
                .col(timestamp_with_time_zone_null(Invoices::PaidAt))
                .col(timestamp_with_time_zone_null(Invoices::CancelledAt))
                // Frozen at issue time.
                .col(string_len(Invoices::BillToName, 200))
                .col(string_len(Invoices::BillToEmail, 254))
                .col(timestamp_with_time_zone(Invoices::CreatedAt))
                .col(timestamp_with_time_zone(Invoices::UpdatedAt))
                .foreign_key(&mut fk(
                    Invoices::Table,
                    Invoices::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_invoices_client_status")
                .table(Invoices::Table)
                .col(Invoices::ClientId)
                .col(Invoices::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(InvoiceItems::Table)
                .col(pk_auto(InvoiceItems::Id))
                .col(integer(InvoiceItems::InvoiceId))
                .col(integer_null(InvoiceItems::ServiceId))
                .col(string_len(InvoiceItems::Description, 400))
                .col(date_null(InvoiceItems::PeriodStart))
                .col(date_null(InvoiceItems::PeriodEnd))
                .col(big_integer(InvoiceItems::AmountCents))
                .col(integer(InvoiceItems::SortOrder).default(0))
                .foreign_key(&mut fk(
                    InvoiceItems::Table,
                    InvoiceItems::InvoiceId,
                    Invoices::Table,
                    Invoices::Id,
                ))
                .foreign_key(&mut fk(
                    InvoiceItems::Table,
                    InvoiceItems::ServiceId,
                    Services::Table,
                    Services::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_invoice_items_invoice")
                .table(InvoiceItems::Table)
                .col(InvoiceItems::InvoiceId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ServiceUpgrades::Table)
                .col(pk_auto(ServiceUpgrades::Id))
                .col(integer(ServiceUpgrades::ServiceId))
                .col(integer(ServiceUpgrades::ClientId))
                .col(integer(ServiceUpgrades::FromPlanId))
                .col(integer(ServiceUpgrades::ToPlanId))
                .col(string_len(ServiceUpgrades::FromCycle, 16))
                .col(string_len(ServiceUpgrades::ToCycle, 16))
                .col(big_integer(ServiceUpgrades::NewAmountCents))
                .col(big_integer(ServiceUpgrades::AmountDueCents))
                .col(big_integer(ServiceUpgrades::CreditLeftCents))
                .col(integer_null(ServiceUpgrades::InvoiceId))
                // pending (invoice unpaid) | completed | cancelled
                .col(string_len(ServiceUpgrades::Status, 16))
                .col(date(ServiceUpgrades::CancelAfter))
                .col(timestamp_with_time_zone(ServiceUpgrades::CreatedAt))
                .col(timestamp_with_time_zone_null(ServiceUpgrades::ResolvedAt))
                .foreign_key(&mut fk(
                    ServiceUpgrades::Table,
                    ServiceUpgrades::ServiceId,
                    Services::Table,
                    Services::Id,
                ))
                .foreign_key(&mut fk(
                    ServiceUpgrades::Table,
                    ServiceUpgrades::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    ServiceUpgrades::Table,
                    ServiceUpgrades::FromPlanId,
                    Plans::Table,
                    Plans::Id,
                ))
                .foreign_key(&mut fk(
                    ServiceUpgrades::Table,
                    ServiceUpgrades::ToPlanId,
                    Plans::Table,
                    Plans::Id,
                ))
                .foreign_key(&mut fk(
                    ServiceUpgrades::Table,
                    ServiceUpgrades::InvoiceId,
                    Invoices::Table,
                    Invoices::Id,
                ))
                .to_owned(),
        )
        .await?;
        // At most one unpaid upgrade per service, enforced by the database (same partial-index
        // syntax on SQLite and PostgreSQL).
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_service_upgrades_pending ON service_upgrades (service_id) \
                 WHERE status = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ServiceUpgrades::Table.into_iden(),
            InvoiceItems::Table.into_iden(),
            Invoices::Table.into_iden(),
            NumberSequences::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
