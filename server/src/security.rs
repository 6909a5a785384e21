//! Response headers every answer carries, the page Content-Security-Policy, and the origin
//! check that protects every mutation (forms and server functions alike) from CSRF.
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The policy for HTML pages: scripts only with this response's nonce (and what they load).
pub fn page_csp(nonce: &str, card: &CardSources) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{c}; \
         frame-src{f}; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'{a}; frame-ancestors 'none'",
        c = card.connect,
        f = if card.frame.is_empty() {
            " 'none'"
        } else {
            &card.frame
        },
        a = card.form_action,
    )
}

/// What a page may reach for card payments: Stripe.js's frames and API, and the bank's
/// 3-D Secure page a payment form is sent on to. Empty without Stripe.
#[derive(Clone, Debug, Default)]
pub struct CardSources {
    connect: String,
    frame: String,
    form_action: String,
}

impl CardSources {
    /// `api_origin`: where the Stripe client points (Stripe, or the stand-in in tests).
    pub fn stripe(api_origin: &str) -> Self {
        Self {
            connect: format!(" https://api.stripe.com {api_origin}"),
            frame: " https://js.stripe.com https://hooks.stripe.com".into(),
            form_action: format!(" https://hooks.stripe.com {api_origin}"),
        }
    }
}

/// For everything that is not a page (files, JSON): nothing may run or frame it.
const DEFAULT_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (header::CONTENT_SECURITY_POLICY, DEFAULT_CSP),
    ];
    for (name, value) in defaults {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    res
}

/// Allowed origins for state-changing requests: the configured public URL, and the address the
/// browser used to reach us (an attacker's page cannot set our Host header in a victim's browser).
#[derive(Clone)]
pub struct OriginPolicy {
    pub base_origin: String,
}

/// Paths that authenticate their callers another way (signatures, API tokens).
const CSRF_EXEMPT: &[&str] = &["/webhooks/", "/api/v1/"];

pub async fn check_origin(
    State(policy): State<OriginPolicy>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    if safe || CSRF_EXEMPT.iter().any(|p| path.starts_with(p)) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let host = get(header::HOST).unwrap_or_default();
    let same = |origin: &str| {
        let origin = origin.trim_end_matches('/');
        origin == policy.base_origin
            || origin == format!("http://{host}")
            || origin == format!("https://{host}")
    };
    let allowed = match get(header::ORIGIN) {
        Some(origin) => same(origin),
        // Old browsers omit Origin on same-origin requests; fall back to the fetch metadata or Referer.
        None => match get(header::HeaderName::from_static("sec-fetch-site")) {
            Some(site) => site == "same-origin",
            None => get(header::REFERER)
                .and_then(|r| url::Url::parse(r).ok())
                .is_some_and(|u| same(&u.origin().ascii_serialization())),
        },
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(path, "cross-origin request refused");
        (
            StatusCode::FORBIDDEN,
            "Cross-site request refused. Reload the page and submit the form again.",
        )
            .into_response()
    }
}

pub fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Try again in a moment.",
    )
        .into_response()
}
