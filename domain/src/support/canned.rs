//! Canned responses: replies staff use often, inserted into the reply box and edited there.
use crate::{
    entities::canned_response as canned,
    error::{DomainError, DomainResult, Invalid},
};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedResponse {
    pub id: i32,
    pub title: String,
    pub body: String,
}

fn checked(title: &str, body: &str) -> Result<(String, String), Invalid> {
    let (title, body) = (title.trim(), body.trim());
    if (1..=120).contains(&title.chars().count())
        && (1..=super::input::BODY_MAX).contains(&body.chars().count())
    {
        Ok((title.to_owned(), body.to_owned()))
    } else {
        Err(Invalid::CannedResponse)
    }
}

pub async fn list(db: &impl ConnectionTrait) -> DomainResult<Vec<CannedResponse>> {
    Ok(canned::Entity::find()
        .order_by_asc(canned::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .map(|m| CannedResponse {
            id: m.id,
            title: m.title,
            body: m.body,
        })
        .collect())
}

pub async fn create(
    db: &impl ConnectionTrait,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    let (title, body) = checked(title, body)?;
    Ok(canned::ActiveModel {
        title: Set(title),
        body: Set(body),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id)
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: i32,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let (title, body) = checked(title, body)?;
    let found = canned::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut m: canned::ActiveModel = found.into();
    m.title = Set(title);
    m.body = Set(body);
    m.updated_at = Set(now);
    m.update(db).await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: i32) -> DomainResult<()> {
    let r = canned::Entity::delete_by_id(id).exec(db).await?;
    if r.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

/// The text to send from a reply form: what was typed, or, when the box was left empty, the
/// chosen response's text (a form without JavaScript names the response instead of pasting
/// it). An unknown response is `NotFound`.
pub async fn body_or_canned(
    db: &impl ConnectionTrait,
    typed: &str,
    canned: Option<i32>,
) -> DomainResult<String> {
    match canned {
        Some(id) if typed.trim().is_empty() => canned::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|m| m.body)
            .ok_or(DomainError::NotFound),
        _ => Ok(typed.to_owned()),
    }
}
