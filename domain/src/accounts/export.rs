//! The client's data as one JSON document: profile, services, invoices with their lines, and
//! tickets with the messages they can see (never staff notes) and their files' names. Only the
//! client's own rows are read; secrets (password hash, sessions, card references) are left out.
use crate::{
    entities::{invoice, invoice_item, service, ticket, ticket_attachment, ticket_message, user},
    error::{DomainError, DomainResult},
    Services,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn collect(svc: &Services, user_id: i32) -> DomainResult<Value> {
    let db = &svc.db;
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let services = service::Entity::find()
        .filter(service::Column::ClientId.eq(user_id))
        .order_by_asc(service::Column::Id)
        .all(db)
        .await?;
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(user_id))
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await?;
    let mut items: HashMap<i32, Vec<Value>> = HashMap::new();
    if !invoices.is_empty() {
        for i in invoice_item::Entity::find()
            .filter(invoice_item::Column::InvoiceId.is_in(invoices.iter().map(|i| i.id)))
            .order_by_asc(invoice_item::Column::SortOrder)
            .all(db)
            .await?
        {
            items.entry(i.invoice_id).or_default().push(json!({
                "description": i.description,
                "period_start": i.period_start,
                "period_end": i.period_end,
                "amount_cents": i.amount_cents,
            }));
        }
    }
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::ClientId.eq(user_id))
        .order_by_asc(ticket::Column::Id)
        .all(db)
        .await?;
    let ticket_ids: Vec<i32> = tickets.iter().map(|t| t.id).collect();
    let mut messages: HashMap<i32, Vec<Value>> = HashMap::new();
    if !ticket_ids.is_empty() {
        let mut files: HashMap<i32, Vec<String>> = HashMap::new();
        for a in ticket_attachment::Entity::find()
            .filter(ticket_attachment::Column::TicketId.is_in(ticket_ids.clone()))
            .all(db)
            .await?
        {
            files.entry(a.message_id).or_default().push(a.filename);
        }
        for m in ticket_message::Entity::find()
            .filter(ticket_message::Column::TicketId.is_in(ticket_ids))
            .filter(ticket_message::Column::Internal.eq(false))
            .order_by_asc(ticket_message::Column::Id)
            .all(db)
            .await?
        {
            messages.entry(m.ticket_id).or_default().push(json!({
                "from_staff": m.from_staff,
                "body": m.body,
                "created_at": m.created_at,
                "attachments": files.remove(&m.id).unwrap_or_default(),
            }));
        }
    }
    Ok(json!({
        "exported_at": svc.now(),
        "profile": {
            "name": u.name, "email": u.email, "language": u.language, "company": u.company,
            "address": u.address, "postcode": u.postcode, "region": u.region,
            "country": u.country, "vat_id": u.vat_id, "phone": u.phone,
            "created_at": u.created_at,
        },
        "services": services.into_iter().map(|s| json!({
            "domain": s.domain, "status": s.status, "billing_cycle": s.cycle,
            "amount_cents": s.amount_cents, "currency": s.currency,
            "registered_on": s.registered_on, "next_due_on": s.next_due_on,
            "payment": s.gateway,
        })).collect::<Vec<_>>(),
        "invoices": invoices.into_iter().map(|i| json!({
            "number": i.number, "status": i.status, "currency": i.currency,
            "issued_on": i.issued_on, "due_on": i.due_on, "paid_at": i.paid_at,
            "subtotal_cents": i.subtotal_cents, "tax_cents": i.tax_cents,
            "total_cents": i.total_cents, "paid_cents": i.paid_cents,
            "refunded_cents": i.refunded_cents,
            "items": items.remove(&i.id).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "tickets": tickets.into_iter().map(|t| json!({
            "id": t.id, "subject": t.subject, "status": t.status, "priority": t.priority,
            "created_at": t.created_at,
            "messages": messages.remove(&t.id).unwrap_or_default(),
        })).collect::<Vec<_>>(),
    }))
}
