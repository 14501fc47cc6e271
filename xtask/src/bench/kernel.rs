//! `cargo xtask bench --kernel-only`: the kernel time of tracer's programs per traced call, in
//! a minute and without PostgreSQL. A loop of the calls a pooler makes (256-byte buffers
//! through a pipe; sendto, epoll_wait and recvfrom on a TCP and a unix socket) waits at a gate
//! while `tracer -p` attaches with the options of a row; the kernel's BPF statistics
//! (`bpf_stats`) are read before and after the loop. Every syscall on the host runs the syscall
//! programs, so the runs of other processes (the miss path) are measured in an idle window
//! first and taken out: what is left is the traced calls' own cost. Beside it, tracer's own CPU
//! per traced call (the consumer: reading, unwinding with `-k`, formatting) and the loop's own
//! CPU time per call; getppid rows show what `-k` costs on each backend and that the filters
//! (`--min-duration`, `--uid`, `--cgroup`, `--comm`) cost nothing on a traced call.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    os::{fd::AsRawFd, unix::net::UnixStream},
    path::Path,
    process::{Command, Stdio},
    thread,
    time::Duration,
};

use anyhow::{Context, Result, bail};

use super::{
    bpf_stats::{self, Prog},
    replay::{BUFFER, buffer},
};

/// The idle window in which the background (other processes' syscalls) is measured.
const IDLE: Duration = Duration::from_millis(1000);

/// The loop a row traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// `bench-loop-rw`: write+read of the buffer through a pipe.
    Pipe,
    /// `bench-loop-sock`: sendto, epoll_wait, recvfrom on TCP, then sendto, recvfrom on unix.
    Sockets,
    /// `bench-loop-getppid`: getppid, the cheapest call (all of its cost is the tracing).
    Getppid,
}

impl Workload {
    fn label(self) -> &'static str {
        match self {
            Workload::Pipe => "pipe: write + read, 256 B",
            Workload::Sockets => {
                "sockets: sendto + epoll_wait + recvfrom (TCP), sendto + recvfrom (unix), 256 B"
            }
            Workload::Getppid => "getppid",
        }
    }

    /// The xtask command and its iterations (rounds: 2 calls for the pipe, 5 for sockets).
    fn command(self) -> (&'static str, u64) {
        match self {
            Workload::Pipe => ("bench-loop-rw", 100_000),
            Workload::Sockets => ("bench-loop-sock", 40_000),
            Workload::Getppid => ("bench-loop-getppid", 200_000),
        }
    }

    /// The iterations for tracer `args`: with `-k` ~5000 calls, whose 8 KiB stack records
    /// all fit in the 64M ring however slowly tracer unwinds them (a loss would fail the row);
    /// ptrace's stops make each call microseconds, 20000 are enough.
    fn rounds(self, args: &[String]) -> u64 {
        let (_, n) = self.command();
        let calls_per_round = match self {
            Workload::Pipe => 2,
            Workload::Sockets => 5,
            Workload::Getppid => 1,
        };
        if args.iter().any(|a| a == "-k") {
            5000 / calls_per_round
        } else if args.iter().any(|a| a == PTRACE) {
            20_000 / calls_per_round
        } else {
            n
        }
    }
}

/// The ptrace backend's option in a row.
const PTRACE: &str = "--backend=ptrace";

/// Stands for an empty cgroup v2 directory made for the run (`--cgroup` matching nothing).
const EMPTY_CGROUP: &str = "EMPTY_CGROUP";

/// A `--match` string that is in none of the pipe loop's buffers.
const NOMATCH: &str = "NOMATCH";

/// The rows: a workload and tracer's options. The pipe rows with `--match` and
/// `--min-duration` selecting none of its calls: with redaction on (the default) the kernel
/// lets the data calls through for the redactor and userspace drops them (`SPEC_STREAM`, see
/// README "Secrets"), with `--no-redact` the kernel drops them. The getppid rows: `-f` with
/// every feature off, then each feature on (the filters matching nothing else: the traced
/// call's cost of having them), `-k` on each backend.
pub const ROWS: [(Workload, &[&str]); 17] = [
    (Workload::Pipe, &["-f", "-s", "256", "-yy"]),
    (Workload::Pipe, &["-f", "-s", "256", "-yy", "-k"]),
    (
        Workload::Pipe,
        &["-f", "-s", "256", "-yy", "--match", NOMATCH],
    ),
    (
        Workload::Pipe,
        &["-f", "-s", "256", "-yy", "--match", NOMATCH, "--no-redact"],
    ),
    (
        Workload::Pipe,
        &["-f", "-s", "256", "-yy", "--min-duration", "10s"],
    ),
    (
        Workload::Pipe,
        &[
            "-f",
            "-s",
            "256",
            "-yy",
            "--min-duration",
            "10s",
            "--no-redact",
        ],
    ),
    (Workload::Sockets, &["-f", "-s", "256", "-yy"]),
    (Workload::Sockets, &["-f", "-s", "256"]),
    (Workload::Sockets, &["-f", "-e", "trace=none"]),
    (Workload::Getppid, &["-f"]),
    (Workload::Getppid, &["-f", "-k"]),
    (Workload::Getppid, &["-f", "--min-duration", "10s"]),
    (Workload::Getppid, &["-f", "--uid", "65534"]),
    (Workload::Getppid, &["-f", "--cgroup", EMPTY_CGROUP]),
    (Workload::Getppid, &["-f", "--comm", "no-such-comm"]),
    (Workload::Getppid, &[PTRACE, "-f"]),
    (Workload::Getppid, &[PTRACE, "-f", "-k"]),
];

