//! Configuration from the environment, optionally preceded by a `KEY=VALUE` file
//! (`PORTICO_CONFIG`, default `./portico.env` when it exists). The environment wins.
mod billing;
mod tickets;

use std::{collections::HashMap, net::SocketAddr, path::PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Env {
    Development,
    Production,
}

#[derive(Clone)]
pub struct Config {
    pub env: Env,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: SocketAddr,
    pub base_url: url::Url,
    pub secret_key: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub site_root: PathBuf,
    /// Behind one reverse proxy: take the client address from the last `X-Forwarded-For` entry.
    pub trust_proxy: bool,
    /// Card payments through Stripe (`STRIPE_*`); none without a secret key.
    pub stripe: Option<StripeConfig>,
    /// Thresholds, numbering, taxes, credit and late fees (see `config/billing.rs`).
    pub billing: domain::BillingSettings,
    /// Attachment limits, auto-close and the rate of new tickets (see `config/tickets.rs`).
    pub tickets: domain::support::TicketSettings,
    /// `PORTICO_BILLING_INTERVAL_MINUTES`: how often `serve` runs the billing automation
    /// (default 10; 0 turns the in-server scheduler off, e.g. when cron runs the CLI).
    pub billing_interval_minutes: u32,
}

// Secrets stay out of logs, even at debug level.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("env", &self.env)
            .field("data_dir", &self.data_dir)
            .field("database", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("base_url", &self.base_url.as_str())
            .field("smtp", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("site_root", &self.site_root)
            .field("stripe", &self.stripe.as_ref().map(|s| &s.api_base))
            .finish()
    }
}

fn redact_url(u: &str) -> String {
    match url::Url::parse(u) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => u.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
    #[error("reading the config file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path}, line {line}: expected KEY=VALUE")]
    FileSyntax { path: String, line: usize },
}

fn invalid(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        message: message.into(),
    }
}

const DEV_SECRET: &str = "development-only-secret-key-do-not-use-in-production";

impl Config {
    /// Reads the optional config file and then the process environment.
    pub fn load() -> Result<Self, ConfigError> {
        let mut vars = HashMap::new();
        let (path, required) = match std::env::var("PORTICO_CONFIG") {
            Ok(p) => (p, true),
            Err(_) => ("portico.env".to_owned(), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => vars.extend(parse_file(&path, &text)?),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(ConfigError::File { path, source }),
        }
        vars.extend(std::env::vars());
        Self::from_vars(&vars)
    }

    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |k: &str| {
            vars.get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let env = match get("PORTICO_ENV").as_deref() {
            None | Some("development") => Env::Development,
            Some("production") => Env::Production,
            Some(other) => {
                return Err(invalid(
                    "PORTICO_ENV",
                    format!("{other:?} is not `development` or `production`"),
                ))
            }
        };
        let data_dir = PathBuf::from(get("PORTICO_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match get("DATABASE_URL") {
            Some(u)
                if u.starts_with("sqlite:")
                    || u.starts_with("postgres://")
                    || u.starts_with("postgresql://") =>
            {
                u
            }
            Some(_) => return Err(invalid(
                "DATABASE_URL",
                "must start with sqlite: or postgres:// (e.g. postgres://user:pass@host/portico)",
            )),
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("portico.db").display()
            ),
        };
        let bind_raw = get("PORTICO_BIND").unwrap_or_else(|| "127.0.0.1:3000".into());
        let bind: SocketAddr = bind_raw.parse().map_err(|_| {
            invalid(
                "PORTICO_BIND",
                format!("{bind_raw:?} is not an address like 127.0.0.1:3000"),
            )
        })?;
        let base_raw = get("PORTICO_BASE_URL").unwrap_or_else(|| format!("http://{bind}"));
        let base_url = url::Url::parse(&base_raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| {
                invalid(
                    "PORTICO_BASE_URL",
                    format!("{base_raw:?} is not an http(s) URL like https://portal.example.com"),
                )
            })?;
        let secret_key = match (get("PORTICO_SECRET_KEY"), env) {
            (Some(k), _) if k.len() >= 32 => k,
            (Some(_), _) => {
                return Err(invalid(
                    "PORTICO_SECRET_KEY",
                    "must be at least 32 characters (try `openssl rand -hex 32`)",
                ))
            }
            (None, Env::Production) => {
                return Err(invalid(
                    "PORTICO_SECRET_KEY",
                    "is required in production (try `openssl rand -hex 32`)",
                ))
            }
            (None, Env::Development) => DEV_SECRET.to_owned(),
        };
        let smtp_url = get("SMTP_URL");
        if let Some(u) = &smtp_url {
            if !(u.starts_with("smtp://") || u.starts_with("smtps://")) {
                return Err(invalid(
                    "SMTP_URL",
                    "must look like smtp://user:pass@host:587 or smtps://…",
                ));
            }
        }
        let mail_from =
            get("PORTICO_MAIL_FROM").unwrap_or_else(|| "Portico <portico@localhost>".into());
        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));
        let trust_proxy = match get("PORTICO_TRUST_PROXY").as_deref() {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") => true,
            Some(other) => {
                return Err(invalid(
                    "PORTICO_TRUST_PROXY",
                    format!("{other:?} is not true or false"),
                ))
            }
        };
        let billing = billing::settings(&get)?;
        let tickets = tickets::settings(&get)?;
        let billing_interval_minutes = match get("PORTICO_BILLING_INTERVAL_MINUTES") {
            None => 10,
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 24 * 60)
                .ok_or_else(|| {
                    invalid(
                        "PORTICO_BILLING_INTERVAL_MINUTES",
                        format!("{v:?} is not a number of minutes from 0 (off) to 1440"),
                    )
                })?,
        };
        Ok(Self {
            billing,
            tickets,
            billing_interval_minutes,
            env,
            data_dir,
            database_url,
            bind,
            base_url,
            secret_key,
            smtp_url,
            mail_from,
            site_root,
            trust_proxy,
            stripe: stripe(&get, env)?,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// Cookies get `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// Things that work but that an operator should know about.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.env == Env::Development && self.secret_key == DEV_SECRET {
            w.push("PORTICO_SECRET_KEY is not set: using the development key".into());
        }
        if self.smtp_url.is_none() {
            w.push("SMTP_URL is not set: emails are recorded but not delivered".into());
        }
        if matches!(&self.stripe, Some(s) if s.webhook_secret.is_none()) {
            w.push(
                "STRIPE_WEBHOOK_SECRET is not set: Stripe's events are refused, so payments \
                 confirmed only by webhook (after 3-D Secure) wait for the next billing run"
                    .into(),
            );
        }
        if self.env == Env::Production && !self.secure_cookies() {
            w.push("PORTICO_BASE_URL is not https: session cookies are not marked Secure".into());
        }
        w
    }
}

