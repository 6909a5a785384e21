//! Sign-in, sign-out, password reset and change: DTOs and server functions. The server functions
//! are thin adapters over `domain::accounts`.
mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use pages::{
    ForgotPasswordPage, LoginCodePage, LoginPage, LogoutPage, ResetPasswordPage, WelcomePage,
};

use crate::{error::AppError, i18n::Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub name: String,
    pub email: String,
    pub is_staff: bool,
    pub language: Locale,
    /// A contact acting for someone else's account.
    pub is_contact: bool,
    pub perms: Perms,
}

/// What the signed-in person may see in the client area (all of it for an account's owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Perms {
    pub invoices: bool,
    pub payment_methods: bool,
    pub tickets: bool,
    pub services: bool,
    pub contacts: bool,
}

#[cfg(feature = "ssr")]
impl From<domain::accounts::Permissions> for Perms {
    fn from(p: domain::accounts::Permissions) -> Self {
        use domain::accounts::Permission as P;
        Self {
            invoices: p.has(P::Invoices),
            payment_methods: p.has(P::PaymentMethods),
            tickets: p.has(P::Tickets),
            services: p.has(P::Services),
            contacts: p.has(P::Contacts),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<&domain::accounts::SessionUser> for UserDto {
    fn from(u: &domain::accounts::SessionUser) -> Self {
        Self {
            name: u.name.clone(),
            email: u.email.clone(),
            is_staff: u.is_staff(),
            language: match u.language {
                domain::accounts::Language::En => Locale::En,
                domain::accounts::Language::Es => Locale::Es,
            },
            is_contact: u.is_contact(),
            perms: u.permissions.into(),
        }
    }
}

#[server(prefix = "/_fn", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<UserDto>, AppError> {
    Ok(ssr::viewer().user.as_ref().map(UserDto::from))
}

#[server(prefix = "/_fn", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let viewer = ssr::viewer();
    let step = domain::accounts::sign_in(
        &svc,
        &email,
        &password,
        &viewer.meta,
        viewer.session_token.as_deref(),
    )
    .await?;
    let next = ssr::safe_next(next.as_deref());
    match step {
        domain::accounts::SignInStep::Done(signed_in) => {
            ssr::set_session_cookie(&signed_in.token);
            ssr::set_language_cookie(signed_in.user.language.as_str());
            leptos_axum::redirect(&next);
        }
        domain::accounts::SignInStep::NeedsCode(challenge) => {
            ssr::set_challenge_cookie(&challenge);
            let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            leptos_axum::redirect(&format!("/login/code?next={next}"));
        }
    }
    Ok(())
}

/// The second step of signing in with two-factor sign-in on: the code from the app, or a
/// recovery code.
#[server(prefix = "/_fn", endpoint = "verify_sign_in")]
pub async fn verify_sign_in(code: String, next: Option<String>) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let viewer = ssr::viewer();
    let challenge =
        ssr::request_cookie(ssr::CHALLENGE_COOKIE).ok_or(AppError::InvalidCredentials)?;
    let signed_in = domain::accounts::totp::complete_sign_in(
        &svc,
        &challenge,
        &code,
        &viewer.meta,
        viewer.session_token.as_deref(),
    )
    .await?;
    ssr::clear_challenge_cookie();
    ssr::set_session_cookie(&signed_in.token);
    ssr::set_language_cookie(signed_in.user.language.as_str());
    leptos_axum::redirect(&ssr::safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let svc = ssr::services()?;
    if let Some(token) = ssr::viewer().session_token {
        domain::accounts::sign_out(&svc.db, &token).await?;
    }
    ssr::clear_session_cookie();
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let svc = ssr::services()?;
    domain::accounts::request_password_reset(&svc, &email).await?;
    leptos_axum::redirect("/password/forgot?sent=1");
    Ok(())
}

/// Sets the password from a reset or invitation link, then sends the browser to the sign-in
/// page, which says which of the two happened (`welcome`: the invitation's form).
#[server(prefix = "/_fn", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
    #[server(default)] welcome: Option<String>,
) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let new = domain::accounts::NewPassword::parse(&password, &confirm)
        .map_err(domain::DomainError::from)?;
    domain::accounts::reset_password(&svc, &token, &new).await?;
    ssr::clear_session_cookie();
    leptos_axum::redirect(if welcome.is_some() {
        "/login?password_set=1"
    } else {
        "/login?password_reset=1"
    });
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let svc = ssr::services()?;
    let user = ssr::require_user()?;
    let new = domain::accounts::NewPassword::parse(&password, &confirm)
        .map_err(domain::DomainError::from)?;
    domain::accounts::change_password(&svc, user.id, user.session_id, &current, &new).await?;
    Ok(())
}

/// Switches the interface language for this browser, and for a signed-in user also the
/// language of their emails.
#[server(prefix = "/_fn", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<Locale, AppError> {
    let locale =
        Locale::from_code(&lang).ok_or(AppError::Invalid(crate::error::InvalidInput::Language))?;
    if let Some(user) = ssr::viewer().user {
        let svc = ssr::services()?;
        let language =
            domain::accounts::Language::parse(locale.code()).map_err(domain::DomainError::from)?;
        domain::accounts::set_language(&svc, user.id, language).await?;
    }
    ssr::set_language_cookie(locale.code());
    Ok(locale)
}

/// The signed-in user for the navigation. Known synchronously while rendering on the server
/// (from the request) and handed to the browser in the page (`data-user` on `<body>`), so no
/// Suspense is needed; in the browser it is refreshed after every navigation.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: RwSignal<Option<UserDto>>,
}

/// Must be called inside the `<Router>`.
pub fn provide_auth() -> Auth {
    let user = RwSignal::new(initial_user());
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |previous: Option<String>| {
            let path = location.pathname.get();
            if previous.is_some_and(|p| p != path) {
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = whoami().await {
                        user.set(fresh);
                    }
                });
            }
            path
        });
    }
    let auth = Auth { user };
    provide_context(auth);
    auth
}

/// The user at the start of this page load.
pub fn initial_user() -> Option<UserDto> {
    #[cfg(feature = "ssr")]
    {
        ssr::viewer().user.as_ref().map(UserDto::from)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        crate::browser::body_data("user").and_then(|json| serde_json::from_str(&json).ok())
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Sign-out is a plain form post and a full page load, so nothing of the session stays in
/// the page's memory.
#[component]
pub fn SignOutButton(#[prop(optional)] class: &'static str) -> impl IntoView {
    let t = crate::i18n::use_i18n().t();
    let logout_path = <Logout as server_fn::ServerFn>::PATH;
    view! {
        <form method="post" action=logout_path class="inline-form">
            <button type="submit" class=class>{move || t().nav_sign_out}</button>
        </form>
    }
}
