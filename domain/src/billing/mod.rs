//! Billing rules: cycles, proration (pure functions) and, later, invoices.
pub mod proration;