/// Stripe's keys and where its API is.
#[derive(Clone)]
pub struct StripeConfig {
    pub secret_key: String,
    pub publishable_key: Option<String>,
    pub webhook_secret: Option<String>,
    /// `https://api.stripe.com/`, or the development/test stand-in (`STRIPE_API_BASE`).
    pub api_base: String,
}

fn stripe(
    get: &dyn Fn(&str) -> Option<String>,
    env: Env,
) -> Result<Option<StripeConfig>, ConfigError> {
    let Some(secret_key) = get("STRIPE_SECRET_KEY") else {
        return Ok(None);
    };
    if !(secret_key.starts_with("sk_") || secret_key.starts_with("rk_")) {
        return Err(invalid(
            "STRIPE_SECRET_KEY",
            "is not a Stripe secret key (sk_live_…, sk_test_… or a restricted rk_… key)",
        ));
    }
    let publishable_key = get("STRIPE_PUBLISHABLE_KEY");
    if publishable_key
        .as_ref()
        .is_some_and(|k| !k.starts_with("pk_"))
    {
        return Err(invalid(
            "STRIPE_PUBLISHABLE_KEY",
            "is not a Stripe publishable key (pk_live_… or pk_test_…)",
        ));
    }
    let api_base = match get("STRIPE_API_BASE") {
        None => domain::billing::cards::stripe::API_BASE.to_owned(),
        Some(b) => {
            let u = url::Url::parse(&b)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .ok_or_else(|| {
                    invalid("STRIPE_API_BASE", format!("{b:?} is not an http(s) URL"))
                })?;
            // The stand-in is for development and tests only.
            if env == Env::Production && u.host_str() != Some("api.stripe.com") {
                return Err(invalid(
                    "STRIPE_API_BASE",
                    "must be Stripe's own API in production (the stand-in is for development and tests)",
                ));
            }
            u.to_string()
        }
    };
    Ok(Some(StripeConfig {
        secret_key,
        publishable_key,
        webhook_secret: get("STRIPE_WEBHOOK_SECRET"),
        api_base,
    }))
}

