//! Clients' cancellation requests: now, or at the end of the paid period. A service has at most
//! one open request (the database enforces it). An immediate request cancels the service at
//! once through the provisioning interface; an end-of-period one stays open until the billing
//! automation carries it out on its date ([`due_cancellations`], [`carry_out`]), or the client
//! withdraws it. Client-facing functions take the client's id: another client's service is
//! `NotFound`.
use super::{
    provisioning::lifecycle::{apply, Transition},
    ServiceStatus,
};
use crate::{
    entities::{cancellation_request as request, service, user},
    error::{DomainError, DomainResult, Invalid, Refused},
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancellationKind {
    Immediate,
    EndOfPeriod,
}

impl CancellationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CancellationKind::Immediate => "immediate",
            CancellationKind::EndOfPeriod => "end_of_period",
        }
    }
    /// As a form sends it.
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        match s.trim() {
            "immediate" => Ok(CancellationKind::Immediate),
            "end_of_period" => Ok(CancellationKind::EndOfPeriod),
            _ => Err(Invalid::CancellationKind),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancellationStatus {
    Open,
    Done,
    Withdrawn,
}

impl CancellationStatus {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(CancellationStatus::Open),
            "done" => Some(CancellationStatus::Done),
            "withdrawn" => Some(CancellationStatus::Withdrawn),
            _ => None,
        }
    }
}

/// Why the client cancels: 3 to 2000 characters once trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationReason(String);

impl CancellationReason {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        match s.chars().count() {
            3..=2000 => Ok(Self(s.to_owned())),
            _ => Err(Invalid::CancellationReason),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationRequest {
    pub id: i32,
    pub service_id: i32,
    pub client_id: i32,
    pub kind: CancellationKind,
    pub reason: String,
    pub status: CancellationStatus,
    /// The day the service ends: the request's day, or the end of the paid period.
    pub effective_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<request::Model> for CancellationRequest {
    type Error = DomainError;
    fn try_from(r: request::Model) -> DomainResult<Self> {
        let bad = |what: &str| DomainError::Internal(format!("cancellation {}: bad {what}", r.id));
        Ok(Self {
            id: r.id,
            service_id: r.service_id,
            client_id: r.client_id,
            kind: CancellationKind::parse(&r.kind).map_err(|_| bad("kind"))?,
            status: CancellationStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
            reason: r.reason,
            effective_on: r.effective_on,
            created_at: r.created_at,
        })
    }
}

/// The client's service, or `NotFound` (also for someone else's).
async fn own_service(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
) -> DomainResult<service::Model> {
    service::Entity::find_by_id(service_id)
        .filter(service::Column::ClientId.eq(client_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Records the client's request. Immediate: the service is cancelled now (terminated through
/// its provisioning module) and the request is done. End of period: the request stays open
/// until the service's next due date (today if that has passed).
pub async fn request_cancellation(
    db: &DatabaseConnection,
    client_id: i32,
    service_id: i32,
    kind: CancellationKind,
    reason: &CancellationReason,
    now: DateTime<Utc>,
) -> DomainResult<CancellationRequest> {
    let txn = db.begin().await?;
    let svc = own_service(&txn, client_id, service_id).await?;
    let status = ServiceStatus::parse(&svc.status);
    if !matches!(
        status,
        Some(ServiceStatus::Active | ServiceStatus::Suspended | ServiceStatus::Pending)
    ) {
        return Err(Refused::ServiceStatus.into());
    }
    let today = now.date_naive();
    let effective_on = match kind {
        CancellationKind::Immediate => today,
        CancellationKind::EndOfPeriod => svc.next_due_on.max(today),
    };
    let inserted = request::ActiveModel {
        service_id: Set(service_id),
        client_id: Set(client_id),
        kind: Set(kind.as_str().into()),
        reason: Set(reason.as_str().into()),
        status: Set("open".into()),
        effective_on: Set(effective_on),
        created_at: Set(now),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    // The partial unique index allows one open request per service.
    let row = match inserted {
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(Refused::CancellationOpen.into())
        }
        other => other?,
    };
    if kind == CancellationKind::Immediate {
        // Closes the request as done, with the status change.
        apply(
            &txn,
            service_id,
            Transition::Cancel { request_id: row.id },
            Some(client_id),
            now,
        )
        .await?;
    }
    let saved = request::Entity::find_by_id(row.id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    txn.commit().await?;
    saved.try_into()
}

/// The open request of one of the client's services, if any.
pub async fn open_request(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
) -> DomainResult<Option<CancellationRequest>> {
    own_service(db, client_id, service_id).await?;
    request::Entity::find()
        .filter(request::Column::ServiceId.eq(service_id))
        .filter(request::Column::ClientId.eq(client_id))
        .filter(request::Column::Status.eq("open"))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

/// The client takes back the open request of their service; `NotFound` when there is none.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    client_id: i32,
    service_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let res = request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value("withdrawn"))
        .col_expr(request::Column::ClosedAt, Expr::value(now))
        .filter(request::Column::ServiceId.eq(service_id))
        .filter(request::Column::ClientId.eq(client_id))
        .filter(request::Column::Status.eq("open"))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

/// Open requests whose day has come (`effective_on` on or before `today`), oldest first: what
/// the billing automation carries out.
pub async fn due_cancellations(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> DomainResult<Vec<CancellationRequest>> {
    request::Entity::find()
        .filter(request::Column::Status.eq("open"))
        .filter(request::Column::EffectiveOn.lte(today))
        .order_by_asc(request::Column::EffectiveOn)
        .order_by_asc(request::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Cancels the service of an open request through its provisioning module and closes the
/// request as done, in one transaction. For the billing automation (no acting user).
pub async fn carry_out(
    db: &DatabaseConnection,
    request_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    carry_out_by(db, request_id, None, now).await
}

/// [`carry_out`] on behalf of a staff member (recorded as the action's actor). `NotFound` when
/// the request is not open.
pub async fn carry_out_by(
    db: &DatabaseConnection,
    request_id: i32,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let txn = db.begin().await?;
    let r = request::Entity::find_by_id(request_id)
        .filter(request::Column::Status.eq("open"))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    apply(
        &txn,
        r.service_id,
        Transition::Cancel { request_id },
        actor,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An open request with what staff need to find the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCancellation {
    pub request: CancellationRequest,
    pub domain: String,
    pub client_name: String,
    pub client_email: String,
}

/// Every open request, soonest first: what staff see.
pub async fn open_requests(db: &impl ConnectionTrait) -> DomainResult<Vec<OpenCancellation>> {
    let rows = request::Entity::find()
        .filter(request::Column::Status.eq("open"))
        .find_also_related(service::Entity)
        .order_by_asc(request::Column::EffectiveOn)
        .order_by_asc(request::Column::Id)
        .all(db)
        .await?;
    let clients: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|(r, _)| r.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    rows.into_iter()
        .map(|(r, s)| {
            let client = clients.get(&r.client_id);
            Ok(OpenCancellation {
                domain: s.map(|s| s.domain).unwrap_or_default(),
                client_name: client.map(|c| c.name.clone()).unwrap_or_default(),
                client_email: client.map(|c| c.email.clone()).unwrap_or_default(),
                request: r.try_into()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
