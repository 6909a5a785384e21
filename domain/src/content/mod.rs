//! Published content: news and the knowledge base.
pub mod kb;
pub mod markdown;
pub mod news;
pub mod news_admin;
pub mod slug;
