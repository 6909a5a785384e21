//! Hosting services: DTOs, server functions (thin adapters over `domain::hosting`) and pages.
pub mod cancellation;
mod cancellation_view;
mod pages;
pub mod staff;
mod staff_pages;
mod upgrade;

pub use pages::{ServiceCard, ServiceDetailPage, ServiceListPage, StatusBadge};
pub use staff_pages::StaffProvisioningPage;
pub use upgrade::UpgradePage;

use crate::{error::AppError, i18n::Texts};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Pending,
    Active,
    Suspended,
    Terminated,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Active,
        Status::Suspended,
        Status::Pending,
        Status::Terminated,
        Status::Cancelled,
    ];
    /// The value used in URLs (`/services?status=active`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::Terminated => "terminated",
            Status::Cancelled => "cancelled",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Status::Pending => t.status_pending,
            Status::Active => t.status_active,
            Status::Suspended => t.status_suspended,
            Status::Terminated => t.status_terminated,
            Status::Cancelled => t.status_cancelled,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Suspension {
    Overdue,
    Staff,
}

impl Suspension {
    pub fn explain(self, t: &Texts) -> &'static str {
        match self {
            Suspension::Overdue => t.reason_overdue,
            Suspension::Staff => t.reason_staff,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cycle {
    Monthly,
    Quarterly,
    SemiAnnually,
    Annually,
}

impl Cycle {
    pub const ALL: [Cycle; 4] = [
        Cycle::Monthly,
        Cycle::Quarterly,
        Cycle::SemiAnnually,
        Cycle::Annually,
    ];
    /// The value used in URLs and forms, as the domain stores it.
    pub fn code(self) -> &'static str {
        match self {
            Cycle::Monthly => "monthly",
            Cycle::Quarterly => "quarterly",
            Cycle::SemiAnnually => "semiannually",
            Cycle::Annually => "annually",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Cycle::Monthly => t.cycle_monthly,
            Cycle::Quarterly => t.cycle_quarterly,
            Cycle::SemiAnnually => t.cycle_semiannually,
            Cycle::Annually => t.cycle_annually,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub id: i32,
    pub domain: String,
    pub plan_name: String,
    pub status: Status,
    pub suspension: Option<Suspension>,
    pub cycle: Cycle,
    pub amount_cents: i64,
    pub currency: String,
    /// ISO date.
    pub next_due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceList {
    pub items: Vec<ServiceRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub service: ServiceRow,
    pub registered_on: String,
    pub gateway_card: bool,
    pub plan_description: String,
    pub plan_features: Vec<String>,
    /// The latest invoices with a line for this service.
    pub invoices: Vec<crate::invoices::InvoiceRow>,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use domain::{billing::proration::BillingCycle, hosting as h};

    impl From<h::ServiceStatus> for Status {
        fn from(s: h::ServiceStatus) -> Self {
            match s {
                h::ServiceStatus::Pending => Status::Pending,
                h::ServiceStatus::Active => Status::Active,
                h::ServiceStatus::Suspended => Status::Suspended,
                h::ServiceStatus::Terminated => Status::Terminated,
                h::ServiceStatus::Cancelled => Status::Cancelled,
            }
        }
    }

    impl From<Status> for h::ServiceStatus {
        fn from(s: Status) -> Self {
            match s {
                Status::Pending => h::ServiceStatus::Pending,
                Status::Active => h::ServiceStatus::Active,
                Status::Suspended => h::ServiceStatus::Suspended,
                Status::Terminated => h::ServiceStatus::Terminated,
                Status::Cancelled => h::ServiceStatus::Cancelled,
            }
        }
    }

    impl From<BillingCycle> for Cycle {
        fn from(c: BillingCycle) -> Self {
            match c {
                BillingCycle::Monthly => Cycle::Monthly,
                BillingCycle::Quarterly => Cycle::Quarterly,
                BillingCycle::SemiAnnually => Cycle::SemiAnnually,
                BillingCycle::Annually => Cycle::Annually,
            }
        }
    }

    impl From<h::ServiceSummary> for ServiceRow {
        fn from(s: h::ServiceSummary) -> Self {
            Self {
                id: s.id,
                domain: s.domain,
                plan_name: s.plan_name,
                status: s.status.into(),
                suspension: s.suspension_reason.map(|r| match r {
                    h::SuspensionReason::Overdue => Suspension::Overdue,
                    h::SuspensionReason::Staff => Suspension::Staff,
                }),
                cycle: s.cycle.into(),
                amount_cents: s.amount_cents,
                currency: s.currency,
                next_due_on: s.next_due_on.to_string(),
            }
        }
    }

    impl From<domain::Page<h::ServiceSummary>> for ServiceList {
        fn from(p: domain::Page<h::ServiceSummary>) -> Self {
            Self {
                pages: p.pages(),
                total: p.total,
                page: p.page,
                items: p.items.into_iter().map(Into::into).collect(),
            }
        }
    }

    impl From<h::ServiceDetail> for ServiceDetail {
        fn from(d: h::ServiceDetail) -> Self {
            Self {
                registered_on: d.registered_on.to_string(),
                gateway_card: d.gateway == "card",
                plan_description: d.plan_description,
                plan_features: d.plan_features,
                service: d.summary.into(),
                invoices: Vec::new(),
            }
        }
    }
}

/// The signed-in client's services, optionally of one status (`status` as in the URL).
#[server(prefix = "/_fn", endpoint = "list_services")]
pub async fn list_services(
    status: Option<String>,
    page: Option<u64>,
) -> Result<ServiceList, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(Status::from_code(code).ok_or(AppError::BadRequest)?.into()),
    };
    let svc = ssr::services()?;
    let page =
        domain::hosting::list_services(&svc.db, user.client_id, status, page.unwrap_or(1)).await?;
    Ok(page.into())
}

#[server(prefix = "/_fn", endpoint = "get_service")]
pub async fn get_service(id: i32) -> Result<ServiceDetail, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let svc = ssr::services()?;
    let mut detail: ServiceDetail = domain::hosting::get_service(&svc.db, user.client_id, id)
        .await?
        .into();
    if user.can(domain::accounts::Permission::Invoices) {
        detail.invoices = domain::billing::invoices::for_service(&svc.db, user.client_id, id, 5)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    }
    Ok(detail)
}