/// One row's result.
#[derive(Debug, Clone)]
pub struct Row {
    pub workload: Workload,
    pub args: String,
    /// Syscalls the loop made (each one traced).
    pub calls: u64,
    /// Per program: runs and time in the loop's window, and the background's ns per run.
    pub progs: Vec<(Prog, f64)>,
    /// tracer's CPU time (all threads) from the loop's start until it had handled the
    /// loop's records, ns per traced call.
    pub tracer_cpu_ns: f64,
    /// The loop's own CPU time per call (from the gate to its report; its syscalls and the
    /// programs they run, not tracer's turns on the shared CPU), ns.
    pub loop_ns: f64,
}

impl Row {
    /// ns per traced call of one program: its time in the loop's window less the background
    /// runs (those beyond one per traced call) at the background's cost per run.
    fn per_call(&self, p: &Prog, background_ns: f64) -> f64 {
        let extra = p.run_cnt.saturating_sub(self.calls) as f64;
        ((p.run_time_ns as f64 - extra * background_ns) / self.calls.max(1) as f64).max(0.0)
    }

    /// Kernel ns per traced call, all programs.
    pub fn total(&self) -> f64 {
        self.progs.iter().map(|(p, bg)| self.per_call(p, *bg)).sum()
    }
}

/// Runs of each row; the one with the lowest total is kept (other work on the machine only
/// ever adds time).
const TRIES: usize = 3;

/// Runs every row (root: loads eBPF, turns `kernel.bpf_stats_enabled` on for the while).
pub fn measure(tracer: &Path, exe: &Path) -> Result<Vec<Row>> {
    let _stats = bpf_stats::enable()?;
    let cgroup = EmptyCgroup::make()?;
    let mut rows = Vec::new();
    for (workload, args) in ROWS {
        let args: Vec<String> = args
            .iter()
            .map(|a| match *a {
                EMPTY_CGROUP => cgroup.0.display().to_string(),
                a => a.to_string(),
            })
            .collect();
        eprint!(
            "xtask: bench: kernel time, {}, {} ...",
            workload.label(),
            args.join(" ")
        );
        let mut best: Option<Row> = None;
        for _ in 0..TRIES {
            let row = one(tracer, exe, workload, &args)?;
            eprint!(" {:.0}", row.total());
            if best.as_ref().is_none_or(|b| row.total() < b.total()) {
                best = Some(row);
            }
        }
        let best = best.context("no run")?;
        eprintln!(" ns per traced call: {:.0}", best.total());
        rows.push(best);
    }
    Ok(rows)
}

/// An empty cgroup v2 directory for the `--cgroup` row, removed when dropped.
struct EmptyCgroup(std::path::PathBuf);

