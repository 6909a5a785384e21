//! `/staff/provisioning`: what staff have to do by hand on the hosting panel, and the clients'
//! open cancellation requests. Cards rather than a table, so it reads on a phone.
use super::staff::{
    staff_provisioning_queue, OpenCancellationRow, PendingActionRow, StaffActionDone,
    StaffCancelNow,
};
use crate::{
    components::{FormError, LoadError, Loading, PageHeading},
    error::AppError,
    format,
    i18n::use_i18n,
    pages::ForbiddenPage,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffProvisioningPage() -> impl IntoView {
    let t = use_i18n().t();
    let done = ServerAction::<StaffActionDone>::new();
    let cancel = ServerAction::<StaffCancelNow>::new();
    let queue = Resource::new(
        move || (done.version().get(), cancel.version().get()),
        |_| staff_provisioning_queue(),
    );
    let query = use_query_map();
    let notice = move || match query.read().get("done").as_deref() {
        Some("action") => Some(t().prov_notice_done),
        Some("cancellation") => Some(t().prov_notice_cancelled),
        _ => None,
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let q = match queue.await {
                    Ok(q) => q,
                    Err(AppError::Forbidden) => return view! { <ForbiddenPage/> }.into_any(),
                    Err(e) => return view! { <LoadError error=e/> }.into_any(),
                };
                let actions = if q.actions.is_empty() {
                    view! { <p class="card empty-state">{move || t().prov_actions_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {q.actions.into_iter().map(|a| view! { <ActionCard action=a done/> }).collect_view()}
                        </ul>
                    }.into_any()
                };
                let cancellations = if q.cancellations.is_empty() {
                    view! { <p class="card empty-state">{move || t().prov_cancellations_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {q.cancellations.into_iter().map(|c| view! { <CancellationCard request=c cancel/> }).collect_view()}
                        </ul>
                    }.into_any()
                };
                view! {
                    <p><a href="/staff">"← "{move || t().staff_title}</a></p>
                    <PageHeading text=Signal::derive(move || t().prov_title.to_string())/>
                    {move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
                    <FormError result=done.value().into()/>
                    <FormError result=cancel.value().into()/>
                    <section aria-labelledby="prov-actions">
                        <h2 id="prov-actions">{move || t().prov_actions_title}</h2>
                        {actions}
                    </section>
                    <section aria-labelledby="prov-cancellations">
                        <h2 id="prov-cancellations">{move || t().prov_cancellations_title}</h2>
                        {cancellations}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn ActionCard(action: PendingActionRow, done: ServerAction<StaffActionDone>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let a = action;
    let kind = a.action;
    let date = a.created_at.clone();
    let date = move || format::date(&date, i18n.locale());
    let suspension = a.suspension;
    view! {
        <li class="card">
            <h3>{move || kind.label(t())}</h3>
            <dl class="details">
                <dt>{move || t().col_domain}</dt><dd>{a.domain.clone()}</dd>
                <dt>{move || t().prov_client}</dt><dd>{a.client_name}" · "{a.client_email}</dd>
                {suspension.map(|r| view! { <dt>{move || t().prov_why}</dt><dd>{move || r.explain(t())}</dd> })}
                {a.to_plan.map(|p| view! { <dt>{move || t().col_plan}</dt><dd>{p}</dd> })}
                <dt>{move || t().prov_since}</dt><dd><time datetime=a.created_at>{date}</time></dd>
            </dl>
            <ActionForm action=done attr:class="form">
                <input type="hidden" name="id" value=a.id.to_string()/>
                <button type="submit" class="button primary" disabled=move || done.pending().get()>
                    {move || t().prov_mark_done}
                </button>
            </ActionForm>
        </li>
    }
}

#[component]
fn CancellationCard(
    request: OpenCancellationRow,
    cancel: ServerAction<StaffCancelNow>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let r = request;
    let kind = r.kind;
    let date = r.effective_on.clone();
    let date = move || format::date(&date, i18n.locale());
    view! {
        <li class="card">
            <h3>{r.domain.clone()}</h3>
            <dl class="details">
                <dt>{move || t().prov_client}</dt><dd>{r.client_name}" · "{r.client_email}</dd>
                <dt>{move || t().cancel_when}</dt><dd>{move || kind.label(t())}</dd>
                <dt>{move || t().cancel_cancels_on}</dt><dd><time datetime=r.effective_on.clone()>{date}</time></dd>
                <dt>{move || t().cancel_reason}</dt><dd>{r.reason}</dd>
            </dl>
            <ActionForm action=cancel attr:class="form">
                <input type="hidden" name="id" value=r.id.to_string()/>
                <button type="submit" class="button danger" disabled=move || cancel.pending().get()>
                    {move || t().prov_cancel_now}
                </button>
            </ActionForm>
        </li>
    }
}
