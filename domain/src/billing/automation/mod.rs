//! The billing automation: renewal invoices, reminders and overdue notices, suspension and
//! termination of unpaid services, unsuspension once paid, expired plan changes and due
//! cancellations. `run` is called by the CLI (`portico billing run [--date]`) with the day to act
//! as of.
//!
//! Exactly once, whatever happens: every unit of work (one service's renewal, one invoice's
//! notice, one suspension) commits in its own transaction together with a row that a unique key
//! allows only once (`service_renewals (service, period)`, `billing_notices (invoice, kind)`),
//! and the email it causes is written in that same transaction and delivered afterwards. Two
//! runs at once are kept apart by a lease in the database; a run killed at any point leaves only
//! whole units behind, and the next run does the rest.
#[cfg(test)]
mod simulation;
mod steps;
#[cfg(test)]
mod tests;

use crate::{
    accounts::new_token,
    entities::{billing_lease, billing_run},
    error::DomainResult,
    Services,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

pub use steps::after_payment;
#[cfg(test)]
pub(crate) use steps::late_fee_amount;
pub(crate) use steps::queue_email;

const LEASE: &str = "billing";
const LEASE_MINUTES: i64 = 15;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub renewals: u32,
    pub late_fees: u32,
    pub notices: u32,
    pub suspended: u32,
    pub terminated: u32,
    pub unsuspended: u32,
    pub upgrades_cancelled: u64,
    pub cancellations: u32,
    pub emails: u32,
    pub cards: crate::billing::cards::charge::ChargeReport,
    pub card_expiry_notices: u32,
    /// Answered tickets closed for lack of a client reply.
    pub tickets_closed: u32,
    /// Another run held the lease: this one did nothing.
    pub skipped: bool,
}

impl RunReport {
    pub fn summary(&self) -> String {
        format!(
            "renewal invoices {}, late fees {}, notices {}, suspended {}, terminated {}, \
             unsuspended {}, unpaid plan changes cancelled {}, cancellations carried out {}, \
             card charges {} (paid {}, declined {}, need authentication {}, reconciled {}), \
             card expiry notices {}, tickets closed {}, emails delivered {}",
            self.renewals,
            self.late_fees,
            self.notices,
            self.suspended,
            self.terminated,
            self.unsuspended,
            self.upgrades_cancelled,
            self.cancellations,
            self.cards.attempted,
            self.cards.paid,
            self.cards.declined,
            self.cards.needs_action,
            self.cards.reconciled,
            self.card_expiry_notices,
            self.tickets_closed,
            self.emails
        )
    }
}

/// Takes the lease unless another holder has it and it has not expired.
async fn acquire(svc: &Services, holder: &str, now: DateTime<Utc>) -> DomainResult<bool> {
    let expires = now + Duration::minutes(LEASE_MINUTES);
    let inserted = billing_lease::Entity::insert(billing_lease::ActiveModel {
        name: Set(LEASE.into()),
        holder: Set(holder.into()),
        expires_at: Set(expires),
    })
    .on_conflict(
        OnConflict::column(billing_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&svc.db)
    .await?;
    if inserted == 1 {
        return Ok(true);
    }
    let taken = billing_lease::Entity::update_many()
        .col_expr(
            billing_lease::Column::Holder,
            sea_orm::sea_query::Expr::value(holder),
        )
        .col_expr(
            billing_lease::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(expires),
        )
        .filter(billing_lease::Column::Name.eq(LEASE))
        .filter(billing_lease::Column::ExpiresAt.lt(now))
        .exec(&svc.db)
        .await?;
    Ok(taken.rows_affected == 1)
}

async fn release(svc: &Services, holder: &str) -> DomainResult<()> {
    billing_lease::Entity::delete_many()
        .filter(billing_lease::Column::Name.eq(LEASE))
        .filter(billing_lease::Column::Holder.eq(holder))
        .exec(&svc.db)
        .await?;
    Ok(())
}

/// Runs the automation as of `as_of` (the clock still stamps what is written).
pub async fn run(svc: &Services, as_of: NaiveDate) -> DomainResult<RunReport> {
    let now = svc.now();
    let holder = new_token()[..24].to_owned();
    if !acquire(svc, &holder, now).await? {
        return Ok(RunReport {
            skipped: true,
            ..Default::default()
        });
    }
    let log = billing_run::ActiveModel {
        as_of: Set(as_of),
        started_at: Set(now),
        finished_at: Set(None),
        summary: Set(String::new()),
        error: Set(None),
        ..Default::default()
    }
    .insert(&svc.db)
    .await?;
    let result = steps::all(svc, as_of).await;
    let mut log: billing_run::ActiveModel = log.into();
    log.finished_at = Set(Some(svc.now()));
    match &result {
        Ok(report) => log.summary = Set(report.summary()),
        Err(e) => log.error = Set(Some(e.to_string())),
    }
    log.update(&svc.db).await?;
    release(svc, &holder).await?;
    result
}

/// Hours without a finished run after which staff are told the automation looks stopped.
pub const STALE_AFTER_HOURS: i64 = 24;

/// What staff see about the automation: the latest run, and whether it looks stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub last: Option<billing_run::Model>,
    /// No run has finished in the last [`STALE_AFTER_HOURS`] hours (or none ever did).
    pub stale: bool,
}

pub async fn health(svc: &Services) -> DomainResult<Health> {
    let last = recent_runs(svc, 1).await?.pop();
    let finished = billing_run::Entity::find()
        .filter(billing_run::Column::FinishedAt.is_not_null())
        .order_by_desc(billing_run::Column::FinishedAt)
        .one(&svc.db)
        .await?
        .and_then(|r| r.finished_at);
    let stale = finished.is_none_or(|f| svc.now() - f > Duration::hours(STALE_AFTER_HOURS));
    Ok(Health { last, stale })
}

/// The latest runs, newest first (for staff).
pub async fn recent_runs(svc: &Services, limit: u64) -> DomainResult<Vec<billing_run::Model>> {
    use sea_orm::QuerySelect;
    Ok(billing_run::Entity::find()
        .order_by_desc(billing_run::Column::Id)
        .limit(limit)
        .all(&svc.db)
        .await?)
}
