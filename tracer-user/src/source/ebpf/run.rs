//! The eBPF source as a `Source`: registering the processes before the programs attach, then
//! a single-threaded tokio loop over the ring buffer, the kernel log, the traced processes'
//! pidfds and tracer's own signals, until every tracee is gone or tracer is interrupted.

use std::{
    collections::HashSet,
    os::fd::{AsRawFd, OwnedFd, RawFd},
    time::Duration,
};

use anyhow::{Context, Result};
use nix::{
    sys::{
        signal::{Signal, kill},
        wait::{WaitPidFlag, WaitStatus, waitpid},
    },
    unistd::Pid,
};
use tokio::{
    io::{Interest, unix::AsyncFd},
    signal::unix::{SignalKind, signal},
    sync::mpsc,
    time::{Instant, interval},
};

use super::EbpfSource;
use crate::{
    source::{Command, CommandEnd, Counts, Downstream, End, Halt, Source},
    target::preflight,
};

/// How often the ring buffer is read when the kernel does not wake us (it does when the ring
/// is an eighth full).
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// The longest a drain reads before the loop's other work (signals, exits, stats ticks) gets
/// a turn: a consumer slower than the traced processes (a debug build, a busy machine, JSON)
/// may take seconds to read one ring's worth.
const DRAIN_TURN: Duration = Duration::from_millis(50);

/// A process whose exit ends part of the trace.
pub(super) struct Tracee {
    pid: u32,
    pidfd: OwnedFd,
    /// We launched it (and must reap it and report its status).
    child: bool,
}

/// What the loop is waiting for next.
#[derive(Debug, Default)]
struct State {
    /// Processes whose pidfd has not fired yet.
    live: HashSet<u32>,
    child: Option<u32>,
    child_status: Option<WaitStatus>,
    interrupted: Option<i32>,
    /// When the first stop signal came (a second one counts only `SECOND_SIGNAL_GAP` later).
    interrupted_at: Option<Instant>,
    /// After forwarding a signal to the launched command: when to give up waiting.
    deadline: Option<Instant>,
}

/// An fd we poll but do not own.
struct Fd(RawFd);

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Registers `inner` for readability with the runtime.
///
/// # Safety
/// `inner`'s fd must stay open, and the same file, for as long as the returned value lives.
unsafe fn watch<T: AsRawFd>(inner: T) -> std::io::Result<AsyncFd<T>> {
    // SAFETY: upheld by the caller.
    unsafe { AsyncFd::register_with_interest(inner, Interest::READABLE) }.map_err(Into::into)
}

impl Source for EbpfSource {
    /// Every traced process is registered before the programs run (see `EbpfSource::trace`);
    /// a process is said to be attached only once they do, and one that ended meanwhile is
    /// reported gone.
    fn start(
        &mut self,
        targets: Vec<preflight::Target>,
        command: Option<Command<'_>>,
        down: &mut dyn Downstream,
    ) -> Result<bool> {
        for target in &targets {
            down.starting(target.tgid, false);
            self.trace(target.tgid, false)?;
            self.follow_maps(target.tgid, false, down);
        }
        let held = match command {
            Some(command) => {
                // No other thread exists yet: the runtime starts in `run`.
                let held = command.hold(None)?;
                // Its descriptors are the ones it will exec with: record them now.
                down.starting(held.pid, true);
                self.trace(held.pid, true)?;
                self.follow_maps(held.pid, true, down);
                Some(held)
            }
            None => None,
        };
        self.attach()?;
        if let Some(held) = &held {
            // --tls: probes on the usual libssl before it execs (see `TlsProbes::attach`).
            if let Err(err) = self.attach_tls(held.pid) {
                log::debug!("no early TLS probes: {err:#}");
            }
        }
        let asked = targets.len();
        for target in targets {
            let ended = preflight::has_exited(&target.pidfd) || preflight::exiting(target.tgid);
            if ended && self.registered(target.tgid) {
                // It ended, or began to, while the programs were loading: its exit may have
                // come before the exit program was there (one that ends after the attach is
                // unregistered by its exit record, which reports it).
                down.gone(target.tgid);
                self.untrace(target.tgid);
                continue;
            }
            // Only now: from this line on, every call of the process is recorded.
            down.attached(target.tgid)?;
            Self::stopped_at_attach(target.tgid, down);
            self.tracees.push(Tracee {
                pid: target.tgid,
                pidfd: target.pidfd,
                child: false,
            });
        }
        if asked != 0 && self.tracees.is_empty() && held.is_none() && !self.named {
            // As strace: nothing left to trace is a failure.
            return Ok(false);
        }
        if let Some(held) = held {
            let pidfd = preflight::pidfd_open(held.pid).context("failed to watch the command")?;
            // -D: tracer's original process is attached to, as strace says; the shell, not
            // tracer, waits for it.
            let child = !held.is_daemonized();
            if !child {
                down.attached(held.pid)?;
            }
            let pid = held.release()?;
            self.tracees.push(Tracee { pid, pidfd, child });
        }
        Ok(true)
    }

