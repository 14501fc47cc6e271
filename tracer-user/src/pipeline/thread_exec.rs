//! An execve made by a thread other than the leader, whose path or argv the eBPF programs
//! could not read at sys_enter (a string never touched: eBPF cannot fault a page in).
//!
//! strace prints such a call cut, with its strings, then the leader's end:
//! `[pid T] execve("/bin/true", ["/bin/true", ...], ... <unfinished ...>`,
//! `<... pause resumed>) = ?`, `+++ superseded by execve in pid L +++`,
//! `<... execve resumed>) = 0`. The strings are only known when the execve returns, in the
//! leader (the new image's argument area, `CAP_EXEC_AREA`), after the lines that cut it. So
//! the start is held, and what follows it queued, until that record comes: the start is then
//! printed with the strings put right, and the queued events after it, in their order. A
//! failed execve (it returns in its own thread), the thread's end, a loss, or a wait that
//! lasts release everything as it came.

use std::time::{Duration, Instant};

use crate::{
    event::{Part, RawEvent, RawSyscall},
    tables,
};

/// Events held at most, and how long (wall time, checked when the output is flushed).
const MAX_QUEUED: usize = 512;
const MAX_WAIT: Duration = Duration::from_millis(200);
/// Kernel time after the execve's start past which an event releases the wait.
const MAX_WAIT_NS: u64 = 1_000_000_000;

/// A held execve start and the events that came after it.
pub struct Waiting {
    /// The thread that called execve.
    pub tid: u32,
    tgid: u32,
    ts: u64,
    since: Instant,
    pub queued: Vec<RawEvent>,
}

/// What an event does to the wait.
pub enum Step {
    /// It waits too.
    Queue,
    /// The execve's return in the leader, with the new image's strings.
    Recovered,
    /// Give up: print the start as it is and go on.
    Release,
}

impl Waiting {
    /// Whether `enter`, a start about to be shown, is one to hold.
    pub fn holds(enter: &RawSyscall) -> bool {
        enter.tid != enter.tgid
            && tables::by_nr(enter.nr).is_some_and(tables::SyscallDef::is_exec)
            && crate::exec_area::faulted(&enter.blobs)
    }

    pub fn new(enter: &RawSyscall) -> Self {
        Self {
            tid: enter.tid,
            tgid: enter.tgid,
            ts: enter.ts_enter,
            since: Instant::now(),
            queued: Vec::new(),
        }
    }

    /// What `event` means for the wait.
    pub fn step(&self, event: &RawEvent) -> Step {
        if self.queued.len() >= MAX_QUEUED {
            return Step::Release;
        }
        let (tid, ts) = match event {
            RawEvent::Syscall(sc) => {
                if sc.part == Part::Complete
                    && sc.tid == self.tgid
                    && sc.no_enter
                    && sc.ret == 0
                    && tables::by_nr(sc.nr).is_some_and(tables::SyscallDef::is_exec)
                {
                    return Step::Recovered;
                }
                (sc.tid, sc.ts_exit.max(sc.ts_enter))
            }
            RawEvent::Exit(e) => (e.tid, e.ts),
            RawEvent::Signal(s) => (s.tid, s.ts),
            RawEvent::Lost { .. } => return Step::Release,
            _ => return Step::Queue,
        };
        if tid == self.tid || ts > self.ts.saturating_add(MAX_WAIT_NS) {
            Step::Release
        } else {
            Step::Queue
        }
    }

    /// The wait has lasted long enough that nothing more is to come soon.
    pub fn overdue(&self) -> bool {
        self.since.elapsed() > MAX_WAIT
    }
}

/// Puts the new image's strings (the exit's `CAP_EXEC_AREA`) in place of what faulted in the
/// held start.
pub fn recover(enter: &mut RawSyscall, exit: &RawSyscall) {
    let area = exit
        .blobs
        .iter()
        .filter(|b| b.kind == tracer_common::CAP_EXEC_AREA)
        .cloned();
    enter.blobs.extend(area);
    crate::exec_area::recover(&mut enter.blobs);
}
