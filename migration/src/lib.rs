//! Schema migrations. Append-only: never edit a migration that has been released.
pub use sea_orm_migration::prelude::*;

mod m20261125_000001_accounts;
mod m20261125_000002_services_news;
mod m20261125_000003_knowledge_base;
mod m20261125_000004_invoices_upgrades;
mod m20261125_000005_provisioning;
mod m20261125_000006_billing_automation;
mod m20261201_000007_invoice_money;
mod m20261201_000008_cards;
mod m20261202_000009_tickets;
mod m20261202_000010_login_history;
mod m20261203_000011_account_security;
mod m20261204_000012_ticket_form_keys;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_accounts::Migration),
            Box::new(m20261125_000002_services_news::Migration),
            Box::new(m20261125_000003_knowledge_base::Migration),
            Box::new(m20261125_000004_invoices_upgrades::Migration),
            Box::new(m20261125_000005_provisioning::Migration),
            Box::new(m20261125_000006_billing_automation::Migration),
            Box::new(m20261201_000007_invoice_money::Migration),
            Box::new(m20261201_000008_cards::Migration),
            Box::new(m20261202_000009_tickets::Migration),
            Box::new(m20261202_000010_login_history::Migration),
            Box::new(m20261203_000011_account_security::Migration),
            Box::new(m20261204_000012_ticket_form_keys::Migration),
        ]
    }
}
