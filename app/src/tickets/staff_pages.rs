//! Staff ticket pages: the queue with its filters, one ticket (thread with internal notes,
//! reply or note with canned responses, and its details), and the settings page.
use super::{
    error_from_query,
    pages::AttachmentsField,
    pages::{MessageCard, PriorityBadge, TicketBadge, TicketFacts, When},
    staff::{
        staff_ticket, staff_ticket_queue, staff_ticket_settings, CannedDto, StaffDeleteCanned,
        StaffQueue, StaffSaveCanned, StaffSaveDepartment, StaffSaveSignature, StaffTicketDto,
        StaffUpdateTicket,
    },
    texts::use_ticket_texts,
    upload::{use_live_tickets, use_ticket_id, LiveThread, UploadForm},
    DepartmentDto, TicketPriority, TicketState,
};
use crate::{
    components::{use_page_param, FormError, Loading, PageHeading, Pagination},
    i18n::use_i18n,
    pages::staff_load_failed,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The queue's filters as they are in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Filters {
    department: String,
    status: String,
    priority: String,
    assigned: String,
}

impl Filters {
    fn query(&self, page: u64) -> String {
        format!(
            "/staff/tickets?department={}&status={}&priority={}&assigned={}&page={page}",
            self.department, self.status, self.priority, self.assigned
        )
    }
}

