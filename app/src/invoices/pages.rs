use super::{
    get_invoice, list_invoices,
    texts::{use_billing_texts, BillingTexts},
    ApplyInvoiceCredit, InvoiceDetail, InvoiceRow, InvoiceStatus, MovementRow, PayMethod, TaxMode,
};
use crate::cards::CardPay;
use crate::{
    components::{
        filtered_page_href, use_page_param, use_status_param, FormError, LoadError, Loading,
        PageHeading, Pagination, StatusFilter,
    },
    format,
    i18n::{use_i18n, Locale},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvoiceBadge(status: InvoiceStatus) -> impl IntoView {
    let t = use_i18n().t();
    view! { <span class=format!("badge invoice-{}", status.code())>{move || status.label(t())}</span> }
}

/// Invoices as a table (it scrolls sideways on a phone rather than squeezing).
#[component]
pub fn InvoiceTable(rows: Vec<InvoiceRow>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    view! {
        <div class="card table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">{move || t().col_invoice}</th>
                    <th scope="col">{move || t().col_issued}</th>
                    <th scope="col">{move || t().col_due}</th>
                    <th scope="col">{move || t().col_total}</th>
                    <th scope="col">{move || t().col_status}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let (issued, due) = (r.issued_on.clone(), r.due_on.clone());
                        view! {
                            <tr>
                                <td><a href=format!("/invoices/{}", r.id)>{r.number.clone()}</a></td>
                                <td>{move || format::date(&issued, i18n.locale())}</td>
                                <td>{move || format::date(&due, i18n.locale())}</td>
                                <td>{move || format::money(r.total_cents, &r.currency, i18n.locale())}</td>
                                <td><InvoiceBadge status=r.status/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn InvoiceListPage() -> impl IntoView {
    let t = use_i18n().t();
    let status = use_status_param(|s| InvoiceStatus::from_code(s).is_some());
    let page = use_page_param();
    let list = Resource::new(
        move || (status(), page()),
        |(status, page)| list_invoices(status, Some(page)),
    );
    view! {
        <PageHeading text=Signal::derive(move || t().nav_invoices.to_string())/>
        <StatusFilter base="/invoices" current=status
            options=InvoiceStatus::ALL.into_iter().map(|s| (s.code(), Signal::derive(move || s.label(t())))).collect()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.items.is_empty() => view! { <p class="card empty-state">{move || t().invoices_empty}</p> }.into_any(),
                    Ok(l) => {
                        let href = move |p: u64| filtered_page_href("/invoices", status(), p);
                        view! {
                            <InvoiceTable rows=l.items/>
                            <Pagination page=l.page pages=l.pages href/>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn InvoiceDetailPage() -> impl IntoView {
    let t = use_i18n().t();
    let bt = use_billing_texts();
    let params = use_params_map();
    let query = use_query_map();
    let from_upgrade = move || query.read().get("upgrade").is_some();
    let credit_used = move || query.read().get("credit").is_some();
    let ct = crate::cards::texts::use_card_texts();
    let card_paid = move || query.read().get("card").as_deref() == Some("paid");
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let use_credit = ServerAction::<ApplyInvoiceCredit>::new();
    let invoice = Resource::new(
        move || (id(), use_credit.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_invoice(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <p class="no-print"><a href="/invoices">"← "{move || t().back_to_invoices}</a></p>
        <Show when=from_upgrade>
            <p class="alert alert-success" role="status">{move || t().upgrade_ordered}</p>
        </Show>
        <Show when=credit_used>
            <p class="alert alert-success" role="status">{move || bt().credit_used}</p>
        </Show>
        <Show when=card_paid>
            <p class="alert alert-success" role="status">{move || ct().paid_by_card}</p>
        </Show>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(inv) => {
                        let unpaid = inv.row.status == InvoiceStatus::Unpaid;
                        view! {
                            <InvoiceDocument inv=inv.clone()/>
                            {unpaid.then(|| view! { <PaySection inv=inv.clone() use_credit/> })}
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The invoice itself, as it prints (shared with the staff page).
#[component]
pub fn InvoiceDocument(inv: InvoiceDetail) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let bt = use_billing_texts();
    let r = inv.row.clone();
    let cur = r.currency.clone();
    let money = move |c: i64| format::money(c, &cur, i18n.locale());
    let (issued, due) = (r.issued_on.clone(), r.due_on.clone());
    let tax_label = {
        let inv = inv.clone();
        move || inv.tax_label(t().invoice_tax, i18n.locale() == Locale::Es)
    };
    let mut totals: Vec<(Signal<String>, i64, bool)> = vec![
        (
            Signal::derive(move || t().invoice_subtotal.to_string()),
            inv.subtotal_cents,
            false,
        ),
        (Signal::derive(tax_label), inv.tax_cents, false),
        (
            Signal::derive(move || t().col_total.to_string()),
            r.total_cents,
            true,
        ),
        (
            Signal::derive(move || t().invoice_paid_amount.to_string()),
            inv.paid_cents,
            false,
        ),
    ];
    if inv.credit_applied_cents > 0 {
        totals.push((
            Signal::derive(move || bt().credit_applied.to_string()),
            inv.credit_applied_cents,
            false,
        ));
    }
    if inv.refunded_cents > 0 {
        totals.push((
            Signal::derive(move || bt().refunded.to_string()),
            inv.refunded_cents,
            false,
        ));
    }
    let totals = totals
        .into_iter()
        .map(|(label, cents, strong)| {
            let text = money(cents);
            let value = if strong {
                view! { <strong>{text}</strong> }.into_any()
            } else {
                text.into_any()
            };
            view! { <tr><th scope="row">{label}</th><td class="num">{value}</td></tr> }
        })
        .collect_view();
    let pdf = format!("/invoices/{}/pdf", r.id);
    let vat = inv.bill_to_vat_id.clone();
    let movements = inv.movements.clone();
    view! {
        <article class="card invoice">
            <PageHeading text=Signal::derive({ let n = r.number.clone(); move || format!("{} {n}", t().col_invoice) })/>
            <p><InvoiceBadge status=r.status/>" "<a class="button no-print" href=pdf download="">{move || bt().download_pdf}</a></p>
            <dl class="details">
                <dt>{move || t().invoice_bill_to}</dt>
                <dd data-testid="bill-to">
                    {inv.bill_to_lines.iter().map(|l| view! { {l.clone()}<br/> }).collect_view()}
                    {(!vat.is_empty()).then(|| view! { {move || bt().vat_id}": "{vat.clone()}<br/> })}
                    {inv.bill_to_email.clone()}
                </dd>
                <dt>{move || t().col_issued}</dt><dd>{move || format::date(&issued, i18n.locale())}</dd>
                <dt>{move || t().col_due}</dt><dd>{move || format::date(&due, i18n.locale())}</dd>
            </dl>
            // Focusable so a keyboard can scroll it sideways on a phone.
            <div class="table-wrap" tabindex="0">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{move || t().invoice_description}</th>
                        <th scope="col" class="num">{move || t().invoice_amount}</th>
                    </tr></thead>
                    <tbody>
                        {inv.items.iter().map(|l| {
                            let a = money(l.amount_cents);
                            view! { <tr><td>{l.description.clone()}</td><td class="num">{a}</td></tr> }
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        {totals.into_any()}
                        <tr><th scope="row">{move || t().invoice_balance}</th><td class="num" data-testid="invoice-balance"><strong>{money(r.balance_cents)}</strong></td></tr>
                    </tfoot>
                </table>
            </div>
            {(inv.tax_mode == TaxMode::ReverseCharge).then(|| view! { <p>{move || bt().reverse_charge}</p> })}
            {(inv.prices_include_tax && inv.tax_mode == TaxMode::Standard).then(|| view! { <p>{move || bt().tax_included}</p> })}
        </article>
        {(!movements.is_empty()).then(|| view! { <Movements rows=movements currency=r.currency.clone()/> })}
    }
    .into_any()
}

#[component]
fn Movements(rows: Vec<MovementRow>, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let bt = use_billing_texts();
    view! {
        <section class="card" aria-labelledby="payments-title">
            <h2 id="payments-title">{move || bt().payments_title}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{move || bt().col_date}</th>
                        <th scope="col">{move || bt().col_method}</th>
                        <th scope="col">{move || bt().col_reference}</th>
                        <th scope="col" class="num">{move || i18n.t()().invoice_amount}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|m| {
                            let at = m.at.clone();
                            let (method, refund) = (m.method, m.refund);
                            let amount = if refund { -m.amount_cents } else { m.amount_cents };
                            let cur = currency.clone();
                            view! {
                                <tr>
                                    <td>{move || format::date(&at, i18n.locale())}</td>
                                    <td>{move || method_label(bt(), method, refund)}</td>
                                    <td>{m.reference.clone()}</td>
                                    <td class="num">{move || format::money(amount, &cur, i18n.locale())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

pub(super) fn method_label(bt: &BillingTexts, method: PayMethod, refund: bool) -> &'static str {
    match (method, refund) {
        (PayMethod::Card, true) => bt.refund_to_card,
        (_, true) => bt.refund_to_credit,
        (PayMethod::Manual, _) => bt.method_manual,
        (PayMethod::Credit, _) => bt.method_credit,
        (PayMethod::Card, _) => bt.method_card,
    }
}

/// How to pay an unpaid invoice: the client's credit, the bank transfer (manual gateway), and
/// the entry point the card gateway adds to (`#pay`).
#[component]
fn PaySection(inv: InvoiceDetail, use_credit: ServerAction<ApplyInvoiceCredit>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let bt = use_billing_texts();
    let cur = inv.row.currency.clone();
    let credit = inv.credit_available_cents;
    let number = inv.row.number.clone();
    let transfer = inv.bank_transfer.clone();
    view! {
        <section class="card no-print" id="pay" aria-labelledby="pay-title">
            <h2 id="pay-title">{move || bt().pay_now}</h2>
            <FormError result=use_credit.value().into()/>
            {(credit > 0).then(|| view! {
                <p>{move || bt().credit_available}": "<strong>{move || format::money(credit, &cur, i18n.locale())}</strong></p>
                <ActionForm action=use_credit attr:class="form">
                    <input type="hidden" name="id" value=inv.row.id.to_string()/>
                    <button type="submit" class="button primary" disabled=move || use_credit.pending().get()>{move || bt().use_credit}</button>
                </ActionForm>
            })}
            <h3>{move || t().invoice_how_to_pay}</h3>
            {if transfer.is_empty() {
                view! { <p>{move || bt().no_bank_details}</p> }.into_any()
            } else {
                view! {
                    <p>{move || bt().bank_transfer_quote}" "<strong>{number.clone()}</strong></p>
                    <pre class="bank-details" data-testid="bank-transfer">{transfer}</pre>
                }.into_any()
            }}
            <CardPay invoice_id=inv.row.id/>
        </section>
    }
    .into_any()
}
