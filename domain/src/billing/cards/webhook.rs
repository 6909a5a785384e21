//! Stripe's events (`POST /webhooks/stripe`). The signature is checked (HMAC-SHA256 of
//! "timestamp.payload" with the endpoint secret, within a time tolerance), each event id is
//! handled once, and handling is idempotent and order-independent: an event only moves an
//! attempt out of an unsettled state (`charge::settle`), so a late `payment_failed` cannot undo a
//! `succeeded`, and the payment itself is keyed by its attempt.
use super::{charge, ChargeOutcome};
use crate::{
    billing::refunds,
    entities::{card, card_attempt, user, webhook_event},
    error::{DomainError, DomainResult},
    Services,
};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, EntityTrait, QueryFilter, Set,
};
use serde_json::Value;
use sha2::Sha256;

/// How old a signed timestamp may be (Stripe's libraries use five minutes).
pub const TOLERANCE_SECONDS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("missing or malformed Stripe-Signature header")]
    Header,
    #[error("no signature matches")]
    Signature,
    #[error("the signed timestamp is outside the tolerance")]
    Timestamp,
    #[error("the payload is not a Stripe event")]
    Payload,
}

/// Checks a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`) against the payload.
pub fn verify(
    secret: &str,
    header: &str,
    payload: &[u8],
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(hex::decode(v).map_err(|_| WebhookError::Header)?),
            _ => {}
        }
    }
    let t = timestamp.ok_or(WebhookError::Header)?;
    if signatures.is_empty() {
        return Err(WebhookError::Header);
    }
    let matches = signatures.iter().any(|sig| {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        mac.verify_slice(sig).is_ok()
    });
    if !matches {
        return Err(WebhookError::Signature);
    }
    if (now.timestamp() - t).abs() > TOLERANCE_SECONDS {
        return Err(WebhookError::Timestamp);
    }
    Ok(())
}

/// What became of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Processed,
    /// Seen before: nothing done.
    Duplicate,
    /// An event Portico does not act on, or about an object that is not Portico's.
    Ignored,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// A verified payload as an event: JSON with an id and a type.
pub fn parse(payload: &[u8]) -> Result<Value, WebhookError> {
    let event: Value = serde_json::from_slice(payload).map_err(|_| WebhookError::Payload)?;
    match (str_at(&event, &["id"]), str_at(&event, &["type"])) {
        (Some(_), Some(_)) => Ok(event),
        _ => Err(WebhookError::Payload),
    }
}