impl EmptyCgroup {
    fn make() -> Result<Self> {
        let mounts = std::fs::read_to_string("/proc/self/mounts")?;
        let root = mounts
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|f| f.get(2) == Some(&"cgroup2"))
            .and_then(|f| f.get(1).map(|m| std::path::PathBuf::from(*m)))
            .context("no cgroup v2 mount for the --cgroup row")?;
        let dir = root.join(format!("tracer-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for EmptyCgroup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// CPU time of every thread of `pid` so far, ns (`/proc/PID/task/*/schedstat`'s first field).
fn cpu_ns(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// tracer's CPU time once it has handled what the loop left in the ring: when it grows by
/// less than 1 ms in 200 ms (or after 60 s).
fn settled_cpu_ns(pid: u32) -> u64 {
    let mut last = cpu_ns(pid);
    for _ in 0..300 {
        thread::sleep(Duration::from_millis(200));
        let now = cpu_ns(pid);
        if now.saturating_sub(last) < 1_000_000 {
            return now;
        }
        last = now;
    }
    last
}

/// The CPU the loop and tracer share: the last one.
fn shared_cpu() -> String {
    // SAFETY: no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1);
    (n - 1).to_string()
}

fn one(tracer: &Path, exe: &Path, workload: Workload, args: &[String]) -> Result<Row> {
    let (cmd, _) = workload.command();
    let n = workload.rounds(args);
    // The loop and tracer share one CPU, tracer real-time above the loop (`chrt`): tracer
    // runs as soon as the kernel wakes it (the ring an eighth full) or its poll timer fires,
    // and the loop waits meanwhile, so the ring never fills whatever tracer's speed against
    // the loop's (its consumer is the slower on the buffer rows: the ring would fill and the
    // loss path be measured), and the builds sharing the machine run on the other CPU.
    let cpu = shared_cpu();
    let mut child = Command::new("taskset")
        .args(["-c", &cpu])
        .arg(exe)
        .args([cmd, &n.to_string(), "--gate"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("failed to start xtask {cmd}"))?;
    let mut t = Command::new("taskset")
        .args(["-c", &cpu, "chrt", "-f", "2"])
        .arg(tracer)
        .args(args)
        .args(["-o", "/dev/null", "-p", &child.id().to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .context("failed to start tracer")?;
    let mut first = String::new();
    let mut err = BufReader::new(t.stderr.take().context("stderr")?);
    err.read_line(&mut first)?;
    let result = (|| {
        if !first.contains("attached") {
            bail!("tracer did not attach: {first}");
        }
        thread::sleep(Duration::from_millis(200));
        let s0 = bpf_stats::snapshot(t.id());
        thread::sleep(IDLE);
        let s1 = bpf_stats::snapshot(t.id());
        let cpu0 = cpu_ns(t.id());
        let loop0 = cpu_ns(child.id());
        let mut stdin = child.stdin.take().context("stdin")?;
        stdin.write_all(b"g")?;
        let mut out = String::new();
        BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut out)?;
        let loop1 = cpu_ns(child.id());
        // The loop waits for its stdin to close before it exits (tracer would end with it).
        let s2 = bpf_stats::snapshot(t.id());
        let cpu1 = settled_cpu_ns(t.id());
        drop(stdin);
        let calls: u64 = out
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .with_context(|| format!("xtask {cmd} printed {out:?}"))?;
        let window = bpf_stats::delta(&s1, &s2);
        let ptrace = args.iter().any(|a| a == PTRACE);
        if !ptrace && !window.iter().any(|p| p.run_cnt >= calls) {
            bail!("no program of tracer's ran for each of the loop's {calls} calls: {window:?}");
        }
        Ok(Row {
            workload,
            args: args.join(" "),
            calls,
            progs: with_background(&window, &bpf_stats::delta(&s0, &s1)),
            tracer_cpu_ns: cpu1.saturating_sub(cpu0) as f64 / calls.max(1) as f64,
            loop_ns: loop1.saturating_sub(loop0) as f64 / calls.max(1) as f64,
        })
    })();
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(t.id() as i32, libc::SIGINT) };
    let mut rest = String::new();
    let _ = err.read_to_string(&mut rest);
    let _ = t.wait();
    if result.is_ok() && rest.contains("lost") {
        bail!("tracer lost events, the programs' loss path was measured: {rest}");
    }
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// Each program of the loop's window with the idle window's ns per run (0 if it did not run).
fn with_background(window: &[Prog], idle: &[Prog]) -> Vec<(Prog, f64)> {
    let bg: BTreeMap<&str, f64> = idle
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.run_time_ns as f64 / p.run_cnt.max(1) as f64,
            )
        })
        .collect();
    window
        .iter()
        .map(|p| (p.clone(), bg.get(p.name.as_str()).copied().unwrap_or(0.0)))
        .collect()
}

pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nKernel time per traced call (`cargo xtask bench --kernel-only`: bpf_stats around a \
         loop traced with `tracer ARGS -o /dev/null -p PID`; other processes' runs, measured \
         in an idle second before, taken out; tail-called capture programs count in their \
         caller; the loop and tracer on one CPU, tracer above it; tracer CPU: all its threads \
         from the loop's start until it had handled the loop's records; loop: its own CPU \
         time per call; ptrace rows run no program):\n"
    );
    let _ = writeln!(
        out,
        "| loop | tracer options | traced calls | program | runs | ns per run | ns per traced call | tracer CPU ns per call | loop CPU ns per call |\n|---|---|---:|---|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        for (p, bg) in &r.progs {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {:.0} | {:.0} | | |",
                r.workload.label(),
                r.args,
                r.calls,
                p.name,
                p.run_cnt,
                p.run_time_ns as f64 / p.run_cnt.max(1) as f64,
                r.per_call(p, *bg)
            );
        }
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | all programs | | | **{}** | {:.0} | {:.0} |",
            r.workload.label(),
            r.args,
            r.calls,
            match r.progs.is_empty() {
                true => "none (ptrace)".to_string(),
                false => format!("{:.0}", r.total()),
            },
            r.tracer_cpu_ns,
            r.loop_ns
        );
    }
    out
}

