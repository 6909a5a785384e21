//! `/staff/invoices` (every client's invoices, searchable) and `/staff/invoices/{id}` (the
//! invoice, with forms to record a bank transfer and to refund to credit or to the card).
use super::{
    pages::{InvoiceBadge, InvoiceDocument},
    staff::{
        staff_get_invoice, staff_list_invoices, StaffInvoice, StaffRecordPayment,
        StaffRefundInvoice,
    },
    texts::use_billing_texts,
    InvoiceStatus,
};
use crate::{
    components::{
        use_page_param, use_status_param, FormError, Loading, PageHeading, Pagination, StatusFilter,
    },
    format,
    i18n::use_i18n,
    pages::staff_load_failed,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StaffInvoiceListPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let bt = use_billing_texts();
    let status = use_status_param(|s| InvoiceStatus::from_code(s).is_some());
    let page = use_page_param();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let list = Resource::new(
        move || (status(), q(), page()),
        |(status, q, page)| staff_list_invoices(status, Some(q), Some(page)),
    );
    view! {
        <p><a href="/staff">"← "{move || t().staff_title}</a></p>
        <PageHeading text=Signal::derive(move || bt().staff_invoices.to_string())/>
        <p>{move || bt().staff_invoices_intro}</p>
        <form method="get" action="/staff/invoices" class="form inline" role="search">
            <label for="invoice-search">{move || bt().search_label}</label>
            <input id="invoice-search" name="q" type="search" maxlength="100" prop:value=q/>
            <button type="submit" class="button">{move || bt().search_button}</button>
        </form>
        <StatusFilter base="/staff/invoices" current=status
            options=InvoiceStatus::ALL.into_iter().map(|s| (s.code(), Signal::derive(move || s.label(t())))).collect()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let l = match list.await {
                    Ok(l) => l,
                    Err(e) => return staff_load_failed(e),
                };
                if l.items.is_empty() {
                    return view! { <p class="card empty-state">{move || t().invoices_empty}</p> }.into_any();
                }
                let href = move |p: u64| {
                    let mut h = format!("/staff/invoices?page={p}");
                    if let Some(s) = status() { h.push_str(&format!("&status={s}")); }
                    let q = q();
                    if !q.is_empty() {
                        h.push_str("&q=");
                        h.push_str(&q.replace('%', "%25").replace('&', "%26").replace(' ', "+"));
                    }
                    h
                };
                view! {
                    <div class="card table-wrap">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{move || t().col_invoice}</th>
                                <th scope="col">{move || bt().col_client}</th>
                                <th scope="col">{move || t().col_due}</th>
                                <th scope="col" class="num">{move || t().col_total}</th>
                                <th scope="col">{move || t().col_status}</th>
                            </tr></thead>
                            <tbody>
                                {l.items.into_iter().map(|i| {
                                    let r = i.row;
                                    let due = r.due_on.clone();
                                    let cur = r.currency.clone();
                                    view! {
                                        <tr>
                                            <td><a href=format!("/staff/invoices/{}", r.id)>{r.number.clone()}</a></td>
                                            <td>{i.client_name}<br/><small>{i.client_email}</small></td>
                                            <td>{move || format::date(&due, i18n.locale())}</td>
                                            <td class="num">{move || format::money(r.total_cents, &cur, i18n.locale())}</td>
                                            <td><InvoiceBadge status=r.status/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pagination page=l.page pages=l.pages href/>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn StaffInvoicePage() -> impl IntoView {
    let bt = use_billing_texts();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let pay = ServerAction::<StaffRecordPayment>::new();
    let refund = ServerAction::<StaffRefundInvoice>::new();
    let invoice = Resource::new(
        move || (id(), pay.version().get(), refund.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => staff_get_invoice(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let notice = move || match query.read().get("done").as_deref() {
        Some("payment") => Some(bt().payment_recorded),
        Some("refund") => Some(bt().refund_recorded),
        Some("duplicate") => Some(bt().already_recorded),
        _ => None,
    };
    view! {
        <p><a href="/staff/invoices">"← "{move || bt().staff_invoices}</a></p>
        {move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
        <FormError result=pay.value().into()/>
        <FormError result=refund.value().into()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(inv) => view! {
                        <p>{move || bt().col_client}": "{inv.client_name.clone()}" · "{inv.client_email.clone()}</p>
                        <InvoiceDocument inv=inv.detail.clone()/>
                        <StaffMoneyForms inv pay refund/>
                    }.into_any(),
                    Err(e) => staff_load_failed(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffMoneyForms(
    inv: StaffInvoice,
    pay: ServerAction<StaffRecordPayment>,
    refund: ServerAction<StaffRefundInvoice>,
) -> impl IntoView {
    let bt = use_billing_texts();
    let d = &inv.detail;
    let id = d.row.id.to_string();
    let unpaid = d.row.status == InvoiceStatus::Unpaid;
    let refundable = d.paid_cents - d.refunded_cents > 0
        && matches!(d.row.status, InvoiceStatus::Paid | InvoiceStatus::Unpaid);
    let id2 = id.clone();
    // Paid by card: the refund can go back to the card.
    let by_card = d
        .movements
        .iter()
        .any(|m| m.method == super::PayMethod::Card && !m.refund);
    view! {
        {unpaid.then(|| view! {
            <section class="card" aria-labelledby="record-payment">
                <h2 id="record-payment">{move || bt().record_payment}</h2>
                <ActionForm action=pay attr:class="form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="key" value=inv.payment_key.clone()/>
                    <label for="pay-amount">{move || bt().amount_label}</label>
                    <input id="pay-amount" name="amount" inputmode="decimal" required maxlength="14" aria-describedby="pay-amount-hint"/>
                    <small id="pay-amount-hint">{move || bt().amount_hint}</small>
                    <label for="pay-reference">{move || bt().reference_label}</label>
                    <input id="pay-reference" name="reference" maxlength="200"/>
                    <button type="submit" class="button primary" disabled=move || pay.pending().get()>{move || bt().record_payment}</button>
                </ActionForm>
            </section>
        })}
        {refundable.then(|| view! {
            <section class="card" aria-labelledby="refund-title">
                <h2 id="refund-title">{move || bt().refund_title}</h2>
                <ActionForm action=refund attr:class="form">
                    <input type="hidden" name="id" value=id2.clone()/>
                    <input type="hidden" name="key" value=inv.refund_key.clone()/>
                    <label for="refund-amount">{move || bt().amount_label}</label>
                    <input id="refund-amount" name="amount" inputmode="decimal" required maxlength="14"/>
                    <label for="refund-reason">{move || bt().reason_label}</label>
                    <input id="refund-reason" name="reason" maxlength="200"/>
                    {by_card.then(|| view! {
                        <fieldset class="choices">
                            <legend>{move || bt().refund_to}</legend>
                            <label><input type="radio" name="destination" value="card" checked/>" "{move || bt().refund_to_card}</label>
                            <label><input type="radio" name="destination" value="credit"/>" "{move || bt().refund_to_credit}</label>
                        </fieldset>
                    })}
                    <button type="submit" class="button danger" disabled=move || refund.pending().get()>{move || bt().refund_button}</button>
                </ActionForm>
            </section>
        })}
    }
}