fn parse_file(path: &str, text: &str) -> Result<HashMap<String, String>, ConfigError> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').ok_or(ConfigError::FileSyntax {
            path: path.to_owned(),
            line: i + 1,
        })?;
        let v = v.trim().trim_matches('"');
        out.insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_a_local_sqlite_development_setup() {
        let c = Config::from_vars(&HashMap::new()).unwrap();
        assert_eq!(c.env, Env::Development);
        assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(c.base_url.as_str(), "http://127.0.0.1:3000/");
        assert!(c.database_url.starts_with("sqlite://") && c.database_url.contains("portico.db"));
        assert!(!c.secure_cookies());
        domain::mail::Mailer::new(None, &c.mail_from).expect("default sender parses");
    }

    #[test]
    fn invalid_values_name_the_key() {
        for (pairs, key) in [
            (vec![("PORTICO_BIND", "localhost")], "PORTICO_BIND"),
            (vec![("PORTICO_BASE_URL", "ftp://x")], "PORTICO_BASE_URL"),
            (
                vec![("PORTICO_UPGRADE_CANCEL_DAYS", "0")],
                "PORTICO_UPGRADE_CANCEL_DAYS",
            ),
            (
                vec![("PORTICO_BILLING_INTERVAL_MINUTES", "often")],
                "PORTICO_BILLING_INTERVAL_MINUTES",
            ),
            (vec![("PORTICO_ENV", "staging")], "PORTICO_ENV"),
            (vec![("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![("PORTICO_ENV", "production")], "PORTICO_SECRET_KEY"),
            (vec![("PORTICO_SECRET_KEY", "short")], "PORTICO_SECRET_KEY"),
            (vec![("SMTP_URL", "mail.example.com")], "SMTP_URL"),
            (
                vec![("PORTICO_TRUST_PROXY", "maybe")],
                "PORTICO_TRUST_PROXY",
            ),
            (vec![("STRIPE_SECRET_KEY", "hunter2")], "STRIPE_SECRET_KEY"),
            (
                vec![
                    ("STRIPE_SECRET_KEY", "sk_test_1"),
                    ("STRIPE_PUBLISHABLE_KEY", "sk_x"),
                ],
                "STRIPE_PUBLISHABLE_KEY",
            ),
            (
                vec![
                    ("STRIPE_SECRET_KEY", "sk_test_1"),
                    ("STRIPE_API_BASE", "localhost:12111"),
                ],
                "STRIPE_API_BASE",
            ),
            (
                vec![
                    ("PORTICO_ENV", "production"),
                    ("PORTICO_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
                    ("STRIPE_SECRET_KEY", "sk_live_1"),
                    ("STRIPE_API_BASE", "http://127.0.0.1:12111"),
                ],
                "STRIPE_API_BASE",
            ),
        ] {
            let err = Config::from_vars(&vars(&pairs)).unwrap_err().to_string();
            assert!(err.starts_with(key), "{err}");
        }
    }

    #[test]
    fn https_base_url_makes_cookies_secure_and_debug_hides_secrets() {
        let c = Config::from_vars(&vars(&[
            ("PORTICO_BASE_URL", "https://portal.example.com"),
            ("SMTP_URL", "smtp://user:hunter2@mail.example.com:587"),
            (
                "PORTICO_SECRET_KEY",
                "0123456789abcdef0123456789abcdef-secret",
            ),
        ]))
        .unwrap();
        assert!(c.secure_cookies());
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("-secret"),
            "{dbg}"
        );
    }

    #[test]
    fn stripe_is_off_without_a_key_and_defaults_to_stripes_api() {
        assert!(Config::from_vars(&HashMap::new()).unwrap().stripe.is_none());
        let c = Config::from_vars(&vars(&[("STRIPE_SECRET_KEY", "sk_test_secret123")])).unwrap();
        let s = c.stripe.as_ref().unwrap();
        assert_eq!(s.api_base, "https://api.stripe.com/");
        assert!(c
            .warnings()
            .iter()
            .any(|w| w.contains("STRIPE_WEBHOOK_SECRET")));
        assert!(!format!("{c:?}").contains("sk_test_secret123"));
        let local = Config::from_vars(&vars(&[
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_API_BASE", "http://127.0.0.1:12111"),
        ]))
        .unwrap();
        assert_eq!(local.stripe.unwrap().api_base, "http://127.0.0.1:12111/");
    }

    #[test]
    fn config_file_syntax() {
        let m = parse_file(
            "f",
            "# comment\nPORTICO_BIND = 0.0.0.0:80\nSMTP_URL=\"smtp://h\"\n",
        )
        .unwrap();
        assert_eq!(m["PORTICO_BIND"], "0.0.0.0:80");
        assert_eq!(m["SMTP_URL"], "smtp://h");
        assert!(matches!(
            parse_file("f", "oops"),
            Err(ConfigError::FileSyntax { line: 1, .. })
        ));
    }
}
