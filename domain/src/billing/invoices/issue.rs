//! Issuing: the next gapless number, the client's details and tax frozen on the invoice; and
//! adding a line later (a late fee) at the tax that was frozen.
use super::{InvoiceStatus, NewItem};
use crate::{
    billing::tax,
    entities::{invoice, invoice_item, user},
    error::{DomainError, DomainResult},
    BillingSettings,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set, Statement,
};

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
