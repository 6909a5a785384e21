use super::{get_email, list_emails, when, EmailStatus};
use crate::{
    components::{use_page_param, LoadError, Loading, PageHeading, Pagination},
    error::AppError,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
fn EmailBadge(status: EmailStatus) -> impl IntoView {
    let t = use_i18n().t();
    view! { <span class=format!("badge email-{}", status.code())>{move || status.label(t())}</span> }
}

/// `/account/emails`: a list of links, one per email (a list rather than a table: subjects are
/// long, and phones come first).
#[component]
pub fn EmailHistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let page = use_page_param();
    let list = Resource::new(page, |page| list_emails(Some(page)));
    view! {
        <p><a href="/account">"← "{move || t().nav_account}</a></p>
        <PageHeading text=Signal::derive(move || t().emails_title.to_string())/>
        <p class="lead">{move || t().emails_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.items.is_empty() => view! { <p class="card empty-state">{move || t().emails_empty}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="card email-list" aria-label=move || t().emails_title>
                            {l.items.into_iter().map(|e| {
                                let at = e.created_at.clone();
                                view! {
                                    <li>
                                        <a href=format!("/account/emails/{}", e.id)>
                                            <span class="email-subject">{e.subject}</span>
                                            <span class="email-meta">
                                                <time datetime=e.created_at>{move || when(&at, i18n.locale())}</time>
                                                <EmailBadge status=e.status/>
                                            </span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pagination page=l.page pages=l.pages href=|p| format!("/account/emails?page={p}")/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/account/emails/:id`: one email as it was sent, its plain text shown as text.
#[component]
pub fn EmailDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let email = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_email(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <p><a href="/account/emails">"← "{move || t().back_to_emails}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match email.await {
                    Ok(e) => {
                        let at = e.row.created_at.clone();
                        let subject = e.row.subject.clone();
                        view! {
                            <article class="card email">
                                <PageHeading text=Signal::derive(move || subject.clone())/>
                                <dl class="details">
                                    <dt>{move || t().email_date}</dt>
                                    <dd><time datetime=e.row.created_at>{move || when(&at, i18n.locale())}</time></dd>
                                    <dt>{move || t().email_to}</dt><dd>{e.to_address}</dd>
                                    <dt>{move || t().col_status}</dt><dd><EmailBadge status=e.row.status/></dd>
                                </dl>
                                // Text, not inner_html: Leptos escapes it, so the body can never
                                // become markup however it was written.
                                <pre class="email-body" aria-label=move || t().email_message>{e.body}</pre>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
