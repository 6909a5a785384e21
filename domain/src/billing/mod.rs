//! Billing rules: cycles, proration (pure functions) and invoices.
pub mod automation;
pub mod invoices;
pub mod proration;
