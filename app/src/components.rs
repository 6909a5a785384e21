//! Small building blocks shared by pages.
use crate::{error::AppError, i18n::use_i18n};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's `<h1>` and document title.
#[component]
pub fn PageHeading(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    // A plain string, not a reactive closure: the server renders the document title after the
    // body, when a Suspense that rendered its children twice may have dropped the first copy.
    let title = format!(
        "{} · {}",
        text.try_get_untracked().unwrap_or_default(),
        i18n.0
            .try_get_untracked()
            .unwrap_or_default()
            .texts()
            .app_name
    );
    view! {
        <Title text=title_markup(title)/>
        <h1>{move || text.try_get().unwrap_or_default()}</h1>
    }
}

/// leptos_meta 0.8 writes the server-rendered `<title>` text as it is, so a heading holding
/// `</title><script>` would end the element and run. The server escapes it (the browser decodes
/// entities inside `<title>`); in the browser the text is set as `document.title`, unescaped.
fn title_markup(title: String) -> String {
    if cfg!(feature = "ssr") {
        title.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        title
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
    /// The value the field starts with (e.g. what is saved).
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    // The saved value is also set as what the input holds: when the form is rendered again
    // from newly saved data (a normalised VAT number, say), the browser would otherwise keep
    // showing what was typed, as the `value` attribute is only the default once edited.
    let holds = match value.clone() {
        Some(v) => Either::Left(view! { <{..} prop:value=v/> }),
        None => Either::Right(()),
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <input
                {..holds}
                id=id
                name=name
                type=r#type
                autocomplete=autocomplete
                required=required
                minlength=minlength
                maxlength=maxlength
                aria-describedby=described
                value=value
                inputmode=inputmode
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.get()}</p> })}
        </div>
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

/// The placeholder while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    let t = use_i18n().t();
    view! { <p class="loading" aria-busy="true">{move || t().loading}</p> }
}

/// A failed load, in the user's language. A missing item also sets the page's status to 404;
/// an ended session sends the visitor to sign in (the server does the same for page loads).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthenticated => {
            let next = leptos_router::hooks::use_location()
                .pathname
                .get_untracked();
            return view! { <leptos_router::components::Redirect path=format!("/login?next={next}")/> }.into_any();
        }
        AppError::NotFound => crate::pages::set_status(404),
        AppError::Forbidden => crate::pages::set_status(403),
        _ => {}
    }
    view! { <p class="alert alert-error" role="alert">{error.message(i18n.locale())}</p> }
        .into_any()
}

/// Previous/next links for a paginated list; works without JavaScript.
#[component]
pub fn Pagination(
    page: u64,
    pages: u64,
    href: impl Fn(u64) -> String + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_i18n().t();
    (pages > 1).then(|| {
        let prev = (page > 1).then(|| href(page - 1));
        let next = (page < pages).then(|| href(page + 1));
        view! {
            <nav class="pagination" aria-label=move || t().pagination>
                {prev.map(|h| view! { <a href=h rel="prev">{move || t().page_prev}</a> })}
                <span>{format!("{page} / {pages}")}</span>
                {next.map(|h| view! { <a href=h rel="next">{move || t().page_next}</a> })}
            </nav>
        }
    })
}

/// The `?page=` of a paginated list (1 when absent or not a number).
pub fn use_page_param() -> impl Fn() -> u64 + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    }
}

/// The `?status=` of a filtered list, when `valid` accepts it.
pub fn use_status_param(
    valid: fn(&str) -> bool,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("status").filter(|s| valid(s))
}

/// "All" and one chip per status (code, label); the current one is marked. Plain links, so
/// filtering works without JavaScript.
#[component]
pub fn StatusFilter(
    base: &'static str,
    current: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    options: Vec<(&'static str, Signal<&'static str>)>,
) -> impl IntoView {
    let t = use_i18n().t();
    let link = move |code: Option<&'static str>, label: Signal<&'static str>| {
        let href = code
            .map(|c| format!("{base}?status={c}"))
            .unwrap_or_else(|| base.into());
        let aria_current = move || (current().as_deref() == code).then_some("page");
        view! { <a href=href aria-current=aria_current class="chip">{move || label.get()}</a> }
    };
    view! {
        <nav class="chips" aria-label=move || t().filter_label>
            {link(None, Signal::derive(move || t().filter_all))}
            {options.into_iter().map(|(code, label)| link(Some(code), label)).collect_view()}
        </nav>
    }
}

/// The address of page `page` of a list at `base`, keeping its status filter.
pub fn filtered_page_href(base: &str, status: Option<String>, page: u64) -> String {
    match status {
        Some(s) => format!("{base}?status={s}&page={page}"),
        None => format!("{base}?page={page}"),
    }
}