#[component]
pub fn StaffTicketQueuePage() -> impl IntoView {
    let t = use_i18n().t();
    let tt = use_ticket_texts();
    let query = use_query_map();
    let page = use_page_param();
    let filters = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        Filters {
            department: get("department"),
            status: get("status"),
            priority: get("priority"),
            assigned: get("assigned"),
        }
    };
    let queue = Resource::new(
        move || (filters(), page()),
        |(f, page)| {
            let some = |s: String| (!s.is_empty()).then_some(s);
            staff_ticket_queue(
                some(f.department),
                some(f.status),
                some(f.priority),
                some(f.assigned),
                Some(page),
            )
        },
    );
    use_live_tickets(move |_| queue.refetch());
    view! {
        <p><a href="/staff">"← "{move || t().staff_title}</a></p>
        <PageHeading text=Signal::derive(move || tt().staff_title.to_string())/>
        <p><a href="/staff/tickets/settings">{move || tt().staff_settings_link}</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(q) => view! { <Queue q f=filters()/> }.into_any(),
                    Err(e) => staff_load_failed(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Queue(q: StaffQueue, f: Filters) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let tt = use_ticket_texts();
    let dept_options = q.departments.iter().map(|d| {
        let d2 = d.clone();
        view! { <option value=d.id.to_string() selected=f.department == d.id.to_string()>{move || d2.name(i18n.locale())}</option> }
    }).collect_view();
    let status_options = TicketState::ALL.into_iter().map(|s| view! {
        <option value=s.code() selected=f.status == s.code()>{move || s.label(tt())}</option>
    }).collect_view();
    let priority_options = TicketPriority::ALL.into_iter().map(|p| view! {
        <option value=p.code() selected=f.priority == p.code()>{move || p.label(tt())}</option>
    }).collect_view();
    let staff_options = q.staff.iter().map(|(id, name)| view! {
        <option value=id.to_string() selected=f.assigned == id.to_string()>{name.clone()}</option>
    }).collect_view();
    let empty = q.list.items.is_empty();
    let rows = q.list.items.into_iter().map(|r| {
        let dept = r.department.clone();
        view! {
            <tr class:unread=r.unread>
                <td>"#"{r.id}</td>
                <td>
                    <a href=format!("/staff/tickets/{}", r.id)>{r.subject.clone()}</a>
                    {r.unread.then(|| view! { " "<span class="badge badge-new">{move || tt().unread_staff}</span> })}
                </td>
                <td>{r.client_name.clone()}</td>
                <td>{move || dept.name(i18n.locale())}</td>
                <td><PriorityBadge priority=r.priority/></td>
                <td><TicketBadge status=r.status/></td>
                <td>{r.assigned_name.clone().unwrap_or_else(|| "—".into())}</td>
                <td><When iso=r.updated_at.clone()/></td>
            </tr>
        }
    }).collect_view();
    let f2 = f.clone();
    view! {
        <form method="get" action="/staff/tickets" class="card filters" data-testid="queue-filters">
            <div class="field">
                <label for="q-department">{move || tt().col_department}</label>
                <select id="q-department" name="department">
                    <option value="">{move || tt().filter_any}</option>{dept_options}
                </select>
            </div>
            <div class="field">
                <label for="q-status">{move || tt().filter_status}</label>
                <select id="q-status" name="status">
                    <option value="active">{move || tt().filter_active}</option>
                    <option value="all" selected=f.status == "all">{move || tt().filter_all}</option>
                    {status_options}
                </select>
            </div>
            <div class="field">
                <label for="q-priority">{move || tt().col_priority}</label>
                <select id="q-priority" name="priority">
                    <option value="">{move || tt().filter_any}</option>{priority_options}
                </select>
            </div>
            <div class="field">
                <label for="q-assigned">{move || tt().col_assigned}</label>
                <select id="q-assigned" name="assigned">
                    <option value="">{move || tt().filter_any}</option>
                    <option value="none" selected=f.assigned == "none">{move || tt().filter_unassigned}</option>
                    {staff_options}
                </select>
            </div>
            <button type="submit" class="button">{move || tt().filter_submit}</button>
        </form>
        {if empty {
            view! { <p class="card empty-state">{move || tt().staff_empty}</p> }.into_any()
        } else {
            view! {
                <div class="card table-wrap" tabindex="0" role="region" aria-label=move || tt().staff_title>
                    <table class="table" data-testid="ticket-queue">
                        <thead><tr>
                            <th scope="col">"#"</th>
                            <th scope="col">{move || tt().col_subject}</th>
                            <th scope="col">{move || tt().col_client}</th>
                            <th scope="col">{move || tt().col_department}</th>
                            <th scope="col">{move || tt().col_priority}</th>
                            <th scope="col">{move || t().col_status}</th>
                            <th scope="col">{move || tt().col_assigned}</th>
                            <th scope="col">{move || tt().col_updated}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <Pagination page=q.list.page pages=q.list.pages href=move |p| f2.query(p)/>
    }
}

#[component]
pub fn StaffTicketPage() -> impl IntoView {
    let tt = use_ticket_texts();
    let query = use_query_map();
    let id = use_ticket_id();
    let update = ServerAction::<StaffUpdateTicket>::new();
    let ticket = Resource::new(
        move || (id(), update.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => staff_ticket(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let notice = move || {
        let q = query.read();
        if q.get("replied").is_some() {
            Some(tt().replied_notice)
        } else if q.get("saved").is_some() {
            Some(tt().updated_notice)
        } else {
            None
        }
    };
    view! {
        <p><a href="/staff/tickets">"← "{move || tt().staff_title}</a></p>
        <p class="alert alert-success" role="status" hidden=move || notice().is_none()>{move || notice().unwrap_or_default()}</p>
        <LiveThread ticket=Signal::derive(id) thread=ticket/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok(st) => view! { <StaffThread st update/> }.into_any(),
                    Err(e) => staff_load_failed(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn StaffThread(st: StaffTicketDto, update: ServerAction<StaffUpdateTicket>) -> impl IntoView {
    let tt = use_ticket_texts();
    let query = use_query_map();
    let th = st.thread;
    let id = th.ticket.id;
    let title = format!("#{id} {}", th.ticket.subject);
    let client = th.ticket.client_name.clone();
    let initial_error = error_from_query(query.read_untracked().get("error"));
    let messages = th
        .messages
        .into_iter()
        .map(|m| view! { <MessageCard m ticket_id=id/> })
        .collect_view();
    view! {
        <PageHeading text=Signal::derive(move || title.clone())/>
        <p>{move || tt().client_label}": "<strong>{client.clone()}</strong></p>
        <TicketFacts t=th.ticket.clone() staff=true/>
        <section class="thread" aria-label=move || tt().title>{messages}</section>
        <section class="card" aria-labelledby="reply-title">
            <h2 id="reply-title">{move || tt().reply_title}</h2>
            <UploadForm action=format!("/staff/tickets/{id}/messages") initial_error testid="staff-reply-form"
                submit_label=Signal::derive(move || tt().reply_submit)
                sending_label=Signal::derive(move || tt().sending)>
                <StaffReplyFields canned=st.canned/>
                <AttachmentsField limits=th.limits.clone() id="f-staff-attachments"/>
            </UploadForm>
        </section>
        <TicketProperties t=th.ticket departments=st.departments staff=st.staff update/>
    }
}

/// The canned-response choice fills the box (with JavaScript); the note box keeps it private.
#[component]
fn StaffReplyFields(canned: Vec<CannedDto>) -> impl IntoView {
    let tt = use_ticket_texts();
    let body = NodeRef::<leptos::html::Textarea>::new();
    let texts = StoredValue::new(canned.clone());
    let on_pick = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev).parse::<i32>().ok();
        let text = picked.and_then(|id| {
            texts.with_value(|c| c.iter().find(|c| c.id == id).map(|c| c.body.clone()))
        });
        if let (Some(text), Some(area)) = (text, body.get()) {
            let current = area.value();
            area.set_value(&if current.trim().is_empty() {
                text
            } else {
                format!("{current}\n\n{text}")
            });
        }
    };
    let options = canned
        .into_iter()
        .map(|c| view! { <option value=c.id.to_string()>{c.title}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for="f-canned">{move || tt().canned_label}</label>
            <select id="f-canned" name="canned" on:change=on_pick aria-describedby="f-canned-hint">
                <option value="">{move || tt().canned_none}</option>
                {options}
            </select>
            <p class="hint" id="f-canned-hint">{move || tt().canned_hint}</p>
        </div>
        <div class="field">
            <label for="f-staff-body">{move || tt().field_message}</label>
            <textarea id="f-staff-body" name="body" rows=8 maxlength=20000 node_ref=body aria-describedby="f-staff-body-hint"></textarea>
            <p class="hint" id="f-staff-body-hint">{move || tt().staff_reply_hint}</p>
        </div>
        <div class="field field-check">
            <input id="f-internal" name="internal" type="checkbox" value="on"/>
            <label for="f-internal">{move || tt().internal_label}</label>
        </div>
    }
}

#[component]
fn TicketProperties(
    t: super::TicketRow,
    departments: Vec<DepartmentDto>,
    staff: Vec<(i32, String)>,
    update: ServerAction<StaffUpdateTicket>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t_ = i18n.t();
    let tt = use_ticket_texts();
    let statuses = TicketState::ALL
        .into_iter()
        .map(|s| {
            view! {
                <option value=s.code() selected=s == t.status>{move || s.label(tt())}</option>
            }
        })
        .collect_view();
    let priorities = TicketPriority::ALL
        .into_iter()
        .map(|p| {
            view! {
                <option value=p.code() selected=p == t.priority>{move || p.label(tt())}</option>
            }
        })
        .collect_view();
    let depts = departments
        .into_iter()
        .map(|d| {
            let selected = d.id == t.department.id;
            let id = d.id.to_string();
            view! { <option value=id selected=selected>{move || d.name(i18n.locale())}</option> }
        })
        .collect_view();
    let people = staff
        .into_iter()
        .map(|(id, name)| {
            view! {
                <option value=id.to_string() selected=Some(id) == t.assigned_to>{name}</option>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="props-title">
            <h2 id="props-title">{move || tt().properties_title}</h2>
            <FormError result=update.value().into()/>
            <ActionForm action=update attr:class="form" attr:data-testid="ticket-properties">
                <input type="hidden" name="id" value=t.id.to_string()/>
                <div class="field">
                    <label for="p-status">{move || t_().col_status}</label>
                    <select id="p-status" name="status">{statuses}</select>
                </div>
                <div class="field">
                    <label for="p-priority">{move || tt().col_priority}</label>
                    <select id="p-priority" name="priority">{priorities}</select>
                </div>
                <div class="field">
                    <label for="p-department">{move || tt().col_department}</label>
                    <select id="p-department" name="department">{depts}</select>
                </div>
                <div class="field">
                    <label for="p-assigned">{move || tt().col_assigned}</label>
                    <select id="p-assigned" name="assigned">
                        <option value="">{move || tt().nobody}</option>
                        {people}
                    </select>
                </div>
                <button type="submit" class="button primary" disabled=move || update.pending().get()>{move || tt().save}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn StaffTicketSettingsPage() -> impl IntoView {
    let tt = use_ticket_texts();
    let query = use_query_map();
    let save_dept = ServerAction::<StaffSaveDepartment>::new();
    let save_canned = ServerAction::<StaffSaveCanned>::new();
    let delete_canned = ServerAction::<StaffDeleteCanned>::new();
    let save_signature = ServerAction::<StaffSaveSignature>::new();
    let settings = Resource::new(
        move || {
            (
                save_dept.version().get(),
                save_canned.version().get(),
                delete_canned.version().get(),
                save_signature.version().get(),
            )
        },
        |_| staff_ticket_settings(),
    );
    let saved =
        move || query.read().get("saved").is_some() || query.read().get("deleted").is_some();
    view! {
        <p><a href="/staff/tickets">"← "{move || tt().staff_title}</a></p>
        <PageHeading text=Signal::derive(move || tt().settings_title.to_string())/>
        <p class="alert alert-success" role="status" hidden=move || !saved()>{move || tt().updated_notice}</p>
        <FormError result=save_dept.value().into()/>
        <FormError result=save_canned.value().into()/>
        <FormError result=save_signature.value().into()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let s = match settings.await {
                    Ok(s) => s,
                    Err(e) => return staff_load_failed(e),
                };
                let depts = s.departments.into_iter().map(|d| view! { <DepartmentForm d=Some(d) save=save_dept/> }).collect_view();
                let canned_empty = s.canned.is_empty();
                let canned = s.canned.into_iter().map(|c| view! { <CannedForm c=Some(c) save=save_canned delete=delete_canned/> }).collect_view();
                view! {
                    <section class="card" aria-labelledby="depts-title">
                        <h2 id="depts-title">{move || tt().departments_title}</h2>
                        <p class="hint">{move || tt().departments_intro}</p>
                        {depts}
                        <h3>{move || tt().dept_add}</h3>
                        <DepartmentForm d=None save=save_dept/>
                    </section>
                    <section class="card" aria-labelledby="canned-title">
                        <h2 id="canned-title">{move || tt().canned_title}</h2>
                        {canned_empty.then(|| view! { <p class="empty-state">{move || tt().canned_empty}</p> })}
                        {canned}
                        <h3>{move || tt().canned_add}</h3>
                        <CannedForm c=None save=save_canned delete=delete_canned/>
                    </section>
                    <section class="card" aria-labelledby="signature-title">
                        <h2 id="signature-title">{move || tt().signature_title}</h2>
                        <ActionForm action=save_signature attr:class="form">
                            <div class="field">
                                <label for="f-signature">{move || tt().signature_title}</label>
                                <textarea id="f-signature" name="signature" rows=3 maxlength=1000 aria-describedby="f-signature-hint">{s.signature}</textarea>
                                <p class="hint" id="f-signature-hint">{move || tt().signature_hint}</p>
                            </div>
                            <button type="submit" class="button primary">{move || tt().save}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn DepartmentForm(
    d: Option<DepartmentDto>,
    save: ServerAction<StaffSaveDepartment>,
) -> impl IntoView {
    let tt = use_ticket_texts();
    let key = d
        .as_ref()
        .map(|d| d.id.to_string())
        .unwrap_or_else(|| "new".into());
    let testid = format!("department-{key}");
    let f = move |name: &str| format!("d{key}-{name}");
    let d = d.unwrap_or(DepartmentDto {
        id: 0,
        name_en: String::new(),
        name_es: String::new(),
        description_en: String::new(),
        description_es: String::new(),
        position: 0,
        active: true,
    });
    let id_field =
        (d.id > 0).then(|| view! { <input type="hidden" name="id" value=d.id.to_string()/> });
    let inactive = !d.active && d.id > 0;
    view! {
        <ActionForm action=save attr:class="form sub-card" attr:data-testid=testid>
            {id_field}
            {inactive.then(|| view! { <p><span class="badge">{move || tt().dept_inactive}</span></p> })}
            <div class="field-row">
                <div class="field">
                    <label for=f("name-en")>{move || tt().dept_name_en}</label>
                    <input id=f("name-en") name="name_en" required maxlength=80 value=d.name_en.clone()/>
                </div>
                <div class="field">
                    <label for=f("name-es")>{move || tt().dept_name_es}</label>
                    <input id=f("name-es") name="name_es" required maxlength=80 value=d.name_es.clone()/>
                </div>
            </div>
            <div class="field">
                <label for=f("desc-en")>{move || tt().dept_desc_en}</label>
                <textarea id=f("desc-en") name="description_en" rows=2 required maxlength=2000>{d.description_en.clone()}</textarea>
            </div>
            <div class="field">
                <label for=f("desc-es")>{move || tt().dept_desc_es}</label>
                <textarea id=f("desc-es") name="description_es" rows=2 required maxlength=2000>{d.description_es.clone()}</textarea>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for=f("position")>{move || tt().dept_position}</label>
                    <input id=f("position") name="position" type="number" min=0 max=1000 value=d.position.to_string()/>
                </div>
                <div class="field field-check">
                    <input id=f("active") name="active" type="checkbox" value="on" checked=d.active/>
                    <label for=f("active")>{move || tt().dept_active}</label>
                </div>
            </div>
            <button type="submit" class="button">{move || tt().save}</button>
        </ActionForm>
    }
}

#[component]
fn CannedForm(
    c: Option<CannedDto>,
    save: ServerAction<StaffSaveCanned>,
    delete: ServerAction<StaffDeleteCanned>,
) -> impl IntoView {
    let tt = use_ticket_texts();
    let key = c
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_else(|| "new".into());
    let testid = format!("canned-{key}");
    let f = move |name: &str| format!("c{key}-{name}");
    let id = c.as_ref().map(|c| c.id);
    let (title, body) = c.map(|c| (c.title, c.body)).unwrap_or_default();
    view! {
        <div class="sub-card">
            <ActionForm action=save attr:class="form" attr:data-testid=testid>
                {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
                <div class="field">
                    <label for=f("title")>{move || tt().canned_field_title}</label>
                    <input id=f("title") name="title" required maxlength=120 value=title/>
                </div>
                <div class="field">
                    <label for=f("body")>{move || tt().canned_field_body}</label>
                    <textarea id=f("body") name="body" rows=3 required maxlength=20000>{body}</textarea>
                </div>
                <button type="submit" class="button">{move || tt().save}</button>
            </ActionForm>
            {id.map(|id| view! {
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button danger">{move || tt().delete}</button>
                </ActionForm>
            })}
        </div>
    }
}
