//! Small std-only helpers: errors, running commands, files, ports and temp dirs.

use std::fmt;
use std::fs;
use std::io;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A failure already worded for the person at the terminal (what went wrong, what to do).
#[derive(Debug)]
pub struct Error(String);

pub type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn err(msg: impl Into<String>) -> Error {
    Error(msg.into())
}

/// Adds what we were doing to a low-level error (`reading Cargo.lock: No such file…`).
pub trait Context<T> {
    fn context(self, what: impl fmt::Display) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error(format!("{what}: {e}")))
    }
}

/// The workspace root, fixed at compile time so `cargo xtask` works from any directory.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Variables the outer `cargo run` (or rustup) sets that would make a nested cargo use the
/// wrong compiler, toolchain or target directory.
const INHERITED_CARGO_VARS: &[&str] = &[
    "RUSTC",
    "RUSTDOC",
    "CARGO",
    "RUSTUP_TOOLCHAIN",
    "CARGO_TARGET_DIR",
];

/// Strips the inherited cargo/rustup variables from a child command.
pub fn clean_cargo_env(cmd: &mut Command) -> &mut Command {
    for var in INHERITED_CARGO_VARS {
        cmd.env_remove(var);
    }
    // `cargo run` prepends target dirs and rustup's toolchain libs to the library path; they
    // must not leak into another toolchain's compiler (Debian's rustc for the wasm half).
    if let Some(paths) = std::env::var_os("LD_LIBRARY_PATH") {
        let target = workspace_root().join("target");
        let toolchains = std::env::var_os("RUSTUP_HOME").map(|h| Path::new(&h).join("toolchains"));
        let from_cargo = |p: &Path| {
            p.starts_with(&target)
                || toolchains.as_ref().is_some_and(|t| p.starts_with(t))
                || p.to_string_lossy().contains("/.rustup/toolchains/")
        };
        let kept: Vec<PathBuf> = std::env::split_paths(&paths)
            .filter(|p| !from_cargo(p))
            .collect();
        match std::env::join_paths(&kept) {
            Ok(joined) if !kept.is_empty() => cmd.env("LD_LIBRARY_PATH", joined),
            _ => cmd.env_remove("LD_LIBRARY_PATH"),
        };
    }
    cmd
}

/// `cargo` (rustup's default toolchain) run from the workspace root with a clean environment.
pub fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    clean_cargo_env(&mut cmd).current_dir(root);
    cmd
}

/// The command line as the user would type it, for progress messages and errors.
pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| {
        let a = a.to_string_lossy();
        if a.contains(' ') {
            format!("\"{a}\"")
        } else {
            a.into_owned()
        }
    }));
    parts.join(" ")
}

/// Runs a command with inherited stdio; a non-zero exit becomes an error naming the command.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = describe(cmd);
    println!("  $ {line}");
    let status = cmd.status().context(format!(
        "could not start `{line}` (is it installed and on PATH?)"
    ))?;
    check_status(&line, status)
}

pub fn check_status(line: &str, status: ExitStatus) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        Err(err(format!("`{line}` failed ({status})")))
    }
}

/// Runs a command with its output captured, shown only if it fails (for chatty tools).
pub fn run_captured(cmd: &mut Command) -> Result<()> {
    let line = describe(cmd);
    println!("  $ {line}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .context(format!("could not start `{line}` (is it installed?)"))?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(20)..].join("\n    ");
    Err(err(format!(
        "`{line}` failed ({}):\n    {tail}",
        out.status
    )))
}

/// Runs a command quietly and returns its trimmed stdout when it succeeds.
pub fn output_text(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs a command but kills it after `timeout` (for tools that hang without internet).
/// `Ok(None)` means it timed out.
pub fn status_with_timeout(cmd: &mut Command, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    let mut child = cmd.spawn()?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if start.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// Asks a child to stop (SIGTERM via `kill`, so it can clean up), then kills it after `grace`.
pub fn stop_child(child: &mut Child, grace: Duration) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let start = Instant::now();
    while start.elapsed() < grace {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// First `name` found on PATH, as `which` would.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// `$HOME/.cargo/bin/<name>` (or `$CARGO_HOME/bin`), where `cargo install` puts tools.
pub fn cargo_bin(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    Some(home.join("bin").join(name))
}

/// Whether we run as root (apt-get and runuser need it); read from /proc to stay std-only.
pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

/// A port that was free a moment ago (the OS picks it; we release it for the child to bind).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free local port")?;
    Ok(listener
        .local_addr()
        .context("finding a free local port")?
        .port())
}

pub fn unix_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// A fresh directory under the system temp dir, removed on drop unless `keep` was called.
pub struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    pub fn new(prefix: &str) -> Result<TempDir> {
        // The pid in the name lets a later run recognise directories left by a killed run.
        let name = format!("{prefix}-{}-{}", std::process::id(), unix_millis());
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).context(format!("creating {}", path.display()))?;
        Ok(TempDir { path, keep: false })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the directory behind (for looking at it after a failure).
    pub fn keep(&mut self) {
        self.keep = true;
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

pub fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of the given files and everything under the given dirs.
pub fn newest_mtime(paths: &[PathBuf]) -> Option<SystemTime> {
    fn walk(path: &Path, newest: &mut Option<SystemTime>) {
        if path.is_dir() {
            if let Ok(entries) = fs::read_dir(path) {
                for entry in entries.flatten() {
                    walk(&entry.path(), newest);
                }
            }
        } else if let Some(t) = mtime(path) {
            *newest = (*newest).max(Some(t));
        }
    }
    let mut newest = None;
    for p in paths {
        walk(p, &mut newest);
    }
    newest
}

/// Copies `src` into `dst` recursively, overwriting files that exist.
pub fn copy_dir(src: &Path, dst: &Path) -> Result<u64> {
    fs::create_dir_all(dst).context(format!("creating {}", dst.display()))?;
    let mut copied = 0;
    let entries = fs::read_dir(src).context(format!("reading {}", src.display()))?;
    for entry in entries {
        let entry = entry.context(format!("reading {}", src.display()))?;
        let (from, to) = (entry.path(), dst.join(entry.file_name()));
        if from.is_dir() {
            copied += copy_dir(&from, &to)?;
        } else {
            fs::copy(&from, &to).context(format!(
                "copying {} to {}",
                from.display(),
                to.display()
            ))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// The last `n` lines of a text file (for showing a server log after a failure).
pub fn tail_lines(path: &Path, n: usize) -> Vec<String> {
    let text = fs::read(path).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

/// One numbered build/test step: prints "[k/n] what (expected)" and then the elapsed time.
pub fn step<T>(
    k: usize,
    n: usize,
    what: &str,
    expected: &str,
    f: impl FnOnce() -> Result<T>,
) -> Result<T> {
    println!("\n[{k}/{n}] {what} ({expected})");
    let start = Instant::now();
    let result = f();
    let secs = start.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("[{k}/{n}] done in {secs:.1} s"),
        Err(_) => println!("[{k}/{n}] failed after {secs:.1} s"),
    }
    result
}
