use crate::{
    components::{LoadError, Loading, PageHeading},
    error::AppError,
    format,
    i18n::{use_i18n, Texts},
    kb::KbSearchBox,
    news::{NewsItem, NewsSummary},
    services::{ServiceCard, ServiceRow, Status, StatusBadge},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
const HOME_SERVICES: usize = 5;
#[cfg(feature = "ssr")]
const HOME_NEWS: u64 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// For the greeting.
    pub first_name: String,
    pub status_counts: Vec<(Status, u64)>,
    pub services: Vec<ServiceRow>,
    pub services_total: u64,
    pub news: Vec<NewsItem>,
    pub unpaid_count: u64,
    /// Balance due per currency.
    pub unpaid_totals: Vec<(String, i64)>,
    /// Tickets with a staff reply the client has not read.
    pub unread_tickets: u64,
    /// Which sections to show (a contact sees only what they may).
    pub perms: crate::auth::Perms,
}

/// Everything the home page shows, in one round trip.
#[server(prefix = "/_fn", endpoint = "get_dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client_area()?;
    let svc = ssr::services()?;
    use domain::accounts::Permission;
    // A contact sees only the parts of the account their permissions cover.
    let (counts, services) = if user.can(Permission::Services) {
        (
            domain::hosting::status_counts(&svc.db, user.client_id).await?,
            domain::hosting::list_services(&svc.db, user.client_id, None, 1).await?,
        )
    } else {
        (Vec::new(), domain::Page::empty())
    };
    let lang = ssr::request_locale().code();
    let news = domain::content::news::list(&svc.db, lang, svc.now(), 1, HOME_NEWS).await?;
    let (unpaid_count, unpaid_totals) = if user.can(Permission::Invoices) {
        domain::billing::invoices::unpaid_totals(&svc.db, user.client_id).await?
    } else {
        (0, Vec::new())
    };
    let unread_tickets = if user.can(Permission::Tickets) {
        domain::support::unread_for_client(&svc.db, user.client_id).await?
    } else {
        0
    };
    Ok(Dashboard {
        first_name: user
            .name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
        status_counts: counts.into_iter().map(|(s, n)| (s.into(), n)).collect(),
        services_total: services.total,
        services: services
            .items
            .into_iter()
            .take(HOME_SERVICES)
            .map(Into::into)
            .collect(),
        news: news.items.into_iter().map(Into::into).collect(),
        unpaid_count,
        unpaid_totals,
        unread_tickets,
        perms: user.permissions.into(),
    })
}

/// Picks a tile's title and description from the current language's texts.
type TileTexts = fn(&Texts) -> (&'static str, &'static str);

/// The client's home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let data = Resource::new(move || i18n.locale(), |_| get_dashboard());
    let auth = crate::auth::use_auth();
    let may_open = move |href: &str| {
        let p = auth.user.get().map(|u| u.perms).unwrap_or_default();
        match href {
            "/invoices" => p.invoices,
            "/tickets" => p.tickets,
            _ => true,
        }
    };
    let tiles: [(&str, TileTexts); 4] = [
        ("/invoices", |t| (t.nav_invoices, t.home_invoices_desc)),
        ("/tickets", |t| (t.nav_tickets, t.home_tickets_desc)),
        ("/kb", |t| (t.nav_kb, t.home_kb_desc)),
        ("/account", |t| (t.nav_account, t.home_account_desc)),
    ];
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <PageHeading text=Signal::derive({
                            let name = d.first_name.clone();
                            move || format!("{}, {}", t().home_greeting, name)
                        })/>
                        <p class="lead">{move || t().home_intro}</p>
                        <DashboardBody d/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <ul class="tiles">
            {tiles
                .into_iter()
                .map(|(href, texts)| view! {
                    <li class="card tile" hidden=move || !may_open(href)>
                        <a href=href>
                            <h2>{move || texts(t()).0}</h2>
                            <p>{move || texts(t()).1}</p>
                        </a>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let totals = d.unpaid_totals.clone();
    let total_due = move || {
        if totals.is_empty() {
            format::money(0, "EUR", i18n.locale())
        } else {
            totals
                .iter()
                .map(|(c, n)| format::money(*n, c, i18n.locale()))
                .collect::<Vec<_>>()
                .join(" + ")
        }
    };
    let active = d
        .status_counts
        .iter()
        .find(|(s, _)| *s == Status::Active)
        .map_or(0, |(_, n)| *n);
    let tt = crate::tickets::texts::use_ticket_texts();
    let unread = d.unread_tickets;
    view! {
        {(unread > 0).then(|| view! {
            <p class="alert alert-info" data-testid="unread-tickets">
                <a href="/tickets">{move || tt().home_unread}</a>": "{unread}
            </p>
        })}
        <section aria-labelledby="home-invoices" hidden=!d.perms.invoices>
            <div class="section-head">
                <h2 id="home-invoices">{move || t().nav_invoices}</h2>
                <a href="/invoices?status=unpaid">{move || t().home_view_all}</a>
            </div>
            <dl class="stats">
                <div class="card stat"><dt>{move || t().home_unpaid}</dt><dd>{d.unpaid_count}</dd></div>
                <div class="card stat"><dt>{move || t().home_total_due}</dt><dd data-testid="total-due">{total_due}</dd></div>
            </dl>
        </section>
        <section aria-labelledby="home-services" hidden=!d.perms.services>
            <div class="section-head">
                <h2 id="home-services">{move || t().home_services}</h2>
                <a href="/services">{move || t().home_view_all}</a>
            </div>
            <dl class="stats">
                <div class="card stat"><dt>{move || t().home_active_services}</dt><dd>{active}</dd></div>
                {d.status_counts.iter().filter(|(s, _)| *s != Status::Active).map(|(s, n)| {
                    let s = *s;
                    view! {
                        <div class="card stat">
                            <dt><StatusBadge status=s/></dt>
                            <dd><a href=format!("/services?status={}", s.code())>{*n}</a></dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
            {if d.services.is_empty() {
                view! { <p class="card empty-state">{move || t().home_no_services}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">{d.services.into_iter().map(|s| view! { <ServiceCard service=s/> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <KbSearchBox/>
        </section>
        <section aria-labelledby="home-news">
            <div class="section-head">
                <h2 id="home-news">{move || t().home_latest_news}</h2>
                <a href="/news">{move || t().home_view_all}</a>
            </div>
            {if d.news.is_empty() {
                view! { <p class="card empty-state">{move || t().news_empty}</p> }.into_any()
            } else {
                view! { <ul class="cards">{d.news.into_iter().map(|item| view! { <NewsSummary item/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}
