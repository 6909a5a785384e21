//! The client's email history: DTOs, server functions (thin adapters over
//! `domain::mail::history`, always scoped to the signed-in user) and pages.
mod pages;

pub use pages::{EmailDetailPage, EmailHistoryPage};

use crate::{
    error::AppError,
    format,
    i18n::{Locale, Texts},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailStatus {
    Queued,
    Sent,
    Recorded,
    Failed,
}

impl EmailStatus {
    pub fn code(self) -> &'static str {
        match self {
            EmailStatus::Queued => "queued",
            EmailStatus::Sent => "sent",
            EmailStatus::Recorded => "recorded",
            EmailStatus::Failed => "failed",
        }
    }
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            EmailStatus::Queued => t.email_status_queued,
            EmailStatus::Sent => t.email_status_sent,
            EmailStatus::Recorded => t.email_status_recorded,
            EmailStatus::Failed => t.email_status_failed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailRow {
    pub id: i32,
    pub subject: String,
    pub status: EmailStatus,
    /// RFC 3339, UTC, whole seconds.
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailList {
    pub items: Vec<EmailRow>,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailView {
    pub row: EmailRow,
    pub to_address: String,
    /// Plain text, shown as text (never as HTML).
    pub body: String,
}

/// "5 Nov 2026, 09:30 UTC" from an RFC 3339 UTC time. Times are shown in UTC: the server renders
/// the page without knowing the visitor's time zone, and the browser must render the same text.
pub fn when(rfc3339: &str, locale: Locale) -> String {
    match rfc3339.get(11..16) {
        Some(hm) => format!("{}, {hm} UTC", format::date(rfc3339, locale)),
        None => format::date(rfc3339, locale),
    }
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use domain::mail::history as d;

    impl From<d::EmailSummary> for EmailRow {
        fn from(e: d::EmailSummary) -> Self {
            Self {
                id: e.id,
                subject: e.subject,
                status: match e.status {
                    d::EmailStatus::Queued => EmailStatus::Queued,
                    d::EmailStatus::Sent => EmailStatus::Sent,
                    d::EmailStatus::Recorded => EmailStatus::Recorded,
                    d::EmailStatus::Failed => EmailStatus::Failed,
                },
                created_at: e
                    .created_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }
        }
    }

    impl From<d::EmailDetail> for EmailView {
        fn from(e: d::EmailDetail) -> Self {
            Self {
                row: e.summary.into(),
                to_address: e.to_address,
                body: e.body_text,
            }
        }
    }
}

/// One page of the signed-in user's emails, newest first.
#[server(prefix = "/_fn", endpoint = "list_emails")]
pub async fn list_emails(page: Option<u64>) -> Result<EmailList, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    let p = domain::mail::history::list(&svc.db, user.id, page.unwrap_or(1)).await?;
    Ok(EmailList {
        pages: p.pages(),
        page: p.page,
        items: p.items.into_iter().map(Into::into).collect(),
    })
}

/// One of the signed-in user's emails; anyone else's is 404.
#[server(prefix = "/_fn", endpoint = "get_email")]
pub async fn get_email(id: i32) -> Result<EmailView, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    Ok(domain::mail::history::get(&svc.db, user.id, id)
        .await?
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_date_and_utc_clock() {
        assert_eq!(
            when("2026-03-01T09:05:00Z", Locale::En),
            "1 Mar 2026, 09:05 UTC"
        );
        assert_eq!(
            when("2026-03-01T09:05:00Z", Locale::Es),
            "1 mar 2026, 09:05 UTC"
        );
        assert_eq!(when("garbage", Locale::En), "garbage");
    }
}
