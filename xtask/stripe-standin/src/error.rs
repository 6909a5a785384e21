//! Stripe's error responses: `{"error": {"type": .., "code": .., "message": .., "param": ..}}`.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) error: Map<String, Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> Self {
        let mut error = Map::new();
        error.insert("message".into(), Value::String(message.into()));
        error.insert("type".into(), Value::String(kind.into()));
        ApiError { status, error }
    }

    /// 400 invalid_request_error.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request_error", message)
    }

    /// 401: no key, a bad key, or a publishable key where a secret one is needed.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_request_error", message)
    }

    /// 404 resource_missing for an id in the URL path, e.g. "No such payment_intent: 'pi_x'".
    pub(crate) fn no_such(label: &str, id: &str, param: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!("No such {label}: '{id}'"),
        )
        .code("resource_missing")
        .param(param)
    }

    /// 400 resource_missing for an id given as a parameter.
    pub(crate) fn no_such_param(label: &str, id: &str, param: &str) -> Self {
        Self::no_such(label, id, param).status(StatusCode::BAD_REQUEST)
    }

    pub(crate) fn code(mut self, code: &str) -> Self {
        self.error.insert("code".into(), Value::String(code.into()));
        self.error.insert(
            "doc_url".into(),
            Value::String(format!(
                "https://stripe.com/docs/error-codes/{}",
                code.replace('_', "-")
            )),
        );
        self
    }

    pub(crate) fn param(mut self, param: &str) -> Self {
        self.error
            .insert("param".into(), Value::String(param.into()));
        self
    }

    pub(crate) fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn with(mut self, key: &str, value: Value) -> Self {
        self.error.insert(key.into(), value);
        self
    }

    pub(crate) fn body(&self) -> Value {
        json!({ "error": Value::Object(self.error.clone()) })
    }
}
