//! The `/v1` API: authentication, parameter checks, idempotency, and the handlers.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::error::ApiError;
use crate::form::{self, Params};
use crate::objects::{self, ChargeResult, Outcome, API_VERSION};
use crate::spec::{self, Endpoint, Op};
use crate::webhook::Delivery;
use crate::{position, CardState, Idempotent, Recorded, Shared, State};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Secret,
    Publishable,
}

/// The changes a request (or a 3-D Secure page) makes besides the state: the events it built,
/// with their webhook deliveries to queue once it has answered.
pub(crate) struct Effects<'a> {
    pub(crate) state: &'a mut State,
    pub(crate) base_url: &'a str,
    pub(crate) pending: &'a watch::Sender<usize>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) idempotency_key: Option<&'a str>,
    pub(crate) deliveries: Vec<Delivery>,
}

impl Effects<'_> {
    pub(crate) fn emit(&mut self, kind: &str, object: &Value, previous: Option<Value>) {
        let pending_webhooks = i64::from(self.state.webhook.is_some());
        let mut event = objects::event(
            kind,
            object,
            self.request_id,
            self.idempotency_key,
            pending_webhooks,
        );
        if let Some(previous) = previous {
            event["data"]["previous_attributes"] = previous;
        }
        if let Some(webhook) = &self.state.webhook {
            self.pending.send_modify(|n| *n += 1);
            self.deliveries.push(Delivery {
                url: webhook.url.clone(),
                secret: webhook.secret.clone(),
                payload: pretty(&event),
            });
        }
        self.state.events.push(event);
    }
}

struct Cx<'a> {
    fx: Effects<'a>,
    params: &'a Params,
    ids: &'a [String],
    key: Key,
}

type Answer = Result<Value, ApiError>;

pub(crate) fn pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

fn request_id() -> String {
    let id = objects::new_id("req");
    id[..18].to_string()
}

fn json_response(status: StatusCode, body: String, request_id: &str) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("stripe-version", HeaderValue::from_static(API_VERSION));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("request-id", v);
    }
    response
}

fn error_response(error: &ApiError, request_id: &str) -> Response {
    json_response(error.status, pretty(&error.body()), request_id)
}

/// Every request that no other route takes: the Stripe API.
pub(crate) async fn handle(
    Extract(shared): Extract<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = request_id();
    let path = uri.path().to_string();
    let unrecognized = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!(
                "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs \
                 or we can help at https://support.stripe.com/."
            ),
        )
    };
    if !path.starts_with("/v1/") {
        return error_response(&unrecognized(), &request_id);
    }
    let raw = if method == Method::GET {
        uri.query().unwrap_or("").to_string()
    } else {
        String::from_utf8_lossy(&body).into_owned()
    };
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let decoded = form::decode(&raw);
    shared.lock().requests.push(Recorded {
        method: method.to_string(),
        path: path.clone(),
        params: decoded.clone().unwrap_or_default(),
        idempotency_key: idempotency_key.clone(),
    });

    let key = match authenticate(&headers) {
        Ok(key) => key,
        Err(e) => return error_response(&e, &request_id),
    };
    let Some((endpoint, ids)) = spec::route(method.as_str(), &path) else {
        return error_response(&unrecognized(), &request_id);
    };
    if key == Key::Publishable && !endpoint.publishable {
        let e = ApiError::unauthorized(
            "This API call cannot be made with a publishable API key. Please use a secret API key. \
             You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
        );
        return error_response(&e, &request_id);
    }
    let pairs = match decoded {
        Ok(pairs) => pairs,
        Err(e) => return error_response(&e, &request_id),
    };
    if let Err(e) = spec::validate(endpoint, &pairs) {
        return error_response(&e, &request_id);
    }

    let idempotency_key = if method == Method::POST {
        idempotency_key
    } else {
        None
    };
    if let Some(k) = &idempotency_key {
        let begun = begin_idempotent(&mut shared.lock(), k, &path, &pairs);
        match begun {
            Begin::Fresh => {}
            Begin::Refused(e) => return error_response(&e, &request_id),
            Begin::Replay {
                status,
                body,
                original,
            } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                if endpoint.slow && !shared.latency.is_zero() {
                    tokio::time::sleep(shared.latency).await;
                }
                let mut response = json_response(status, body, &request_id);
                let h = response.headers_mut();
                h.insert("idempotent-replayed", HeaderValue::from_static("true"));
                h.insert(
                    "idempotency-key",
                    HeaderValue::from_str(k).expect("it was a header"),
                );
                if let Ok(v) = HeaderValue::from_str(&original) {
                    h.insert("original-request", v);
                }
                return response;
            }
        }
    }

    // The work runs in its own task: a client that hangs up mid-request does not cancel it.
    let task = tokio::spawn(run(
        shared.clone(),
        endpoint,
        ids,
        pairs,
        key,
        request_id.clone(),
        idempotency_key.clone(),
    ));
    let mut response = match task.await {
        Ok((status, body)) => json_response(status, body, &request_id),
        Err(e) => {
            let why = match e.try_into_panic() {
                Ok(panic) => panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default(),
                Err(_) => "cancelled".into(),
            };
            let e = ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "api_error",
                format!("The Stripe stand-in failed: {why}"),
            );
            error_response(&e, &request_id)
        }
    };
    if let Some(k) = &idempotency_key {
        if let Ok(v) = HeaderValue::from_str(k) {
            response.headers_mut().insert("idempotency-key", v);
        }
    }
    response
}

