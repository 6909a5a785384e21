//! Invoices: issuing with a gapless number, the client's list and detail (always scoped to the
//! client), the unpaid total, and recording a payment. Renewals, reminders, taxes and credit
//! build on this (billing automation).
pub use super::payments::record_payment;

use super::{
    payments::{self, InvoiceMovement},
    tax::{self, TaxMode},
};
use crate::{
    entities::{invoice, invoice_item, user},
    error::{DomainError, DomainResult},
    BillingSettings, Page,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
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

/// Issues an unpaid invoice with the next number, inside the caller's transaction: the client's
/// invoice details and the tax that applies to them are frozen on it.
#[allow(clippy::too_many_arguments)]
pub async fn issue(
    db: &impl ConnectionTrait,
    settings: &BillingSettings,
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
    let lines = items
        .iter()
        .try_fold(0i64, |acc, i| acc.checked_add(i.amount_cents));
    let overflow = || DomainError::Internal("invoice total overflows".into());
    let lines = lines.ok_or_else(overflow)?;
    let decision = tax::decide(
        &settings.tax,
        tax::Buyer {
            country: &client.country,
            region: &client.region,
            vat_id: &client.vat_id,
        },
    );
    let include = settings.tax.prices_include_tax;
    let totals = tax::totals(lines, decision.rate_bp, include).ok_or_else(overflow)?;
    let year = issued_on.year();
    let format = &settings.number_format;
    let n = next_in_sequence(db, &format.sequence_name(year)).await?;
    let inv = invoice::ActiveModel {
        client_id: Set(client_id),
        number: Set(Some(format.format(year, n))),
        status: Set(InvoiceStatus::Unpaid.as_str().into()),
        currency: Set(currency.into()),
        subtotal_cents: Set(totals.subtotal_cents),
        tax_cents: Set(totals.tax_cents),
        total_cents: Set(totals.total_cents),
        paid_cents: Set(0),
        issued_on: Set(issued_on),
        due_on: Set(due_on),
        paid_at: Set(None),
        cancelled_at: Set(None),
        bill_to_name: Set(client.name),
        bill_to_email: Set(client.email),
        bill_to_company: Set(client.company),
        bill_to_address: Set(client.address),
        bill_to_postcode: Set(client.postcode),
        bill_to_region: Set(client.region),
        bill_to_country: Set(client.country),
        bill_to_vat_id: Set(client.vat_id),
        tax_name: Set(decision.name),
        tax_rate_bp: Set(decision.rate_bp as i32),
        tax_mode: Set(decision.mode.as_str().into()),
        prices_include_tax: Set(include),
        credit_applied_cents: Set(0),
        refunded_cents: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (i, item) in items.iter().enumerate() {
        insert_item(db, inv.id, item, i as i32).await?;
    }
    Ok(inv)
}

async fn insert_item(
    db: &impl ConnectionTrait,
    invoice_id: i32,
    item: &NewItem,
    sort_order: i32,
) -> DomainResult<()> {
    invoice_item::ActiveModel {
        invoice_id: Set(invoice_id),
        service_id: Set(item.service_id),
        description: Set(item.description.clone()),
        period_start: Set(item.period.map(|p| p.0)),
        period_end: Set(item.period.map(|p| p.1)),
        amount_cents: Set(item.amount_cents),
        sort_order: Set(sort_order),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Adds a line to an unpaid invoice (a late fee), in the caller's transaction: the totals are
/// worked out again at the tax frozen on the invoice. `false` if it is no longer unpaid.
pub(crate) async fn add_line(
    db: &impl ConnectionTrait,
    inv: &invoice::Model,
    item: &NewItem,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let lines: i64 = invoice_item::Entity::find()
        .filter(invoice_item::Column::InvoiceId.eq(inv.id))
        .all(db)
        .await?
        .iter()
        .map(|l| l.amount_cents)
        .sum();
    let rate = u32::try_from(inv.tax_rate_bp).unwrap_or(0);
    let t = lines
        .checked_add(item.amount_cents)
        .and_then(|l| tax::totals(l, rate, inv.prices_include_tax))
        .ok_or_else(|| DomainError::Internal("invoice total overflows".into()))?;
    let res = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::SubtotalCents,
            Expr::value(t.subtotal_cents),
        )
        .col_expr(invoice::Column::TaxCents, Expr::value(t.tax_cents))
        .col_expr(invoice::Column::TotalCents, Expr::value(t.total_cents))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::TotalCents.eq(inv.total_cents))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    let count = invoice_item::Entity::find()
        .filter(invoice_item::Column::InvoiceId.eq(inv.id))
        .count(db)
        .await?;
    insert_item(db, inv.id, item, count as i32).await?;
    Ok(true)
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

/// An invoice in the staff list, with whom it bills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffInvoiceRow {
    pub summary: InvoiceSummary,
    pub client_id: i32,
    pub client_name: String,
    pub client_email: String,
}

/// Every client's invoices (never drafts), newest first: optionally of one status, and
/// matching `search` in the number or the billed name or email.
pub async fn list_all(
    db: &impl ConnectionTrait,
    status: Option<InvoiceStatus>,
    search: &str,
    page: u64,
) -> DomainResult<Page<StaffInvoiceRow>> {
    use sea_orm::Condition;
    let mut query =
        invoice::Entity::find().filter(invoice::Column::Status.ne(InvoiceStatus::Draft.as_str()));
    if let Some(st) = status {
        query = query.filter(invoice::Column::Status.eq(st.as_str()));
    }
    let search = search.trim();
    if !search.is_empty() {
        query = query.filter(
            Condition::any()
                .add(invoice::Column::Number.contains(search))
                .add(invoice::Column::BillToName.contains(search))
                .add(invoice::Column::BillToEmail.contains(search)),
        );
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
        items: rows
            .iter()
            .map(|i| {
                Ok(StaffInvoiceRow {
                    summary: summary(i)?,
                    client_id: i.client_id,
                    client_name: i.bill_to_name.clone(),
                    client_email: i.bill_to_email.clone(),
                })
            })
            .collect::<DomainResult<_>>()?,
        total,
        page,
        per_page: INVOICES_PER_PAGE,
    })
}

/// Whose invoice this is (for staff pages and the PDF's language).
pub async fn client_of(db: &impl ConnectionTrait, invoice_id: i32) -> DomainResult<user::Model> {
    let inv = invoice::Entity::find_by_id(invoice_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    user::Entity::find_by_id(inv.client_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}
