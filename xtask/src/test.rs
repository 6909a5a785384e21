//! `cargo xtask test`: build (debug), run every suite, print a table and one final line
//! `N passed, N failed`. Suites that cannot run count as failed so CI never passes silently.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::thread;

use crate::build::{self, Profile};
use crate::postgres::{self, Cluster};
use crate::{e2e, util};

/// What one suite did.
pub struct Outcome {
    pub name: &'static str,
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub note: String,
}

impl Outcome {
    pub fn new(name: &'static str) -> Outcome {
        Outcome {
            name,
            passed: 0,
            failed: 0,
            skipped: 0,
            note: String::new(),
        }
    }

    /// A suite that could not run: one failure, with the reason in the table.
    pub fn broken(name: &'static str, note: impl Into<String>) -> Outcome {
        Outcome {
            failed: 1,
            note: note.into(),
            ..Outcome::new(name)
        }
    }
}

/// Runs against api.stripe.com, only when `STRIPE_TEST_SECRET_KEY` is set.
const REAL_STRIPE_TEST: &str = "billing::cards::tests::real_stripe_test_mode";
const RUST_SUITE: &str = "Rust (domain, migration, app, server, xtask, stripe-standin)";
pub const RUST_PACKAGES: &[&str] = &[
    "domain",
    "migration",
    "app",
    "server",
    "xtask",
    "stripe-standin",
];

pub fn test(root: &Path) -> ExitCode {
    let mut suites = Vec::new();
    let mut skipped = Vec::new();
    if let Err(e) = build::build(root, Profile::Debug, true) {
        eprintln!("\nerror: {e}");
        suites.push(Outcome::broken(
            "build",
            "set-up or build failed (see above)",
        ));
        return summary(&suites, &skipped);
    }

    println!("\n== PostgreSQL");
    let cluster = match postgres::find_bin_dir() {
        None => {
            println!("no /usr/lib/postgresql/*/bin/initdb → PostgreSQL tests skipped");
            skipped.push("PostgreSQL migration suite (no PostgreSQL binaries)".to_string());
            None
        }
        Some(bin) => match Cluster::start(&bin) {
            Ok(cluster) => {
                println!("PostgreSQL running at {}", cluster.url());
                Some(cluster)
            }
            Err(e) => {
                eprintln!("error: {e}");
                suites.push(Outcome::broken(
                    "PostgreSQL",
                    "throwaway cluster did not start",
                ));
                None
            }
        },
    };
    let real_stripe =
        std::env::var("STRIPE_TEST_SECRET_KEY").is_ok_and(|k| k.starts_with("sk_test_"));
    if !real_stripe {
        skipped.push(
            "real Stripe test mode (set STRIPE_TEST_SECRET_KEY=sk_test_… to run it; the stand-in \
             suites ran)"
                .to_string(),
        );
    }
    suites.push(rust_suite(
        root,
        cluster.as_ref().map(Cluster::url),
        real_stripe,
    ));
    drop(cluster);

    suites.push(e2e::browser_suite(root, &[]));
    suites.push(lint_suite(root));
    summary(&suites, &skipped)
}

/// `cargo xtask e2e`: the browser suite alone (while working on it), Playwright's own
/// arguments passed through.
pub fn browser_only(root: &Path, args: &[String]) -> ExitCode {
    if let Err(e) = build::build(root, Profile::Debug, true) {
        eprintln!("\nerror: {e}");
        return summary(&[Outcome::broken("build", "set-up or build failed")], &[]);
    }
    summary(&[e2e::browser_suite(root, args)], &[])
}

