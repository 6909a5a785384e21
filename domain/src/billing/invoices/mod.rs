//! Invoices: issuing with a gapless number, the client's list and detail (always scoped to the
//! client), the unpaid total, and recording a payment. Renewals, reminders, taxes and credit
//! build on this (billing automation).
pub use super::payments::record_payment;
pub(crate) use issue::add_line;
pub use issue::issue;
pub use staff::{client_of, list_all, StaffInvoiceRow};

mod issue;
mod staff;

use super::{
    payments::{self, InvoiceMovement},
    tax::TaxMode,
};
use crate::{
    entities::{invoice, invoice_item},
    error::{DomainError, DomainResult},
    Page,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub const INVOICES_PER_PAGE: u64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceStatus {
    Draft,
    Unpaid,
    Paid,
    Cancelled,
    Refunded,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 5] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Unpaid,
        InvoiceStatus::Paid,
        InvoiceStatus::Cancelled,
        InvoiceStatus::Refunded,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Unpaid => "unpaid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
            InvoiceStatus::Refunded => "refunded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// A line to put on a new invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub service_id: Option<i32>,
    pub description: String,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSummary {
    pub id: i32,
    pub number: String,
    pub status: InvoiceStatus,
    pub currency: String,
    pub total_cents: i64,
    pub balance_cents: i64,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub service_id: Option<i32>,
    pub description: String,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDetail {
    pub summary: InvoiceSummary,
    pub bill_to: BillTo,
    pub items: Vec<InvoiceLine>,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub tax_name: String,
    pub tax_rate_bp: u32,
    pub tax_mode: TaxMode,
    pub prices_include_tax: bool,
    pub paid_cents: i64,
    pub credit_applied_cents: i64,
    pub refunded_cents: i64,
    pub paid_at: Option<DateTime<Utc>>,
    pub movements: Vec<InvoiceMovement>,
}

/// The client's details as they were when the invoice was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillTo {
    pub name: String,
    pub email: String,
    pub company: String,
    pub address: String,
    pub postcode: String,
    pub region: String,
    pub country: String,
    pub vat_id: String,
}

fn summary(i: &invoice::Model) -> DomainResult<InvoiceSummary> {
    Ok(InvoiceSummary {
        id: i.id,
        number: i.number.clone().unwrap_or_default(),
        status: InvoiceStatus::parse(&i.status)
            .ok_or_else(|| DomainError::Internal(format!("invoice {}: bad status", i.id)))?,
        currency: i.currency.clone(),
        total_cents: i.total_cents,
        balance_cents: (i.total_cents - i.paid_cents).max(0),
        issued_on: i.issued_on,
        due_on: i.due_on,
    })
}

/// The client's invoices (never drafts), newest first, optionally of one status.
pub async fn list(
    db: &impl ConnectionTrait,
    client_id: i32,
    status: Option<InvoiceStatus>,
    page: u64,
) -> DomainResult<Page<InvoiceSummary>> {
    let mut query = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(client_id))
        .filter(invoice::Column::Status.ne(InvoiceStatus::Draft.as_str()));
    if let Some(st) = status {
        query = query.filter(invoice::Column::Status.eq(st.as_str()));
    }
    let total = query.clone().count(db).await?;
    let page = page.max(1);
    let rows = query
        .order_by_desc(invoice::Column::IssuedOn)
        .order_by_desc(invoice::Column::Id)
        .limit(INVOICES_PER_PAGE)
        .offset((page - 1) * INVOICES_PER_PAGE)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.iter().map(summary).collect::<DomainResult<_>>()?,
        total,
        page,
        per_page: INVOICES_PER_PAGE,
    })
}

/// One of the client's invoices; `NotFound` for someone else's or a draft.
pub async fn get(
    db: &impl ConnectionTrait,
    client_id: i32,
    id: i32,
) -> DomainResult<InvoiceDetail> {
    let inv = invoice::Entity::find_by_id(id)
        .filter(invoice::Column::ClientId.eq(client_id))
        .filter(invoice::Column::Status.ne(InvoiceStatus::Draft.as_str()))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    detail(db, inv).await
}

