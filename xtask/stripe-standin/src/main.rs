//! `stripe-standin [--port N]`: a local stand-in for the Stripe API, for development and tests.
//!
//! Environment: `STRIPE_WEBHOOK_URL` (where events are POSTed; unset: nowhere),
//! `STRIPE_WEBHOOK_SECRET` (default `whsec_standin`), `STRIPE_STANDIN_LATENCY_MS` (default 0).
//! Refuses to start when `PORTICO_ENV=production`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use stripe_standin::{Options, StandIn};

const USAGE: &str = "usage: stripe-standin [--port N] [--exit-with PID]
  --port N         default 12111; 0 picks a free port
  --exit-with PID  stop when process PID ends (Linux; how `cargo xtask run` ties it to Portico)
environment: STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET (default whsec_standin),
             STRIPE_STANDIN_LATENCY_MS (default 0)";

#[derive(Debug, PartialEq, Eq)]
struct Args {
    port: u16,
    exit_with: Option<u32>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        port: 12111,
        exit_with: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            match &value {
                Some(v) => Ok(v.clone()),
                None => args.next().cloned().ok_or(format!("{name} needs a value")),
            }
        };
        match name {
            "--port" | "-p" => {
                let v = value()?;
                out.port = v
                    .parse()
                    .map_err(|_| format!("--port {v}: not a port number"))?;
            }
            "--exit-with" => {
                let v = value()?;
                out.exit_with = Some(
                    v.parse()
                        .map_err(|_| format!("--exit-with {v}: not a process id"))?,
                );
            }
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(out)
}

/// Resolves when process `pid` no longer exists.
async fn gone(pid: u32) {
    let path = std::path::PathBuf::from(format!("/proc/{pid}"));
    while path.exists() {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::var("PORTICO_ENV").is_ok_and(|v| v.trim().eq_ignore_ascii_case("production")) {
        eprintln!(
            "stripe-standin: refusing to start because PORTICO_ENV=production. The Stripe \
             stand-in fakes payments and is for development and tests only."
        );
        return ExitCode::from(2);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Args { port, exit_with } = match parse_args(&args) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("stripe-standin: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let latency = match std::env::var("STRIPE_STANDIN_LATENCY_MS") {
        Ok(ms) => {
            match ms.trim().parse::<u64>() {
                Ok(ms) => Duration::from_millis(ms),
                Err(_) => {
                    eprintln!("stripe-standin: STRIPE_STANDIN_LATENCY_MS={ms}: not a number of milliseconds");
                    return ExitCode::from(2);
                }
            }
        }
        Err(_) => Duration::ZERO,
    };
    let opts = Options {
        webhook_url: std::env::var("STRIPE_WEBHOOK_URL")
            .ok()
            .filter(|u| !u.trim().is_empty()),
        webhook_secret: std::env::var("STRIPE_WEBHOOK_SECRET")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| Options::default().webhook_secret),
        latency,
        events_before_answer: false,
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("stripe-standin: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stand_in = StandIn::start(listener, opts).await;
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "stripe stand-in listening on {}",
        stand_in.base_url()
    );
    let _ = stdout.flush();
    match exit_with {
        Some(pid) => tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            _ = gone(pid) => {},
        },
        None => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::{parse_args, Args};

    fn args(a: &[&str]) -> Result<Args, String> {
        parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn arguments() {
        assert_eq!(
            args(&[]).unwrap(),
            Args {
                port: 12111,
                exit_with: None
            }
        );
        assert_eq!(args(&["--port", "0"]).unwrap().port, 0);
        assert_eq!(args(&["--port=4242"]).unwrap().port, 4242);
        assert_eq!(args(&["--exit-with", "77"]).unwrap().exit_with, Some(77));
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--exit-with"]).is_err());
        assert!(args(&["--bogus"]).is_err());
    }
}
