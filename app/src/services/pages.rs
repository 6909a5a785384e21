use super::{
    cancellation::{get_cancellation, RequestCancellation, WithdrawCancellation},
    cancellation_view::{CancellationNotice, CancellationSection},
    get_service, list_services, ServiceRow, Status,
};
use crate::{
    components::{
        filtered_page_href, use_page_param, use_status_param, LoadError, Loading, PageHeading,
        Pagination, StatusFilter,
    },
    format,
    i18n::use_i18n,
    invoices::InvoiceTable,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A status with its colour and its name (never colour alone).
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let t = use_i18n().t();
    view! { <span class=format!("badge status-{}", status.code())>{move || status.label(t())}</span> }
}

/// One service as a card: domain (links to the service), status, plan, price and next due date.
#[component]
pub fn ServiceCard(service: ServiceRow) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let s = service;
    let price = move || {
        format!(
            "{} · {}",
            format::money(s.amount_cents, &s.currency, i18n.locale()),
            s.cycle.label(t())
        )
    };
    let due = s.next_due_on.clone();
    let due = move || format::date(&due, i18n.locale());
    let shows_due = matches!(
        s.status,
        Status::Active | Status::Suspended | Status::Pending
    );
    view! {
        <li class="card service-card">
            <div class="service-card-head">
                <a class="service-domain" href=format!("/services/{}", s.id)>{s.domain.clone()}</a>
                <StatusBadge status=s.status/>
            </div>
            <p class="muted">{s.plan_name.clone()}" · "{price}</p>
            {shows_due.then(|| view! { <p class="muted">{move || t().col_next_due}": "{due}</p> })}
        </li>
    }
}

#[component]
pub fn ServiceListPage() -> impl IntoView {
    let t = use_i18n().t();
    let status = use_status_param(|s| Status::from_code(s).is_some());
    let page = use_page_param();
    let list = Resource::new(
        move || (status(), page()),
        |(status, page)| list_services(status, Some(page)),
    );
    view! {
        <PageHeading text=Signal::derive(move || t().nav_services.to_string())/>
        <StatusFilter base="/services" current=status
            options=Status::ALL.into_iter().map(|s| (s.code(), Signal::derive(move || s.label(t())))).collect()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <p class="card empty-state">
                            {move || if status().is_some() { t().services_empty_filtered } else { t().services_empty }}
                        </p>
                    }.into_any(),
                    Ok(list) => {
                        let href = move |p: u64| filtered_page_href("/services", status(), p);
                        view! {
                            <ul class="cards">
                                {list.items.into_iter().map(|s| view! { <ServiceCard service=s/> }).collect_view()}
                            </ul>
                            <Pagination page=list.page pages=list.pages href/>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_service(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    // Created here, inside <Routes>, so an error from a form post without JavaScript reaches
    // them; the open request is read again after each submission.
    let request = ServerAction::<RequestCancellation>::new();
    let withdraw = ServerAction::<WithdrawCancellation>::new();
    let cancellation = Resource::new(
        move || (id(), request.version().get(), withdraw.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => get_cancellation(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <p><a href="/services">"← "{move || t().back_to_services}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        let open = cancellation.await;
                        let s = d.service.clone();
                        let locale = move || i18n.locale();
                        let price = format::money(s.amount_cents, &s.currency, locale());
                        view! {
                            <PageHeading text=Signal::derive({ let d = s.domain.clone(); move || d.clone() })/>
                            <CancellationNotice/>
                            <p><StatusBadge status=s.status/></p>
                            <Show when=move || query.read().get("changed").is_some()>
                                <p class="alert alert-success" role="status">{move || t().service_plan_changed}</p>
                            </Show>
                            {(s.status == Status::Active).then(|| view! {
                                <p><a class="button primary" href=format!("/services/{}/upgrade", s.id)>{move || t().service_change_plan}</a></p>
                            })}
                            {s.suspension.map(|r| view! { <p class="alert alert-error" role="status">{move || r.explain(t())}</p> })}
                            <section class="card">
                                <dl class="details">
                                    <dt>{move || t().col_plan}</dt><dd>{s.plan_name.clone()}</dd>
                                    <dt>{move || t().col_price}</dt><dd>{price}</dd>
                                    <dt>{move || t().col_cycle}</dt><dd>{move || s.cycle.label(t())}</dd>
                                    <dt>{move || t().col_next_due}</dt><dd>{format::date(&s.next_due_on, locale())}</dd>
                                    <dt>{move || t().col_registered}</dt><dd>{format::date(&d.registered_on, locale())}</dd>
                                    <dt>{move || t().col_gateway}</dt>
                                    <dd>{move || if d.gateway_card { t().gateway_card } else { t().gateway_manual }}</dd>
                                </dl>
                            </section>
                            <section class="card">
                                <h2>{move || t().plan_features}</h2>
                                <p>{d.plan_description.clone()}</p>
                                <ul>{d.plan_features.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
                            </section>
                            <section aria-labelledby="service-invoices">
                                <h2 id="service-invoices">{move || t().service_invoices}</h2>
                                {if d.invoices.is_empty() {
                                    view! { <p class="card empty-state">{move || t().service_no_invoices}</p> }.into_any()
                                } else {
                                    view! { <InvoiceTable rows=d.invoices.clone()/> }.into_any()
                                }}
                            </section>
                            <CancellationSection service_id=s.id status=s.status open request withdraw/>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
