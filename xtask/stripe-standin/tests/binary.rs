//! The `stripe-standin` binary: refuses production, prints its address, serves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_stripe-standin");

#[test]
fn refuses_to_start_in_production() {
    let out = Command::new(BIN)
        .args(["--port", "0"])
        .env("PORTICO_ENV", "production")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("PORTICO_ENV=production"), "{stderr}");
}

#[test]
fn rejects_bad_arguments() {
    let out = Command::new(BIN)
        .args(["--port", "many"])
        .env_remove("PORTICO_ENV")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Kills the child it holds when dropped, so a failing test leaves no server behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_its_address_and_serves() {
    let mut child = Child(
        Command::new(BIN)
            .args(["--port", "0"])
            .env("PORTICO_ENV", "development")
            .env_remove("STRIPE_WEBHOOK_URL")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("stripe stand-in listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}/v1/customers"))
        .bearer_auth("sk_test_x")
        .form(&[("email", "a@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let customer: serde_json::Value = r.json().await.unwrap();
    assert_eq!(customer["object"], "customer");
    assert_eq!(customer["email"], "a@example.com");
    let r = http.get(format!("{base}/")).send().await.unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("must never be used in production"));
}
