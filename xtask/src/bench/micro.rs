//! Microbenchmarks: the cost tracer adds to a syscall (traced, and host-wide for processes it
//! does not trace), the event rate it sustains, and the time to its first event. The workload
//! is `xtask bench-loop N`: N getppid calls, timed from inside.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    time::Instant,
};

use anyhow::{Context, Result, bail};

use super::{
    consumer,
    loop_out::{loop_line, now_ns},
};

/// `xtask bench-loop N`: N getppid calls; prints ns per call, the loop's start and end
/// (CLOCK_MONOTONIC ns), and the process's own CPU time (user + system, ns).
pub fn spin(n: u64) {
    let start = now_ns();
    for _ in 0..n {
        // SAFETY: getppid has no preconditions.
        unsafe { libc::getppid() };
    }
    let end = now_ns();
    // SAFETY: an all-zero rusage is a valid value to overwrite.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let ns = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1000;
    let cpu = ns(ru.ru_utime) + ns(ru.ru_stime);
    println!("{} {start} {end} {cpu}", (end - start) as f64 / n as f64);
}

/// What the microbenchmarks measured.
#[derive(Debug, Default, Clone)]
pub struct Micro {
    /// ns per getppid: untraced, with tracer tracing the loop, with tracer tracing another
    /// process.
    pub bare_ns: f64,
    pub traced_ns: f64,
    pub bystander_ns: f64,
    /// ns per getppid while only empty programs sit on sys_enter and sys_exit: the price of
    /// the hook itself, which no program can go below.
    pub floor_ns: f64,
    /// Events per second from the ring buffer to formatted output on /dev/null, and events
    /// lost doing it.
    pub events_per_s: f64,
    pub events_lost: u64,
    /// Seconds from starting tracer to its first line.
    pub first_event_s: f64,
    /// Seconds from starting `tracer -p PID` to its "attached" line: with every syscall
    /// traced, and with `-e trace=` naming calls that need no looping capture program.
    pub attached_s: f64,
    pub attached_narrow_s: f64,
}

/// The `-e trace=` of the narrow "attached" row: calls whose data the syscall programs fetch
/// themselves (no iovec, msghdr or argv capture program to verify).
pub const NARROW: &str = "openat,read,write,close";

fn run_loop(cmd: &mut Command) -> Result<(f64, u64, u64, u64)> {
    let out = cmd.stderr(Stdio::null()).output()?;
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", out.status);
    }
    loop_line(&String::from_utf8_lossy(&out.stdout))
}

fn loop_cmd(exe: &Path, n: u64) -> Command {
    let mut c = Command::new(exe);
    c.args(["bench-loop", &n.to_string()]);
    c
}

/// Best (lowest) of `tries` runs, the usual way to take noise out of a per-call cost.
fn best(tries: usize, mut f: impl FnMut() -> Result<f64>) -> Result<f64> {
    let mut best = f64::MAX;
    for _ in 0..tries {
        best = best.min(f()?);
    }
    Ok(best)
}

/// A tracer attached to a sleeping process, so that it runs without tracing the loop; with
/// `floor`, one that attaches only empty programs (`--bench-floor`).
fn bystander(tracer: &Path, floor: bool) -> Result<(Child, Child)> {
    let sleeper = Command::new("sleep").arg("600").spawn()?;
    let mut t = Command::new(tracer);
    if floor {
        t.arg("--bench-floor");
    }
    let mut t = t
        .args(["-o", "/dev/null", "-p", &sleeper.id().to_string()])
        .stderr(Stdio::piped())
        .spawn()?;
    let mut first = String::new();
    BufReader::new(t.stderr.take().context("stderr")?).read_line(&mut first)?;
    if !first.contains("attached") {
        bail!("tracer did not attach: {first}");
    }
    Ok((t, sleeper))
}

/// Runs `f` while a bystander tracer runs, then stops it.
fn beside(tracer: &Path, floor: bool, f: impl FnOnce() -> Result<f64>) -> Result<f64> {
    let (mut t, mut sleeper) = bystander(tracer, floor)?;
    let result = f();
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(t.id() as i32, libc::SIGINT) };
    let _ = t.wait();
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    result
}

pub fn measure(tracer: &Path, exe: &Path) -> Result<Micro> {
    const N: u64 = 2_000_000;
    let mut m = Micro {
        bare_ns: best(3, || Ok(run_loop(&mut loop_cmd(exe, N))?.0))?,
        ..Micro::default()
    };
    m.traced_ns = best(3, || {
        let mut c = Command::new(tracer);
        c.args(["-o", "/dev/null", "--"])
            .arg(exe)
            .args(["bench-loop", &N.to_string()]);
        Ok(run_loop(&mut c)?.0)
    })?;
    m.bystander_ns = beside(tracer, false, || {
        best(3, || Ok(run_loop(&mut loop_cmd(exe, N))?.0))
    })?;
    m.floor_ns = beside(tracer, true, || {
        best(3, || Ok(run_loop(&mut loop_cmd(exe, N))?.0))
    })?;
    let flood = consumer::flood(tracer, exe, false, false)?;
    (m.events_per_s, m.events_lost) = (flood.events_per_s, flood.lost);
    m.first_event_s = first_event(tracer, exe)?;
    m.attached_s = attached(tracer, &[])?;
    m.attached_narrow_s = attached(tracer, &["-e", &format!("trace={NARROW}")])?;
    Ok(m)
}

/// Seconds from starting `tracer ARGS -p PID` (a sleeping process) to its "attached" line:
/// the time the programs take to load and attach. Best of three.
fn attached(tracer: &Path, args: &[&str]) -> Result<f64> {
    best(3, || {
        let mut sleeper = Command::new("sleep").arg("60").spawn()?;
        let start = Instant::now();
        let mut t = Command::new(tracer)
            .args(args)
            .args(["-o", "/dev/null", "-p", &sleeper.id().to_string()])
            .stderr(Stdio::piped())
            .spawn()?;
        let mut first = String::new();
        BufReader::new(t.stderr.take().context("stderr")?).read_line(&mut first)?;
        let took = start.elapsed().as_secs_f64();
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(t.id() as i32, libc::SIGINT) };
        let _ = t.wait();
        let _ = sleeper.kill();
        let _ = sleeper.wait();
        if !first.contains("attached") {
            bail!("tracer did not attach: {first}");
        }
        Ok(took)
    })
}

/// Seconds from starting tracer until its first line arrives.
fn first_event(tracer: &Path, exe: &Path) -> Result<f64> {
    best(3, || {
        let start = Instant::now();
        let mut child = Command::new(tracer)
            .arg("--")
            .arg(exe)
            .args(["bench-loop", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
        let took = start.elapsed().as_secs_f64();
        child.wait()?;
        Ok(took)
    })
}