/// Any invoice, for staff.
pub async fn get_any(db: &impl ConnectionTrait, id: i32) -> DomainResult<InvoiceDetail> {
    let inv = invoice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    detail(db, inv).await
}

async fn detail(db: &impl ConnectionTrait, inv: invoice::Model) -> DomainResult<InvoiceDetail> {
    let items = invoice_item::Entity::find()
        .filter(invoice_item::Column::InvoiceId.eq(inv.id))
        .order_by_asc(invoice_item::Column::SortOrder)
        .all(db)
        .await?;
    Ok(InvoiceDetail {
        summary: summary(&inv)?,
        items: items
            .into_iter()
            .map(|i| InvoiceLine {
                service_id: i.service_id,
                description: i.description,
                period: i.period_start.zip(i.period_end),
                amount_cents: i.amount_cents,
            })
            .collect(),
        movements: payments::movements(db, inv.id).await?,
        bill_to: BillTo {
            name: inv.bill_to_name,
            email: inv.bill_to_email,
            company: inv.bill_to_company,
            address: inv.bill_to_address,
            postcode: inv.bill_to_postcode,
            region: inv.bill_to_region,
            country: inv.bill_to_country,
            vat_id: inv.bill_to_vat_id,
        },
        subtotal_cents: inv.subtotal_cents,
        tax_cents: inv.tax_cents,
        tax_name: inv.tax_name,
        tax_rate_bp: u32::try_from(inv.tax_rate_bp).unwrap_or(0),
        tax_mode: TaxMode::from_db(&inv.tax_mode),
        prices_include_tax: inv.prices_include_tax,
        paid_cents: inv.paid_cents,
        credit_applied_cents: inv.credit_applied_cents,
        refunded_cents: inv.refunded_cents,
        paid_at: inv.paid_at,
    })
}

/// The latest invoices with a line for one of the client's services.
pub async fn for_service(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
    limit: u64,
) -> DomainResult<Vec<InvoiceSummary>> {
    let ids: Vec<i32> = invoice_item::Entity::find()
        .select_only()
        .column(invoice_item::Column::InvoiceId)
        .filter(invoice_item::Column::ServiceId.eq(service_id))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let rows = invoice::Entity::find()
        .filter(invoice::Column::Id.is_in(ids))
        .filter(invoice::Column::ClientId.eq(client_id))
        .filter(invoice::Column::Status.ne(InvoiceStatus::Draft.as_str()))
        .order_by_desc(invoice::Column::IssuedOn)
        .order_by_desc(invoice::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows.iter().map(summary).collect()
}

/// Unpaid invoices of the client: how many, and the balance due per currency.
pub async fn unpaid_totals(
    db: &impl ConnectionTrait,
    client_id: i32,
) -> DomainResult<(u64, Vec<(String, i64)>)> {
    let rows = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(client_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .all(db)
        .await?;
    let mut totals: Vec<(String, i64)> = Vec::new();
    for i in &rows {
        let due = (i.total_cents - i.paid_cents).max(0);
        match totals.iter_mut().find(|(c, _)| *c == i.currency) {
            Some((_, t)) => *t += due,
            None => totals.push((i.currency.clone(), due)),
        }
    }
    Ok((rows.len() as u64, totals))
}

/// Cancels an unpaid invoice (inside the caller's transaction); `false` if it was not unpaid.
/// Whatever was already paid on it is not lost: it goes to the client's credit.
pub async fn cancel_unpaid(
    db: &impl ConnectionTrait,
    invoice_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let Some(inv) = invoice::Entity::find_by_id(invoice_id).one(db).await? else {
        return Ok(false);
    };
    let updated = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            Expr::value(InvoiceStatus::Cancelled.as_str()),
        )
        .col_expr(invoice::Column::CancelledAt, Expr::value(now))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(invoice_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::PaidCents.eq(inv.paid_cents))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Ok(false);
    }
    if inv.paid_cents > 0 {
        super::credit::grant(
            db,
            super::credit::Movement {
                client_id: inv.client_id,
                currency: &inv.currency,
                kind: super::credit::CreditKind::Refund,
                invoice_id: Some(inv.id),
                note: "",
                unique_key: format!("cancelled:{}", inv.id),
            },
            inv.paid_cents,
            now,
        )
        .await?;
    }
    Ok(true)
}
