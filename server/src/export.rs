//! `/account/export`: the signed-in client's data as a JSON download.
use crate::AppState;
use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use domain::accounts::Viewer;

pub async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Response {
    // Signed-out visitors were sent to sign in by the middleware already.
    let Some(user) = viewer.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // The account's data is its owner's: a contact cannot take it all away.
    if user.is_contact() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let data = match domain::accounts::export::collect(&state.services, user.id).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "exporting a client's data");
            return crate::security::internal_error();
        }
    };
    let body = serde_json::to_vec_pretty(&data).unwrap_or_default();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"portico-data.json\""),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response()
}
