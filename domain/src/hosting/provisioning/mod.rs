//! The provisioning interface. Every change of a service's status (create, suspend, unsuspend,
//! terminate, change plan) goes through a [`ProvisioningModule`], chosen by the plan's `module`
//! column, so that a real hosting-panel module can be plugged in later. Until then the
//! [`ManualModule`] queues each action for staff, who do it by hand in the panel and mark it
//! done. Either way each change writes exactly one row in `provisioning_actions`, in the same
//! transaction as the status change.
//!
//! The status changes themselves are in [`lifecycle`]; the staff queue is in [`queue`].
pub mod lifecycle;
pub mod queue;

pub use lifecycle::{activate, change_plan, suspend, terminate, unsuspend};
pub use queue::{mark_action_done, pending_actions, PendingAction};

use super::SuspensionReason;
use crate::billing::proration::BillingCycle;
use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, RwLock},
};

/// The name of the built-in module, and the default of `plans.module`.
pub const MANUAL: &str = "manual";

/// What a module is asked to do, as stored in `provisioning_actions.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Create,
    Suspend,
    Unsuspend,
    Terminate,
    ChangePlan,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] = [
        ActionKind::Create,
        ActionKind::Suspend,
        ActionKind::Unsuspend,
        ActionKind::Terminate,
        ActionKind::ChangePlan,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Create => "create",
            ActionKind::Suspend => "suspend",
            ActionKind::Unsuspend => "unsuspend",
            ActionKind::Terminate => "terminate",
            ActionKind::ChangePlan => "change_plan",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The service a module acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub service_id: i32,
    pub client_id: i32,
    pub domain: String,
    /// The slug of the service's current plan (the package on the panel).
    pub plan_slug: String,
}

/// The plan a service moves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub plan_id: i32,
    pub plan_slug: String,
    pub cycle: BillingCycle,
    pub amount_cents: i64,
}

/// How a module handled an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Carried out on the panel; recorded as `done`.
    Done,
    /// Left for staff to do by hand; recorded as `pending` until someone marks it done.
    Queued,
}

/// A module's failure; the status change it belonged to is rolled back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ModuleError(pub String);

pub type ModuleResult = Result<Outcome, ModuleError>;

/// A hosting-panel integration. Methods are called inside the database transaction of the
/// status change, after the service row has been updated: an `Err` rolls everything back.
#[async_trait::async_trait]
pub trait ProvisioningModule: Send + Sync {
    async fn create(&self, target: &Target) -> ModuleResult;
    async fn suspend(&self, target: &Target, reason: SuspensionReason) -> ModuleResult;
    async fn unsuspend(&self, target: &Target) -> ModuleResult;
    async fn terminate(&self, target: &Target) -> ModuleResult;
    async fn change_plan(&self, target: &Target, to: &NewPlan) -> ModuleResult;
}

/// Does nothing itself: every action waits in the staff queue.
#[derive(Debug, Default, Clone, Copy)]
pub struct ManualModule;

#[async_trait::async_trait]
impl ProvisioningModule for ManualModule {
    async fn create(&self, _: &Target) -> ModuleResult {
        Ok(Outcome::Queued)
    }
    async fn suspend(&self, _: &Target, _: SuspensionReason) -> ModuleResult {
        Ok(Outcome::Queued)
    }
    async fn unsuspend(&self, _: &Target) -> ModuleResult {
        Ok(Outcome::Queued)
    }
    async fn terminate(&self, _: &Target) -> ModuleResult {
        Ok(Outcome::Queued)
    }
    async fn change_plan(&self, _: &Target, _: &NewPlan) -> ModuleResult {
        Ok(Outcome::Queued)
    }
}

type Registry = RwLock<HashMap<String, Arc<dyn ProvisioningModule>>>;

/// Process-wide, so that the status-change functions keep plain signatures (the billing code
/// calls them inside its own transactions). Modules are registered once at start-up.
static MODULES: LazyLock<Registry> = LazyLock::new(|| {
    let manual: Arc<dyn ProvisioningModule> = Arc::new(ManualModule);
    RwLock::new(HashMap::from([(MANUAL.to_owned(), manual)]))
});

/// Makes a module available to plans whose `module` is `name` (replacing one of that name).
pub fn register_module(name: &str, module: Arc<dyn ProvisioningModule>) {
    MODULES
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_owned(), module);
}

/// The module registered as `name`.
pub fn module(name: &str) -> Option<Arc<dyn ProvisioningModule>> {
    MODULES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(name)
        .cloned()
}

#[cfg(test)]
mod tests;
