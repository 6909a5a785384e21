//! The knowledge base (public): DTOs, server functions (thin adapters over
//! `domain::content::kb`) and pages.
mod admin;
mod admin_pages;
mod pages;

pub use admin_pages::{StaffKbArticlePage, StaffKbCategoriesPage, StaffKbListPage};
pub use pages::{KbArticlePage, KbCategoryPage, KbHomePage, KbSearchBox, KbSearchPage};

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbCategory {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub articles: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbArticleLink {
    pub slug: String,
    pub category_slug: String,
    pub category_name: String,
    pub title: String,
    pub excerpt: String,
}

impl KbArticleLink {
    pub fn href(&self) -> String {
        format!("/kb/{}/{}", self.category_slug, self.slug)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbHome {
    pub categories: Vec<KbCategory>,
    pub popular: Vec<KbArticleLink>,
}

/// Counts only staff see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbStats {
    pub views: u64,
    pub helpful: u64,
    pub not_helpful: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbArticle {
    pub id: i32,
    pub link: KbArticleLink,
    /// Rendered on the server from Markdown with raw HTML and unsafe links removed.
    pub body_html: String,
    pub tags: Vec<String>,
    /// RFC 3339.
    pub updated_at: String,
    pub related: Vec<KbArticleLink>,
    /// This reader's answer to "did you find your answer?", if they gave one.
    pub my_vote: Option<bool>,
    pub stats: Option<KbStats>,
}

#[cfg(feature = "ssr")]
impl From<domain::content::kb::ArticleSummary> for KbArticleLink {
    fn from(a: domain::content::kb::ArticleSummary) -> Self {
        Self {
            slug: a.slug,
            category_slug: a.category_slug,
            category_name: a.category_name,
            title: a.title,
            excerpt: a.excerpt,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::content::kb::Category> for KbCategory {
    fn from(c: domain::content::kb::Category) -> Self {
        Self {
            slug: c.slug,
            name: c.name,
            description: c.description,
            articles: c.articles,
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::auth::ssr;
    use domain::content::kb::Voter;

    /// A random id for visitors who vote without signing in (only its hash is stored).
    pub const VISITOR_COOKIE: &str = "portico_visitor";

    /// The signed-in person, else the visitor cookie if there is one.
    pub fn voter_key() -> Option<VoterKey> {
        match ssr::viewer().user {
            Some(u) => Some(VoterKey::User(u.id)),
            None => ssr::request_cookie(VISITOR_COOKIE).map(VoterKey::Visitor),
        }
    }

    pub enum VoterKey {
        User(i32),
        Visitor(String),
    }

    impl VoterKey {
        pub fn voter(&self) -> Voter<'_> {
            match self {
                VoterKey::User(id) => Voter::User(*id),
                VoterKey::Visitor(token) => Voter::Visitor(token),
            }
        }
    }
}

#[server(prefix = "/_fn", endpoint = "kb_home")]
pub async fn get_kb_home() -> Result<KbHome, AppError> {
    use crate::auth::ssr;
    use domain::content::kb;
    let svc = ssr::services()?;
    let lang = ssr::request_locale().code();
    Ok(KbHome {
        categories: kb::categories(&svc.db, lang)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        popular: kb::popular(&svc.db, lang, 5)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

#[server(prefix = "/_fn", endpoint = "kb_category")]
pub async fn get_kb_category(slug: String) -> Result<(KbCategory, Vec<KbArticleLink>), AppError> {
    use crate::auth::ssr;
    let svc = ssr::services()?;
    let lang = ssr::request_locale().code();
    let (c, articles) = domain::content::kb::category(&svc.db, lang, &slug).await?;
    Ok((c.into(), articles.into_iter().map(Into::into).collect()))
}

#[server(prefix = "/_fn", endpoint = "kb_search")]
pub async fn search_kb(q: String) -> Result<Vec<KbArticleLink>, AppError> {
    use crate::auth::ssr;
    let svc = ssr::services()?;
    let lang = ssr::request_locale().code();
    let found = domain::content::kb::search(&svc.db, lang, &q).await?;
    Ok(found.into_iter().map(Into::into).collect())
}

/// An article; `count_view` is false when the reader comes back after voting.
#[server(prefix = "/_fn", endpoint = "kb_article")]
pub async fn get_kb_article(
    category: String,
    slug: String,
    count_view: bool,
) -> Result<KbArticle, AppError> {
    use crate::auth::ssr;
    use domain::content::kb;
    let svc = ssr::services()?;
    let lang = ssr::request_locale().code();
    let a = kb::article(&svc.db, lang, &category, &slug).await?;
    let id = a.summary.id;
    if count_view {
        kb::record_view(&svc.db, id).await?;
    }
    let my_vote = match self::ssr::voter_key() {
        Some(key) => kb::my_vote(&svc.db, id, &key.voter()).await?,
        None => None,
    };
    let stats = match ssr::viewer().user {
        Some(u) if u.is_staff() => {
            let votes = kb::vote_counts(&svc.db, id).await?;
            Some(KbStats {
                views: a.views + u64::from(count_view),
                helpful: votes.helpful,
                not_helpful: votes.not_helpful,
            })
        }
        _ => None,
    };
    Ok(KbArticle {
        id,
        body_html: a.body_html,
        tags: a.tags,
        updated_at: a.updated_at.to_rfc3339(),
        related: a.related.into_iter().map(Into::into).collect(),
        link: a.summary.into(),
        my_vote,
        stats,
    })
}

/// "Did you find your answer?" — one answer per person; a second one changes nothing. Visitors
/// who are not signed in are recognised by a random cookie set on their first vote.
#[server(prefix = "/_fn", endpoint = "kb_vote")]
pub async fn vote_kb_article(
    article_id: i32,
    helpful: String,
    category: String,
    slug: String,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::content::kb;
    let helpful = match helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest),
    };
    let svc = ssr::services()?;
    let key = match self::ssr::voter_key() {
        Some(key) => key,
        None => {
            let token = domain::accounts::new_token();
            ssr::set_http_only_cookie(self::ssr::VISITOR_COOKIE, &token, 365 * 24 * 3600);
            self::ssr::VoterKey::Visitor(token)
        }
    };
    kb::vote(&svc.db, article_id, &key.voter(), helpful, svc.now()).await?;
    // Back to the article; only a path made of the slugs, never a URL from the form.
    let clean = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
    };
    leptos_axum::redirect(&format!(
        "/kb/{}/{}?voted=1",
        clean(&category),
        clean(&slug)
    ));
    Ok(())
}
