//! Portico's user interface: Leptos components rendered on the server and hydrated in the
//! browser, plus the server functions they call.
pub mod auth;
#[cfg(feature = "hydrate")]
mod browser;
mod components;
pub mod error;
pub mod i18n;
mod layout;
pub mod pages;
mod theme;

use auth::{provide_auth, use_auth, UserDto};
use i18n::{I18n, Locale};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};
use pages::*;

/// The HTML document. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = initial_locale();
    let theme = theme::chosen_theme();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code() data-theme=theme>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="theme-color" content="#1e40af"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HydrationScripts options/>
                <script nonce=leptos::nonce::use_nonce()>
                    "if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/sw.js'); }"
                </script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language to render in: an explicit choice (cookie), else the account's language, else
/// the browser's, else English. In the browser: whatever the server rendered.
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use auth::ssr;
        let viewer = ssr::viewer();
        ssr::request_cookie(ssr::LANGUAGE_COOKIE)
            .and_then(|c| Locale::from_code(&c))
            .or_else(|| viewer.user.as_ref().map(|u| UserDto::from(u).language))
            .or_else(|| {
                use_context::<axum::http::request::Parts>()
                    .and_then(|p| p.headers.get(axum::http::header::ACCEPT_LANGUAGE).cloned())
                    .and_then(|h| h.to_str().ok().and_then(Locale::from_accept_language))
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        browser::document_lang()
            .and_then(|l| Locale::from_code(&l))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

/// In-order streaming: pages arrive complete, so they work before (or without) the WebAssembly,
/// which out-of-order streaming needs to swap in suspended content.
const IN_ORDER: SsrMode = SsrMode::InOrder;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n(RwSignal::new(initial_locale()));
    provide_context(i18n);
    view! {
        <Stylesheet id="portico" href="/pkg/portico.css"/>
        <Title text="Portico"/>
        <Router>
            <Routed/>
        </Router>
    }
}

/// Everything that needs the router: the auth actions must be created inside it so that a
/// failed form post without JavaScript (error carried back in the URL) reaches its action.
#[component]
fn Routed() -> impl IntoView {
    let i18n = i18n::use_i18n();
    let auth = provide_auth();
    // A signed-in user sees their account's language (switching it updates the account).
    Effect::new(move |_| {
        if let Some(Ok(Some(user))) = auth.user.get() {
            if i18n.0.get_untracked() != user.language {
                i18n.0.set(user.language);
                #[cfg(feature = "hydrate")]
                browser::set_document_lang(user.language.code());
            }
        }
    });
    view! {
            <layout::Layout>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") ssr=IN_ORDER view=HomePage/>
                    <Route path=path!("/login") ssr=IN_ORDER view=auth::LoginPage/>
                    <Route path=path!("/logout") ssr=IN_ORDER view=auth::LogoutPage/>
                    <Route path=path!("/password/forgot") ssr=IN_ORDER view=auth::ForgotPasswordPage/>
                    <Route path=path!("/password/reset/:token") ssr=IN_ORDER view=auth::ResetPasswordPage/>
                    <Route path=path!("/services") ssr=IN_ORDER view=ServicesPage/>
                    <Route path=path!("/services/:id") ssr=IN_ORDER view=ServicesPage/>
                    <Route path=path!("/services/:id/upgrade") ssr=IN_ORDER view=ServicesPage/>
                    <Route path=path!("/invoices") ssr=IN_ORDER view=InvoicesPage/>
                    <Route path=path!("/invoices/:id") ssr=IN_ORDER view=InvoicesPage/>
                    <Route path=path!("/billing/payment-methods") ssr=IN_ORDER view=PaymentMethodsPage/>
                    <Route path=path!("/billing/credit") ssr=IN_ORDER view=CreditPage/>
                    <Route path=path!("/tickets") ssr=IN_ORDER view=TicketsPage/>
                    <Route path=path!("/tickets/new") ssr=IN_ORDER view=TicketsPage/>
                    <Route path=path!("/tickets/:id") ssr=IN_ORDER view=TicketsPage/>
                    <Route path=path!("/kb") ssr=IN_ORDER view=KnowledgeBasePage/>
                    <Route path=path!("/kb/*rest") ssr=IN_ORDER view=KnowledgeBasePage/>
                    <Route path=path!("/news") ssr=IN_ORDER view=NewsPage/>
                    <Route path=path!("/news/:slug") ssr=IN_ORDER view=NewsPage/>
                    <Route path=path!("/account") ssr=IN_ORDER view=AccountPage/>
                    <Route path=path!("/account/security") ssr=IN_ORDER view=SecurityPage/>
                    <Route path=path!("/account/contacts") ssr=IN_ORDER view=ContactsPage/>
                    <Route path=path!("/account/emails") ssr=IN_ORDER view=EmailHistoryPage/>
                    <Route path=path!("/staff") ssr=IN_ORDER view=StaffHomePage/>
                </Routes>
            </layout::Layout>
    }
}

/// Renders `render(user)` for a signed-in user, and sends anyone else to the sign-in page.
/// The server already redirects signed-out page loads; this covers navigation in the browser.
#[component]
pub fn RequireUser(
    render: impl Fn(UserDto) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let auth = use_auth();
    let t = i18n::use_i18n().t();
    let location = use_location();
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">{move || t().loading}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => render(user),
                    _ => {
                        let next = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}
