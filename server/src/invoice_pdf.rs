//! `/invoices/{id}/pdf`: the invoice as a PDF download, in the client's language. A client gets
//! only their own invoices (another's is 404, like the page); staff get any.
use crate::AppState;
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use domain::{
    accounts::{Permission, Viewer},
    billing::{invoices, pdf::invoice_pdf},
    DomainError,
};

pub async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Response {
    // Signed-out visitors were sent to sign in by the middleware already.
    let Some(user) = viewer.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(id) = id.parse::<i32>() else {
        return (StatusCode::NOT_FOUND, "invoice not found").into_response();
    };
    let db = &state.services.db;
    let found = if user.acts_as_staff() {
        invoices::get_any(db, id).await
    } else if user.can(Permission::Invoices) {
        invoices::get(db, user.client_id, id).await
    } else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let detail = match found {
        Ok(d) => d,
        Err(DomainError::NotFound) => {
            return (StatusCode::NOT_FOUND, "invoice not found").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "loading an invoice for its PDF");
            return crate::security::internal_error();
        }
    };
    // In the reader's language: a client reads their own invoices, staff read in theirs.
    let pdf = invoice_pdf(&detail, user.language, &state.services.billing.issuer);
    // Numbers are made of the configured format: keep the file name to safe characters.
    let name: String = detail
        .summary
        .number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"invoice-{name}.pdf\""))
            .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        pdf,
    )
        .into_response()
}