async fn run(
    shared: Arc<Shared>,
    endpoint: &'static Endpoint,
    ids: Vec<String>,
    pairs: Vec<(String, String)>,
    key: Key,
    request_id: String,
    idempotency_key: Option<String>,
) -> (StatusCode, String) {
    let params = Params::new(pairs.clone(), endpoint.reads);
    let (status, body, deliveries) = {
        let mut state = shared.lock();
        let mut cx = Cx {
            fx: Effects {
                state: &mut state,
                base_url: &shared.base_url,
                pending: &shared.pending,
                request_id: Some(&request_id),
                idempotency_key: idempotency_key.as_deref(),
                deliveries: Vec::new(),
            },
            params: &params,
            ids: &ids,
            key,
        };
        let (status, value) = match dispatch(endpoint.op, &mut cx) {
            Ok(value) => (StatusCode::OK, value),
            Err(e) => (e.status, e.body()),
        };
        let deliveries = std::mem::take(&mut cx.fx.deliveries);
        let body = pretty(&value);
        if let Some(k) = &idempotency_key {
            // Kept at once, in the same lock as the work: a retry that arrives while this
            // request still waits out its latency gets this answer replayed.
            state.idempotency.insert(
                k.clone(),
                Idempotent::Done {
                    path: endpoint_path(&ids, endpoint),
                    params: sorted(pairs),
                    status: status.as_u16(),
                    body: body.clone(),
                    request_id: request_id.clone(),
                },
            );
        }
        (status, body, deliveries)
    };
    if endpoint.slow && !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    let caused_events = !deliveries.is_empty();
    for delivery in deliveries {
        let _ = shared.outbox.send(delivery);
    }
    if caused_events && shared.events_before_answer {
        let mut pending = shared.pending.subscribe();
        let _ = pending.wait_for(|n| *n == 0).await;
    }
    (status, body)
}

/// The concrete path an endpoint was called with, rebuilt from its template and ids.
fn endpoint_path(ids: &[String], endpoint: &Endpoint) -> String {
    let mut ids = ids.iter();
    endpoint
        .template
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                ids.next().map_or("", String::as_str)
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

enum Begin {
    Fresh,
    Replay {
        status: u16,
        body: String,
        original: String,
    },
    Refused(ApiError),
}

fn begin_idempotent(state: &mut State, key: &str, path: &str, pairs: &[(String, String)]) -> Begin {
    let path = path.trim_end_matches('/');
    let params = sorted(pairs.to_vec());
    let Some(entry) = state.idempotency.get(key) else {
        state.idempotency.insert(
            key.to_string(),
            Idempotent::InProgress {
                path: path.to_string(),
                params,
            },
        );
        return Begin::Fresh;
    };
    let (first_path, first_params) = match entry {
        Idempotent::InProgress { path, params } | Idempotent::Done { path, params, .. } => {
            (path, params)
        }
    };
    let idempotency_error =
        |message: String| ApiError::new(StatusCode::BAD_REQUEST, "idempotency_error", message);
    if first_path != path {
        return Begin::Refused(idempotency_error(format!(
            "Keys for idempotent requests can only be used for the same endpoint they were first \
             used for ('{first_path}' vs '{path}'). Try using a key other than '{key}' if you \
             meant to execute a different request."
        )));
    }
    if *first_params != params {
        return Begin::Refused(idempotency_error(format!(
            "Keys for idempotent requests can only be used with the same parameters they were \
             first used with. Try using a key other than '{key}' if you meant to execute a \
             different request."
        )));
    }
    match entry {
        Idempotent::InProgress { .. } => Begin::Refused(
            idempotency_error(format!(
                "There is currently another in-progress request using this Idempotent Key (that \
                 probably means you submitted twice, and the other request is still going \
                 through): {key}. Please try again later."
            ))
            .code("idempotency_key_in_use")
            .status(StatusCode::CONFLICT),
        ),
        Idempotent::Done {
            status,
            body,
            request_id,
            ..
        } => Begin::Replay {
            status: *status,
            body: body.clone(),
            original: request_id.clone(),
        },
    }
}

const NO_KEY: &str = "You did not provide an API key. You need to provide your API key in the \
    Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See \
    https://stripe.com/docs/api#authentication for details, or we can help at \
    https://support.stripe.com/.";

fn authenticate(headers: &HeaderMap) -> Result<Key, ApiError> {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(ApiError::unauthorized(NO_KEY));
    };
    let value = value.trim();
    let token = if let Some(token) = value.strip_prefix("Bearer ") {
        token.trim().to_string()
    } else if let Some(basic) = value.strip_prefix("Basic ") {
        // `curl -u sk_test_...:` sends the key as the basic-auth user name.
        let decoded = base64_decode(basic.trim()).unwrap_or_default();
        decoded.split(':').next().unwrap_or("").to_string()
    } else {
        value.to_string()
    };
    if token.is_empty() {
        return Err(ApiError::unauthorized(NO_KEY));
    }
    let valid = |prefix: &str| token.len() > prefix.len() && token.starts_with(prefix);
    if valid("sk_test_") || valid("rk_test_") {
        Ok(Key::Secret)
    } else if valid("pk_test_") {
        Ok(Key::Publishable)
    } else {
        let mut message = format!("Invalid API Key provided: {}", mask(&token));
        if token.contains("_live_") {
            message.push_str(" (the Stripe stand-in takes test-mode keys only)");
        }
        Err(ApiError::unauthorized(message))
    }
}

fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 12 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 12))
}

fn base64_decode(input: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in input.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(out).ok()
}

