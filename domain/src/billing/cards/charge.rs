//! Charging invoices to saved cards, exactly once.
//!
//! Every try is a row in `card_attempts`, committed *before* Stripe is called, with an
//! idempotency key made of the invoice and the attempt number; the same key goes to Stripe as
//! its idempotency key and as metadata. An attempt whose outcome is unknown (`pending`: the
//! process died, or Stripe did not answer) is reconciled before anything else happens to its
//! invoice: Portico asks Stripe for a charge with that key and adopts its outcome, or, when Stripe
//! has none, sends the very same request again under the same key — so Stripe can never hold two
//! charges for one attempt, and no second attempt starts while one is unknown. The payment is
//! then recorded under the attempt's key, which the payments table allows once, whichever of
//! the charge run, the client's return from 3-D Secure or a webhook gets there first.
use super::{gateway, ChargeOutcome, ChargeRequest, GatewayError};
use crate::{
    accounts::Language,
    billing::{
        automation::queue_email,
        credit::{self, CreditKind, Movement},
        invoices::InvoiceStatus,
        payments::{self, NewPayment, PaymentMethod},
    },
    entities::{card, card_attempt, invoice, invoice_item, service, user},
    error::{DomainError, DomainResult, Refused},
    mail::{billing_templates::InvoiceFacts, card_templates as t},
    Services,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};

/// What a charge run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargeReport {
    pub attempted: u32,
    pub paid: u32,
    pub declined: u32,
    pub needs_action: u32,
    /// Attempts whose outcome was unknown and has been settled.
    pub reconciled: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    /// Recorded, Stripe called (or about to be): outcome unknown.
    Pending,
    /// Stripe is still processing; a webhook or the next run settles it.
    Processing,
    Succeeded,
    Declined,
    /// The client has to authenticate (3-D Secure) on-session.
    RequiresAction,
    /// Stripe refused the request itself (e.g. the card no longer exists there).
    Failed,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::Pending => "pending",
            AttemptStatus::Processing => "processing",
            AttemptStatus::Succeeded => "succeeded",
            AttemptStatus::Declined => "declined",
            AttemptStatus::RequiresAction => "requires_action",
            AttemptStatus::Failed => "failed",
        }
    }

    /// The states an attempt may reach this one from: settled attempts never change again.
    fn reachable_from(self) -> &'static [&'static str] {
        match self {
            AttemptStatus::Succeeded | AttemptStatus::Declined => {
                &["pending", "processing", "requires_action"]
            }
            _ => &["pending", "processing"],
        }
    }
}

/// What the client sees after paying by card now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayResult {
    Paid,
    Declined {
        code: String,
        message: String,
    },
    /// Go to this page of the bank's (3-D Secure), which comes back to the return URL.
    Authenticate {
        url: String,
    },
    Processing,
}

fn status_of(o: &ChargeOutcome) -> AttemptStatus {
    match o {
        ChargeOutcome::Succeeded { .. } => AttemptStatus::Succeeded,
        ChargeOutcome::Declined { code, .. } if code == "authentication_required" => {
            AttemptStatus::RequiresAction
        }
        ChargeOutcome::Declined { .. } => AttemptStatus::Declined,
        ChargeOutcome::RequiresAction { .. } => AttemptStatus::RequiresAction,
        ChargeOutcome::Pending { .. } => AttemptStatus::Processing,
    }
}

fn intent_of(o: &ChargeOutcome) -> Option<&str> {
    match o {
        ChargeOutcome::Succeeded { intent, .. }
        | ChargeOutcome::RequiresAction { intent, .. }
        | ChargeOutcome::Pending { intent } => Some(intent),
        ChargeOutcome::Declined { intent, .. } => intent.as_deref(),
    }
}

