//! `cargo xtask run`: build, migrate, load demo data on first start, then serve.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::build::{self, Profile};
use crate::stripe::StandIn;
use crate::util::{self, err, Result};

pub fn run(root: &Path, profile: Profile) -> Result<ExitCode> {
    build::build(root, profile, false)?;
    let bin = profile.server_bin(root);
    let portico = |arg: &[&str]| {
        let mut cmd = Command::new(&bin);
        cmd.args(arg).current_dir(root);
        if std::env::var_os("LEPTOS_SITE_ROOT").is_none() {
            cmd.env("LEPTOS_SITE_ROOT", "target/site");
        }
        cmd
    };
    println!();
    let bind = std::env::var("PORTICO_BIND").ok();
    let base = std::env::var("PORTICO_BASE_URL").ok();
    let url = public_url(base.as_deref(), bind.as_deref());
    // Without Stripe keys of one's own, card payments run against the Stripe stand-in (test
    // cards by name); it stops when the server does.
    let stripe_env = if std::env::var_os("STRIPE_SECRET_KEY").is_none() {
        let s = StandIn::start(
            root,
            profile,
            util::free_port()?,
            &format!("{url}/webhooks/stripe"),
            None,
            Some(std::process::id()),
        )?;
        println!(
            "Stripe stand-in (test cards, no real payments) on {}",
            s.base_url()
        );
        // No publishable key: Stripe.js cannot load offline, the test cards are offered instead.
        let env = s.portico_env(false);
        s.detach();
        env
    } else {
        Vec::new()
    };
    let portico = |arg: &[&str]| {
        let mut cmd = portico(arg);
        cmd.envs(stripe_env.iter().map(|(k, v)| (*k, v.as_str())));
        cmd
    };
    util::run(&mut portico(&["migrate"]))?;
    util::run(&mut portico(&["demo", "--if-empty"]))?;

    println!(
        "\nPortico is starting at {}  (set PORTICO_BIND to change)\n\
         Demo logins (password: portico-demo):\n  \
         admin@example.com  — staff (administrator)\n  \
         ana@example.com    — client (Spanish)\n  \
         ben@example.com    — client (English)\n",
        url
    );
    serve(portico(&["serve"]))
}

/// Replaces this process with the server so Ctrl-C, signals and the exit code reach it
/// directly (xtask has nothing left to do and cannot install signal handlers std-only).
#[cfg(unix)]
fn serve(mut cmd: Command) -> Result<ExitCode> {
    use std::os::unix::process::CommandExt;
    let line = util::describe(&cmd);
    let e = cmd.exec();
    Err(err(format!("could not start `{line}`: {e}")))
}

#[cfg(not(unix))]
fn serve(mut cmd: Command) -> Result<ExitCode> {
    use crate::util::Context;
    let line = util::describe(&cmd);
    let status = cmd.status().context(format!("could not start `{line}`"))?;
    Ok(ExitCode::from(
        status.code().unwrap_or(1).clamp(0, 255) as u8
    ))
}

/// The address to print: PORTICO_BASE_URL, else the bind address (a wildcard bind is
/// reachable on loopback, which is what a browser on this machine needs).
fn public_url(base: Option<&str>, bind: Option<&str>) -> String {
    if let Some(base) = base.filter(|b| !b.is_empty()) {
        return base.to_string();
    }
    let bind = bind.filter(|b| !b.is_empty()).unwrap_or("127.0.0.1:3000");
    let bind = bind
        .strip_prefix("0.0.0.0:")
        .or_else(|| bind.strip_prefix("[::]:"))
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| bind.to_string());
    format!("http://{bind}")
}

#[cfg(test)]
mod tests {
    use super::public_url;

    #[test]
    fn url_prefers_base_then_bind() {
        assert_eq!(public_url(None, None), "http://127.0.0.1:3000");
        assert_eq!(
            public_url(None, Some("0.0.0.0:8080")),
            "http://127.0.0.1:8080"
        );
        assert_eq!(public_url(None, Some("10.0.0.5:80")), "http://10.0.0.5:80");
        assert_eq!(
            public_url(Some("https://portal.example"), Some("0.0.0.0:8080")),
            "https://portal.example"
        );
    }
}
