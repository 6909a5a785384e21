//! The staff side: the queue, replies with a signature, internal notes, and changes of status,
//! priority, department and assignee.
use super::{
    client::{add_message, paged, recipients, thread_of, Reader},
    live::TicketEvent,
    MessageBody, NewAttachment, Priority, Thread, TicketStatus, TicketSummary,
};
use crate::{
    accounts::{Language, Role},
    billing::automation::queue_email,
    entities::{staff_signature, ticket, ticket_department, user},
    error::{DomainError, DomainResult, Invalid},
    mail::ticket_templates,
    Page, Services,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

/// Which statuses the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Everything not closed: what still needs attention.
    #[default]
    Active,
    All,
    Only(TicketStatus),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    Nobody,
    To(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueFilter {
    pub department: Option<i32>,
    pub status: StatusFilter,
    pub priority: Option<Priority>,
    pub assigned: Option<Assigned>,
}

pub async fn queue(
    db: &impl ConnectionTrait,
    f: QueueFilter,
    page: u64,
) -> DomainResult<Page<TicketSummary>> {
    let mut q = ticket::Entity::find();
    match f.status {
        StatusFilter::Active => {
            q = q.filter(ticket::Column::Status.ne(TicketStatus::Closed.as_str()))
        }
        StatusFilter::All => {}
        StatusFilter::Only(s) => q = q.filter(ticket::Column::Status.eq(s.as_str())),
    }
    if let Some(d) = f.department {
        q = q.filter(ticket::Column::DepartmentId.eq(d));
    }
    if let Some(p) = f.priority {
        q = q.filter(ticket::Column::Priority.eq(p.as_str()));
    }
    match f.assigned {
        Some(Assigned::Nobody) => q = q.filter(ticket::Column::AssignedTo.is_null()),
        Some(Assigned::To(id)) => q = q.filter(ticket::Column::AssignedTo.eq(id)),
        None => {}
    }
    paged(db, q, page, Reader::Staff).await
}

async fn any_ticket(db: &impl ConnectionTrait, id: i32) -> DomainResult<ticket::Model> {
    ticket::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The whole thread, internal notes included; opening it marks it read for staff.
pub async fn thread_for_staff(svc: &Services, id: i32) -> DomainResult<Thread> {
    let t = any_ticket(&svc.db, id).await?;
    let thread = thread_of(&svc.db, t, Reader::Staff).await?;
    ticket::Entity::update_many()
        .col_expr(ticket::Column::StaffReadAt, Expr::value(svc.now()))
        .filter(ticket::Column::Id.eq(id))
        .exec(&svc.db)
        .await?;
    Ok(thread)
}

/// A staff reply (signed, emailed to the client, the ticket becomes Answered) or, with
/// `internal`, a note only staff see (no email, no status change).
pub async fn reply_as_staff(
    svc: &Services,
    staff_id: i32,
    id: i32,
    body: MessageBody,
    files: Vec<NewAttachment>,
    internal: bool,
) -> DomainResult<()> {
    let now = svc.now();
    let txn = svc.db.begin().await?;
    let t = any_ticket(&txn, id).await?;
    let client_id = t.client_id;
    if internal {
        add_message(&txn, id, staff_id, true, true, body, files, now).await?;
        txn.commit().await?;
        svc.live.publish(TicketEvent {
            ticket_id: id,
            client_id,
            client_visible: false,
        });
        return Ok(());
    }
    let body = body.with_signature(signature(&txn, staff_id).await?.as_deref());
    let text = body.as_str().to_owned();
    add_message(&txn, id, staff_id, true, false, body, files, now).await?;
    let to = recipients(&txn, &t).await?;
    let subject = t.subject.clone();
    let mut m: ticket::ActiveModel = t.into();
    m.status = Set(TicketStatus::Answered.as_str().into());
    m.last_staff_at = Set(Some(now));
    m.staff_read_at = Set(Some(now));
    m.updated_at = Set(now);
    m.closed_at = Set(None);
    m.update(&txn).await?;
    let staff_name = user::Entity::find_by_id(staff_id)
        .one(&txn)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let link = format!("{}/tickets/{id}", svc.base_url);
    let facts = ticket_templates::TicketFacts {
        id,
        subject: &subject,
        link: &link,
    };
    for person in &to {
        let lang = Language::from_db(&person.language);
        let mail = ticket_templates::staff_reply(lang, &person.name, &facts, &staff_name, &text);
        queue_email(&txn, person, "ticket_reply", mail, now).await?;
    }
    txn.commit().await?;
    svc.live.publish(TicketEvent {
        ticket_id: id,
        client_id,
        client_visible: true,
    });
    deliver(svc).await;
    Ok(())
}

/// Sends what was queued; a failure is recorded with the email and logged, not returned.
pub(super) async fn deliver(svc: &Services) {
    if let Err(e) = svc.mailer.deliver_pending(svc).await {
        tracing::warn!(error = %e, "delivering ticket emails");
    }
}

/// What staff may change on a ticket from its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketChange {
    pub status: TicketStatus,
    pub priority: Priority,
    pub department_id: i32,
    pub assigned_to: Option<i32>,
}

pub async fn change(svc: &Services, id: i32, c: TicketChange) -> DomainResult<()> {
    let now = svc.now();
    let t = any_ticket(&svc.db, id).await?;
    ticket_department::Entity::find_by_id(c.department_id)
        .one(&svc.db)
        .await?
        .ok_or(Invalid::TicketDepartment)?;
    if let Some(a) = c.assigned_to {
        user::Entity::find_by_id(a)
            .filter(user::Column::Role.eq(Role::Staff.as_str()))
            .one(&svc.db)
            .await?
            .ok_or(Invalid::TicketAssignee)?;
    }
    let was_closed = TicketStatus::from_db(&t.status) == TicketStatus::Closed;
    let client_id = t.client_id;
    let mut m: ticket::ActiveModel = t.into();
    m.status = Set(c.status.as_str().into());
    m.priority = Set(c.priority.as_str().into());
    m.department_id = Set(c.department_id);
    m.assigned_to = Set(c.assigned_to);
    m.updated_at = Set(now);
    match (was_closed, c.status == TicketStatus::Closed) {
        (false, true) => m.closed_at = Set(Some(now)),
        (true, false) => m.closed_at = Set(None),
        _ => {}
    }
    m.update(&svc.db).await?;
    svc.live.publish(TicketEvent {
        ticket_id: id,
        client_id,
        client_visible: true,
    });
    Ok(())
}

/// Staff members a ticket can be assigned to: (id, name).
pub async fn staff_members(db: &impl ConnectionTrait) -> DomainResult<Vec<(i32, String)>> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Staff.as_str()))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

pub async fn signature(db: &impl ConnectionTrait, staff_id: i32) -> DomainResult<Option<String>> {
    Ok(staff_signature::Entity::find_by_id(staff_id)
        .one(db)
        .await?
        .map(|s| s.signature)
        .filter(|s| !s.trim().is_empty()))
}

pub async fn set_signature(
    db: &impl ConnectionTrait,
    staff_id: i32,
    text: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let text = text.replace("\r\n", "\n").trim().to_owned();
    if text.chars().count() > 1000 {
        return Err(Invalid::Signature.into());
    }
    staff_signature::Entity::insert(staff_signature::ActiveModel {
        user_id: Set(staff_id),
        signature: Set(text),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(staff_signature::Column::UserId)
            .update_columns([
                staff_signature::Column::Signature,
                staff_signature::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
