//! The client's credit: a ledger of entries (overpayments, refunds, downgrade surplus in;
//! credit applied to invoices out) and one balance row per client and currency. Spending is a
//! conditional update (`balance >= amount`), so two payments at once can never take the same
//! credit twice; every entry has a unique key, so each movement happens once.
use crate::{
    entities::{credit_balance, credit_entry},
    error::{DomainError, DomainResult},
    Page,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

pub const ENTRIES_PER_PAGE: u64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditKind {
    Overpayment,
    Refund,
    Applied,
    Downgrade,
    Adjustment,
}

impl CreditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditKind::Overpayment => "overpayment",
            CreditKind::Refund => "refund",
            CreditKind::Applied => "applied",
            CreditKind::Downgrade => "downgrade",
            CreditKind::Adjustment => "adjustment",
        }
    }
    pub fn from_db(s: &str) -> Self {
        match s {
            "overpayment" => CreditKind::Overpayment,
            "refund" => CreditKind::Refund,
            "applied" => CreditKind::Applied,
            "downgrade" => CreditKind::Downgrade,
            _ => CreditKind::Adjustment,
        }
    }
}

/// One movement, as the client's credit history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditEntry {
    pub id: i32,
    pub kind: CreditKind,
    pub currency: String,
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    pub invoice_id: Option<i32>,
    pub invoice_number: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A movement to write: `unique_key` names the event it comes from ("overpay:12").
pub(crate) struct Movement<'a> {
    pub client_id: i32,
    pub currency: &'a str,
    pub kind: CreditKind,
    pub invoice_id: Option<i32>,
    pub note: &'a str,
    pub unique_key: String,
}

fn sql(backend: DatabaseBackend, sqlite: &str) -> String {
    match backend {
        // Same statements; PostgreSQL numbers its placeholders.
        DatabaseBackend::Postgres => {
            let mut n = 0;
            sqlite
                .chars()
                .map(|c| {
                    if c == '?' {
                        n += 1;
                        format!("${n}")
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        }
        _ => sqlite.to_owned(),
    }
}

async fn already(db: &impl ConnectionTrait, unique_key: &str) -> DomainResult<bool> {
    Ok(credit_entry::Entity::find()
        .filter(credit_entry::Column::UniqueKey.eq(unique_key))
        .count(db)
        .await?
        > 0)
}

async fn write_entry(
    db: &impl ConnectionTrait,
    m: &Movement<'_>,
    amount: i64,
    balance_after: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    use sea_orm::{ActiveModelTrait, Set};
    credit_entry::ActiveModel {
        client_id: Set(m.client_id),
        currency: Set(m.currency.into()),
        amount_cents: Set(amount),
        balance_after_cents: Set(balance_after),
        kind: Set(m.kind.as_str().into()),
        invoice_id: Set(m.invoice_id),
        note: Set(m.note.chars().take(500).collect()),
        unique_key: Set(m.unique_key.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Adds `amount` (> 0) to the client's credit, in the caller's transaction. `false` if this
/// movement was already made.
pub(crate) async fn grant(
    db: &impl ConnectionTrait,
    m: Movement<'_>,
    amount: i64,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    if amount <= 0 {
        return Err(DomainError::Internal("credit grants are positive".into()));
    }
    if already(db, &m.unique_key).await? {
        return Ok(false);
    }
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO credit_balances (client_id, currency, balance_cents) VALUES (?, ?, ?) \
                 ON CONFLICT (client_id, currency) DO UPDATE \
                 SET balance_cents = credit_balances.balance_cents + excluded.balance_cents \
                 RETURNING balance_cents",
            ),
            [m.client_id.into(), m.currency.into(), amount.into()],
        ))
        .await?
        .ok_or_else(|| DomainError::Internal("credit balance missing".into()))?;
    let after: i64 = row.try_get_by_index(0)?;
    write_entry(db, &m, amount, after, now).await?;
    Ok(true)
}

/// Takes up to `max` from the client's credit, in the caller's transaction; returns what was
/// taken (0 when there is none).
pub(crate) async fn spend(
    db: &impl ConnectionTrait,
    m: Movement<'_>,
    max: i64,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    if max <= 0 {
        return Ok(0);
    }
    // Most clients have no credit: one read settles it on the billing run's hot path.
    let amount = balance(db, m.client_id, m.currency).await?.min(max);
    if amount <= 0 || already(db, &m.unique_key).await? {
        return Ok(0);
    }
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "UPDATE credit_balances SET balance_cents = balance_cents - ? \
                 WHERE client_id = ? AND currency = ? AND balance_cents >= ? \
                 RETURNING balance_cents",
            ),
            [
                amount.into(),
                m.client_id.into(),
                m.currency.into(),
                amount.into(),
            ],
        ))
        .await?;
    // Spent by someone else meanwhile: take nothing rather than more than there is.
    let Some(row) = row else {
        return Ok(0);
    };
    let after: i64 = row.try_get_by_index(0)?;
    write_entry(db, &m, -amount, after, now).await?;
    Ok(amount)
}

pub async fn balance(
    db: &impl ConnectionTrait,
    client_id: i32,
    currency: &str,
) -> DomainResult<i64> {
    Ok(
        credit_balance::Entity::find_by_id((client_id, currency.to_owned()))
            .one(db)
            .await?
            .map_or(0, |b| b.balance_cents),
    )
}

/// The client's credit per currency (only currencies they ever had credit in).
pub async fn balances(
    db: &impl ConnectionTrait,
    client_id: i32,
) -> DomainResult<Vec<(String, i64)>> {
    Ok(credit_balance::Entity::find()
        .filter(credit_balance::Column::ClientId.eq(client_id))
        .order_by_asc(credit_balance::Column::Currency)
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.currency, b.balance_cents))
        .collect())
}

/// The client's credit movements, newest first.
pub async fn history(
    db: &impl ConnectionTrait,
    client_id: i32,
    page: u64,
) -> DomainResult<Page<CreditEntry>> {
    use crate::entities::invoice;
    let query = credit_entry::Entity::find().filter(credit_entry::Column::ClientId.eq(client_id));
    let total = query.clone().count(db).await?;
    let page = page.max(1);
    let rows = query
        .order_by_desc(credit_entry::Column::Id)
        .limit(ENTRIES_PER_PAGE)
        .offset((page - 1) * ENTRIES_PER_PAGE)
        .all(db)
        .await?;
    let numbers: std::collections::HashMap<i32, Option<String>> = invoice::Entity::find()
        .filter(invoice::Column::Id.is_in(rows.iter().filter_map(|r| r.invoice_id)))
        .filter(invoice::Column::ClientId.eq(client_id))
        .select_only()
        .columns([invoice::Column::Id, invoice::Column::Number])
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| CreditEntry {
                id: r.id,
                kind: CreditKind::from_db(&r.kind),
                invoice_number: r
                    .invoice_id
                    .and_then(|id| numbers.get(&id).cloned().flatten()),
                currency: r.currency,
                amount_cents: r.amount_cents,
                balance_after_cents: r.balance_after_cents,
                invoice_id: r.invoice_id,
                note: r.note,
                created_at: r.created_at,
            })
            .collect(),
        total,
        page,
        per_page: ENTRIES_PER_PAGE,
    })
}
