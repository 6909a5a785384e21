//! Staff knowledge-base editing: DTOs and server functions. Each function checks the staff
//! role first (401 signed out, 403 for clients), then calls `domain::content::kb::admin`.
use crate::{error::AppError, i18n::Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbAdminArticle {
    pub id: i32,
    pub category_id: i32,
    pub category_name: String,
    pub language: Locale,
    /// The public address, e.g. `/kb/billing/how-billing-works`.
    pub address: String,
    pub title: String,
    pub tags: String,
    pub body_md: String,
    pub published: bool,
    pub views: u64,
    pub helpful: u64,
    pub not_helpful: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbAdminArticles {
    pub items: Vec<KbAdminArticle>,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbAdminCategory {
    pub id: i32,
    pub slug: String,
    pub language: Locale,
    pub name: String,
    pub description: String,
    pub sort_order: i32,
    pub articles: u64,
}

/// The article form: the article (None for a new one) and the categories to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbArticleForm {
    pub article: Option<KbAdminArticle>,
    pub categories: Vec<KbAdminCategory>,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use domain::{accounts::Language, content::kb::admin as d};

    pub fn locale(l: Language) -> Locale {
        match l {
            Language::En => Locale::En,
            Language::Es => Locale::Es,
        }
    }

    pub fn article(a: d::ArticleRecord) -> KbAdminArticle {
        KbAdminArticle {
            address: format!("/kb/{}/{}", a.category_slug, a.slug),
            id: a.id,
            category_id: a.category_id,
            category_name: a.category_name,
            language: locale(a.language),
            title: a.title,
            tags: a.tags.replace(',', ", "),
            body_md: a.body_md,
            published: a.published,
            views: a.views,
            helpful: a.helpful,
            not_helpful: a.not_helpful,
        }
    }

    pub fn category(c: d::CategoryRecord) -> KbAdminCategory {
        KbAdminCategory {
            id: c.id,
            slug: c.slug,
            language: locale(c.language),
            name: c.name,
            description: c.description,
            sort_order: c.sort_order,
            articles: c.articles,
        }
    }

    pub fn article_input(
        category: i32,
        title: String,
        tags: String,
        body: String,
        published: Option<String>,
    ) -> d::ArticleInput {
        d::ArticleInput {
            category_id: category,
            title,
            tags,
            body_md: body,
            published: published.is_some(),
        }
    }

    pub fn category_input(
        name: String,
        description: String,
        language: String,
        sort_order: String,
    ) -> Result<d::CategoryInput, AppError> {
        Ok(d::CategoryInput {
            name,
            description,
            language,
            sort_order: match sort_order.trim() {
                "" => 0,
                s => s.parse().map_err(|_| AppError::BadRequest)?,
            },
        })
    }
}

#[server(prefix = "/_fn", endpoint = "staff_kb_articles")]
pub async fn staff_kb_articles(page: Option<u64>) -> Result<KbAdminArticles, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let p = domain::content::kb::admin::list_articles(&svc.db, page.unwrap_or(1)).await?;
    Ok(KbAdminArticles {
        pages: p.pages(),
        page: p.page,
        items: p.items.into_iter().map(convert::article).collect(),
    })
}

/// The article form: `id` None for a new article.
#[server(prefix = "/_fn", endpoint = "staff_kb_article_form")]
pub async fn staff_kb_article_form(id: Option<i32>) -> Result<KbArticleForm, AppError> {
    use crate::auth::ssr;
    use domain::content::kb::admin;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let article = match id {
        Some(id) => Some(convert::article(admin::get_article(&svc.db, id).await?)),
        None => None,
    };
    let categories = admin::list_categories(&svc.db).await?;
    Ok(KbArticleForm {
        article,
        categories: categories.into_iter().map(convert::category).collect(),
    })
}

#[server(prefix = "/_fn", endpoint = "staff_kb_article_save")]
pub async fn staff_kb_article_save(
    id: Option<i32>,
    category: i32,
    title: String,
    tags: String,
    body: String,
    published: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::content::kb::admin;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let input = convert::article_input(category, title, tags, body, published);
    match id {
        Some(id) => admin::update_article(&svc.db, id, &input, svc.now()).await?,
        None => {
            admin::create_article(&svc.db, &input, svc.now()).await?;
        }
    }
    leptos_axum::redirect("/staff/kb?saved=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_kb_article_delete")]
pub async fn staff_kb_article_delete(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::content::kb::admin::delete_article(&svc.db, id).await?;
    leptos_axum::redirect("/staff/kb?deleted=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_kb_categories")]
pub async fn staff_kb_categories() -> Result<Vec<KbAdminCategory>, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let all = domain::content::kb::admin::list_categories(&svc.db).await?;
    Ok(all.into_iter().map(convert::category).collect())
}

/// Creates a category (`id` None) or renames/reorders one (its language stays).
#[server(prefix = "/_fn", endpoint = "staff_kb_category_save")]
pub async fn staff_kb_category_save(
    id: Option<i32>,
    name: String,
    description: String,
    language: String,
    sort_order: String,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::content::kb::admin;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let input = convert::category_input(name, description, language, sort_order)?;
    match id {
        Some(id) => admin::update_category(&svc.db, id, &input).await?,
        None => {
            admin::create_category(&svc.db, &input).await?;
        }
    }
    leptos_axum::redirect("/staff/kb/categories?saved=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_kb_category_delete")]
pub async fn staff_kb_category_delete(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::content::kb::admin::delete_category(&svc.db, id).await?;
    leptos_axum::redirect("/staff/kb/categories?deleted=1");
    Ok(())
}
