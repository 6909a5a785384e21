//! Staff knowledge-base pages: the article list, the article form (new and edit, with delete)
//! and the topics. Every form is an `ActionForm`, so it works before (or without) the
//! WebAssembly; what a page shows comes from a staff server function, so a client sees
//! "Not allowed" (403).
use super::admin::{
    staff_kb_article_form, staff_kb_articles, staff_kb_categories, KbAdminCategory,
    StaffKbArticleDelete, StaffKbArticleSave, StaffKbCategoryDelete, StaffKbCategorySave,
};
use crate::{
    components::{use_page_param, FormError, Loading, PageHeading, Pagination},
    error::AppError,
    i18n::{use_i18n, Locale},
    pages::staff_load_failed,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "Saved" / "Deleted" after a form post redirected back.
fn notice() -> impl Fn() -> Option<&'static str> + Copy {
    let t = use_i18n().t();
    let query = use_query_map();
    move || {
        let q = query.read();
        if q.get("saved").is_some() {
            Some(t().staff_kb_saved)
        } else if q.get("deleted").is_some() {
            Some(t().staff_kb_deleted)
        } else {
            None
        }
    }
}

#[component]
fn PublishedBadge(published: bool) -> impl IntoView {
    let t = use_i18n().t();
    let class = if published {
        "badge news-published"
    } else {
        "badge news-draft"
    };
    view! { <span class=class>{move || if published { t().staff_news_published } else { t().staff_news_draft }}</span> }
}

