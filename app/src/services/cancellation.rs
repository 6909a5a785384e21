//! Cancellation requests of the signed-in client: DTOs and server functions (thin adapters
//! over `domain::hosting::cancellation`, every call scoped to the session's client).
use crate::{error::AppError, i18n::Texts};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CancelKind {
    Immediate,
    EndOfPeriod,
}

impl CancelKind {
    /// The form value.
    pub fn code(self) -> &'static str {
        match self {
            CancelKind::Immediate => "immediate",
            CancelKind::EndOfPeriod => "end_of_period",
        }
    }
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            CancelKind::Immediate => t.cancel_kind_immediate,
            CancelKind::EndOfPeriod => t.cancel_kind_end_of_period,
        }
    }
}

/// An open cancellation request, as the service page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationInfo {
    pub id: i32,
    pub kind: CancelKind,
    pub reason: String,
    /// ISO date the service ends.
    pub effective_on: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use super::*;
    use domain::hosting::cancellation as c;

    pub fn kind(k: c::CancellationKind) -> CancelKind {
        match k {
            c::CancellationKind::Immediate => CancelKind::Immediate,
            c::CancellationKind::EndOfPeriod => CancelKind::EndOfPeriod,
        }
    }

    impl From<c::CancellationRequest> for CancellationInfo {
        fn from(r: c::CancellationRequest) -> Self {
            Self {
                id: r.id,
                kind: kind(r.kind),
                reason: r.reason,
                effective_on: r.effective_on.to_string(),
            }
        }
    }
}

/// The open cancellation request of one of the client's services, if any.
#[server(prefix = "/_fn", endpoint = "get_cancellation")]
pub async fn get_cancellation(service_id: i32) -> Result<Option<CancellationInfo>, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let svc = ssr::services()?;
    let open =
        domain::hosting::cancellation::open_request(&svc.db, user.client_id, service_id).await?;
    Ok(open.map(Into::into))
}

/// Asks to cancel one of the client's services. `kind` is `immediate` or `end_of_period`;
/// `confirm` is the "I understand" checkbox (sent only when ticked).
#[server(prefix = "/_fn", endpoint = "request_cancellation")]
pub async fn request_cancellation(
    service_id: i32,
    kind: Option<String>,
    reason: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::{auth::ssr, error::InvalidInput};
    use domain::hosting::cancellation as c;
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let kind = c::CancellationKind::parse(kind.as_deref().unwrap_or_default())
        .map_err(domain::DomainError::from)?;
    let reason = c::CancellationReason::parse(&reason).map_err(domain::DomainError::from)?;
    if confirm.is_none() {
        return Err(AppError::Invalid(InvalidInput::CancellationConfirm));
    }
    let svc = ssr::services()?;
    c::request_cancellation(
        &svc.db,
        user.client_id,
        service_id,
        kind,
        &reason,
        svc.now(),
    )
    .await?;
    let notice = match kind {
        c::CancellationKind::Immediate => "cancelled",
        c::CancellationKind::EndOfPeriod => "requested",
    };
    leptos_axum::redirect(&format!("/services/{service_id}?cancellation={notice}"));
    Ok(())
}

/// Takes back the open cancellation request of one of the client's services.
#[server(prefix = "/_fn", endpoint = "withdraw_cancellation")]
pub async fn withdraw_cancellation(service_id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let svc = ssr::services()?;
    domain::hosting::cancellation::withdraw(&svc.db, user.client_id, service_id, svc.now()).await?;
    leptos_axum::redirect(&format!("/services/{service_id}?cancellation=withdrawn"));
    Ok(())
}
