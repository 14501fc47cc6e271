//! Who watches during a round: tracer (text, JSON, or only empty programs: the floor), strace,
//! and the peers a user would otherwise pick (`perf trace`, a bpftrace one-liner); how each is
//! started, when it is attached, and the losses it reports.

use std::{
    fs,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

/// Who watches the traced process during a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watcher {
    None,
    /// tracer `--bench-floor`: empty raw tracepoint programs on sys_enter and sys_exit, no
    /// tracer logic: what the hook itself costs.
    Floor,
    /// tracer with full arguments, text to a file.
    TracerText,
    /// The same, `--json`.
    TracerJson,
    /// strace with the same flags.
    Strace,
    /// `perf trace -p PID` to a file.
    PerfTrace,
    /// A bpftrace printf one-liner on raw_syscalls sys_enter/sys_exit, filtered by pid.
    Bpftrace,
}

impl Watcher {
    pub const ALL: [Watcher; 7] = [
        Watcher::None,
        Watcher::Floor,
        Watcher::TracerText,
        Watcher::TracerJson,
        Watcher::Strace,
        Watcher::PerfTrace,
        Watcher::Bpftrace,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Watcher::None => "untraced",
            Watcher::Floor => "empty programs on sys_enter/sys_exit (floor)",
            Watcher::TracerText => "tracer -f -s 256 -yy",
            Watcher::TracerJson => "tracer -f -s 256 -yy --json",
            Watcher::Strace => "strace -f -s 256 -yy",
            Watcher::PerfTrace => "perf trace -p",
            Watcher::Bpftrace => "bpftrace printf one-liner",
        }
    }

    /// Whether the watcher is tracer (it reports losses as `tracer: lost N`).
    pub fn is_tracer(self) -> bool {
        matches!(
            self,
            Watcher::Floor | Watcher::TracerText | Watcher::TracerJson
        )
    }
}

/// What the watcher attaches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Pid(u32),
    /// Every process of this name (`--comm`); tracer only.
    Comm(&'static str),
}

/// The bpftrace program: one printf line per entry (number and first three arguments) and per
/// exit (number and return value) of the process's syscalls.
fn bpftrace_program(pid: u32) -> String {
    format!(
        "tracepoint:raw_syscalls:sys_enter /pid == {pid}/ {{ printf(\"%d %d(%lx, %lx, %lx)\\n\", \
         tid, args->id, args->args[0], args->args[1], args->args[2]); }} \
         tracepoint:raw_syscalls:sys_exit /pid == {pid}/ {{ printf(\"%d %d = %d\\n\", tid, \
         args->id, args->ret); }}"
    )
}

fn command(tracer: &Path, watcher: Watcher, target: Target, out: &Path) -> Result<Command> {
    let pid = match target {
        Target::Pid(p) => p,
        Target::Comm(_) if watcher.is_tracer() => 0,
        Target::Comm(name) => bail!("{} cannot watch --comm {name}", watcher.label()),
    };
    let mut c = match watcher {
        Watcher::None => bail!("no watcher to start"),
        Watcher::Floor => {
            let mut c = Command::new(tracer);
            c.arg("--bench-floor");
            c
        }
        Watcher::TracerText | Watcher::TracerJson => {
            let mut c = Command::new(tracer);
            c.args(["-f", "-s", "256", "-yy"]);
            if watcher == Watcher::TracerJson {
                c.arg("--json");
            }
            c
        }
        Watcher::Strace => {
            let mut c = Command::new("strace");
            c.args(["-f", "-s", "256", "-yy"]);
            c
        }
        Watcher::PerfTrace => {
            let mut c = Command::new("perf");
            c.arg("trace");
            c
        }
        Watcher::Bpftrace => {
            let mut c = Command::new("bpftrace");
            c.args(["-e", &bpftrace_program(pid)]);
            c
        }
    };
    match target {
        Target::Comm(name) => c.args(["--comm", name]),
        Target::Pid(p) if watcher != Watcher::Bpftrace => c.args(["-p", &p.to_string()]),
        Target::Pid(_) => &mut c,
    };
    c.arg("-o").arg(out);
    Ok(c)
}

/// Number of `anon_inode:[perf_event]` descriptors `pid` holds.
fn perf_event_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| fs::read_link(e.path()).ok())
                .filter(|l| l.to_string_lossy() == "anon_inode:[perf_event]")
                .count()
        })
        .unwrap_or(0)
}

