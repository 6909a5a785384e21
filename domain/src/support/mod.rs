//! Support tickets. A client opens a ticket in a department (staff-configured; each says what it
//! covers), optionally about one of their services, and follows the thread; staff answer from
//! the queue, leave internal notes the client never sees, and change status, priority,
//! department and assignee. Client-facing functions take the client's id: another client's
//! ticket or attachment is `NotFound`, never `Forbidden`, so ids leak nothing.
//!
//! Statuses move like this: a new ticket is Open; a staff reply makes it Answered; a client
//! reply makes it Customer-Reply (reopening a Closed one when `reopen_on_reply`); staff may set
//! any status (On Hold, Closed, …); the client may close it. A ticket Answered with no client
//! reply for `auto_close_days` is closed by the automation, with an email.
pub mod attachments;
pub mod autoclose;
pub mod canned;
mod client;
pub mod departments;
mod input;
pub mod live;
mod staff;
#[cfg(test)]
mod tests;

pub use client::*;
pub use input::{attachments as parse_attachments, MessageBody, NewAttachment, Subject};
pub use staff::*;

use crate::error::Invalid;

pub const TICKETS_PER_PAGE: u64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    Open,
    Answered,
    CustomerReply,
    OnHold,
    Closed,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        TicketStatus::Open,
        TicketStatus::Answered,
        TicketStatus::CustomerReply,
        TicketStatus::OnHold,
        TicketStatus::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::CustomerReply => "customer_reply",
            TicketStatus::OnHold => "on_hold",
            TicketStatus::Closed => "closed",
        }
    }
    /// As a form or the database has it.
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or(Invalid::TicketStatus)
    }
    /// Unknown values read as Open: the ticket stays in front of staff.
    pub fn from_db(s: &str) -> Self {
        Self::parse(s).unwrap_or(TicketStatus::Open)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Priority {
    Low,
    Medium,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or(Invalid::TicketPriority)
    }
    pub fn from_db(s: &str) -> Self {
        Self::parse(s).unwrap_or(Priority::Medium)
    }
}

/// Limits and behaviour staff configure (`PORTICO_TICKET_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSettings {
    /// Largest attached file, in bytes.
    pub max_attachment_bytes: usize,
    /// Files per message.
    pub max_attachments: usize,
    /// Allowed file extensions, lower case, without the dot.
    pub allowed_types: Vec<String>,
    /// An Answered ticket with no client reply for this many days is closed; 0 = never.
    pub auto_close_days: u32,
    /// A client's reply to a Closed ticket reopens it; otherwise it is refused.
    pub reopen_on_reply: bool,
    /// New tickets a client may open per hour.
    pub max_new_per_hour: u32,
}

impl Default for TicketSettings {
    fn default() -> Self {
        Self {
            max_attachment_bytes: 5 * 1024 * 1024,
            max_attachments: 5,
            allowed_types: [
                "png", "jpg", "jpeg", "gif", "webp", "pdf", "txt", "log", "zip",
            ]
            .map(String::from)
            .to_vec(),
            auto_close_days: 7,
            reopen_on_reply: true,
            max_new_per_hour: 5,
        }
    }
}

impl TicketSettings {
    /// The most a message's form may carry, files and text together (the HTTP body limit).
    pub fn max_form_bytes(&self) -> usize {
        self.max_attachment_bytes * self.max_attachments + 256 * 1024
    }
}
