//! Writing news (staff): every item in every language, drafts included. Readers see an item
//! once it is published and its date has come (`super::news`).
#[cfg(test)]
mod tests;

pub use super::slug::slugify;

use crate::{
    accounts::Language,
    entities::news,
    error::{DomainError, DomainResult, Invalid},
    Page,
};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, SqlErr,
};
use std::collections::HashSet;

pub const ADMIN_NEWS_PER_PAGE: u64 = 20;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 50_000;

/// The news form as a staff member filled it in, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct NewsInput {
    pub title: String,
    pub body_md: String,
    /// "en" or "es".
    pub language: String,
    /// The publication date, `YYYY-MM-DD` (UTC); empty means today.
    pub date: String,
    /// `false` keeps the item a draft, whatever its date.
    pub published: bool,
}

/// A `NewsInput` that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NewsFields {
    title: String,
    body_md: String,
    language: Language,
    date: NaiveDate,
    published: bool,
}

impl NewsFields {
    fn parse(input: &NewsInput, today: NaiveDate) -> Result<Self, Invalid> {
        let title = input.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            return Err(Invalid::NewsTitle);
        }
        // Browsers send textarea line breaks as CRLF.
        let body_md = input.body_md.replace("\r\n", "\n");
        let body_md = body_md.trim_end();
        if body_md.trim().is_empty() || body_md.chars().count() > MAX_BODY_CHARS {
            return Err(Invalid::NewsBody);
        }
        let language = Language::parse(&input.language)?;
        let date = match input.date.trim() {
            "" => today,
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .filter(|d| (1970..=9999).contains(&d.year()))
                .ok_or(Invalid::NewsDate)?,
        };
        Ok(Self {
            title: title.to_owned(),
            body_md: body_md.to_owned(),
            language,
            date,
            published: input.published,
        })
    }

    /// When readers may see the item: never for a draft; for today, from now; for another
    /// day, from its start (UTC). An unchanged date keeps its original time, so editing a
    /// published item does not move it in the list.
    fn published_at(
        &self,
        previous: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        if !self.published {
            return None;
        }
        if let Some(p) = previous.filter(|p| p.date_naive() == self.date) {
            return Some(p);
        }
        if self.date == now.date_naive() {
            return Some(now);
        }
        Some(self.date.and_time(NaiveTime::MIN).and_utc())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewsStatus {
    Draft,
    /// Published with a date still to come: hidden from readers until then.
    Scheduled,
    Published,
}

/// A news item as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsRecord {
    pub id: i32,
    pub slug: String,
    pub language: Language,
    pub title: String,
    pub body_md: String,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl NewsRecord {
    pub fn status(&self, now: DateTime<Utc>) -> NewsStatus {
        match self.published_at {
            None => NewsStatus::Draft,
            Some(p) if p > now => NewsStatus::Scheduled,
            Some(_) => NewsStatus::Published,
        }
    }
}

impl From<news::Model> for NewsRecord {
    fn from(n: news::Model) -> Self {
        Self {
            id: n.id,
            language: Language::from_db(&n.language),
            slug: n.slug,
            title: n.title,
            body_md: n.body_md,
            published_at: n.published_at,
            created_at: n.created_at,
            updated_at: n.updated_at,
        }
    }
}

/// A page of every news item, drafts included, newest first (by publication date, or by
/// creation for drafts); `page` starts at 1.
pub async fn list_all(db: &impl ConnectionTrait, page: u64) -> DomainResult<Page<NewsRecord>> {
    let per_page = ADMIN_NEWS_PER_PAGE;
    let page = page.max(1);
    let total = news::Entity::find().count(db).await?;
    let rows = news::Entity::find()
        .order_by_desc(Expr::cust("COALESCE(published_at, created_at)"))
        .order_by_desc(news::Column::Id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page,
        per_page,
    })
}

pub async fn get_by_id(db: &impl ConnectionTrait, id: i32) -> DomainResult<NewsRecord> {
    news::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into)
        .ok_or(DomainError::NotFound)
}

/// `base`, or `base-2`, `base-3`, … : the first not used by another item in `language`.
async fn free_slug(
    db: &impl ConnectionTrait,
    language: Language,
    base: &str,
    except_id: Option<i32>,
) -> DomainResult<String> {
    // Slugs hold only [a-z0-9-], so the LIKE pattern has no wildcard of its own.
    let taken: HashSet<String> = news::Entity::find()
        .select_only()
        .column(news::Column::Slug)
        .filter(news::Column::Language.eq(language.as_str()))
        .filter(
            Condition::any()
                .add(news::Column::Slug.eq(base))
                .add(news::Column::Slug.starts_with(format!("{base}-"))),
        )
        .apply_if(except_id, |q, id| q.filter(news::Column::Id.ne(id)))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(super::slug::first_free(base, &taken))
}

/// Two saves racing for the same slug: the loser picks the next free one.
const SLUG_ATTEMPTS: usize = 3;

fn is_slug_clash(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

pub async fn create(
    db: &impl ConnectionTrait,
    input: &NewsInput,
    now: DateTime<Utc>,
) -> DomainResult<NewsRecord> {
    let f = NewsFields::parse(input, now.date_naive())?;
    let base = slugify(&f.title);
    let mut attempt = 1;
    loop {
        let slug = free_slug(db, f.language, &base, None).await?;
        let row = news::ActiveModel {
            slug: Set(slug),
            language: Set(f.language.as_str().to_owned()),
            title: Set(f.title.clone()),
            body_md: Set(f.body_md.clone()),
            published_at: Set(f.published_at(None, now)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        match row.insert(db).await {
            Ok(m) => return Ok(m.into()),
            Err(e) if attempt < SLUG_ATTEMPTS && is_slug_clash(&e) => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: i32,
    input: &NewsInput,
    now: DateTime<Utc>,
) -> DomainResult<NewsRecord> {
    let f = NewsFields::parse(input, now.date_naive())?;
    let existing = news::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    // Once an item has been published its address may be out there (links, the feed), so
    // its slug stays; a draft's slug follows its title.
    let keep_slug = existing.published_at.is_some() && existing.language == f.language.as_str();
    let published_at = f.published_at(existing.published_at, now);
    let mut attempt = 1;
    loop {
        let slug = if keep_slug {
            existing.slug.clone()
        } else {
            free_slug(db, f.language, &slugify(&f.title), Some(id)).await?
        };
        let mut row: news::ActiveModel = existing.clone().into();
        row.slug = Set(slug);
        row.language = Set(f.language.as_str().to_owned());
        row.title = Set(f.title.clone());
        row.body_md = Set(f.body_md.clone());
        row.published_at = Set(published_at);
        row.updated_at = Set(now);
        match row.update(db).await {
            Ok(m) => return Ok(m.into()),
            Err(e) if !keep_slug && attempt < SLUG_ATTEMPTS && is_slug_clash(&e) => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

pub async fn delete(db: &impl ConnectionTrait, id: i32) -> DomainResult<()> {
    let res = news::Entity::delete_by_id(id).exec(db).await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}