fn dispatch(op: Op, cx: &mut Cx<'_>) -> Answer {
    let mut value = match op {
        Op::CreateCustomer => create_customer(cx),
        Op::GetCustomer => get(cx, Kind::Customer),
        Op::ListCustomerPaymentMethods => list_customer_payment_methods(cx),
        Op::CreateSetupIntent => create_setup_intent(cx),
        Op::GetSetupIntent => get_with_client_secret(cx, Kind::SetupIntent),
        Op::ConfirmSetupIntent => confirm_setup_intent(cx),
        Op::ListPaymentMethods => list_payment_methods(cx),
        Op::GetPaymentMethod => get(cx, Kind::PaymentMethod),
        Op::DetachPaymentMethod => detach_payment_method(cx),
        Op::CreatePaymentIntent => create_payment_intent(cx),
        Op::ListPaymentIntents => list_payment_intents(cx),
        Op::GetPaymentIntent => get_with_client_secret(cx, Kind::PaymentIntent),
        Op::ConfirmPaymentIntent => confirm_payment_intent(cx),
        Op::CancelPaymentIntent => cancel_payment_intent(cx),
        Op::CreateRefund => create_refund(cx),
        Op::GetRefund => get(cx, Kind::Refund),
        Op::GetCharge => get(cx, Kind::Charge),
        Op::GetEvent => get(cx, Kind::Event),
    }?;
    for path in cx.params.expand() {
        let segments: Vec<&str> = path.split('.').collect();
        expand(cx.fx.state, &mut value, &segments);
    }
    Ok(value)
}

/// Replaces ids by their objects along a dotted `expand[]` path (`data.latest_charge` in lists).
fn expand(state: &State, value: &mut Value, segments: &[&str]) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    if let Value::Array(items) = value {
        for item in items {
            expand(state, item, segments);
        }
        return;
    }
    let Some(field) = value.get_mut(*first) else {
        return;
    };
    if let Some(object) = field.as_str().and_then(|id| state.lookup(id)) {
        *field = object;
    }
    expand(state, field, rest);
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Customer,
    SetupIntent,
    PaymentMethod,
    PaymentIntent,
    Charge,
    Refund,
    Event,
}

impl Kind {
    /// The name in Stripe's "No such ..." messages, and the path parameter.
    fn label(self) -> (&'static str, &'static str) {
        match self {
            Kind::Customer => ("customer", "customer"),
            Kind::SetupIntent => ("setupintent", "intent"),
            Kind::PaymentMethod => ("PaymentMethod", "payment_method"),
            Kind::PaymentIntent => ("payment_intent", "intent"),
            Kind::Charge => ("charge", "charge"),
            Kind::Refund => ("refund", "refund"),
            Kind::Event => ("event", "id"),
        }
    }

    fn list(self, state: &State) -> &Vec<Value> {
        match self {
            Kind::Customer => &state.customers,
            Kind::SetupIntent => &state.setup_intents,
            Kind::PaymentMethod => &state.payment_methods,
            Kind::PaymentIntent => &state.payment_intents,
            Kind::Charge => &state.charges,
            Kind::Refund => &state.refunds,
            Kind::Event => &state.events,
        }
    }
}

/// The index of the object the URL path names, or Stripe's 404.
fn find(cx: &Cx<'_>, kind: Kind) -> Result<usize, ApiError> {
    let id = cx.ids.first().map_or("", String::as_str);
    position(kind.list(cx.fx.state), id).ok_or_else(|| {
        let (label, param) = kind.label();
        ApiError::no_such(label, id, param)
    })
}

fn get(cx: &mut Cx<'_>, kind: Kind) -> Answer {
    let i = find(cx, kind)?;
    Ok(kind.list(cx.fx.state)[i].clone())
}

/// With a publishable key the object's client_secret must come along; with a secret key a
/// client_secret that is given must still match.
fn check_client_secret(cx: &Cx<'_>, object: &Value, what: &str) -> Result<(), ApiError> {
    match (cx.key, cx.params.non_empty("client_secret")) {
        (Key::Publishable, None) => Err(ApiError::unauthorized(format!(
            "A publishable API key can only be used here with the {what}'s `client_secret`."
        ))),
        (_, Some(secret)) if object["client_secret"] != secret => Err(ApiError::invalid(format!(
            "The client_secret provided does not match the client_secret associated with the {what}."
        ))
        .param("client_secret")),
        _ => Ok(()),
    }
}

fn get_with_client_secret(cx: &mut Cx<'_>, kind: Kind) -> Answer {
    let object = get(cx, kind)?;
    let what = if matches!(kind, Kind::SetupIntent) {
        "SetupIntent"
    } else {
        "PaymentIntent"
    };
    check_client_secret(cx, &object, what)?;
    Ok(object)
}

/// A list page, newest first, with Stripe's cursor parameters.
fn page(cx: &Cx<'_>, items: Vec<Value>, url: &str) -> Answer {
    let limit = cx.params.int("limit")?.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid(
            "This value must be greater than or equal to 1 and less than or equal to 100.",
        )
        .code("parameter_invalid_integer")
        .param("limit"));
    }
    let limit = limit as usize;
    let mut items: Vec<Value> = items.into_iter().rev().collect();
    let cursor = |items: &[Value], param: &str, id: &str| {
        position(items, id).ok_or_else(|| ApiError::no_such_param("object", id, param))
    };
    if let Some(after) = cx.params.non_empty("starting_after") {
        let at = cursor(&items, "starting_after", after)?;
        items.drain(..=at);
    }
    let has_more;
    if let Some(before) = cx.params.non_empty("ending_before") {
        let at = cursor(&items, "ending_before", before)?;
        items.truncate(at);
        has_more = items.len() > limit;
        let skip = items.len().saturating_sub(limit);
        items.drain(..skip);
    } else {
        has_more = items.len() > limit;
        items.truncate(limit);
    }
    Ok(json!({"object": "list", "data": items, "has_more": has_more, "url": url}))
}

