//! The staff area. Every staff server function checks the role itself; the page guard only
//! decides what to show.
use crate::{
    components::{LoadError, Loading, PageHeading},
    error::AppError,
    i18n::use_i18n,
    pages::ForbiddenPage,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A staff page that could not load: "Not allowed" (403) for clients, else the usual error.
pub fn staff_load_failed(error: AppError) -> AnyView {
    match error {
        AppError::Forbidden => view! { <ForbiddenPage/> }.into_any(),
        error => view! { <LoadError error/> }.into_any(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub clients: u64,
    pub staff: u64,
    pub billing: BillingHealth,
}

/// The billing automation as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingHealth {
    /// RFC 3339 start of the latest run, its day, what it did and its error.
    pub last_started: Option<String>,
    pub last_as_of: Option<String>,
    pub last_summary: Option<String>,
    pub last_error: Option<String>,
    pub stale: bool,
}

#[server(prefix = "/_fn", endpoint = "staff_overview")]
pub async fn get_staff_overview() -> Result<StaffOverview, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let (clients, staff) = domain::accounts::count_by_role(&svc).await?;
    let h = domain::billing::automation::health(&svc).await?;
    Ok(StaffOverview {
        clients,
        staff,
        billing: BillingHealth {
            last_started: h.last.as_ref().map(|r| r.started_at.to_rfc3339()),
            last_as_of: h.last.as_ref().map(|r| r.as_of.to_string()),
            last_summary: h.last.as_ref().map(|r| r.summary.clone()),
            last_error: h.last.and_then(|r| r.error),
            stale: h.stale,
        },
    })
}

/// Staff run the billing automation now, as of today (what the scheduler does every few
/// minutes): renewals, card charges, reminders, suspensions. The lease keeps it from overlapping
/// another run.
#[server(prefix = "/_fn", endpoint = "staff_run_billing")]
pub async fn staff_run_billing() -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let r = domain::billing::automation::run(&svc, svc.now().date_naive()).await?;
    leptos_axum::redirect(if r.skipped {
        "/staff?billing=busy"
    } else {
        "/staff?billing=ran"
    });
    Ok(())
}

/// The staff home. What it shows comes from a staff server function, so the role is checked
/// where the data is; a client sees "Not allowed" (403).
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let run = ServerAction::<StaffRunBilling>::new();
    let overview = Resource::new(move || run.version().get(), |_| get_staff_overview());
    let query = leptos_router::hooks::use_query_map();
    let ran = move || query.read().get("billing");
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <PageHeading text=Signal::derive(move || t().staff_title.to_string())/>
                        <p class="lead">{move || t().staff_intro}</p>
                        <dl class="stats">
                            <div class="card stat"><dt>{move || t().staff_clients}</dt><dd>{o.clients}</dd></div>
                            <div class="card stat"><dt>{move || t().staff_accounts}</dt><dd>{o.staff}</dd></div>
                        </dl>
                        {move || match ran().as_deref() {
                            Some("ran") => Some(view! { <p class="alert alert-success" role="status">{move || t().staff_billing_ran}</p> }.into_any()),
                            Some("busy") => Some(view! { <p class="alert" role="status">{move || t().staff_billing_skipped}</p> }.into_any()),
                            _ => None,
                        }}
                        <BillingHealthCard h=o.billing.clone() run/>
                        <ul class="tiles">
                            <li class="card tile"><a href="/staff/tickets">
                                <h2>{move || crate::tickets::texts::of(i18n.locale()).staff_title}</h2>
                                <p>{move || crate::tickets::texts::of(i18n.locale()).staff_tile_desc}</p>
                            </a></li>
                            <li class="card tile"><a href="/staff/news">
                                <h2>{move || t().nav_news}</h2><p>{move || t().staff_news_desc}</p>
                            </a></li>
                            <li class="card tile"><a href="/staff/kb">
                                <h2>{move || t().nav_kb}</h2><p>{move || t().staff_kb_desc}</p>
                            </a></li>
                            <li class="card tile"><a href="/staff/invoices">
                                <h2>{move || crate::invoices::texts::of(i18n.locale()).staff_invoices}</h2>
                                <p>{move || crate::invoices::texts::of(i18n.locale()).staff_invoices_intro}</p>
                            </a></li>
                            <li class="card tile"><a href="/staff/provisioning">
                                <h2>{move || t().prov_title}</h2><p>{move || t().staff_prov_desc}</p>
                            </a></li>
                        </ul>
                    }.into_any(),
                    Err(e) => staff_load_failed(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BillingHealthCard(h: BillingHealth, run: ServerAction<StaffRunBilling>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let started = h.last_started.clone();
    view! {
        <section class="card" aria-labelledby="billing-health">
            <h2 id="billing-health">{move || t().staff_billing_title}</h2>
            {h.stale.then(|| view! { <p class="alert alert-error" role="alert">{move || t().staff_billing_stale}</p> })}
            {match started {
                None => view! { <p>{move || t().staff_billing_never}</p> }.into_any(),
                Some(at) => {
                    let attr = at.clone();
                    view! {
                    <dl class="details">
                        <dt>{move || t().staff_billing_last}</dt>
                        <dd><time datetime=attr>{move || crate::format::date(&at, i18n.locale())}</time></dd>
                        <dt>{move || t().staff_billing_did}</dt>
                        <dd>{h.last_summary.clone()}</dd>
                    </dl>
                    {h.last_error.clone().map(|e| view! { <p class="alert alert-error" role="alert">{move || t().staff_billing_error}" "{e.clone()}</p> })}
                }.into_any()
                }

            }}
            <crate::components::FormError result=run.value().into()/>
            <ActionForm action=run attr:class="form inline">
                <button type="submit" class="button" disabled=move || run.pending().get()>{move || t().staff_billing_run}</button>
            </ActionForm>
        </section>
    }
}