    fn run(&mut self, down: &mut dyn Downstream) -> Result<End> {
        // This thread drains the ring from now on (the launched command is already forked).
        super::priority::apply(self.nice);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("failed to start the event loop")?;
        let tracees = std::mem::take(&mut self.tracees);
        runtime.block_on(self.event_loop(tracees, down))
    }

    fn counts(&self) -> Counts {
        Counts {
            read: self.records_read,
            lost: self.losses_so_far(),
            kernel_traced: self.traced.keys().count(),
            kernel_inflight: self
                .inflight
                .iter()
                .filter(|e| e.as_ref().is_ok_and(|(_, v)| v.in_call()))
                .count(),
        }
    }

    fn unreported_losses(&mut self) -> u64 {
        self.take_unreported_losses().unwrap_or(0)
    }

    fn lost_total(&self) -> u64 {
        self.reported_lost
    }

    fn malformed(&self) -> u64 {
        self.malformed
    }
}

impl EbpfSource {
    async fn event_loop(&mut self, tracees: Vec<Tracee>, down: &mut dyn Downstream) -> Result<End> {
        // SAFETY: the fd belongs to a map `self` owns; it outlives this local.
        let ring =
            unsafe { watch(Fd(self.ring_fd())) }.context("failed to poll the ring buffer")?;
        let log = match self.log_fd() {
            // SAFETY: as above.
            Some(fd) => Some(unsafe { watch(Fd(fd)) }.context("failed to poll the kernel log")?),
            None => None,
        };
        let mut state = State::default();
        let (exit_tx, mut exits) = mpsc::unbounded_channel();
        for tracee in tracees {
            state.live.insert(tracee.pid);
            if tracee.child {
                state.child = Some(tracee.pid);
            }
            let tx = exit_tx.clone();
            // SAFETY: the AsyncFd owns the pidfd.
            let pidfd = unsafe { watch(tracee.pidfd) }.context("failed to poll a pidfd")?;
            tokio::spawn(async move {
                // A pidfd becomes readable when its process exits.
                let _ = pidfd.readable().await;
                let _ = tx.send(tracee.pid);
            });
        }
        drop(exit_tx);
        let mut sigint = signal(SignalKind::interrupt()).context("failed to handle SIGINT")?;
        let mut sigterm = signal(SignalKind::terminate()).context("failed to handle SIGTERM")?;
        let mut sighup = signal(SignalKind::hangup()).context("failed to handle SIGHUP")?;
        // A launched command that made tracer its ptracer (TRACEME) stops at its next
        // signal: the SIGCHLD of that stop, or the next tick, lets it go.
        let mut sigchld = signal(SignalKind::child()).context("failed to handle SIGCHLD")?;
        // What came while tracer was starting is delivered now, to these.
        crate::target::signals::release();
        // The kernel wakes us only when the ring fills up (see `EbpfSource::load`): records
        // written at a quieter pace are picked up on this timer.
        let mut tick = interval(POLL_INTERVAL);
        let mut ticks: u32 = 0;
        let mut hurry = false;
        // Records left by a drain that stopped at its start time: read on the next turn, each
        // turn letting signals, exits and stats ticks in between.
        let mut backlog = false;
        let stats_every = down.stats_every();
        let period = stats_every.unwrap_or(Duration::MAX / 4);
        let mut stats_tick = tokio::time::interval_at(Instant::now() + period, period);
        self.tls_rescan(down);
        while self.daemon || !state.live.is_empty() || !down.live().is_empty() {
            tokio::select! {
                ready = ring.readable() => {
                    let mut guard = ready?;
                    backlog = self.drain(down)?;
                    guard.clear_ready();
                }
                // yield_now, not a ready future: the turn goes back to the runtime, which polls
                // its driver (signals, timers, pidfds) before this branch runs again. A loop
                // of always-ready branches would never let them in.
                () = tokio::task::yield_now(), if backlog => backlog = self.drain(down)?,
                Ok(mut guard) = async {
                    match &log {
                        Some(fd) => fd.readable().await,
                        None => std::future::pending().await,
                    }
                } => {
                    self.flush_log();
                    guard.clear_ready();
                }
                Some(pid) = exits.recv() => {
                    // Its last records are in the ring before its pidfd fires.
                    backlog = self.drain(down)?;
                    on_exit(pid, &mut state, down);
                }
                _ = sigint.recv() => hurry = on_signal(libc::SIGINT, &mut state),
                _ = sigterm.recv() => hurry = on_signal(libc::SIGTERM, &mut state),
                _ = sigchld.recv() => super::traceme::release_ptrace_stops(),
                _ = sighup.recv() => {
                    // logrotate moved the file away: write on in a new one.
                    backlog = self.drain(down)?;
                    if let Err(halt) = down.reopen() {
                        self.halted(halt)?;
                    }
                }
                _ = stats_tick.tick(), if stats_every.is_some() => {
                    backlog = self.drain(down)?;
                    if !self.output_closed && let Err(halt) = down.stats(&self.counts()) {
                        self.halted(halt)?;
                    }
                }
                _ = tick.tick() => {
                    backlog = self.drain(down)?;
                    self.tls_rescan(down);
                    super::traceme::release_ptrace_stops();
                    ticks = ticks.wrapping_add(1);
                    if ticks.is_multiple_of(8) {
                        self.flush_log();
                        prune_gone(down);
                    }
                    if state.deadline.is_some_and(|d| Instant::now() >= d) {
                        break;
                    }
                }
            }
            if self.detach_on_exec {
                // A process detached at its exec is not waited for; the launched command is,
                // as strace waits for it.
                let live = down.live();
                state
                    .live
                    .retain(|pid| state.child == Some(*pid) || live.contains(pid));
            }
            if hurry || (state.interrupted.is_some() && state.child.is_none()) {
                break;
            }
            if self.output_closed && state.child.is_none() {
                break;
            }
        }
        self.detach();
        // Detached: nothing is written any more, so the backlog ends; a second signal while
        // it is read stops at once.
        while !hurry && self.drain(down)? {
            tokio::select! {
                biased;
                _ = sigint.recv() => hurry = on_signal(libc::SIGINT, &mut state),
                _ = sigterm.recv() => hurry = on_signal(libc::SIGTERM, &mut state),
                () = tokio::task::yield_now() => {}
            }
        }
        if state.interrupted.is_some() && !self.output_closed {
            // Detached from processes that live on: what each thread waits in since before
            // the attach (the launched command had the signal: it is not detached from).
            let live: Vec<u32> = (down.live().iter().copied())
                .filter(|&pid| state.child != Some(pid))
                .collect();
            self.blocked_at_detach(&live, down);
        }
        Ok(End {
            command: match state.child_status {
                Some(WaitStatus::Exited(_, code)) => Some(CommandEnd::Exited(code)),
                Some(WaitStatus::Signaled(_, sig, _)) => Some(CommandEnd::Killed(sig as i32)),
                _ => None,
            },
            signal: state.interrupted,
            output_closed: self.output_closed,
            detached: state.live.iter().copied().collect(),
        })
    }