fn customer_param(cx: &Cx<'_>) -> Result<Option<String>, ApiError> {
    match cx.params.non_empty("customer") {
        None => Ok(None),
        Some(id) if position(&cx.fx.state.customers, id).is_some() => Ok(Some(id.to_string())),
        Some(id) => Err(ApiError::no_such_param("customer", id, "customer")),
    }
}

fn one_of(cx: &Cx<'_>, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    match cx.params.non_empty(name) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
        Some(v) => Err(ApiError::invalid(format!(
            "Invalid {name}: must be one of {} (got {v})",
            allowed.join(", ")
        ))
        .param(name)),
    }
}

fn create_customer(cx: &mut Cx<'_>) -> Answer {
    let p = cx.params;
    let customer = objects::customer(objects::NewCustomer {
        email: p.non_empty("email"),
        name: p.non_empty("name"),
        description: p.non_empty("description"),
        phone: p.non_empty("phone"),
        metadata: p.map("metadata"),
    });
    cx.fx.state.customers.push(customer.clone());
    Ok(customer)
}

fn payment_method_filter(cx: &Cx<'_>, customer: Option<&str>) -> Vec<Value> {
    // Only cards exist here, so another type simply lists nothing.
    let kind = cx.params.non_empty("type").map(str::to_string);
    cx.fx
        .state
        .payment_methods
        .iter()
        .filter(|pm| customer.is_none_or(|c| pm["customer"] == c))
        .filter(|pm| kind.as_ref().is_none_or(|k| pm["type"] == k.as_str()))
        .cloned()
        .collect()
}

fn list_customer_payment_methods(cx: &mut Cx<'_>) -> Answer {
    let i = find(cx, Kind::Customer)?;
    let id = cx.fx.state.customers[i]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let items = payment_method_filter(cx, Some(&id));
    page(cx, items, &format!("/v1/customers/{id}/payment_methods"))
}

fn list_payment_methods(cx: &mut Cx<'_>) -> Answer {
    let customer = customer_param(cx)?;
    let items = payment_method_filter(cx, customer.as_deref());
    page(cx, items, "/v1/payment_methods")
}

/// A test PaymentMethod name (`pm_card_visa`) makes a new PaymentMethod, as in Stripe; an
/// existing PaymentMethod id is used as it is.
fn resolve_payment_method(fx: &mut Effects<'_>, value: &str) -> Result<String, ApiError> {
    if let Some(card) = objects::test_card(value) {
        let pm = objects::payment_method(card, None);
        let id = pm["id"].as_str().unwrap_or_default().to_string();
        fx.state.payment_methods.push(pm);
        fx.state.cards.insert(
            id.clone(),
            CardState {
                card,
                consumed: false,
            },
        );
        return Ok(id);
    }
    if position(&fx.state.payment_methods, value).is_some() {
        return Ok(value.to_string());
    }
    Err(ApiError::no_such_param(
        "PaymentMethod",
        value,
        "payment_method",
    ))
}

const CONSUMED: &str = "The provided PaymentMethod was previously used with a PaymentIntent \
    without Customer attachment, shared with a connected account without Customer attachment, or \
    was detached from a Customer. It may not be used again. To use a PaymentMethod multiple \
    times, you must attach it to a Customer first.";

/// Whether a PaymentMethod may be used for an intent of `customer`.
fn check_usable(fx: &Effects<'_>, pm_id: &str, customer: Option<&str>) -> Result<(), ApiError> {
    let i = position(&fx.state.payment_methods, pm_id)
        .ok_or_else(|| ApiError::no_such_param("PaymentMethod", pm_id, "payment_method"))?;
    let owner = fx.state.payment_methods[i]["customer"].as_str();
    let consumed = fx.state.cards.get(pm_id).is_some_and(|c| c.consumed);
    match (owner, customer) {
        (Some(owner), Some(customer)) if owner != customer => Err(ApiError::invalid(format!(
            "The provided PaymentMethod belongs to the Customer {owner}, not to {customer}."
        ))
        .param("payment_method")),
        (Some(owner), None) => Err(ApiError::invalid(format!(
            "The provided PaymentMethod is attached to the Customer {owner}. Please pass \
             `customer={owner}` to use it."
        ))
        .param("payment_method")),
        (None, _) if consumed => Err(ApiError::invalid(CONSUMED).param("payment_method")),
        _ => Ok(()),
    }
}

fn create_setup_intent(cx: &mut Cx<'_>) -> Answer {
    let p = cx.params;
    let customer = customer_param(cx)?;
    let usage = one_of(cx, "usage", &["off_session", "on_session"])?;
    let confirm = p.bool("confirm")?.unwrap_or(false);
    let payment_method = match p.non_empty("payment_method") {
        Some(v) => Some(resolve_payment_method(&mut cx.fx, v)?),
        None => None,
    };
    let si = objects::setup_intent(objects::NewSetupIntent {
        customer: customer.as_deref(),
        usage: usage.as_deref().unwrap_or("off_session"),
        payment_method_types: p.list("payment_method_types"),
        payment_method: payment_method.as_deref(),
        description: p.non_empty("description"),
        metadata: p.map("metadata"),
    });
    cx.fx.state.setup_intents.push(si);
    let i = cx.fx.state.setup_intents.len() - 1;
    if confirm {
        setup(cx, i, None)?;
    }
    Ok(cx.fx.state.setup_intents[i].clone())
}

fn confirm_setup_intent(cx: &mut Cx<'_>) -> Answer {
    let i = find(cx, Kind::SetupIntent)?;
    let si = cx.fx.state.setup_intents[i].clone();
    check_client_secret(cx, &si, "SetupIntent")?;
    let pm = cx.params.non_empty("payment_method").map(str::to_string);
    setup(cx, i, pm.as_deref())?;
    Ok(cx.fx.state.setup_intents[i].clone())
}

