//! A local stand-in for the Stripe API, for development and tests only: never production.
//!
//! It serves the endpoints Portico's card payments use (customers, SetupIntents,
//! PaymentMethods, PaymentIntents, refunds), decides outcomes with Stripe's documented test
//! PaymentMethods (`pm_card_visa`, `pm_card_chargeDeclined`, `pm_card_authenticationRequired`,
//! ...), answers with Stripe's own example objects (fixtures.json) and checks every request's
//! parameters against Stripe's OpenAPI spec (spec_params.json). Events are signed and POSTed to
//! a webhook URL like Stripe does. See README.md beside this crate.
//!
//! Point async-stripe 0.41 at it with `stripe::Client::from_url(stand_in.base_url().as_str(), key)`:
//! the client replaces the URL's path with `/v1/...` itself.

mod api;
mod error;
mod form;
mod objects;
mod spec;
mod threeds;
mod webhook;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// How a stand-in behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where every event is POSTed (signed with `webhook_secret`); `None`: events are only kept.
    pub webhook_url: Option<String>,
    /// The endpoint secret events are signed with (`whsec_...`).
    pub webhook_secret: String,
    /// How long `POST /v1/payment_intents` and `POST /v1/payment_intents/{id}/confirm` wait
    /// before answering. The work is done (and kept, with its idempotent result) when the
    /// request arrives, so a client killed during the wait leaves the PaymentIntent behind,
    /// as with Stripe when a response is lost.
    pub latency: Duration,
    /// Answer a request only after the events it caused were delivered. Stripe may deliver an
    /// event before its API answer reaches the caller; this makes that order certain.
    pub events_before_answer: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            webhook_url: None,
            webhook_secret: "whsec_standin".into(),
            latency: Duration::ZERO,
            events_before_answer: false,
        }
    }
}

/// One API request as the stand-in received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `GET` or `POST`.
    pub method: String,
    /// The URL path, e.g. `/v1/payment_intents/pi_123/confirm`.
    pub path: String,
    /// The decoded form (POST) or query (GET) pairs in order, keys with their brackets
    /// (`metadata[invoice]`).
    pub params: Vec<(String, String)>,
    /// The `Idempotency-Key` header, if any.
    pub idempotency_key: Option<String>,
}

/// A running stand-in. Cheap to clone; every clone sees the same server.
#[derive(Clone)]
pub struct StandIn {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for StandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandIn")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl StandIn {
    /// Serves the stand-in on `listener` in a spawned task and returns at once.
    pub async fn start(listener: TcpListener, opts: Options) -> StandIn {
        let addr = listener
            .local_addr()
            .expect("the listener has a local address");
        let (pending, _) = watch::channel(0usize);
        let (outbox, inbox) = mpsc::unbounded_channel();
        let state = State {
            webhook: opts.webhook_url.map(|url| Webhook {
                url,
                secret: opts.webhook_secret.clone(),
            }),
            ..State::default()
        };
        let shared = Arc::new(Shared {
            base_url: base_url(addr),
            latency: opts.latency,
            events_before_answer: opts.events_before_answer,
            state: Mutex::new(state),
            pending,
            outbox,
        });
        tokio::spawn(webhook::deliver(inbox, shared.clone()));
        let app = router(shared.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("stripe stand-in: the server stopped: {e}");
            }
        });
        StandIn { shared }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Events built from now on are POSTed to `url`, signed with `secret`.
    pub fn set_webhook(&self, url: &str, secret: &str) {
        self.shared.lock().webhook = Some(Webhook {
            url: url.into(),
            secret: secret.into(),
        });
    }

    /// Every PaymentIntent as it is now, in creation order.
    pub fn payment_intents(&self) -> Vec<Value> {
        self.shared.lock().payment_intents.clone()
    }

    /// Every refund, in creation order.
    pub fn refunds(&self) -> Vec<Value> {
        self.shared.lock().refunds.clone()
    }

    /// Every event built (sent or not), in creation order.
    pub fn events(&self) -> Vec<Value> {
        self.shared.lock().events.clone()
    }

    /// Every API request received, in order (replays and refused ones included).
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }

    /// Resolves when no webhook delivery is pending (every event built so far for a webhook
    /// URL has been delivered, or has failed all its attempts).
    pub async fn wait_for_deliveries(&self) {
        let mut pending = self.shared.pending.subscribe();
        let _ = pending.wait_for(|n| *n == 0).await;
    }
}

