//! Portico's business rules and persistence. No web framework here: `app` (server functions)
//! and `server` (HTTP, CLI) call into these services.
pub mod accounts;
pub mod clock;
pub mod demo;
pub mod entities;
pub mod error;
pub mod mail;
mod services;

pub use error::DomainError;
pub use services::Services;