/// Confirms SetupIntent `i`: every test card attaches (outcomes differ only when charging).
fn setup(cx: &mut Cx<'_>, i: usize, pm_param: Option<&str>) -> Result<(), ApiError> {
    let si = cx.fx.state.setup_intents[i].clone();
    let status = si["status"].as_str().unwrap_or_default();
    if ![
        "requires_payment_method",
        "requires_confirmation",
        "requires_action",
    ]
    .contains(&status)
    {
        let message = if status == "succeeded" {
            "You cannot confirm this SetupIntent because it has already succeeded after being \
             previously confirmed."
                .to_string()
        } else {
            format!("You cannot confirm this SetupIntent because it has a status of {status}.")
        };
        return Err(ApiError::invalid(message)
            .code("setup_intent_unexpected_state")
            .with("setup_intent", si));
    }
    let pm_id =
        match (pm_param, si["payment_method"].as_str()) {
            (Some(v), _) => resolve_payment_method(&mut cx.fx, v)?,
            (None, Some(id)) => id.to_string(),
            (None, None) => return Err(ApiError::invalid(
                "You cannot confirm this SetupIntent because it's missing a payment method. You \
                 can either update the SetupIntent with a payment method and then confirm it \
                 again, or confirm it again directly with a payment method.",
            )
            .code("parameter_missing")
            .param("payment_method")),
        };
    let customer = si["customer"].as_str().map(str::to_string);
    let p = position(&cx.fx.state.payment_methods, &pm_id).expect("resolved above");
    let owner = cx.fx.state.payment_methods[p]["customer"]
        .as_str()
        .map(str::to_string);
    if owner.is_some() && owner != customer {
        return Err(ApiError::invalid(
            "The payment method you provided has already been attached to a customer.",
        )
        .param("payment_method"));
    }
    if cx.fx.state.cards.get(&pm_id).is_some_and(|c| c.consumed) {
        return Err(ApiError::invalid(CONSUMED).param("payment_method"));
    }
    if let Some(customer) = &customer {
        cx.fx.state.payment_methods[p]["customer"] = json!(customer);
    }
    let si = &mut cx.fx.state.setup_intents[i];
    si["status"] = json!("succeeded");
    si["payment_method"] = json!(pm_id);
    si["latest_attempt"] = json!(objects::new_id("setatt"));
    si["last_setup_error"] = Value::Null;
    si["next_action"] = Value::Null;
    let si = si.clone();
    cx.fx.emit("setup_intent.succeeded", &si, None);
    Ok(())
}

fn detach_payment_method(cx: &mut Cx<'_>) -> Answer {
    let i = find(cx, Kind::PaymentMethod)?;
    let pm = &mut cx.fx.state.payment_methods[i];
    let Some(customer) = pm["customer"].as_str().map(str::to_string) else {
        return Err(ApiError::invalid(
            "The payment method you provided is not attached to a customer so detachment is \
             impossible.",
        ));
    };
    pm["customer"] = Value::Null;
    let pm = pm.clone();
    if let Some(card) = cx
        .fx
        .state
        .cards
        .get_mut(pm["id"].as_str().unwrap_or_default())
    {
        card.consumed = true;
    }
    cx.fx.emit(
        "payment_method.detached",
        &pm,
        Some(json!({ "customer": customer })),
    );
    Ok(pm)
}

/// Zero-decimal currencies (amounts are whole units).
const ZERO_DECIMAL: &[&str] = &[
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

fn format_amount(amount: i64, currency: &str) -> String {
    let symbol = match currency {
        "usd" => "$",
        "eur" => "€",
        "gbp" => "£",
        _ => "",
    };
    let number = if ZERO_DECIMAL.contains(&currency) {
        amount.to_string()
    } else {
        format!("{}.{:02}", amount / 100, (amount % 100).abs())
    };
    if symbol.is_empty() {
        format!("{number} {}", currency.to_uppercase())
    } else {
        format!("{symbol}{number}")
    }
}

/// `off_session`: true, false, or (for PaymentIntents) `one_off` / `recurring`, which mean true.
fn off_session(cx: &Cx<'_>) -> Result<bool, ApiError> {
    match cx.params.non_empty("off_session") {
        None | Some("false") => Ok(false),
        Some("true" | "one_off" | "recurring") => Ok(true),
        Some(v) => Err(ApiError::invalid(format!("Invalid boolean: {v}")).param("off_session")),
    }
}

fn create_payment_intent(cx: &mut Cx<'_>) -> Answer {
    let p = cx.params;
    let amount = p.int("amount")?.unwrap_or(0);
    if amount < 1 {
        return Err(
            ApiError::invalid("This value must be greater than or equal to 1.")
                .code("parameter_invalid_integer")
                .param("amount"),
        );
    }
    let currency = p.str("currency").unwrap_or_default().to_ascii_lowercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(ApiError::invalid(format!("Invalid currency: {currency}.")).param("currency"));
    }
    if ["usd", "eur", "gbp", "cad", "aud", "chf"].contains(&currency.as_str()) && amount < 50 {
        return Err(ApiError::invalid(format!(
            "Amount must be at least {} {currency}",
            format_amount(50, &currency)
        ))
        .code("amount_too_small")
        .param("amount"));
    }
    let customer = customer_param(cx)?;
    if let Some(method) = p.non_empty("capture_method") {
        if !["automatic", "automatic_async"].contains(&method) {
            return Err(ApiError::invalid(format!(
                "The Stripe stand-in supports capture_method=automatic only (got {method})."
            ))
            .param("capture_method"));
        }
    }
    let setup_future_usage = one_of(cx, "setup_future_usage", &["off_session", "on_session"])?;
    let confirm = p.bool("confirm")?.unwrap_or(false);
    let off_session = off_session(cx)?;
    let error_on_requires_action = p.bool("error_on_requires_action")?.unwrap_or(false);
    let payment_method = match p.non_empty("payment_method") {
        Some(v) => Some(resolve_payment_method(&mut cx.fx, v)?),
        None => None,
    };
    match &payment_method {
        Some(pm) => check_usable(&cx.fx, pm, customer.as_deref())?,
        None if confirm => return Err(missing_payment_method(None)),
        None => {}
    }
    let pi = objects::payment_intent(objects::NewPaymentIntent {
        amount,
        currency: &currency,
        customer: customer.as_deref(),
        payment_method: payment_method.as_deref(),
        payment_method_types: p.list("payment_method_types"),
        description: p.non_empty("description"),
        receipt_email: p.non_empty("receipt_email"),
        setup_future_usage: setup_future_usage.as_deref(),
        statement_descriptor: p.non_empty("statement_descriptor"),
        statement_descriptor_suffix: p.non_empty("statement_descriptor_suffix"),
        transfer_group: p.non_empty("transfer_group"),
        metadata: p.map("metadata"),
    });
    let id = pi["id"].as_str().unwrap_or_default().to_string();
    if let Some(url) = p.non_empty("return_url") {
        cx.fx.state.return_urls.insert(id, url.to_string());
    }
    cx.fx.state.payment_intents.push(pi);
    let i = cx.fx.state.payment_intents.len() - 1;
    if confirm {
        attempt(&mut cx.fx, i, off_session || error_on_requires_action)?;
    }
    Ok(cx.fx.state.payment_intents[i].clone())
}

