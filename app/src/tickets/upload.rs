//! The pieces of the ticket pages that need the browser: a form with files that, once the
//! WebAssembly is loaded, sends itself with `fetch` (so a refused form keeps what was typed and
//! shows why), and the live-update stream.
use crate::{error::AppError, i18n::use_i18n};
use leptos::prelude::*;

/// A `multipart/form-data` form to one of the server's ticket routes. Before hydration (or
/// without JavaScript) it is posted normally and the server redirects; afterwards it is sent by
/// `fetch` and only a success leaves the page.
#[component]
pub fn UploadForm(
    action: String,
    #[prop(into)] submit_label: Signal<&'static str>,
    #[prop(into)] sending_label: Signal<&'static str>,
    /// The error a plain post came back with (`?error=`).
    initial_error: Option<AppError>,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(initial_error);
    let pending = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let on_submit = {
        let action = action.clone();
        move |ev: leptos::ev::SubmitEvent| {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            let action = action.clone();
            leptos::task::spawn_local(async move {
                match send(&action, data).await {
                    Ok(to) => {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().assign(&to);
                        }
                        // The page is being replaced; the button stays busy until then.
                        return;
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    let message = move || {
        error
            .get()
            .map(|e| e.message(i18n.locale()))
            .unwrap_or_default()
    };
    view! {
        <form method="post" enctype="multipart/form-data" action=action class="form"
            data-testid=testid on:submit=on_submit>
            {children()}
            // Always present, so hydration finds the same elements whatever the error.
            <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{message}</p>
            <button type="submit" class="button primary" aria-busy=move || pending.get().to_string()
                disabled=move || pending.get()>
                {move || if pending.get() { sending_label.get() } else { submit_label.get() }}
            </button>
        </form>
    }
}

/// Posts the form; `Ok(address to go to)` or the server's refusal.
#[cfg(feature = "hydrate")]
async fn send(action: &str, data: web_sys::FormData) -> Result<String, AppError> {
    let res = gloo_net::http::Request::post(action)
        .header("Accept", "application/json")
        .body(data)
        .map_err(|_| AppError::Network)?
        .send()
        .await
        .map_err(|_| AppError::Network)?;
    let status = res.status();
    let body: serde_json::Value = res.json().await.map_err(|_| {
        // A body over the server's limit may be cut off before any JSON answer.
        if status == 413 {
            AppError::Invalid(crate::error::InvalidInput::AttachmentTooLarge)
        } else {
            AppError::Network
        }
    })?;
    if let Some(to) = body.get("redirect").and_then(|v| v.as_str()) {
        return Ok(to.to_owned());
    }
    Err(body
        .get("code")
        .cloned()
        .and_then(|c| serde_json::from_value::<AppError>(c).ok())
        .unwrap_or(AppError::Internal))
}

/// Calls `on_change` with the ticket's id whenever one the viewer may see changes (`None`:
/// reload everything). Browser only; the stream closes when the page goes.
pub fn use_live_tickets(on_change: impl Fn(Option<i32>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        // Opened in an effect, which runs once hydration is over: an event arriving mid-way
        // must not refetch (and re-render) a page that is still being hydrated.
        let pending = std::cell::Cell::new(Some(on_change));
        Effect::new(move |_| {
            if let Some(on_change) = pending.take() {
                open_live_stream(on_change);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_change;
}

/// The ticket id in the page's route (`/tickets/:id`, `/staff/tickets/:id`).
pub fn use_ticket_id() -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    }
}

/// A ticket page's live updates: `thread` is refetched when this ticket changes (or when
/// events were missed), and a polite live region tells screen readers a message arrived.
#[component]
pub fn LiveThread<T>(ticket: Signal<Option<i32>>, thread: Resource<T>) -> impl IntoView
where
    T: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    let tt = super::texts::use_ticket_texts();
    let arrived = RwSignal::new(false);
    use_live_tickets(move |changed| {
        if changed.is_none() || changed == ticket.get_untracked() {
            arrived.set(true);
            thread.refetch();
        }
    });
    view! {
        <p class="live-note" role="status" aria-live="polite">
            {move || if arrived.get() { tt().live_new_message } else { "" }}
        </p>
    }
}

#[cfg(feature = "hydrate")]
fn open_live_stream(on_change: impl Fn(Option<i32>) + 'static) {
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Ok(source) = web_sys::EventSource::new("/live/tickets") else {
            return;
        };
        let on_change = std::rc::Rc::new(on_change);
        let f = on_change.clone();
        let ticket =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let id = e
                    .data()
                    .as_string()
                    .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
                    .and_then(|v| v.get("ticket").and_then(|t| t.as_i64()))
                    .and_then(|t| i32::try_from(t).ok());
                f(id);
            });
        let reload = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| on_change(None));
        let _ = source.add_event_listener_with_callback("ticket", ticket.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("reload", reload.as_ref().unchecked_ref());
        let kept = send_wrapper::SendWrapper::new((source, ticket, reload));
        on_cleanup(move || kept.0.close());
    }
}
