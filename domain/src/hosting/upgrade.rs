//! Upgrades and downgrades: the plans a service may move to, the prorated quote (see
//! [`crate::billing::proration`]), and the order. Confirming creates an upgrade order with an
//! invoice; the plan changes when that invoice is paid, or at once when nothing is due. An
//! order left unpaid past its `cancel_after` date is cancelled with its invoice.
use crate::{
    billing::{
        credit,
        invoices::{self, NewItem},
        payments,
        proration::{prorate, BillingCycle, Proration, ProrationInput},
    },
    entities::{plan, plan_change, plan_price, service, service_upgrade, user},
    error::{DomainError, DomainResult, Invalid},
    Services,
};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOption {
    pub plan_id: i32,
    pub plan_name: String,
    pub cycle: BillingCycle,
    pub price_cents: i64,
    pub is_upgrade: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUpgrade {
    pub to_plan_name: String,
    pub to_cycle: BillingCycle,
    pub amount_due_cents: i64,
    pub invoice_id: Option<i32>,
    pub cancel_after: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub current_plan: String,
    pub current_price_cents: i64,
    pub options: Vec<PlanOption>,
    pub pending: Option<PendingUpgrade>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub option: PlanOption,
    pub currency: String,
    pub current_price_cents: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub today: NaiveDate,
    pub proration: Proration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to pay: the plan changed now.
    Applied,
    /// The invoice to pay; the plan changes when it is paid.
    Invoiced { invoice_id: i32 },
}

/// A money amount in cents (amounts here are already rounded to cents).
pub fn cents(d: Decimal) -> DomainResult<i64> {
    (d * Decimal::ONE_HUNDRED)
        .round()
        .try_into()
        .map_err(|_| DomainError::Internal("amount out of range".into()))
}

async fn own_active_service(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
) -> DomainResult<service::Model> {
    let s = service::Entity::find_by_id(service_id)
        .filter(service::Column::ClientId.eq(client_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if s.status != "active" {
        return Err(Invalid::ServiceNotActive.into());
    }
    Ok(s)
}

/// Plans and cycles the client may move this service to, and any unpaid upgrade.
pub async fn options(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
) -> DomainResult<Options> {
    let s = own_active_service(db, client_id, service_id).await?;
    let current = plan::Entity::find_by_id(s.plan_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let targets: Vec<i32> = plan_change::Entity::find()
        .filter(plan_change::Column::FromPlanId.eq(s.plan_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.to_plan_id)
        .collect();
    let plans = plan::Entity::find()
        .filter(plan::Column::Id.is_in(targets))
        .filter(plan::Column::Active.eq(true))
        .filter(plan::Column::Currency.eq(&s.currency))
        .order_by_asc(plan::Column::SortOrder)
        .all(db)
        .await?;
    let mut options = Vec::new();
    for p in plans {
        let prices = plan_price::Entity::find()
            .filter(plan_price::Column::PlanId.eq(p.id))
            .all(db)
            .await?;
        let mut these: Vec<PlanOption> = prices
            .into_iter()
            .filter_map(|pr| {
                Some(PlanOption {
                    plan_id: p.id,
                    plan_name: p.name.clone(),
                    cycle: BillingCycle::parse(&pr.cycle)?,
                    price_cents: pr.amount_cents,
                    is_upgrade: p.sort_order > current.sort_order,
                })
            })
            .collect();
        these.sort_by_key(|o| o.cycle.months());
        options.extend(these);
    }
    Ok(Options {
        current_plan: current.name,
        current_price_cents: s.amount_cents,
        options,
        pending: pending(db, service_id).await?,
    })
}

async fn pending(
    db: &impl ConnectionTrait,
    service_id: i32,
) -> DomainResult<Option<PendingUpgrade>> {
    let Some(o) = service_upgrade::Entity::find()
        .filter(service_upgrade::Column::ServiceId.eq(service_id))
        .filter(service_upgrade::Column::Status.eq("pending"))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let name = plan::Entity::find_by_id(o.to_plan_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    Ok(Some(PendingUpgrade {
        to_plan_name: name,
        to_cycle: BillingCycle::parse(&o.to_cycle).unwrap_or(BillingCycle::Monthly),
        amount_due_cents: o.amount_due_cents,
        invoice_id: o.invoice_id,
        cancel_after: o.cancel_after,
    }))
}

/// The prorated price of moving to `plan_id` on `cycle` today: credit for the unused days of
/// the paid period against the new price for the same days.
pub async fn quote(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
    plan_id: i32,
    cycle: BillingCycle,
    today: NaiveDate,
) -> DomainResult<Quote> {
    let s = own_active_service(db, client_id, service_id).await?;
    let opts = options(db, client_id, service_id).await?;
    let option = opts
        .options
        .into_iter()
        .find(|o| o.plan_id == plan_id && o.cycle == cycle)
        .ok_or(Invalid::PlanChange)?;
    let current_cycle = BillingCycle::parse(&s.cycle)
        .ok_or_else(|| DomainError::Internal(format!("service {}: bad cycle", s.id)))?;
    let period_end = s.next_due_on;
    let period_start = period_end
        .checked_sub_months(Months::new(current_cycle.months()))
        .unwrap_or(period_end);
    let proration = prorate(&ProrationInput {
        current_price: Decimal::new(s.amount_cents, 2),
        period_start,
        period_end,
        new_price: Decimal::new(option.price_cents, 2),
        new_cycle: cycle,
        today,
    })
    .map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(Quote {
        option,
        currency: s.currency,
        current_price_cents: s.amount_cents,
        period_start,
        period_end,
        today,
        proration,
    })
}

fn describe(language: &str, domain: &str, q: &Quote) -> String {
    let (from, to) = (q.today, q.period_end);
    match language {
        "es" => format!(
            "Cambio de plan de {domain} a {}: del {from} al {to} ({} días; abono de {} días no usados)",
            q.option.plan_name, q.proration.days_remaining, q.proration.days_remaining
        ),
        _ => format!(
            "Plan change of {domain} to {}: {from} to {to} ({} days; credit for {} unused days)",
            q.option.plan_name, q.proration.days_remaining, q.proration.days_remaining
        ),
    }
}

/// Places the order. One unpaid upgrade per service (the database enforces it too).
pub async fn confirm(
    svc: &Services,
    client_id: i32,
    service_id: i32,
    plan_id: i32,
    cycle: BillingCycle,
    now: DateTime<Utc>,
) -> DomainResult<Outcome> {
    let today = now.date_naive();
    let cancel_after_days = svc.billing.upgrade_cancel_days;
    let txn = svc.db.begin().await?;
    if pending(&txn, service_id).await?.is_some() {
        return Err(Invalid::UpgradePending.into());
    }
    let q = quote(&txn, client_id, service_id, plan_id, cycle, today).await?;
    let s = own_active_service(&txn, client_id, service_id).await?;
    let amount_due = cents(q.proration.amount_due)?;
    let order = service_upgrade::ActiveModel {
        service_id: Set(service_id),
        client_id: Set(client_id),
        from_plan_id: Set(s.plan_id),
        to_plan_id: Set(plan_id),
        from_cycle: Set(s.cycle.clone()),
        to_cycle: Set(cycle.as_str().into()),
        new_amount_cents: Set(q.option.price_cents),
        amount_due_cents: Set(amount_due),
        credit_left_cents: Set(cents(q.proration.credit_left)?),
        invoice_id: Set(None),
        status: Set("pending".into()),
        cancel_after: Set(today
            .checked_add_days(Days::new(cancel_after_days.into()))
            .unwrap_or(today)),
        created_at: Set(now),
        resolved_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            DomainError::Invalid(Invalid::UpgradePending)
        }
        _ => e.into(),
    })?;
    let outcome = if amount_due == 0 {
        let surplus = order.credit_left_cents;
        let (order_id, currency) = (order.id, q.currency.clone());
        complete(&txn, order, now).await?;
        // A downgrade's unused value is the client's to spend on their next invoices.
        if surplus > 0 {
            credit::grant(
                &txn,
                credit::Movement {
                    client_id,
                    currency: &currency,
                    kind: credit::CreditKind::Downgrade,
                    invoice_id: None,
                    note: &s.domain,
                    unique_key: format!("downgrade:{order_id}"),
                },
                surplus,
                now,
            )
            .await?;
        }
        Outcome::Applied
    } else {
        let language = user::Entity::find_by_id(client_id)
            .one(&txn)
            .await?
            .map(|u| u.language)
            .unwrap_or_default();
        let inv = invoices::issue(
            &txn,
            &svc.billing,
            client_id,
            &q.currency,
            &[NewItem {
                service_id: Some(service_id),
                description: describe(&language, &s.domain, &q),
                period: Some((today, q.period_end)),
                amount_cents: amount_due,
            }],
            today,
            today,
            now,
        )
        .await?;
        let mut order: service_upgrade::ActiveModel = order.into();
        order.invoice_id = Set(Some(inv.id));
        order.update(&txn).await?;
        payments::auto_apply_credit(&txn, svc, &inv, now).await?;
        Outcome::Invoiced { invoice_id: inv.id }
    };
    txn.commit().await?;
    if let Outcome::Invoiced { invoice_id } = outcome {
        // A card-paid service with a valid saved card: charged now. The order stands either way;
        // an unknown outcome is reconciled, and a decline retried, by the billing runs.
        if let Err(e) = crate::billing::cards::charge::charge_new_invoice(svc, invoice_id).await {
            tracing::warn!(invoice_id, error = %e, "charging an upgrade invoice to the card");
        }
    }
    Ok(outcome)
}

/// Moves the service to the ordered plan and cycle through the provisioning interface (so the
/// hosting panel follows); the next due date is kept.
async fn complete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    order: service_upgrade::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let cycle = BillingCycle::parse(&order.to_cycle)
        .ok_or_else(|| DomainError::Internal(format!("upgrade {}: bad cycle", order.id)))?;
    super::provisioning::change_plan(
        db,
        order.service_id,
        order.to_plan_id,
        cycle,
        order.new_amount_cents,
        Some(order.client_id),
        now,
    )
    .await?;
    let mut order: service_upgrade::ActiveModel = order.into();
    order.status = Set("completed".into());
    order.resolved_at = Set(Some(now));
    order.update(db).await?;
    Ok(())
}

/// Called (in the payment's transaction) when an invoice is paid: completes its upgrade.
pub async fn on_invoice_paid<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    invoice_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let order = service_upgrade::Entity::find()
        .filter(service_upgrade::Column::InvoiceId.eq(invoice_id))
        .filter(service_upgrade::Column::Status.eq("pending"))
        .one(db)
        .await?;
    let Some(order) = order else {
        return Ok(());
    };
    // A service cancelled or terminated while the invoice was open cannot change plan: the
    // payment still stands (it is never lost), and the order is closed as cancelled.
    let ended = service::Entity::find_by_id(order.service_id)
        .one(db)
        .await?
        .is_none_or(|s| matches!(s.status.as_str(), "cancelled" | "terminated"));
    if ended {
        let mut order: service_upgrade::ActiveModel = order.into();
        order.status = Set("cancelled".into());
        order.resolved_at = Set(Some(now));
        order.update(db).await?;
        return Ok(());
    }
    complete(db, order, now).await
}

/// Cancels a pending order and its unpaid invoice; `false` if a payment got in first.
async fn cancel_order(
    db: &impl ConnectionTrait,
    order: &service_upgrade::Model,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let invoice_cancelled = match order.invoice_id {
        Some(id) => invoices::cancel_unpaid(db, id, now).await?,
        None => true,
    };
    if !invoice_cancelled {
        return Ok(false);
    }
    let res = service_upgrade::Entity::update_many()
        .col_expr(
            service_upgrade::Column::Status,
            sea_orm::sea_query::Expr::value("cancelled"),
        )
        .col_expr(
            service_upgrade::Column::ResolvedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(service_upgrade::Column::Id.eq(order.id))
        .filter(service_upgrade::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The client withdraws their unpaid plan change (its invoice is cancelled too).
pub async fn cancel_pending(
    db: &DatabaseConnection,
    client_id: i32,
    service_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let txn = db.begin().await?;
    let order = service_upgrade::Entity::find()
        .filter(service_upgrade::Column::ServiceId.eq(service_id))
        .filter(service_upgrade::Column::ClientId.eq(client_id))
        .filter(service_upgrade::Column::Status.eq("pending"))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !cancel_order(&txn, &order, now).await? {
        return Err(DomainError::NotFound);
    }
    txn.commit().await?;
    Ok(())
}

/// Cancels upgrades still unpaid after their `cancel_after` date, with their invoices. Each
/// order in its own transaction; returns how many were cancelled.
pub async fn cancel_unpaid(db: &DatabaseConnection, now: DateTime<Utc>) -> DomainResult<u64> {
    let today = now.date_naive();
    let stale = service_upgrade::Entity::find()
        .filter(service_upgrade::Column::Status.eq("pending"))
        .filter(service_upgrade::Column::CancelAfter.lt(today))
        .all(db)
        .await?;
    let mut n = 0;
    for order in stale {
        let txn = db.begin().await?;
        n += u64::from(cancel_order(&txn, &order, now).await?);
        txn.commit().await?;
    }
    Ok(n)
}

#[cfg(test)]
#[path = "upgrade_tests.rs"]
mod tests;
