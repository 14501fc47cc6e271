//! `-b execve`: a process detached at its successful exec. strace ends the exec's line with
//! ` <detached ...>` when that line is still the one being written (printing its start first
//! if it was held), leaves a line another task's cut as it is (`<unfinished ...>`, never
//! resumed), says `process N detached` and shows nothing of the process after.

use super::{Pipeline, text};
use crate::{decode, event::RawSyscall, sink::SinkError};

/// The launched command, and whether it was detached (strace then exits 0, not with its
/// status).
#[derive(Debug, Default)]
pub struct Launched {
    pub pid: Option<u32>,
    pub detached: bool,
    /// On its way to its first successful exec (`launch_exec`).
    pub exec: super::launch_exec::ExecState,
    /// The errno of its exec that has just failed, for tracer's word after the exec's line.
    pub failed_errno: Option<i32>,
}

impl Pipeline {
    /// The process left tracing at the exec whose exit half is `exit`.
    pub(super) fn detached_at_exec(&mut self, exit: RawSyscall) -> Result<(), SinkError> {
        let (tgid, tid, nr) = (exit.tgid, exit.tid, exit.nr);
        self.release_signals(tid)?;
        // The whole call, as far as its halves hold it (eBPF reads the new image's strings at
        // the exit).
        let call = self.pairer.push(exit);
        let shown = !self.opts.quiet() && self.opts.filter.shows_syscall(nr);
        let cut = self.out.take_cut(tid);
        if shown && !cut {
            self.show_detached_start(tid, call.as_ref())?;
        }
        self.out.end_open(Some(tid), " <detached ...>\n")?;
        self.pairer.forget(tid);
        self.out.forget(tid);
        self.announce(format_args!("process {tgid} detached"));
        self.json_process("detach", tgid)?;
        self.forget(tgid);
        if self.launched.pid == Some(tgid) {
            self.launched.detached = true;
        }
        Ok(())
    }

    /// Opens the exec's line from `call`, unless its start is written out already.
    fn show_detached_start(
        &mut self,
        tid: u32,
        call: Option<&RawSyscall>,
    ) -> Result<(), SinkError> {
        let open = self.out.take_open(tid);
        let Some(call) = call.filter(|_| open.as_ref().is_none_or(|o| !o.written)) else {
            // Out already (or nothing better to print): put back for `end_open` to complete.
            return open.map_or(Ok(()), |open| self.out.start(open));
        };
        // Not out yet: printed from the whole call, whose exit may hold what the start could
        // not read (an exec's strings).
        let mut sc = decode::decode(call, &self.opts.decode);
        decode::as_shown(call, &self.opts.decode, &mut sc);
        let split = text::split_of(call);
        self.emit(|e, cx| e.call_start(cx, &sc, split, (call.ts_enter, call.ip)))
    }

    /// Whether the launched command was detached (`-b execve`): tracer's exit status is then
    /// 0, as strace's.
    pub fn launched_detached(&self) -> bool {
        self.launched.detached
    }
}
