use reqwest::{header, redirect::Policy, Client, Response};
use server::config::Config;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

pub const DEMO_PASSWORD: &str = domain::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub address: String,
    pub mail: MailSink,
    pub services: domain::Services,
    _dir: tempfile::TempDir,
}

/// Starts Portico on port 0 with its own database (demo accounts loaded) and SMTP sink.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Like `spawn_app`, with extra configuration variables.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        server::telemetry::init();
    }
    let dir = tempfile::tempdir().unwrap();
    let mail = MailSink::start().await;
    let vars: HashMap<String, String> = [
        ("PORTICO_DATA_DIR", dir.path().to_str().unwrap().to_owned()),
        ("PORTICO_BIND", "127.0.0.1:0".to_owned()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{}", mail.port)),
        // Tests decide when billing runs.
        ("PORTICO_BILLING_INTERVAL_MINUTES", "0".to_owned()),
        (
            "LEPTOS_SITE_ROOT",
            dir.path().join("site").to_str().unwrap().to_owned(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .chain(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    .collect();
    let cfg = Config::from_vars(&vars).unwrap();
    let app = server::build(cfg.clone()).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = server::connect_database(&cfg).await.unwrap();
    let services = server::services(&cfg, db).unwrap();
    domain::demo::load(&services, false).await.unwrap();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        mail,
        services,
        _dir: dir,
    }
}

impl TestApp {
    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            // A hung request fails its test quickly instead of stalling the suite.
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Calls a server function the way an `ActionForm` does from a hydrated page.
    pub async fn call(&self, client: &Client, name: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/_fn/{name}")))
            .header(header::ORIGIN, &self.address)
            .header(header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        self.call(client, "login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn get_html(&self, client: &Client, path: &str) -> (u16, String) {
        let res = client.get(self.url(path)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }
}

/// The id of a (demo) account by its email.
pub async fn client_id(app: &TestApp, email: &str) -> i32 {
    use domain::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// One of the client's unpaid invoices.
pub async fn unpaid_of(app: &TestApp, client: i32) -> domain::entities::invoice::Model {
    use domain::entities::invoice;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    invoice::Entity::find()
        .filter(invoice::Column::ClientId.eq(client))
        .filter(invoice::Column::Status.eq("unpaid"))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
}

/// An invoice as it is now.
pub async fn reload(app: &TestApp, id: i32) -> domain::entities::invoice::Model {
    use sea_orm::EntityTrait;
    domain::entities::invoice::Entity::find_by_id(id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
}

pub fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portico_session="))
        .map(str::to_owned)
}

/// Recipients and raw message of one delivery.
type Received = (Vec<String>, String);

/// A minimal SMTP server that keeps every message it receives.
#[derive(Clone)]
pub struct MailSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl MailSink {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    let (mut rcpt, mut data, mut in_data) = (Vec::new(), String::new(), false);
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line == "." {
                                in_data = false;
                                store
                                    .lock()
                                    .unwrap()
                                    .push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                                let _ = w.write_all(b"250 queued\r\n").await;
                            } else {
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push('\n');
                            }
                            continue;
                        }
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            b"250 sink\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            rcpt.push(
                                line[8..]
                                    .trim()
                                    .trim_matches(|c| c == '<' || c == '>')
                                    .to_owned(),
                            );
                            b"250 ok\r\n"
                        } else if upper.starts_with("DATA") {
                            in_data = true;
                            b"354 go ahead\r\n"
                        } else if upper.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 ok\r\n"
                        };
                        let _ = w.write_all(reply).await;
                    }
                });
            }
        });
        Self { port, messages }
    }

    /// Messages for `to`, oldest first (raw, headers included).
    pub fn to(&self, to: &str) -> Vec<String> {
        self.messages
            .lock()
            .unwrap()
            .iter()
            .filter(|(rcpt, _)| rcpt.iter().any(|r| r == to))
            .map(|(_, m)| m.clone())
            .collect()
    }
}

/// The first link in a raw email whose path starts with `path` (quoted-printable soft breaks
/// undone).
pub fn link_in(mail: &str, path: &str) -> String {
    let mail = mail.replace("=\n", "");
    let at = mail
        .find(path)
        .unwrap_or_else(|| panic!("no {path} link in {mail}"));
    let start = mail[..at].rfind("http").expect("absolute link");
    mail[start..].split_whitespace().next().unwrap().to_owned()
}

/// The token at the end of a link.
pub fn last_segment(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}