/// Formatting and clippy (native targets, warnings are errors): each check is one test.
fn lint_suite(root: &Path) -> Outcome {
    let mut outcome = Outcome::new("Lint (rustfmt, clippy)");
    let mut fmt = util::cargo(root);
    fmt.args(["fmt", "--all", "--check"]);
    let mut clippy = util::cargo(root);
    clippy.args(["clippy", "--all-targets"]);
    for package in RUST_PACKAGES {
        clippy.args(["-p", package]);
    }
    clippy.args(["--", "-D", "warnings"]);
    println!("\n== {}", outcome.name);
    for (what, mut cmd) in [("rustfmt", fmt), ("clippy", clippy)] {
        println!("  $ {}", util::describe(&cmd));
        match cmd.status() {
            Ok(s) if s.success() => outcome.passed += 1,
            Ok(_) => {
                outcome.failed += 1;
                outcome.note = format!("{what} failed (see above)");
            }
            Err(e) => {
                outcome.failed += 1;
                outcome.note = format!("could not run {what}: {e}");
            }
        }
    }
    outcome
}

fn rust_suite(root: &Path, pg_url: Option<String>, real_stripe: bool) -> Outcome {
    let mut cmd = util::cargo(root);
    cmd.args(["test", "--no-fail-fast"]);
    for package in RUST_PACKAGES {
        cmd.args(["-p", package]);
    }
    // Output goes through a pipe (to count results), so ask cargo for colour explicitly.
    // Not libtest's `--color`: a test target with its own harness may reject the flag.
    if io::stdout().is_terminal() {
        cmd.env("CARGO_TERM_COLOR", "always");
    }
    // One test at a time in each binary. The server tests each run a whole app on their own
    // tokio runtime; with several runtimes in one process, an SSR render occasionally never
    // completed (≈1 full run in 8 timed out; 0 in 40 runs serially, and 0 in 4,000 requests
    // to one server process, which is how production runs). Serial costs a few seconds.
    cmd.env("RUST_TEST_THREADS", "1");
    // Tests that need PostgreSQL are #[ignore]d (reported as skipped) unless a server is up.
    let with_pg = pg_url.is_some();
    if let Some(url) = pg_url {
        cmd.env("PORTICO_TEST_PG_URL", url);
    }
    let mut libtest: Vec<&str> = Vec::new();
    if with_pg {
        libtest.push("--include-ignored");
    }
    // Real Stripe test mode runs on its own below, only with a key of one's own.
    libtest.extend(["--skip", REAL_STRIPE_TEST]);
    cmd.arg("--").args(libtest);
    let line = util::describe(&cmd);
    println!("\n== {RUST_SUITE}\n  $ {line}");
    let (status, lines) = match run_tee(&mut cmd) {
        Ok(result) => result,
        Err(e) => return Outcome::broken(RUST_SUITE, format!("could not start `{line}`: {e}")),
    };
    let mut lines = lines;
    if real_stripe {
        let mut one = util::cargo(root);
        one.args([
            "test",
            "-p",
            "domain",
            "--lib",
            "--",
            "--ignored",
            "--exact",
            REAL_STRIPE_TEST,
        ]);
        println!("  $ {}", util::describe(&one));
        match run_tee(&mut one) {
            Ok((_, more)) => lines.extend(more),
            Err(e) => return Outcome::broken(RUST_SUITE, format!("real Stripe test mode: {e}")),
        }
    }
    let mut outcome = Outcome::new(RUST_SUITE);
    for counts in lines.iter().filter_map(|l| parse_test_result(l)) {
        outcome.passed += counts.passed;
        outcome.failed += counts.failed;
        outcome.skipped += counts.ignored;
    }
    if !status.success() && outcome.failed == 0 {
        // A compile error or a crashed test binary leaves no "failed" count behind.
        outcome.failed = 1;
        outcome.note =
            format!("cargo test failed ({status}) without a test failure: compile error?");
    }
    outcome
}

/// Runs a command, streaming its stdout/stderr to ours while keeping the `test result:` lines.
fn run_tee(cmd: &mut Command) -> io::Result<(ExitStatus, Vec<String>)> {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let out = child
        .stdout
        .take()
        .map(|s| thread::spawn(move || tee(s, io::stdout())));
    let err = child
        .stderr
        .take()
        .map(|s| thread::spawn(move || tee(s, io::stderr())));
    let status = child.wait()?;
    let mut lines = Vec::new();
    for handle in [out, err].into_iter().flatten() {
        lines.extend(handle.join().unwrap_or_default());
    }
    Ok((status, lines))
}

