//! The browser suite: a fresh server (own data dir, port and SMTP sink) driven by Playwright.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::build::Profile;
use crate::smtp_sink::SmtpSink;
use crate::stripe::StandIn;
use crate::test::Outcome;
use crate::util::{self, err, Context, Result, TempDir};

const SUITE: &str = "Browser (Playwright)";
const SERVER_LOG: &str = "target/e2e-server.log";
const REPORT: &str = "target/e2e-results.json";
const HEALTH_TIMEOUT: Duration = Duration::from_secs(60);

pub fn browser_suite(root: &Path, args: &[String]) -> Outcome {
    println!("\n== {SUITE}");
    let mut mail = TempDir::new("portico-e2e-mail");
    let mut data = TempDir::new("portico-e2e-data");
    let outcome = match (&mail, &data) {
        (Ok(mail), Ok(data)) => run_suite(root, mail.path(), data.path(), args),
        (Err(e), _) | (_, Err(e)) => Err(err(e.to_string())),
    };
    let outcome = outcome.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        Outcome::broken(SUITE, "could not run (see above)")
    });
    if outcome.failed > 0 {
        let log = root.join(SERVER_LOG);
        println!("\nlast 40 lines of {}:", log.display());
        for line in util::tail_lines(&log, 40) {
            println!("  {line}");
        }
        // Keep the evidence: the sent mail and the database the server used.
        for dir in [&mut mail, &mut data].into_iter().flatten() {
            dir.keep();
            println!("kept {}", dir.path().display());
        }
    }
    outcome
}

fn run_suite(root: &Path, mail_dir: &Path, data_dir: &Path, args: &[String]) -> Result<Outcome> {
    let sink = SmtpSink::start(mail_dir).context("starting the SMTP sink")?;
    let port = util::free_port()?;
    let base_url = format!("http://127.0.0.1:{port}");
    println!(
        "SMTP sink on 127.0.0.1:{} writing to {}",
        sink.port(),
        mail_dir.display()
    );

    let log_path = root.join(SERVER_LOG);
    let log = File::create(&log_path).context(format!("creating {}", log_path.display()))?;
    let stripe = StandIn::start(
        root,
        Profile::Debug,
        util::free_port()?,
        &format!("{base_url}/webhooks/stripe"),
        Some(&log),
        None,
    )
    .context("starting the Stripe stand-in")?;
    println!("Stripe stand-in on {}", stripe.base_url());
    let stripe_env = stripe.portico_env(true);
    let bin = Profile::Debug.server_bin(root);
    let portico = |arg: &str| -> Result<Command> {
        let mut cmd = Command::new(&bin);
        let clone_log = || log.try_clone().context("opening the server log");
        cmd.arg(arg)
            .current_dir(root)
            // A DATABASE_URL from the developer's shell must not point the tests at real data.
            .env_remove("DATABASE_URL")
            .env("PORTICO_DATA_DIR", data_dir)
            .env("PORTICO_BIND", format!("127.0.0.1:{port}"))
            .env("PORTICO_BASE_URL", &base_url)
            .env("SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port()))
            .env("LEPTOS_SITE_ROOT", "target/site")
            // The browser tests expect the demo data as loaded; billing runs only when asked.
            .env("PORTICO_BILLING_INTERVAL_MINUTES", "0")
            // Both screen sizes open tickets as the same demo clients, run after run.
            .env("PORTICO_TICKET_MAX_NEW_PER_HOUR", "1000")
            .env("RUST_LOG", "info")
            .envs(stripe_env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(clone_log()?)
            .stderr(clone_log()?);
        Ok(cmd)
    };
    println!("server output → {}", log_path.display());
    util::run(&mut portico("migrate")?)?;
    util::run(&mut portico("demo")?)?;

    let mut serve = portico("serve")?;
    println!("  $ {} &", util::describe(&serve));
    let mut server = Server(serve.spawn().context("starting the server")?);
    wait_healthy(port, &mut server.0)?;
    let outcome = playwright(root, &base_url, mail_dir, &stripe.base_url(), args);
    drop(server);
    drop(stripe);
    drop(sink);
    outcome
}

/// Stops the background server however the suite ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        util::stop_child(&mut self.0, Duration::from_secs(5));
    }
}

fn wait_healthy(port: u16, server: &mut Child) -> Result<()> {
    print!(
        "waiting for http://127.0.0.1:{port}/healthz (up to {} s)… ",
        HEALTH_TIMEOUT.as_secs()
    );
    let _ = std::io::stdout().flush();
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = server.try_wait() {
            println!("server exited");
            return Err(err(format!(
                "the server exited ({status}) before answering /healthz"
            )));
        }
        match http_status(port, "/healthz") {
            Some(200) => {
                println!("ready in {:.1} s", start.elapsed().as_secs_f64());
                return Ok(());
            }
            last if start.elapsed() >= HEALTH_TIMEOUT => {
                println!("timed out");
                let last = last.map_or("no answer".to_string(), |s| format!("last status {s}"));
                return Err(err(format!(
                    "GET /healthz did not return 200 within 60 s ({last})"
                )));
            }
            _ => thread::sleep(Duration::from_millis(250)),
        }
    }
}

