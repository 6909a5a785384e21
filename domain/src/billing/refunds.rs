//! Refunds by staff, to the client's credit or back to the card that paid; and refunds made in
//! Stripe's dashboard, learnt from the `charge.refunded` event. Each is recorded once (by its
//! key), can never exceed what was paid, and a fully refunded invoice shows as refunded.
use super::{
    cards::gateway,
    credit::{self, CreditKind, Movement},
    invoices::InvoiceStatus,
    payments::MAX_NOTE,
};
use crate::{
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
pub enum Destination {
    Credit,
    Card,
}

struct NewRefund<'a> {
    amount_cents: i64,
    destination: Destination,
    reason: &'a str,
    key: String,
    staff_id: Option<i32>,
    gateway_ref: Option<String>,
    payment_id: Option<i32>,
}

fn check_form(amount_cents: i64, reason: &str, key: &str) -> DomainResult<()> {
    if amount_cents <= 0 {
        return Err(Invalid::Amount.into());
    }
    if reason.chars().count() > MAX_NOTE || key.len() < 16 || key.len() > 64 {
        return Err(Invalid::PaymentNote.into());
    }
    Ok(())
}

async fn already(db: &impl ConnectionTrait, key: &str) -> DomainResult<bool> {
    Ok(refund::Entity::find()
        .filter(refund::Column::IdempotencyKey.eq(key))
        .count(db)
        .await?
        > 0)
}

/// What can still be refunded on an invoice, or a refusal.
fn refundable(inv: &invoice::Model) -> DomainResult<i64> {
    let left = inv.paid_cents - inv.refunded_cents;
    if left <= 0 || !matches!(inv.status.as_str(), "paid" | "unpaid") {
        return Err(Refused::NothingToRefund.into());
    }
    Ok(left)
}

