//! `/billing/credit`: the client's credit balance and its history (server function scoped to
//! the signed-in client, over `domain::billing::credit`).
use super::texts::{use_billing_texts, BillingTexts};
use crate::{
    components::{use_page_param, LoadError, Loading, PageHeading, Pagination},
    error::AppError,
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditKind {
    Overpayment,
    Refund,
    Applied,
    Downgrade,
    Adjustment,
}

impl CreditKind {
    fn label(self, bt: &BillingTexts) -> &'static str {
        match self {
            CreditKind::Overpayment => bt.kind_overpayment,
            CreditKind::Refund => bt.kind_refund,
            CreditKind::Applied => bt.kind_applied,
            CreditKind::Downgrade => bt.kind_downgrade,
            CreditKind::Adjustment => bt.kind_adjustment,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRow {
    pub kind: CreditKind,
    pub currency: String,
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    pub invoice_id: Option<i32>,
    pub invoice_number: Option<String>,
    pub note: String,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditOverview {
    /// (currency, cents) for every currency the client ever had credit in.
    pub balances: Vec<(String, i64)>,
    pub entries: Vec<CreditRow>,
    pub page: u64,
    pub pages: u64,
}

#[server(prefix = "/_fn", endpoint = "get_credit")]
pub async fn get_credit(page: Option<u64>) -> Result<CreditOverview, AppError> {
    use crate::auth::ssr;
    use domain::billing::credit::{self as c, CreditKind as K};
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let svc = ssr::services()?;
    let balances = c::balances(&svc.db, user.client_id).await?;
    let h = c::history(&svc.db, user.client_id, page.unwrap_or(1)).await?;
    Ok(CreditOverview {
        balances,
        page: h.page,
        pages: h.pages(),
        entries: h
            .items
            .into_iter()
            .map(|e| CreditRow {
                kind: match e.kind {
                    K::Overpayment => CreditKind::Overpayment,
                    K::Refund => CreditKind::Refund,
                    K::Applied => CreditKind::Applied,
                    K::Downgrade => CreditKind::Downgrade,
                    K::Adjustment => CreditKind::Adjustment,
                },
                currency: e.currency,
                amount_cents: e.amount_cents,
                balance_after_cents: e.balance_after_cents,
                invoice_id: e.invoice_id,
                invoice_number: e.invoice_number,
                note: e.note,
                at: e.created_at.to_rfc3339(),
            })
            .collect(),
    })
}

#[component]
pub fn CreditPage() -> impl IntoView {
    let i18n = use_i18n();
    let bt = use_billing_texts();
    let page = use_page_param();
    let credit = Resource::new(page, |p| get_credit(Some(p)));
    view! {
        <PageHeading text=Signal::derive(move || bt().credit_title.to_string())/>
        <p>{move || bt().credit_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let c = match credit.await {
                    Ok(c) => c,
                    Err(e) => return view! { <LoadError error=e/> }.into_any(),
                };
                let total = if c.balances.iter().all(|(_, b)| *b == 0) {
                    view! { <p class="card empty-state" data-testid="credit-balance">{move || bt().credit_none}</p> }.into_any()
                } else {
                    view! {
                        <div class="card">
                            <h2>{move || bt().credit_available}</h2>
                            <ul class="plain" data-testid="credit-balance">
                                {c.balances.into_iter().map(|(cur, b)| view! {
                                    <li><strong>{move || format::money(b, &cur, i18n.locale())}</strong></li>
                                }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                };
                let history = if c.entries.is_empty() {
                    view! { <p class="card empty-state">{move || bt().credit_history_empty}</p> }.into_any()
                } else {
                    view! {
                        <div class="card table-wrap" tabindex="0">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{move || bt().col_date}</th>
                                    <th scope="col">{move || i18n.t()().invoice_description}</th>
                                    <th scope="col" class="num">{move || bt().col_change}</th>
                                    <th scope="col" class="num">{move || bt().col_balance_after}</th>
                                </tr></thead>
                                <tbody>
                                    {c.entries.into_iter().map(|e| view! { <Entry e/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pagination page=c.page pages=c.pages href=|p: u64| format!("/billing/credit?page={p}")/>
                    }.into_any()
                };
                view! {
                    {total}
                    <section aria-labelledby="credit-history">
                        <h2 id="credit-history">{move || bt().credit_history}</h2>
                        {history}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Entry(e: CreditRow) -> impl IntoView {
    let i18n = use_i18n();
    let bt = use_billing_texts();
    let at = e.at.clone();
    let kind = e.kind;
    let (cur, cur2) = (e.currency.clone(), e.currency.clone());
    let link = e.invoice_id.zip(e.invoice_number.clone()).map(|(id, n)| {
        view! { " · "<a href=format!("/invoices/{id}")>{n}</a> }
    });
    let note = (!e.note.is_empty()).then(|| view! { " · "{e.note.clone()} });
    view! {
        <tr>
            <td>{move || format::date(&at, i18n.locale())}</td>
            <td>{move || kind.label(bt())}{link}{note}</td>
            <td class="num">{move || format::money(e.amount_cents, &cur, i18n.locale())}</td>
            <td class="num">{move || format::money(e.balance_after_cents, &cur2, i18n.locale())}</td>
        </tr>
    }
}
