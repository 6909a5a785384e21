//! What clients do with their tickets, and the ticket views staff share.
use super::{
    attachments::{self, AttachmentInfo},
    departments::{self, Department},
    live::TicketEvent,
    MessageBody, NewAttachment, Priority, Subject, TicketStatus, TICKETS_PER_PAGE,
};
use crate::{
    accounts::{Permission, Permissions},
    entities::{service, ticket, ticket_message as msg, user},
    error::{DomainError, DomainResult, Invalid, Refused},
    Page, Services,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Select, Set, TransactionTrait,
};
use std::collections::HashMap;

/// A line of a ticket list (client or staff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSummary {
    pub id: i32,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub department: Department,
    pub service_id: Option<i32>,
    pub service_domain: Option<String>,
    pub client_id: i32,
    pub client_name: String,
    pub assigned_to: Option<i32>,
    pub assigned_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Something new from the other side since this reader last opened the thread.
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i32,
    pub author_name: String,
    pub from_staff: bool,
    pub internal: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub attachments: Vec<AttachmentInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub ticket: TicketSummary,
    pub messages: Vec<Message>,
}

/// Who acts on the client side: the account, which scopes every query, and the person (its
/// owner or one of its contacts) who writes the message and is named as its author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientActor {
    pub client_id: i32,
    pub person_id: i32,
}

/// The account's owner acting for their own account.
impl From<i32> for ClientActor {
    fn from(owner: i32) -> Self {
        ClientActor {
            client_id: owner,
            person_id: owner,
        }
    }
}

impl From<&crate::accounts::SessionUser> for ClientActor {
    fn from(u: &crate::accounts::SessionUser) -> Self {
        ClientActor {
            client_id: u.client_id,
            person_id: u.id,
        }
    }
}

/// A new ticket, parsed.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub department_id: i32,
    pub service_id: Option<i32>,
    pub priority: Priority,
    pub subject: Subject,
    pub body: MessageBody,
    pub attachments: Vec<NewAttachment>,
    /// The form's key (see [`form_key`]): sending the same form again opens nothing new.
    pub form_key: Option<String>,
}

/// The key a new-ticket form carries, when it is one: 16 to 64 letters, digits, `-` or `_`.
/// Anything else is ignored (the ticket is then opened without one).
pub fn form_key(s: &str) -> Option<String> {
    let s = s.trim();
    ((16..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| s.to_owned())
}

async fn opened_with(
    db: &impl ConnectionTrait,
    client_id: i32,
    key: Option<&str>,
) -> DomainResult<Option<i32>> {
    let Some(key) = key else {
        return Ok(None);
    };
    Ok(ticket::Entity::find()
        .filter(ticket::Column::ClientId.eq(client_id))
        .filter(ticket::Column::FormKey.eq(key))
        .one(db)
        .await?
        .map(|t| t.id))
}

/// Who reads: unread means news from the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    Client,
    Staff,
}

fn is_unread(t: &ticket::Model, reader: Reader) -> bool {
    let (news, read) = match reader {
        Reader::Client => (t.last_staff_at, t.client_read_at),
        Reader::Staff => (t.last_client_at, t.staff_read_at),
    };
    news.is_some_and(|n| read.is_none_or(|r| n > r))
}

