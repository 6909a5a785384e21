//! Invoices: DTOs, server functions (thin adapters over `domain::billing::invoices`, always
//! scoped to the signed-in client) and pages.
mod pages;

pub use pages::{InvoiceBadge, InvoiceDetailPage, InvoiceListPage, InvoiceTable};

use crate::{error::AppError, i18n::Texts};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Unpaid,
    Paid,
    Cancelled,
    Refunded,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 4] = [
        InvoiceStatus::Unpaid,
        InvoiceStatus::Paid,
        InvoiceStatus::Cancelled,
        InvoiceStatus::Refunded,
    ];
    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Unpaid => "unpaid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
            InvoiceStatus::Refunded => "refunded",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            InvoiceStatus::Unpaid => t.invoice_unpaid,
            InvoiceStatus::Paid => t.invoice_paid,
            InvoiceStatus::Cancelled => t.invoice_cancelled,
            InvoiceStatus::Refunded => t.invoice_refunded,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: i32,
    pub number: String,
    pub status: InvoiceStatus,
    pub currency: String,
    pub total_cents: i64,
    pub balance_cents: i64,
    /// ISO dates.
    pub issued_on: String,
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceList {
    pub items: Vec<InvoiceRow>,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub period: Option<(String, String)>,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub row: InvoiceRow,
    pub bill_to_name: String,
    pub bill_to_email: String,
    pub items: Vec<InvoiceLine>,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub paid_cents: i64,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use domain::billing::invoices as d;

    impl From<d::InvoiceSummary> for InvoiceRow {
        fn from(i: d::InvoiceSummary) -> Self {
            Self {
                id: i.id,
                number: i.number,
                status: match i.status {
                    d::InvoiceStatus::Paid => InvoiceStatus::Paid,
                    d::InvoiceStatus::Cancelled => InvoiceStatus::Cancelled,
                    d::InvoiceStatus::Refunded => InvoiceStatus::Refunded,
                    d::InvoiceStatus::Unpaid | d::InvoiceStatus::Draft => InvoiceStatus::Unpaid,
                },
                currency: i.currency,
                total_cents: i.total_cents,
                balance_cents: i.balance_cents,
                issued_on: i.issued_on.to_string(),
                due_on: i.due_on.to_string(),
            }
        }
    }

    impl From<InvoiceStatus> for d::InvoiceStatus {
        fn from(s: InvoiceStatus) -> Self {
            match s {
                InvoiceStatus::Unpaid => d::InvoiceStatus::Unpaid,
                InvoiceStatus::Paid => d::InvoiceStatus::Paid,
                InvoiceStatus::Cancelled => d::InvoiceStatus::Cancelled,
                InvoiceStatus::Refunded => d::InvoiceStatus::Refunded,
            }
        }
    }

    impl From<d::InvoiceDetail> for InvoiceDetail {
        fn from(i: d::InvoiceDetail) -> Self {
            Self {
                bill_to_name: i.bill_to_name,
                bill_to_email: i.bill_to_email,
                items: i
                    .items
                    .into_iter()
                    .map(|l| InvoiceLine {
                        description: l.description,
                        period: l.period.map(|(a, b)| (a.to_string(), b.to_string())),
                        amount_cents: l.amount_cents,
                    })
                    .collect(),
                subtotal_cents: i.subtotal_cents,
                tax_cents: i.tax_cents,
                paid_cents: i.paid_cents,
                row: i.summary.into(),
            }
        }
    }
}

/// The signed-in client's invoices, optionally of one status (`status` as in the URL).
#[server(prefix = "/_fn", endpoint = "list_invoices")]
pub async fn list_invoices(
    status: Option<String>,
    page: Option<u64>,
) -> Result<InvoiceList, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            InvoiceStatus::from_code(code)
                .ok_or(AppError::BadRequest)?
                .into(),
        ),
    };
    let svc = ssr::services()?;
    let p = domain::billing::invoices::list(&svc.db, user.id, status, page.unwrap_or(1)).await?;
    Ok(InvoiceList {
        pages: p.pages(),
        page: p.page,
        items: p.items.into_iter().map(Into::into).collect(),
    })
}

#[server(prefix = "/_fn", endpoint = "get_invoice")]
pub async fn get_invoice(id: i32) -> Result<InvoiceDetail, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    Ok(domain::billing::invoices::get(&svc.db, user.id, id)
        .await?
        .into())
}