/// Handles a verified, parsed event. The event id is recorded only after handling succeeded,
/// so an event that failed half-way is handled again when Stripe retries it; handling is
/// idempotent, so a retry (or a replay) changes nothing that was done.
pub async fn handle(svc: &Services, event: &Value) -> DomainResult<Handled> {
    let (Some(id), Some(kind)) = (str_at(event, &["id"]), str_at(event, &["type"])) else {
        return Ok(Handled::Ignored);
    };
    if webhook_event::Entity::find_by_id(id)
        .one(&svc.db)
        .await?
        .is_some()
    {
        return Ok(Handled::Duplicate);
    }
    let object = event
        .pointer("/data/object")
        .cloned()
        .unwrap_or(Value::Null);
    let handled = match kind {
        "payment_intent.succeeded"
        | "payment_intent.payment_failed"
        | "payment_intent.requires_action" => payment_intent(svc, kind, &object).await?,
        "setup_intent.succeeded" => setup_intent(svc, &object).await?,
        "payment_method.updated" | "payment_method.automatically_updated" => {
            payment_method_updated(svc, &object).await?
        }
        "payment_method.detached" => match str_at(&object, &["id"]) {
            Some(pm) => {
                super::forget_card(&svc.db, pm, svc.now()).await?;
                Handled::Processed
            }
            None => Handled::Ignored,
        },
        "charge.refunded" => charge_refunded(svc, &object).await?,
        "charge.dispute.created" => {
            // Disputes are settled in Stripe's dashboard; staff are told through the log.
            tracing::warn!(
                charge = str_at(&object, &["charge"]).unwrap_or_default(),
                "a card payment is disputed"
            );
            Handled::Processed
        }
        _ => Handled::Ignored,
    };
    let inserted = webhook_event::Entity::insert(webhook_event::ActiveModel {
        id: Set(id.to_owned()),
        kind: Set(kind.chars().take(100).collect()),
        received_at: Set(svc.now()),
    })
    .on_conflict(
        OnConflict::column(webhook_event::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&svc.db)
    .await?;
    svc.mailer.deliver_pending(svc).await?;
    Ok(if inserted == 1 {
        handled
    } else {
        Handled::Duplicate
    })
}

async fn payment_intent(svc: &Services, kind: &str, pi: &Value) -> DomainResult<Handled> {
    let Some(intent) = str_at(pi, &["id"]) else {
        return Ok(Handled::Ignored);
    };
    let by_key = str_at(pi, &["metadata", "portico_attempt"]);
    let attempt = match by_key {
        Some(key) => {
            card_attempt::Entity::find()
                .filter(card_attempt::Column::IdempotencyKey.eq(key))
                .one(&svc.db)
                .await?
        }
        None => {
            card_attempt::Entity::find()
                .filter(card_attempt::Column::IntentId.eq(intent))
                .one(&svc.db)
                .await?
        }
    };
    let Some(attempt) = attempt else {
        return Ok(Handled::Ignored);
    };
    let error = pi.get("last_payment_error");
    let outcome = match kind {
        "payment_intent.succeeded" => ChargeOutcome::Succeeded {
            intent: intent.to_owned(),
            amount_cents: pi
                .get("amount_received")
                .and_then(Value::as_i64)
                .unwrap_or(attempt.amount_cents),
        },
        "payment_intent.requires_action" => ChargeOutcome::RequiresAction {
            intent: intent.to_owned(),
            redirect_url: None,
        },
        _ => ChargeOutcome::Declined {
            intent: Some(intent.to_owned()),
            code: error
                .and_then(|e| str_at(e, &["code"]))
                .unwrap_or("card_declined")
                .to_owned(),
            message: error
                .and_then(|e| str_at(e, &["message"]))
                .unwrap_or_default()
                .to_owned(),
        },
    };
    charge::settle(svc, &attempt, &outcome).await?;
    Ok(Handled::Processed)
}

/// A card saved in the browser (Stripe.js) is stored even if the client closed the page before
/// Portico heard back from it.
async fn setup_intent(svc: &Services, si: &Value) -> DomainResult<Handled> {
    let (Some(id), Some(customer)) = (str_at(si, &["id"]), str_at(si, &["customer"])) else {
        return Ok(Handled::Ignored);
    };
    let Some(client) = user::Entity::find()
        .filter(user::Column::StripeCustomerId.eq(customer))
        .one(&svc.db)
        .await?
    else {
        return Ok(Handled::Ignored);
    };
    match super::finish_setup(svc, client.id, id).await {
        Ok(_) => Ok(Handled::Processed),
        // Not this client's, not succeeded, or the card was removed since.
        Err(DomainError::NotFound | DomainError::Refused(_)) => Ok(Handled::Ignored),
        Err(e) => Err(e),
    }
}

async fn payment_method_updated(svc: &Services, pm: &Value) -> DomainResult<Handled> {
    let Some(id) = str_at(pm, &["id"]) else {
        return Ok(Handled::Ignored);
    };
    let (Some(month), Some(year)) = (
        pm.pointer("/card/exp_month").and_then(Value::as_i64),
        pm.pointer("/card/exp_year").and_then(Value::as_i64),
    ) else {
        return Ok(Handled::Ignored);
    };
    let mut update = card::Entity::update_many()
        .col_expr(card::Column::ExpMonth, Expr::value(month as i32))
        .col_expr(card::Column::ExpYear, Expr::value(year as i32))
        .col_expr(card::Column::UpdatedAt, Expr::value(svc.now()));
    if let Some(last4) = pm.pointer("/card/last4").and_then(Value::as_str) {
        update = update.col_expr(card::Column::Last4, Expr::value(last4));
    }
    update
        .filter(card::Column::GatewayRef.eq(id))
        .exec(&svc.db)
        .await?;
    Ok(Handled::Processed)
}

/// A refund made in Stripe's dashboard (or one Portico asked for but did not get to record)
/// is recorded on the invoice: what Stripe has refunded beyond what Portico knows of.
async fn charge_refunded(svc: &Services, charge: &Value) -> DomainResult<Handled> {
    let (Some(charge_id), Some(intent), Some(refunded)) = (
        str_at(charge, &["id"]),
        str_at(charge, &["payment_intent"]),
        charge.get("amount_refunded").and_then(Value::as_i64),
    ) else {
        return Ok(Handled::Ignored);
    };
    Ok(
        if refunds::record_gateway_refund(svc, intent, charge_id, refunded).await? {
            Handled::Processed
        } else {
            Handled::Ignored
        },
    )
}
