//! The 3-D Secure test page a `requires_action` PaymentIntent redirects to, and the index page.

use std::sync::Arc;

use axum::extract::{Path, State as Extract};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::api::{fail_authentication, succeed, Effects};
use crate::objects::TEST_CARDS;
use crate::{position, Shared};

const TITLE: &str = "Stripe stand-in: 3D Secure test";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;\
         line-height:1.5;color:#1a1a1a}}form{{display:inline-block;margin:0 1rem 1rem 0}}\
         button{{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:2px solid #1a1a1a;\
         background:#fff;cursor:pointer}}button:focus-visible{{outline:3px solid #635bff;\
         outline-offset:2px}}.complete{{background:#1a1a1a;color:#fff}}</style>\n</head>\n\
         <body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title)
    );
    (status, Html(page)).into_response()
}

/// `GET /`: what this server is.
pub(crate) async fn index() -> Response {
    let cards: String = TEST_CARDS
        .iter()
        .map(|c| {
            format!(
                "<li><code>{}</code> ({} {})</li>",
                c.token, c.brand, c.last4
            )
        })
        .collect();
    html(
        StatusCode::OK,
        "Stripe stand-in",
        &format!(
            "<h1>Stripe stand-in</h1>\n<p>A local fake of the Stripe API for development and \
             tests. It is not Stripe and must never be used in production.</p>\n\
             <p>API under <code>/v1</code>, test payment methods:</p>\n<ul>{cards}</ul>"
        ),
    )
}

/// `GET /standin/3ds/{pi}`: the customer's bank asks them to authenticate.
pub(crate) async fn page(
    Extract(shared): Extract<Arc<Shared>>,
    Path(pi_id): Path<String>,
) -> Response {
    let state = shared.lock();
    let Some(i) = position(&state.payment_intents, &pi_id) else {
        return not_found(&pi_id);
    };
    let pi = &state.payment_intents[i];
    let status = pi["status"].as_str().unwrap_or_default();
    let id = escape(&pi_id);
    let amount = format!(
        "{} {}",
        pi["amount"].as_i64().unwrap_or(0),
        pi["currency"].as_str().unwrap_or_default().to_uppercase()
    );
    if status != "requires_action" {
        return html(
            StatusCode::OK,
            TITLE,
            &format!(
                "<h1>3D Secure test</h1>\n<p>The payment <code>{id}</code> is not waiting for \
                 authentication (its status is <strong>{}</strong>).</p>",
                escape(status)
            ),
        );
    }
    html(
        StatusCode::OK,
        TITLE,
        &format!(
            "<h1>3D Secure test</h1>\n<p>This page stands in for the card issuer's 3D Secure \
             check of payment <code>{id}</code> (amount {amount}, in the currency's smallest \
             unit).</p>\n\
             <form method=\"post\" action=\"/standin/3ds/{id}/complete\">\
             <button type=\"submit\" class=\"complete\">Complete authentication</button></form>\n\
             <form method=\"post\" action=\"/standin/3ds/{id}/fail\">\
             <button type=\"submit\">Fail authentication</button></form>"
        ),
    )
}

fn not_found(pi_id: &str) -> Response {
    html(
        StatusCode::NOT_FOUND,
        TITLE,
        &format!(
            "<h1>3D Secure test</h1>\n<p>No such payment_intent: <code>{}</code></p>",
            escape(pi_id)
        ),
    )
}

/// `POST` (or `GET`) `/standin/3ds/{pi}/complete`.
pub(crate) async fn complete(shared: Extract<Arc<Shared>>, pi_id: Path<String>) -> Response {
    finish(shared.0, pi_id.0, true)
}

/// `POST` (or `GET`) `/standin/3ds/{pi}/fail`.
pub(crate) async fn fail(shared: Extract<Arc<Shared>>, pi_id: Path<String>) -> Response {
    finish(shared.0, pi_id.0, false)
}

fn finish(shared: Arc<Shared>, pi_id: String, authenticated: bool) -> Response {
    let (pi, return_url, deliveries) = {
        let mut state = shared.lock();
        let Some(i) = position(&state.payment_intents, &pi_id) else {
            return not_found(&pi_id);
        };
        let waiting = state.payment_intents[i]["status"] == "requires_action";
        let return_url = state.return_urls.get(&pi_id).cloned();
        let mut fx = Effects {
            state: &mut state,
            base_url: &shared.base_url,
            pending: &shared.pending,
            request_id: None,
            idempotency_key: None,
            deliveries: Vec::new(),
        };
        // A second click (or a reload) changes nothing and sends the customer back again.
        if waiting {
            if authenticated {
                succeed(&mut fx, i, true);
            } else {
                fail_authentication(&mut fx, i);
            }
        }
        let deliveries = std::mem::take(&mut fx.deliveries);
        (state.payment_intents[i].clone(), return_url, deliveries)
    };
    for delivery in deliveries {
        let _ = shared.outbox.send(delivery);
    }
    let status = pi["status"].as_str().unwrap_or_default();
    let redirect_status = if status == "succeeded" {
        "succeeded"
    } else {
        "failed"
    };
    let Some(return_url) = return_url else {
        return html(
            StatusCode::OK,
            TITLE,
            &format!(
                "<h1>3D Secure test</h1>\n<p>Authentication {redirect_status}: the payment \
                 <code>{}</code> is now <strong>{}</strong>. You can close this window.</p>",
                escape(&pi_id),
                escape(status)
            ),
        );
    };
    let query = serde_urlencoded::to_string([
        ("payment_intent", pi_id.as_str()),
        (
            "payment_intent_client_secret",
            pi["client_secret"].as_str().unwrap_or_default(),
        ),
        ("redirect_status", redirect_status),
    ])
    .unwrap_or_default();
    let (base, fragment) = match return_url.split_once('#') {
        Some((base, fragment)) => (base.to_string(), format!("#{fragment}")),
        None => (return_url.clone(), String::new()),
    };
    let separator = if base.contains('?') { '&' } else { '?' };
    let location = format!("{base}{separator}{query}{fragment}");
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
