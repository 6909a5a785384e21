//! Money on invoices: payments (by hand, from credit, later by card), overpayments into credit,
//! refunds to credit. Each movement is one transaction, guarded so it happens once: a payment
//! by its idempotency key and a condition on the invoice's paid amount, a refund by its key and
//! a condition on what is left to refund.
use super::{
    credit::{self, CreditKind, Movement},
    invoices::InvoiceStatus,
};
use crate::{
    accounts::new_token,
    entities::{invoice, payment, refund},
    error::{DomainError, DomainResult, Invalid, Refused},
    Services,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethod {
    Manual,
    Credit,
    Card,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Manual => "manual",
            PaymentMethod::Credit => "credit",
            PaymentMethod::Card => "card",
        }
    }
    pub fn from_db(s: &str) -> Self {
        match s {
            "credit" => PaymentMethod::Credit,
            "card" => PaymentMethod::Card,
            _ => PaymentMethod::Manual,
        }
    }
}

/// What a payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    Recorded {
        /// The invoice is now paid in full.
        paid: bool,
        /// The part above the balance due, added to the client's credit.
        credited_cents: i64,
    },
    /// This idempotency key was recorded before: nothing changed.
    Duplicate,
}

pub(crate) struct NewPayment<'a> {
    pub invoice_id: i32,
    pub amount_cents: i64,
    pub method: PaymentMethod,
    pub reference: &'a str,
    pub idempotency_key: &'a str,
    pub recorded_by: Option<i32>,
}

pub(crate) const MAX_NOTE: usize = 200;

/// Applies a payment to an unpaid invoice in the caller's transaction. When it completes the
/// invoice, what the invoice pays for happens in the same transaction (a plan change, the next
/// period, unsuspension, the receipt email); an amount above the balance becomes credit.
pub(crate) async fn apply<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    base_url: &str,
    p: &NewPayment<'_>,
    now: DateTime<Utc>,
) -> DomainResult<PaymentOutcome> {
    if p.amount_cents <= 0 {
        return Err(Invalid::Amount.into());
    }
    if p.reference.chars().count() > MAX_NOTE {
        return Err(Invalid::PaymentNote.into());
    }
    let exists = payment::Entity::find()
        .filter(payment::Column::IdempotencyKey.eq(p.idempotency_key))
        .count(db)
        .await?;
    if exists > 0 {
        return Ok(PaymentOutcome::Duplicate);
    }
    let inv = invoice::Entity::find_by_id(p.invoice_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if inv.status != InvoiceStatus::Unpaid.as_str() {
        return Err(Refused::InvoiceNotUnpaid.into());
    }
    let due = (inv.total_cents - inv.paid_cents).max(0);
    let applied = p.amount_cents.min(due);
    let excess = p.amount_cents - applied;
    let paid_in_full = inv.paid_cents + applied >= inv.total_cents;
    let recorded = payment::ActiveModel {
        invoice_id: Set(inv.id),
        client_id: Set(inv.client_id),
        amount_cents: Set(p.amount_cents),
        currency: Set(inv.currency.clone()),
        method: Set(p.method.as_str().into()),
        reference: Set(p.reference.trim().into()),
        idempotency_key: Set(p.idempotency_key.into()),
        recorded_by: Set(p.recorded_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut update = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::PaidCents,
            Expr::value(inv.paid_cents + applied),
        )
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now));
    if p.method == PaymentMethod::Credit {
        update = update.col_expr(
            invoice::Column::CreditAppliedCents,
            Expr::value(inv.credit_applied_cents + applied),
        );
    }
    if paid_in_full {
        update = update
            .col_expr(
                invoice::Column::Status,
                Expr::value(InvoiceStatus::Paid.as_str()),
            )
            .col_expr(invoice::Column::PaidAt, Expr::value(now));
    }
    // The conditions make this the single winner if anything else touched the invoice.
    let res = update
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()))
        .filter(invoice::Column::PaidCents.eq(inv.paid_cents))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(DomainError::Conflict(
            "the invoice changed meanwhile; try again",
        ));
    }
    if excess > 0 {
        credit::grant(
            db,
            Movement {
                client_id: inv.client_id,
                currency: &inv.currency,
                kind: CreditKind::Overpayment,
                invoice_id: Some(inv.id),
                note: p.reference,
                unique_key: format!("overpay:{}", recorded.id),
            },
            excess,
            now,
        )
        .await?;
    }
    if paid_in_full {
        crate::hosting::upgrade::on_invoice_paid(db, inv.id, now).await?;
        let paid = invoice::Entity::find_by_id(inv.id)
            .one(db)
            .await?
            .ok_or(DomainError::NotFound)?;
        super::automation::after_payment(db, base_url, &paid, now).await?;
    }
    Ok(PaymentOutcome::Recorded {
        paid: paid_in_full,
        credited_cents: excess,
    })
}

/// Pays what is left on an unpaid invoice from the client's credit, in the caller's
/// transaction; returns the amount taken (0 without credit).
pub(crate) async fn pay_from_credit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    base_url: &str,
    inv: &invoice::Model,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    let due = inv.total_cents - inv.paid_cents;
    let key = format!("credit:{}:{}", inv.id, inv.paid_cents);
    let taken = credit::spend(
        db,
        Movement {
            client_id: inv.client_id,
            currency: &inv.currency,
            kind: CreditKind::Applied,
            invoice_id: Some(inv.id),
            note: "",
            unique_key: key.clone(),
        },
        due,
        now,
    )
    .await?;
    if taken > 0 {
        apply(
            db,
            base_url,
            &NewPayment {
                invoice_id: inv.id,
                amount_cents: taken,
                method: PaymentMethod::Credit,
                reference: "",
                idempotency_key: &key,
                recorded_by: None,
            },
            now,
        )
        .await?;
    }
    Ok(taken)
}

