use super::{
    get_kb_article, get_kb_category, get_kb_home, search_kb, KbArticle, KbArticleLink,
    VoteKbArticle,
};
use crate::{
    components::{LoadError, Loading, PageHeading},
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
};

/// A search form that works with and without JavaScript (a plain GET to /kb/search).
#[component]
pub fn KbSearchBox(#[prop(optional, into)] value: Signal<String>) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <Form method="GET" action="/kb/search" attr:class="search-box" attr:role="search">
            <label for="kb-q">{move || t().kb_search_label}</label>
            <div class="search-row">
                <input id="kb-q" type="search" name="q" maxlength=200 prop:value=move || value.get()
                    value=move || value.get() placeholder=move || t().kb_search_placeholder/>
                <button type="submit" class="button primary">{move || t().kb_search_submit}</button>
            </div>
        </Form>
    }
}

#[component]
fn ArticleList(
    articles: Vec<KbArticleLink>,
    #[prop(optional)] show_category: bool,
) -> impl IntoView {
    view! {
        <ul class="cards">
            {articles.into_iter().map(|a| view! {
                <li class="card kb-article-link">
                    <h3><a href=a.href()>{a.title.clone()}</a></h3>
                    {show_category.then(|| view! { <p class="muted">{a.category_name.clone()}</p> })}
                    <p>{a.excerpt.clone()}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Breadcrumbs(#[prop(optional)] category: Option<(String, String)>) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <nav class="breadcrumbs" aria-label=move || t().kb_breadcrumbs>
            <a href="/kb">{move || t().nav_kb}</a>
            {category.map(|(slug, name)| view! { " › " <a href=format!("/kb/{slug}")>{name}</a> })}
        </nav>
    }
}

#[component]
pub fn KbHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let home = Resource::new(move || i18n.locale(), |_| get_kb_home());
    view! {
        <PageHeading text=Signal::derive(move || t().nav_kb.to_string())/>
        <p class="lead">{move || t().kb_intro}</p>
        <KbSearchBox/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(h) if h.categories.is_empty() => view! { <p class="card empty-state">{move || t().kb_empty}</p> }.into_any(),
                    Ok(h) => view! {
                        <section aria-labelledby="kb-topics">
                            <h2 id="kb-topics">{move || t().kb_topics}</h2>
                            <ul class="tiles">
                                {h.categories.into_iter().map(|c| view! {
                                    <li class="card tile">
                                        <a href=format!("/kb/{}", c.slug)>
                                            <h3>{c.name.clone()}</h3>
                                            <p>{c.description.clone()}</p>
                                            <p class="muted">{move || format!("{} {}", c.articles, t().kb_articles)}</p>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="kb-popular">
                            <h2 id="kb-popular">{move || t().kb_popular}</h2>
                            <ArticleList articles=h.popular show_category=true/>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn KbSearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let query = use_query_map();
    let q = Signal::derive(move || query.read().get("q").unwrap_or_default());
    let results = Resource::new(move || (q.get(), i18n.locale()), |(q, _)| search_kb(q));
    view! {
        <Breadcrumbs/>
        <PageHeading text=Signal::derive(move || t().kb_search_title.to_string())/>
        <KbSearchBox value=q/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let typed = q.get_untracked();
                match results.await {
                    _ if typed.trim().is_empty() => view! { <p class="card empty-state">{move || t().kb_type_something}</p> }.into_any(),
                    Ok(r) if r.is_empty() => view! {
                        <div class="card empty-state" role="status">
                            <p>{move || t().kb_no_results}</p>
                            <p><a href="/kb">{move || t().kb_browse_topics}</a>" · "<a href="/tickets/new">{move || t().kb_open_ticket}</a></p>
                        </div>
                    }.into_any(),
                    Ok(r) => {
                        let n = r.len();
                        view! {
                            <p role="status">{move || format!("{} {n}", t().kb_results)}</p>
                            <ArticleList articles=r show_category=true/>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn KbCategoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let params = use_params_map();
    let slug = move || params.read().get("category").unwrap_or_default();
    let data = Resource::new(move || (slug(), i18n.locale()), |(s, _)| get_kb_category(s));
    view! {
        <Breadcrumbs/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((c, articles)) => view! {
                        <PageHeading text=Signal::derive({ let n = c.name.clone(); move || n.clone() })/>
                        <p class="lead">{c.description.clone()}</p>
                        {if articles.is_empty() {
                            view! { <p class="card empty-state">{move || t().kb_category_empty}</p> }.into_any()
                        } else {
                            view! { <ArticleList articles/> }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn KbArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let vote = ServerAction::<VoteKbArticle>::new();
    let key = move || {
        let p = params.read();
        (
            p.get("category").unwrap_or_default(),
            p.get("article").unwrap_or_default(),
            query.read().get("voted").is_none(),
            i18n.locale(),
            vote.version().get(),
        )
    };
    // A reader coming back from voting is not counted as another view.
    let article = Resource::new(key, |(c, s, fresh, _, version)| {
        get_kb_article(c, s, fresh && version == 0)
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(a) => view! { <ArticleBody a vote/> }.into_any(),
                    Err(e) => view! { <Breadcrumbs/><LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleBody(a: KbArticle, vote: ServerAction<VoteKbArticle>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let updated = a.updated_at.clone();
    let link = a.link.clone();
    view! {
        <Breadcrumbs category=(link.category_slug.clone(), link.category_name.clone())/>
        <article class="card prose">
            <PageHeading text=Signal::derive({ let n = link.title.clone(); move || n.clone() })/>
            <p class="muted">{move || t().kb_updated}" "
                <time datetime=a.updated_at.clone()>{move || format::date(&updated, i18n.locale())}</time>
            </p>
            // Safe: rendered by domain::content::markdown (no raw HTML, no script links).
            <div inner_html=a.body_html.clone()></div>
            {(!a.tags.is_empty()).then(|| view! {
                <ul class="tags" aria-label=move || t().kb_tags>
                    {a.tags.iter().map(|tag| view! { <li class="chip">{tag.clone()}</li> }).collect_view()}
                </ul>
            })}
        </article>
        <VoteBox a=a.clone() vote/>
        {a.stats.map(|s| view! {
            <section class="card staff-only" aria-labelledby="kb-stats">
                <h2 id="kb-stats">{move || t().kb_staff_stats}</h2>
                <dl class="stats">
                    <div class="stat"><dt>{move || t().kb_views}</dt><dd>{s.views}</dd></div>
                    <div class="stat"><dt>{move || t().kb_helpful}</dt><dd data-testid="kb-helpful">{s.helpful}</dd></div>
                    <div class="stat"><dt>{move || t().kb_not_helpful}</dt><dd data-testid="kb-not-helpful">{s.not_helpful}</dd></div>
                </dl>
            </section>
        })}
        {(!a.related.is_empty()).then(|| view! {
            <section aria-labelledby="kb-related">
                <h2 id="kb-related">{move || t().kb_related}</h2>
                <ArticleList articles=a.related.clone()/>
            </section>
        })}
    }
}

/// "Did you find your answer?": two forms (yes / no), or the answer already given.
#[component]
fn VoteBox(a: KbArticle, vote: ServerAction<VoteKbArticle>) -> impl IntoView {
    let t = use_i18n().t();
    let form = move |value: &'static str, label: fn(&crate::i18n::Texts) -> &'static str| {
        let (id, category, slug) = (a.id, a.link.category_slug.clone(), a.link.slug.clone());
        view! {
            <ActionForm action=vote attr:class="inline-form">
                <input type="hidden" name="article_id" value=id/>
                <input type="hidden" name="helpful" value=value/>
                <input type="hidden" name="category" value=category/>
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button" disabled=move || vote.pending().get()>{move || label(t())}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card vote-box" aria-labelledby="kb-vote">
            <h2 id="kb-vote">{move || t().kb_vote_question}</h2>
            {match a.my_vote {
                None => view! {
                    <div class="actions">{form("yes", |t| t.kb_vote_yes)}{form("no", |t| t.kb_vote_no)}</div>
                }.into_any(),
                Some(helpful) => view! {
                    <p role="status">
                        {move || t().kb_vote_thanks}" "
                        {move || if helpful { t().kb_you_said_yes } else { t().kb_you_said_no }}
                    </p>
                    {(!helpful).then(|| view! { <p><a href="/tickets/new">{move || t().kb_open_ticket}</a></p> })}
                }.into_any(),
            }}
        </section>
    }
}
