//! Staff news publishing: DTOs and server functions. Each function checks the staff role
//! first (401 signed out, 403 for clients), then calls `domain::content::news_admin`.
use crate::{error::AppError, i18n::Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewsStatus {
    Draft,
    /// Published, dated in the future: readers see it from that date.
    Scheduled,
    Published,
}

impl NewsStatus {
    pub fn code(self) -> &'static str {
        match self {
            NewsStatus::Draft => "draft",
            NewsStatus::Scheduled => "scheduled",
            NewsStatus::Published => "published",
        }
    }
    pub fn label(self, t: &crate::i18n::Texts) -> &'static str {
        match self {
            NewsStatus::Draft => t.staff_news_draft,
            NewsStatus::Scheduled => t.staff_news_scheduled,
            NewsStatus::Published => t.staff_news_published,
        }
    }
}

/// A line of the staff news list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsAdminRow {
    pub id: i32,
    pub title: String,
    pub language: Locale,
    pub status: NewsStatus,
    /// RFC 3339: the publication time, or the creation time of a draft.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsAdminList {
    pub items: Vec<NewsAdminRow>,
    pub page: u64,
    pub pages: u64,
}

/// What the news form shows: a saved item, or the blank form (`id` None).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsAdminForm {
    pub id: Option<i32>,
    pub slug: Option<String>,
    pub title: String,
    pub body_md: String,
    pub language: Locale,
    /// `YYYY-MM-DD`: the publication date, or today for a draft or a new item.
    pub date: String,
    pub published: bool,
    pub status: NewsStatus,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use chrono::{DateTime, Utc};
    use domain::{accounts::Language, content::news_admin as d};

    pub fn locale(l: Language) -> Locale {
        match l {
            Language::En => Locale::En,
            Language::Es => Locale::Es,
        }
    }

    fn status(r: &d::NewsRecord, now: DateTime<Utc>) -> NewsStatus {
        match r.status(now) {
            d::NewsStatus::Draft => NewsStatus::Draft,
            d::NewsStatus::Scheduled => NewsStatus::Scheduled,
            d::NewsStatus::Published => NewsStatus::Published,
        }
    }

    pub fn row(r: d::NewsRecord, now: DateTime<Utc>) -> NewsAdminRow {
        NewsAdminRow {
            status: status(&r, now),
            date: r.published_at.unwrap_or(r.created_at).to_rfc3339(),
            id: r.id,
            language: locale(r.language),
            title: r.title,
        }
    }

    pub fn form(r: d::NewsRecord, now: DateTime<Utc>) -> NewsAdminForm {
        NewsAdminForm {
            status: status(&r, now),
            date: r.published_at.unwrap_or(now).date_naive().to_string(),
            published: r.published_at.is_some(),
            id: Some(r.id),
            slug: Some(r.slug),
            language: locale(r.language),
            title: r.title,
            body_md: r.body_md,
        }
    }

    /// The form fields as the domain takes them; a checkbox is only sent when ticked.
    pub fn input(
        title: String,
        language: String,
        date: String,
        body: String,
        published: Option<String>,
    ) -> d::NewsInput {
        d::NewsInput {
            title,
            body_md: body,
            language,
            date,
            published: published.is_some(),
        }
    }
}

#[server(prefix = "/_fn", endpoint = "staff_news_list")]
pub async fn staff_news_list(page: Option<u64>) -> Result<NewsAdminList, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let p = domain::content::news_admin::list_all(&svc.db, page.unwrap_or(1)).await?;
    let now = svc.now();
    Ok(NewsAdminList {
        pages: p.pages(),
        page: p.page,
        items: p.items.into_iter().map(|r| convert::row(r, now)).collect(),
    })
}

/// The blank form: today's date and the staff member's language.
#[server(prefix = "/_fn", endpoint = "staff_news_blank")]
pub async fn staff_news_blank() -> Result<NewsAdminForm, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_staff()?;
    let svc = ssr::services()?;
    Ok(NewsAdminForm {
        id: None,
        slug: None,
        title: String::new(),
        body_md: String::new(),
        language: convert::locale(user.language),
        date: svc.now().date_naive().to_string(),
        published: false,
        status: NewsStatus::Draft,
    })
}

#[server(prefix = "/_fn", endpoint = "staff_news_get")]
pub async fn staff_news_get(id: i32) -> Result<NewsAdminForm, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let record = domain::content::news_admin::get_by_id(&svc.db, id).await?;
    Ok(convert::form(record, svc.now()))
}

#[server(prefix = "/_fn", endpoint = "staff_news_create")]
pub async fn staff_news_create(
    title: String,
    language: String,
    date: String,
    body: String,
    published: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let input = convert::input(title, language, date, body, published);
    domain::content::news_admin::create(&svc.db, &input, svc.now()).await?;
    leptos_axum::redirect("/staff/news?saved=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_news_update")]
pub async fn staff_news_update(
    id: i32,
    title: String,
    language: String,
    date: String,
    body: String,
    published: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let input = convert::input(title, language, date, body, published);
    domain::content::news_admin::update(&svc.db, id, &input, svc.now()).await?;
    leptos_axum::redirect("/staff/news?saved=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_news_delete")]
pub async fn staff_news_delete(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::content::news_admin::delete(&svc.db, id).await?;
    leptos_axum::redirect("/staff/news?deleted=1");
    Ok(())
}
