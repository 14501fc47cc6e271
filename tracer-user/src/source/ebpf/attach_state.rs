//! What an attached process was doing outside the kernel programs' sight, read from /proc as
//! strace's ptrace sees it: a thread stopped when tracing began prints
//! `--- stopped by SIGSTOP ---` (strace's first stop of a stopped task; /proc does not say
//! which stop signal, SIGSTOP is the usual one), and a call a thread was blocked in since
//! before the attach, still running when tracing ends, prints its start, which the detach ends
//! with ` <detached ...>` (`read(3,  <detached ...>`).

use std::fs;

use super::EbpfSource;
use crate::{
    event::{Part, RawEvent, RawSyscall, Signal, monotonic_now},
    pipeline::Host as _,
    procfs::Procfs,
    source::Downstream,
};

/// A task's state letter from `/proc/TGID/task/TID/stat` (`T`: stopped).
fn state(tgid: u32, tid: u32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{tgid}/task/{tid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(") ")?;
    rest.chars().next()
}

/// The call a blocked task is inside and its arguments, from `/proc/TGID/task/TID/syscall`
/// (`NR ARG1 .. ARG6 SP PC`; `running` or `-1 ...` when it is in none).
fn blocked_call(tgid: u32, tid: u32) -> Option<(u32, [u64; 6])> {
    let text = fs::read_to_string(format!("/proc/{tgid}/task/{tid}/syscall")).ok()?;
    let mut fields = text.split_whitespace();
    let nr = fields.next()?.parse::<u32>().ok()?;
    let mut args = [0u64; 6];
    for arg in &mut args {
        let hex = fields.next()?.strip_prefix("0x")?;
        *arg = u64::from_str_radix(hex, 16).ok()?;
    }
    Some((nr, args))
}

/// Threads of `tgid` in ascending order (strace goes through them so).
fn threads(tgid: u32) -> Vec<u32> {
    let mut tids = Procfs.threads(tgid);
    tids.sort_unstable();
    tids
}

impl EbpfSource {
    /// Process `tgid` was just attached: each of its threads that is stopped says so.
    pub(super) fn stopped_at_attach(tgid: u32, down: &mut dyn Downstream) {
        for tid in threads(tgid) {
            if state(tgid, tid) != Some('T') {
                continue;
            }
            let stop = Signal {
                ts: monotonic_now(),
                tgid,
                tid,
                sig: libc::SIGSTOP as u32,
                after_call: false,
                info: None,
                group_stop: true,
                ip: None,
            };
            let _ = down.event(RawEvent::Signal(stop), None);
        }
    }

    /// Tracing ended (programs detached, ring drained) while processes `tgids` live on: the
    /// start of each call a thread is blocked in that sys_enter never saw (it began before
    /// the attach). A stopped thread is in no call strace would show.
    pub(super) fn blocked_at_detach(&self, tgids: &[u32], down: &mut dyn Downstream) {
        for &tgid in tgids {
            for tid in threads(tgid) {
                let seen = (self.inflight.get(&tid, 0)).is_ok_and(|s| s.in_call());
                if seen || state(tgid, tid) == Some('T') {
                    continue;
                }
                let Some((nr, args)) = blocked_call(tgid, tid) else {
                    continue;
                };
                let start = RawSyscall {
                    part: Part::Enter,
                    no_enter: false,
                    no_return: false,
                    has_enter_record: false,
                    restarted: false,
                    ts_enter: monotonic_now(),
                    ts_exit: 0,
                    tgid,
                    tid,
                    nr,
                    ret: 0,
                    args,
                    off_cpu: 0,
                    ip: None,
                    blobs: Vec::new(),
                    tampered: Default::default(),
                };
                let _ = down.event(RawEvent::Syscall(start), None);
            }
        }
    }
}
