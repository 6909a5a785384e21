//! Writing the knowledge base (staff): categories and articles in every language, drafts
//! included. Every article write updates the search index in the same transaction.
use super::{search, split_tags};
use crate::{
    accounts::Language,
    content::{markdown, slug},
    entities::{kb_article, kb_category, kb_vote},
    error::{DomainError, DomainResult, Invalid},
    Page,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

pub const ADMIN_ARTICLES_PER_PAGE: u64 = 25;
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 50_000;
const MAX_TAGS_CHARS: usize = 400;
const MAX_NAME_CHARS: usize = 120;

/// The article form as a staff member filled it in.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub category_id: i32,
    pub title: String,
    pub tags: String,
    pub body_md: String,
    pub published: bool,
}

/// The category form.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub description: String,
    /// "en" or "es".
    pub language: String,
    pub sort_order: i32,
}

/// An article as staff see it, with its reader statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRecord {
    pub id: i32,
    pub category_id: i32,
    pub category_slug: String,
    pub category_name: String,
    pub language: Language,
    pub slug: String,
    pub title: String,
    pub tags: String,
    pub body_md: String,
    pub published: bool,
    pub views: u64,
    pub helpful: u64,
    pub not_helpful: u64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRecord {
    pub id: i32,
    pub slug: String,
    pub language: Language,
    pub name: String,
    pub description: String,
    pub sort_order: i32,
    /// Articles in it, drafts included.
    pub articles: u64,
}

fn checked_text(s: &str, max: usize, err: Invalid) -> Result<String, Invalid> {
    let s = s.replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() || s.chars().count() > max {
        return Err(err);
    }
    Ok(s.to_owned())
}

async fn votes(db: &impl ConnectionTrait, ids: &[i32]) -> DomainResult<HashMap<(i32, bool), u64>> {
    let rows: Vec<(i32, bool, i64)> = kb_vote::Entity::find()
        .select_only()
        .column(kb_vote::Column::ArticleId)
        .column(kb_vote::Column::Helpful)
        .column_as(kb_vote::Column::Id.count(), "n")
        .filter(kb_vote::Column::ArticleId.is_in(ids.iter().copied()))
        .group_by(kb_vote::Column::ArticleId)
        .group_by(kb_vote::Column::Helpful)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, h, n)| ((id, h), n.max(0) as u64))
        .collect())
}

fn record(
    a: kb_article::Model,
    c: &kb_category::Model,
    votes: &HashMap<(i32, bool), u64>,
) -> ArticleRecord {
    ArticleRecord {
        helpful: votes.get(&(a.id, true)).copied().unwrap_or(0),
        not_helpful: votes.get(&(a.id, false)).copied().unwrap_or(0),
        id: a.id,
        category_id: c.id,
        category_slug: c.slug.clone(),
        category_name: c.name.clone(),
        language: Language::from_db(&a.language),
        slug: a.slug,
        title: a.title,
        tags: a.tags,
        body_md: a.body_md,
        published: a.published,
        views: a.views.max(0) as u64,
        updated_at: a.updated_at,
    }
}

/// Every article, drafts included, most recently edited first.
pub async fn list_articles(
    db: &impl ConnectionTrait,
    page: u64,
) -> DomainResult<Page<ArticleRecord>> {
    let per_page = ADMIN_ARTICLES_PER_PAGE;
    let page = page.max(1);
    let total = kb_article::Entity::find().count(db).await?;
    let rows = kb_article::Entity::find()
        .find_also_related(kb_category::Entity)
        .order_by_desc(kb_article::Column::UpdatedAt)
        .order_by_desc(kb_article::Column::Id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|(a, _)| a.id).collect();
    let v = votes(db, &ids).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .filter_map(|(a, c)| Some(record(a, &c?, &v)))
            .collect(),
        total,
        page,
        per_page,
    })
}

pub async fn get_article(db: &impl ConnectionTrait, id: i32) -> DomainResult<ArticleRecord> {
    let (a, c) = kb_article::Entity::find_by_id(id)
        .find_also_related(kb_category::Entity)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let c = c.ok_or(DomainError::NotFound)?;
    let v = votes(db, &[a.id]).await?;
    Ok(record(a, &c, &v))
}

/// The first of `base`, `base-2`, … that no other article in `language` uses.
async fn free_article_slug(
    db: &impl ConnectionTrait,
    language: &str,
    base: &str,
    except_id: Option<i32>,
) -> DomainResult<String> {
    let mut query = kb_article::Entity::find()
        .select_only()
        .column(kb_article::Column::Slug)
        .filter(kb_article::Column::Language.eq(language))
        .filter(kb_article::Column::Slug.starts_with(base));
    if let Some(id) = except_id {
        query = query.filter(kb_article::Column::Id.ne(id));
    }
    let taken: HashSet<String> = query
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(slug::first_free(base, &taken))
}

struct ArticleFields {
    category: kb_category::Model,
    title: String,
    tags: String,
    body_md: String,
    published: bool,
}

async fn parse_article(
    db: &impl ConnectionTrait,
    input: &ArticleInput,
) -> DomainResult<ArticleFields> {
    let title = checked_text(&input.title, MAX_TITLE_CHARS, Invalid::KbTitle)?;
    let body_md = checked_text(&input.body_md, MAX_BODY_CHARS, Invalid::KbBody)?;
    if input.tags.chars().count() > MAX_TAGS_CHARS {
        return Err(Invalid::KbTags.into());
    }
    let category = kb_category::Entity::find_by_id(input.category_id)
        .one(db)
        .await?
        .ok_or(Invalid::KbCategory)?;
    Ok(ArticleFields {
        category,
        title,
        tags: split_tags(&input.tags).join(","),
        body_md,
        published: input.published,
    })
}

