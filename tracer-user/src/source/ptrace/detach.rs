//! `-b execve`: a traced process is detached at its successful exec (PTRACE_EVENT_EXEC), as
//! strace does, except the launched command's own startup exec.

use super::{PtraceSource, is_exec};
use crate::{
    event::{Part, RawEvent, RawSyscall},
    source::{Downstream, Halt},
};

/// What `-b execve` keeps.
#[derive(Debug, Default)]
pub(super) struct DetachOnExec {
    /// `-b execve` was given.
    pub on: bool,
    /// The launched command's startup exec went by (it does not detach).
    pub startup_seen: bool,
    /// The launched command, once detached: waited for at the end, as strace waits.
    pub child: Option<u32>,
}

impl PtraceSource {
    /// `-b execve`: detach from a process when it succeeds in an exec.
    pub fn detach_on_exec(&mut self) {
        self.detach_exec.on = true;
    }

    /// `-c` without `-w`: each call's time off CPU is measured (from the thread's CPU clock
    /// at its entry and exit stops), so the table counts time on CPU as the eBPF backend's.
    pub fn account_cpu_time(&mut self) {
        self.cpu_time = true;
    }

    /// At `tid`'s exec event: whether `-b execve` detaches it (the launched command's first
    /// exec excepted).
    pub(super) fn detaches_at_exec(&mut self, tid: u32) -> bool {
        if !self.detach_exec.on {
            return false;
        }
        if self.child == Some(self.tgid(tid)) && !self.detach_exec.startup_seen {
            self.detach_exec.startup_seen = true;
            return false;
        }
        true
    }

    /// Detaches `tid`, stopped at its exec event (the process is down to this one thread),
    /// and reports the exec's end as a detach.
    pub(super) fn detach_at_exec(
        &mut self,
        tid: u32,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        let tgid = self.tgid(tid);
        let entry = self.tasks.remove(&tid).and_then(|t| t.inside);
        self.threads.remove(&tgid);
        self.os.detach_stopped(tid, 0);
        if self.child == Some(tgid) {
            self.child = None;
            self.detach_exec.child = Some(tgid);
        }
        let exit = match entry {
            Some(e) => RawSyscall {
                part: Part::Complete,
                no_enter: e.as_leader,
                no_return: false,
                has_enter_record: e.sent_enter && !e.as_leader,
                restarted: false,
                ts_enter: e.ts,
                ts_exit: self.os.now(),
                tgid,
                tid,
                nr: e.nr,
                ret: 0,
                args: e.args,
                off_cpu: 0,
                ip: Some(e.ip),
                blobs: Vec::new(),
                tampered: Default::default(),
            },
            // Its entry was not seen: the pipeline only learns the process is gone.
            None => RawSyscall {
                tgid,
                ..RawSyscall::whole(tid, libc::SYS_execve as u32, [0; 6], 0, Vec::new())
            },
        };
        debug_assert!(is_exec(u64::from(exit.nr)));
        self.emit(down, RawEvent::Detached(exit))
    }

    /// After tracing: a launched command detached at its exec is waited for, as strace waits.
    pub(super) fn wait_detached_child(&self) {
        if let Some(pid) = self.detach_exec.child {
            self.os.wait_child(pid);
        }
    }
}