fn missing_payment_method(pi: Option<&Value>) -> ApiError {
    let e = ApiError::invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can \
         either update the PaymentIntent with a payment method and then confirm it again, or \
         confirm it again directly with a payment method.",
    )
    .code("payment_intent_unexpected_state");
    match pi {
        Some(pi) => e.with("payment_intent", pi.clone()),
        None => e,
    }
}

fn confirm_payment_intent(cx: &mut Cx<'_>) -> Answer {
    let i = find(cx, Kind::PaymentIntent)?;
    let pi = cx.fx.state.payment_intents[i].clone();
    check_client_secret(cx, &pi, "PaymentIntent")?;
    let p = cx.params;
    let status = pi["status"].as_str().unwrap_or_default();
    if ![
        "requires_payment_method",
        "requires_confirmation",
        "requires_action",
    ]
    .contains(&status)
    {
        let message = if status == "succeeded" {
            "You cannot confirm this PaymentIntent because it has already succeeded after being \
             previously confirmed."
                .to_string()
        } else {
            format!(
                "You cannot confirm this PaymentIntent because it has a status of {status}. Only \
                 a PaymentIntent with one of the following statuses may be confirmed: \
                 requires_confirmation, requires_payment_method, requires_action."
            )
        };
        return Err(ApiError::invalid(message)
            .code("payment_intent_unexpected_state")
            .with("payment_intent", pi));
    }
    let setup_future_usage = one_of(cx, "setup_future_usage", &["off_session", "on_session"])?;
    let off_session = off_session(cx)?;
    let error_on_requires_action = p.bool("error_on_requires_action")?.unwrap_or(false);
    let pm_id = match (p.non_empty("payment_method"), pi["payment_method"].as_str()) {
        (Some(v), _) => resolve_payment_method(&mut cx.fx, v)?,
        (None, Some(id)) => id.to_string(),
        (None, None) => return Err(missing_payment_method(Some(&pi))),
    };
    check_usable(&cx.fx, &pm_id, pi["customer"].as_str())?;
    let id = pi["id"].as_str().unwrap_or_default().to_string();
    if let Some(url) = p.non_empty("return_url") {
        cx.fx.state.return_urls.insert(id, url.to_string());
    }
    let pi = &mut cx.fx.state.payment_intents[i];
    pi["payment_method"] = json!(pm_id);
    if let Some(email) = p.non_empty("receipt_email") {
        pi["receipt_email"] = json!(email);
    }
    if let Some(usage) = setup_future_usage {
        pi["setup_future_usage"] = json!(usage);
    }
    attempt(&mut cx.fx, i, off_session || error_on_requires_action)?;
    Ok(cx.fx.state.payment_intents[i].clone())
}

