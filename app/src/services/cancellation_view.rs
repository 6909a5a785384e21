//! The "Request cancellation" part of the service page: the open request with a "Withdraw"
//! form, or the request form. Both are `ActionForm`s that redirect back to the service page, so
//! they work before (or without) the WebAssembly.
use super::{
    cancellation::{CancelKind, CancellationInfo, RequestCancellation, WithdrawCancellation},
    Status,
};
use crate::{
    components::{FormError, LoadError},
    error::AppError,
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What happened, from the `?cancellation=` the server functions redirect with.
#[component]
pub fn CancellationNotice() -> impl IntoView {
    let t = use_i18n().t();
    let query = use_query_map();
    let notice = move || match query.read().get("cancellation").as_deref() {
        Some("requested") => Some(t().cancel_notice_requested),
        Some("cancelled") => Some(t().cancel_notice_cancelled),
        Some("withdrawn") => Some(t().cancel_notice_withdrawn),
        _ => None,
    };
    move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })
}

#[component]
pub fn CancellationSection(
    service_id: i32,
    status: Status,
    open: Result<Option<CancellationInfo>, AppError>,
    request: ServerAction<RequestCancellation>,
    withdraw: ServerAction<WithdrawCancellation>,
) -> impl IntoView {
    let t = use_i18n().t();
    // Nothing to cancel on a service that has ended.
    if matches!(status, Status::Terminated | Status::Cancelled) {
        return ().into_any();
    }
    let body = match open {
        Ok(Some(r)) => view! { <OpenRequest service_id request=r withdraw/> }.into_any(),
        Ok(None) => view! { <RequestForm service_id request/> }.into_any(),
        Err(e) => view! { <LoadError error=e/> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="cancellation-heading">
            <h2 id="cancellation-heading">{move || t().cancel_title}</h2>
            {body}
        </section>
    }
    .into_any()
}

#[component]
fn OpenRequest(
    service_id: i32,
    request: CancellationInfo,
    withdraw: ServerAction<WithdrawCancellation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let date = request.effective_on.clone();
    let date = move || format::date(&date, i18n.locale());
    let kind = request.kind;
    view! {
        <p class="alert alert-info" role="status">
            {move || t().cancel_cancels_on}" "<strong>{date}</strong>
        </p>
        <dl class="details">
            <dt>{move || t().cancel_when}</dt><dd>{move || kind.label(t())}</dd>
            <dt>{move || t().cancel_reason}</dt><dd>{request.reason}</dd>
        </dl>
        <ActionForm action=withdraw attr:class="form">
            <FormError result=withdraw.value().into()/>
            <input type="hidden" name="service_id" value=service_id.to_string()/>
            <button type="submit" class="button" disabled=move || withdraw.pending().get()>
                {move || t().cancel_withdraw}
            </button>
        </ActionForm>
    }
}

#[component]
fn RequestForm(service_id: i32, request: ServerAction<RequestCancellation>) -> impl IntoView {
    let t = use_i18n().t();
    let radio = move |kind: CancelKind, checked: bool| {
        let id = format!("f-kind-{}", kind.code());
        view! {
            <div class="field-check">
                <input id=id.clone() type="radio" name="kind" value=kind.code() checked=checked/>
                <label for=id>{move || kind.label(t())}</label>
            </div>
        }
    };
    view! {
        <p>{move || t().cancel_intro}</p>
        <ActionForm action=request attr:class="form">
            <FormError result=request.value().into()/>
            <input type="hidden" name="service_id" value=service_id.to_string()/>
            <fieldset class="field">
                <legend>{move || t().cancel_when}</legend>
                {radio(CancelKind::EndOfPeriod, true)}
                {radio(CancelKind::Immediate, false)}
            </fieldset>
            <div class="field">
                <label for="f-cancel-reason">{move || t().cancel_reason}</label>
                <textarea id="f-cancel-reason" name="reason" rows=4 required minlength=3 maxlength=2000
                    aria-describedby="f-cancel-reason-hint"></textarea>
                <p class="hint" id="f-cancel-reason-hint">{move || t().cancel_reason_hint}</p>
            </div>
            <div class="field field-check">
                <input id="f-cancel-confirm" name="confirm" type="checkbox" value="on" required/>
                <label for="f-cancel-confirm">{move || t().cancel_confirm}</label>
            </div>
            <button type="submit" class="button danger" disabled=move || request.pending().get()>
                {move || t().cancel_submit}
            </button>
        </ActionForm>
    }
}
