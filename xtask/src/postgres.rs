//! A throwaway PostgreSQL cluster for the migration tests (TOOLCHAIN.md, "Services for tests"):
//! initdb in a fresh temp dir, listening on 127.0.0.1:<free port>, stopped on drop.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{self, Result, TempDir};

const PREFIX: &str = "portico-pg";

pub struct Cluster {
    dir: TempDir,
    bin: PathBuf,
    as_postgres: bool,
    port: u16,
    started: bool,
}

/// `/usr/lib/postgresql/<newest version>/bin` if it has `initdb`.
pub fn find_bin_dir() -> Option<PathBuf> {
    let entries = fs::read_dir("/usr/lib/postgresql").ok()?;
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("bin/initdb").is_file())
        .max_by_key(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.and_then(|n| n.parse::<u32>().ok()).unwrap_or(0)
        })
        .map(|p| p.join("bin"))
}

impl Cluster {
    pub fn start(bin: &Path) -> Result<Cluster> {
        stop_stale_clusters(bin);
        // initdb refuses to run as root, so as root everything runs as the `postgres` user.
        let as_postgres = util::is_root();
        let mut cluster = Cluster {
            dir: TempDir::new(PREFIX)?,
            bin: bin.to_path_buf(),
            as_postgres,
            port: util::free_port()?,
            started: false,
        };
        let dir = cluster.dir.path().to_path_buf();
        if as_postgres {
            util::run_captured(Command::new("chown").args(["-R", "postgres"]).arg(&dir))?;
        }
        let data = dir.join("data");
        let mut initdb = cluster.tool("initdb");
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
        ]);
        util::run_captured(&mut initdb)?;

        // Socket in our own dir (not /run/postgresql) and fsync off: fast and isolated.
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            cluster.port,
            dir.display()
        );
        let mut pg_ctl = cluster.tool("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-o", &options, "-w", "start"]);
        // Marked before starting so a half-started server is still stopped on drop.
        cluster.started = true;
        if let Err(e) = util::run_captured(&mut pg_ctl) {
            let log = util::tail_lines(&dir.join("server.log"), 20).join("\n    ");
            return Err(util::err(format!("{e}\n  server log:\n    {log}")));
        }
        Ok(cluster)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn tool(&self, name: &str) -> Command {
        tool_command(&self.bin, name, self.as_postgres, self.dir.path())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.started {
            let mut stop = self.tool("pg_ctl");
            stop.arg("-D")
                .arg(self.dir.path().join("data"))
                .args(["-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            match stop.status() {
                Ok(s) if s.success() => println!("PostgreSQL on port {} stopped", self.port),
                _ => println!(
                    "warning: could not stop PostgreSQL ({})",
                    util::describe(&stop)
                ),
            }
        }
    }
}

fn tool_command(bin: &Path, name: &str, as_postgres: bool, cwd: &Path) -> Command {
    let mut cmd = if as_postgres {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bin.join(name));
        cmd
    } else {
        Command::new(bin.join(name))
    };
    // The postgres user may not be able to read the caller's working directory.
    cmd.current_dir(cwd);
    cmd
}

/// pg_ctl detaches the server from our session, so a run killed by Ctrl-C leaves it running.
/// Clusters whose creating xtask process is gone are stopped and removed here.
fn stop_stale_clusters(bin: &Path) {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(pid) = stale_pid(&name) else {
            continue;
        };
        if Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        if path.join("data/postmaster.pid").exists() {
            let as_postgres = util::is_root();
            let mut stop = tool_command(bin, "pg_ctl", as_postgres, &path);
            stop.arg("-D")
                .arg(path.join("data"))
                .args(["-m", "immediate", "stop"]);
            let _ = stop.stdout(Stdio::null()).stderr(Stdio::null()).status();
            println!(
                "stopped a PostgreSQL left running by an interrupted run ({})",
                path.display()
            );
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// The creating process id in a `portico-pg-<pid>-<millis>` directory name.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_prefix('-')?;
    rest.split('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    /// Starts and stops a real cluster: `cargo test -p xtask -- --ignored` (needs PostgreSQL).
    #[test]
    #[ignore]
    fn real_cluster_starts_answers_and_stops() {
        let bin = super::find_bin_dir().expect("no PostgreSQL binaries");
        let cluster = super::Cluster::start(&bin).unwrap();
        let dir = cluster.dir.path().to_path_buf();
        let out = std::process::Command::new(bin.join("psql"))
            .args([&cluster.url(), "-tAc", "select 40 + 2"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42", "{out:?}");
        let port = cluster.port;
        drop(cluster);
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
        assert!(!dir.exists());
    }

    #[test]
    fn reads_pid_from_dir_name() {
        assert_eq!(
            super::stale_pid("portico-pg-1234-1700000000000"),
            Some(1234)
        );
        assert_eq!(super::stale_pid("portico-e2e-1234-1"), None);
        assert_eq!(super::stale_pid("portico-pgx"), None);
    }
}
