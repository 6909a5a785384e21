//! Attached files. The bytes are stored once per SHA-256 (the same screenshot attached twice is
//! one row), in the transaction that writes the message, so a message never lacks its files.
//! A client gets only files of their own tickets' visible messages; anything else is NotFound.
use super::NewAttachment;
use crate::{
    entities::{ticket, ticket_attachment as att, ticket_file as file, ticket_message as msg},
    error::{DomainError, DomainResult},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: i32,
    pub message_id: i32,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

/// A file to send: its name, type and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub(super) async fn store(
    db: &impl ConnectionTrait,
    ticket_id: i32,
    message_id: i32,
    files: Vec<NewAttachment>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    for f in files {
        let sha = hex::encode(Sha256::digest(&f.bytes));
        let size = f.bytes.len() as i64;
        file::Entity::insert(file::ActiveModel {
            sha256: Set(sha.clone()),
            content: Set(f.bytes),
            size: Set(size),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(file::Column::Sha256)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        att::Entity::insert(att::ActiveModel {
            ticket_id: Set(ticket_id),
            message_id: Set(message_id),
            file_sha256: Set(sha),
            filename: Set(f.filename),
            content_type: Set(f.content_type.to_owned()),
            size: Set(size),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The files of a ticket's messages, in order.
pub(super) async fn of_ticket(
    db: &impl ConnectionTrait,
    ticket_id: i32,
) -> DomainResult<Vec<AttachmentInfo>> {
    Ok(att::Entity::find()
        .filter(att::Column::TicketId.eq(ticket_id))
        .order_by_asc(att::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AttachmentInfo {
            id: a.id,
            message_id: a.message_id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
        })
        .collect())
}

/// `client`: `Some(id)` for a client (their ticket, a message they can see), `None` for staff.
pub async fn download(
    db: &impl ConnectionTrait,
    client: Option<i32>,
    ticket_id: i32,
    attachment_id: i32,
) -> DomainResult<Download> {
    let a = att::Entity::find_by_id(attachment_id)
        .filter(att::Column::TicketId.eq(ticket_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if let Some(client_id) = client {
        let own = ticket::Entity::find_by_id(ticket_id)
            .filter(ticket::Column::ClientId.eq(client_id))
            .one(db)
            .await?
            .is_some();
        let visible = msg::Entity::find_by_id(a.message_id)
            .filter(msg::Column::Internal.eq(false))
            .one(db)
            .await?
            .is_some();
        if !own || !visible {
            return Err(DomainError::NotFound);
        }
    }
    let f = file::Entity::find_by_id(a.file_sha256.clone())
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("file {} missing", a.file_sha256)))?;
    Ok(Download {
        filename: a.filename,
        content_type: a.content_type,
        bytes: f.content,
    })
}