/// The `Stripe-Signature` header value for a webhook payload: `t={timestamp},v1={hex}`, where
/// the hex is HMAC-SHA256 keyed with the endpoint secret over `"{timestamp}.{payload}"`.
pub fn sign(secret: &str, timestamp: i64, payload: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts a key of any length");
    mac.update(format!("{timestamp}.{payload}").as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

fn router(shared: Arc<Shared>) -> Router {
    use axum::http::{header, HeaderName, Method};
    use tower_http::cors::{Any, CorsLayer};
    // Authorization cannot be allowed by a wildcard, so the request headers are listed.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("stripe-version"),
        ])
        .expose_headers([
            HeaderName::from_static("request-id"),
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(Duration::from_secs(600));
    Router::new()
        .route("/", get(threeds::index))
        .route("/standin/3ds/{pi}", get(threeds::page))
        .route(
            "/standin/3ds/{pi}/complete",
            get(threeds::complete).post(threeds::complete),
        )
        .route(
            "/standin/3ds/{pi}/fail",
            get(threeds::fail).post(threeds::fail),
        )
        .fallback(api::handle)
        .layer(cors)
        .with_state(shared)
}

pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) latency: Duration,
    pub(crate) events_before_answer: bool,
    state: Mutex<State>,
    /// How many events are built for a webhook and not yet delivered (or given up on).
    pub(crate) pending: watch::Sender<usize>,
    pub(crate) outbox: mpsc::UnboundedSender<webhook::Delivery>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked (a stand-in bug, answered 500) must not stop the others.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) url: String,
    pub(crate) secret: String,
}

/// What the stand-in remembers of a PaymentMethod besides the object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CardState {
    pub(crate) card: &'static objects::TestCard,
    /// Used once without a customer, or detached: Stripe refuses to use it again.
    pub(crate) consumed: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Idempotent {
    InProgress {
        path: String,
        params: Vec<(String, String)>,
    },
    Done {
        path: String,
        params: Vec<(String, String)>,
        status: u16,
        body: String,
        request_id: String,
    },
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) webhook: Option<Webhook>,
    pub(crate) customers: Vec<Value>,
    pub(crate) setup_intents: Vec<Value>,
    pub(crate) payment_methods: Vec<Value>,
    pub(crate) payment_intents: Vec<Value>,
    pub(crate) charges: Vec<Value>,
    pub(crate) refunds: Vec<Value>,
    pub(crate) events: Vec<Value>,
    pub(crate) cards: HashMap<String, CardState>,
    /// The `return_url` each PaymentIntent was confirmed with (not a field of the object).
    pub(crate) return_urls: HashMap<String, String>,
    pub(crate) idempotency: HashMap<String, Idempotent>,
    pub(crate) requests: Vec<Recorded>,
}

pub(crate) fn position(list: &[Value], id: &str) -> Option<usize> {
    list.iter().position(|o| o["id"] == id)
}

impl State {
    /// Any stored object by id, for `expand[]`.
    pub(crate) fn lookup(&self, id: &str) -> Option<Value> {
        let list = match id.split('_').next()? {
            "cus" => &self.customers,
            "seti" => &self.setup_intents,
            "pm" => &self.payment_methods,
            "pi" => &self.payment_intents,
            "ch" => &self.charges,
            "re" => &self.refunds,
            "evt" => &self.events,
            _ => return None,
        };
        position(list, id).map(|i| list[i].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_matches_stripes_scheme() {
        // HMAC-SHA256("whsec_test", "1700000000.{}"), computed independently with Python's hmac.
        assert_eq!(
            sign("whsec_test", 1_700_000_000, "{}"),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }

    #[test]
    fn base_url_uses_loopback_for_an_unspecified_address() {
        assert_eq!(
            base_url("0.0.0.0:4242".parse().unwrap()),
            "http://127.0.0.1:4242"
        );
        assert_eq!(
            base_url("127.0.0.1:1".parse().unwrap()),
            "http://127.0.0.1:1"
        );
        assert_eq!(base_url("[::1]:5".parse().unwrap()), "http://[::1]:5");
    }
}