/// Charges PaymentIntent `i` with its PaymentMethod, as that test card behaves.
/// `no_customer_action`: off-session (or error_on_requires_action), so 3-D Secure cannot happen.
fn attempt(fx: &mut Effects<'_>, i: usize, no_customer_action: bool) -> Result<(), ApiError> {
    let pi = &fx.state.payment_intents[i];
    let pm_id = pi["payment_method"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some(card) = fx.state.cards.get_mut(&pm_id) else {
        return Err(ApiError::no_such_param(
            "PaymentMethod",
            &pm_id,
            "payment_method",
        ));
    };
    let p = position(&fx.state.payment_methods, &pm_id).expect("every card has its object");
    if fx.state.payment_methods[p]["customer"].is_null() {
        // Without a customer a PaymentMethod is good for one payment (unless this one saves it).
        card.consumed = true;
    }
    let outcome = card.card.outcome;
    match outcome {
        Outcome::Succeeds => {
            succeed(fx, i, false);
            Ok(())
        }
        Outcome::Declines {
            code,
            decline_code,
            message,
        } => Err(decline(fx, i, code, decline_code, message)),
        Outcome::RequiresAuthentication if no_customer_action => Err(decline(
            fx,
            i,
            "authentication_required",
            "authentication_required",
            "Your card was declined. This transaction requires authentication.",
        )),
        Outcome::RequiresAuthentication => {
            let id = fx.state.payment_intents[i]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let return_url = fx.state.return_urls.get(&id).cloned();
            let url = format!("{}/standin/3ds/{id}", fx.base_url);
            let pi = &mut fx.state.payment_intents[i];
            pi["status"] = json!("requires_action");
            pi["next_action"] = json!({
                "type": "redirect_to_url",
                "redirect_to_url": {"url": url, "return_url": return_url}
            });
            pi["last_payment_error"] = Value::Null;
            let pi = pi.clone();
            fx.emit("payment_intent.requires_action", &pi, None);
            Ok(())
        }
    }
}

/// PaymentIntent `i` succeeds: a charge, the amount received, the card saved if asked.
pub(crate) fn succeed(fx: &mut Effects<'_>, i: usize, three_d_secure: bool) {
    let pi = fx.state.payment_intents[i].clone();
    let pm_id = pi["payment_method"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let p = position(&fx.state.payment_methods, &pm_id).expect("a confirmed PaymentIntent has one");
    if !pi["setup_future_usage"].is_null()
        && !pi["customer"].is_null()
        && fx.state.payment_methods[p]["customer"].is_null()
    {
        fx.state.payment_methods[p]["customer"] = pi["customer"].clone();
        if let Some(card) = fx.state.cards.get_mut(&pm_id) {
            card.consumed = false;
        }
    }
    let pm = fx.state.payment_methods[p].clone();
    let charge = objects::charge(&pi, &pm, &ChargeResult::Succeeded { three_d_secure });
    let pi = &mut fx.state.payment_intents[i];
    pi["status"] = json!("succeeded");
    pi["amount_received"] = pi["amount"].clone();
    pi["latest_charge"] = charge["id"].clone();
    pi["last_payment_error"] = Value::Null;
    pi["next_action"] = Value::Null;
    let pi = pi.clone();
    fx.state.charges.push(charge);
    fx.emit("payment_intent.succeeded", &pi, None);
}

/// PaymentIntent `i` is declined: a failed charge, and the 402 card_error Stripe answers.
fn decline(
    fx: &mut Effects<'_>,
    i: usize,
    code: &str,
    decline_code: &str,
    message: &str,
) -> ApiError {
    let pi = fx.state.payment_intents[i].clone();
    let pm_id = pi["payment_method"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let p = position(&fx.state.payment_methods, &pm_id).expect("a confirmed PaymentIntent has one");
    let pm = fx.state.payment_methods[p].clone();
    let charge = objects::charge(
        &pi,
        &pm,
        &ChargeResult::Failed {
            code,
            decline_code,
            message,
        },
    );
    let error = ApiError::new(StatusCode::PAYMENT_REQUIRED, "card_error", message)
        .code(code)
        .with("decline_code", json!(decline_code))
        .with("charge", charge["id"].clone())
        .with("payment_method", pm);
    let pi = &mut fx.state.payment_intents[i];
    pi["status"] = json!("requires_payment_method");
    pi["last_payment_error"] = Value::Object(error.error.clone());
    pi["latest_charge"] = charge["id"].clone();
    pi["payment_method"] = Value::Null;
    pi["next_action"] = Value::Null;
    let pi = pi.clone();
    fx.state.charges.push(charge);
    fx.emit("payment_intent.payment_failed", &pi, None);
    error.with("payment_intent", pi)
}

/// The customer failed 3-D Secure on PaymentIntent `i`.
pub(crate) fn fail_authentication(fx: &mut Effects<'_>, i: usize) {
    let pi = fx.state.payment_intents[i].clone();
    let pm = pi["payment_method"]
        .as_str()
        .and_then(|id| fx.state.lookup(id))
        .unwrap_or(Value::Null);
    let error = ApiError::invalid(
        "The provided PaymentMethod has failed authentication. You can provide payment_method_data \
         or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    )
    .code("payment_intent_authentication_failure")
    .with("payment_method", pm);
    let pi = &mut fx.state.payment_intents[i];
    pi["status"] = json!("requires_payment_method");
    pi["last_payment_error"] = Value::Object(error.error);
    pi["payment_method"] = Value::Null;
    pi["next_action"] = Value::Null;
    let pi = pi.clone();
    fx.emit("payment_intent.payment_failed", &pi, None);
}

fn list_payment_intents(cx: &mut Cx<'_>) -> Answer {
    let customer = customer_param(cx)?;
    let items: Vec<Value> = cx
        .fx
        .state
        .payment_intents
        .iter()
        .filter(|pi| {
            customer
                .as_ref()
                .is_none_or(|c| pi["customer"] == c.as_str())
        })
        .cloned()
        .collect();
    page(cx, items, "/v1/payment_intents")
}

fn cancel_payment_intent(cx: &mut Cx<'_>) -> Answer {
    let i = find(cx, Kind::PaymentIntent)?;
    let reason = one_of(
        cx,
        "cancellation_reason",
        &[
            "duplicate",
            "fraudulent",
            "requested_by_customer",
            "abandoned",
        ],
    )?;
    let pi = &mut cx.fx.state.payment_intents[i];
    let status = pi["status"].as_str().unwrap_or_default().to_string();
    if ![
        "requires_payment_method",
        "requires_confirmation",
        "requires_action",
    ]
    .contains(&status.as_str())
    {
        return Err(ApiError::invalid(format!(
            "You cannot cancel this PaymentIntent because it has a status of {status}. Only a \
             PaymentIntent with one of the following statuses may be canceled: \
             requires_payment_method, requires_capture, requires_confirmation, requires_action, \
             processing."
        ))
        .code("payment_intent_unexpected_state")
        .with("payment_intent", pi.clone()));
    }
    pi["status"] = json!("canceled");
    pi["canceled_at"] = json!(objects::now());
    pi["cancellation_reason"] = json!(reason);
    pi["next_action"] = Value::Null;
    let pi = pi.clone();
    cx.fx.emit("payment_intent.canceled", &pi, None);
    Ok(pi)
}

fn create_refund(cx: &mut Cx<'_>) -> Answer {
    let p = cx.params;
    let state = &cx.fx.state;
    let charge_index = match (p.non_empty("charge"), p.non_empty("payment_intent")) {
        (Some(ch), pi) => {
            let c = position(&state.charges, ch)
                .ok_or_else(|| ApiError::no_such_param("charge", ch, "charge"))?;
            if let Some(pi) = pi {
                if state.charges[c]["payment_intent"] != pi {
                    return Err(ApiError::invalid(format!(
                        "The charge {ch} does not belong to the PaymentIntent {pi}."
                    ))
                    .param("payment_intent"));
                }
            }
            c
        }
        (None, Some(pi)) => {
            let i = position(&state.payment_intents, pi)
                .ok_or_else(|| ApiError::no_such_param("payment_intent", pi, "payment_intent"))?;
            let latest = state.payment_intents[i]["latest_charge"]
                .as_str()
                .unwrap_or_default();
            match position(&state.charges, latest) {
                Some(c) if state.charges[c]["status"] == "succeeded" => c,
                _ => {
                    return Err(ApiError::invalid(format!(
                        "This PaymentIntent ({pi}) does not have a successful charge to refund."
                    ))
                    .param("payment_intent"))
                }
            }
        }
        (None, None) => {
            return Err(ApiError::invalid(
                "One of the following params should be provided for this request: \
                 payment_intent or charge.",
            )
            .code("parameter_missing")
            .param("payment_intent"))
        }
    };
    let charge = &state.charges[charge_index];
    let id = charge["id"].as_str().unwrap_or_default().to_string();
    if charge["status"] != "succeeded" {
        return Err(ApiError::invalid(format!(
            "Charge {id} has not succeeded, so it cannot be refunded."
        ))
        .param("charge"));
    }
    let currency = charge["currency"].as_str().unwrap_or("usd").to_string();
    let left =
        charge["amount"].as_i64().unwrap_or(0) - charge["amount_refunded"].as_i64().unwrap_or(0);
    if left <= 0 {
        return Err(
            ApiError::invalid(format!("Charge {id} has already been refunded."))
                .code("charge_already_refunded")
                .param("charge"),
        );
    }
    let amount = p.int("amount")?.unwrap_or(left);
    if amount < 1 {
        return Err(
            ApiError::invalid("This value must be greater than or equal to 1.")
                .code("parameter_invalid_integer")
                .param("amount"),
        );
    }
    if amount > left {
        return Err(ApiError::invalid(format!(
            "Refund amount ({}) is greater than unrefunded amount on charge ({})",
            format_amount(amount, &currency),
            format_amount(left, &currency)
        ))
        .param("amount"));
    }
    let reason = one_of(
        cx,
        "reason",
        &["duplicate", "fraudulent", "requested_by_customer"],
    )?;
    let metadata: BTreeMap<String, String> = p.map("metadata");
    let refund = objects::refund(
        &cx.fx.state.charges[charge_index],
        amount,
        reason.as_deref(),
        &metadata,
    );
    let charge = &mut cx.fx.state.charges[charge_index];
    let refunded = charge["amount_refunded"].as_i64().unwrap_or(0) + amount;
    charge["amount_refunded"] = json!(refunded);
    charge["refunded"] = json!(refunded >= charge["amount"].as_i64().unwrap_or(0));
    if let Some(list) = charge.get_mut("refunds").and_then(|r| r.as_object_mut()) {
        let mut data = list
            .get("data")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        data.insert(0, refund.clone());
        list.insert("total_count".into(), json!(data.len()));
        list.insert("data".into(), Value::Array(data));
    }
    let charge = charge.clone();
    cx.fx.state.refunds.push(refund.clone());
    cx.fx.emit(
        "charge.refunded",
        &charge,
        Some(json!({ "amount_refunded": refunded - amount, "refunded": false })),
    );
    Ok(refund)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_told_apart_and_masked() {
        let mut h = HeaderMap::new();
        assert!(authenticate(&h).is_err());
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer sk_test_abc"),
        );
        assert_eq!(authenticate(&h).unwrap(), Key::Secret);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer pk_test_abc"),
        );
        assert_eq!(authenticate(&h).unwrap(), Key::Publishable);
        // "sk_test_abc:" in base64, as `curl -u sk_test_abc:` sends it.
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic c2tfdGVzdF9hYmM6"),
        );
        assert_eq!(authenticate(&h).unwrap(), Key::Secret);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer sk_live_0123456789abcd"),
        );
        let e = authenticate(&h).unwrap_err();
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        let message = e.error["message"].as_str().unwrap();
        assert!(
            message.starts_with("Invalid API Key provided: sk_live_**********abcd"),
            "{message}"
        );
    }

    #[test]
    fn amounts_are_formatted_like_stripes_messages() {
        assert_eq!(format_amount(2000, "usd"), "$20.00");
        assert_eq!(format_amount(1005, "eur"), "€10.05");
        assert_eq!(format_amount(500, "jpy"), "500 JPY");
        assert_eq!(format_amount(123, "sek"), "1.23 SEK");
    }
}
