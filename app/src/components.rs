//! Small building blocks shared by pages.
use crate::{error::AppError, i18n::use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's `<h1>` and document title.
#[component]
pub fn PageHeading(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || format!("{} · {}", text.get(), i18n.t()().app_name);
    view! {
        <Title text=title/>
        <h1>{move || text.get()}</h1>
    }
}

/// The error of the last submission of a form, announced to screen readers.
#[component]
pub fn FormError<T>(result: Signal<Option<Result<T, AppError>>>) -> impl IntoView
where
    T: Send + Sync + Clone + 'static,
{
    let i18n = use_i18n();
    move || match result.get() {
        Some(Err(e)) => Some(view! {
            <p class="alert alert-error" role="alert">{e.message(i18n.locale())}</p>
        }),
        _ => None,
    }
}

/// A labelled input. The label is tied to the input so tests and screen readers find it by name.
#[component]
pub fn Field(
    #[prop(into)] label: Signal<&'static str>,
    name: &'static str,
    #[prop(default = "text")] r#type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id
                name=name
                type=r#type
                autocomplete=autocomplete
                required=required
                minlength=minlength
                maxlength=maxlength
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.get()}</p> })}
        </div>
    }
}

/// A section whose issue is still open.
#[component]
pub fn ComingSoon(#[prop(into)] title: Signal<&'static str>) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <PageHeading text=Signal::derive(move || title.get().to_string())/>
        <section class="card empty-state">
            <p class="badge">{move || t().coming_soon}</p>
            <p>{move || t().coming_soon_body}</p>
            <a href="/">{move || t().go_home}</a>
        </section>
    }
}

/// "New password" and "Repeat the new password", named `password` and `confirm`.
#[component]
pub fn NewPasswordFields() -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <Field label=Signal::derive(move || t().new_password) name="password" r#type="password"
            autocomplete="new-password" hint=Signal::derive(move || t().password_hint) minlength=10 maxlength=128/>
        <Field label=Signal::derive(move || t().confirm_password) name="confirm" r#type="password"
            autocomplete="new-password" minlength=10 maxlength=128/>
    }
}