/// Blocks until one byte arrives on stdin (`--gate`): the loop starts once tracer is attached
/// and the statistics are read. It then runs as a real-time task (SCHED_FIFO), so that the
/// builds and tests sharing the machine do not run between its calls and leave the programs
/// cold caches: the times measured are the programs', not the load's.
pub fn gate(args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "--gate") {
        let mut b = [0u8; 1];
        std::io::stdin().read_exact(&mut b)?;
        let param = libc::sched_param { sched_priority: 1 };
        // SAFETY: `param` is a valid sched_param; 0 is this process.
        if unsafe { libc::sched_setscheduler(0, libc::SCHED_FIFO, &param) } != 0 {
            bail!("sched_setscheduler: {}", std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// After the loop: prints the number of syscalls it made and, with `--gate`, waits for stdin
/// to close, so that tracer (which ends with the traced process) is still there to be read.
pub fn report(calls: u64, args: &[String]) -> Result<()> {
    println!("{calls}");
    std::io::stdout().flush()?;
    if args.iter().any(|a| a == "--gate") {
        std::io::stdin().read_to_end(&mut Vec::new())?;
    }
    Ok(())
}

/// `xtask bench-loop-sock N [--gate]`: N rounds of what a pooler does with a message: sendto
/// on a TCP connection, epoll_wait for the other end, recvfrom there; then sendto and
/// recvfrom on a unix socket pair. Prints the number of syscalls the loop made.
pub fn spin_sock(n: u64, args: &[String]) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let tx = TcpStream::connect(listener.local_addr()?)?;
    let (rx, _) = listener.accept()?;
    let (utx, urx) = UnixStream::pair()?;
    // SAFETY: no preconditions.
    let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if ep < 0 {
        bail!("epoll_create1: {}", std::io::Error::last_os_error());
    }
    for fd in [rx.as_raw_fd(), urx.as_raw_fd()] {
        let mut ev = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: fd as u64,
        };
        // SAFETY: `ev` is a valid epoll_event.
        if unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, &mut ev) } != 0 {
            bail!("epoll_ctl: {}", std::io::Error::last_os_error());
        }
    }
    let data = buffer();
    let mut back = [0u8; BUFFER];
    let mut events = [libc::epoll_event { events: 0, u64: 0 }; 8];
    gate(args)?;
    let mut calls = 0u64;
    for _ in 0..n {
        for (a, b, poll) in [
            (tx.as_raw_fd(), rx.as_raw_fd(), true),
            (utx.as_raw_fd(), urx.as_raw_fd(), false),
        ] {
            // SAFETY: the buffers are BUFFER bytes long and live across the calls; the
            // addresses are NULL.
            let sent =
                unsafe { libc::sendto(a, data.as_ptr().cast(), BUFFER, 0, std::ptr::null(), 0) };
            calls += 1;
            if sent != BUFFER as isize {
                bail!("sendto sent {sent} bytes");
            }
            if poll {
                // SAFETY: `events` holds 8 entries.
                unsafe { libc::epoll_wait(ep, events.as_mut_ptr(), 8, -1) };
                calls += 1;
            }
            let mut got = 0;
            while got < BUFFER {
                // SAFETY: as above; `got < BUFFER`.
                let r = unsafe {
                    libc::recvfrom(
                        b,
                        back.as_mut_ptr().add(got).cast(),
                        BUFFER - got,
                        0,
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                    )
                };
                calls += 1;
                if r <= 0 {
                    bail!("recvfrom: {}", std::io::Error::last_os_error());
                }
                got += r as usize;
            }
        }
    }
    report(calls, args)
}

/// `xtask bench-loop-getppid N [--gate]`: N getppid calls; prints the number of calls.
pub fn spin_getppid(n: u64, args: &[String]) -> Result<()> {
    gate(args)?;
    for _ in 0..n {
        // SAFETY: getppid has no preconditions.
        unsafe { libc::getppid() };
    }
    report(n, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `--match` rows select none of the pipe loop's calls (the cost measured is that of
    /// calls filtered out), and each filter is measured with redaction on and off.
    #[test]
    fn the_filter_rows_match_nothing_with_and_without_redaction() {
        let b = buffer();
        assert!(!b.windows(NOMATCH.len()).any(|w| w == NOMATCH.as_bytes()));
        for filter in ["--match", "--min-duration"] {
            let rows: Vec<bool> = ROWS
                .iter()
                .filter(|(w, args)| *w == Workload::Pipe && args.contains(&filter))
                .map(|(_, args)| args.contains(&"--no-redact"))
                .collect();
            assert_eq!(rows, [false, true], "{filter}");
        }
    }
}
