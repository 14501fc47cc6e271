//! A private PostgreSQL cluster for workloads and benchmarks: Debian's server binaries, a data
//! directory under /tmp, its own port and socket directory, trust authentication on loopback.
//! Idempotent: a running cluster is reused.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};

use crate::setup::run_checked;

pub const PORT: u16 = 54329;
const DIR: &str = "/tmp/tracer-pg";

/// Where the cluster keeps its data and its unix socket.
pub fn dir() -> PathBuf {
    PathBuf::from(DIR)
}

fn bin(name: &str) -> Result<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .with_context(|| {
            format!(
                "PostgreSQL server not installed ({} missing): apt-get install postgresql",
                root.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    versions.sort();
    let path = versions
        .last()
        .map(|v| v.join("bin").join(name))
        .filter(|p| p.exists())
        .with_context(|| format!("{name} not found under {}", root.display()))?;
    Ok(path)
}

fn as_postgres(program: &Path) -> Command {
    let mut cmd = Command::new("runuser");
    cmd.args(["-u", "postgres", "--"]).arg(program);
    cmd
}

/// Makes sure the cluster exists and runs; returns its socket directory.
pub fn ensure_running() -> Result<PathBuf> {
    let dir = dir();
    let data = dir.join("data");
    let pg_ctl = bin("pg_ctl")?;
    if !data.join("PG_VERSION").exists() {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
        run_checked(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
        run_checked(
            as_postgres(&bin("initdb")?)
                .args(["-D"])
                .arg(&data)
                .args(["-A", "trust", "-U", "postgres", "--no-sync"])
                .stdout(std::process::Stdio::null()),
        )?;
    }
    let status = as_postgres(&pg_ctl)
        .args(["status", "-D"])
        .arg(&data)
        .output()?;
    if !status.status.success() {
        let opts = format!(
            "-p {PORT} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            dir.display()
        );
        run_checked(
            as_postgres(&pg_ctl)
                .args(["start", "-w", "-D"])
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(dir.join("log"))
                .stdout(std::process::Stdio::null()),
        )?;
    }
    let ready = Command::new("pg_isready")
        .args(["-h", "127.0.0.1", "-p", &PORT.to_string()])
        .output()?;
    if !ready.status.success() {
        bail!(
            "the PostgreSQL cluster in {} does not answer",
            dir.display()
        );
    }
    Ok(dir)
}
