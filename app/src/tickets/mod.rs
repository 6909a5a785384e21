//! Support tickets: DTOs and the client's server functions. Opening a ticket and replying carry
//! files, so they are plain multipart forms handled by the server (`/tickets/new`,
//! `/tickets/{id}/messages`); everything else is a server function.
mod pages;
mod staff;
mod staff_pages;
pub mod texts;
mod upload;

pub use pages::{NewTicketPage, TicketListPage, TicketPage};
pub use staff_pages::{StaffTicketPage, StaffTicketQueuePage, StaffTicketSettingsPage};

use crate::{error::AppError, i18n::Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use texts::TicketTexts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketState {
    Open,
    Answered,
    CustomerReply,
    OnHold,
    Closed,
}

impl TicketState {
    pub const ALL: [TicketState; 5] = [
        TicketState::Open,
        TicketState::Answered,
        TicketState::CustomerReply,
        TicketState::OnHold,
        TicketState::Closed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Answered => "answered",
            TicketState::CustomerReply => "customer_reply",
            TicketState::OnHold => "on_hold",
            TicketState::Closed => "closed",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label(self, t: &TicketTexts) -> &'static str {
        match self {
            TicketState::Open => t.st_open,
            TicketState::Answered => t.st_answered,
            TicketState::CustomerReply => t.st_customer_reply,
            TicketState::OnHold => t.st_on_hold,
            TicketState::Closed => t.st_closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketPriority {
    Low,
    Medium,
    High,
    Urgent,
}

impl TicketPriority {
    pub const ALL: [TicketPriority; 4] = [
        TicketPriority::Low,
        TicketPriority::Medium,
        TicketPriority::High,
        TicketPriority::Urgent,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TicketPriority::Low => "low",
            TicketPriority::Medium => "medium",
            TicketPriority::High => "high",
            TicketPriority::Urgent => "urgent",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label(self, t: &TicketTexts) -> &'static str {
        match self {
            TicketPriority::Low => t.pr_low,
            TicketPriority::Medium => t.pr_medium,
            TicketPriority::High => t.pr_high,
            TicketPriority::Urgent => t.pr_urgent,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentDto {
    pub id: i32,
    pub name_en: String,
    pub name_es: String,
    pub description_en: String,
    pub description_es: String,
    pub position: i32,
    pub active: bool,
}

impl DepartmentDto {
    pub fn name(&self, l: Locale) -> String {
        match l {
            Locale::En => self.name_en.clone(),
            Locale::Es => self.name_es.clone(),
        }
    }
    pub fn description(&self, l: Locale) -> String {
        match l {
            Locale::En => self.description_en.clone(),
            Locale::Es => self.description_es.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    pub id: i32,
    pub subject: String,
    pub status: TicketState,
    pub priority: TicketPriority,
    pub department: DepartmentDto,
    pub service_id: Option<i32>,
    pub service_domain: Option<String>,
    pub client_name: String,
    pub assigned_to: Option<i32>,
    pub assigned_name: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketListDto {
    pub items: Vec<TicketRow>,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDto {
    pub id: i32,
    pub filename: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDto {
    pub id: i32,
    pub author_name: String,
    pub from_staff: bool,
    pub internal: bool,
    pub body: String,
    pub created_at: String,
    pub attachments: Vec<AttachmentDto>,
}

/// What the attachment field says about its limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    pub max_files: usize,
    pub max_mb: usize,
    pub types: Vec<String>,
}

impl UploadLimits {
    pub fn hint(&self, l: Locale) -> String {
        let types = self.types.join(", ");
        match l {
            Locale::En => format!(
                "Up to {} files of at most {} MB each. Allowed types: {types}.",
                self.max_files, self.max_mb
            ),
            Locale::Es => format!(
                "Hasta {} archivos de {} MB como máximo cada uno. Tipos permitidos: {types}.",
                self.max_files, self.max_mb
            ),
        }
    }
    pub fn accept(&self) -> String {
        self.types
            .iter()
            .map(|t| format!(".{t}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadDto {
    pub ticket: TicketRow,
    pub messages: Vec<MessageDto>,
    /// A reply is possible (a closed ticket takes one only when replies reopen tickets).
    pub can_reply: bool,
    pub reopens: bool,
    pub limits: UploadLimits,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFormDto {
    pub departments: Vec<DepartmentDto>,
    /// The client's services: (id, domain).
    pub services: Vec<(i32, String)>,
    pub limits: UploadLimits,
    /// A fresh key for this form: sending it twice opens one ticket.
    pub form_key: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use super::*;
    use domain::support as d;

    pub fn state(s: d::TicketStatus) -> TicketState {
        match s {
            d::TicketStatus::Open => TicketState::Open,
            d::TicketStatus::Answered => TicketState::Answered,
            d::TicketStatus::CustomerReply => TicketState::CustomerReply,
            d::TicketStatus::OnHold => TicketState::OnHold,
            d::TicketStatus::Closed => TicketState::Closed,
        }
    }

    pub fn priority(p: d::Priority) -> TicketPriority {
        match p {
            d::Priority::Low => TicketPriority::Low,
            d::Priority::Medium => TicketPriority::Medium,
            d::Priority::High => TicketPriority::High,
            d::Priority::Urgent => TicketPriority::Urgent,
        }
    }

    pub fn department(x: d::departments::Department) -> DepartmentDto {
        DepartmentDto {
            id: x.id,
            name_en: x.name_en,
            name_es: x.name_es,
            description_en: x.description_en,
            description_es: x.description_es,
            position: x.position,
            active: x.active,
        }
    }

    pub fn row(t: d::TicketSummary) -> TicketRow {
        TicketRow {
            id: t.id,
            status: state(t.status),
            priority: priority(t.priority),
            department: department(t.department),
            service_id: t.service_id,
            service_domain: t.service_domain,
            client_name: t.client_name,
            assigned_to: t.assigned_to,
            assigned_name: t.assigned_name,
            created_at: t.created_at.to_rfc3339(),
            updated_at: t.updated_at.to_rfc3339(),
            unread: t.unread,
            subject: t.subject,
        }
    }

    pub fn list(p: domain::Page<d::TicketSummary>) -> TicketListDto {
        TicketListDto {
            pages: p.pages(),
            page: p.page,
            items: p.items.into_iter().map(row).collect(),
        }
    }

    pub fn message(m: d::Message) -> MessageDto {
        MessageDto {
            id: m.id,
            author_name: m.author_name,
            from_staff: m.from_staff,
            internal: m.internal,
            body: m.body,
            created_at: m.created_at.to_rfc3339(),
            attachments: m
                .attachments
                .into_iter()
                .map(|a| AttachmentDto {
                    id: a.id,
                    filename: a.filename,
                    size: a.size,
                })
                .collect(),
        }
    }

    pub fn limits(s: &d::TicketSettings) -> UploadLimits {
        UploadLimits {
            max_files: s.max_attachments,
            max_mb: s.max_attachment_bytes / (1024 * 1024),
            types: s.allowed_types.clone(),
        }
    }

    pub fn thread(t: d::Thread, s: &d::TicketSettings) -> ThreadDto {
        let closed = t.ticket.status == d::TicketStatus::Closed;
        ThreadDto {
            ticket: row(t.ticket),
            messages: t.messages.into_iter().map(message).collect(),
            can_reply: !closed || s.reopen_on_reply,
            reopens: closed && s.reopen_on_reply,
            limits: limits(s),
        }
    }
}

#[server(prefix = "/_fn", endpoint = "ticket_list")]
pub async fn ticket_list(
    status: Option<String>,
    page: Option<u64>,
) -> Result<TicketListDto, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Tickets)?;
    let svc = ssr::services()?;
    let status = status
        .filter(|s| !s.is_empty())
        .map(|s| domain::support::TicketStatus::parse(&s))
        .transpose()
        .map_err(domain::DomainError::from)?;
    let p = domain::support::list_for_client(&svc.db, user.client_id, status, page.unwrap_or(1))
        .await?;
    Ok(convert::list(p))
}

#[server(prefix = "/_fn", endpoint = "ticket_form")]
pub async fn ticket_form() -> Result<TicketFormDto, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Tickets)?;
    let svc = ssr::services()?;
    Ok(TicketFormDto {
        departments: domain::support::departments::list_active(&svc.db)
            .await?
            .into_iter()
            .map(convert::department)
            .collect(),
        // A contact who may not see services does not get their names here either.
        services: if user.can(domain::accounts::Permission::Services) {
            domain::support::services_of(&svc.db, user.client_id).await?
        } else {
            Vec::new()
        },
        limits: convert::limits(&svc.tickets),
        form_key: domain::accounts::new_token(),
    })
}

#[server(prefix = "/_fn", endpoint = "ticket_thread")]
pub async fn ticket_thread(id: i32) -> Result<ThreadDto, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Tickets)?;
    let svc = ssr::services()?;
    let t = domain::support::thread_for_client(&svc, user.client_id, id).await?;
    Ok(convert::thread(t, &svc.tickets))
}

#[server(prefix = "/_fn", endpoint = "close_ticket")]
pub async fn close_ticket(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Tickets)?;
    let svc = ssr::services()?;
    domain::support::close_by_client(&svc, user.client_id, id).await?;
    leptos_axum::redirect(&format!("/tickets/{id}?closed=1"));
    Ok(())
}

/// The error a plain form post was sent back with (`?error=`), as the server named it.
pub fn error_from_query(raw: Option<String>) -> Option<AppError> {
    raw.and_then(|r| serde_json::from_str::<AppError>(&r).ok())
}

/// "12.3 KB": a file size for people.
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
