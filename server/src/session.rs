//! Who is making the request: resolves the session cookie once per request, and keeps
//! signed-out visitors out of the client area.
use crate::AppState;
use app::auth::ssr::{cookie, SESSION_COOKIE};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use domain::accounts::{RequestMeta, Viewer};
use std::net::SocketAddr;

/// Static assets carry a file extension; pages and server functions do not need a session.
fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if !is_asset(req.uri().path()) {
        let token = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
        let user = match &token {
            Some(t) => match domain::accounts::resolve_session(&state.services, t).await {
                Ok(u) => u,
                Err(e) => {
                    tracing::error!(error = %e, "resolving session");
                    return crate::security::internal_error();
                }
            },
            None => None,
        };
        let forwarded = state
            .trust_proxy
            .then(|| {
                req.headers()
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
            })
            .flatten()
            .and_then(|v| v.rsplit(',').next())
            .map(|ip| ip.trim().to_owned());
        let ip = forwarded
            .or_else(|| {
                req.extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_default();
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        req.extensions_mut().insert(Viewer {
            user,
            session_token: token,
            meta: RequestMeta { ip, user_agent },
        });
    }
    next.run(req).await
}

/// Pages anyone may open. Everything else needs a session (roles are checked by each page
/// and server function).
const PUBLIC_PAGES: &[&str] = &[
    "/login",
    "/logout",
    "/password/",
    "/email/confirm/",
    "/kb",
    "/news",
    "/sso/",
    "/offline",
];
/// Handled by their own authentication (server functions check the session themselves).
const NOT_PAGES: &[&str] = &["/_fn/", "/healthz", "/webhooks/", "/api/"];

fn starts_with_segment(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| prefix.ends_with('/') || rest.is_empty() || rest.starts_with('/'))
}

pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_page = matches!(*req.method(), Method::GET | Method::HEAD)
        && !is_asset(path)
        && !NOT_PAGES.iter().any(|p| starts_with_segment(path, p));
    let signed_in = req
        .extensions()
        .get::<Viewer>()
        .is_some_and(|v| v.user.is_some());
    if is_page && !signed_in && !PUBLIC_PAGES.iter().any(|p| starts_with_segment(path, p)) {
        let target = req
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        let next = url::form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>();
        let login = if target == "/" {
            "/login".to_owned()
        } else {
            format!("/login?next={next}")
        };
        return Redirect::to(&login).into_response();
    }
    if is_page && signed_in && path == "/login" {
        return Redirect::to("/").into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_prefixes_match_whole_segments() {
        assert!(starts_with_segment("/kb", "/kb"));
        assert!(starts_with_segment("/kb/hosting/dns", "/kb"));
        assert!(!starts_with_segment("/kbx", "/kb"));
        assert!(starts_with_segment("/password/forgot", "/password/"));
        assert!(is_asset("/pkg/portico.js") && is_asset("/sw.js") && !is_asset("/invoices/12"));
    }
}
