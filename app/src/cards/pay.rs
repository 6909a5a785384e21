//! The card part of an invoice's "Pay now": pay with a saved card (credit is used first), confirm
//! a charge the bank wants authenticated (3-D Secure), and what became of the last automatic try.
use super::{
    get_invoice_card_state, texts::use_card_texts, AttemptState, ConfirmCardPayment,
    PayInvoiceByCard, PayOutcome,
};
use crate::{components::FormError, format, i18n::use_i18n};
use leptos::prelude::*;

#[component]
pub fn CardPay(invoice_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let ct = use_card_texts();
    let pay = ServerAction::<PayInvoiceByCard>::new();
    let confirm = ServerAction::<ConfirmCardPayment>::new();
    let state = Resource::new(
        move || (pay.version().get(), confirm.version().get()),
        move |_| get_invoice_card_state(invoice_id),
    );
    // A decline or "processing" keeps the client on the page: say what happened.
    let outcome = move |v: Option<Result<PayOutcome, crate::error::AppError>>| {
        match v {
        Some(Ok(PayOutcome::Declined { code })) => Some(view! {
            <p class="alert alert-error" role="alert" data-testid="card-declined">{move || ct().decline(&code)}</p>
        }.into_any()),
        Some(Ok(PayOutcome::Processing)) => Some(view! {
            <p class="alert" role="status">{move || ct().processing}</p>
        }.into_any()),
        _ => None,
    }
    };
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let Ok(s) = state.await else { return ().into_any() };
                if !s.overview.available {
                    return ().into_any();
                }
                let usable: Vec<_> = s.overview.cards.into_iter().filter(|c| !c.expired).collect();
                let last = match s.last {
                    Some(AttemptState::NeedsAuthentication) => view! {
                        <div class="alert" role="status" data-testid="needs-authentication">
                            <p>{move || ct().needs_authentication}</p>
                            <ActionForm action=confirm attr:class="form inline">
                                <input type="hidden" name="id" value=invoice_id.to_string()/>
                                <button type="submit" class="button primary" disabled=move || confirm.pending().get()>{move || ct().confirm_payment}</button>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    Some(AttemptState::Declined) => {
                        let code = s.last_code.clone();
                        let next = s.next_try.clone();
                        view! {
                            <div class="alert alert-error" role="status" data-testid="last-declined">
                                <p>{move || ct().last_declined}": "{move || ct().decline(&code)}</p>
                                <p>{move || match &next {
                                    Some(d) => format!("{} {}.", ct().next_try, format::date(d, i18n.locale())),
                                    None => ct().no_more_tries.to_string(),
                                }}</p>
                            </div>
                        }.into_any()
                    }
                    Some(AttemptState::Processing) => view! {
                        <p class="alert" role="status">{move || ct().processing}</p>
                    }.into_any(),
                    _ => ().into_any(),
                };
                let add = format!("/billing/payment-methods?next=/invoices/{invoice_id}");
                let form = if usable.is_empty() {
                    view! { <p><a href=add>{move || ct().add_card_link}</a></p> }.into_any()
                } else {
                    let several = usable.len() > 1;
                    view! {
                        <ActionForm action=pay attr:class="form">
                            <input type="hidden" name="id" value=invoice_id.to_string()/>
                            {if several {
                                view! {
                                    <div class="field">
                                        <label for="pay-card">{move || ct().card_label}</label>
                                        <select id="pay-card" name="card">
                                            {usable.into_iter().map(|c| {
                                                let name = ct().card_name(&c.brand, &c.last4);
                                                view! { <option value=c.id.to_string() selected=c.is_default>{name}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                }.into_any()
                            } else {
                                let c = &usable[0];
                                let name = ct().card_name(&c.brand, &c.last4);
                                view! {
                                    <input type="hidden" name="card" value=c.id.to_string()/>
                                    <p>{name}</p>
                                }.into_any()
                            }}
                            <button type="submit" class="button primary" disabled=move || pay.pending().get()>{move || ct().pay_card_button}</button>
                        </ActionForm>
                        <p><a href=add>{move || ct().another_card}</a></p>
                    }.into_any()
                };
                view! {
                    <h3>{move || ct().pay_with_card}</h3>
                    {last}
                    <FormError result=pay.value().into()/>
                    <FormError result=confirm.value().into()/>
                    {move || outcome(pay.value().get())}
                    {move || outcome(confirm.value().get())}
                    {form}
                }.into_any()
            })}
        </Transition>
    }
}
