//! Plans and clients' hosting services. Every query that returns a service takes the client's
//! id: a client can only ever reach their own services.
pub mod upgrade;
use crate::{
    billing::proration::BillingCycle,
    entities::{plan, service},
    error::{DomainError, DomainResult},
    Page,
};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub mod cancellation;
pub mod provisioning;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceStatus {
    Pending,
    Active,
    Suspended,
    Terminated,
    Cancelled,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 5] = [
        ServiceStatus::Pending,
        ServiceStatus::Active,
        ServiceStatus::Suspended,
        ServiceStatus::Terminated,
        ServiceStatus::Cancelled,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Pending => "pending",
            ServiceStatus::Active => "active",
            ServiceStatus::Suspended => "suspended",
            ServiceStatus::Terminated => "terminated",
            ServiceStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Why a service is suspended; the client is told which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspensionReason {
    Overdue,
    Staff,
}

impl SuspensionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuspensionReason::Overdue => "overdue",
            SuspensionReason::Staff => "staff",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "overdue" => Some(SuspensionReason::Overdue),
            "staff" => Some(SuspensionReason::Staff),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSummary {
    pub id: i32,
    pub domain: String,
    pub plan_name: String,
    pub status: ServiceStatus,
    pub suspension_reason: Option<SuspensionReason>,
    pub cycle: BillingCycle,
    pub amount_cents: i64,
    pub currency: String,
    pub next_due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDetail {
    pub summary: ServiceSummary,
    pub registered_on: NaiveDate,
    pub gateway: String,
    pub plan_description: String,
    pub plan_features: Vec<String>,
}

pub const SERVICES_PER_PAGE: u64 = 20;

fn summary(s: service::Model, p: Option<plan::Model>) -> DomainResult<ServiceSummary> {
    let bad = |what: &str| DomainError::Internal(format!("service {}: bad {what}", s.id));
    Ok(ServiceSummary {
        id: s.id,
        plan_name: p.map(|p| p.name).unwrap_or_default(),
        status: ServiceStatus::parse(&s.status).ok_or_else(|| bad("status"))?,
        suspension_reason: s
            .suspension_reason
            .as_deref()
            .and_then(SuspensionReason::parse),
        cycle: BillingCycle::parse(&s.cycle).ok_or_else(|| bad("cycle"))?,
        amount_cents: s.amount_cents,
        currency: s.currency,
        next_due_on: s.next_due_on,
        domain: s.domain,
    })
}

/// The client's services, newest first, optionally of one status. `page` starts at 1.
pub async fn list_services(
    db: &impl ConnectionTrait,
    client_id: i32,
    status: Option<ServiceStatus>,
    page: u64,
) -> DomainResult<Page<ServiceSummary>> {
    let mut query = service::Entity::find().filter(service::Column::ClientId.eq(client_id));
    if let Some(st) = status {
        query = query.filter(service::Column::Status.eq(st.as_str()));
    }
    let total = query.clone().count(db).await?;
    let page = page.max(1);
    let rows = query
        .find_also_related(plan::Entity)
        .order_by_desc(service::Column::RegisteredOn)
        .order_by_desc(service::Column::Id)
        .limit(SERVICES_PER_PAGE)
        .offset((page - 1) * SERVICES_PER_PAGE)
        .all(db)
        .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|(s, p)| summary(s, p))
            .collect::<DomainResult<_>>()?,
        total,
        page,
        per_page: SERVICES_PER_PAGE,
    })
}

/// One of the client's services; `NotFound` for a service of someone else (no hint it exists).
pub async fn get_service(
    db: &impl ConnectionTrait,
    client_id: i32,
    id: i32,
) -> DomainResult<ServiceDetail> {
    let (s, p) = service::Entity::find_by_id(id)
        .filter(service::Column::ClientId.eq(client_id))
        .find_also_related(plan::Entity)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let (description, features) = p
        .as_ref()
        .map(|p| {
            (
                p.description.clone(),
                p.features
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
            )
        })
        .unwrap_or_default();
    let registered_on = s.registered_on;
    let gateway = s.gateway.clone();
    Ok(ServiceDetail {
        summary: summary(s, p)?,
        registered_on,
        gateway,
        plan_description: description,
        plan_features: features,
    })
}

/// How many of the client's services are in each status (statuses with none are left out).
pub async fn status_counts(
    db: &impl ConnectionTrait,
    client_id: i32,
) -> DomainResult<Vec<(ServiceStatus, u64)>> {
    let rows: Vec<(String, i64)> = service::Entity::find()
        .select_only()
        .column(service::Column::Status)
        .column_as(service::Column::Id.count(), "n")
        .filter(service::Column::ClientId.eq(client_id))
        .group_by(service::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: Vec<(ServiceStatus, u64)> = rows
        .into_iter()
        .filter_map(|(st, n)| Some((ServiceStatus::parse(&st)?, n.max(0) as u64)))
        .collect();
    counts.sort_by_key(|(st, _)| ServiceStatus::ALL.iter().position(|s| s == st));
    Ok(counts)
}

#[cfg(test)]
mod tests;
