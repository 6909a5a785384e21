use crate::{
    auth::UserDto,
    components::PageHeading,
    i18n::{use_i18n, Texts},
    RequireUser,
};
use leptos::prelude::*;

/// The client's home page. The lists arrive with their issues (services, invoices, tickets, news).
#[component]
pub fn HomePage() -> impl IntoView {
    view! { <RequireUser render=|user| view! { <Dashboard user/> }.into_any()/> }
}

/// Picks a tile's title and description from the current language's texts.
type TileTexts = fn(&Texts) -> (&'static str, &'static str);

#[component]
fn Dashboard(user: UserDto) -> impl IntoView {
    let t = use_i18n().t();
    let first_name = user
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let tiles: [(&str, TileTexts); 6] = [
        ("/services", |t| (t.nav_services, t.home_services_desc)),
        ("/invoices", |t| (t.nav_invoices, t.home_invoices_desc)),
        ("/tickets", |t| (t.nav_tickets, t.home_tickets_desc)),
        ("/news", |t| (t.nav_news, t.home_news_desc)),
        ("/kb", |t| (t.nav_kb, t.home_kb_desc)),
        ("/account", |t| (t.nav_account, t.home_account_desc)),
    ];
    view! {
        <PageHeading text=Signal::derive(move || format!("{}, {}", t().home_greeting, first_name))/>
        <p class="lead">{move || t().home_intro}</p>
        <ul class="tiles">
            {tiles
                .into_iter()
                .map(|(href, texts)| view! {
                    <li class="card tile">
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
