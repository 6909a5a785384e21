//! The client's ticket pages: the list, the new-ticket form and the thread. The thread and the
//! list follow live updates once the WebAssembly runs; everything works without it.
use super::{
    error_from_query, human_size,
    texts::use_ticket_texts,
    ticket_form, ticket_list, ticket_thread,
    upload::{use_live_tickets, use_ticket_id, LiveThread, UploadForm},
    CloseTicket, MessageDto, ThreadDto, TicketPriority, TicketRow, TicketState, UploadLimits,
};
use crate::{
    components::{
        filtered_page_href, use_page_param, use_status_param, FormError, LoadError, Loading,
        PageHeading, Pagination, StatusFilter,
    },
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TicketBadge(status: TicketState) -> impl IntoView {
    let tt = use_ticket_texts();
    view! { <span class=format!("badge ticket-{}", status.code())>{move || status.label(tt())}</span> }
}

#[component]
pub fn PriorityBadge(priority: TicketPriority) -> impl IntoView {
    let tt = use_ticket_texts();
    view! { <span class=format!("badge priority-{}", priority.code())>{move || priority.label(tt())}</span> }
}

/// A time shown in the reader's language and kept machine-readable.
#[component]
pub fn When(iso: String) -> impl IntoView {
    let i18n = use_i18n();
    let shown = iso.clone();
    view! { <time datetime=iso>{move || format::date_time(&shown, i18n.locale())}</time> }
}

#[component]
pub fn TicketListPage() -> impl IntoView {
    let tt = use_ticket_texts();
    let status = use_status_param(|s| TicketState::from_code(s).is_some());
    let page = use_page_param();
    let list = Resource::new(
        move || (status(), page()),
        |(status, page)| ticket_list(status, Some(page)),
    );
    // A staff reply elsewhere marks its ticket unread here at once.
    use_live_tickets(move |_| list.refetch());
    view! {
        <PageHeading text=Signal::derive(move || tt().title.to_string())/>
        <p>{move || tt().intro}</p>
        <p><a class="button primary" href="/tickets/new">{move || tt().open_ticket}</a></p>
        <StatusFilter base="/tickets" current=status
            options=TicketState::ALL.into_iter().map(|s| (s.code(), Signal::derive(move || s.label(tt())))).collect()/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.items.is_empty() => {
                        let filtered = status().is_some();
                        view! { <p class="card empty-state">{move || if filtered { tt().empty_filtered } else { tt().empty }}</p> }.into_any()
                    }
                    Ok(l) => {
                        let href = move |p: u64| filtered_page_href("/tickets", status(), p);
                        view! {
                            <ClientTicketTable rows=l.items/>
                            <Pagination page=l.page pages=l.pages href/>
                        }.into_any()
                    }
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClientTicketTable(rows: Vec<TicketRow>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let tt = use_ticket_texts();
    view! {
        <div class="card table-wrap" tabindex="0" role="region" aria-label=move || tt().title>
            <table class="table" data-testid="ticket-list">
                <thead><tr>
                    <th scope="col">{move || tt().col_subject}</th>
                    <th scope="col">{move || tt().col_department}</th>
                    <th scope="col">{move || t().col_status}</th>
                    <th scope="col">{move || tt().col_updated}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let dept = r.department.clone();
                        view! {
                            <tr class:unread=r.unread>
                                <td>
                                    <a href=format!("/tickets/{}", r.id)>"#"{r.id}" "{r.subject.clone()}</a>
                                    {r.unread.then(|| view! { " "<span class="badge badge-new">{move || tt().unread}</span> })}
                                </td>
                                <td>{move || dept.name(i18n.locale())}</td>
                                <td><TicketBadge status=r.status/></td>
                                <td><When iso=r.updated_at.clone()/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The file input and its limits, named as the server reads it.
#[component]
pub fn AttachmentsField(limits: UploadLimits, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let tt = use_ticket_texts();
    let hint_id = format!("{id}-hint");
    let accept = limits.accept();
    view! {
        <div class="field">
            <label for=id>{move || tt().field_attachments}</label>
            <input id=id name="attachments" type="file" multiple accept=accept aria-describedby=hint_id.clone()/>
            <p class="hint" id=hint_id>{move || limits.hint(i18n.locale())}</p>
        </div>
    }
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let tt = use_ticket_texts();
    let query = use_query_map();
    let form = Resource::new(|| (), |_| ticket_form());
    view! {
        <p><a href="/tickets">"← "{move || tt().back_to_tickets}</a></p>
        <PageHeading text=Signal::derive(move || tt().new_title.to_string())/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let f = match form.await {
                    Ok(f) => f,
                    Err(e) => return view! { <LoadError error=e/> }.into_any(),
                };
                if f.departments.is_empty() {
                    return view! { <p class="card empty-state">{move || tt().no_departments}</p> }.into_any();
                }
                let initial_error = error_from_query(query.read_untracked().get("error"));
                let first = f.departments[0].id;
                let departments = f.departments.into_iter().map(|d| {
                    let id = format!("dept-{}", d.id);
                    let hint = format!("dept-{}-hint", d.id);
                    let d2 = d.clone();
                    view! {
                        <div class="field-check department-choice">
                            <input type="radio" name="department" id=id.clone() value=d.id.to_string()
                                checked=d.id == first required aria-describedby=hint.clone()/>
                            <label for=id>{move || d.name(i18n.locale())}</label>
                            <p class="hint" id=hint>{move || d2.description(i18n.locale())}</p>
                        </div>
                    }
                }).collect_view();
                let services = f.services.into_iter().map(|(id, domain)| view! {
                    <option value=id.to_string()>{domain}</option>
                }).collect_view();
                let priorities = TicketPriority::ALL.into_iter().map(|p| view! {
                    <option value=p.code() selected=p == TicketPriority::Medium>{move || p.label(tt())}</option>
                }).collect_view();
                view! {
                    <section class="card">
                        <UploadForm action="/tickets/new".to_owned() initial_error testid="new-ticket-form"
                            submit_label=Signal::derive(move || tt().submit_ticket)
                            sending_label=Signal::derive(move || tt().sending)>
                            <input type="hidden" name="form_key" value=f.form_key/>
                            <fieldset class="field">
                                <legend>{move || tt().field_department}</legend>
                                <p class="hint">{move || tt().field_department_hint}</p>
                                {departments}
                            </fieldset>
                            <div class="field">
                                <label for="f-service">{move || tt().field_service}</label>
                                <select id="f-service" name="service">
                                    <option value="">{move || tt().field_service_none}</option>
                                    {services}
                                </select>
                            </div>
                            <div class="field">
                                <label for="f-priority">{move || tt().field_priority}</label>
                                <select id="f-priority" name="priority">{priorities}</select>
                            </div>
                            <div class="field">
                                <label for="f-subject">{move || tt().field_subject}</label>
                                <input id="f-subject" name="subject" type="text" required minlength=3 maxlength=200/>
                            </div>
                            <div class="field">
                                <label for="f-body">{move || tt().field_message}</label>
                                <textarea id="f-body" name="body" rows=8 required maxlength=20000 aria-describedby="f-body-hint"></textarea>
                                <p class="hint" id="f-body-hint">{move || tt().field_message_hint}</p>
                            </div>
                            <AttachmentsField limits=f.limits id="f-attachments"/>
                        </UploadForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// One message of a thread; the body is text (Leptos escapes it), line breaks kept by CSS.
#[component]
pub fn MessageCard(m: MessageDto, ticket_id: i32) -> impl IntoView {
    let tt = use_ticket_texts();
    let class = if m.internal {
        "message message-internal"
    } else if m.from_staff {
        "message message-staff"
    } else {
        "message"
    };
    let files = m.attachments.clone();
    view! {
        <article class=class data-testid="ticket-message" id=format!("m{}", m.id)>
            <header class="message-head">
                <strong>{m.author_name.clone()}</strong>
                {m.from_staff.then(|| view! { " "<span class="badge">{move || tt().staff_badge}</span> })}
                {m.internal.then(|| view! { " "<span class="badge badge-internal">{move || tt().internal_badge}</span> })}
                " · "<When iso=m.created_at.clone()/>
            </header>
            <div class="message-body">{m.body.clone()}</div>
            {(!files.is_empty()).then(|| view! {
                <ul class="attachments" aria-label=move || tt().attachments_label>
                    {files.into_iter().map(|a| view! {
                        <li>
                            <a href=format!("/tickets/{ticket_id}/attachments/{}", a.id) download=a.filename.clone()>{a.filename.clone()}</a>
                            " ("{human_size(a.size)}")"
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </article>
    }
}

/// Status, department, service and dates of a ticket.
#[component]
pub fn TicketFacts(t: TicketRow, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t_ = i18n.t();
    let tt = use_ticket_texts();
    let dept = t.department.clone();
    view! {
        <dl class="details facts">
            <div><dt>{move || t_().col_status}</dt><dd data-testid="ticket-status"><TicketBadge status=t.status/></dd></div>
            <div><dt>{move || tt().col_department}</dt><dd>{move || dept.name(i18n.locale())}</dd></div>
            <div><dt>{move || tt().col_priority}</dt><dd><PriorityBadge priority=t.priority/></dd></div>
            {t.service_domain.clone().zip(t.service_id).map(|(d, sid)| view! {
                <div><dt>{move || tt().service_label}</dt><dd>{if staff {
                    view! { <span>{d}</span> }.into_any()
                } else {
                    view! { <a href=format!("/services/{sid}")>{d}</a> }.into_any()
                }}</dd></div>
            })}
            <div><dt>{move || tt().opened_on}</dt><dd><When iso=t.created_at.clone()/></dd></div>
        </dl>
    }
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let tt = use_ticket_texts();
    let query = use_query_map();
    let id = use_ticket_id();
    let close = ServerAction::<CloseTicket>::new();
    let thread = Resource::new(
        move || (id(), close.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => ticket_thread(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let notice = move || {
        let q = query.read();
        if q.get("opened").is_some() {
            Some(tt().opened_notice)
        } else if q.get("replied").is_some() {
            Some(tt().replied_notice)
        } else if q.get("closed").is_some() {
            Some(tt().closed_notice)
        } else {
            None
        }
    };
    view! {
        <p><a href="/tickets">"← "{move || tt().back_to_tickets}</a></p>
        <p class="alert alert-success" role="status" hidden=move || notice().is_none()>{move || notice().unwrap_or_default()}</p>
        <LiveThread ticket=Signal::derive(id) thread/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(th) => view! { <Thread th close/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Thread(th: ThreadDto, close: ServerAction<CloseTicket>) -> impl IntoView {
    let tt = use_ticket_texts();
    let query = use_query_map();
    let id = th.ticket.id;
    let closed = th.ticket.status == TicketState::Closed;
    let title = format!("#{id} {}", th.ticket.subject);
    let initial_error = error_from_query(query.read_untracked().get("error"));
    let messages = th
        .messages
        .into_iter()
        .map(|m| view! { <MessageCard m ticket_id=id/> })
        .collect_view();
    view! {
        <PageHeading text=Signal::derive(move || title.clone())/>
        <TicketFacts t=th.ticket.clone()/>
        <section class="thread" aria-label=move || tt().title>{messages}</section>
        {th.can_reply.then(|| view! {
            <section class="card" aria-labelledby="reply-title">
                <h2 id="reply-title">{move || tt().reply_title}</h2>
                {th.reopens.then(|| view! { <p class="hint">{move || tt().closed_reopens}</p> })}
                <UploadForm action=format!("/tickets/{id}/messages") initial_error testid="reply-form"
                    submit_label=Signal::derive(move || tt().reply_submit)
                    sending_label=Signal::derive(move || tt().sending)>
                    <div class="field">
                        <label for="f-reply">{move || tt().field_message}</label>
                        <textarea id="f-reply" name="body" rows=6 required maxlength=20000></textarea>
                    </div>
                    <AttachmentsField limits=th.limits.clone() id="f-reply-attachments"/>
                </UploadForm>
            </section>
        })}
        {(!th.can_reply).then(|| view! { <p class="card">{move || tt().closed_final}</p> })}
        {(!closed).then(|| view! {
            <section class="card">
                <p class="hint">{move || tt().close_hint}</p>
                <FormError result=close.value().into()/>
                <ActionForm action=close>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button">{move || tt().close_ticket}</button>
                </ActionForm>
            </section>
        })}
    }
}
