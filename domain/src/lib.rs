//! Portico's business rules and persistence. No web framework here: `app` (server functions)
//! and `server` (HTTP, CLI) call into these services.
pub mod accounts;
pub mod billing;
pub mod clock;
pub mod content;
pub mod demo;
pub mod entities;
pub mod error;
pub mod hosting;
pub mod mail;
mod page;
mod services;
pub mod support;
#[cfg(test)]
mod test_support;

pub use error::DomainError;
pub use page::Page;
pub use services::{BillingSettings, Issuer, LateFee, Services};
