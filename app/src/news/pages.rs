use super::{get_news, list_news, NewsItem};
use crate::{
    components::{use_page_param, LoadError, Loading, PageHeading, Pagination},
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A headline with its date and excerpt, linking to the item.
#[component]
pub fn NewsSummary(item: NewsItem) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let date = item.published_at.clone();
    view! {
        <li class="card news-item">
            <h2><a href=format!("/news/{}", item.slug)>{item.title.clone()}</a></h2>
            <p class="muted">
                <time datetime=item.published_at.clone()>{move || format::date(&date, i18n.locale())}</time>
            </p>
            <p>{item.excerpt.clone()}</p>
            <a href=format!("/news/{}", item.slug) aria-label=format!("{}: {}", t().read_more, item.title)>
                {move || t().read_more}
            </a>
        </li>
    }
}

#[component]
pub fn NewsListPage() -> impl IntoView {
    let t = use_i18n().t();
    let page = use_page_param();
    // Keyed on the language too: switching it shows the other language's news.
    let i18n = use_i18n();
    let list = Resource::new(
        move || (page(), i18n.locale()),
        |(page, _)| list_news(Some(page), None),
    );
    view! {
        <PageHeading text=Signal::derive(move || t().nav_news.to_string())/>
        <p><a href="/news/feed.xml">{move || t().news_feed}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.items.is_empty() => view! { <p class="card empty-state">{move || t().news_empty}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="cards">{l.items.into_iter().map(|item| view! { <NewsSummary item/> }).collect_view()}</ul>
                        <Pagination page=l.page pages=l.pages href=|p| format!("/news?page={p}")/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NewsDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let item = Resource::new(move || (slug(), i18n.locale()), |(slug, _)| get_news(slug));
    view! {
        <p><a href="/news">"← "{move || t().back_to_news}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match item.await {
                    Ok(n) => {
                        let date = n.published_at.clone();
                        view! {
                            <article class="card prose">
                                <PageHeading text=Signal::derive({ let t = n.title.clone(); move || t.clone() })/>
                                <p class="muted">{move || t().published_on}" "
                                    <time datetime=n.published_at.clone()>{move || format::date(&date, i18n.locale())}</time>
                                </p>
                                // Safe: rendered by domain::content::markdown (no raw HTML, no script links).
                                <div inner_html=n.body_html.clone()></div>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
