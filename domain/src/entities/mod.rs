//! sea-orm entities. They stay inside `domain` and `server`; DTOs cross the wire instead.
pub mod cancellation_request;
pub mod email;
pub mod kb_article;
pub mod kb_category;
pub mod kb_vote;
pub mod login_attempt;
pub mod news;
pub mod password_reset;
pub mod plan;
pub mod plan_change;
pub mod plan_price;
pub mod provisioning_action;
pub mod service;
pub mod session;
pub mod user;
