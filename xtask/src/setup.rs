//! `cargo xtask setup`: make this machine able to build (and test) Portico.
//! The recipe and its reasons are in /work/shared/TOOLCHAIN.md; in short, rustup here often
//! cannot download the wasm32 std, so we fall back to Debian's Rust with std sources.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{self, err, Context, Result};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const RUSTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// `debian` forces the fallback even when rustup has the target (to reproduce a CI machine).
pub const FORCE_VAR: &str = "XTASK_WASM_TOOLCHAIN";

/// Debian fallback: rustc/cargo with std sources (for `-Zbuild-std`) and LLVM's wasm linker.
pub const DEBIAN_CARGO: &str = "/usr/bin/cargo";
pub const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
pub const DEBIAN_STD_SRC: &str = "/usr/lib/rustlib/src/rust";
pub const WASM_LD: &str = "/usr/lib/llvm-19/bin/wasm-ld";
const DEBIAN_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-19"];

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Which compiler builds the browser (wasm) half; the server always uses rustup's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup's default toolchain has the wasm32 std installed.
    Rustup,
    /// Debian's rustc-web building std itself (`-Zbuild-std`), linked by wasm-ld.
    Debian,
}

/// Everything the build needs, as found or installed by `setup`.
pub struct Tools {
    pub toolchain: Toolchain,
    pub wasm_bindgen: PathBuf,
    pub wasm_opt: PathBuf,
}

/// Checks and installs what is missing. `for_tests` also requires Chromium.
pub fn setup(root: &Path, for_tests: bool) -> Result<Tools> {
    println!("== setup: checking build tools");
    npm_deps(root)?;
    let toolchain = wasm_toolchain(root)?;
    let wasm_bindgen = wasm_bindgen(root)?;
    let wasm_opt = root.join("end2end/node_modules/.bin/wasm-opt");
    println!(
        "wasm-opt: {} (npm binaryen; Debian's is too old)",
        wasm_opt.display()
    );
    if for_tests {
        chromium()?;
    }
    println!("== setup: done");
    Ok(Tools {
        toolchain,
        wasm_bindgen,
        wasm_opt,
    })
}

/// Playwright (browser tests) and binaryen (wasm-opt) come from npm, pinned by end2end/.
fn npm_deps(root: &Path) -> Result<()> {
    let dir = root.join("end2end");
    let bin = dir.join("node_modules/.bin");
    let missing: Vec<&str> = ["playwright", "wasm-opt"]
        .into_iter()
        .filter(|tool| !bin.join(tool).exists())
        .collect();
    // npm records what it installed in node_modules/.package-lock.json: older than the
    // lock file means package.json changed since (e.g. a new test dependency).
    let stale = match (
        util::mtime(&dir.join("package-lock.json")),
        util::mtime(&dir.join("node_modules/.package-lock.json")),
    ) {
        (Some(lock), Some(installed)) => lock > installed,
        _ => false,
    };
    if missing.is_empty() && !stale {
        println!("npm tools: playwright and wasm-opt present in end2end/node_modules");
        return Ok(());
    }
    if util::which("npm").is_none() {
        return Err(err(
            "npm is not installed; install Node.js 18+ with npm (Debian: `apt-get install -y nodejs npm`) and rerun",
        ));
    }
    let mut cmd = Command::new("npm");
    if dir.join("package-lock.json").exists() {
        cmd.args(["ci", "--no-audit", "--no-fund"]);
    } else {
        cmd.args(["install", "--no-audit", "--no-fund"]);
    }
    if stale {
        println!("npm tools: end2end/package-lock.json changed → reinstalling");
    } else {
        println!(
            "npm tools: missing {} → installing in end2end/",
            missing.join(", ")
        );
    }
    util::run(cmd.current_dir(&dir)).map_err(|e| {
        err(format!(
            "{e}\n  npm could not install end2end's packages; check the npm registry is reachable"
        ))
    })
}

