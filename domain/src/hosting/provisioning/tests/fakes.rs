//! Stand-in modules: a panel that is down, and one that does the work itself.
use super::super::*;

/// A module whose panel is down.
pub struct Failing;

#[async_trait::async_trait]
impl ProvisioningModule for Failing {
    async fn create(&self, _: &Target) -> ModuleResult {
        Err(ModuleError("panel down".into()))
    }
    async fn suspend(&self, _: &Target, _: SuspensionReason) -> ModuleResult {
        Err(ModuleError("panel down".into()))
    }
    async fn unsuspend(&self, _: &Target) -> ModuleResult {
        Err(ModuleError("panel down".into()))
    }
    async fn terminate(&self, _: &Target) -> ModuleResult {
        Err(ModuleError("panel down".into()))
    }
    async fn change_plan(&self, _: &Target, _: &NewPlan) -> ModuleResult {
        Err(ModuleError("panel down".into()))
    }
}

/// A module that does the work itself.
pub struct Automatic;

#[async_trait::async_trait]
impl ProvisioningModule for Automatic {
    async fn create(&self, _: &Target) -> ModuleResult {
        Ok(Outcome::Done)
    }
    async fn suspend(&self, _: &Target, _: SuspensionReason) -> ModuleResult {
        Ok(Outcome::Done)
    }
    async fn unsuspend(&self, _: &Target) -> ModuleResult {
        Ok(Outcome::Done)
    }
    async fn terminate(&self, _: &Target) -> ModuleResult {
        Ok(Outcome::Done)
    }
    async fn change_plan(&self, _: &Target, _: &NewPlan) -> ModuleResult {
        Ok(Outcome::Done)
    }
}
