//! Invoices as staff see them: every client's, searchable.
use super::{summary, InvoiceStatus, InvoiceSummary, INVOICES_PER_PAGE};
use crate::{
    entities::{invoice, user},
    error::{DomainError, DomainResult},
    Page,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// An invoice in the staff list, with whom it bills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffInvoiceRow {
    pub summary: InvoiceSummary,
    pub client_id: i32,
    pub client_name: String,
    pub client_email: String,
}

/// Every client's invoices (never drafts), newest first: optionally of one status, and
/// matching `search` in the number or the billed name or email.
pub async fn list_all(
    db: &impl ConnectionTrait,
    status: Option<InvoiceStatus>,
    search: &str,
    page: u64,
) -> DomainResult<Page<StaffInvoiceRow>> {
    use sea_orm::Condition;
    let mut query =
        invoice::Entity::find().filter(invoice::Column::Status.ne(InvoiceStatus::Draft.as_str()));
    if let Some(st) = status {
        query = query.filter(invoice::Column::Status.eq(st.as_str()));
    }
    let search = search.trim();
    if !search.is_empty() {
        query = query.filter(
            Condition::any()
                .add(invoice::Column::Number.contains(search))
                .add(invoice::Column::BillToName.contains(search))
                .add(invoice::Column::BillToEmail.contains(search)),
        );
    }
    let total = query.clone().count(db).await?;
    let page = page.max(1);
    let rows = query
        .order_by_desc(invoice::Column::IssuedOn)
        .order_by_desc(invoice::Column::Id)
        .limit(INVOICES_PER_PAGE)
        .offset((page - 1) * INVOICES_PER_PAGE)
        .all(db)
        .await?;
    Ok(Page {
        items: rows
            .iter()
            .map(|i| {
                Ok(StaffInvoiceRow {
                    summary: summary(i)?,
                    client_id: i.client_id,
                    client_name: i.bill_to_name.clone(),
                    client_email: i.bill_to_email.clone(),
                })
            })
            .collect::<DomainResult<_>>()?,
        total,
        page,
        per_page: INVOICES_PER_PAGE,
    })
}

/// Whose invoice this is (for staff pages and the PDF's language).
pub async fn client_of(db: &impl ConnectionTrait, invoice_id: i32) -> DomainResult<user::Model> {
    let inv = invoice::Entity::find_by_id(invoice_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    user::Entity::find_by_id(inv.client_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}
