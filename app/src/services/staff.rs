//! Staff: the provisioning queue (manual actions to do on the hosting panel) and open
//! cancellation requests. Each server function checks the staff role first (401 signed out,
//! 403 for clients).
use super::{cancellation::CancelKind, Suspension};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PanelAction {
    Create,
    Suspend,
    Unsuspend,
    Terminate,
    ChangePlan,
}

impl PanelAction {
    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            PanelAction::Create => t.prov_action_create,
            PanelAction::Suspend => t.prov_action_suspend,
            PanelAction::Unsuspend => t.prov_action_unsuspend,
            PanelAction::Terminate => t.prov_action_terminate,
            PanelAction::ChangePlan => t.prov_action_change_plan,
        }
    }
}

/// A manual action waiting for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingActionRow {
    pub id: i32,
    pub service_id: i32,
    pub domain: String,
    pub client_name: String,
    pub client_email: String,
    pub action: PanelAction,
    /// Why, for a suspension.
    pub suspension: Option<Suspension>,
    /// The new plan's slug and cycle, for a plan change.
    pub to_plan: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCancellationRow {
    pub id: i32,
    pub service_id: i32,
    pub domain: String,
    pub client_name: String,
    pub client_email: String,
    pub kind: CancelKind,
    pub reason: String,
    /// ISO date.
    pub effective_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisioningQueue {
    pub actions: Vec<PendingActionRow>,
    pub cancellations: Vec<OpenCancellationRow>,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use domain::hosting::{cancellation as c, provisioning as p, SuspensionReason};

    impl From<p::PendingAction> for PendingActionRow {
        fn from(a: p::PendingAction) -> Self {
            let text = |key: &str| a.detail[key].as_str().map(str::to_owned);
            Self {
                suspension: text("reason").and_then(|r| match SuspensionReason::parse(&r)? {
                    SuspensionReason::Overdue => Some(Suspension::Overdue),
                    SuspensionReason::Staff => Some(Suspension::Staff),
                }),
                to_plan: text("to_plan").map(|plan| match text("cycle") {
                    Some(cycle) => format!("{plan} ({cycle})"),
                    None => plan,
                }),
                action: match a.action {
                    p::ActionKind::Create => PanelAction::Create,
                    p::ActionKind::Suspend => PanelAction::Suspend,
                    p::ActionKind::Unsuspend => PanelAction::Unsuspend,
                    p::ActionKind::Terminate => PanelAction::Terminate,
                    p::ActionKind::ChangePlan => PanelAction::ChangePlan,
                },
                id: a.id,
                service_id: a.service_id,
                domain: a.domain,
                client_name: a.client_name,
                client_email: a.client_email,
                created_at: a.created_at.to_rfc3339(),
            }
        }
    }

    impl From<c::OpenCancellation> for OpenCancellationRow {
        fn from(o: c::OpenCancellation) -> Self {
            Self {
                id: o.request.id,
                service_id: o.request.service_id,
                domain: o.domain,
                client_name: o.client_name,
                client_email: o.client_email,
                kind: crate::services::cancellation::convert::kind(o.request.kind),
                reason: o.request.reason,
                effective_on: o.request.effective_on.to_string(),
            }
        }
    }
}

#[server(prefix = "/_fn", endpoint = "staff_provisioning_queue")]
pub async fn staff_provisioning_queue() -> Result<ProvisioningQueue, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let actions = domain::hosting::provisioning::pending_actions(&svc.db).await?;
    let cancellations = domain::hosting::cancellation::open_requests(&svc.db).await?;
    Ok(ProvisioningQueue {
        actions: actions.into_iter().map(Into::into).collect(),
        cancellations: cancellations.into_iter().map(Into::into).collect(),
    })
}

/// Staff did a manual action on the panel.
#[server(prefix = "/_fn", endpoint = "staff_action_done")]
pub async fn staff_action_done(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let staff = ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::hosting::provisioning::mark_action_done(&svc.db, id, staff.id, svc.now()).await?;
    leptos_axum::redirect("/staff/provisioning?done=action");
    Ok(())
}

/// Staff carry out an open cancellation request now (the service is cancelled through its
/// module, which queues the termination on the panel).
#[server(prefix = "/_fn", endpoint = "staff_cancel_now")]
pub async fn staff_cancel_now(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let staff = ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::hosting::cancellation::carry_out_by(&svc.db, id, Some(staff.id), svc.now()).await?;
    leptos_axum::redirect("/staff/provisioning?done=cancellation");
    Ok(())
}
