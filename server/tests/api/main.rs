//! Server tests: the real app on a random port, a fresh SQLite database per test, and an
//! in-process SMTP sink for email. One test binary for the crate (links are slow on 2 cores).
mod access;
mod account;
mod account_activity;
mod auth;
mod billing;
mod cancellation;
mod card_crash;
mod cards;
mod cli;
mod crash;
mod emails;
mod helpers;
mod hosting;
mod invoice_money;
mod kb;
mod kb_admin;
mod news_admin;
mod password;
mod security;
mod tickets;
mod upgrade;
