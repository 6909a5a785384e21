//! The knowledge base: categories and articles in each language, readable without signing in,
//! with full-text search (see [`search`]), view counts, related articles and one "did you find
//! your answer?" vote per person.
pub mod admin;
#[cfg(test)]
mod admin_tests;
pub mod search;

use super::markdown;
use crate::{
    entities::{kb_article, kb_category, kb_vote},
    error::{DomainError, DomainResult},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use sha2::{Digest, Sha256};
use std::collections::HashMap;

const EXCERPT_CHARS: usize = 180;
pub const SEARCH_LIMIT: u64 = 20;
pub const RELATED_LIMIT: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Published articles in it.
    pub articles: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSummary {
    pub id: i32,
    pub slug: String,
    pub category_slug: String,
    pub category_name: String,
    pub title: String,
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub summary: ArticleSummary,
    /// Safe HTML rendered from the Markdown body.
    pub body_html: String,
    pub tags: Vec<String>,
    pub views: u64,
    pub updated_at: DateTime<Utc>,
    pub related: Vec<ArticleSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoteCounts {
    pub helpful: u64,
    pub not_helpful: u64,
}

/// Who is voting: a signed-in person, or a visitor known by a random cookie.
#[derive(Debug, Clone)]
pub enum Voter<'a> {
    User(i32),
    Visitor(&'a str),
}

impl Voter<'_> {
    /// The key stored with the vote; a visitor's cookie is stored only as a hash.
    fn key(&self) -> String {
        match self {
            Voter::User(id) => format!("user:{id}"),
            Voter::Visitor(token) => {
                format!(
                    "anon:{}",
                    &hex::encode(Sha256::digest(token.as_bytes()))[..40]
                )
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteOutcome {
    Recorded,
    /// This person had already answered; nothing changed.
    AlreadyVoted,
}

fn summary(a: &kb_article::Model, c: &kb_category::Model) -> ArticleSummary {
    ArticleSummary {
        id: a.id,
        slug: a.slug.clone(),
        category_slug: c.slug.clone(),
        category_name: c.name.clone(),
        title: a.title.clone(),
        excerpt: markdown::plain_text(&a.body_md, EXCERPT_CHARS),
    }
}

fn published(language: &str) -> sea_orm::Select<kb_article::Entity> {
    kb_article::Entity::find()
        .filter(kb_article::Column::Language.eq(language))
        .filter(kb_article::Column::Published.eq(true))
}

/// Categories in `language` that have published articles, in the staff's order.
pub async fn categories(db: &impl ConnectionTrait, language: &str) -> DomainResult<Vec<Category>> {
    let counts: HashMap<i32, i64> = published(language)
        .select_only()
        .column(kb_article::Column::CategoryId)
        .column_as(kb_article::Column::Id.count(), "n")
        .group_by(kb_article::Column::CategoryId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let cats = kb_category::Entity::find()
        .filter(kb_category::Column::Language.eq(language))
        .order_by_asc(kb_category::Column::SortOrder)
        .order_by_asc(kb_category::Column::Name)
        .all(db)
        .await?;
    Ok(cats
        .into_iter()
        .filter_map(|c| {
            let n = *counts.get(&c.id)?;
            Some(Category {
                slug: c.slug,
                name: c.name,
                description: c.description,
                articles: n.max(0) as u64,
            })
        })
        .collect())
}

async fn category_row(
    db: &impl ConnectionTrait,
    language: &str,
    slug: &str,
) -> DomainResult<kb_category::Model> {
    kb_category::Entity::find()
        .filter(kb_category::Column::Language.eq(language))
        .filter(kb_category::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// A category and its published articles (alphabetical); `NotFound` for an unknown slug.
pub async fn category(
    db: &impl ConnectionTrait,
    language: &str,
    slug: &str,
) -> DomainResult<(Category, Vec<ArticleSummary>)> {
    let c = category_row(db, language, slug).await?;
    let rows = published(language)
        .filter(kb_article::Column::CategoryId.eq(c.id))
        .order_by_asc(kb_article::Column::Title)
        .all(db)
        .await?;
    let articles: Vec<_> = rows.iter().map(|a| summary(a, &c)).collect();
    Ok((
        Category {
            articles: articles.len() as u64,
            slug: c.slug,
            name: c.name,
            description: c.description,
        },
        articles,
    ))
}

/// The most viewed published articles in `language`.
pub async fn popular(
    db: &impl ConnectionTrait,
    language: &str,
    limit: u64,
) -> DomainResult<Vec<ArticleSummary>> {
    let rows = published(language)
        .find_also_related(kb_category::Entity)
        .order_by_desc(kb_article::Column::Views)
        .order_by_asc(kb_article::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|(a, c)| Some(summary(a, c.as_ref()?)))
        .collect())
}

/// A published article by its category and slug, with related articles. Does not count a
/// view: the caller does that with [`record_view`] for a reader's visit.
pub async fn article(
    db: &impl ConnectionTrait,
    language: &str,
    category_slug: &str,
    slug: &str,
) -> DomainResult<Article> {
    let c = category_row(db, language, category_slug).await?;
    let a = published(language)
        .filter(kb_article::Column::CategoryId.eq(c.id))
        .filter(kb_article::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let related = related(db, &a).await?;
    Ok(Article {
        summary: summary(&a, &c),
        body_html: markdown::render(&a.body_md),
        tags: split_tags(&a.tags),
        views: a.views.max(0) as u64,
        updated_at: a.updated_at,
        related,
    })
}

pub fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Up to [`RELATED_LIMIT`] other published articles in the same language: most shared tags
/// first, then the same category, then the most viewed.
async fn related(
    db: &impl ConnectionTrait,
    article: &kb_article::Model,
) -> DomainResult<Vec<ArticleSummary>> {
    let tags = split_tags(&article.tags);
    let candidates = published(&article.language)
        .filter(kb_article::Column::Id.ne(article.id))
        .select_only()
        .columns([
            kb_article::Column::Id,
            kb_article::Column::CategoryId,
            kb_article::Column::Tags,
            kb_article::Column::Views,
        ])
        .into_tuple::<(i32, i32, String, i64)>()
        .all(db)
        .await?;
    let mut scored: Vec<(usize, i64, i32)> = candidates
        .into_iter()
        .filter_map(|(id, cat, t, views)| {
            let shared = split_tags(&t).iter().filter(|x| tags.contains(x)).count();
            let score = shared * 2 + usize::from(cat == article.category_id);
            (score > 0).then_some((score, views, id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let ids: Vec<i32> = scored
        .into_iter()
        .take(RELATED_LIMIT)
        .map(|s| s.2)
        .collect();
    summaries_in_order(db, &ids).await
}

/// Summaries of the given articles, in the given order.
async fn summaries_in_order(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> DomainResult<Vec<ArticleSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = kb_article::Entity::find()
        .filter(kb_article::Column::Id.is_in(ids.iter().copied()))
        .find_also_related(kb_category::Entity)
        .all(db)
        .await?;
    let by_id: HashMap<i32, ArticleSummary> = rows
        .iter()
        .filter_map(|(a, c)| Some((a.id, summary(a, c.as_ref()?))))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.get(id).cloned()).collect())
}

/// Published articles in `language` matching the query, best first. An empty or
/// punctuation-only query finds nothing.
pub async fn search(
    db: &impl ConnectionTrait,
    language: &str,
    query: &str,
) -> DomainResult<Vec<ArticleSummary>> {
    let terms = search::query_terms(query);
    let ids = search::search_ids(db, language, &terms, SEARCH_LIMIT).await?;
    summaries_in_order(db, &ids).await
}

/// Counts one reader's visit.
pub async fn record_view(db: &impl ConnectionTrait, article_id: i32) -> DomainResult<()> {
    kb_article::Entity::update_many()
        .col_expr(
            kb_article::Column::Views,
            sea_orm::sea_query::ExprTrait::add(Expr::col(kb_article::Column::Views), 1),
        )
        .filter(kb_article::Column::Id.eq(article_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a person's answer once; a second answer from the same person changes nothing.
pub async fn vote(
    db: &impl ConnectionTrait,
    article_id: i32,
    voter: &Voter<'_>,
    helpful: bool,
    now: DateTime<Utc>,
) -> DomainResult<VoteOutcome> {
    let exists = kb_article::Entity::find_by_id(article_id)
        .filter(kb_article::Column::Published.eq(true))
        .count(db)
        .await?;
    if exists == 0 {
        return Err(DomainError::NotFound);
    }
    // The unique (article, voter) index decides, so two simultaneous votes count once.
    let inserted = kb_vote::Entity::insert(kb_vote::ActiveModel {
        article_id: Set(article_id),
        voter_key: Set(voter.key()),
        helpful: Set(helpful),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([kb_vote::Column::ArticleId, kb_vote::Column::VoterKey])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(if inserted == 1 {
        VoteOutcome::Recorded
    } else {
        VoteOutcome::AlreadyVoted
    })
}

/// This person's answer on the article, if any.
pub async fn my_vote(
    db: &impl ConnectionTrait,
    article_id: i32,
    voter: &Voter<'_>,
) -> DomainResult<Option<bool>> {
    Ok(kb_vote::Entity::find()
        .filter(kb_vote::Column::ArticleId.eq(article_id))
        .filter(kb_vote::Column::VoterKey.eq(voter.key()))
        .one(db)
        .await?
        .map(|v| v.helpful))
}

/// Yes/no totals for an article (shown to staff).
pub async fn vote_counts(db: &impl ConnectionTrait, article_id: i32) -> DomainResult<VoteCounts> {
    let rows: Vec<(bool, i64)> = kb_vote::Entity::find()
        .select_only()
        .column(kb_vote::Column::Helpful)
        .column_as(kb_vote::Column::Id.count(), "n")
        .filter(kb_vote::Column::ArticleId.eq(article_id))
        .group_by(kb_vote::Column::Helpful)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = VoteCounts::default();
    for (helpful, n) in rows {
        let n = n.max(0) as u64;
        if helpful {
            counts.helpful = n;
        } else {
            counts.not_helpful = n;
        }
    }
    Ok(counts)
}

pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub language: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub sort_order: i32,
}

pub async fn insert_category(db: &impl ConnectionTrait, c: NewCategory<'_>) -> DomainResult<i32> {
    let row = kb_category::ActiveModel {
        slug: Set(c.slug.into()),
        language: Set(c.language.into()),
        name: Set(c.name.into()),
        description: Set(c.description.into()),
        sort_order: Set(c.sort_order),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

pub struct NewArticle<'a> {
    pub category_id: i32,
    pub slug: &'a str,
    pub language: &'a str,
    pub title: &'a str,
    pub body_md: &'a str,
    pub tags: &'a str,
    pub published: bool,
}

/// Writes an article and its search entry in one transaction.
pub async fn insert_article(
    db: &DatabaseConnection,
    a: NewArticle<'_>,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    let tags = split_tags(a.tags).join(",");
    let txn = db.begin().await?;
    let row = kb_article::ActiveModel {
        category_id: Set(a.category_id),
        slug: Set(a.slug.into()),
        language: Set(a.language.into()),
        title: Set(a.title.into()),
        body_md: Set(a.body_md.into()),
        tags: Set(tags.clone()),
        published: Set(a.published),
        views: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    search::index(
        &txn,
        search::Document {
            article_id: row.id,
            title: a.title,
            tags: &tags,
            body: &markdown::plain_text(a.body_md, usize::MAX),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// The article's id for a category and slug, published or not (staff tools, tests).
pub async fn article_id(
    db: &impl ConnectionTrait,
    language: &str,
    slug: &str,
) -> DomainResult<i32> {
    kb_article::Entity::find()
        .filter(kb_article::Column::Language.eq(language))
        .filter(kb_article::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|a| a.id)
        .ok_or(DomainError::NotFound)
}

#[cfg(test)]
mod tests;