    /// Hands over what the ring held when called, for at most `DRAIN_TURN`, then lets the
    /// session flush. Returns whether records are left (a backlog to read on the loop's next
    /// turn).
    fn drain(&mut self, down: &mut dyn Downstream) -> Result<bool> {
        let until = crate::event::monotonic_now();
        // Every mapping made before the records read now is handed over before them.
        self.read_maps(down);
        let (mut halt, more) = self.read_ring(down, until, std::time::Instant::now() + DRAIN_TURN);
        if halt.is_none() && !self.output_closed {
            halt = down.idle().err();
        }
        match halt {
            None => Ok(more),
            Some(halt) => self.halted(halt).map(|()| more),
        }
    }

    /// The session refused an event: a closed output stops tracing (the tracees are
    /// untouched, a launched command is still waited for); a failed one ends tracer.
    fn halted(&mut self, halt: Halt) -> Result<()> {
        match halt {
            Halt::OutputClosed => {
                self.output_closed = true;
                self.detach();
                Ok(())
            }
            Halt::Failed(err) => Err(err),
        }
    }
}

/// Followed processes whose exit record was lost would keep us waiting: drop the ones that no
/// longer exist.
fn prune_gone(down: &mut dyn Downstream) {
    let gone: Vec<u32> = down
        .live()
        .iter()
        .copied()
        .filter(|&pid| kill(Pid::from_raw(pid as i32), None) == Err(nix::errno::Errno::ESRCH))
        .collect();
    for pid in gone {
        down.forget(pid);
    }
}

fn on_exit(pid: u32, state: &mut State, down: &mut dyn Downstream) {
    state.live.remove(&pid);
    down.forget(pid);
    if state.child == Some(pid) {
        state.child = None;
        state.child_status = waitpid(Pid::from_raw(pid as i32), Some(WaitPidFlag::WNOHANG)).ok();
    }
}

/// First signal: a launched command gets it too and a moment to exit; otherwise detach now.
/// A second signal at least `SECOND_SIGNAL_GAP` later: stop at once (the same request sent
/// twice at once, as `timeout` sends it, is one). Returns true to stop at once.
fn on_signal(sig: i32, state: &mut State) -> bool {
    if let Some(first) = state.interrupted_at {
        return first.elapsed() >= crate::source::SECOND_SIGNAL_GAP;
    }
    state.interrupted = state.interrupted.or(Some(sig));
    state.interrupted_at = Some(Instant::now());
    if let (Some(child), Ok(signal)) = (state.child, Signal::try_from(sig)) {
        let _ = kill(Pid::from_raw(child as i32), signal);
        state.deadline = Some(Instant::now() + crate::source::CHILD_GRACE);
    }
    false
}
