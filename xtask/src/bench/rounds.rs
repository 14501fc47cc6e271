//! pgbench rounds, through pgBouncer or straight to PostgreSQL, with and without a watcher.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

use super::{
    bpf_stats,
    watchers::{self, Target, Watcher},
};
use crate::pg;

/// pgbench's built-in scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    SelectOnly,
    TpcB,
}

impl Workload {
    pub fn label(self) -> &'static str {
        match self {
            Workload::SelectOnly => "select-only",
            Workload::TpcB => "TPC-B-like",
        }
    }
}

/// What one round measured.
#[derive(Debug, Clone, Default)]
pub struct Round {
    pub tps: f64,
    /// Mean and 99th percentile latency, ms.
    pub mean_ms: f64,
    pub p99_ms: f64,
    /// Events the watcher reported lost (tracer: ring buffer full), if it can lose any.
    pub lost: Option<u64>,
    /// Lines the watcher wrote, and the round's length in seconds.
    pub lines: u64,
    pub seconds: f64,
    /// With `Spec::bpf_stats`: what the watcher's programs ran in the kernel.
    pub progs: Vec<bpf_stats::Prog>,
    /// The watcher's CPU, in cores (1.0 = one core busy), and peak RSS in KiB.
    pub cpu: f64,
    pub rss_kib: u64,
}

pub struct Setup {
    pub tracer: PathBuf,
    pub dir: PathBuf,
    pub bouncer: u32,
    pub clients: u32,
    pub seconds: u32,
}

/// Makes sure the cluster, pgBouncer and pgbench's tables exist; returns pgBouncer's pid.
pub fn prepare(scale: u32) -> Result<u32> {
    let bouncer = pg::ensure_bouncer()?;
    let exists = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &pg::PORT.to_string(),
            "-U",
            "postgres",
        ])
        .args(["-tAc", "select count(*) from pgbench_branches"])
        .output()?;
    // Server connections pgBouncer pools may carry session state a test left (story 4 sets
    // `SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`): end them so that pgBouncer opens
    // fresh ones.
    Command::new("psql")
        .args(["-h", "127.0.0.1", "-p", &pg::PORT.to_string()])
        .args(["-U", "postgres", "-tAc"])
        .arg(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity \
             where backend_type = 'client backend' and pid <> pg_backend_pid()",
        )
        .arg("postgres")
        .stdout(Stdio::null())
        .status()
        .context("failed to run psql")?;
    let ready = exists.status.success()
        && String::from_utf8_lossy(&exists.stdout).trim() == scale.to_string();
    if !ready {
        eprintln!("xtask: bench: initialising pgbench tables (scale {scale})");
        let status = Command::new("pgbench")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &pg::PORT.to_string(),
                "-U",
                "postgres",
            ])
            .args(["-i", "-q", "-s", &scale.to_string(), "postgres"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("pgbench is not installed: apt-get install postgresql-client")?;
        if !status.success() {
            bail!("pgbench -i failed");
        }
    }
    Ok(bouncer)
}

/// utime + stime of `pid` in seconds, and its peak RSS in KiB.
fn usage(pid: u32) -> (f64, u64) {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(") ")
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (ticks / hz, rss)
}

/// Where pgbench connects, and so what the watcher watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Through pgBouncer, the watcher on pgBouncer's pid.
    Bouncer,
    /// Straight to PostgreSQL, the watcher on every process named postgres (tracer only).
    Postgres,
}

/// One round's plan.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub workload: Workload,
    pub watcher: Watcher,
    /// pgbench `-R` (transactions per second), or as fast as it goes.
    pub rate: Option<u32>,
    pub clients: u32,
    pub via: Via,
    /// Count the kernel time of the watcher's programs (bpf_stats).
    pub bpf_stats: bool,
}

