//! Status changes of a service. Each one checks the status rules, updates the service, asks the
//! plan's provisioning module to act and records the action, all in one transaction: if the
//! module fails, nothing changes.
//!
//! Every function takes any connection that can open a transaction: a `DatabaseConnection`
//! (the change gets its own transaction) or the caller's `DatabaseTransaction` (the change runs
//! in a savepoint inside it and commits or rolls back with the caller's work).
use super::{module, ActionKind, NewPlan, Outcome, Target};
use crate::{
    billing::proration::BillingCycle,
    entities::{cancellation_request, plan, provisioning_action, service},
    error::{DomainError, DomainResult, Refused},
    hosting::{ServiceStatus, SuspensionReason},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

/// A status change, as the rules and the modules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transition {
    Activate,
    Suspend(SuspensionReason),
    Unsuspend,
    Terminate,
    /// A client's cancellation: terminated on the panel, `cancelled` here.
    Cancel {
        request_id: i32,
    },
    ChangePlan {
        plan_id: i32,
        cycle: BillingCycle,
        amount_cents: i64,
    },
}

impl Transition {
    /// The status after the change, or `None` when `from` does not allow it. Terminated and
    /// cancelled are final.
    pub(crate) fn next(&self, from: ServiceStatus) -> Option<ServiceStatus> {
        use ServiceStatus as S;
        let live = matches!(from, S::Pending | S::Active | S::Suspended);
        match self {
            Transition::Activate => (from == S::Pending).then_some(S::Active),
            Transition::Suspend(_) => (from == S::Active).then_some(S::Suspended),
            Transition::Unsuspend => (from == S::Suspended).then_some(S::Active),
            Transition::Terminate => live.then_some(S::Terminated),
            Transition::Cancel { .. } => live.then_some(S::Cancelled),
            Transition::ChangePlan { .. } => live.then_some(from),
        }
    }

    fn kind(&self) -> ActionKind {
        match self {
            Transition::Activate => ActionKind::Create,
            Transition::Suspend(_) => ActionKind::Suspend,
            Transition::Unsuspend => ActionKind::Unsuspend,
            Transition::Terminate | Transition::Cancel { .. } => ActionKind::Terminate,
            Transition::ChangePlan { .. } => ActionKind::ChangePlan,
        }
    }
}

