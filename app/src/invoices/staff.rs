//! Staff: every client's invoices, recording bank transfers and refunding to credit. Each
//! server function checks the staff role first (401 signed out, 403 for clients).
use super::{InvoiceDetail, InvoiceRow};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInvoiceRow {
    pub row: InvoiceRow,
    pub client_name: String,
    pub client_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInvoiceList {
    pub items: Vec<StaffInvoiceRow>,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInvoice {
    pub detail: InvoiceDetail,
    pub client_name: String,
    pub client_email: String,
    /// Fresh keys for the payment and refund forms: a resubmitted form records nothing twice.
    pub payment_key: String,
    pub refund_key: String,
}

#[server(prefix = "/_fn", endpoint = "staff_list_invoices")]
pub async fn staff_list_invoices(
    status: Option<String>,
    q: Option<String>,
    page: Option<u64>,
) -> Result<StaffInvoiceList, AppError> {
    use super::InvoiceStatus;
    use crate::auth::ssr;
    ssr::require_staff()?;
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            InvoiceStatus::from_code(code)
                .ok_or(AppError::BadRequest)?
                .into(),
        ),
    };
    let svc = ssr::services()?;
    let p = domain::billing::invoices::list_all(
        &svc.db,
        status,
        q.as_deref().unwrap_or_default(),
        page.unwrap_or(1),
    )
    .await?;
    Ok(StaffInvoiceList {
        pages: p.pages(),
        page: p.page,
        items: p
            .items
            .into_iter()
            .map(|i| StaffInvoiceRow {
                row: i.summary.into(),
                client_name: i.client_name,
                client_email: i.client_email,
            })
            .collect(),
    })
}

#[server(prefix = "/_fn", endpoint = "staff_get_invoice")]
pub async fn staff_get_invoice(id: i32) -> Result<StaffInvoice, AppError> {
    use crate::auth::ssr;
    use domain::billing::{invoices, payments::new_form_key};
    ssr::require_staff()?;
    let svc = ssr::services()?;
    let detail = invoices::get_any(&svc.db, id).await?;
    let client = invoices::client_of(&svc.db, id).await?;
    Ok(StaffInvoice {
        detail: detail.into(),
        client_name: client.name,
        client_email: client.email,
        payment_key: new_form_key(),
        refund_key: new_form_key(),
    })
}

/// Staff record money received by bank transfer.
#[server(prefix = "/_fn", endpoint = "staff_record_payment")]
pub async fn staff_record_payment(
    id: i32,
    amount: String,
    reference: String,
    key: String,
) -> Result<(), AppError> {
    use crate::{auth::ssr, error::InvalidInput};
    use domain::billing::payments::{self, PaymentOutcome};
    let staff = ssr::require_staff()?;
    let cents = payments::parse_amount(&amount).ok_or(AppError::Invalid(InvalidInput::Amount))?;
    let svc = ssr::services()?;
    let out = payments::record_manual_payment(&svc, staff.id, id, cents, &reference, &key).await?;
    let done = match out {
        PaymentOutcome::Recorded { .. } => "payment",
        PaymentOutcome::Duplicate => "duplicate",
    };
    leptos_axum::redirect(&format!("/staff/invoices/{id}?done={done}"));
    Ok(())
}

/// Staff refund part or all of what was paid, to the client's credit or back to the card.
#[server(prefix = "/_fn", endpoint = "staff_refund_invoice")]
pub async fn staff_refund_invoice(
    id: i32,
    amount: String,
    reason: String,
    key: String,
    destination: Option<String>,
) -> Result<(), AppError> {
    use crate::{auth::ssr, error::InvalidInput};
    use domain::billing::payments;
    let staff = ssr::require_staff()?;
    let cents = payments::parse_amount(&amount).ok_or(AppError::Invalid(InvalidInput::Amount))?;
    let svc = ssr::services()?;
    let fresh = match destination.as_deref() {
        None | Some("credit") => {
            payments::refund_to_credit(&svc, staff.id, id, cents, &reason, &key).await?
        }
        Some("card") => payments::refund_to_card(&svc, staff.id, id, cents, &reason, &key).await?,
        Some(_) => return Err(AppError::BadRequest),
    };
    let done = if fresh { "refund" } else { "duplicate" };
    leptos_axum::redirect(&format!("/staff/invoices/{id}?done={done}"));
    Ok(())
}
