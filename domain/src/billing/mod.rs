//! Billing rules: cycles, proration (pure functions) and invoices.
pub mod automation;
pub mod cards;
pub mod credit;
pub mod invoices;
pub mod numbering;
pub mod payments;
pub mod pdf;
pub mod proration;
pub mod refunds;
pub mod tax;
