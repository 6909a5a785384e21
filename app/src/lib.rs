//! Portico's user interface: Leptos components rendered on the server and hydrated in the
//! browser, plus the server functions they call.
#![recursion_limit = "256"]
pub mod account;
pub mod auth;
#[cfg(feature = "hydrate")]
mod browser;
pub mod cards;
mod components;
pub mod emails;
pub mod error;
mod format;
pub mod i18n;
pub mod invoices;
pub mod kb;
mod layout;
pub mod news;
pub mod pages;
pub mod services;
mod theme;
pub mod tickets;

use auth::provide_auth;
use cards::PaymentMethodsPage;
use i18n::{I18n, Locale};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use pages::*;

/// The HTML document. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = initial_locale();
    let theme = theme::chosen_theme();
    // The browser starts from the same signed-in user the server rendered with.
    let user_json = auth::initial_user().and_then(|u| serde_json::to_string(&u).ok());
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
            <body data-user=user_json>
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
        auth::ssr::request_locale()
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

/// Pages are rendered whole before they are sent: they work before (or without) the
/// WebAssembly, which streamed Suspense content needs, and a page can still set its HTTP status
/// (404 for another client's service) after loading its data.
const SSR_MODE: SsrMode = SsrMode::Async;

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
        if let Some(user) = auth.user.get() {
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
                    <Route path=path!("/") ssr=SSR_MODE view=HomePage/>
                    <Route path=path!("/login") ssr=SSR_MODE view=auth::LoginPage/>
                    <Route path=path!("/login/code") ssr=SSR_MODE view=auth::LoginCodePage/>
                    <Route path=path!("/logout") ssr=SSR_MODE view=auth::LogoutPage/>
                    <Route path=path!("/email/confirm/:token") ssr=SSR_MODE view=account::ConfirmEmailPage/>
                    <Route path=path!("/password/forgot") ssr=SSR_MODE view=auth::ForgotPasswordPage/>
                    <Route path=path!("/password/reset/:token") ssr=SSR_MODE view=auth::ResetPasswordPage/>
                    <Route path=path!("/password/welcome/:token") ssr=SSR_MODE view=auth::WelcomePage/>
                    <Route path=path!("/services") ssr=SSR_MODE view=services::ServiceListPage/>
                    <Route path=path!("/services/:id") ssr=SSR_MODE view=services::ServiceDetailPage/>
                    <Route path=path!("/services/:id/upgrade") ssr=SSR_MODE view=services::UpgradePage/>
                    <Route path=path!("/invoices") ssr=SSR_MODE view=invoices::InvoiceListPage/>
                    <Route path=path!("/invoices/:id") ssr=SSR_MODE view=invoices::InvoiceDetailPage/>
                    <Route path=path!("/billing/payment-methods") ssr=SSR_MODE view=PaymentMethodsPage/>
                    <Route path=path!("/billing/credit") ssr=SSR_MODE view=invoices::CreditPage/>
                    <Route path=path!("/tickets") ssr=SSR_MODE view=tickets::TicketListPage/>
                    <Route path=path!("/tickets/new") ssr=SSR_MODE view=tickets::NewTicketPage/>
                    <Route path=path!("/tickets/:id") ssr=SSR_MODE view=tickets::TicketPage/>
                    <Route path=path!("/kb") ssr=SSR_MODE view=kb::KbHomePage/>
                    <Route path=path!("/kb/search") ssr=SSR_MODE view=kb::KbSearchPage/>
                    <Route path=path!("/kb/:category") ssr=SSR_MODE view=kb::KbCategoryPage/>
                    <Route path=path!("/kb/:category/:article") ssr=SSR_MODE view=kb::KbArticlePage/>
                    <Route path=path!("/news") ssr=SSR_MODE view=news::NewsListPage/>
                    <Route path=path!("/news/:slug") ssr=SSR_MODE view=news::NewsDetailPage/>
                    <Route path=path!("/account") ssr=SSR_MODE view=AccountPage/>
                    <Route path=path!("/account/security") ssr=SSR_MODE view=SecurityPage/>
                    <Route path=path!("/account/contacts") ssr=SSR_MODE view=account::ContactsPage/>
                    <Route path=path!("/account/emails") ssr=SSR_MODE view=emails::EmailHistoryPage/>
                    <Route path=path!("/account/emails/:id") ssr=SSR_MODE view=emails::EmailDetailPage/>
                    <Route path=path!("/staff") ssr=SSR_MODE view=StaffHomePage/>
                    <Route path=path!("/staff/news") ssr=SSR_MODE view=news::StaffNewsListPage/>
                    <Route path=path!("/staff/news/new") ssr=SSR_MODE view=news::StaffNewsNewPage/>
                    <Route path=path!("/staff/news/:id") ssr=SSR_MODE view=news::StaffNewsEditPage/>
                    <Route path=path!("/staff/kb") ssr=SSR_MODE view=kb::StaffKbListPage/>
                    <Route path=path!("/staff/kb/articles/:id") ssr=SSR_MODE view=kb::StaffKbArticlePage/>
                    <Route path=path!("/staff/kb/categories") ssr=SSR_MODE view=kb::StaffKbCategoriesPage/>
                    <Route path=path!("/staff/invoices") ssr=SSR_MODE view=invoices::StaffInvoiceListPage/>
                    <Route path=path!("/staff/invoices/:id") ssr=SSR_MODE view=invoices::StaffInvoicePage/>
                    <Route path=path!("/staff/tickets") ssr=SSR_MODE view=tickets::StaffTicketQueuePage/>
                    <Route path=path!("/staff/tickets/settings") ssr=SSR_MODE view=tickets::StaffTicketSettingsPage/>
                    <Route path=path!("/staff/tickets/:id") ssr=SSR_MODE view=tickets::StaffTicketPage/>
                    <Route path=path!("/staff/provisioning") ssr=SSR_MODE view=services::StaffProvisioningPage/>
                </Routes>
            </layout::Layout>
    }
}
