use crate::{
    billing::{cards::CardGateway, numbering::NumberFormat, tax::TaxSettings},
    clock::Clock,
    mail::Mailer,
    support::{live::Hub, TicketSettings},
};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Everything a use case needs: the database, the mailer, the clock and the public base URL
/// (for links in emails). Cheap to clone; handed to the app through Leptos context.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub clock: Arc<dyn Clock>,
    pub base_url: String,
    pub billing: BillingSettings,
    /// The card gateway (Stripe) when configured; without it nothing is charged to cards.
    pub cards: Option<Arc<dyn CardGateway>>,
    pub tickets: TicketSettings,
    /// Live ticket updates for the open pages of this process.
    pub live: Hub,
}

/// Billing thresholds staff can configure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingSettings {
    /// An upgrade whose invoice is still unpaid this many days after ordering is cancelled.
    pub upgrade_cancel_days: u32,
    /// A renewal invoice is issued this many days before a service's next due date.
    pub renew_days_before: u32,
    /// A reminder is sent this many days before an invoice is due.
    pub reminder_days_before: u32,
    /// Overdue notices, days after the due date (ascending).
    pub overdue_notice_days: Vec<u32>,
    /// A service is suspended this many days after an invoice of it fell due unpaid.
    pub suspend_after_days: u32,
    /// A service suspended for an unpaid invoice is terminated this many days after it fell due.
    pub terminate_after_days: u32,
    /// How invoice numbers look (`PORTICO_INVOICE_NUMBER_FORMAT`).
    pub number_format: NumberFormat,
    pub tax: TaxSettings,
    /// The client's credit pays new invoices as they are issued (`PORTICO_CREDIT_AUTO_APPLY`).
    pub credit_auto_apply: bool,
    /// A fee added once to an invoice still unpaid `late_fee_days` after its due date.
    pub late_fee: Option<LateFee>,
    pub late_fee_days: u32,
    /// Days after the first declined automatic card charge on which the card is tried again
    /// (`PORTICO_CARD_RETRY_DAYS`, default 3 and 7: three attempts over seven days).
    pub card_retry_days: Vec<u32>,
    /// Who issues the invoices, as printed on them, and how to pay by bank transfer.
    pub issuer: Issuer,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LateFee {
    /// A fixed amount in the invoice's currency, in cents.
    Fixed(i64),
    /// A share of the invoice total, in hundredths of a percent.
    Percent(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Issuer {
    pub name: String,
    /// Lines of the postal address.
    pub address: Vec<String>,
    pub tax_id: String,
    /// Bank-transfer instructions shown on unpaid invoices (the manual gateway); empty = none.
    pub bank_transfer: String,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            upgrade_cancel_days: 7,
            renew_days_before: 14,
            reminder_days_before: 3,
            overdue_notice_days: vec![1, 3, 7],
            suspend_after_days: 3,
            terminate_after_days: 30,
            number_format: NumberFormat::default(),
            tax: TaxSettings::default(),
            credit_auto_apply: true,
            late_fee: None,
            late_fee_days: 7,
            card_retry_days: vec![3, 7],
            issuer: Issuer {
                name: "Portico".into(),
                ..Default::default()
            },
        }
    }
}

impl Services {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
