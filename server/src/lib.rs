//! The Portico server: configuration, HTTP (Leptos pages, server functions, machine endpoints),
//! security middleware and the command line.
pub mod cli;
pub mod config;
mod export;
mod feed;
mod health;
mod invoice_pdf;
mod security;
mod session;
mod startup;
mod stripe_routes;
pub mod telemetry;
mod ticket_routes;

pub use startup::{build, connect_database, services, AppState, Application};