/// Turns ticket rows into summaries with names looked up in three queries, not per row.
pub(super) async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<ticket::Model>,
    reader: Reader,
) -> DomainResult<Vec<TicketSummary>> {
    let depts: HashMap<i32, Department> = departments::list_all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let service_ids: Vec<i32> = rows.iter().filter_map(|t| t.service_id).collect();
    let domains: HashMap<i32, String> = if service_ids.is_empty() {
        HashMap::new()
    } else {
        service::Entity::find()
            .filter(service::Column::Id.is_in(service_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.domain))
            .collect()
    };
    let user_ids: Vec<i32> = rows
        .iter()
        .flat_map(|t| [Some(t.client_id), t.assigned_to])
        .flatten()
        .collect();
    let names = names_of(db, user_ids).await?;
    rows.into_iter()
        .map(|t| {
            let department = depts.get(&t.department_id).cloned().ok_or_else(|| {
                DomainError::Internal(format!("department {} missing", t.department_id))
            })?;
            Ok(TicketSummary {
                unread: is_unread(&t, reader),
                id: t.id,
                status: TicketStatus::from_db(&t.status),
                priority: Priority::from_db(&t.priority),
                department,
                service_domain: t.service_id.and_then(|s| domains.get(&s).cloned()),
                service_id: t.service_id,
                client_id: t.client_id,
                client_name: names.get(&t.client_id).cloned().unwrap_or_default(),
                assigned_name: t.assigned_to.and_then(|a| names.get(&a).cloned()),
                assigned_to: t.assigned_to,
                created_at: t.created_at,
                updated_at: t.updated_at,
                subject: t.subject,
            })
        })
        .collect()
}