#[component]
pub fn StaffKbListPage() -> impl IntoView {
    let t = use_i18n().t();
    let page = use_page_param();
    let notice = notice();
    let list = Resource::new(page, |page| staff_kb_articles(Some(page)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let l = match list.await {
                    Ok(l) => l,
                    Err(e) => return staff_load_failed(e),
                };
                let empty = l.items.is_empty();
                let rows = l.items.into_iter().map(|a| view! {
                    <tr>
                        <td><a href=format!("/staff/kb/articles/{}", a.id)>{a.title.clone()}</a></td>
                        <td>{a.category_name.clone()}</td>
                        <td>{a.language.native_name()}</td>
                        <td><PublishedBadge published=a.published/></td>
                        <td class="num">{a.views}</td>
                        <td class="num">{format!("{} / {}", a.helpful, a.not_helpful)}</td>
                    </tr>
                }).collect_view();
                view! {
                    <p><a href="/staff">"← "{move || t().staff_title}</a></p>
                    <PageHeading text=Signal::derive(move || t().staff_kb_title.to_string())/>
                    {move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
                    <p class="actions">
                        <a class="button primary" href="/staff/kb/articles/new">{move || t().staff_kb_new}</a>
                        " "
                        <a class="button" href="/staff/kb/categories">{move || t().staff_kb_topics}</a>
                    </p>
                    {if empty {
                        view! { <p class="card empty-state">{move || t().kb_empty}</p> }.into_any()
                    } else {
                        view! {
                            <div class="card table-wrap">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">{move || t().staff_news_col_title}</th>
                                        <th scope="col">{move || t().staff_kb_col_topic}</th>
                                        <th scope="col">{move || t().staff_news_col_language}</th>
                                        <th scope="col">{move || t().col_status}</th>
                                        <th scope="col" class="num">{move || t().kb_views}</th>
                                        <th scope="col" class="num">{move || t().staff_kb_col_votes}</th>
                                    </tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    <Pagination page=l.page pages=l.pages href=|p| format!("/staff/kb?page={p}")/>
                }.into_any()
            })}
        </Suspense>
    }
}

fn category_label(c: &KbAdminCategory) -> String {
    format!("{} ({})", c.name, c.language.native_name())
}

/// New (`/staff/kb/articles/new`) or existing article.
#[component]
pub fn StaffKbArticlePage() -> impl IntoView {
    let t = use_i18n().t();
    let save = ServerAction::<StaffKbArticleSave>::new();
    let delete = ServerAction::<StaffKbArticleDelete>::new();
    let params = use_params_map();
    let id = move || params.read().get("id");
    let form = Resource::new(id, |id| async move {
        match id.as_deref() {
            Some("new") => staff_kb_article_form(None).await,
            Some(id) => match id.parse::<i32>() {
                Ok(id) => staff_kb_article_form(Some(id)).await,
                Err(_) => Err(AppError::NotFound),
            },
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <p><a href="/staff/kb">"← "{move || t().staff_kb_title}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let f = match form.await {
                    Ok(f) => f,
                    Err(e) => return staff_load_failed(e),
                };
                let a = f.article.clone();
                let chosen = a.as_ref().map(|a| a.category_id);
                let options = f.categories.iter().map(|c| {
                    view! { <option value=c.id selected=Some(c.id) == chosen>{category_label(c)}</option> }
                }).collect_view();
                let heading = if a.is_some() { t().staff_kb_edit } else { t().staff_kb_new };
                let id = a.as_ref().map(|a| a.id);
                view! {
                    <PageHeading text=Signal::derive(move || heading.to_string())/>
                    {a.clone().map(|a| view! {
                        <dl class="details">
                            <dt>{move || t().col_status}</dt><dd><PublishedBadge published=a.published/></dd>
                            <dt>{move || t().staff_news_address}</dt><dd><a href=a.address.clone()><code>{a.address.clone()}</code></a></dd>
                            <dt>{move || t().kb_views}</dt><dd>{a.views}</dd>
                            <dt>{move || t().kb_helpful}</dt><dd>{a.helpful}</dd>
                            <dt>{move || t().kb_not_helpful}</dt><dd>{a.not_helpful}</dd>
                        </dl>
                    })}
                    <ActionForm action=save attr:class="card form">
                        <FormError result=save.value().into()/>
                        {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                        <div class="field">
                            <label for="a-category">{move || t().staff_kb_col_topic}</label>
                            <select id="a-category" name="category" required>{options}</select>
                        </div>
                        <div class="field">
                            <label for="a-title">{move || t().staff_news_field_title}</label>
                            <input id="a-title" name="title" type="text" required maxlength=200
                                value=a.as_ref().map(|a| a.title.clone()).unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="a-tags">{move || t().kb_tags}</label>
                            <input id="a-tags" name="tags" type="text" maxlength=400 aria-describedby="a-tags-hint"
                                value=a.as_ref().map(|a| a.tags.clone()).unwrap_or_default()/>
                            <p class="hint" id="a-tags-hint">{move || t().staff_kb_tags_hint}</p>
                        </div>
                        <div class="field">
                            <label for="a-body">{move || t().staff_news_field_body}</label>
                            <textarea id="a-body" name="body" rows=14 required maxlength=50000 aria-describedby="a-body-hint">
                                {a.as_ref().map(|a| a.body_md.clone()).unwrap_or_default()}
                            </textarea>
                            <p class="hint" id="a-body-hint">{move || t().staff_news_field_body_hint}</p>
                        </div>
                        <div class="field field-check">
                            <input id="a-published" name="published" type="checkbox" value="on"
                                checked=a.as_ref().is_some_and(|a| a.published)/>
                            <label for="a-published">{move || t().staff_news_field_published}</label>
                        </div>
                        <button type="submit" class="button primary" disabled=move || save.pending().get()>
                            {move || t().staff_news_save}
                        </button>
                    </ActionForm>
                    {id.map(|id| view! {
                        <details class="card danger-zone">
                            <summary>{move || t().staff_kb_delete}</summary>
                            <p>{move || t().staff_kb_delete_confirm}</p>
                            <ActionForm action=delete attr:class="form">
                                <FormError result=delete.value().into()/>
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" class="button danger" disabled=move || delete.pending().get()>
                                    {move || t().staff_news_delete_submit}
                                </button>
                            </ActionForm>
                        </details>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// Name, description and order fields of a topic form (`prefix` keeps ids unique on the page).
fn category_fields(prefix: String, c: Option<&KbAdminCategory>) -> impl IntoView {
    let t = use_i18n().t();
    let id = |f: &str| format!("{prefix}-{f}");
    view! {
        <div class="field">
            <label for=id("name")>{move || t().staff_kb_topic_name}</label>
            <input id=id("name") name="name" type="text" required maxlength=120
                value=c.map(|c| c.name.clone()).unwrap_or_default()/>
        </div>
        <div class="field">
            <label for=id("description")>{move || t().staff_kb_topic_description}</label>
            <input id=id("description") name="description" type="text" maxlength=1000
                value=c.map(|c| c.description.clone()).unwrap_or_default()/>
        </div>
        <div class="field">
            <label for=id("order")>{move || t().staff_kb_topic_order}</label>
            <input id=id("order") name="sort_order" type="number" min=0 max=999 inputmode="numeric"
                value=c.map(|c| c.sort_order.to_string()).unwrap_or_else(|| "0".into())/>
        </div>
    }
}

#[component]
pub fn StaffKbCategoriesPage() -> impl IntoView {
    let t = use_i18n().t();
    let save = ServerAction::<StaffKbCategorySave>::new();
    let delete = ServerAction::<StaffKbCategoryDelete>::new();
    let notice = notice();
    let list = Resource::new(|| (), |_| staff_kb_categories());
    view! {
        <p><a href="/staff/kb">"← "{move || t().staff_kb_title}</a></p>
        <PageHeading text=Signal::derive(move || t().staff_kb_topics.to_string())/>
        {move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
        <FormError result=save.value().into()/>
        <FormError result=delete.value().into()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let cats = match list.await {
                    Ok(c) => c,
                    Err(e) => return staff_load_failed(e),
                };
                let languages = Locale::ALL.into_iter().map(|l| view! { <option value=l.code()>{l.native_name()}</option> }).collect_view();
                view! {
                    <ul class="cards">
                        {cats.into_iter().map(|c| {
                            let empty = c.articles == 0;
                            let label = category_label(&c);
                            let fields = category_fields(format!("c{}", c.id), Some(&c));
                            view! {
                                <li class="card">
                                    <h2>{label}</h2>
                                    <p class="muted">{format!("/kb/{} · {} ", c.slug, c.articles)}{move || t().kb_articles}</p>
                                    <ActionForm action=save attr:class="form">
                                        <input type="hidden" name="id" value=c.id/>
                                        <input type="hidden" name="language" value=c.language.code()/>
                                        {fields}
                                        <button type="submit" class="button">{move || t().staff_news_save}</button>
                                    </ActionForm>
                                    {empty.then(|| view! {
                                        <ActionForm action=delete attr:class="form">
                                            <input type="hidden" name="id" value=c.id/>
                                            <button type="submit" class="button danger">{move || t().staff_kb_topic_delete}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <section class="card" aria-labelledby="new-topic">
                        <h2 id="new-topic">{move || t().staff_kb_topic_new}</h2>
                        <ActionForm action=save attr:class="form">
                            {category_fields("new".into(), None)}
                            <div class="field">
                                <label for="new-language">{move || t().staff_news_field_language}</label>
                                <select id="new-language" name="language">{languages}</select>
                            </div>
                            <button type="submit" class="button primary">{move || t().staff_kb_topic_create}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
