//! The consumer's speed: tracer traces a flood of getppid calls into a ring buffer big enough
//! for all of them and formats every event to /dev/null; the drain is timed from the flood's
//! first call to tracer's exit, and tracer's CPU is taken from its rusage (less the loop's own,
//! which the loop reports). Run unpinned (the microbenchmark's events/s) and with tracer pinned
//! to one core and the loop to another, text and `--json` (CPU per event).

use std::{
    fmt::Write as _,
    io::Read,
    path::Path,
    process::{Command, Stdio},
};

use anyhow::{Context, Result, bail};

use super::loop_out::{loop_line, now_ns};

/// Events in one flood.
const N: u64 = 3_000_000;

/// What one flood measured.
#[derive(Debug, Default, Clone, Copy)]
pub struct Flood {
    pub events_per_s: f64,
    pub lost: u64,
    /// tracer's CPU (user + system) per event, ns, and in cores over the drain.
    pub cpu_ns_per_event: f64,
    pub cpu: f64,
}

/// `taskset -c CPU` before `cmd`.
fn pinned(cpu: usize, program: &Path) -> Command {
    let mut c = Command::new("taskset");
    c.args(["-c", &cpu.to_string()]).arg(program);
    c
}

/// Floods tracer (text, or `--json`) with N getppid events; with `pin`, tracer runs on CPU 0
/// and the loop on the last CPU.
pub fn flood(tracer: &Path, exe: &Path, json: bool, pin: bool) -> Result<Flood> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut cmd = if pin {
        pinned(0, tracer)
    } else {
        Command::new(tracer)
    };
    cmd.args(["--ring-size", "512M", "-o", "/dev/null"]);
    if json {
        cmd.arg("--json");
    }
    cmd.arg("--");
    if pin {
        cmd.args(["taskset", "-c", &(cores - 1).to_string()]);
    }
    let mut child = cmd
        .arg(exe)
        .args(["bench-loop", &N.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut out = String::new();
    child
        .stdout
        .take()
        .context("stdout")?
        .read_to_string(&mut out)?;
    let mut err = String::new();
    child
        .stderr
        .take()
        .context("stderr")?
        .read_to_string(&mut err)?;
    let (status, usage) = wait_with_rusage(child.id())?;
    let end = now_ns();
    if status != 0 {
        bail!("tracer failed on the flood (wait status {status}): {err}");
    }
    let (_, start, _, loop_cpu_ns) = loop_line(&out)?;
    let seconds = (end - start) as f64 / 1e9;
    let tracer_ns = usage.saturating_sub(loop_cpu_ns) as f64;
    Ok(Flood {
        events_per_s: N as f64 / seconds,
        lost: err
            .lines()
            .find_map(|l| l.strip_prefix("tracer: lost "))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        cpu_ns_per_event: tracer_ns / N as f64,
        cpu: tracer_ns / 1e9 / seconds,
    })
}

/// Reaps `pid`; returns its wait status and the user + system CPU, ns, of it and the children
/// it reaped.
fn wait_with_rusage(pid: u32) -> Result<(i32, u64)> {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to overwrite.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `ru` are valid out-pointers; `pid` is our unreaped child.
    if unsafe { libc::wait4(pid as i32, &mut status, 0, &mut ru) } < 0 {
        bail!("wait4 on tracer: {}", std::io::Error::last_os_error());
    }
    let ns = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1000;
    Ok((status, ns(ru.ru_utime) + ns(ru.ru_stime)))
}

/// Text against JSON, each pinned to one core.
#[derive(Debug, Default)]
pub struct Consumers {
    pub text: Flood,
    pub json: Flood,
}

pub fn measure(tracer: &Path, exe: &Path) -> Result<Consumers> {
    Ok(Consumers {
        text: flood(tracer, exe, false, true)?,
        json: flood(tracer, exe, true, true)?,
    })
}

/// Events one fully busy core would format: 1 s over the CPU per event.
fn per_core(f: &Flood) -> f64 {
    1e9 / f.cpu_ns_per_event.max(f64::MIN_POSITIVE)
}

pub fn markdown(c: &Consumers) -> String {
    let mut out = format!(
        "\nThe consumer on one core: tracer pinned to CPU 0 (the traced loop to another), \
         {N} getppid events from a 512 MiB ring buffer formatted to /dev/null:\n\n\
         | consumer | events/s (flood to exit) | tracer CPU | CPU per event | events/s per core of CPU | lost events |\n\
         |---|---:|---:|---:|---:|---:|\n"
    );
    for (name, f) in [("text", &c.text), ("--json", &c.json)] {
        let _ = writeln!(
            out,
            "| {name} | {:.0} | {:.0}% | {:.0} ns | {:.0} | {} |",
            f.events_per_s,
            f.cpu * 100.0,
            f.cpu_ns_per_event,
            per_core(f),
            f.lost
        );
    }
    let _ = writeln!(
        out,
        "| JSON / text | {:.2} | | **{:.2}** | {:.2} | |",
        c.json.events_per_s / c.text.events_per_s.max(f64::MIN_POSITIVE),
        c.json.cpu_ns_per_event / c.text.cpu_ns_per_event.max(f64::MIN_POSITIVE),
        per_core(&c.json) / per_core(&c.text).max(f64::MIN_POSITIVE)
    );
    out
}