/// Echoes chunk by chunk (libtest prints "test x ... " before "ok") and collects result lines.
fn tee(mut src: impl Read, mut dst: impl Write) -> Vec<String> {
    let mut buf = [0u8; 8192];
    let mut pending = Vec::new();
    let mut found = Vec::new();
    let mut keep = |line: &[u8]| {
        let line = String::from_utf8_lossy(line);
        if line.contains("test result:") {
            found.push(line.trim_end().to_string());
        }
    };
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let _ = dst.write_all(&buf[..n]);
        let _ = dst.flush();
        pending.extend_from_slice(&buf[..n]);
        while let Some(pos) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=pos).collect();
            keep(&line);
        }
    }
    keep(&pending);
    found
}

#[derive(Debug, PartialEq, Eq)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

/// Parses libtest's `test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; …` line.
fn parse_test_result(line: &str) -> Option<Counts> {
    let line = strip_ansi(line);
    let rest = &line[line.find("test result:")? + "test result:".len()..];
    let (_, fields) = rest.split_once('.')?;
    let mut counts = Counts {
        passed: 0,
        failed: 0,
        ignored: 0,
    };
    let mut seen = false;
    for field in fields.split(';') {
        let mut words = field.split_whitespace();
        let (Some(n), Some(label)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match label {
            "passed" => counts.passed = n,
            "failed" => counts.failed = n,
            "ignored" => counts.ignored = n,
            _ => continue,
        }
        seen = true;
    }
    seen.then_some(counts)
}

/// Removes terminal colour codes (`ESC [ … letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints the per-suite table, what was skipped, and the final line; returns the exit code.
fn summary(suites: &[Outcome], skipped_suites: &[String]) -> ExitCode {
    println!("\n== Summary");
    println!(
        "{:<34} {:>7} {:>7} {:>8}  note",
        "suite", "passed", "failed", "skipped"
    );
    for s in suites {
        println!(
            "{:<34} {:>7} {:>7} {:>8}  {}",
            s.name, s.passed, s.failed, s.skipped, s.note
        );
    }
    let mut skipped: Vec<String> = skipped_suites.to_vec();
    skipped.extend(
        suites
            .iter()
            .filter(|s| s.skipped > 0)
            .map(|s| format!("{} ignored/skipped in {}", s.skipped, s.name)),
    );
    if !skipped.is_empty() {
        println!("skipped: {}", skipped.join("; "));
    }
    let passed: u64 = suites.iter().map(|s| s.passed).sum();
    let failed: u64 = suites.iter().map(|s| s.failed).sum();
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_test_result_lines() {
        let ok = "test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.52s";
        assert_eq!(
            parse_test_result(ok),
            Some(Counts {
                passed: 12,
                failed: 0,
                ignored: 3
            })
        );
        let failed = "test result: FAILED. 4 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s";
        assert_eq!(
            parse_test_result(failed),
            Some(Counts {
                passed: 4,
                failed: 2,
                ignored: 0
            })
        );
        let coloured = "test result: \u{1b}[32mok\u{1b}[0m. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_test_result(coloured).map(|c| c.passed), Some(1));
        assert_eq!(parse_test_result("running 3 tests"), None);
        assert_eq!(parse_test_result("test result: nonsense"), None);
    }

    #[test]
    fn tee_keeps_result_lines_split_across_reads() {
        /// Hands out 5 bytes per read, like a pipe delivering output in pieces.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(5);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let input = b"test a ... ok\ntest result: ok. 2 passed; 1 failed; 0 ignored\n".to_vec();
        let mut echoed = Vec::new();
        let found = tee(Trickle(&input), &mut echoed);
        assert_eq!(echoed, input);
        assert_eq!(
            found,
            vec!["test result: ok. 2 passed; 1 failed; 0 ignored"]
        );
    }
}
