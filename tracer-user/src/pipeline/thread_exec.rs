//! An execve whose path or argv the eBPF programs could not read at sys_enter (a string never
//! touched: eBPF cannot fault a page in). Its exit brings them from the new image
//! (`CAP_EXEC_AREA`, put in place by the pairer), but a start printed before would keep the
//! addresses: the start waits for the exit, so that the line is printed whole from the finished
//! call, or cut with the strings when another task's line comes first.
//!
//! An execve made by a thread other than the leader is harder: strace prints it cut, with its strings, then the leader's end:
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

/// Events held at most, and how long (wall time and batches read, checked when the output is
/// flushed at the end of each batch).
const MAX_QUEUED: usize = 512;
const MAX_WAIT: Duration = Duration::from_millis(200);
const MAX_BATCHES: u32 = 2;
/// Kernel time after the execve's start past which an event releases the wait.
const MAX_WAIT_NS: u64 = 1_000_000_000;

/// A held execve start and the events that came after it. Its own thread's next record (its
/// end, when the exec failed or was not made by another thread) releases it.
pub struct Waiting {
    /// The thread that called execve.
    pub tid: u32,
    tgid: u32,
    ts: u64,
    since: Instant,
    batches: u32,
    pub queued: Vec<RawEvent>,
}

/// What an event does to the wait.
pub enum Step {
    /// It waits too.
    Queue,
    /// The execve's successful return, with the new image's strings.
    Recovered,
    /// Give up: print the start as it is and go on.
    Release,
}

impl Waiting {
    /// Whether `enter`, a start about to be shown, is one to hold.
    pub fn holds(enter: &RawSyscall) -> bool {
        tables::by_nr(enter.nr).is_some_and(tables::SyscallDef::is_exec)
            && crate::exec_area::faulted(&enter.blobs)
    }

    pub fn new(enter: &RawSyscall) -> Self {
        Self {
            tid: enter.tid,
            tgid: enter.tgid,
            ts: enter.ts_enter,
            since: Instant::now(),
            batches: 0,
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
                // The exec's successful end: in its own thread, or in the leader it replaced.
                if sc.part == Part::Complete
                    && (sc.tid == self.tid || (sc.tid == self.tgid && sc.no_enter))
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

    /// A batch of events ended: whether the wait has lasted long enough that nothing more is
    /// to come soon.
    pub fn overdue(&mut self) -> bool {
        self.batches += 1;
        self.batches > MAX_BATCHES && self.since.elapsed() > MAX_WAIT
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