/// When credit pays new invoices automatically: applies it to a just-issued invoice, in the
/// issuing transaction (after what the invoice pays for is recorded, so a fully covered
/// invoice completes it at once).
pub(crate) async fn auto_apply_credit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    svc: &Services,
    inv: &invoice::Model,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    if !svc.billing.credit_auto_apply {
        return Ok(0);
    }
    pay_from_credit(db, &svc.base_url, inv, now).await
}

/// Records full payment of what is left on an unpaid invoice (staff marking it paid, the demo,
/// tests). Exactly once: an invoice that is no longer unpaid changes nothing and gives `false`.
pub async fn record_payment(svc: &Services, invoice_id: i32) -> DomainResult<bool> {
    let now = svc.now();
    let txn = svc.db.begin().await?;
    let inv = invoice::Entity::find_by_id(invoice_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if inv.status != InvoiceStatus::Unpaid.as_str() {
        return Ok(false);
    }
    let due = inv.total_cents - inv.paid_cents;
    let key = format!("full:{}:{}", inv.id, inv.paid_cents);
    let outcome = apply(
        &txn,
        &svc.base_url,
        &NewPayment {
            invoice_id,
            amount_cents: due,
            method: PaymentMethod::Manual,
            reference: "",
            idempotency_key: &key,
            recorded_by: None,
        },
        now,
    )
    .await;
    match outcome {
        Ok(PaymentOutcome::Recorded { .. }) => {
            txn.commit().await?;
            Ok(true)
        }
        Ok(PaymentOutcome::Duplicate) | Err(DomainError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Staff record money received by hand (a bank transfer): any positive amount; above the
/// balance, the rest becomes the client's credit. `idempotency_key` comes from the form, so a
/// resubmitted form records nothing twice.
pub async fn record_manual_payment(
    svc: &Services,
    staff_id: i32,
    invoice_id: i32,
    amount_cents: i64,
    reference: &str,
    idempotency_key: &str,
) -> DomainResult<PaymentOutcome> {
    if idempotency_key.len() < 16 || idempotency_key.len() > 64 {
        return Err(DomainError::Invalid(Invalid::PaymentNote));
    }
    let txn = svc.db.begin().await?;
    let outcome = apply(
        &txn,
        &svc.base_url,
        &NewPayment {
            invoice_id,
            amount_cents,
            method: PaymentMethod::Manual,
            reference,
            idempotency_key: &format!("staff:{idempotency_key}"),
            recorded_by: Some(staff_id),
        },
        svc.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The client pays what they can of one of their unpaid invoices with their credit.
pub async fn apply_credit(svc: &Services, client_id: i32, invoice_id: i32) -> DomainResult<i64> {
    let txn = svc.db.begin().await?;
    let inv = invoice::Entity::find_by_id(invoice_id)
        .filter(invoice::Column::ClientId.eq(client_id))
        .one(&txn)
        .await?
        .filter(|i| i.status != InvoiceStatus::Draft.as_str())
        .ok_or(DomainError::NotFound)?;
    if inv.status != InvoiceStatus::Unpaid.as_str() {
        return Err(Refused::InvoiceNotUnpaid.into());
    }
    let taken = pay_from_credit(&txn, &svc.base_url, &inv, svc.now()).await?;
    if taken == 0 {
        return Err(Refused::NoCredit.into());
    }
    txn.commit().await?;
    Ok(taken)
}

pub use super::refunds::{refund_to_card, refund_to_credit};

/// A payment or refund as the invoice shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceMovement {
    pub at: DateTime<Utc>,
    pub method: PaymentMethod,
    pub amount_cents: i64,
    pub refund: bool,
    pub reference: String,
}

/// Payments and refunds of one invoice, oldest first (the caller has checked access).
pub async fn movements(
    db: &impl ConnectionTrait,
    invoice_id: i32,
) -> DomainResult<Vec<InvoiceMovement>> {
    let mut out: Vec<InvoiceMovement> = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| InvoiceMovement {
            at: p.created_at,
            method: PaymentMethod::from_db(&p.method),
            amount_cents: p.amount_cents,
            refund: false,
            reference: p.reference,
        })
        .collect();
    out.extend(
        refund::Entity::find()
            .filter(refund::Column::InvoiceId.eq(invoice_id))
            .order_by_asc(refund::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|r| InvoiceMovement {
                at: r.created_at,
                method: if r.destination == "card" {
                    PaymentMethod::Card
                } else {
                    PaymentMethod::Credit
                },
                amount_cents: r.amount_cents,
                refund: true,
                reference: r.reason,
            }),
    );
    out.sort_by_key(|m| m.at);
    Ok(out)
}

/// An amount typed by staff: "25", "25.5", "25,50" (either decimal mark, at most two decimals,
/// no thousands separators) in cents; `None` for anything else, zero or negative included.
pub fn parse_amount(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (units, frac) = match raw.split_once(['.', ',']) {
        Some((u, f)) => (u, f),
        None => (raw, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(units) || (!frac.is_empty() && !digits(frac)) || frac.len() > 2 || units.len() > 10 {
        return None;
    }
    let cents = units.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    (cents > 0).then_some(cents)
}

/// A fresh key for a payment or refund form (hidden field): a resubmission reuses it.
pub fn new_form_key() -> String {
    new_token()[..32].to_owned()
}

#[cfg(test)]
#[path = "payments_tests.rs"]
mod tests;
