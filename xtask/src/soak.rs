//! `cargo xtask soak`: tracer as a daemon (`--comm pgbouncer`) through a long pgbench run, with
//! pgBouncer restarted halfway and the trace file rotated every minute (rename + SIGHUP).
//! Prints tracer's RSS over time, the events it read and lost, and whether the restarted
//! pgBouncer was picked up; fails if it was not, or if anything was lost.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

use crate::{build, pg, pins};

struct Options {
    minutes: u64,
    rate: u32,
    clients: u32,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        minutes: 10,
        rate: 2000,
        clients: 8,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--minutes" => o.minutes = value.parse()?,
            "--rate" => o.rate = value.parse()?,
            "--clients" => o.clients = value.parse()?,
            other => bail!("unknown soak option {other:?} (--minutes N, --rate TPS, --clients N)"),
        }
    }
    if o.minutes == 0 {
        bail!("--minutes must be at least 1");
    }
    Ok(o)
}

/// tracer's resident memory now, KiB.
fn rss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// (events, lost) from the newest stats line of the trace files in `dir`.
fn latest_stats(dir: &Path) -> (u64, u64) {
    let mut best = (0, 0);
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        if let Some(line) = text.lines().rev().find(|l| l.starts_with("--- stats {")) {
            let field = |name: &str| -> u64 {
                line.split(&format!("{name}="))
                    .nth(1)
                    .and_then(|r| r.split([',', '}']).next())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0)
            };
            best = best.max((field("events"), field("lost")));
        }
    }
    best
}

/// Whether the trace files in `dir` have lines of process `pid` (they start with its pid).
fn traced_lines_of(dir: &Path, pid: u32) -> bool {
    let prefix = format!("{pid} ");
    fs::read_dir(dir).into_iter().flatten().flatten().any(|e| {
        let name = e.file_name();
        name.to_string_lossy().starts_with("trace")
            && fs::read_to_string(e.path())
                .unwrap_or_default()
                .lines()
                .any(|l| l.starts_with(&prefix))
    })
}

fn pgbench(o: &Options, seconds: u64) -> Result<Child> {
    Command::new("pgbench")
        .args(["-h", "127.0.0.1", "-p", &pg::BOUNCER_PORT.to_string()])
        .args(["-U", "postgres", "-M", "simple", "-n", "-S", "-j", "2"])
        .args(["-c", &o.clients.to_string(), "-R", &o.rate.to_string()])
        .args(["-T", &seconds.to_string(), "postgres"])
        .env("PGPASSWORD", pg::BOUNCER_PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("failed to run pgbench")
}

/// Stops pgBouncer and starts a new one; returns the new pid.
fn restart_bouncer(old: u32) -> Result<u32> {
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(old as i32, libc::SIGTERM) };
    let start = Instant::now();
    while Path::new(&format!("/proc/{old}")).exists() {
        if start.elapsed() > Duration::from_secs(10) {
            bail!("pgbouncer {old} did not stop");
        }
        thread::sleep(Duration::from_millis(50));
    }
    pg::ensure_bouncer()
}

pub fn run(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        bail!("the soak loads eBPF and traces pgBouncer: run it as root");
    }
    build::build(true)?;
    let tracer = pins::workspace_root().join("target/release/tracer");
    let first = crate::bench::prepare_tables(10)?;
    let dir = PathBuf::from("/tmp/tracer-soak");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir)?;
    let trace = dir.join("trace");
    let mut t = Command::new(&tracer)
        .args([
            "--comm",
            "pgbouncer",
            "-f",
            "-s",
            "256",
            "-yy",
            "--stats-interval",
            "10",
        ])
        .arg("-o")
        .arg(&trace)
        .stderr(fs::File::create(dir.join("stderr"))?)
        .spawn()
        .context("failed to start tracer")?;
    thread::sleep(Duration::from_secs(2));
    let total = o.minutes * 60;
    let half = total / 2;
    eprintln!(
        "xtask: soak: {} min of pgbench -S -R {} through pgBouncer (pid {first}), tracer pid {}",
        o.minutes,
        o.rate,
        t.id()
    );
    println!("| t (s) | tracer RSS | events read | lost | note |\n|---:|---:|---:|---:|---|");
    let start = Instant::now();
    let mut bench = pgbench(&o, half)?;
    let (mut second, mut restarted) = (None, None);
    let mut rotations = 0;
    let mut peak = 0;
    while start.elapsed().as_secs() < total + 2 {
        thread::sleep(Duration::from_secs(10));
        let now = start.elapsed().as_secs();
        let mut note = String::new();
        if second.is_none() && now >= half {
            let _ = bench.wait();
            let new = restart_bouncer(first)?;
            restarted = Some(new);
            note = format!("pgBouncer restarted: pid {first} -> {new}");
            bench = pgbench(&o, total - now)?;
            second = Some(());
        }
        if now / 60 > rotations {
            // logrotate's way: move the file away, SIGHUP, drop the old one.
            rotations = now / 60;
            let old = dir.join(format!("trace.{rotations}"));
            fs::rename(&trace, &old)?;
            // SAFETY: kill has no memory preconditions.
            unsafe { libc::kill(t.id() as i32, libc::SIGHUP) };
            thread::sleep(Duration::from_millis(500));
            let _ = fs::remove_file(dir.join(format!("trace.{}", rotations.saturating_sub(1))));
            note.push_str(if note.is_empty() {
                "rotated"
            } else {
                "; rotated"
            });
        }
        let rss = rss_kib(t.id());
        peak = peak.max(rss);
        let (events, lost) = latest_stats(&dir);
        println!(
            "| {now} | {:.1} MiB | {events} | {lost} | {note} |",
            rss as f64 / 1024.0
        );
        if t.try_wait()?.is_some() {
            bail!("tracer stopped during the soak");
        }
    }
    let _ = bench.wait();
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(t.id() as i32, libc::SIGTERM) };
    let _ = t.wait();
    let (events, lost) = latest_stats(&dir);
    let stderr = fs::read_to_string(dir.join("stderr")).unwrap_or_default();
    // The new pgBouncer is adopted by name, or (under -f) followed from the process that
    // execs it and forks the daemon: either way its own lines must be in the trace.
    let picked = restarted.is_some_and(|pid| traced_lines_of(&dir, pid));
    println!(
        "\nevents read {events}, lost {lost}, peak RSS {:.1} MiB, restarted pgBouncer picked up: {}",
        peak as f64 / 1024.0,
        if picked { "yes" } else { "no" }
    );
    if !picked {
        bail!("the restarted pgBouncer was not picked up; tracer said:\n{stderr}");
    }
    if lost != 0 {
        bail!("{lost} events lost");
    }
    Ok(())
}
