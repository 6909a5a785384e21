//! Invoices: DTOs, server functions (thin adapters over `domain::billing::invoices`, always
//! scoped to the signed-in client) and pages.
mod credit;
mod pages;
mod staff;
mod staff_pages;
pub mod texts;

pub use credit::CreditPage;
pub use pages::{InvoiceBadge, InvoiceDetailPage, InvoiceListPage, InvoiceTable};
pub use staff_pages::{StaffInvoiceListPage, StaffInvoicePage};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxMode {
    None,
    Standard,
    ReverseCharge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayMethod {
    Manual,
    Credit,
    Card,
}

/// A payment or a refund on the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementRow {
    /// RFC 3339.
    pub at: String,
    pub method: PayMethod,
    pub refund: bool,
    pub amount_cents: i64,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub row: InvoiceRow,
    /// Name, company, address lines, postcode/region/country, as frozen at issue.
    pub bill_to_lines: Vec<String>,
    pub bill_to_vat_id: String,
    pub bill_to_email: String,
    pub items: Vec<InvoiceLine>,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub tax_name: String,
    /// The rate as the domain writes it ("21 %", "5.5 %"); the page adapts the decimal mark.
    pub tax_rate: String,
    pub tax_mode: TaxMode,
    pub prices_include_tax: bool,
    pub paid_cents: i64,
    pub credit_applied_cents: i64,
    pub refunded_cents: i64,
    pub movements: Vec<MovementRow>,
    /// Bank-transfer instructions of the manual gateway (empty when not configured).
    pub bank_transfer: String,
    /// The client's credit in the invoice's currency (what "pay with my credit" can use).
    pub credit_available_cents: i64,
}

impl InvoiceDetail {
    /// "IVA (21 %)", or the generic word when no rate applied.
    pub fn tax_label(&self, generic: &str, decimal_comma: bool) -> String {
        if self.tax_mode != TaxMode::Standard {
            return generic.to_owned();
        }
        let rate = if decimal_comma {
            self.tax_rate.replace('.', ",")
        } else {
            self.tax_rate.clone()
        };
        format!("{} ({rate})", self.tax_name)
    }
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
            use domain::billing::{payments::PaymentMethod as M, tax::TaxMode as T};
            let b = i.bill_to;
            let mut lines = vec![b.name];
            lines.extend([b.company].into_iter().filter(|c| !c.is_empty()));
            lines.extend(b.address.lines().map(str::to_owned));
            let place = [b.postcode, b.region, b.country]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            lines.extend([place].into_iter().filter(|p| !p.is_empty()));
            Self {
                bill_to_lines: lines,
                bill_to_vat_id: b.vat_id,
                bill_to_email: b.email,
                tax_name: i.tax_name,
                tax_rate: domain::billing::tax::format_rate(i.tax_rate_bp, false),
                tax_mode: match i.tax_mode {
                    T::None => TaxMode::None,
                    T::Standard => TaxMode::Standard,
                    T::ReverseCharge => TaxMode::ReverseCharge,
                },
                prices_include_tax: i.prices_include_tax,
                credit_applied_cents: i.credit_applied_cents,
                refunded_cents: i.refunded_cents,
                movements: i
                    .movements
                    .into_iter()
                    .map(|m| MovementRow {
                        at: m.at.to_rfc3339(),
                        method: match m.method {
                            M::Manual => PayMethod::Manual,
                            M::Credit => PayMethod::Credit,
                            M::Card => PayMethod::Card,
                        },
                        refund: m.refund,
                        amount_cents: m.amount_cents,
                        reference: m.reference,
                    })
                    .collect(),
                bank_transfer: String::new(),
                credit_available_cents: 0,
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
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            InvoiceStatus::from_code(code)
                .ok_or(AppError::BadRequest)?
                .into(),
        ),
    };
    let svc = ssr::services()?;
    let p =
        domain::billing::invoices::list(&svc.db, user.client_id, status, page.unwrap_or(1)).await?;
    Ok(InvoiceList {
        pages: p.pages(),
        page: p.page,
        items: p.items.into_iter().map(Into::into).collect(),
    })
}

#[server(prefix = "/_fn", endpoint = "get_invoice")]
pub async fn get_invoice(id: i32) -> Result<InvoiceDetail, AppError> {
    use crate::auth::ssr;
    use domain::billing::{credit, invoices};
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let svc = ssr::services()?;
    let mut detail: InvoiceDetail = invoices::get(&svc.db, user.client_id, id).await?.into();
    detail.bank_transfer = svc.billing.issuer.bank_transfer.clone();
    detail.credit_available_cents =
        credit::balance(&svc.db, user.client_id, &detail.row.currency).await?;
    Ok(detail)
}

/// The client pays what their credit covers of one of their unpaid invoices.
#[server(prefix = "/_fn", endpoint = "apply_invoice_credit")]
pub async fn apply_invoice_credit(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let svc = ssr::services()?;
    domain::billing::payments::apply_credit(&svc, user.client_id, id).await?;
    leptos_axum::redirect(&format!("/invoices/{id}?credit=1"));
    Ok(())
}
