use crate::{clock::Clock, mail::Mailer};
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
}

/// Billing thresholds staff can configure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingSettings {
    /// An upgrade whose invoice is still unpaid this many days after ordering is cancelled.
    pub upgrade_cancel_days: u32,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            upgrade_cancel_days: 7,
        }
    }
}

impl Services {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
