//! The app shell around every page: header with navigation, language and theme switches.
use crate::{
    auth::{use_auth, SetLanguage, SignOutButton},
    i18n::{use_i18n, Locale},
};
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <a class="skip-link" href="#main">{move || t().skip_to_content}</a>
        <header class="topbar">
            <a class="brand" href="/">{move || t().app_name}</a>
            <Nav/>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="footer">
            <span>{move || t().footer}</span>
            <LanguageSwitch/>
            <ThemeToggle/>
        </footer>
    }
}

/// On a phone the menu folds into a `<details>`, which opens without JavaScript.
#[component]
fn Nav() -> impl IntoView {
    let t = use_i18n().t();
    let auth = use_auth();
    // A contact sees only the sections their permissions open.
    let links = move |user_is_staff: bool, p: crate::auth::Perms| {
        view! {
            <ul class="nav-list">
                <li><a href="/">{move || t().nav_home}</a></li>
                <li hidden=!p.services><a href="/services">{move || t().nav_services}</a></li>
                <li class="nav-group" hidden=!(p.invoices || p.payment_methods)>
                    <span class="nav-group-title">{move || t().nav_billing}</span>
                    <ul>
                        <li hidden=!p.invoices><a href="/invoices">{move || t().nav_invoices}</a></li>
                        <li hidden=!p.payment_methods><a href="/billing/payment-methods">{move || t().nav_payment_methods}</a></li>
                    </ul>
                </li>
                <li class="nav-group">
                    <span class="nav-group-title">{move || t().nav_support}</span>
                    <ul>
                        <li hidden=!p.tickets><a href="/tickets">{move || t().nav_tickets}</a></li>
                        <li><a href="/kb">{move || t().nav_kb}</a></li>
                        <li><a href="/news">{move || t().nav_news}</a></li>
                    </ul>
                </li>
                <li><a href="/account">{move || t().nav_account}</a></li>
                {user_is_staff.then(|| view! { <li><a href="/staff">{move || t().nav_staff}</a></li> })}
                <li>
                    <SignOutButton class="link-button"/>
                </li>
            </ul>
        }
    };
    move || match auth.user.get() {
        Some(user) => view! {
            <details class="nav-menu">
                <summary>{move || t().nav_menu}</summary>
                <nav aria-label=move || t().nav_label>{links(user.is_staff, user.perms)}</nav>
            </details>
        }
        .into_any(),
        None => view! {
            <nav aria-label=move || t().nav_label class="nav-public">
                <a href="/kb">{move || t().nav_kb}</a>
                <a href="/news">{move || t().nav_news}</a>
                <a href="/login">{move || t().nav_sign_in}</a>
            </nav>
        }
        .into_any(),
    }
}

/// One small form per language, so the switch works without JavaScript too.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(locale)) = action.value().get() {
            i18n.0.set(locale);
            #[cfg(feature = "hydrate")]
            crate::browser::set_document_lang(locale.code());
        }
    });
    view! {
        <div class="lang-switch" role="group" aria-label=move || i18n.t()().language>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <ActionForm action=action attr:class="inline-form">
                            <input type="hidden" name="lang" value=l.code()/>
                            <button
                                type="submit"
                                class="link-button"
                                lang=l.code()
                                aria-current=move || (i18n.locale() == l).then_some("true")
                            >
                                {l.native_name()}
                            </button>
                        </ActionForm>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Light/dark switch. It needs the WebAssembly: before hydration the theme follows the system.
#[component]
fn ThemeToggle() -> impl IntoView {
    let t = use_i18n().t();
    // The server renders the theme from the cookie; the browser reads the same from <html>.
    let dark = RwSignal::new(crate::theme::initial_is_dark());
    // With no choice made, the server cannot know the system theme; the browser can (effects
    // run only after hydration, so the server-rendered label is not contradicted mid-hydration).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if crate::theme::chosen_theme().is_none() {
            dark.set(crate::browser::prefers_dark());
        }
    });
    let toggle = move |_| {
        let next = !dark.get_untracked();
        dark.set(next);
        #[cfg(feature = "hydrate")]
        crate::browser::apply_theme(if next { "dark" } else { "light" });
    };
    view! {
        <button type="button" class="link-button theme-toggle" on:click=toggle>
            {move || if dark.get() { t().theme_light } else { t().theme_dark }}
        </button>
    }
}
