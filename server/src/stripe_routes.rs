//! Stripe's two ways back into Portico: its events (`POST /webhooks/stripe`, signature checked)
//! and the client returning from the bank's 3-D Secure page
//! (`GET /invoices/{id}/card-return?payment_intent=…`).
use crate::AppState;
use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Extension,
};
use domain::{
    accounts::{Permission, Viewer},
    billing::cards::{charge, webhook},
    DomainError,
};

pub async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = state.stripe_webhook_secret.as_deref() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "webhooks are off: STRIPE_WEBHOOK_SECRET is not set",
        )
            .into_response();
    };
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let svc = &state.services;
    if let Err(e) = webhook::verify(secret, signature, &body, svc.now()) {
        tracing::warn!(error = %e, "refused a Stripe webhook");
        return (StatusCode::BAD_REQUEST, e.to_string()).into_response();
    }
    let event = match webhook::parse(&body) {
        Ok(ev) => ev,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    match webhook::handle(svc, &event).await {
        Ok(handled) => (StatusCode::OK, format!("{handled:?}")).into_response(),
        // Stripe retries a failed delivery; handling is idempotent.
        Err(e) => {
            tracing::error!(error = %e, "handling a Stripe event failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "try again later").into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct Return {
    payment_intent: Option<String>,
}

pub async fn card_return(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Query(q): Query<Return>,
) -> Response {
    let Some(user) = viewer.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (Ok(id), Some(intent)) = (id.parse::<i32>(), q.payment_intent) else {
        return (StatusCode::NOT_FOUND, "payment not found").into_response();
    };
    if !user.can(Permission::Invoices) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match charge::return_from_authentication(&state.services, user.client_id, id, &intent).await {
        // The invoice page says how it ended.
        Ok(_) => Redirect::to(&format!("/invoices/{id}#pay")).into_response(),
        Err(DomainError::NotFound) => (StatusCode::NOT_FOUND, "payment not found").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "checking a payment after 3-D Secure");
            Redirect::to(&format!("/invoices/{id}#pay")).into_response()
        }
    }
}
