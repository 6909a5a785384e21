//! News from the hosting team: published items in the reader's language, newest first.
use super::markdown;
use crate::{
    entities::news,
    error::{DomainError, DomainResult},
    Page,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub const NEWS_PER_PAGE: u64 = 10;
const EXCERPT_CHARS: usize = 220;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsItem {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    /// Safe HTML rendered from the Markdown body.
    pub body_html: String,
    pub published_at: DateTime<Utc>,
}

fn item(n: news::Model) -> NewsItem {
    NewsItem {
        excerpt: markdown::plain_text(&n.body_md, EXCERPT_CHARS),
        body_html: markdown::render(&n.body_md),
        published_at: n.published_at.unwrap_or(n.created_at),
        slug: n.slug,
        title: n.title,
    }
}

fn published(language: &str, now: DateTime<Utc>) -> sea_orm::Select<news::Entity> {
    news::Entity::find()
        .filter(news::Column::Language.eq(language))
        .filter(news::Column::PublishedAt.lte(now))
        .order_by_desc(news::Column::PublishedAt)
        .order_by_desc(news::Column::Id)
}

/// A page of published news in `language`; `page` starts at 1.
pub async fn list(
    db: &impl ConnectionTrait,
    language: &str,
    now: DateTime<Utc>,
    page: u64,
    per_page: u64,
) -> DomainResult<Page<NewsItem>> {
    let query = published(language, now);
    let total = query.clone().count(db).await?;
    let page = page.max(1);
    let rows = query
        .limit(per_page)
        .offset((page - 1) * per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(item).collect(),
        total,
        page,
        per_page,
    })
}

/// A published item; drafts and future items are `NotFound`.
pub async fn get(
    db: &impl ConnectionTrait,
    language: &str,
    slug: &str,
    now: DateTime<Utc>,
) -> DomainResult<NewsItem> {
    published(language, now)
        .filter(news::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(item)
        .ok_or(DomainError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{demo, test_support::services_on_memory_db};

    #[tokio::test]
    async fn only_published_news_in_the_readers_language() {
        let svc = services_on_memory_db().await;
        demo::load(&svc, false).await.unwrap();
        let now = svc.now();
        let en = list(&svc.db, "en", now, 1, 10).await.unwrap();
        let es = list(&svc.db, "es", now, 1, 10).await.unwrap();
        assert!(en.total >= 3 && es.total >= 3);
        assert!(en
            .items
            .windows(2)
            .all(|w| w[0].published_at >= w[1].published_at));
        // The demo draft is not listed and cannot be opened.
        assert!(en.items.iter().all(|n| n.slug != demo::DRAFT_NEWS_SLUG));
        assert!(matches!(
            get(&svc.db, "en", demo::DRAFT_NEWS_SLUG, now).await,
            Err(DomainError::NotFound)
        ));
        let first = get(&svc.db, "es", &es.items[0].slug, now).await.unwrap();
        assert!(first.body_html.contains("<p>"));
        let page2 = list(&svc.db, "en", now, 2, 2).await.unwrap();
        assert_eq!(page2.page, 2);
        assert!(page2.items.len() <= 2);
    }
}
