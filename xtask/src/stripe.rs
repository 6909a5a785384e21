//! The Stripe stand-in (xtask/stripe-standin) as a child process, so `cargo xtask run` and the
//! browser suite have card payments without Stripe keys or a network: Portico's real Stripe
//! client talks to it through `STRIPE_API_BASE`, and it signs the webhooks it sends back.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::Profile;
use crate::util::{self, err, Context, Result};

pub const SECRET_KEY: &str = "sk_test_portico_standin";
pub const PUBLISHABLE_KEY: &str = "pk_test_portico_standin";
pub const WEBHOOK_SECRET: &str = "whsec_portico_standin";

pub struct StandIn {
    child: Child,
    pub port: u16,
}

impl StandIn {
    /// Starts it on `port`, sending events to `webhook_url`; `exit_with`: a process id whose end
    /// also ends the stand-in (for `run`, which replaces itself with the server).
    pub fn start(
        root: &Path,
        profile: Profile,
        port: u16,
        webhook_url: &str,
        log: Option<&File>,
        exit_with: Option<u32>,
    ) -> Result<StandIn> {
        let bin = root
            .join("target")
            .join(profile.dir())
            .join("stripe-standin");
        let mut cmd = Command::new(&bin);
        cmd.args(["--port", &port.to_string()])
            .env("STRIPE_WEBHOOK_URL", webhook_url)
            .env("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .env_remove("PORTICO_ENV")
            .stdin(Stdio::null());
        if let Some(pid) = exit_with {
            cmd.args(["--exit-with", &pid.to_string()]);
        }
        match log {
            Some(f) => {
                cmd.stdout(f.try_clone().context("opening the stand-in log")?)
                    .stderr(f.try_clone().context("opening the stand-in log")?);
            }
            None => {
                cmd.stdout(Stdio::null());
            }
        }
        let child = cmd.spawn().context(format!("starting {}", bin.display()))?;
        let mut s = StandIn { child, port };
        s.wait_ready()?;
        Ok(s)
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The environment that points Portico at the stand-in; with the publishable key the card
    /// page also offers Stripe's Payment Element (which needs js.stripe.com).
    pub fn portico_env(&self, publishable: bool) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("STRIPE_SECRET_KEY", SECRET_KEY.to_owned()),
            ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
            ("STRIPE_API_BASE", self.base_url()),
        ];
        if publishable {
            env.push(("STRIPE_PUBLISHABLE_KEY", PUBLISHABLE_KEY.to_owned()));
        }
        env
    }

    fn wait_ready(&mut self) -> Result<()> {
        let start = Instant::now();
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(err(format!(
                    "the Stripe stand-in exited ({status}) before listening on port {}",
                    self.port
                )));
            }
            if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let req = format!(
                    "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                    self.port
                );
                let mut line = String::new();
                if s.write_all(req.as_bytes()).is_ok()
                    && BufReader::new(s).read_line(&mut line).is_ok()
                    && line.starts_with("HTTP/1.1")
                {
                    return Ok(());
                }
            }
            if start.elapsed() > Duration::from_secs(20) {
                return Err(err("the Stripe stand-in did not start within 20 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Leaves it running after this value is gone (`run` execs the server, which it follows).
    pub fn detach(self) {
        std::mem::forget(self);
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        util::stop_child(&mut self.child, Duration::from_secs(3));
    }
}
