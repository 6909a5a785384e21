//! Billing rules: cycles, proration (pure functions) and invoices.
pub mod invoices;
pub mod proration;
