//! Wiring: database, services, routes and middleware, bound to a port.
use crate::{
    config::Config, export, feed, health, invoice_pdf, security, session, stripe_routes,
    ticket_routes,
};
use app::auth::ssr::WebSettings;
use axum::{
    body::Body,
    extract::{FromRef, Request},
    http::{header, HeaderValue, StatusCode},
    middleware,
    response::Response,
    routing::{get, post},
    Router,
};
use domain::{
    billing::cards::{stripe::StripeGateway, CardGateway},
    clock::SystemClock,
    mail::Mailer,
    Services,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub web: WebSettings,
    /// Read the client address from `X-Forwarded-For` (PORTICO_TRUST_PROXY).
    pub trust_proxy: bool,
    /// Verifies Stripe's events; without it `/webhooks/stripe` refuses them.
    pub stripe_webhook_secret: Option<String>,
}

pub async fn connect_database(cfg: &Config) -> anyhow::Result<DatabaseConnection> {
    if cfg.is_sqlite() && !cfg.database_url.contains(":memory:") {
        std::fs::create_dir_all(&cfg.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create the data directory {}: {e}",
                cfg.data_dir.display()
            )
        })?;
    }
    let mut opts = ConnectOptions::new(cfg.database_url.clone());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    // On every pooled SQLite connection: WAL lets readers work while the scheduler writes;
    // synchronous=NORMAL is the WAL setting that survives a killed process (only an OS crash
    // can lose the last commits, never corrupt); foreign keys are off by default in SQLite.
    opts.map_sqlx_sqlite_opts(|o| {
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
    });
    let db = Database::connect(opts)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
    Ok(db)
}

pub fn services(cfg: &Config, db: DatabaseConnection) -> anyhow::Result<Services> {
    Ok(Services {
        db,
        mailer: Mailer::new(cfg.smtp_url.as_deref(), &cfg.mail_from)?,
        clock: Arc::new(SystemClock),
        base_url: cfg.base_url.as_str().trim_end_matches('/').to_owned(),
        billing: cfg.billing.clone(),
        cards: cfg.stripe.as_ref().map(|s| {
            Arc::new(StripeGateway::new(
                &s.api_base,
                &s.secret_key,
                s.publishable_key.clone(),
            )) as Arc<dyn CardGateway>
        }),
        tickets: cfg.tickets.clone(),
        live: Default::default(),
    })
}

pub struct Application {
    port: u16,
    listener: tokio::net::TcpListener,
    router: Router,
    /// The billing automation to run in the background, and how often.
    scheduler: Option<(Services, std::time::Duration)>,
}

/// Opens the database, applies migrations and binds the port (0 picks a free one).
pub async fn build(cfg: Config) -> anyhow::Result<Application> {
    let db = connect_database(&cfg).await?;
    Migrator::up(&db, None).await?;
    let services = services(&cfg, db)?;
    let listener = tokio::net::TcpListener::bind(cfg.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {} (PORTICO_BIND): {e}", cfg.bind))?;
    let port = listener.local_addr()?.port();
    let mut services = services;
    if cfg.base_url.port() == Some(0) {
        // Bound to port 0 (tests): emailed links must name the port actually chosen.
        let mut url = cfg.base_url.clone();
        let _ = url.set_port(Some(port));
        services.base_url = url.as_str().trim_end_matches('/').to_owned();
    }
    let scheduler = (cfg.billing_interval_minutes > 0).then(|| {
        (
            services.clone(),
            std::time::Duration::from_secs(u64::from(cfg.billing_interval_minutes) * 60),
        )
    });
    let router = router(&cfg, services, listener.local_addr()?);
    Ok(Application {
        port,
        listener,
        router,
        scheduler,
    })
}

impl Application {
    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if let Some((svc, every)) = self.scheduler {
            tokio::spawn(billing_scheduler(svc, every));
        }
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

/// Runs the billing automation at start and then every `every`, as of the current day. The
/// database lease keeps it from overlapping with another instance or the CLI; a failed run is
/// logged (and recorded in the run log) and retried next time.
async fn billing_scheduler(svc: Services, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let as_of = svc.now().date_naive();
        match domain::billing::automation::run(&svc, as_of).await {
            Ok(r) if r.skipped => {
                tracing::info!("billing run skipped: another run holds the lease")
            }
            Ok(r) => tracing::info!(summary = %r.summary(), "billing run"),
            Err(e) => tracing::error!(error = %e, "billing run failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

fn router(cfg: &Config, services: Services, addr: SocketAddr) -> Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("portico")
        .site_root(cfg.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        services,
        web: WebSettings {
            secure_cookies: cfg.secure_cookies(),
        },
        trust_proxy: cfg.trust_proxy,
        stripe_webhook_secret: cfg.stripe.as_ref().and_then(|s| s.webhook_secret.clone()),
    };
    let card_sources = cfg
        .stripe
        .as_ref()
        .and_then(|s| url::Url::parse(&s.api_base).ok())
        .map(|u| security::CardSources::stripe(&u.origin().ascii_serialization()))
        .unwrap_or_default();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.services.clone());
            provide_context(state.web.clone());
            // Pages get a CSP naming the nonce leptos put on its hydration scripts.
            if let (Some(nonce), Some(res)) = (
                leptos::nonce::use_nonce(),
                use_context::<leptos_axum::ResponseOptions>(),
            ) {
                if let Ok(v) =
                    HeaderValue::from_str(&security::page_csp(&nonce.to_string(), &card_sources))
                {
                    res.insert_header(header::CONTENT_SECURITY_POLICY, v);
                }
            }
        }
    };
    let routes = generate_route_list(app::App);
    // Forms with files may carry every allowed file at its largest; nothing else may.
    let form_limit = axum::extract::DefaultBodyLimit::max(cfg.tickets.max_form_bytes());
    let origin_policy = security::OriginPolicy {
        base_origin: cfg.base_url.origin().ascii_serialization(),
    };

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/news/feed.xml", get(feed::news_feed))
        .route("/invoices/{id}/pdf", get(invoice_pdf::download))
        .route("/invoices/{id}/card-return", get(stripe_routes::card_return))
        .route("/webhooks/stripe", post(stripe_routes::webhook))
        .route("/tickets/new", post(ticket_routes::create).layer(form_limit))
        .route(
            "/tickets/{id}/messages",
            post(ticket_routes::client_reply).layer(form_limit),
        )
        .route(
            "/staff/tickets/{id}/messages",
            post(ticket_routes::staff_reply).layer(form_limit),
        )
        .route(
            "/tickets/{id}/attachments/{attachment}",
            get(ticket_routes::download),
        )
        .route("/live/tickets", get(ticket_routes::live))
        .route("/account/export", get(export::download))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, app::shell))
        // Innermost first: the sign-in gate needs the viewer, which needs the origin check passed.
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(session::require_sign_in))
        .layer(middleware::from_fn_with_state(state.clone(), session::resolve_viewer))
        .layer(middleware::from_fn_with_state(origin_policy, security::check_origin))
        // Nothing legitimate takes this long; a stuck request must not hold a connection forever.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        // A bug must not drop the connection or show its message: log it, answer a plain 500.
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            tracing::error!("request handler panicked");
            security::internal_error()
        }))
        .layer(middleware::from_fn(security::headers))
        // The wasm bundle shrinks to a third over the wire.
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Server functions answer every failure with 500; this gives a failed call the status its
/// `AppError` names (4xx for the caller's mistakes).
async fn server_fn_status(req: Request<Body>, next: middleware::Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}