/// Records a refund on the invoice in the caller's transaction; a refund to credit also adds it
/// to the client's credit.
async fn record<C: ConnectionTrait>(
    txn: &C,
    inv: &invoice::Model,
    r: NewRefund<'_>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if r.amount_cents > refundable(inv)? {
        return Err(Invalid::Amount.into());
    }
    let refunded = inv.refunded_cents + r.amount_cents;
    let mut update = invoice::Entity::update_many()
        .col_expr(invoice::Column::RefundedCents, Expr::value(refunded))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(now));
    if refunded == inv.paid_cents && inv.status == InvoiceStatus::Paid.as_str() {
        update = update.col_expr(
            invoice::Column::Status,
            Expr::value(InvoiceStatus::Refunded.as_str()),
        );
    }
    let res = update
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::RefundedCents.eq(inv.refunded_cents))
        .filter(invoice::Column::PaidCents.eq(inv.paid_cents))
        .exec(txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(DomainError::Conflict(
            "the invoice changed meanwhile; try again",
        ));
    }
    let row = refund::ActiveModel {
        invoice_id: Set(inv.id),
        amount_cents: Set(r.amount_cents),
        destination: Set(match r.destination {
            Destination::Credit => "credit",
            Destination::Card => "card",
        }
        .into()),
        reason: Set(r.reason.trim().into()),
        idempotency_key: Set(r.key),
        recorded_by: Set(r.staff_id),
        created_at: Set(now),
        gateway_ref: Set(r.gateway_ref),
        payment_id: Set(r.payment_id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if r.destination == Destination::Credit {
        credit::grant(
            txn,
            Movement {
                client_id: inv.client_id,
                currency: &inv.currency,
                kind: CreditKind::Refund,
                invoice_id: Some(inv.id),
                note: r.reason,
                unique_key: format!("refund:{}", row.id),
            },
            r.amount_cents,
            now,
        )
        .await?;
    }
    Ok(())
}

async fn invoice_of(db: &impl ConnectionTrait, id: i32) -> DomainResult<invoice::Model> {
    invoice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Staff refund part or all of what was paid on an invoice to the client's credit. `false` when
/// this form's key was recorded before.
pub async fn refund_to_credit(
    svc: &Services,
    staff_id: i32,
    invoice_id: i32,
    amount_cents: i64,
    reason: &str,
    idempotency_key: &str,
) -> DomainResult<bool> {
    check_form(amount_cents, reason, idempotency_key)?;
    let key = format!("staff:{idempotency_key}");
    let txn = svc.db.begin().await?;
    if already(&txn, &key).await? {
        return Ok(false);
    }
    let inv = invoice_of(&txn, invoice_id).await?;
    let new = NewRefund {
        amount_cents,
        destination: Destination::Credit,
        reason,
        key,
        staff_id: Some(staff_id),
        gateway_ref: None,
        payment_id: None,
    };
    record(&txn, &inv, new, svc.now()).await?;
    txn.commit().await?;
    Ok(true)
}

/// What is left to refund of each card payment of an invoice, newest first.
async fn card_payments(
    db: &impl ConnectionTrait,
    invoice_id: i32,
) -> DomainResult<Vec<(payment::Model, i64)>> {
    let pays = payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(invoice_id))
        .filter(payment::Column::Method.eq("card"))
        .order_by_desc(payment::Column::Id)
        .all(db)
        .await?;
    let refunds = refund::Entity::find()
        .filter(refund::Column::InvoiceId.eq(invoice_id))
        .filter(refund::Column::Destination.eq("card"))
        .all(db)
        .await?;
    Ok(pays
        .into_iter()
        .map(|p| {
            let back: i64 = refunds
                .iter()
                .filter(|r| r.payment_id == Some(p.id))
                .map(|r| r.amount_cents)
                .sum();
            let left = p.amount_cents - back;
            (p, left)
        })
        .collect())
}

/// Staff refund part or all of a card payment back to the card, through Stripe. The request to
/// Stripe carries the form's key, so a resubmitted form (or one whose answer was lost) refunds
/// once; the refund is recorded when Stripe confirms it.
pub async fn refund_to_card(
    svc: &Services,
    staff_id: i32,
    invoice_id: i32,
    amount_cents: i64,
    reason: &str,
    idempotency_key: &str,
) -> DomainResult<bool> {
    check_form(amount_cents, reason, idempotency_key)?;
    let key = format!("staff:{idempotency_key}");
    if already(&svc.db, &key).await? {
        return Ok(false);
    }
    let inv = invoice_of(&svc.db, invoice_id).await?;
    if amount_cents > refundable(&inv)? {
        return Err(Invalid::Amount.into());
    }
    let (pay, _) = card_payments(&svc.db, inv.id)
        .await?
        .into_iter()
        .find(|(_, left)| *left >= amount_cents)
        .ok_or(Refused::NothingToRefund)?;
    let began = svc.now();
    let refund_id = gateway(svc)?
        .refund(
            &pay.reference,
            amount_cents,
            &format!("portico-refund-{key}"),
        )
        .await?;
    let txn = svc.db.begin().await?;
    if already(&txn, &key).await? {
        return Ok(false);
    }
    // Stripe's `charge.refunded` event for this very refund may have been recorded while we
    // waited for Stripe's answer, as a refund made at Stripe: that row becomes this refund
    // (the invoice's totals already count it), so the money is recorded once.
    let early = refund::Entity::find()
        .filter(refund::Column::PaymentId.eq(pay.id))
        .filter(refund::Column::RecordedBy.is_null())
        .filter(refund::Column::IdempotencyKey.starts_with("stripe:"))
        .filter(refund::Column::CreatedAt.gte(began))
        .filter(refund::Column::AmountCents.gte(amount_cents))
        .one(&txn)
        .await?;
    if let Some(row) = early {
        let rest = row.amount_cents - amount_cents;
        let mut m: refund::ActiveModel = row.clone().into();
        if rest == 0 {
            m.idempotency_key = Set(key);
            m.recorded_by = Set(Some(staff_id));
            m.reason = Set(reason.trim().into());
            m.gateway_ref = Set(Some(refund_id));
            m.update(&txn).await?;
        } else {
            // The event also carried another refund made at Stripe meanwhile: split it.
            m.amount_cents = Set(rest);
            m.update(&txn).await?;
            refund::ActiveModel {
                invoice_id: Set(row.invoice_id),
                amount_cents: Set(amount_cents),
                destination: Set("card".into()),
                reason: Set(reason.trim().into()),
                idempotency_key: Set(key),
                recorded_by: Set(Some(staff_id)),
                created_at: Set(svc.now()),
                gateway_ref: Set(Some(refund_id)),
                payment_id: Set(Some(pay.id)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        return Ok(true);
    }
    let inv = invoice_of(&txn, invoice_id).await?;
    let new = NewRefund {
        amount_cents,
        destination: Destination::Card,
        reason,
        key,
        staff_id: Some(staff_id),
        gateway_ref: Some(refund_id),
        payment_id: Some(pay.id),
    };
    match record(&txn, &inv, new, svc.now()).await {
        Ok(()) => txn.commit().await?,
        // Stripe refunded it and its event was recorded first (as a refund made at Stripe).
        Err(
            DomainError::Invalid(Invalid::Amount) | DomainError::Refused(Refused::NothingToRefund),
        ) => {}
        Err(e) => return Err(e),
    }
    Ok(true)
}

/// Stripe says a charge of `intent` has `refunded_total` refunded in all: records what Portico
/// does not know of yet (a refund made in Stripe's dashboard). `false` if nothing was new.
pub(crate) async fn record_gateway_refund(
    svc: &Services,
    intent: &str,
    charge_id: &str,
    refunded_total: i64,
) -> DomainResult<bool> {
    let txn = svc.db.begin().await?;
    let Some(pay) = payment::Entity::find()
        .filter(payment::Column::Method.eq("card"))
        .filter(payment::Column::Reference.eq(intent))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let known: i64 = refund::Entity::find()
        .filter(refund::Column::PaymentId.eq(pay.id))
        .all(&txn)
        .await?
        .iter()
        .map(|r| r.amount_cents)
        .sum();
    let new = refunded_total.min(pay.amount_cents) - known;
    if new <= 0 {
        return Ok(false);
    }
    let inv = invoice_of(&txn, pay.invoice_id).await?;
    let r = NewRefund {
        amount_cents: new.min(inv.paid_cents - inv.refunded_cents),
        destination: Destination::Card,
        reason: "Refunded at Stripe",
        key: format!("stripe:{charge_id}:{refunded_total}"),
        staff_id: None,
        gateway_ref: None,
        payment_id: Some(pay.id),
    };
    if r.amount_cents <= 0 || already(&txn, &r.key).await? {
        return Ok(false);
    }
    record(&txn, &inv, r, svc.now()).await?;
    txn.commit().await?;
    Ok(true)
}
