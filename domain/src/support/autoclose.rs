//! Closing tickets nobody answered: a ticket Answered by staff with no client reply for
//! `auto_close_days` is closed, and the client is told by email. Each close is one transaction
//! with its email and happens only if the ticket is still as it was read (a reply that arrives
//! meanwhile keeps it open), so a repeated or concurrent run closes and emails once.
use super::{client::recipients, live::TicketEvent, staff::deliver, TicketStatus};
use crate::{
    accounts::Language, billing::automation::queue_email, entities::ticket, error::DomainResult,
    mail::ticket_templates, Services,
};
use chrono::Duration;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Returns how many tickets were closed.
pub async fn run(svc: &Services) -> DomainResult<u32> {
    let days = svc.tickets.auto_close_days;
    if days == 0 {
        return Ok(0);
    }
    let now = svc.now();
    let cutoff = now - Duration::days(i64::from(days));
    let due = ticket::Entity::find()
        .filter(ticket::Column::Status.eq(TicketStatus::Answered.as_str()))
        .filter(ticket::Column::LastStaffAt.lte(cutoff))
        .all(&svc.db)
        .await?;
    let mut closed = 0;
    for t in due {
        let txn = svc.db.begin().await?;
        let done = ticket::Entity::update_many()
            .col_expr(
                ticket::Column::Status,
                Expr::value(TicketStatus::Closed.as_str()),
            )
            .col_expr(ticket::Column::ClosedAt, Expr::value(Some(now)))
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
            .filter(ticket::Column::Id.eq(t.id))
            .filter(ticket::Column::Status.eq(TicketStatus::Answered.as_str()))
            .filter(ticket::Column::UpdatedAt.eq(t.updated_at))
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            continue;
        }
        let link = format!("{}/tickets/{}", svc.base_url, t.id);
        let facts = ticket_templates::TicketFacts {
            id: t.id,
            subject: &t.subject,
            link: &link,
        };
        for person in recipients(&txn, &t).await? {
            let lang = Language::from_db(&person.language);
            let mail = ticket_templates::auto_closed(lang, &person.name, &facts, days);
            queue_email(&txn, &person, "ticket_closed", mail, now).await?;
        }
        txn.commit().await?;
        svc.live.publish(TicketEvent {
            ticket_id: t.id,
            client_id: t.client_id,
            client_visible: true,
        });
        closed += 1;
    }
    if closed > 0 {
        deliver(svc).await;
    }
    Ok(closed)
}
