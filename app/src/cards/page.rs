//! `/billing/payment-methods`: the client's saved cards (default, expired, expiring), making one
//! the default, removing one, and adding one — with Stripe's Payment Element, or in test mode
//! by choosing one of Stripe's test cards by name.
use super::{
    elements::StripeCardForm, get_cards, texts::use_card_texts, AddTestCard, CardRow, RemoveCard,
    SetDefaultCard,
};
use crate::components::{FormError, LoadError, Loading, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PaymentMethodsPage() -> impl IntoView {
    let ct = use_card_texts();
    let query = use_query_map();
    let flag = move |k: &'static str| move || query.read().get(k).is_some();
    let next = move || {
        let n = query.read().get("next");
        super::local_next(n.as_deref()).map(str::to_owned)
    };
    let add = ServerAction::<AddTestCard>::new();
    let default = ServerAction::<SetDefaultCard>::new();
    let remove = ServerAction::<RemoveCard>::new();
    let saved_js = RwSignal::new(0u32);
    let cards = Resource::new(
        move || {
            (
                add.version().get(),
                default.version().get(),
                remove.version().get(),
                saved_js.get(),
            )
        },
        |_| get_cards(),
    );
    view! {
        <PageHeading text=Signal::derive(move || ct().title.to_string())/>
        <p>{move || ct().intro}</p>
        <Show when=flag("saved")><p class="alert alert-success" role="status">{move || ct().saved}</p></Show>
        <Show when=flag("default")><p class="alert alert-success" role="status">{move || ct().default_set}</p></Show>
        <Show when=flag("removed")><p class="alert alert-success" role="status">{move || ct().removed}</p></Show>
        <FormError result=default.value().into()/>
        <FormError result=remove.value().into()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let o = match cards.await {
                    Ok(o) => o,
                    Err(e) => return view! { <LoadError error=e/> }.into_any(),
                };
                if !o.available {
                    return view! { <p class="card empty-state">{move || ct().unavailable}</p> }.into_any();
                }
                let auto = o.cards.iter().any(|c| c.is_default && !c.expired);
                let list = if o.cards.is_empty() {
                    view! { <p class="card empty-state" data-testid="no-cards">{move || ct().none}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain card-list" data-testid="cards">
                            {o.cards.into_iter().map(|c| view! { <CardItem c default remove/> }).collect_view()}
                        </ul>
                    }.into_any()
                };
                let test_cards = o.test_cards.clone();
                let key = o.publishable_key.clone();
                view! {
                    {list}
                    <p class="muted" data-testid="auto-pay">{move || if auto { ct().auto_pay_on } else { ct().auto_pay_off }}</p>
                    <section class="card" aria-labelledby="add-card">
                        <h2 id="add-card">{move || ct().add_title}</h2>
                        <p>{move || ct().add_intro}</p>
                        {key.map(|k| view! { <StripeCardForm publishable_key=k saved=saved_js next=next()/> })}
                        {(!test_cards.is_empty()).then(|| view! {
                            <p>{move || ct().test_mode_intro}</p>
                            <FormError result=add.value().into()/>
                            <ul class="plain test-cards">
                                {test_cards.into_iter().map(|pm| view! {
                                    <li>
                                        <ActionForm action=add attr:class="form inline">
                                            <input type="hidden" name="test_card" value=pm.clone()/>
                                            {next().map(|n| view! { <input type="hidden" name="next" value=n/> })}
                                            <button type="submit" class="button" disabled=move || add.pending().get()>
                                                {move || ct().test_card(&pm)}
                                            </button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn CardItem(
    c: CardRow,
    default: ServerAction<SetDefaultCard>,
    remove: ServerAction<RemoveCard>,
) -> impl IntoView {
    let ct = use_card_texts();
    let name = {
        let (b, l) = (c.brand.clone(), c.last4.clone());
        move || ct().card_name(&b, &l)
    };
    let id = c.id.to_string();
    let expiry = format!("{:02}/{}", c.exp_month, c.exp_year);
    let can_default = !c.is_default && !c.expired;
    view! {
        <li class="card saved-card" data-testid="card">
            <p>
                <strong>{name}</strong>" · "{move || ct().expires}" "{expiry.clone()}
                {c.is_default.then(|| view! { " "<span class="badge status-active">{move || ct().default_badge}</span> })}
                {c.expired.then(|| view! { " "<span class="badge status-suspended">{move || ct().expired_badge}</span> })}
                {c.expires_soon.then(|| view! { " "<span class="badge status-pending">{move || ct().expires_soon_badge}</span> })}
            </p>
            <div class="actions">
                {can_default.then(|| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=default attr:class="form inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button" disabled=move || default.pending().get()>{move || ct().make_default}</button>
                        </ActionForm>
                    }
                })}
                // A second step before removing, without needing JavaScript.
                <details class="confirm">
                    <summary class="button" data-testid="remove-card">{move || ct().remove}</summary>
                    <p>{move || ct().remove_confirm}</p>
                    <ActionForm action=remove attr:class="form inline">
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="button danger" data-testid="remove-card-confirm" disabled=move || remove.pending().get()>{move || ct().remove}</button>
                    </ActionForm>
                </details>
            </div>
        </li>
    }
}
