use crate::{components::PageHeading, i18n::use_i18n};
use leptos::prelude::*;

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    let t = use_i18n().t();
    view! {
        <PageHeading text=Signal::derive(move || t().not_found_title.to_string())/>
        <p>{move || t().not_found_body}</p>
        <a class="button" href="/">{move || t().go_home}</a>
    }
}

#[component]
pub fn ForbiddenPage() -> impl IntoView {
    set_status(403);
    let t = use_i18n().t();
    view! {
        <PageHeading text=Signal::derive(move || t().forbidden_title.to_string())/>
        <p>{move || t().forbidden_body}</p>
        <a class="button" href="/">{move || t().go_home}</a>
    }
}