/// Picks the wasm toolchain: rustup's if it has the wasm32 std (or can get it quickly),
/// otherwise Debian's (installing its packages when needed).
fn wasm_toolchain(root: &Path) -> Result<Toolchain> {
    match std::env::var(FORCE_VAR).as_deref() {
        Ok("debian") => {
            println!("wasm32 std: {FORCE_VAR}=debian → using Debian's rustc-web (TOOLCHAIN.md)");
            debian_toolchain(root)?;
            return Ok(Toolchain::Debian);
        }
        Ok("") | Ok("auto") | Err(_) => {}
        Ok(other) => {
            return Err(err(format!(
                "{FORCE_VAR} must be `debian` or `auto`, not `{other}`"
            )))
        }
    }
    if rustup_has_wasm_std() {
        println!("wasm32 std: present in rustup's default toolchain → using rustup");
        return Ok(Toolchain::Rustup);
    }
    if util::which("rustup").is_some() {
        print!("wasm32 std: missing from rustup → trying `rustup target add {WASM_TARGET}` (60 s timeout)… ");
        flush();
        let mut cmd = Command::new("rustup");
        util::clean_cargo_env(&mut cmd)
            .args(["target", "add", WASM_TARGET])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match util::status_with_timeout(&mut cmd, RUSTUP_TIMEOUT) {
            Ok(Some(status)) if status.success() && rustup_has_wasm_std() => {
                println!("ok → using rustup");
                return Ok(Toolchain::Rustup);
            }
            Ok(Some(_)) | Err(_) => println!("failed"),
            Ok(None) => println!("timed out"),
        }
    } else {
        println!("wasm32 std: rustup not found");
    }
    println!(
        "wasm32 std: falling back to Debian's rustc-web building std itself (see TOOLCHAIN.md)"
    );
    debian_toolchain(root)?;
    Ok(Toolchain::Debian)
}

fn rustup_has_wasm_std() -> bool {
    let mut cmd = Command::new("rustc");
    util::clean_cargo_env(&mut cmd).args(["--print", "sysroot"]);
    util::output_text(&mut cmd)
        .map(|sysroot| {
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(WASM_TARGET)
                .join("lib")
                .is_dir()
        })
        .unwrap_or(false)
}

fn debian_toolchain(root: &Path) -> Result<()> {
    let needed = [DEBIAN_CARGO, DEBIAN_RUSTC, DEBIAN_STD_SRC, WASM_LD];
    let missing: Vec<&str> = needed
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    let min = fs::read_to_string(root.join("Cargo.toml"))
        .ok()
        .and_then(|t| toml_string_value(&t, "rust-version"))
        .and_then(|v| parse_version(&v));
    let found = util::output_text(Command::new(DEBIAN_RUSTC).arg("--version"));
    let too_old = match (&found, min) {
        (Some(found), Some(min)) => parse_version(found).is_some_and(|v| v < min),
        _ => false,
    };
    if !missing.is_empty() || too_old {
        let why = if too_old {
            format!(
                "{} is older than the workspace's rust-version",
                found.unwrap_or_default()
            )
        } else {
            format!("missing {}", missing.join(", "))
        };
        apt_install(DEBIAN_PACKAGES, &why)?;
    }
    let version =
        util::output_text(Command::new(DEBIAN_RUSTC).arg("--version")).unwrap_or_default();
    println!("wasm toolchain: Debian ({version}, -Zbuild-std, linker {WASM_LD})");
    Ok(())
}