/// Settles an attempt with what Stripe says, once: the first caller to move it out of an
/// unsettled state records the payment (or the decline and its email) in the same transaction.
/// Returns whether this call did it.
pub(crate) async fn settle(
    svc: &Services,
    attempt: &card_attempt::Model,
    outcome: &ChargeOutcome,
) -> DomainResult<bool> {
    let now = svc.now();
    let status = status_of(outcome);
    let (code, message) = match outcome {
        ChargeOutcome::Declined { code, message, .. } => (code.as_str(), message.as_str()),
        _ => ("", ""),
    };
    let txn = svc.db.begin().await?;
    let mut update = card_attempt::Entity::update_many()
        .col_expr(card_attempt::Column::Status, Expr::value(status.as_str()))
        .col_expr(card_attempt::Column::ErrorCode, Expr::value(code))
        .col_expr(
            card_attempt::Column::ErrorMessage,
            Expr::value(message.chars().take(500).collect::<String>()),
        )
        .col_expr(card_attempt::Column::UpdatedAt, Expr::value(now));
    if let Some(intent) = intent_of(outcome) {
        update = update.col_expr(card_attempt::Column::IntentId, Expr::value(intent));
    }
    let moved = update
        .filter(card_attempt::Column::Id.eq(attempt.id))
        .filter(card_attempt::Column::Status.is_in(status.reachable_from().iter().copied()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(false);
    }
    match outcome {
        ChargeOutcome::Succeeded {
            intent,
            amount_cents,
        } => record_card_payment(&txn, svc, attempt, intent, *amount_cents, now).await?,
        ChargeOutcome::Declined { .. } | ChargeOutcome::RequiresAction { .. }
            if attempt.off_session =>
        {
            tell_client(&txn, svc, attempt, status, now).await?;
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(true)
}

/// The money arrived: it pays the invoice, or, if the invoice was settled some other way
/// meanwhile (a bank transfer, staff), it becomes the client's credit — never lost.
async fn record_card_payment<C: ConnectionTrait + TransactionTrait>(
    txn: &C,
    svc: &Services,
    a: &card_attempt::Model,
    intent: &str,
    amount_cents: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let paid = payments::apply(
        txn,
        &svc.base_url,
        &NewPayment {
            invoice_id: a.invoice_id,
            amount_cents,
            method: PaymentMethod::Card,
            reference: intent,
            idempotency_key: &a.idempotency_key,
            recorded_by: None,
        },
        now,
    )
    .await;
    match paid {
        Ok(_) => Ok(()),
        Err(DomainError::Refused(Refused::InvoiceNotUnpaid)) => {
            credit::grant(
                txn,
                Movement {
                    client_id: a.client_id,
                    currency: &a.currency,
                    kind: CreditKind::Overpayment,
                    invoice_id: Some(a.invoice_id),
                    note: intent,
                    unique_key: format!("card:{}", a.idempotency_key),
                },
                amount_cents,
                now,
            )
            .await?;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Emails the client about an off-session attempt that did not go through.
async fn tell_client(
    txn: &impl ConnectionTrait,
    svc: &Services,
    a: &card_attempt::Model,
    status: AttemptStatus,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let (Some(inv), Some(u)) = (
        invoice::Entity::find_by_id(a.invoice_id).one(txn).await?,
        user::Entity::find_by_id(a.client_id).one(txn).await?,
    ) else {
        return Ok(());
    };
    let lang = Language::from_db(&u.language);
    let link = format!("{}/invoices/{}#pay", svc.base_url, inv.id);
    let facts = InvoiceFacts {
        number: inv.number.as_deref().unwrap_or_default(),
        total_cents: inv.total_cents - inv.paid_cents,
        currency: &inv.currency,
        due_on: inv.due_on,
        link: &link,
    };
    let (kind, content) = if status == AttemptStatus::RequiresAction {
        (
            "card_action_required",
            t::card_authentication_required(lang, &u.name, &facts),
        )
    } else {
        let card = card::Entity::find()
            .filter(card::Column::GatewayRef.eq(&a.card_ref))
            .one(txn)
            .await?;
        let label = card
            .map(|c| t::card_label(lang, &c.brand, &c.last4))
            .unwrap_or_else(|| t::card_label(lang, "card", "····"));
        let next = next_try(txn, svc, a).await?;
        (
            "card_declined",
            t::card_declined(lang, &u.name, &facts, &label, next),
        )
    };
    queue_email(txn, &u, kind, content, now).await
}

/// The off-session attempts of one invoice with one card, oldest first.
async fn card_tries(
    db: &impl ConnectionTrait,
    invoice_id: i32,
    card_ref: &str,
) -> DomainResult<Vec<card_attempt::Model>> {
    Ok(card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(invoice_id))
        .filter(card_attempt::Column::CardRef.eq(card_ref))
        .filter(card_attempt::Column::OffSession.eq(true))
        .order_by_asc(card_attempt::Column::AttemptNo)
        .all(db)
        .await?)
}

/// When the card is tried again after the attempts so far: the retry schedule counts days from
/// the first attempt (default 3 and 7: three attempts over seven days); `None` once used up.
fn retry_day(svc: &Services, tries: &[card_attempt::Model]) -> Option<NaiveDate> {
    let first = tries.first()?.created_at.date_naive();
    let n = tries.len();
    svc.billing
        .card_retry_days
        .get(n.checked_sub(1)?)
        .map(|d| first + Duration::days((*d).into()))
}

async fn next_try(
    db: &impl ConnectionTrait,
    svc: &Services,
    a: &card_attempt::Model,
) -> DomainResult<Option<NaiveDate>> {
    Ok(retry_day(
        svc,
        &card_tries(db, a.invoice_id, &a.card_ref).await?,
    ))
}

/// Asks Stripe what became of an attempt whose outcome is unknown, and settles it. When Stripe
/// has no charge for it, the same request goes again under the same idempotency key. `Ok(false)`
/// when Stripe still cannot say (the attempt stays unknown; nothing new may start).
async fn reconcile(svc: &Services, a: &card_attempt::Model) -> DomainResult<bool> {
    let gw = gateway(svc)?;
    let customer = super::customer_of(svc, gw.as_ref(), a.client_id).await?;
    let looked = match &a.intent_id {
        Some(intent) => gw.intent(intent).await.map(Some),
        None => {
            gw.find_charge(&customer, &a.idempotency_key, a.created_at.timestamp())
                .await
        }
    };
    let outcome = match looked {
        Ok(Some(found)) => Ok(found.outcome),
        Ok(None) => send(svc, a, &customer, None).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(ChargeOutcome::Pending { intent }) => {
            keep_intent(svc, a, &intent).await?;
            Ok(false)
        }
        Ok(o) => {
            settle(svc, a, &o).await?;
            Ok(true)
        }
        Err(GatewayError::Unavailable(e)) => {
            tracing::warn!(attempt = a.id, error = %e, "card attempt still unknown");
            Ok(false)
        }
        Err(GatewayError::Rejected { code, message }) => {
            fail(svc, a, &code, &message).await?;
            Ok(true)
        }
    }
}

async fn keep_intent(svc: &Services, a: &card_attempt::Model, intent: &str) -> DomainResult<()> {
    card_attempt::Entity::update_many()
        .col_expr(
            card_attempt::Column::Status,
            Expr::value(AttemptStatus::Processing.as_str()),
        )
        .col_expr(card_attempt::Column::IntentId, Expr::value(intent))
        .filter(card_attempt::Column::Id.eq(a.id))
        .filter(card_attempt::Column::Status.is_in(["pending", "processing"]))
        .exec(&svc.db)
        .await?;
    Ok(())
}

/// Stripe refused the request itself: nothing was charged; the attempt is closed.
async fn fail(
    svc: &Services,
    a: &card_attempt::Model,
    code: &str,
    message: &str,
) -> DomainResult<()> {
    tracing::warn!(
        attempt = a.id,
        code,
        "card processor refused a charge request"
    );
    card_attempt::Entity::update_many()
        .col_expr(
            card_attempt::Column::Status,
            Expr::value(AttemptStatus::Failed.as_str()),
        )
        .col_expr(card_attempt::Column::ErrorCode, Expr::value(code))
        .col_expr(
            card_attempt::Column::ErrorMessage,
            Expr::value(message.chars().take(500).collect::<String>()),
        )
        .col_expr(card_attempt::Column::UpdatedAt, Expr::value(svc.now()))
        .filter(card_attempt::Column::Id.eq(a.id))
        .filter(card_attempt::Column::Status.is_in(["pending", "processing"]))
        .exec(&svc.db)
        .await?;
    Ok(())
}

/// Sends an attempt's charge to Stripe under its key.
async fn send(
    svc: &Services,
    a: &card_attempt::Model,
    customer: &str,
    return_url: Option<&str>,
) -> Result<ChargeOutcome, GatewayError> {
    let gw = svc
        .cards
        .clone()
        .ok_or_else(|| GatewayError::Unavailable("card payments are not set up".into()))?;
    let description = format!("Invoice {}", a.invoice_id);
    gw.charge(&ChargeRequest {
        customer,
        payment_method: &a.card_ref,
        amount_cents: a.amount_cents,
        currency: &a.currency,
        attempt_key: &a.idempotency_key,
        invoice_id: a.invoice_id,
        description: &description,
        off_session: a.off_session,
        return_url,
    })
    .await
}

/// Records a new attempt (committed before Stripe hears of it). The unique attempt number per
/// invoice keeps two racing callers from both starting one.
async fn new_attempt(
    svc: &Services,
    inv: &invoice::Model,
    card_ref: &str,
    off_session: bool,
) -> DomainResult<card_attempt::Model> {
    let last = card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(inv.id))
        .select_only()
        .column_as(card_attempt::Column::AttemptNo.max(), "n")
        .into_tuple::<Option<i32>>()
        .one(&svc.db)
        .await?
        .flatten()
        .unwrap_or(0);
    let no = last + 1;
    let now = svc.now();
    let inserted = card_attempt::ActiveModel {
        invoice_id: Set(inv.id),
        client_id: Set(inv.client_id),
        attempt_no: Set(no),
        idempotency_key: Set(format!("portico-inv{}-try{no}", inv.id)),
        card_ref: Set(card_ref.to_owned()),
        amount_cents: Set(inv.total_cents - inv.paid_cents),
        currency: Set(inv.currency.clone()),
        off_session: Set(off_session),
        status: Set(AttemptStatus::Pending.as_str().into()),
        intent_id: Set(None),
        error_code: Set(String::new()),
        error_message: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&svc.db)
    .await;
    match inserted {
        Ok(a) => Ok(a),
        Err(e) if e.sql_err().is_some() => Err(DomainError::Conflict(
            "another payment of this invoice started meanwhile",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Reconciles every unknown attempt of an invoice; `false` if one is still unknown.
async fn reconcile_invoice(svc: &Services, invoice_id: i32) -> DomainResult<(bool, u32)> {
    let open = card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(invoice_id))
        .filter(card_attempt::Column::Status.is_in(["pending", "processing"]))
        .all(&svc.db)
        .await?;
    let mut settled = 0;
    for a in &open {
        if reconcile(svc, a).await? {
            settled += 1;
        } else {
            return Ok((false, settled));
        }
    }
    Ok((true, settled))
}

/// The unpaid invoices with something to pay that bill a service on the card gateway (`only`:
/// just that one, if it is such an invoice). One query, whatever the history's size.
async fn card_invoices(
    db: &impl ConnectionTrait,
    only: Option<i32>,
) -> DomainResult<Vec<invoice::Model>> {
    let card_services = service::Entity::find()
        .filter(service::Column::Gateway.eq("card"))
        .select_only()
        .column(service::Column::Id)
        .into_query();
    let billed = invoice_item::Entity::find()
        .filter(invoice_item::Column::ServiceId.in_subquery(card_services))
        .select_only()
        .column(invoice_item::Column::InvoiceId)
        .into_query();
    let mut q = invoice::Entity::find()
        .filter(invoice::Column::Id.in_subquery(billed))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Unpaid.as_str()));
    if let Some(id) = only {
        q = q.filter(invoice::Column::Id.eq(id));
    }
    Ok(q.order_by_asc(invoice::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| i.total_cents > i.paid_cents)
        .collect())
}

/// Billing-run step: settles attempts left unknown, then charges each unpaid card-gateway
/// invoice whose client has a valid default card — a new invoice at once, a declined one on the
/// retry schedule, one that needs authentication not again (the client confirms it).
pub(crate) async fn run(svc: &Services, as_of: NaiveDate) -> DomainResult<ChargeReport> {
    let mut r = ChargeReport::default();
    if svc.cards.is_none() {
        return Ok(r);
    }
    for inv in card_invoices(&svc.db, None).await? {
        let (clear, settled) = reconcile_invoice(svc, inv.id).await?;
        r.reconciled += settled;
        if !clear {
            continue;
        }
        let Some(status) = charge_if_due(svc, inv.id, as_of).await? else {
            continue;
        };
        r.attempted += 1;
        match status {
            Some(AttemptStatus::Succeeded) => r.paid += 1,
            Some(AttemptStatus::Declined) => r.declined += 1,
            Some(AttemptStatus::RequiresAction) => r.needs_action += 1,
            _ => {}
        }
    }
    Ok(r)
}

/// Charges a just-issued invoice (an upgrade) off-session at once when it bills a service on
/// the card gateway and the client has a valid default card: the same rules as a run.
pub async fn charge_new_invoice(svc: &Services, invoice_id: i32) -> DomainResult<()> {
    if svc.cards.is_none() || card_invoices(&svc.db, Some(invoice_id)).await?.is_empty() {
        return Ok(());
    }
    charge_if_due(svc, invoice_id, svc.now().date_naive()).await?;
    svc.mailer.deliver_pending(svc).await?;
    Ok(())
}

/// Makes the next off-session attempt on an unpaid invoice if one is due with the client's
/// default card. `None`: nothing was due; `Some(None)`: tried, outcome unknown (the next run
/// reconciles it); `Some(Some(status))`: how it ended.
async fn charge_if_due(
    svc: &Services,
    invoice_id: i32,
    as_of: NaiveDate,
) -> DomainResult<Option<Option<AttemptStatus>>> {
    let Some(inv) = invoice::Entity::find_by_id(invoice_id).one(&svc.db).await? else {
        return Ok(None);
    };
    if inv.status != InvoiceStatus::Unpaid.as_str() || inv.total_cents <= inv.paid_cents {
        return Ok(None);
    }
    let Some(card) = super::chargeable_card(&svc.db, inv.client_id, as_of).await? else {
        return Ok(None); // no saved card: the invoice waits to be paid by hand
    };
    let tries = card_tries(&svc.db, inv.id, &card.gateway_ref).await?;
    let due = match tries.last() {
        None => true,
        Some(last) if last.status == AttemptStatus::Declined.as_str() => {
            retry_day(svc, &tries).is_some_and(|d| as_of >= d)
        }
        // Waiting for the client to authenticate, or Stripe refused the request.
        Some(_) => false,
    };
    if !due {
        return Ok(None);
    }
    let a = match new_attempt(svc, &inv, &card.gateway_ref, true).await {
        Ok(a) => a,
        Err(DomainError::Conflict(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let customer = super::customer_of(svc, gateway(svc)?.as_ref(), inv.client_id).await?;
    Ok(Some(match send(svc, &a, &customer, None).await {
        Ok(ChargeOutcome::Pending { intent }) => {
            keep_intent(svc, &a, &intent).await?;
            Some(AttemptStatus::Processing)
        }
        Ok(o) => {
            settle(svc, &a, &o).await?;
            Some(status_of(&o))
        }
        // Unknown outcome: the attempt stays pending and the next run reconciles it.
        Err(GatewayError::Unavailable(e)) => {
            tracing::warn!(attempt = a.id, error = %e, "card charge outcome unknown");
            None
        }
        Err(GatewayError::Rejected { code, message }) => {
            fail(svc, &a, &code, &message).await?;
            Some(AttemptStatus::Failed)
        }
    }))
}

fn pay_result(o: &ChargeOutcome) -> PayResult {
    match o {
        ChargeOutcome::Succeeded { .. } => PayResult::Paid,
        ChargeOutcome::Declined { code, message, .. } => PayResult::Declined {
            code: code.clone(),
            message: message.clone(),
        },
        ChargeOutcome::RequiresAction {
            redirect_url: Some(url),
            ..
        } => PayResult::Authenticate { url: url.clone() },
        ChargeOutcome::RequiresAction { .. } | ChargeOutcome::Pending { .. } => {
            PayResult::Processing
        }
    }
}

async fn own_unpaid(
    svc: &Services,
    client_id: i32,
    invoice_id: i32,
) -> DomainResult<invoice::Model> {
    let inv = invoice::Entity::find_by_id(invoice_id)
        .filter(invoice::Column::ClientId.eq(client_id))
        .one(&svc.db)
        .await?
        .filter(|i| i.status != InvoiceStatus::Draft.as_str())
        .ok_or(DomainError::NotFound)?;
    if inv.status != InvoiceStatus::Unpaid.as_str() {
        return Err(Refused::InvoiceNotUnpaid.into());
    }
    Ok(inv)
}

/// The client pays one of their unpaid invoices now with a saved card (`card_id`, or the
/// default). Credit is applied first; an attempt still unknown is reconciled before a new one.
/// `return_url` is where the bank's 3-D Secure page sends the client back to.
pub async fn pay_now(
    svc: &Services,
    client_id: i32,
    invoice_id: i32,
    card_id: Option<i32>,
    return_url: &str,
) -> DomainResult<PayResult> {
    let inv = own_unpaid(svc, client_id, invoice_id).await?;
    {
        let txn = svc.db.begin().await?;
        payments::pay_from_credit(&txn, &svc.base_url, &inv, svc.now()).await?;
        txn.commit().await?;
    }
    let (clear, _) = reconcile_invoice(svc, inv.id).await?;
    let inv = match own_unpaid(svc, client_id, invoice_id).await {
        Ok(inv) if inv.total_cents > inv.paid_cents => inv,
        Ok(_) | Err(DomainError::Refused(Refused::InvoiceNotUnpaid)) => {
            svc.mailer.deliver_pending(svc).await?;
            return Ok(PayResult::Paid);
        }
        Err(e) => return Err(e),
    };
    if !clear {
        return Ok(PayResult::Processing);
    }
    let today = svc.now().date_naive();
    let card = match card_id {
        Some(id) => card::Entity::find_by_id(id)
            .filter(card::Column::ClientId.eq(client_id))
            .one(&svc.db)
            .await?
            .ok_or(DomainError::NotFound)?,
        None => super::chargeable_card(&svc.db, client_id, today)
            .await?
            .ok_or(Refused::NoCard)?,
    };
    if super::is_expired(card.exp_month, card.exp_year, today) {
        return Err(Refused::NoCard.into());
    }
    let gw = gateway(svc)?;
    let customer = super::customer_of(svc, gw.as_ref(), client_id).await?;
    let a = new_attempt(svc, &inv, &card.gateway_ref, false).await?;
    let result = match send(svc, &a, &customer, Some(return_url)).await {
        Ok(o) => {
            if let ChargeOutcome::Pending { intent } = &o {
                keep_intent(svc, &a, intent).await?;
            } else {
                settle(svc, &a, &o).await?;
            }
            pay_result(&o)
        }
        Err(GatewayError::Unavailable(e)) => {
            tracing::warn!(attempt = a.id, error = %e, "card charge outcome unknown");
            return Err(Refused::CardProcessor.into());
        }
        Err(GatewayError::Rejected { code, message }) => {
            fail(svc, &a, &code, &message).await?;
            return Err(Refused::CardProcessor.into());
        }
    };
    svc.mailer.deliver_pending(svc).await?;
    Ok(result)
}

/// The client confirms, on-session, an invoice whose automatic charge needs authentication:
/// the same as paying now with the card that was tried.
pub async fn confirm_authentication(
    svc: &Services,
    client_id: i32,
    invoice_id: i32,
    return_url: &str,
) -> DomainResult<PayResult> {
    let waiting = card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(invoice_id))
        .filter(card_attempt::Column::ClientId.eq(client_id))
        .filter(card_attempt::Column::Status.eq(AttemptStatus::RequiresAction.as_str()))
        .order_by_desc(card_attempt::Column::AttemptNo)
        .one(&svc.db)
        .await?;
    let card_id = match waiting {
        Some(a) => card::Entity::find()
            .filter(card::Column::GatewayRef.eq(&a.card_ref))
            .filter(card::Column::ClientId.eq(client_id))
            .one(&svc.db)
            .await?
            .map(|c| c.id),
        None => None,
    };
    pay_now(svc, client_id, invoice_id, card_id, return_url).await
}

/// The client is back from the bank's 3-D Secure page: Stripe says how it ended.
pub async fn return_from_authentication(
    svc: &Services,
    client_id: i32,
    invoice_id: i32,
    intent_id: &str,
) -> DomainResult<PayResult> {
    let a = card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(invoice_id))
        .filter(card_attempt::Column::ClientId.eq(client_id))
        .filter(card_attempt::Column::IntentId.eq(intent_id))
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let found = gateway(svc)?.intent(intent_id).await?;
    settle(svc, &a, &found.outcome).await?;
    svc.mailer.deliver_pending(svc).await?;
    Ok(pay_result(&found.outcome))
}

/// What the invoice page says about card payments: the latest attempt, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastAttempt {
    pub status: AttemptStatus,
    pub at: DateTime<Utc>,
    pub error_code: String,
    pub next_try: Option<NaiveDate>,
}

pub async fn last_attempt(
    svc: &Services,
    client_id: i32,
    invoice_id: i32,
) -> DomainResult<Option<LastAttempt>> {
    let Some(a) = card_attempt::Entity::find()
        .filter(card_attempt::Column::InvoiceId.eq(invoice_id))
        .filter(card_attempt::Column::ClientId.eq(client_id))
        .order_by_desc(card_attempt::Column::AttemptNo)
        .one(&svc.db)
        .await?
    else {
        return Ok(None);
    };
    let status = match a.status.as_str() {
        "pending" => AttemptStatus::Pending,
        "processing" => AttemptStatus::Processing,
        "succeeded" => AttemptStatus::Succeeded,
        "declined" => AttemptStatus::Declined,
        "requires_action" => AttemptStatus::RequiresAction,
        _ => AttemptStatus::Failed,
    };
    let next_try = if status == AttemptStatus::Declined && a.off_session {
        next_try(&svc.db, svc, &a).await?
    } else {
        None
    };
    Ok(Some(LastAttempt {
        status,
        at: a.created_at,
        error_code: a.error_code,
        next_try,
    }))
}
