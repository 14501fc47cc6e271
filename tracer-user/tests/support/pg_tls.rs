//! A pgBouncer that requires TLS from its clients, for the `--tls` tests: its own directory,
//! port and certificate (made with openssl), in front of the shared cluster (`pg.rs`), which
//! it reaches in plaintext. Started per test and stopped when the guard drops, so the shared
//! pgBouncer's configuration is never touched.
#![allow(
    dead_code,
    reason = "included by several test binaries, each using part of it"
)]

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

/// The TLS pgBouncer's TCP port.
pub const TLS_PORT: u16 = 54349;
/// Its password for user `postgres` (MD5 authentication, sent inside TLS).
pub const TLS_PASSWORD: &str = "tracer-tls-secret";
const DIR: &str = "/tmp/tracer-pg-tls";

/// A running TLS pgBouncer; stopped on drop.
pub struct TlsBouncer {
    pub pid: u32,
}

impl Drop for TlsBouncer {
    fn drop(&mut self) {
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(self.pid as i32, libc::SIGTERM) };
        let start = Instant::now();
        while Path::new(&format!("/proc/{}", self.pid)).exists()
            && start.elapsed() < Duration::from_secs(5)
        {
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn run_checked(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .with_context(|| format!("failed to start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

/// A cluster of its own with `ssl = on` (port `TLS_PG_PORT`, under `TLS_PG_DIR`), for
/// `server_tls_sslmode`; stopped when the guard drops.
pub struct TlsCluster;

/// The TLS cluster's port and directory.
pub const TLS_PG_PORT: u16 = 54359;
const TLS_PG_DIR: &str = "/tmp/tracer-pg-tls-db";

impl Drop for TlsCluster {
    fn drop(&mut self) {
        if let Ok(pg_ctl) = crate::pg::bin("pg_ctl") {
            let _ = crate::pg::as_postgres(&pg_ctl)
                .args(["stop", "-m", "fast", "-D"])
                .arg(Path::new(TLS_PG_DIR).join("data"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Makes a self-signed certificate for localhost: `dir/server.key`, `dir/server.crt`.
fn certificate(dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let (key, crt) = (dir.join("server.key"), dir.join("server.crt"));
    run_checked(
        Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=localhost", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&crt),
    )?;
    Ok((key, crt))
}

/// Starts (creating it the first time) a PostgreSQL cluster that accepts TLS, with a fresh
/// certificate.
pub fn start_tls_cluster() -> Result<TlsCluster> {
    let dir = PathBuf::from(TLS_PG_DIR);
    let data = dir.join("data");
    fs::create_dir_all(&dir).with_context(|| format!("failed to create {TLS_PG_DIR}"))?;
    run_checked(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
    if !data.join("PG_VERSION").exists() {
        run_checked(
            crate::pg::as_postgres(&crate::pg::bin("initdb")?)
                .arg("-D")
                .arg(&data)
                .args(["-A", "trust", "-U", "postgres", "--no-sync"]),
        )?;
    }
    let (key, crt) = certificate(&dir)?;
    run_checked(
        Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&key)
            .arg(&crt),
    )?;
    run_checked(Command::new("chmod").arg("600").arg(&key))?;
    let opts = format!(
        "-p {TLS_PG_PORT} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on \
         -c ssl_cert_file={c} -c ssl_key_file={k}",
        d = dir.display(),
        c = crt.display(),
        k = key.display(),
    );
    let guard = TlsCluster;
    run_checked(
        crate::pg::as_postgres(&crate::pg::bin("pg_ctl")?)
            .args(["start", "-w", "-D"])
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(dir.join("log")),
    )?;
    Ok(guard)
}

/// Starts a pgBouncer with `client_tls_sslmode = require` in front of the cluster on `pg_port`
/// (which must run), with a fresh self-signed certificate.
pub fn start(pg_port: u16) -> Result<TlsBouncer> {
    start_with(pg_port, false)
}

/// As `start`; with `server_tls`, pgBouncer also requires TLS to the cluster
/// (`server_tls_sslmode = require`).
pub fn start_with(pg_port: u16, server_tls: bool) -> Result<TlsBouncer> {
    let dir = PathBuf::from(DIR);
    let pidfile = dir.join("pgbouncer.pid");
    if let Ok(pid) = fs::read_to_string(&pidfile) {
        // Left over from an interrupted run.
        if let Ok(pid) = pid.trim().parse::<i32>() {
            // SAFETY: kill has no memory preconditions.
            unsafe { libc::kill(pid, libc::SIGTERM) };
            thread::sleep(Duration::from_millis(300));
        }
    }
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).with_context(|| format!("failed to create {DIR}"))?;
    let (key, crt) = certificate(&dir)?;
    let users = dir.join("userlist.txt");
    fs::write(&users, format!("\"postgres\" \"{TLS_PASSWORD}\"\n"))?;
    let ini = dir.join("pgbouncer.ini");
    fs::write(
        &ini,
        format!(
            "[databases]\npostgres = host=127.0.0.1 port={pg_port} dbname=postgres\n\n\
             [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {TLS_PORT}\n\
             unix_socket_dir =\nauth_type = md5\nauth_file = {u}\npool_mode = session\n\
             logfile = {d}/pgbouncer.log\npidfile = {p}\n\
             client_tls_sslmode = require\nclient_tls_key_file = {k}\nclient_tls_cert_file = {c}\n\
             server_tls_sslmode = {s}\n",
            s = if server_tls { "require" } else { "disable" },
            d = dir.display(),
            u = users.display(),
            p = pidfile.display(),
            k = key.display(),
            c = crt.display(),
        ),
    )?;
    run_checked(
        Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir),
    )?;
    run_checked(Command::new("chmod").arg("600").arg(&key))?;
    run_checked(
        Command::new("runuser")
            .args(["-u", "postgres", "--", "/usr/sbin/pgbouncer", "-d"])
            .arg(&ini),
    )?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Some(pid) = fs::read_to_string(&pidfile)
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok())
        {
            return Ok(TlsBouncer { pid });
        }
        thread::sleep(Duration::from_millis(50));
    }
    bail!("the TLS pgbouncer did not start; see {DIR}/pgbouncer.log")
}

/// psql over TLS (`sslmode=require`) to the TLS pgBouncer, running `sql`.
pub fn psql(sql: &[&str]) -> Command {
    let mut cmd = Command::new("psql");
    cmd.arg(format!(
        "host=127.0.0.1 port={TLS_PORT} user=postgres dbname=postgres sslmode=require"
    ))
    .args(["-X", "-q", "-v", "ON_ERROR_STOP=1"])
    .env("PGPASSWORD", TLS_PASSWORD);
    for s in sql {
        cmd.args(["-c", s]);
    }
    cmd
}
