//! pgbench rounds through pgBouncer, with and without a tracer attached to pgBouncer.

use std::{
    fs,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

use crate::pg;

/// Who watches pgBouncer during a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watcher {
    None,
    /// tracer with full arguments, text to a file.
    TracerText,
    /// The same, `--json`.
    TracerJson,
    /// strace with the same flags.
    Strace,
}

impl Watcher {
    pub const ALL: [Watcher; 4] = [
        Watcher::None,
        Watcher::TracerText,
        Watcher::TracerJson,
        Watcher::Strace,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Watcher::None => "untraced",
            Watcher::TracerText => "tracer -f -s 256 -yy",
            Watcher::TracerJson => "tracer -f -s 256 -yy --json",
            Watcher::Strace => "strace -f -s 256 -yy",
        }
    }
}

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
    /// Events tracer lost (ring buffer full), when tracer watched.
    pub lost: u64,
    /// Lines the watcher wrote.
    pub lines: u64,
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

/// Starts the watcher on pgBouncer; returns it once it is attached.
fn start_watcher(setup: &Setup, watcher: Watcher, out: &Path) -> Result<Option<Child>> {
    let pid = setup.bouncer.to_string();
    let mut cmd = match watcher {
        Watcher::None => return Ok(None),
        Watcher::TracerText | Watcher::TracerJson => {
            let mut c = Command::new(&setup.tracer);
            c.args(["-f", "-p", &pid, "-s", "256", "-yy", "-o"])
                .arg(out);
            if watcher == Watcher::TracerJson {
                c.arg("--json");
            }
            c
        }
        Watcher::Strace => {
            let mut c = Command::new("strace");
            c.args(["-f", "-p", &pid, "-s", "256", "-yy", "-o"])
                .arg(out);
            c
        }
    };
    let mut child = cmd.stderr(Stdio::piped()).spawn()?;
    let mut lines = BufReader::new(child.stderr.take().context("stderr")?).lines();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    if !first.contains("attached") {
        bail!("{} did not attach: {first}", watcher.label());
    }
    // Keep reading stderr: tracer reports losses there at the end.
    let log = out.with_extension("stderr");
    thread::spawn(move || {
        let text: Vec<String> = lines.map_while(|l| l.ok()).collect();
        let _ = fs::write(log, text.join("\n"));
    });
    Ok(Some(child))
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

/// One round: the watcher attached, pgbench for `setup.seconds`, the watcher stopped.
pub fn round(
    setup: &Setup,
    workload: Workload,
    watcher: Watcher,
    rate: Option<u32>,
) -> Result<Round> {
    let out = setup.dir.join(format!("trace-{}", watcher as u8));
    let logs = setup.dir.join("pgbench-log");
    let _ = fs::remove_dir_all(&logs);
    fs::create_dir_all(&logs)?;
    let child = start_watcher(setup, watcher, &out)?;
    let (cpu0, _) = child.as_ref().map_or((0.0, 0), |c| usage(c.id()));
    let start = Instant::now();
    let mut cmd = Command::new("pgbench");
    cmd.args([
        "-h",
        "127.0.0.1",
        "-p",
        &pg::BOUNCER_PORT.to_string(),
        "-U",
        "postgres",
    ])
    .args(["-M", "simple", "-n", "-j", "2"])
    .args([
        "-c",
        &setup.clients.to_string(),
        "-T",
        &setup.seconds.to_string(),
    ])
    .args(["-l", "--log-prefix"])
    .arg(logs.join("tx"))
    .env("PGPASSWORD", pg::BOUNCER_PASSWORD)
    .current_dir(&logs);
    if workload == Workload::SelectOnly {
        cmd.arg("-S");
    }
    if let Some(r) = rate {
        cmd.args(["-R", &r.to_string()]);
    }
    let bench = cmd
        .arg("postgres")
        .output()
        .context("failed to run pgbench")?;
    let elapsed = start.elapsed().as_secs_f64();
    let mut result = Round::default();
    if let Some(mut c) = child {
        let (cpu1, rss) = usage(c.id());
        result.cpu = (cpu1 - cpu0) / elapsed;
        result.rss_kib = rss;
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(c.id() as i32, libc::SIGINT) };
        c.wait()?;
        thread::sleep(Duration::from_millis(100));
        let log = fs::read_to_string(out.with_extension("stderr")).unwrap_or_default();
        result.lost = log
            .lines()
            .find_map(|l| l.strip_prefix("tracer: lost "))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        result.lines = fs::read(&out).map(|d| d.iter().filter(|&&b| b == b'\n').count() as u64)?;
        let _ = fs::remove_file(&out);
    }
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
