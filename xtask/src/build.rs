//! `cargo xtask build`: the browser bundle into target/site (what cargo-leptos would do) and
//! the server binary target/{debug,release}/portico.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::setup::{self, Toolchain, Tools};
use crate::util::{self, err, Context, Result};

/// Debug builds for tests and CI; release only when asked (≈15 min and 4.7 GB cold).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

impl Profile {
    pub fn dir(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }

    /// The server binary built for this profile.
    pub fn server_bin(self, root: &Path) -> PathBuf {
        root.join("target").join(self.dir()).join("portico")
    }
}

/// The server serves /pkg/portico.js, /pkg/portico_bg.wasm and /pkg/portico.css.
const PKG_DIR: &str = "target/site/pkg";
const OUT_NAME: &str = "portico";
const FRONT_WASM: &str = "target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm";
const STEPS: usize = 6;

/// Set-up, then every build step. `for_tests` makes set-up check Chromium too.
pub fn build(root: &Path, profile: Profile, for_tests: bool) -> Result<()> {
    let tools = setup::setup(root, for_tests)?;
    let pkg = root.join(PKG_DIR);
    let bundle = pkg.join(format!("{OUT_NAME}_bg.wasm"));

    if bundle_is_fresh(root, &bundle) {
        println!(
            "\n[1-3/{STEPS}] browser bundle up to date ({})",
            bundle.display()
        );
    } else {
        let expect_wasm = "≈5 min cold, seconds when cached";
        util::step(1, STEPS, "frontend wasm", expect_wasm, || {
            build_wasm(root, tools.toolchain)
        })?;
        util::step(2, STEPS, "wasm-bindgen", "≈10 s", || {
            bindgen(root, &tools, &pkg)
        })?;
        util::step(
            3,
            STEPS,
            "wasm-opt -Oz",
            "≈3 min cold: npm binaryen runs as WebAssembly in Node",
            || optimise(&tools, &bundle),
        )?;
    }
    report_size(&bundle);

    util::step(4, STEPS, "style → pkg/portico.css", "<1 s", || {
        let (from, to) = (
            root.join("style/main.css"),
            pkg.join(format!("{OUT_NAME}.css")),
        );
        fs::copy(&from, &to).context(format!("copying {} to {}", from.display(), to.display()))?;
        Ok(())
    })?;
    util::step(5, STEPS, "public/ → target/site", "<1 s", || {
        let public = root.join("public");
        let count = if public.is_dir() {
            util::copy_dir(&public, &root.join("target/site"))?
        } else {
            0
        };
        println!("  {count} files copied");
        Ok(())
    })?;
    let expect_server = match profile {
        Profile::Debug => "≈8 min cold, seconds when cached",
        Profile::Release => "≈15 min and 4.7 GB RAM cold",
    };
    let what = if for_tests {
        "server and the Rust tests (target/debug/portico)".to_owned()
    } else {
        format!("server (target/{}/portico)", profile.dir())
    };
    util::step(6, STEPS, &what, expect_server, || {
        let mut cmd = util::cargo(root);
        if for_tests {
            // Exactly what the Rust suite compiles, which includes both binaries (their
            // integration tests start them): built once, with one set of dependency features,
            // instead of a server build and then a test build that rebuilds most of it again.
            cmd.args(["test", "--no-run"]);
            for package in crate::test::RUST_PACKAGES {
                cmd.args(["-p", package]);
            }
        } else {
            // The Stripe stand-in comes along: `run` uses it instead of Stripe.
            cmd.args(["build", "-p", "server", "-p", "stripe-standin"]);
        }
        if profile == Profile::Release {
            cmd.arg("--release");
        }
        util::run(&mut cmd)
    })?;
    println!(
        "\nbuilt: {} and {}",
        profile.server_bin(root).display(),
        root.join("target/site").display()
    );
    Ok(())
}