async fn reindex(db: &impl ConnectionTrait, a: &kb_article::Model) -> DomainResult<()> {
    search::index(
        db,
        search::Document {
            article_id: a.id,
            title: &a.title,
            tags: &a.tags,
            body: &markdown::plain_text(&a.body_md, usize::MAX),
        },
    )
    .await
}

/// Creates an article in its category's language.
pub async fn create_article(
    db: &DatabaseConnection,
    input: &ArticleInput,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    let txn = db.begin().await?;
    let f = parse_article(&txn, input).await?;
    let slug = free_article_slug(
        &txn,
        &f.category.language,
        &slug::slugify_or(&f.title, "article"),
        None,
    )
    .await?;
    let a = kb_article::ActiveModel {
        category_id: Set(f.category.id),
        slug: Set(slug),
        language: Set(f.category.language.clone()),
        title: Set(f.title),
        body_md: Set(f.body_md),
        tags: Set(f.tags),
        published: Set(f.published),
        views: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    reindex(&txn, &a).await?;
    txn.commit().await?;
    Ok(a.id)
}

/// Saves an article. A published article keeps its address (links to it may exist); a draft's
/// follows its title.
pub async fn update_article(
    db: &DatabaseConnection,
    id: i32,
    input: &ArticleInput,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let txn = db.begin().await?;
    let existing = kb_article::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let f = parse_article(&txn, input).await?;
    let language = f.category.language.clone();
    let keep_slug = existing.published && existing.language == language;
    let slug = if keep_slug {
        existing.slug.clone()
    } else {
        free_article_slug(
            &txn,
            &language,
            &slug::slugify_or(&f.title, "article"),
            Some(id),
        )
        .await?
    };
    let mut row: kb_article::ActiveModel = existing.into();
    row.category_id = Set(f.category.id);
    row.language = Set(language);
    row.slug = Set(slug);
    row.title = Set(f.title);
    row.tags = Set(f.tags);
    row.body_md = Set(f.body_md);
    row.published = Set(f.published);
    row.updated_at = Set(now);
    let a = row.update(&txn).await?;
    reindex(&txn, &a).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes an article with its votes and its search entry.
pub async fn delete_article(db: &DatabaseConnection, id: i32) -> DomainResult<()> {
    let txn = db.begin().await?;
    search::remove(&txn, id).await?;
    kb_vote::Entity::delete_many()
        .filter(kb_vote::Column::ArticleId.eq(id))
        .exec(&txn)
        .await?;
    let res = kb_article::Entity::delete_by_id(id).exec(&txn).await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    txn.commit().await?;
    Ok(())
}

/// Every category in every language, with how many articles each holds.
pub async fn list_categories(db: &impl ConnectionTrait) -> DomainResult<Vec<CategoryRecord>> {
    let counts: HashMap<i32, i64> = kb_article::Entity::find()
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
        .order_by_asc(kb_category::Column::Language)
        .order_by_asc(kb_category::Column::SortOrder)
        .order_by_asc(kb_category::Column::Name)
        .all(db)
        .await?;
    Ok(cats
        .into_iter()
        .map(|c| CategoryRecord {
            articles: counts.get(&c.id).copied().unwrap_or(0).max(0) as u64,
            id: c.id,
            language: Language::from_db(&c.language),
            slug: c.slug,
            name: c.name,
            description: c.description,
            sort_order: c.sort_order,
        })
        .collect())
}

pub async fn get_category(db: &impl ConnectionTrait, id: i32) -> DomainResult<CategoryRecord> {
    list_categories(db)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(DomainError::NotFound)
}

fn parse_category(input: &CategoryInput) -> Result<(String, String, Language), Invalid> {
    let name = checked_text(&input.name, MAX_NAME_CHARS, Invalid::KbCategoryName)?;
    let description = input.description.trim().chars().take(1000).collect();
    Ok((name, description, Language::parse(&input.language)?))
}

/// Creates a category; its address comes from its name, unique within its language.
pub async fn create_category(
    db: &impl ConnectionTrait,
    input: &CategoryInput,
) -> DomainResult<i32> {
    let (name, description, language) = parse_category(input)?;
    let base = slug::slugify_or(&name, "topic");
    let taken: HashSet<String> = kb_category::Entity::find()
        .select_only()
        .column(kb_category::Column::Slug)
        .filter(kb_category::Column::Language.eq(language.as_str()))
        .filter(kb_category::Column::Slug.starts_with(&base))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    super::insert_category(
        db,
        super::NewCategory {
            slug: &slug::first_free(&base, &taken),
            language: language.as_str(),
            name: &name,
            description: &description,
            sort_order: input.sort_order,
        },
    )
    .await
}

/// Renames or reorders a category. Its address and language stay: its articles' links do.
pub async fn update_category(
    db: &impl ConnectionTrait,
    id: i32,
    input: &CategoryInput,
) -> DomainResult<()> {
    let (name, description, _) = parse_category(input)?;
    let c = kb_category::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut row: kb_category::ActiveModel = c.into();
    row.name = Set(name);
    row.description = Set(description);
    row.sort_order = Set(input.sort_order);
    row.update(db).await?;
    Ok(())
}

/// Deletes an empty category; one that still holds articles is refused.
pub async fn delete_category(db: &impl ConnectionTrait, id: i32) -> DomainResult<()> {
    let articles = kb_article::Entity::find()
        .filter(kb_article::Column::CategoryId.eq(id))
        .count(db)
        .await?;
    if articles > 0 {
        return Err(Invalid::KbCategoryNotEmpty.into());
    }
    let res = kb_category::Entity::delete_by_id(id).exec(db).await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}