/// Sets a pending service up and makes it active (`pending` → `active`).
pub async fn activate<C>(
    db: &C,
    service_id: i32,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome>
where
    C: ConnectionTrait + TransactionTrait,
{
    in_transaction(db, service_id, Transition::Activate, actor, now).await
}

/// Suspends an active service for `reason` (`active` → `suspended`).
pub async fn suspend<C>(
    db: &C,
    service_id: i32,
    reason: SuspensionReason,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome>
where
    C: ConnectionTrait + TransactionTrait,
{
    in_transaction(db, service_id, Transition::Suspend(reason), actor, now).await
}

/// Lifts a suspension (`suspended` → `active`).
pub async fn unsuspend<C>(
    db: &C,
    service_id: i32,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome>
where
    C: ConnectionTrait + TransactionTrait,
{
    in_transaction(db, service_id, Transition::Unsuspend, actor, now).await
}

/// Ends a pending, active or suspended service for good (→ `terminated`). An open
/// cancellation request of the service is closed as done.
pub async fn terminate<C>(
    db: &C,
    service_id: i32,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome>
where
    C: ConnectionTrait + TransactionTrait,
{
    in_transaction(db, service_id, Transition::Terminate, actor, now).await
}

/// Moves a pending, active or suspended service to another plan, cycle and recurring amount
/// (the status stays). Called by the upgrade code when an upgrade invoice is paid: pass the
/// transaction that marks the invoice paid, and the plan change commits or rolls back with
/// it. It changes neither the due date nor any invoice; that is the caller's part.
///
/// Errors: `NotFound` (no such service or plan), `Refused(ServiceStatus)` (terminated or
/// cancelled service), `Provisioning` (the module failed; nothing changed).
pub async fn change_plan<C>(
    db: &C,
    service_id: i32,
    new_plan_id: i32,
    new_cycle: BillingCycle,
    new_amount_cents: i64,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome>
where
    C: ConnectionTrait + TransactionTrait,
{
    if new_amount_cents < 0 {
        return Err(DomainError::Internal("negative plan amount".into()));
    }
    let change = Transition::ChangePlan {
        plan_id: new_plan_id,
        cycle: new_cycle,
        amount_cents: new_amount_cents,
    };
    in_transaction(db, service_id, change, actor, now).await
}

pub(crate) async fn in_transaction<C>(
    db: &C,
    service_id: i32,
    change: Transition,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = db.begin().await?;
    match apply(&txn, service_id, change, actor, now).await {
        Ok(outcome) => {
            txn.commit().await?;
            Ok(outcome)
        }
        Err(e) => {
            txn.rollback().await?;
            Err(e)
        }
    }
}

/// The change itself; the caller provides (and commits or rolls back) the transaction.
pub(crate) async fn apply<C: ConnectionTrait>(
    txn: &C,
    service_id: i32,
    change: Transition,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<Outcome> {
    let svc = service::Entity::find_by_id(service_id)
        .one(txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let from = ServiceStatus::parse(&svc.status)
        .ok_or_else(|| DomainError::Internal(format!("service {service_id}: bad status")))?;
    let to = change.next(from).ok_or(Refused::ServiceStatus)?;
    let current_plan = plan::Entity::find_by_id(svc.plan_id)
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("service {service_id}: no plan")))?;
    let module_name = current_plan.module.clone();
    let module = module(&module_name).ok_or_else(|| DomainError::Provisioning {
        module: module_name.clone(),
        message: "no such module is registered".into(),
    })?;

    // Conditional on the status read above, so two concurrent changes cannot both pass.
    let mut update = service::Entity::update_many()
        .col_expr(service::Column::Status, Expr::value(to.as_str()))
        .col_expr(service::Column::UpdatedAt, Expr::value(now));
    match &change {
        Transition::Suspend(reason) => {
            update = update.col_expr(
                service::Column::SuspensionReason,
                Expr::value(reason.as_str()),
            );
        }
        Transition::ChangePlan { .. } => {}
        _ => {
            update = update.col_expr(
                service::Column::SuspensionReason,
                Expr::value(Option::<String>::None),
            );
        }
    }
    let mut new_plan = None;
    if let Transition::ChangePlan {
        plan_id,
        cycle,
        amount_cents,
    } = &change
    {
        let p = plan::Entity::find_by_id(*plan_id)
            .one(txn)
            .await?
            .ok_or(DomainError::NotFound)?;
        update = update
            .col_expr(service::Column::PlanId, Expr::value(p.id))
            .col_expr(service::Column::Cycle, Expr::value(cycle.as_str()))
            .col_expr(service::Column::AmountCents, Expr::value(*amount_cents));
        new_plan = Some(NewPlan {
            plan_id: p.id,
            plan_slug: p.slug,
            cycle: *cycle,
            amount_cents: *amount_cents,
        });
    }
    let updated = update
        .filter(service::Column::Id.eq(service_id))
        .filter(service::Column::Status.eq(from.as_str()))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(Refused::ServiceStatus.into());
    }

    let target = Target {
        service_id,
        client_id: svc.client_id,
        domain: svc.domain.clone(),
        plan_slug: current_plan.slug.clone(),
    };
    let (result, detail) = match (&change, &new_plan) {
        (Transition::Activate, _) => (module.create(&target).await, json!({})),
        (Transition::Suspend(r), _) => (
            module.suspend(&target, *r).await,
            json!({ "reason": r.as_str() }),
        ),
        (Transition::Unsuspend, _) => (module.unsuspend(&target).await, json!({})),
        (Transition::Terminate, _) => (module.terminate(&target).await, json!({})),
        (Transition::Cancel { request_id }, _) => (
            module.terminate(&target).await,
            json!({ "cancellation_request_id": request_id }),
        ),
        (Transition::ChangePlan { .. }, Some(to)) => (
            module.change_plan(&target, to).await,
            json!({
                "from_plan": current_plan.slug,
                "to_plan": to.plan_slug,
                "to_plan_id": to.plan_id,
                "cycle": to.cycle.as_str(),
                "amount_cents": to.amount_cents,
            }),
        ),
        (Transition::ChangePlan { .. }, None) => unreachable!("the new plan was loaded above"),
    };
    let outcome = result.map_err(|e| DomainError::Provisioning {
        module: module_name.clone(),
        message: e.0,
    })?;
    let done = outcome == super::Outcome::Done;
    provisioning_action::ActiveModel {
        service_id: Set(service_id),
        module: Set(module_name),
        action: Set(change.kind().as_str().into()),
        detail: Set(detail.to_string()),
        status: Set(if done { "done" } else { "pending" }.into()),
        actor_id: Set(actor),
        created_at: Set(now),
        completed_at: Set(done.then_some(now)),
        completed_by: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;

    // A service that has ended has nothing left to cancel.
    if matches!(to, ServiceStatus::Terminated | ServiceStatus::Cancelled) {
        cancellation_request::Entity::update_many()
            .col_expr(cancellation_request::Column::Status, Expr::value("done"))
            .col_expr(cancellation_request::Column::ClosedAt, Expr::value(now))
            .filter(cancellation_request::Column::ServiceId.eq(service_id))
            .filter(cancellation_request::Column::Status.eq("open"))
            .exec(txn)
            .await?;
    }
    Ok(outcome)
}
