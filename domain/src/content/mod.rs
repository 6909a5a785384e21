//! Published content: news and the knowledge base.
pub mod markdown;
pub mod news;
pub mod news_admin;
