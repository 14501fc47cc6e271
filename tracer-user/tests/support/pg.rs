//! A private PostgreSQL cluster, and a pgBouncer in front of it, for workloads, tests and
//! benchmarks: Debian's binaries, a directory under /tmp, their own ports and socket
//! directory, trust authentication on loopback. Idempotent: what runs is reused.
//!
//! Shared by xtask (fidelity workloads) and tracer-user's story tests.
#![allow(
    dead_code,
    reason = "included by xtask and by several test binaries, each using part of it"
)]

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

pub const PORT: u16 = 54329;
/// pgBouncer's TCP port.
pub const BOUNCER_PORT: u16 = 54339;
/// The password pgBouncer asks clients for (MD5 authentication), for user `postgres`.
pub const BOUNCER_PASSWORD: &str = "tracer-secret-pw";
const DIR: &str = "/tmp/tracer-pg";

fn run_checked(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("failed to start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

/// Where the cluster keeps its data and its unix socket.
pub fn dir() -> PathBuf {
    PathBuf::from(DIR)
}

/// A PostgreSQL server program (`initdb`, `pg_ctl`) of the newest installed version.
pub fn bin(name: &str) -> Result<PathBuf> {
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

/// `program` run as user postgres.
pub fn as_postgres(program: &Path) -> Command {
    let mut cmd = Command::new("runuser");
    cmd.args(["-u", "postgres", "--"]).arg(program);
    cmd
}

/// Held while the cluster or pgBouncer is checked and started: the tests of one binary run in
/// parallel threads, and two `pg_ctl start` at once fail (one finds the other's lock file).
static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Makes sure the cluster exists and runs; returns its socket directory.
pub fn ensure_running() -> Result<PathBuf> {
    let _one = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    start_cluster()
}

fn start_cluster() -> Result<PathBuf> {
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

/// Makes sure pgBouncer runs in front of the cluster (session pooling, MD5 password
/// authentication with `BOUNCER_PASSWORD`, listening on 127.0.0.1:`BOUNCER_PORT`); returns its
/// pid. pgBouncer itself logs in to the cluster with trust.
pub fn ensure_bouncer() -> Result<u32> {
    let _one = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = start_cluster()?;
    let pidfile = dir.join("pgbouncer.pid");
    let ini = dir.join("pgbouncer.ini");
    let users = dir.join("userlist.txt");
    let config = format!(
        "[databases]\npostgres = host=127.0.0.1 port={PORT} dbname=postgres\n\n\
         [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {BOUNCER_PORT}\n\
         unix_socket_dir = {d}\nauth_type = md5\nauth_file = {u}\npool_mode = transaction\n\
         server_reset_query_always = 1\n\
         logfile = {d}/pgbouncer.log\npidfile = {p}\nadmin_users = postgres\n",
        d = dir.display(),
        u = users.display(),
        p = pidfile.display(),
    );
    let current = fs::read_to_string(&ini).unwrap_or_default() == config;
    if let Some(pid) = running_pid(&pidfile) {
        if current {
            return Ok(pid);
        }
        // Started with another configuration: replace it.
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        let start = Instant::now();
        while running_pid(&pidfile).is_some() && start.elapsed() < Duration::from_secs(10) {
            thread::sleep(Duration::from_millis(50));
        }
    }
    let program = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .context("pgbouncer is not installed: apt-get install pgbouncer")?;
    fs::write(&users, format!("\"postgres\" \"{BOUNCER_PASSWORD}\"\n"))?;
    fs::write(&ini, config)?;
    run_checked(
        Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&ini)
            .arg(&users),
    )?;
    run_checked(
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(&program)
            .arg("-d")
            .arg(&ini)
            .stdout(Stdio::null()),
    )?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Some(pid) = running_pid(&pidfile) {
            return Ok(pid);
        }
        thread::sleep(Duration::from_millis(50));
    }
    bail!(
        "pgbouncer did not start; see {}/pgbouncer.log",
        dir.display()
    )
}

/// The pid in `pidfile`, if that process runs.
fn running_pid(pidfile: &Path) -> Option<u32> {
    let pid: u32 = fs::read_to_string(pidfile).ok()?.trim().parse().ok()?;
    Path::new(&format!("/proc/{pid}")).exists().then_some(pid)
}

/// Stops pgBouncer and the cluster, if they run (the end of a test run).
pub fn stop_all() {
    let dir = dir();
    if let Some(pid) = running_pid(&dir.join("pgbouncer.pid")) {
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    }
    if let Ok(pg_ctl) = bin("pg_ctl") {
        let _ = as_postgres(&pg_ctl)
            .args(["stop", "-m", "fast", "-D"])
            .arg(dir.join("data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Story 4's client (`tests/workloads/stories.py pg-client`): logs in through pgBouncer with
/// its MD5 password, sends the story's query (`SET SESSION CHARACTERISTICS AS TRANSACTION READ
/// ONLY`) and ends. Returns its output, the local port it connected from. Panics if it fails.
/// pgBouncer resets the server connection after it (`server_reset_query_always`), so the
/// query does not leave a pooled connection read-only for the next test.
pub fn story_client() -> String {
    let stories = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stories.py");
    let client = Command::new("/usr/bin/python3")
        .arg(stories)
        .args(["pg-client", &BOUNCER_PORT.to_string(), BOUNCER_PASSWORD])
        .output()
        .expect("run the story client");
    assert!(
        client.status.success(),
        "story client: {}",
        String::from_utf8_lossy(&client.stderr)
    );
    String::from_utf8_lossy(&client.stdout).trim().to_string()
}

/// `SHOW default_transaction_read_only` through pgBouncer (psql with the password): whether a
/// client handed a pooled server connection now gets a read-only session.
pub fn bouncer_session_read_only() -> bool {
    let out = Command::new(bin("psql").expect("psql"))
        .env("PGPASSWORD", BOUNCER_PASSWORD)
        .args(["-h", "127.0.0.1", "-p", &BOUNCER_PORT.to_string()])
        .args(["-U", "postgres", "-d", "postgres", "-XAtc"])
        .arg("SHOW default_transaction_read_only")
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim() == "on"
}
