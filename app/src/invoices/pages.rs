use super::{get_invoice, list_invoices, InvoiceRow, InvoiceStatus};
use crate::{
    components::{
        filtered_page_href, use_page_param, use_status_param, LoadError, Loading, PageHeading,
        Pagination, StatusFilter,
    },
    format,
    i18n::use_i18n,
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
    let i18n = use_i18n();
    let t = i18n.t();
    let params = use_params_map();
    let query = use_query_map();
    let from_upgrade = move || query.read().get("upgrade").is_some();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let invoice = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_invoice(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <p class="no-print"><a href="/invoices">"← "{move || t().back_to_invoices}</a></p>
        <Show when=from_upgrade>
            <p class="alert alert-success" role="status">{move || t().upgrade_ordered}</p>
        </Show>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(inv) => {
                        let r = inv.row.clone();
                        let cur = r.currency.clone();
                        let money = move |c: i64| format::money(c, &cur, i18n.locale());
                        let (issued, due) = (r.issued_on.clone(), r.due_on.clone());
                        view! {
                            <article class="card invoice">
                                <PageHeading text=Signal::derive({ let n = r.number.clone(); move || format!("{} {n}", t().col_invoice) })/>
                                <p><InvoiceBadge status=r.status/></p>
                                <dl class="details">
                                    <dt>{move || t().invoice_bill_to}</dt><dd>{inv.bill_to_name.clone()}<br/>{inv.bill_to_email.clone()}</dd>
                                    <dt>{move || t().col_issued}</dt><dd>{move || format::date(&issued, i18n.locale())}</dd>
                                    <dt>{move || t().col_due}</dt><dd>{move || format::date(&due, i18n.locale())}</dd>
                                </dl>
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{move || t().invoice_description}</th>
                                            <th scope="col" class="num">{move || t().invoice_amount}</th>
                                        </tr></thead>
                                        <tbody>
                                            {inv.items.iter().map(|l| {
                                                let money = money.clone();
                                                let a = l.amount_cents;
                                                view! { <tr><td>{l.description.clone()}</td><td class="num">{move || money(a)}</td></tr> }
                                            }).collect_view()}
                                        </tbody>
                                        <tfoot>
                                            <tr><th scope="row">{move || t().invoice_subtotal}</th><td class="num">{{ let m = money.clone(); move || m(inv.subtotal_cents) }}</td></tr>
                                            <tr><th scope="row">{move || t().invoice_tax}</th><td class="num">{{ let m = money.clone(); move || m(inv.tax_cents) }}</td></tr>
                                            <tr><th scope="row">{move || t().col_total}</th><td class="num"><strong>{{ let m = money.clone(); move || m(r.total_cents) }}</strong></td></tr>
                                            <tr><th scope="row">{move || t().invoice_paid_amount}</th><td class="num">{{ let m = money.clone(); move || m(inv.paid_cents) }}</td></tr>
                                            <tr><th scope="row">{move || t().invoice_balance}</th><td class="num" data-testid="invoice-balance"><strong>{{ let m = money.clone(); move || m(r.balance_cents) }}</strong></td></tr>
                                        </tfoot>
                                    </table>
                                </div>
                            </article>
                            {(r.status == InvoiceStatus::Unpaid).then(|| view! {
                                <section class="card no-print">
                                    <h2>{move || t().invoice_how_to_pay}</h2>
                                    <p>{move || t().invoice_pay_by_transfer}</p>
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
