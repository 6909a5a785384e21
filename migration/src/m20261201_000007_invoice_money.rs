//! What invoices need beyond the core: the client's invoice details (frozen onto each invoice
//! at issue), the tax that was applied, payments, refunds, and the client's credit — a ledger of
//! entries plus one balance row per client and currency that a conditional update keeps from
//! going negative. Every money movement carries a unique key so it happens once.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Company,
    Address,
    Postcode,
    Region,
    Country,
    VatId,
    Phone,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    BillToCompany,
    BillToAddress,
    BillToPostcode,
    BillToRegion,
    BillToCountry,
    BillToVatId,
    TaxName,
    TaxRateBp,
    TaxMode,
    PricesIncludeTax,
    CreditAppliedCents,
    RefundedCents,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    InvoiceId,
    ClientId,
    AmountCents,
    Currency,
    Method,
    Reference,
    IdempotencyKey,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Id,
    InvoiceId,
    AmountCents,
    Destination,
    Reason,
    IdempotencyKey,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CreditBalances {
    Table,
    ClientId,
    Currency,
    BalanceCents,
}

#[derive(DeriveIden)]
enum CreditEntries {
    Table,
    Id,
    ClientId,
    Currency,
    AmountCents,
    BalanceAfterCents,
    Kind,
    InvoiceId,
    Note,
    UniqueKey,
    CreatedAt,
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
        // SQLite adds one column per ALTER TABLE.
        for col in [
            string_len(Users::Company, 200).default(""),
            string_len(Users::Address, 500).default(""),
            string_len(Users::Postcode, 20).default(""),
            string_len(Users::Region, 100).default(""),
            string_len(Users::Country, 2).default(""),
            string_len(Users::VatId, 20).default(""),
            string_len(Users::Phone, 40).default(""),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        for col in [
            string_len(Invoices::BillToCompany, 200).default(""),
            string_len(Invoices::BillToAddress, 500).default(""),
            string_len(Invoices::BillToPostcode, 20).default(""),
            string_len(Invoices::BillToRegion, 100).default(""),
            string_len(Invoices::BillToCountry, 2).default(""),
            string_len(Invoices::BillToVatId, 20).default(""),
            string_len(Invoices::TaxName, 40).default(""),
            // Hundredths of a percent: 2100 = 21 %.
            integer(Invoices::TaxRateBp).default(0),
            // none | standard | reverse_charge
            string_len(Invoices::TaxMode, 16).default("none"),
            boolean(Invoices::PricesIncludeTax).default(false),
            big_integer(Invoices::CreditAppliedCents).default(0),
            big_integer(Invoices::RefundedCents).default(0),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Payments::Table)
                .col(pk_auto(Payments::Id))
                .col(integer(Payments::InvoiceId))
                .col(integer(Payments::ClientId))
                .col(big_integer(Payments::AmountCents))
                .col(string_len(Payments::Currency, 3))
                // manual | credit | card
                .col(string_len(Payments::Method, 16))
                .col(string_len(Payments::Reference, 200).default(""))
                .col(string_len_uniq(Payments::IdempotencyKey, 100))
                .col(integer_null(Payments::RecordedBy))
                .col(timestamp_with_time_zone(Payments::CreatedAt))
                .foreign_key(&mut fk(
                    Payments::Table,
                    Payments::InvoiceId,
                    Invoices::Table,
                    Invoices::Id,
                ))
                .foreign_key(&mut fk(
                    Payments::Table,
                    Payments::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_payments_invoice")
                .table(Payments::Table)
                .col(Payments::InvoiceId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Refunds::Table)
                .col(pk_auto(Refunds::Id))
                .col(integer(Refunds::InvoiceId))
                .col(big_integer(Refunds::AmountCents))
                // credit | card
                .col(string_len(Refunds::Destination, 16))
                .col(string_len(Refunds::Reason, 500).default(""))
                .col(string_len_uniq(Refunds::IdempotencyKey, 100))
                .col(integer_null(Refunds::RecordedBy))
                .col(timestamp_with_time_zone(Refunds::CreatedAt))
                .foreign_key(&mut fk(
                    Refunds::Table,
                    Refunds::InvoiceId,
                    Invoices::Table,
                    Invoices::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditBalances::Table)
                .col(integer(CreditBalances::ClientId))
                .col(string_len(CreditBalances::Currency, 3))
                .col(big_integer(CreditBalances::BalanceCents))
                .primary_key(
                    Index::create()
                        .col(CreditBalances::ClientId)
                        .col(CreditBalances::Currency),
                )
                .foreign_key(&mut fk(
                    CreditBalances::Table,
                    CreditBalances::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditEntries::Table)
                .col(pk_auto(CreditEntries::Id))
                .col(integer(CreditEntries::ClientId))
                .col(string_len(CreditEntries::Currency, 3))
                .col(big_integer(CreditEntries::AmountCents))
                .col(big_integer(CreditEntries::BalanceAfterCents))
                // overpayment | refund | applied | downgrade | adjustment
                .col(string_len(CreditEntries::Kind, 16))
                .col(integer_null(CreditEntries::InvoiceId))
                .col(string_len(CreditEntries::Note, 500).default(""))
                .col(string_len_uniq(CreditEntries::UniqueKey, 100))
                .col(timestamp_with_time_zone(CreditEntries::CreatedAt))
                .foreign_key(&mut fk(
                    CreditEntries::Table,
                    CreditEntries::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    CreditEntries::Table,
                    CreditEntries::InvoiceId,
                    Invoices::Table,
                    Invoices::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_credit_entries_client")
                .table(CreditEntries::Table)
                .col(CreditEntries::ClientId)
                .col(CreditEntries::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CreditEntries::Table.into_iden(),
            CreditBalances::Table.into_iden(),
            Refunds::Table.into_iden(),
            Payments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for col in [
            Invoices::BillToCompany,
            Invoices::BillToAddress,
            Invoices::BillToPostcode,
            Invoices::BillToRegion,
            Invoices::BillToCountry,
            Invoices::BillToVatId,
            Invoices::TaxName,
            Invoices::TaxRateBp,
            Invoices::TaxMode,
            Invoices::PricesIncludeTax,
            Invoices::CreditAppliedCents,
            Invoices::RefundedCents,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        for col in [
            Users::Company,
            Users::Address,
            Users::Postcode,
            Users::Region,
            Users::Country,
            Users::VatId,
            Users::Phone,
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
