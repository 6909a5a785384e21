//! Staff news pages: the list, the new-item form and the edit form with delete. Every form is
//! an `ActionForm`, so it works before (or without) the WebAssembly; what a page shows comes
//! from a staff server function, so a client sees "Not allowed" (403).
use super::admin::{
    staff_news_blank, staff_news_get, staff_news_list, NewsAdminForm, NewsStatus, StaffNewsCreate,
    StaffNewsDelete, StaffNewsUpdate,
};
use crate::{
    components::{use_page_param, FormError, Loading, PageHeading, Pagination},
    error::AppError,
    format,
    i18n::{use_i18n, Locale},
    pages::staff_load_failed,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
fn StatusBadge(status: NewsStatus) -> impl IntoView {
    let t = use_i18n().t();
    view! { <span class=format!("badge news-{}", status.code())>{move || status.label(t())}</span> }
}

#[component]
pub fn StaffNewsListPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let page = use_page_param();
    let query = use_query_map();
    let notice = move || {
        let q = query.read();
        if q.get("saved").is_some() {
            Some(t().staff_news_saved)
        } else if q.get("deleted").is_some() {
            Some(t().staff_news_deleted)
        } else {
            None
        }
    };
    let list = Resource::new(page, |page| staff_news_list(Some(page)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let l = match list.await {
                    Ok(l) => l,
                    Err(e) => return staff_load_failed(e),
                };
                let rows = l.items.into_iter().map(|n| {
                    let date = n.date.clone();
                    view! {
                        <tr>
                            <td><a href=format!("/staff/news/{}", n.id)>{n.title.clone()}</a></td>
                            <td>{n.language.native_name()}</td>
                            <td><time datetime=n.date.clone()>{move || format::date(&date, i18n.locale())}</time></td>
                            <td><StatusBadge status=n.status/></td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <p><a href="/staff">"← "{move || t().staff_title}</a></p>
                    <PageHeading text=Signal::derive(move || t().staff_news_title.to_string())/>
                    {move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
                    <p><a class="button primary" href="/staff/news/new">{move || t().staff_news_new}</a></p>
                    {if l.pages == 1 && rows.is_empty() {
                        view! { <p class="card empty-state">{move || t().staff_news_empty}</p> }.into_any()
                    } else {
                        view! {
                            <div class="card table-wrap">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">{move || t().staff_news_col_title}</th>
                                        <th scope="col">{move || t().staff_news_col_language}</th>
                                        <th scope="col">{move || t().staff_news_col_date}</th>
                                        <th scope="col">{move || t().col_status}</th>
                                    </tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    <Pagination page=l.page pages=l.pages href=|p| format!("/staff/news?page={p}")/>
                }.into_any()
            })}
        </Suspense>
    }
}

/// Title, language, date, text and "Published", named as the server functions take them.
#[component]
fn NewsFields(form: NewsAdminForm) -> impl IntoView {
    let t = use_i18n().t();
    let language = form.language;
    let options = Locale::ALL
        .into_iter()
        .map(|l| view! { <option value=l.code() selected=l == language>{l.native_name()}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for="f-title">{move || t().staff_news_field_title}</label>
            <input id="f-title" name="title" type="text" required maxlength=200 value=form.title/>
        </div>
        <div class="field">
            <label for="f-language">{move || t().staff_news_field_language}</label>
            <select id="f-language" name="language">{options}</select>
        </div>
        <div class="field">
            <label for="f-date">{move || t().staff_news_field_date}</label>
            <input id="f-date" name="date" type="date" value=form.date aria-describedby="f-date-hint"/>
            <p class="hint" id="f-date-hint">{move || t().staff_news_field_date_hint}</p>
        </div>
        <div class="field">
            <label for="f-body">{move || t().staff_news_field_body}</label>
            <textarea id="f-body" name="body" rows=14 required maxlength=50000 aria-describedby="f-body-hint">
                {form.body_md}
            </textarea>
            <p class="hint" id="f-body-hint">{move || t().staff_news_field_body_hint}</p>
        </div>
        <div class="field field-check">
            <input id="f-published" name="published" type="checkbox" value="on" checked=form.published
                aria-describedby="f-published-hint"/>
            <label for="f-published">{move || t().staff_news_field_published}</label>
            <p class="hint" id="f-published-hint">{move || t().staff_news_field_published_hint}</p>
        </div>
    }
}

#[component]
fn BackToList() -> impl IntoView {
    let t = use_i18n().t();
    view! { <p><a href="/staff/news">"← "{move || t().staff_news_back}</a></p> }
}

#[component]
pub fn StaffNewsNewPage() -> impl IntoView {
    let t = use_i18n().t();
    // Created inside <Routes>, so an error from a form post without JavaScript reaches it.
    let create = ServerAction::<StaffNewsCreate>::new();
    let blank = Resource::new(|| (), |_| staff_news_blank());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let form = match blank.await {
                    Ok(form) => form,
                    Err(e) => return staff_load_failed(e),
                };
                view! {
                    <BackToList/>
                    <PageHeading text=Signal::derive(move || t().staff_news_new.to_string())/>
                    <ActionForm action=create attr:class="card form">
                        <FormError result=create.value().into()/>
                        <NewsFields form/>
                        <button type="submit" class="button primary" disabled=move || create.pending().get()>
                            {move || t().staff_news_save}
                        </button>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn StaffNewsEditPage() -> impl IntoView {
    let t = use_i18n().t();
    let update = ServerAction::<StaffNewsUpdate>::new();
    let delete = ServerAction::<StaffNewsDelete>::new();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let item = Resource::new(id, |id| async move {
        match id {
            Some(id) => staff_news_get(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <BackToList/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let form = match item.await {
                    Ok(form) => form,
                    Err(e) => return staff_load_failed(e),
                };
                let id = form.id.unwrap_or_default();
                let address = form.slug.clone().map(|s| format!("/news/{s}"));
                view! {
                    <PageHeading text=Signal::derive(move || t().staff_news_edit.to_string())/>
                    <dl class="details">
                        <dt>{move || t().col_status}</dt><dd><StatusBadge status=form.status/></dd>
                        <dt>{move || t().staff_news_address}</dt><dd><code>{address}</code></dd>
                    </dl>
                    <ActionForm action=update attr:class="card form">
                        <FormError result=update.value().into()/>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <NewsFields form/>
                        <button type="submit" class="button primary" disabled=move || update.pending().get()>
                            {move || t().staff_news_save}
                        </button>
                    </ActionForm>
                    // A second step that needs no JavaScript: open, read, then confirm.
                    <details class="card danger-zone">
                        <summary>{move || t().staff_news_delete}</summary>
                        <p>{move || t().staff_news_delete_confirm}</p>
                        <ActionForm action=delete attr:class="form">
                            <FormError result=delete.value().into()/>
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class="button danger" disabled=move || delete.pending().get()>
                                {move || t().staff_news_delete_submit}
                            </button>
                        </ActionForm>
                    </details>
                }.into_any()
            })}
        </Suspense>
    }
}
