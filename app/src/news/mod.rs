//! News from the hosting team: the public DTOs, server functions and pages here; staff
//! publishing in `admin` (server functions) and `admin_pages`.
pub mod admin;
mod admin_pages;
mod pages;

pub use admin_pages::{StaffNewsEditPage, StaffNewsListPage, StaffNewsNewPage};
pub use pages::{NewsDetailPage, NewsListPage, NewsSummary};

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    /// Rendered on the server from Markdown with raw HTML and unsafe links removed.
    pub body_html: String,
    /// RFC 3339.
    pub published_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsList {
    pub items: Vec<NewsItem>,
    pub page: u64,
    pub pages: u64,
}

#[cfg(feature = "ssr")]
impl From<domain::content::news::NewsItem> for NewsItem {
    fn from(n: domain::content::news::NewsItem) -> Self {
        Self {
            slug: n.slug,
            title: n.title,
            excerpt: n.excerpt,
            body_html: n.body_html,
            published_at: n.published_at.to_rfc3339(),
        }
    }
}

/// Published news in the reader's language, newest first.
#[server(prefix = "/_fn", endpoint = "list_news")]
pub async fn list_news(page: Option<u64>, per_page: Option<u64>) -> Result<NewsList, AppError> {
    use crate::auth::ssr;
    let svc = ssr::services()?;
    let per_page = per_page
        .unwrap_or(domain::content::news::NEWS_PER_PAGE)
        .clamp(1, 50);
    let lang = ssr::request_locale().code();
    let p =
        domain::content::news::list(&svc.db, lang, svc.now(), page.unwrap_or(1), per_page).await?;
    Ok(NewsList {
        pages: p.pages(),
        page: p.page,
        items: p.items.into_iter().map(Into::into).collect(),
    })
}

#[server(prefix = "/_fn", endpoint = "get_news")]
pub async fn get_news(slug: String) -> Result<NewsItem, AppError> {
    use crate::auth::ssr;
    let svc = ssr::services()?;
    let lang = ssr::request_locale().code();
    Ok(domain::content::news::get(&svc.db, lang, &slug, svc.now())
        .await?
        .into())
}
