//! Event sources. Each turns kernel activity into `RawEvent`s; everything downstream is
//! ordinary code that needs no privileges.
//!
//! A backend is a `Source`: it starts tracing what it is given and then delivers events to a
//! `Downstream` (the session, `app::session`) until tracing ends. What is printed about it
//! (attach and detach messages, stats, the recording, the exit status) is the session's: a
//! source only says what happened. Adding a backend is adding a source.
//!
//! The trait is synchronous on purpose: the ptrace backend must make every ptrace request from
//! the thread that attached and waits in a blocking `waitpid` interrupted by a timer signal,
//! while the eBPF backend runs its own single-threaded tokio loop over the ring buffer's fd.
//! Each waits its own way; both hand over the same events.

pub mod btf;
pub mod ebpf;
pub mod programs;
pub mod ptrace;
pub mod record;
pub mod tls;
pub mod wire;

use std::collections::HashSet;
use std::time::Duration;

use crate::event::RawEvent;

/// A second SIGINT or SIGTERM stops tracer at once (without draining or detaching
/// gracefully) only when it comes this long after the first: `timeout` sends its signal to
/// the command and then to the command's whole process group, so one request often arrives
/// twice within microseconds (strace treats it as one). A person's second Ctrl-C comes far
/// later than this.
pub const SECOND_SIGNAL_GAP: Duration = Duration::from_millis(50);
/// How long a launched command is waited for after tracer passed it the signal that asked
/// tracer to stop.
pub const CHILD_GRACE: Duration = Duration::from_secs(1);

/// Why the session refused an event: the source stops tracing.
#[derive(Debug)]
pub enum Halt {
    /// Nobody reads the output any more (a closed pipe): detach and end cleanly.
    OutputClosed,
    /// The output failed: tracer ends with this error.
    Failed(anyhow::Error),
}

/// What a source delivers into: the session.
pub trait Downstream {
    /// Tracing of process `tgid` starts (its descriptors and names are taken now);
    /// `launched`: the command tracer started, held before its exec.
    fn starting(&mut self, tgid: u32, launched: bool);
    /// Process `tgid` is traced from now on: every call of it is seen.
    fn attached(&mut self, tgid: u32) -> anyhow::Result<()>;
    /// Process `tgid` ended before it could be traced.
    fn gone(&mut self, tgid: u32);
    /// The next event, in stream order; `wire`: the record it was read from, if it was one.
    fn event(&mut self, event: RawEvent, wire: Option<&[u8]>) -> Result<(), Halt>;
    /// A record that failed the wire checks (kept in the recording for a bug report).
    fn malformed(&mut self, wire: &[u8]);
    /// The source has nothing more to hand over now: the output is flushed.
    fn idle(&mut self) -> Result<(), Halt>;
    /// `--stats-interval`: how often the source asks for a stats record (None: never).
    fn stats_every(&self) -> Option<std::time::Duration>;
    /// Writes a stats record now.
    fn stats(&mut self, counts: &Counts) -> Result<(), Halt>;
    /// SIGHUP: write on in freshly opened output files.
    fn reopen(&mut self) -> Result<(), Halt>;
    /// Processes still traced, as far as the trace says.
    fn live(&self) -> &HashSet<u32>;
    /// Process `tgid` is gone without an exit event (one that was lost).
    fn forget(&mut self, tgid: u32);
    /// A message about tracing on stderr (`tracer: ...`), unless quiet.
    fn announce(&self, message: std::fmt::Arguments<'_>);
    /// `-k`: a process's code mappings changed (eBPF: read from the kernel's perf records at
    /// each drain, before the ring's records of that drain).
    fn mapped(&mut self, change: crate::event::MapEvent) {
        let _ = change;
    }
}

/// A backend that produces events.
pub trait Source {
    /// Starts tracing the `targets` (tgids, already checked) and the launched command (held
    /// before its exec), telling `down` about each. Returns false when nothing is left to
    /// trace (every target ended while the source was getting ready).
    fn start(
        &mut self,
        targets: Vec<crate::target::preflight::Target>,
        command: Option<Command<'_>>,
        down: &mut dyn Downstream,
    ) -> anyhow::Result<bool>;
    /// Delivers events until every traced process is gone, tracer is told to stop, or `down`
    /// halts; detached and drained when it returns.
    fn run(&mut self, down: &mut dyn Downstream) -> anyhow::Result<End>;
    /// What it has read and holds so far, for stats records.
    fn counts(&self) -> Counts;
    /// Losses counted that no event reported yet (after the last record); marks them reported.
    fn unreported_losses(&mut self) -> u64 {
        0
    }
    /// Every loss reported so far (for the total on stderr at the end).
    fn lost_total(&self) -> u64 {
        0
    }
    /// Records that failed the wire checks (a bug if ever non-zero).
    fn malformed(&self) -> u64 {
        0
    }
}

/// The command tracer launches (`tracer CMD ARGS`).
pub struct Command<'a> {
    pub program: std::path::PathBuf,
    pub argv: &'a [std::ffi::OsString],
    pub startup: &'a crate::target::startup::Startup,
    /// -D: tracer's original process, already held before its exec (`target::daemonize`).
    pub held: Option<crate::target::launch::Held>,
}

impl Command<'_> {
    /// The command held before its exec: forked now, or the one -D holds. `seccomp`: the
    /// filter it installs before its exec (ptrace's `--seccomp-bpf`).
    pub fn hold(
        self,
        seccomp: Option<&[libc::sock_filter]>,
    ) -> anyhow::Result<crate::target::launch::Held> {
        if let Some(held) = self.held {
            return Ok(held.with_seccomp(seccomp.unwrap_or_default()));
        }
        let fprog = seccomp.map(|f| libc::sock_fprog {
            len: f.len() as u16,
            filter: f.as_ptr().cast_mut(),
        });
        crate::target::launch::spawn_held(&self.program, self.argv, fprog.as_ref(), self.startup)
    }
}

/// A source's counters, for stats records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records (eBPF) or events (ptrace) read so far.
    pub read: u64,
    /// Events the kernel could not write so far, reported in the stream or not yet.
    pub lost: u64,
    /// Entries in the kernel's per-process and per-thread maps (eBPF only).
    pub kernel_traced: usize,
    pub kernel_inflight: usize,
}

/// How the launched command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandEnd {
    Exited(i32),
    Killed(i32),
}

/// How a source's run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct End {
    /// The launched command's end, when it decides tracer's exit status.
    pub command: Option<CommandEnd>,
    /// Tracer was told to stop by this signal.
    pub signal: Option<i32>,
    /// The output went away.
    pub output_closed: bool,
    /// Processes still traced when tracing stopped: reported as detached.
    pub detached: Vec<u32>,
}
