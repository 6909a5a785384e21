//! Changing plan: the allowed plans and cycles, the prorated quote with its arithmetic, and the
//! order. Choosing an option is a plain link (`?plan=&cycle=`), confirming an `ActionForm`, so
//! the whole flow works before the WebAssembly loads.
use super::Cycle;
use crate::{
    components::{FormError, LoadError, Loading, PageHeading},
    error::AppError,
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOption {
    pub plan_id: i32,
    pub plan_name: String,
    pub cycle: Cycle,
    pub price_cents: i64,
    pub is_upgrade: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingUpgrade {
    pub to_plan_name: String,
    pub amount_due_cents: i64,
    pub invoice_id: Option<i32>,
    pub cancel_after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub days_in_period: i64,
    pub days_remaining: i64,
    pub credit_cents: i64,
    pub new_cycle_days: i64,
    pub new_cost_cents: i64,
    pub amount_due_cents: i64,
    pub credit_left_cents: i64,
    pub period_end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeView {
    pub service_id: i32,
    pub domain: String,
    pub currency: String,
    pub current_plan: String,
    pub current_cycle: Cycle,
    pub current_price_cents: i64,
    pub options: Vec<PlanOption>,
    pub pending: Option<PendingUpgrade>,
    /// The chosen option and its price, when `plan` and `cycle` were given.
    pub chosen: Option<(PlanOption, Quote)>,
}

#[cfg(feature = "ssr")]
fn option(o: domain::hosting::upgrade::PlanOption) -> PlanOption {
    PlanOption {
        plan_id: o.plan_id,
        plan_name: o.plan_name,
        cycle: o.cycle.into(),
        price_cents: o.price_cents,
        is_upgrade: o.is_upgrade,
    }
}

#[server(prefix = "/_fn", endpoint = "get_upgrade")]
pub async fn get_upgrade(
    id: i32,
    plan: Option<i32>,
    cycle: Option<String>,
) -> Result<UpgradeView, AppError> {
    use crate::auth::ssr;
    use domain::{billing::proration::BillingCycle, hosting::upgrade};
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let svc = ssr::services()?;
    let detail = domain::hosting::get_service(&svc.db, user.client_id, id).await?;
    let o = upgrade::options(&svc.db, user.client_id, id).await?;
    let chosen = match (plan, cycle.as_deref().and_then(BillingCycle::parse)) {
        (Some(plan), Some(cycle)) => {
            let q = upgrade::quote(
                &svc.db,
                user.client_id,
                id,
                plan,
                cycle,
                svc.now().date_naive(),
            )
            .await?;
            let p = q.proration;
            Some((
                option(q.option),
                Quote {
                    days_in_period: p.days_in_period,
                    days_remaining: p.days_remaining,
                    credit_cents: upgrade::cents(p.credit)?,
                    new_cycle_days: p.new_cycle_days,
                    new_cost_cents: upgrade::cents(p.new_cost)?,
                    amount_due_cents: upgrade::cents(p.amount_due)?,
                    credit_left_cents: upgrade::cents(p.credit_left)?,
                    period_end: q.period_end.to_string(),
                },
            ))
        }
        _ => None,
    };
    Ok(UpgradeView {
        service_id: id,
        domain: detail.summary.domain,
        currency: detail.summary.currency,
        current_cycle: detail.summary.cycle.into(),
        current_plan: o.current_plan,
        current_price_cents: o.current_price_cents,
        options: o.options.into_iter().map(option).collect(),
        pending: o.pending.map(|p| PendingUpgrade {
            to_plan_name: p.to_plan_name,
            amount_due_cents: p.amount_due_cents,
            invoice_id: p.invoice_id,
            cancel_after: p.cancel_after.to_string(),
        }),
        chosen,
    })
}

/// Places the order, then shows its invoice (or the service, when nothing was due).
#[server(prefix = "/_fn", endpoint = "confirm_upgrade")]
pub async fn confirm_upgrade(id: i32, plan: i32, cycle: String) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::{billing::proration::BillingCycle, hosting::upgrade};
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let cycle = BillingCycle::parse(&cycle).ok_or(AppError::BadRequest)?;
    let svc = ssr::services()?;
    match upgrade::confirm(&svc, user.client_id, id, plan, cycle, svc.now()).await? {
        upgrade::Outcome::Invoiced { invoice_id } => {
            leptos_axum::redirect(&format!("/invoices/{invoice_id}?upgrade=1"))
        }
        upgrade::Outcome::Applied => leptos_axum::redirect(&format!("/services/{id}?changed=1")),
    }
    Ok(())
}

/// Withdraws the client's unpaid plan change (its invoice is cancelled).
#[server(prefix = "/_fn", endpoint = "cancel_upgrade")]
pub async fn cancel_upgrade(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Services)?;
    let svc = ssr::services()?;
    domain::hosting::upgrade::cancel_pending(&svc.db, user.client_id, id, svc.now()).await?;
    leptos_axum::redirect(&format!("/services/{id}/upgrade?withdrawn=1"));
    Ok(())
}

#[component]
pub fn UpgradePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let params = use_params_map();
    let query = use_query_map();
    let confirm = ServerAction::<ConfirmUpgrade>::new();
    let withdraw = ServerAction::<CancelUpgrade>::new();
    let withdrawn = move || query.read().get("withdrawn").is_some();
    let key = move || {
        let q = query.read();
        // Part of the key's value: a resource refetches only when its key changes.
        (
            withdraw.version().get(),
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i32>().ok()),
            q.get("plan").and_then(|p| p.parse::<i32>().ok()),
            q.get("cycle"),
        )
    };
    let data = Resource::new(key, |(_, id, plan, cycle)| async move {
        match id {
            Some(id) => get_upgrade(id, plan, cycle).await,
            None => Err(AppError::NotFound),
        }
    });
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <p><a href=move || format!("/services/{}", id())>"← "{move || t().back_to_service}</a></p>
        <PageHeading text=Signal::derive(move || t().upgrade_title.to_string())/>
        <Show when=withdrawn>
            <p class="alert alert-info" role="status">{move || t().upgrade_withdrawn}</p>
        </Show>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <UpgradeBody v confirm withdraw/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UpgradeBody(
    v: UpgradeView,
    confirm: ServerAction<ConfirmUpgrade>,
    withdraw: ServerAction<CancelUpgrade>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let cur = v.currency.clone();
    let money = move |c: i64| format::money(c, &cur, i18n.locale());
    let current_price = money.clone()(v.current_price_cents);
    let current_cycle = v.current_cycle;
    if let Some(p) = v.pending.clone() {
        let due = money.clone()(p.amount_due_cents);
        return view! {
            <p class="lead">{v.domain.clone()}</p>
            <section class="card" role="status">
                <h2>{move || t().upgrade_pending_title}</h2>
                <p>{move || format!("{} {} · {}", t().upgrade_pending_body, p.to_plan_name, due)}</p>
                <p class="muted">{move || t().upgrade_cancel_note}" "{format::date(&p.cancel_after, i18n.locale())}</p>
                {p.invoice_id.map(|id| view! { <p><a class="button primary" href=format!("/invoices/{id}")>{move || t().upgrade_view_invoice}</a></p> })}
                <ActionForm action=withdraw attr:class="form">
                    <FormError result=withdraw.value().into()/>
                    <input type="hidden" name="id" value=v.service_id/>
                    <button type="submit" class="button" disabled=move || withdraw.pending().get()>{move || t().upgrade_withdraw}</button>
                </ActionForm>
            </section>
        }
        .into_any();
    }
    view! {
        <p class="lead">{v.domain.clone()}" · "{move || t().upgrade_current}": "{v.current_plan.clone()}" ("{current_price}" · "{move || current_cycle.label(t())}")"</p>
        {v.chosen.clone().map(|(o, q)| {
            let m = money.clone();
            let fmt = move |c: i64| m(c);
            let new_price = fmt.clone()(o.price_cents);
            let credit = fmt.clone()(q.credit_cents);
            let cost = fmt.clone()(q.new_cost_cents);
            let due = fmt.clone()(q.amount_due_cents);
            let left = fmt.clone()(q.credit_left_cents);
            let old_price = fmt.clone()(v.current_price_cents);
            let cycle = o.cycle;
            view! {
                <section class="card quote" aria-labelledby="quote-title">
                    <h2 id="quote-title">{move || format!("{} {} · {}", t().upgrade_to, o.plan_name, cycle.label(t()))}</h2>
                    <dl class="details">
                        <dt>{move || t().upgrade_credit}</dt>
                        <dd>{format!("{old_price} × {} / {} = ", q.days_remaining, q.days_in_period)}<strong data-testid="quote-credit">{credit.clone()}</strong></dd>
                        <dt>{move || t().upgrade_new_cost}</dt>
                        <dd>{format!("{new_price} × {} / {} = ", q.days_remaining, q.new_cycle_days)}<strong>{cost.clone()}</strong></dd>
                        <dt>{move || t().upgrade_due_now}</dt>
                        <dd><strong data-testid="quote-due">{due.clone()}</strong>{format!(" ({cost} − {credit})")}</dd>
                        {(q.credit_left_cents > 0).then(|| view! { <dt>{move || t().upgrade_credit_left}</dt><dd>{left.clone()}</dd> })}
                    </dl>
                    <p class="muted">{move || t().upgrade_explain}" "{format::date(&q.period_end, i18n.locale())}"."</p>
                    <ActionForm action=confirm attr:class="form">
                        <FormError result=confirm.value().into()/>
                        <input type="hidden" name="id" value=v.service_id/>
                        <input type="hidden" name="plan" value=o.plan_id/>
                        <input type="hidden" name="cycle" value=o.cycle.code()/>
                        <button type="submit" class="button primary" disabled=move || confirm.pending().get()>{move || t().upgrade_confirm}</button>
                    </ActionForm>
                </section>
            }
        })}
        <section aria-labelledby="options-title">
            <h2 id="options-title">{move || t().upgrade_choose}</h2>
            {if v.options.is_empty() {
                view! { <p class="card empty-state">{move || t().upgrade_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {v.options.iter().map(|o| {
                            let price = money.clone()(o.price_cents);
                            let cycle = o.cycle;
                            let href = format!("?plan={}&cycle={}", o.plan_id, o.cycle.code());
                            let kind = o.is_upgrade;
                            let name = o.plan_name.clone();
                            view! {
                                <li class="card">
                                    <h3>{o.plan_name.clone()}" · "{move || cycle.label(t())}</h3>
                                    <p class="muted">{price}" · "{move || if kind { t().upgrade_up } else { t().upgrade_down }}</p>
                                    <a href=href aria-label=move || format!("{} {} {}", t().upgrade_pick, name, cycle.label(t()))>{move || t().upgrade_pick}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