/// Waits until a peer holds `fds` perf events (its tracepoints are open), then a little more
/// for them to be enabled: neither perf trace nor bpftrace says when it is attached.
fn wait_for_perf_events(child: &mut Child, fds: usize, what: &str) -> Result<()> {
    let start = Instant::now();
    while perf_event_fds(child.id()) < fds {
        if let Some(status) = child.try_wait()? {
            bail!("{what} ended before attaching ({status})");
        }
        if start.elapsed() > Duration::from_secs(30) {
            bail!("{what} did not open its tracepoints within 30 s");
        }
        thread::sleep(Duration::from_millis(20));
    }
    thread::sleep(Duration::from_millis(300));
    Ok(())
}

/// Starts the watcher on `target`, output to `out` (stderr to `out.stderr`); returns it once
/// it is attached.
pub fn start(tracer: &Path, watcher: Watcher, target: Target, out: &Path) -> Result<Option<Child>> {
    if watcher == Watcher::None {
        return Ok(None);
    }
    let mut cmd = command(tracer, watcher, target, out)?;
    let log = out.with_extension("stderr");
    if matches!(watcher, Watcher::PerfTrace | Watcher::Bpftrace) {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("failed to start {}", watcher.label()))?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // perf trace: sys_enter and sys_exit for the thread; bpftrace: the two tracepoints
        // and its per-CPU output buffers (Debian 12's bpftrace 0.17 prints through perf
        // buffers; one that did not would end here with the 30 s error, not start early).
        let fds = if watcher == Watcher::PerfTrace {
            2
        } else {
            2 + cores
        };
        wait_for_perf_events(&mut child, fds, watcher.label())?;
        return Ok(Some(child));
    }
    let mut child = cmd.stderr(Stdio::piped()).spawn()?;
    let mut lines = BufReader::new(child.stderr.take().context("stderr")?).lines();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    if !first.contains("attached") {
        bail!("{} did not attach: {first}", watcher.label());
    }
    // Keep reading stderr: tracer reports losses there at the end.
    thread::spawn(move || {
        let text: Vec<String> = lines.map_while(|l| l.ok()).collect();
        let _ = fs::write(log, text.join("\n"));
    });
    Ok(Some(child))
}

/// The events the watcher reported lost, from its stderr (and perf trace's and bpftrace's
/// output, where they say it): tracer `tracer: lost N ...`, perf trace `LOST N events!`,
/// bpftrace `Lost N events`. None for strace, which cannot lose any.
pub fn lost(watcher: Watcher, out: &Path) -> Option<u64> {
    let prefix = match watcher {
        Watcher::None | Watcher::Strace => return None,
        Watcher::Floor | Watcher::TracerText | Watcher::TracerJson => "tracer: lost ",
        Watcher::PerfTrace => "LOST ",
        Watcher::Bpftrace => "Lost ",
    };
    let mut texts = vec![fs::read_to_string(out.with_extension("stderr")).unwrap_or_default()];
    if !watcher.is_tracer() {
        texts.push(String::from_utf8_lossy(&fs::read(out).unwrap_or_default()).into_owned());
    }
    Some(
        texts
            .iter()
            .flat_map(|t| t.lines())
            .filter_map(|l| l.trim_start().strip_prefix(prefix))
            .filter_map(|r| r.split_whitespace().next())
            .filter_map(|n| n.parse::<u64>().ok())
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_are_read_where_each_watcher_reports_them() {
        let dir = std::env::temp_dir().join(format!("xtask-watchers-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let out = dir.join("trace");
        // A traced buffer that says "LOST" must not count for tracer: only its stderr does.
        fs::write(
            &out,
            "LOST 7 events!\nread(3, \"tracer: lost 9\", 14) = 14\n",
        )
        .unwrap();
        fs::write(
            out.with_extension("stderr"),
            "tracer: lost 5 events (ring buffer full)\n",
        )
        .unwrap();
        assert_eq!(lost(Watcher::TracerText, &out), Some(5));
        assert_eq!(lost(Watcher::PerfTrace, &out), Some(7));
        fs::write(out.with_extension("stderr"), "Lost 3 events\n").unwrap();
        assert_eq!(lost(Watcher::Bpftrace, &out), Some(3));
        assert_eq!(lost(Watcher::Strace, &out), None);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bpftrace_filters_by_pid_on_both_tracepoints() {
        let p = bpftrace_program(4242);
        assert_eq!(p.matches("/pid == 4242/").count(), 2, "{p}");
        assert!(p.contains("raw_syscalls:sys_enter") && p.contains("raw_syscalls:sys_exit"));
    }
}
