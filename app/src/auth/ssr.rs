//! Server-side helpers for server functions and SSR: the services, the signed-in viewer (put in
//! the request by the server's session middleware), role checks and cookies.
use crate::error::AppError;
use axum::http::{header::SET_COOKIE, request::Parts, HeaderValue};
use domain::{
    accounts::{Permission, SessionUser, Viewer},
    Services,
};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub const SESSION_COOKIE: &str = "portico_session";
pub const LANGUAGE_COOKIE: &str = "portico_lang";
pub const THEME_COOKIE: &str = "portico_theme";
/// The half-done sign-in between the password and the two-factor code.
pub const CHALLENGE_COOKIE: &str = "portico_2fa";

/// Web settings the server hands to the app along with the services.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Mark cookies `Secure` (the public base URL is https).
    pub secure_cookies: bool,
}

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from context");
        AppError::Internal
    })
}

pub fn viewer() -> Viewer {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<Viewer>().cloned())
        .unwrap_or_default()
}

pub fn require_user() -> Result<SessionUser, AppError> {
    viewer().user.ok_or(AppError::Unauthenticated)
}

/// Staff, with two-factor sign-in on when the staff setting requires it.
pub fn require_staff() -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    if user.needs_totp_setup {
        return Err(AppError::Refused(crate::error::Refusal::TwoFactorRequired));
    }
    Ok(user)
}

/// Someone who may use this part of the client area: the account's owner, or a contact with
/// the permission. Queries are then scoped by `client_id`, the account's.
pub fn require_client(p: Permission) -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if user.can(p) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Any signed-in person; what they see is filtered by their permissions.
pub fn require_client_area() -> Result<SessionUser, AppError> {
    require_user()
}

/// The account's owner: profile, invoice details and the login email are theirs alone.
pub fn require_owner() -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if user.is_contact() {
        Err(AppError::Forbidden)
    } else {
        Ok(user)
    }
}

/// A non-empty cookie from request headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v)
}

/// A cookie from the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    cookie(&parts.headers, name).map(str::to_owned)
}

fn set_cookie(name: &str, value: &str, max_age_secs: i64, http_only: bool) {
    let secure = use_context::<WebSettings>().is_some_and(|s| s.secure_cookies);
    let cookie = format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax{}{}",
        if http_only { "; HttpOnly" } else { "" },
        if secure { "; Secure" } else { "" },
    );
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

/// A long-lived cookie scripts cannot read.
pub fn set_http_only_cookie(name: &str, value: &str, max_age_secs: i64) {
    set_cookie(name, value, max_age_secs, true);
}

pub fn set_session_cookie(token: &str) {
    set_cookie(
        SESSION_COOKIE,
        token,
        domain::accounts::SESSION_TTL_DAYS * 24 * 3600,
        true,
    );
}

pub fn clear_session_cookie() {
    set_cookie(SESSION_COOKIE, "", 0, true);
}

pub fn set_challenge_cookie(token: &str) {
    set_cookie(
        CHALLENGE_COOKIE,
        token,
        domain::accounts::totp::CHALLENGE_MINUTES * 60,
        true,
    );
}

pub fn clear_challenge_cookie() {
    set_cookie(CHALLENGE_COOKIE, "", 0, true);
}

pub fn set_language_cookie(code: &str) {
    set_cookie(LANGUAGE_COOKIE, code, 365 * 24 * 3600, false);
}

/// Where to go after signing in: only a path on this site, never another origin.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The language of this request: an explicit choice (cookie), else the account's language,
/// else the browser's, else English.
pub fn request_locale() -> crate::i18n::Locale {
    use crate::i18n::Locale;
    request_cookie(LANGUAGE_COOKIE)
        .and_then(|c| Locale::from_code(&c))
        .or_else(|| {
            viewer()
                .user
                .as_ref()
                .map(|u| crate::auth::UserDto::from(u).language)
        })
        .or_else(|| {
            use_context::<Parts>()
                .and_then(|p| p.headers.get(axum::http::header::ACCEPT_LANGUAGE).cloned())
                .and_then(|h| h.to_str().ok().and_then(Locale::from_accept_language))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/invoices?x=1")), "/invoices?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