/// Status code of a plain HTTP/1.1 GET (std only; enough for a health check).
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line).ok()?;
    // "HTTP/1.1 200 OK"
    status_line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs Playwright from end2end/ through its local binary (what `npx playwright` resolves to,
/// minus npx's attempt to download when it is missing) and reads the JSON report's totals.
fn playwright(
    root: &Path,
    base_url: &str,
    mail_dir: &Path,
    stripe: &str,
    args: &[String],
) -> Result<Outcome> {
    let report = root.join(REPORT);
    let _ = fs::remove_file(&report);
    let mut cmd = Command::new(root.join("end2end/node_modules/.bin/playwright"));
    cmd.current_dir(root.join("end2end"))
        .args(["test", "--reporter=list,json"])
        .args(args)
        .env("BASE_URL", base_url)
        .env("MAIL_DIR", mail_dir)
        .env("STRIPE_STANDIN", stripe)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report);
    let line = util::describe(&cmd);
    println!("  $ {line}");
    let status = cmd.status().context(format!(
        "could not start `{line}` (run `cargo xtask setup`)"
    ))?;
    let text = fs::read_to_string(&report).context(format!(
        "reading Playwright's report {} (did the run start?)",
        report.display()
    ))?;
    let stats = parse_stats(&text)
        .ok_or_else(|| err(format!("no `stats` totals in {}", report.display())))?;

    let mut outcome = Outcome::new(SUITE);
    // Flaky tests passed on a retry: count them as passed but say so.
    outcome.passed = stats.expected + stats.flaky;
    outcome.failed = stats.unexpected;
    outcome.skipped = stats.skipped;
    if stats.flaky > 0 {
        outcome.note = format!("{} flaky (passed on retry)", stats.flaky);
    }
    if !status.success() && outcome.failed == 0 {
        // e.g. "No tests found" or a broken config: nothing ran, which must not look green.
        outcome.failed = 1;
        outcome.note = format!("playwright failed ({status}) without a test failure");
    }
    Ok(outcome)
}

#[derive(Debug, PartialEq, Eq)]
struct Stats {
    expected: u64,
    unexpected: u64,
    flaky: u64,
    skipped: u64,
}

/// Reads the top-level `"stats": {…}` of Playwright's JSON report without a JSON parser.
/// It is the report's last key, so the last occurrence is the right one.
fn parse_stats(json: &str) -> Option<Stats> {
    let at = json.rfind("\"stats\"")?;
    let open = at + json[at..].find('{')?;
    let close = open + json[open..].find('}')?;
    let object = &json[open..=close];
    Some(Stats {
        expected: number(object, "expected")?,
        unexpected: number(object, "unexpected")?,
        flaky: number(object, "flaky").unwrap_or(0),
        skipped: number(object, "skipped").unwrap_or(0),
    })
}

/// The integer value of `"key": N` in a flat JSON object.
fn number(object: &str, key: &str) -> Option<u64> {
    let quoted = format!("\"{key}\"");
    let mut rest = object;
    while let Some(i) = rest.find(&quoted) {
        rest = &rest[i + quoted.len()..];
        if let Some(value) = rest.trim_start().strip_prefix(':') {
            let value = value.trim_start();
            let end = value
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(value.len());
            return value[..end].parse().ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_playwright_stats() {
        let report = r#"{
  "config": {"reporter": [["json"]]},
  "suites": [{"title": "stats page", "specs": [{"tests": [{"expectedStatus": "passed",
     "results": [{"stdout": [{"text": "\"stats\": {\"expected\": 99}"}]}]}]}]}],
  "errors": [],
  "stats": {
    "startTime": "2026-11-25T13:00:00.000Z",
    "duration": 4242.5,
    "expected": 17,
    "skipped": 2,
    "unexpected": 1,
    "flaky": 3
  }
}"#;
        assert_eq!(
            parse_stats(report),
            Some(Stats {
                expected: 17,
                unexpected: 1,
                flaky: 3,
                skipped: 2
            })
        );
        assert_eq!(parse_stats("{\"errors\": []}"), None);
        let minimal = r#"{"stats":{"expected":0,"unexpected":0}}"#;
        assert_eq!(
            parse_stats(minimal).map(|s| (s.expected, s.flaky)),
            Some((0, 0))
        );
    }

    #[test]
    fn health_check_reads_status() {
        use std::net::TcpListener;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut request = String::new();
            BufReader::new(conn.try_clone().unwrap())
                .read_line(&mut request)
                .unwrap();
            assert_eq!(request, "GET /healthz HTTP/1.1\r\n");
            conn.write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
        });
        assert_eq!(http_status(port, "/healthz"), Some(503));
        server.join().unwrap();
    }
}
