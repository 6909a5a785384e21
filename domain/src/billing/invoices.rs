//! Invoices: issuing with a gapless number, the client's list and detail (always scoped to the
//! client), the unpaid total, and recording a payment. Renewals, reminders, taxes and credit
//! build on this (billing automation).
use crate::{
    entities::{invoice, invoice_item, user},
    error::{DomainError, DomainResult},
    Page,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement, TransactionTrait,
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
    pub bill_to_name: String,
    pub bill_to_email: String,
    pub items: Vec<InvoiceLine>,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub paid_cents: i64,
    pub paid_at: Option<DateTime<Utc>>,
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

/// The next number of a named sequence, inside the caller's transaction: the row update
/// serialises concurrent issuers, and a rolled-back transaction gives its number back, so
/// numbers have no gaps and never repeat.
async fn next_in_sequence(db: &impl ConnectionTrait, name: &str) -> DomainResult<i64> {
    let backend = db.get_database_backend();
    let (insert, update) = match backend {
        sea_orm::DatabaseBackend::Postgres => (
            "INSERT INTO number_sequences (name, next_value) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING",
            "UPDATE number_sequences SET next_value = next_value + 1 WHERE name = $1 RETURNING next_value",
        ),
        _ => (
            "INSERT INTO number_sequences (name, next_value) VALUES (?, 1) ON CONFLICT (name) DO NOTHING",
            "UPDATE number_sequences SET next_value = next_value + 1 WHERE name = ? RETURNING next_value",
        ),
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        insert,
        [name.into()],
    ))
    .await?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            update,
            [name.into()],
        ))
        .await?
        .ok_or_else(|| DomainError::Internal("number sequence missing".into()))?;
    Ok(row.try_get_by_index::<i64>(0)? - 1)
}

/// "2026-00042": the year of issue and a sequence per year.
pub fn format_number(year: i32, n: i64) -> String {
    format!("{year}-{n:05}")
}

/// Issues an unpaid invoice with the next number, inside the caller's transaction.
pub async fn issue(
    db: &impl ConnectionTrait,
    client_id: i32,
    currency: &str,
    items: &[NewItem],
    issued_on: NaiveDate,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<invoice::Model> {
    if items.is_empty() {
        return Err(DomainError::Internal(
            "an invoice needs at least one line".into(),
        ));
    }
    let client = user::Entity::find_by_id(client_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let subtotal = items
        .iter()
        .try_fold(0i64, |acc, i| acc.checked_add(i.amount_cents));
    let subtotal =
        subtotal.ok_or_else(|| DomainError::Internal("invoice total overflows".into()))?;
    let year = issued_on.year();
    let n = next_in_sequence(db, &format!("invoice:{year}")).await?;
    let inv = invoice::ActiveModel {
        client_id: Set(client_id),
        number: Set(Some(format_number(year, n))),
        status: Set(InvoiceStatus::Unpaid.as_str().into()),
        currency: Set(currency.into()),
        subtotal_cents: Set(subtotal),
        tax_cents: Set(0),
        total_cents: Set(subtotal),
        paid_cents: Set(0),
        issued_on: Set(issued_on),
        due_on: Set(due_on),
        paid_at: Set(None),
        cancelled_at: Set(None),
        bill_to_name: Set(client.name),
        bill_to_email: Set(client.email),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (i, item) in items.iter().enumerate() {
        invoice_item::ActiveModel {
            invoice_id: Set(inv.id),
            service_id: Set(item.service_id),
            description: Set(item.description.clone()),
            period_start: Set(item.period.map(|p| p.0)),
            period_end: Set(item.period.map(|p| p.1)),
            amount_cents: Set(item.amount_cents),
            sort_order: Set(i as i32),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(inv)
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
        bill_to_name: inv.bill_to_name,
        bill_to_email: inv.bill_to_email,
        subtotal_cents: inv.subtotal_cents,
        tax_cents: inv.tax_cents,
        paid_cents: inv.paid_cents,
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

/// Records full payment of an unpaid invoice and completes what it pays for (an upgrade),
/// all in one transaction. Exactly once: paying an invoice that is no longer unpaid changes
/// nothing and returns `false`.
pub async fn record_payment(svc: &crate::Services, invoice_id: i32) -> DomainResult<bool> {
    let now = svc.now();
    let txn = svc.db.begin().await?;
    // The status condition makes the update the single winner under concurrency.
    let updated = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            sea_orm::sea_query::Expr::value(InvoiceStatus::Paid.as_str()),
        )
        .col_expr(
            invoice::Column::PaidCents,
            sea_orm::sea_query::Expr::col(invoice::Column::TotalCents),
        )
        .col_expr(
            invoice::Column::PaidAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            invoice::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invoice::Column::Id.eq(invoice_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    crate::hosting::upgrade::on_invoice_paid(&txn, invoice_id, now).await?;
    let paid = invoice::Entity::find_by_id(invoice_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    crate::billing::automation::after_payment(&txn, &svc.base_url, &paid, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Cancels an unpaid invoice (inside the caller's transaction); `false` if it was not unpaid.
pub async fn cancel_unpaid(
    db: &impl ConnectionTrait,
    invoice_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let updated = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            sea_orm::sea_query::Expr::value(InvoiceStatus::Cancelled.as_str()),
        )
        .col_expr(
            invoice::Column::CancelledAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            invoice::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invoice::Column::Id.eq(invoice_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}