pub(super) async fn names_of(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> DomainResult<HashMap<i32, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// A thread's messages with their files; `with_internal` for staff only.
pub(super) async fn thread_of(
    db: &impl ConnectionTrait,
    t: ticket::Model,
    reader: Reader,
) -> DomainResult<Thread> {
    let id = t.id;
    let ticket = summaries(db, vec![t], reader)
        .await?
        .pop()
        .ok_or(DomainError::NotFound)?;
    let mut q = msg::Entity::find().filter(msg::Column::TicketId.eq(id));
    if reader == Reader::Client {
        q = q.filter(msg::Column::Internal.eq(false));
    }
    let rows = q.order_by_asc(msg::Column::Id).all(db).await?;
    let names = names_of(db, rows.iter().map(|m| m.author_id).collect()).await?;
    let mut files: HashMap<i32, Vec<AttachmentInfo>> = HashMap::new();
    for a in attachments::of_ticket(db, id).await? {
        files.entry(a.message_id).or_default().push(a);
    }
    let messages = rows
        .into_iter()
        .map(|m| Message {
            author_name: names.get(&m.author_id).cloned().unwrap_or_default(),
            attachments: files.remove(&m.id).unwrap_or_default(),
            id: m.id,
            from_staff: m.from_staff,
            internal: m.internal,
            body: m.body,
            created_at: m.created_at,
        })
        .collect();
    Ok(Thread { ticket, messages })
}

pub(super) async fn paged(
    db: &impl ConnectionTrait,
    q: Select<ticket::Entity>,
    page: u64,
    reader: Reader,
) -> DomainResult<Page<TicketSummary>> {
    let pages = q
        .order_by_desc(ticket::Column::UpdatedAt)
        .order_by_desc(ticket::Column::Id)
        .paginate(db, TICKETS_PER_PAGE);
    let total = pages.num_items().await?;
    let page = page.max(1);
    let rows = pages.fetch_page(page - 1).await?;
    Ok(Page {
        items: summaries(db, rows, reader).await?,
        total,
        page,
        per_page: TICKETS_PER_PAGE,
    })
}

/// A client's tickets, most recently active first; `status` narrows them.
pub async fn list_for_client(
    db: &impl ConnectionTrait,
    client_id: i32,
    status: Option<TicketStatus>,
    page: u64,
) -> DomainResult<Page<TicketSummary>> {
    let mut q = ticket::Entity::find().filter(ticket::Column::ClientId.eq(client_id));
    if let Some(s) = status {
        q = q.filter(ticket::Column::Status.eq(s.as_str()));
    }
    paged(db, q, page, Reader::Client).await
}

/// How many of the client's tickets have a staff reply they have not read.
pub async fn unread_for_client(db: &impl ConnectionTrait, client_id: i32) -> DomainResult<u64> {
    Ok(ticket::Entity::find()
        .filter(ticket::Column::ClientId.eq(client_id))
        .filter(ticket::Column::LastStaffAt.is_not_null())
        .filter(
            sea_orm::Condition::any()
                .add(ticket::Column::ClientReadAt.is_null())
                .add(sea_orm::sea_query::ExprTrait::gt(
                    Expr::col(ticket::Column::LastStaffAt),
                    Expr::col(ticket::Column::ClientReadAt),
                )),
        )
        .count(db)
        .await?)
}

pub(super) async fn own_ticket(
    db: &impl ConnectionTrait,
    client_id: i32,
    id: i32,
) -> DomainResult<ticket::Model> {
    ticket::Entity::find_by_id(id)
        .filter(ticket::Column::ClientId.eq(client_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The client's view of a thread (no internal notes); opening it marks it read.
pub async fn thread_for_client(svc: &Services, client_id: i32, id: i32) -> DomainResult<Thread> {
    let t = own_ticket(&svc.db, client_id, id).await?;
    let thread = thread_of(&svc.db, t, Reader::Client).await?;
    ticket::Entity::update_many()
        .col_expr(ticket::Column::ClientReadAt, Expr::value(svc.now()))
        .filter(ticket::Column::Id.eq(id))
        .exec(&svc.db)
        .await?;
    Ok(thread)
}

/// Opens a ticket; `Throttled` past the hourly limit (per account, whoever of it writes). A
/// form sent again (same key) answers with the ticket it opened the first time.
pub async fn open(svc: &Services, by: impl Into<ClientActor>, t: NewTicket) -> DomainResult<i32> {
    let ClientActor {
        client_id,
        person_id,
    } = by.into();
    if let Some(id) = opened_with(&svc.db, client_id, t.form_key.as_deref()).await? {
        return Ok(id);
    }
    let now = svc.now();
    throttle(&svc.db, client_id, svc.tickets.max_new_per_hour, now).await?;
    departments::active_by_id(&svc.db, t.department_id).await?;
    if let Some(s) = t.service_id {
        service::Entity::find_by_id(s)
            .filter(service::Column::ClientId.eq(client_id))
            .one(&svc.db)
            .await?
            .ok_or(Invalid::TicketService)?;
    }
    let txn = svc.db.begin().await?;
    let created = ticket::ActiveModel {
        client_id: Set(client_id),
        department_id: Set(t.department_id),
        service_id: Set(t.service_id),
        subject: Set(t.subject.as_str().to_owned()),
        priority: Set(t.priority.as_str().into()),
        status: Set(TicketStatus::Open.as_str().into()),
        assigned_to: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        last_client_at: Set(Some(now)),
        last_staff_at: Set(None),
        client_read_at: Set(Some(now)),
        staff_read_at: Set(None),
        closed_at: Set(None),
        form_key: Set(t.form_key.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match created {
        Ok(c) => c,
        Err(e) => {
            // The same form sent twice at once: the unique key let one through.
            drop(txn);
            return match opened_with(&svc.db, client_id, t.form_key.as_deref()).await? {
                Some(id) => Ok(id),
                None => Err(e.into()),
            };
        }
    };
    add_message(
        &txn,
        created.id,
        person_id,
        false,
        false,
        t.body,
        t.attachments,
        now,
    )
    .await?;
    txn.commit().await?;
    svc.live.publish(TicketEvent {
        ticket_id: created.id,
        client_id,
        client_visible: true,
    });
    Ok(created.id)
}

async fn throttle(
    db: &impl ConnectionTrait,
    client_id: i32,
    limit: u32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let since = now - Duration::hours(1);
    let recent = ticket::Entity::find()
        .filter(ticket::Column::ClientId.eq(client_id))
        .filter(ticket::Column::CreatedAt.gt(since))
        .order_by_desc(ticket::Column::CreatedAt)
        .all(db)
        .await?;
    if recent.len() < limit as usize {
        return Ok(());
    }
    // Free again when the oldest ticket that counts leaves the hour.
    let freed = recent[limit as usize - 1].created_at + Duration::hours(1);
    let minutes = ((freed - now).num_seconds() + 59) / 60;
    Err(DomainError::Throttled {
        retry_after_minutes: u32::try_from(minutes.max(1)).unwrap_or(60),
    })
}

/// Who is emailed about a ticket: the account's owner and, when one of its contacts opened it
/// and may still see tickets, that contact too.
pub(super) async fn recipients(
    db: &impl ConnectionTrait,
    t: &ticket::Model,
) -> DomainResult<Vec<user::Model>> {
    let mut to: Vec<user::Model> = user::Entity::find_by_id(t.client_id)
        .one(db)
        .await?
        .into_iter()
        .collect();
    let opener = msg::Entity::find()
        .filter(msg::Column::TicketId.eq(t.id))
        .filter(msg::Column::FromStaff.eq(false))
        .order_by_asc(msg::Column::Id)
        .one(db)
        .await?;
    if let Some(m) = opener.filter(|m| m.author_id != t.client_id) {
        let contact = user::Entity::find_by_id(m.author_id)
            .filter(user::Column::ParentId.eq(t.client_id))
            .one(db)
            .await?
            .filter(|c| Permissions::from_db(&c.permissions).has(Permission::Tickets));
        to.extend(contact);
    }
    Ok(to)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn add_message(
    db: &impl ConnectionTrait,
    ticket_id: i32,
    author_id: i32,
    from_staff: bool,
    internal: bool,
    body: MessageBody,
    files: Vec<NewAttachment>,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    let m = msg::ActiveModel {
        ticket_id: Set(ticket_id),
        author_id: Set(author_id),
        from_staff: Set(from_staff),
        internal: Set(internal),
        body: Set(body.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    attachments::store(db, ticket_id, m.id, files, now).await?;
    Ok(m.id)
}

/// The client replies. A Closed ticket reopens (or, when so configured, refuses the reply).
pub async fn reply_as_client(
    svc: &Services,
    by: impl Into<ClientActor>,
    id: i32,
    body: MessageBody,
    files: Vec<NewAttachment>,
) -> DomainResult<()> {
    let ClientActor {
        client_id,
        person_id,
    } = by.into();
    let now = svc.now();
    let txn = svc.db.begin().await?;
    let t = own_ticket(&txn, client_id, id).await?;
    if TicketStatus::from_db(&t.status) == TicketStatus::Closed && !svc.tickets.reopen_on_reply {
        return Err(Refused::TicketClosed.into());
    }
    add_message(&txn, id, person_id, false, false, body, files, now).await?;
    let mut m: ticket::ActiveModel = t.into();
    m.status = Set(TicketStatus::CustomerReply.as_str().into());
    m.last_client_at = Set(Some(now));
    m.client_read_at = Set(Some(now));
    m.updated_at = Set(now);
    m.closed_at = Set(None);
    m.update(&txn).await?;
    txn.commit().await?;
    svc.live.publish(TicketEvent {
        ticket_id: id,
        client_id,
        client_visible: true,
    });
    Ok(())
}

/// The client closes their ticket (closing a closed one changes nothing).
pub async fn close_by_client(svc: &Services, client_id: i32, id: i32) -> DomainResult<()> {
    let t = own_ticket(&svc.db, client_id, id).await?;
    if TicketStatus::from_db(&t.status) == TicketStatus::Closed {
        return Ok(());
    }
    let now = svc.now();
    let mut m: ticket::ActiveModel = t.into();
    m.status = Set(TicketStatus::Closed.as_str().into());
    m.closed_at = Set(Some(now));
    m.updated_at = Set(now);
    m.update(&svc.db).await?;
    svc.live.publish(TicketEvent {
        ticket_id: id,
        client_id,
        client_visible: true,
    });
    Ok(())
}

/// The client's services, for the "related service" choice: (id, domain).
pub async fn services_of(
    db: &impl ConnectionTrait,
    client_id: i32,
) -> DomainResult<Vec<(i32, String)>> {
    Ok(service::Entity::find()
        .filter(service::Column::ClientId.eq(client_id))
        .order_by_asc(service::Column::Domain)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.domain))
        .collect())
}