/// Whether the optimised bundle is newer than every input of the wasm build. Cargo would
/// no-op, but wasm-bindgen and wasm-opt would still take minutes.
fn bundle_is_fresh(root: &Path, bundle: &Path) -> bool {
    let js = bundle.with_file_name(format!("{OUT_NAME}.js"));
    let (Some(built), true) = (util::mtime(bundle), js.exists()) else {
        return false;
    };
    let inputs: Vec<PathBuf> = [
        "app/src",
        "frontend/src",
        "Cargo.toml",
        "Cargo.lock",
        "app/Cargo.toml",
        "frontend/Cargo.toml",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    util::newest_mtime(&inputs).is_some_and(|newest| newest < built)
}

fn build_wasm(root: &Path, toolchain: Toolchain) -> Result<()> {
    let args = [
        "build",
        "-p",
        "frontend",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
        "--target-dir",
        "target/front",
    ];
    let mut cmd = match toolchain {
        Toolchain::Rustup => util::cargo(root),
        Toolchain::Debian => debian_cargo(root),
    };
    cmd.args(args);
    if toolchain == Toolchain::Debian {
        cmd.arg("-Zbuild-std=std,panic_abort");
    }
    util::run(&mut cmd)?;
    let wasm = root.join(FRONT_WASM);
    if !wasm.is_file() {
        return Err(err(format!(
            "cargo succeeded but {} is missing",
            wasm.display()
        )));
    }
    Ok(())
}

/// Debian's cargo (not rustup's proxy, which PATH would still find first) on nightly
/// features via RUSTC_BOOTSTRAP, linking with LLVM's wasm-ld (TOOLCHAIN.md).
fn debian_cargo(root: &Path) -> Command {
    let mut cmd = Command::new(setup::DEBIAN_CARGO);
    util::clean_cargo_env(&mut cmd)
        .env_remove("RUSTC_WRAPPER")
        .current_dir(root);
    let path = std::env::var("PATH").unwrap_or_default();
    cmd.env("PATH", format!("/usr/bin:{path}"))
        .env("RUSTC", setup::DEBIAN_RUSTC)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", setup::WASM_LD);
    cmd
}

fn bindgen(root: &Path, tools: &Tools, pkg: &Path) -> Result<()> {
    fs::create_dir_all(pkg).context(format!("creating {}", pkg.display()))?;
    let mut cmd = Command::new(&tools.wasm_bindgen);
    cmd.current_dir(root)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            PKG_DIR,
            "--out-name",
            OUT_NAME,
        ])
        .arg(FRONT_WASM);
    util::run(&mut cmd)
}

/// Optimises in place through a temp file; on failure keeps the working unoptimised bundle.
fn optimise(tools: &Tools, bundle: &Path) -> Result<()> {
    let tmp = bundle.with_extension("opt.wasm");
    let mut cmd = Command::new(&tools.wasm_opt);
    cmd.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
    ])
    .arg(bundle)
    .arg("-o")
    .arg(&tmp);
    match util::run(&mut cmd)
        .and_then(|()| fs::rename(&tmp, bundle).context("replacing the bundle"))
    {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            println!(
                "  warning: {e}; keeping the unoptimised bundle (larger download, still works)"
            );
            Ok(())
        }
    }
}

fn report_size(bundle: &Path) {
    let Ok(raw) = fs::metadata(bundle).map(|m| m.len()) else {
        return;
    };
    match gzip_size(bundle) {
        Some(gz) => println!("wasm bundle: {} KB, {} KB gzip", raw / 1024, gz / 1024),
        None => println!(
            "wasm bundle: {} KB (gzip not available to measure the compressed size)",
            raw / 1024
        ),
    }
}

/// Compressed size as served, measured by piping through the `gzip` command (std only).
fn gzip_size(path: &Path) -> Option<u64> {
    let file = File::open(path).ok()?;
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::from(file))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut size = 0u64;
    let mut buf = [0u8; 64 * 1024];
    if let Some(mut out) = child.stdout.take() {
        loop {
            match out.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => size += n as u64,
                Err(_) => {
                    let _ = child.kill();
                    break;
                }
            }
        }
    }
    child.wait().ok()?.success().then_some(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::TempDir;

    #[test]
    fn gzip_size_is_smaller_for_repetitive_data() {
        let dir = TempDir::new("xtask-gzip-test").unwrap();
        let file = dir.path().join("data.bin");
        fs::write(&file, vec![b'a'; 100_000]).unwrap();
        let size = gzip_size(&file).expect("gzip should be installed");
        assert!(size > 0 && size < 1_000, "{size}");
    }

    #[test]
    fn bundle_freshness_follows_inputs() {
        let dir = TempDir::new("xtask-fresh-test").unwrap();
        let root = dir.path();
        for file in ["app/src/lib.rs", "frontend/src/lib.rs", "Cargo.toml"] {
            fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            fs::write(root.join(file), "").unwrap();
        }
        let pkg = root.join(PKG_DIR);
        let bundle = pkg.join("portico_bg.wasm");
        assert!(!bundle_is_fresh(root, &bundle), "no bundle yet");
        std::thread::sleep(std::time::Duration::from_millis(20));
        util::copy_dir(&root.join("app"), &pkg).unwrap();
        fs::write(&bundle, "wasm").unwrap();
        assert!(!bundle_is_fresh(root, &bundle), "portico.js missing");
        fs::write(pkg.join("portico.js"), "js").unwrap();
        assert!(bundle_is_fresh(root, &bundle));
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("app/src/lib.rs"), "changed").unwrap();
        assert!(!bundle_is_fresh(root, &bundle), "a source changed");
    }
}