/// `apt-get install`, retrying once after `apt-get update` (package lists are often stale).
fn apt_install(packages: &[&str], why: &str) -> Result<()> {
    let line = format!("apt-get install -y {}", packages.join(" "));
    if !util::is_root() {
        return Err(err(format!(
            "{why}; run `sudo apt-get update && sudo {line}` and then rerun this command"
        )));
    }
    if util::which("apt-get").is_none() {
        return Err(err(format!(
            "{why}, and apt-get is not available; install the equivalent of `{line}`"
        )));
    }
    println!("{why} → {line}");
    let install = || {
        let mut cmd = Command::new("apt-get");
        cmd.args(["install", "-y"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive");
        util::run(&mut cmd)
    };
    if install().is_ok() {
        return Ok(());
    }
    println!("apt-get install failed → refreshing package lists and retrying once");
    util::run(Command::new("apt-get").arg("update"))?;
    install().map_err(|e| {
        err(format!(
            "{e}\n  could not install {}; install them by hand",
            packages.join(" ")
        ))
    })
}

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate in Cargo.lock exactly.
fn wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let lock_path = root.join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path).context(format!(
        "reading {} (run `cargo generate-lockfile` first)",
        lock_path.display()
    ))?;
    let want = lock_version(&lock, "wasm-bindgen").ok_or_else(|| {
        err("Cargo.lock has no `wasm-bindgen` package; is the frontend crate in the workspace?")
    })?;
    let candidates = [util::which("wasm-bindgen"), util::cargo_bin("wasm-bindgen")];
    let mut seen = Vec::new();
    for bin in candidates.into_iter().flatten().filter(|b| b.is_file()) {
        let version = util::output_text(Command::new(&bin).arg("--version"));
        // Output looks like "wasm-bindgen 0.2.130".
        match version.as_deref().and_then(|v| v.split_whitespace().nth(1)) {
            Some(v) if v == want => {
                println!("wasm-bindgen: {} ({v}, matches Cargo.lock)", bin.display());
                return Ok(bin);
            }
            Some(v) => seen.push(format!("{} is {v}", bin.display())),
            None => seen.push(format!("{} does not run", bin.display())),
        }
    }
    let why = if seen.is_empty() {
        "not installed".to_string()
    } else {
        seen.join(", ")
    };
    println!("wasm-bindgen: {why}; Cargo.lock wants {want}");
    println!("installing wasm-bindgen-cli {want} (≈3 min on 2 cores)");
    // Not --locked: its lock file names a crate version this registry does not serve.
    let mut cmd = util::cargo(root);
    cmd.args(["install", "wasm-bindgen-cli", "--version", &want]);
    util::run(&mut cmd)?;
    util::cargo_bin("wasm-bindgen")
        .filter(|b| b.is_file())
        .ok_or_else(|| err("wasm-bindgen-cli installed but ~/.cargo/bin/wasm-bindgen is missing"))
}

/// The browser tests drive the system Chromium (Playwright cannot download its own here).
fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        println!("chromium: {CHROMIUM}");
        return Ok(());
    }
    apt_install(&["chromium"], &format!("chromium: {CHROMIUM} missing"))
}

fn flush() {
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

/// Version of the `[[package]]` called `name` in a Cargo.lock (the first one if several).
pub fn lock_version(lock: &str, name: &str) -> Option<String> {
    lock.split("[[package]]").skip(1).find_map(|block| {
        (toml_string_value(block, "name")? == name).then(|| toml_string_value(block, "version"))?
    })
}

/// The quoted value of the first `key = "value"` line; enough for Cargo.lock and rust-version.
fn toml_string_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        if k.trim() != key {
            return None;
        }
        let v = v.trim();
        Some(v.strip_prefix('"')?.strip_suffix('"')?.to_string())
    })
}

/// (major, minor) from "1.94", "1.96.0" or "rustc 1.96.0 (ac68faa20 2026-05-25)".
fn parse_version(text: &str) -> Option<(u32, u32)> {
    let word = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    let mut parts = word.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "zzz"
version = "1.0.0"
"#;

    #[test]
    fn finds_exact_package_version_in_lock() {
        assert_eq!(
            lock_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(LOCK, "zzz").as_deref(), Some("1.0.0"));
        assert_eq!(lock_version(LOCK, "wasm"), None);
    }

    #[test]
    fn parses_rust_versions() {
        assert_eq!(parse_version("1.94"), Some((1, 94)));
        assert_eq!(
            parse_version("rustc 1.96.0 (ac68faa20 2026-05-25)"),
            Some((1, 96))
        );
        assert_eq!(parse_version("rustc"), None);
        assert_eq!(
            toml_string_value(
                "[workspace.package]\nrust-version = \"1.94\"\n",
                "rust-version"
            )
            .as_deref(),
            Some("1.94")
        );
    }
}