impl Spec {
    /// Through pgBouncer as fast as it goes, with the bench's clients.
    pub fn new(setup: &Setup, workload: Workload, watcher: Watcher) -> Self {
        Spec {
            workload,
            watcher,
            rate: None,
            clients: setup.clients,
            via: Via::Bouncer,
            bpf_stats: false,
        }
    }
}

/// One round: the watcher attached, pgbench for `setup.seconds`, the watcher stopped.
pub fn round(setup: &Setup, spec: Spec) -> Result<Round> {
    let watcher = spec.watcher;
    let out = setup.dir.join(format!("trace-{}", watcher as u8));
    let logs = setup.dir.join("pgbench-log");
    let _ = fs::remove_dir_all(&logs);
    fs::create_dir_all(&logs)?;
    let (target, port) = match spec.via {
        Via::Bouncer => (Target::Pid(setup.bouncer), pg::BOUNCER_PORT),
        Via::Postgres => (Target::Comm("postgres"), pg::PORT),
    };
    let stats = spec.bpf_stats.then(bpf_stats::enable).transpose()?;
    let child = watchers::start(&setup.tracer, watcher, target, &out)?;
    let (cpu0, _) = child.as_ref().map_or((0.0, 0), |c| usage(c.id()));
    let progs0 = child.as_ref().map(|c| bpf_stats::snapshot(c.id()));
    let start = Instant::now();
    let mut cmd = Command::new("pgbench");
    cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
        .args(["-M", "simple", "-n", "-j", &spec.clients.min(2).to_string()])
        .args([
            "-c",
            &spec.clients.to_string(),
            "-T",
            &setup.seconds.to_string(),
        ])
        .args(["-l", "--log-prefix"])
        .arg(logs.join("tx"))
        .env("PGPASSWORD", pg::BOUNCER_PASSWORD)
        .current_dir(&logs);
    if spec.workload == Workload::SelectOnly {
        cmd.arg("-S");
    }
    if let Some(r) = spec.rate {
        cmd.args(["-R", &r.to_string()]);
    }
    let bench = cmd
        .arg("postgres")
        .output()
        .context("failed to run pgbench")?;
    let elapsed = start.elapsed().as_secs_f64();
    let mut result = Round {
        seconds: elapsed,
        ..Round::default()
    };
    if let Some(mut c) = child {
        let (cpu1, rss) = usage(c.id());
        result.cpu = (cpu1 - cpu0) / elapsed;
        result.rss_kib = rss;
        if let (Some(before), Some(_)) = (&progs0, &stats) {
            result.progs = bpf_stats::delta(before, &bpf_stats::snapshot(c.id()));
        }
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(c.id() as i32, libc::SIGINT) };
        c.wait()?;
        thread::sleep(Duration::from_millis(100));
        result.lost = watchers::lost(watcher, &out);
        result.lines = fs::read(&out).map(|d| d.iter().filter(|&&b| b == b'\n').count() as u64)?;
        let _ = fs::remove_file(&out);
    }
    drop(stats);
    let text = String::from_utf8_lossy(&bench.stdout);
    if !bench.status.success() {
        bail!(
            "pgbench failed: {}{}",
            text,
            String::from_utf8_lossy(&bench.stderr)
        );
    }
    result.tps = text
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .context("no tps in pgbench's output")?;
    let mut latencies = transaction_latencies(&logs)?;
    latencies.sort_unstable();
    if !latencies.is_empty() {
        result.mean_ms = latencies.iter().sum::<u64>() as f64 / latencies.len() as f64 / 1000.0;
        result.p99_ms =
            latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)] as f64 / 1000.0;
    }
    let _ = fs::remove_dir_all(&logs);
    Ok(result)
}

/// Every transaction's latency in µs, from pgbench's per-client logs (`-l`).
fn transaction_latencies(dir: &Path) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let text = fs::read_to_string(entry?.path())?;
        out.extend(
            text.lines()
                .filter_map(|l| l.split_whitespace().nth(2))
                .filter_map(|v| v.parse::<u64>().ok()),
        );
    }
    Ok(out)
}
