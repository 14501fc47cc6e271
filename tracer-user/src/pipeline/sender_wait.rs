//! A signal that one traced process sent another (`kill`, `tgkill`, `sigqueue`...) can be
//! delivered before the sending call returns: the kernel writes the delivery's record in the
//! receiver when it runs, the call's at its exit, so the receiver's `--- SIGCONT ---` would
//! come before `kill(child, SIGCONT) = 0` (effect before cause). strace prints the call first.
//! Such a signal is held, and what follows it queued, until the sender's call comes: that call
//! is shown, then the signal, then the queued events in their order. A sender's record that
//! shows the call was not (or not visibly) the sending one, a loss, or a wait that lasts,
//! release everything as it came.

use std::time::{Duration, Instant};

use foldhash::HashMap;

use crate::{
    event::{Part, RawEvent, Signal},
    filter::Filter,
    tables::{self, row::behaviour::SENDS_SIGNAL},
};

/// siginfo's si_code for a signal sent by a process: SI_USER, SI_QUEUE, SI_TKILL.
const FROM_A_PROCESS: [i32; 3] = [0, -1, -6];
/// How long a wait lasts at most (wall time and batches read), and in kernel time after the
/// signal past which any event releases it.
const MAX_WAIT: Duration = Duration::from_millis(200);
const MAX_BATCHES: u32 = 2;
const MAX_WAIT_NS: u64 = 1_000_000_000;

/// Each traced process's latest call end, and the signal held, if one is.
#[derive(Debug, Default)]
pub struct Senders {
    last_exit: HashMap<u32, u64>,
    pub wait: Option<SenderWait>,
}

/// A held signal and the events that came after it.
#[derive(Debug)]
pub struct SenderWait {
    pub signal: Signal,
    sender: u32,
    since: Instant,
    batches: u32,
    pub queued: Vec<RawEvent>,
}

/// What an event means for the wait.
pub enum Step {
    /// It waits too.
    Queue,
    /// A call of the sender that ended before the signal came: shown now, before it.
    Before,
    /// The sending call: shown, then the signal.
    Sender,
    /// Give up: the signal, then what was queued, as they came.
    Release,
}

impl Senders {
    /// Process `tgid` ended a call at `ts_exit`.
    pub fn ended(&mut self, tgid: u32, ts_exit: u64) {
        let last = self.last_exit.entry(tgid).or_default();
        *last = (*last).max(ts_exit);
    }

    pub fn forget(&mut self, tgid: u32) {
        self.last_exit.remove(&tgid);
    }

    /// Holds `s` when a traced process other than the receiver sent it with a call the trace
    /// shows and whose end has not been read yet. Returns the signal back otherwise.
    pub fn hold(&mut self, s: Signal, traced: &dyn Fn(u32) -> bool, f: &Filter) -> Option<Signal> {
        let Some(sender) = sender_of(&s) else {
            return Some(s);
        };
        let shown = tables::all()
            .iter()
            .filter(|d| d.has(SENDS_SIGNAL))
            .any(|d| f.shows_syscall(d.nr));
        let seen_past = self.last_exit.get(&sender).is_some_and(|&t| t >= s.ts);
        if self.wait.is_some() || !shown || seen_past || !traced(sender) {
            return Some(s);
        }
        self.wait = Some(SenderWait {
            signal: s,
            sender,
            since: Instant::now(),
            batches: 0,
            queued: Vec::new(),
        });
        None
    }
}

impl SenderWait {
    /// What `event` means for the wait.
    pub fn step(&self, event: &RawEvent) -> Step {
        let at = self.signal.ts;
        if let RawEvent::Syscall(sc) = event
            && sc.part == Part::Complete
            && sc.tgid == self.sender
        {
            let sending = tables::by_nr(sc.nr).is_some_and(|d| d.has(SENDS_SIGNAL));
            return if sending && sc.ts_enter <= at {
                Step::Sender
            } else if sc.ts_exit < at {
                Step::Before
            } else {
                Step::Release
            };
        }
        match event.written_at() {
            _ if matches!(event, RawEvent::Lost { .. }) => Step::Release,
            Some(t) if t > at.saturating_add(MAX_WAIT_NS) => Step::Release,
            _ => Step::Queue,
        }
    }

    /// A batch of events ended: whether the wait has lasted long enough.
    pub fn overdue(&mut self) -> bool {
        self.batches += 1;
        self.batches > MAX_BATCHES && self.since.elapsed() > MAX_WAIT
    }
}

/// The process that sent `s`, from its siginfo (si_code at byte 8, si_pid at 16), when a
/// process other than the receiver's sent it.
fn sender_of(s: &Signal) -> Option<u32> {
    let info = s.info.as_ref()?;
    let i32_at = |at: usize| {
        info.get(at..at + 4)
            .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (code, pid) = (i32_at(8)?, i32_at(16)?);
    let pid = u32::try_from(pid).ok().filter(|&p| p != 0 && p != s.tgid)?;
    FROM_A_PROCESS.contains(&code).then_some(pid)
}
