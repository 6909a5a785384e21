//! Staff ticket server functions: the queue, one ticket, its changes, and the settings
//! (departments, canned responses, signature). Each checks the staff role first.
#[cfg(feature = "ssr")]
use super::convert;
use super::{DepartmentDto, ThreadDto, TicketListDto};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedDto {
    pub id: i32,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffQueue {
    pub list: TicketListDto,
    pub departments: Vec<DepartmentDto>,
    /// (id, name)
    pub staff: Vec<(i32, String)>,
    pub me: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTicketDto {
    pub thread: ThreadDto,
    pub departments: Vec<DepartmentDto>,
    pub staff: Vec<(i32, String)>,
    pub canned: Vec<CannedDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSettingsDto {
    pub departments: Vec<DepartmentDto>,
    pub canned: Vec<CannedDto>,
    pub signature: String,
}

#[cfg(feature = "ssr")]
mod ssr_only {
    use super::*;
    use domain::{support as d, DomainError};

    pub async fn departments(svc: &domain::Services) -> Result<Vec<DepartmentDto>, AppError> {
        Ok(d::departments::list_all(&svc.db)
            .await?
            .into_iter()
            .map(convert::department)
            .collect())
    }

    pub async fn canned(svc: &domain::Services) -> Result<Vec<CannedDto>, AppError> {
        Ok(d::canned::list(&svc.db)
            .await?
            .into_iter()
            .map(|c| CannedDto {
                id: c.id,
                title: c.title,
                body: c.body,
            })
            .collect())
    }

    /// An optional id from a form: empty is none, anything else must be a number.
    pub fn opt_id(raw: Option<String>) -> Result<Option<i32>, AppError> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| AppError::BadRequest),
        }
    }

    pub fn invalid(e: domain::error::Invalid) -> AppError {
        AppError::from(DomainError::from(e))
    }
}

#[server(prefix = "/_fn", endpoint = "staff_ticket_queue")]
pub async fn staff_ticket_queue(
    department: Option<String>,
    status: Option<String>,
    priority: Option<String>,
    assigned: Option<String>,
    page: Option<u64>,
) -> Result<StaffQueue, AppError> {
    use crate::auth::ssr;
    use domain::support as d;
    use ssr_only::*;
    let me = ssr::require_staff()?;
    let svc = ssr::services()?;
    let status = match status.as_deref().unwrap_or("") {
        "" | "active" => d::StatusFilter::Active,
        "all" => d::StatusFilter::All,
        s => d::StatusFilter::Only(d::TicketStatus::parse(s).map_err(invalid)?),
    };
    let priority = match priority.as_deref().unwrap_or("") {
        "" => None,
        p => Some(d::Priority::parse(p).map_err(invalid)?),
    };
    let assigned = match assigned.as_deref().unwrap_or("") {
        "" => None,
        "none" => Some(d::Assigned::Nobody),
        a => Some(d::Assigned::To(
            a.parse().map_err(|_| AppError::BadRequest)?,
        )),
    };
    let filter = d::QueueFilter {
        department: opt_id(department)?,
        status,
        priority,
        assigned,
    };
    let list = d::queue(&svc.db, filter, page.unwrap_or(1)).await?;
    Ok(StaffQueue {
        list: convert::list(list),
        departments: departments(&svc).await?,
        staff: d::staff_members(&svc.db).await?,
        me: me.id,
    })
}

#[server(prefix = "/_fn", endpoint = "staff_ticket")]
pub async fn staff_ticket(id: i32) -> Result<StaffTicketDto, AppError> {
    use crate::auth::ssr;
    use domain::support as d;
    use ssr_only::*;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let thread = d::thread_for_staff(&svc, id).await?;
    Ok(StaffTicketDto {
        thread: convert::thread(thread, &svc.tickets),
        departments: departments(&svc).await?,
        staff: d::staff_members(&svc.db).await?,
        canned: canned(&svc).await?,
    })
}

#[server(prefix = "/_fn", endpoint = "staff_update_ticket")]
pub async fn staff_update_ticket(
    id: i32,
    status: String,
    priority: String,
    department: i32,
    assigned: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::support as d;
    use ssr_only::*;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let change = d::TicketChange {
        status: d::TicketStatus::parse(&status).map_err(invalid)?,
        priority: d::Priority::parse(&priority).map_err(invalid)?,
        department_id: department,
        assigned_to: opt_id(assigned)?,
    };
    d::change(&svc, id, change).await?;
    leptos_axum::redirect(&format!("/staff/tickets/{id}?saved=1"));
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_ticket_settings")]
pub async fn staff_ticket_settings() -> Result<TicketSettingsDto, AppError> {
    use crate::auth::ssr;
    use ssr_only::*;
    let me = ssr::require_staff()?;
    let svc = ssr::services()?;
    Ok(TicketSettingsDto {
        departments: departments(&svc).await?,
        canned: canned(&svc).await?,
        signature: domain::support::signature(&svc.db, me.id)
            .await?
            .unwrap_or_default(),
    })
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_fn", endpoint = "staff_save_department")]
pub async fn staff_save_department(
    id: Option<String>,
    name_en: String,
    name_es: String,
    description_en: String,
    description_es: String,
    position: Option<String>,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::support::departments as d;
    use ssr_only::*;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let input = d::DepartmentInput {
        name_en,
        name_es,
        description_en,
        description_es,
        position: match position.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(p) => p
                .parse()
                .map_err(|_| invalid(domain::error::Invalid::Department))?,
        },
        active: active.is_some(),
    };
    match opt_id(id)? {
        Some(id) => d::update(&svc.db, id, &input).await?,
        None => {
            d::create(&svc.db, &input, svc.now()).await?;
        }
    }
    leptos_axum::redirect("/staff/tickets/settings?saved=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_save_canned")]
pub async fn staff_save_canned(
    id: Option<String>,
    title: String,
    body: String,
) -> Result<(), AppError> {
    use crate::auth::ssr;
    use domain::support::canned as c;
    use ssr_only::*;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    match opt_id(id)? {
        Some(id) => c::update(&svc.db, id, &title, &body, svc.now()).await?,
        None => {
            c::create(&svc.db, &title, &body, svc.now()).await?;
        }
    }
    leptos_axum::redirect("/staff/tickets/settings?saved=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_delete_canned")]
pub async fn staff_delete_canned(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::support::canned::delete(&svc.db, id).await?;
    leptos_axum::redirect("/staff/tickets/settings?deleted=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "staff_save_signature")]
pub async fn staff_save_signature(signature: String) -> Result<(), AppError> {
    use crate::auth::ssr;
    let me = ssr::require_staff()?;
    let svc = ssr::services()?;
    domain::support::set_signature(&svc.db, me.id, &signature, svc.now()).await?;
    leptos_axum::redirect("/staff/tickets/settings?saved=1");
    Ok(())
}
