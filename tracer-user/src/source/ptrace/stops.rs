//! A tracee's stops, dispatched by kind (syscall, seccomp, fork, exec, event, signal, exit)
//! to what handles each and the resume that follows; a new task's first stop held until its
//! parent's fork event; signals reported.

use super::{PtraceSource, sys::Stop};
use crate::{
    event::{Fork, RawEvent, Signal},
    source::{Downstream, Halt},
};

impl PtraceSource {
    pub(super) fn handle(
        &mut self,
        tid: u32,
        stop: Stop,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        if !self.tasks.contains_key(&tid) {
            // A new task's first stop can come before its parent's fork event.
            if matches!(stop, Stop::Exited(_)) {
                return Ok(());
            }
            let tgid = self.os.tgid_of(tid).unwrap_or(tid);
            self.add_new_task(tid, tgid);
            // A thread's maker is in its own process; a child's is its parent.
            let maker = match tgid == tid {
                true => self.os.parent_of(tid),
                false => Some(tgid),
            };
            if let Some(task) = self.tasks.get_mut(&tid)
                && !task.hidden
                && matches!(stop, Stop::Event(_))
                && let Some(maker) = maker
            {
                task.held = Some((stop, maker));
                return Ok(());
            }
        }
        if self.tasks.get(&tid).is_some_and(|t| t.hidden) {
            self.pass(tid, stop);
            return Ok(());
        }
        match stop {
            Stop::Exited(status) => {
                self.exit_signals.remove(&tid);
                self.exited(tid, status, down)
            }
            Stop::Syscall => {
                let result = self.syscall_stop(tid, down);
                let held = self.exit_signals.remove(&tid);
                let sig = self.resume_signal.take().or(held).unwrap_or(0);
                self.os.resume(tid, sig, self.until_event(tid));
                result
            }
            Stop::Seccomp => {
                let result = self.syscall_stop(tid, down);
                // On to this call's exit stop. The kernel drops a signal given with the
                // resume from an event stop (ptrace(2)): `inject=...:signal=` is sent with
                // the resume from the exit stop instead, where it is delivered.
                if let Some(sig) = self.resume_signal.take() {
                    self.exit_signals.insert(tid, sig);
                }
                self.os.resume(tid, 0, false);
                result
            }
            Stop::Fork => {
                let result = self.forked(tid, down);
                self.os.resume(tid, 0, self.until_event(tid));
                result
            }
            Stop::Event(sig) => {
                // Read while the task is still in its stop (event_stop may PTRACE_LISTEN).
                let ip = self.os.instruction_pointer(tid);
                match self.event_stop(tid, sig) {
                    true => self.signal(tid, sig, true, ip, down),
                    false => Ok(()),
                }
            }
            Stop::Exec => {
                let result = self.exec_in_thread(tid, down);
                if result.is_ok() && self.detaches_at_exec(tid) {
                    return self.detach_at_exec(tid, down);
                }
                self.os.resume(tid, 0, self.until_event(tid));
                result
            }
            Stop::Other => {
                self.os.resume(tid, 0, self.until_event(tid));
                Ok(())
            }
            Stop::Signal(sig) => {
                let ip = self.os.instruction_pointer(tid);
                let result = self.signal(tid, sig, false, ip, down);
                self.os.resume(tid, sig, self.until_event(tid));
                result
            }
        }
    }

    /// Whether `tid` may run on until its next event (PTRACE_CONT): under seccomp, unless it
    /// is inside a call whose exit stop is still to come (an exec event comes first).
    pub(super) fn until_event(&self, tid: u32) -> bool {
        self.seccomp && self.tasks.get(&tid).is_none_or(|t| t.inside.is_none())
    }

    pub(super) fn forked(&mut self, tid: u32, down: &mut dyn Downstream) -> Result<(), Halt> {
        let Some((child, child_tgid)) = self.register_child(tid) else {
            return Ok(());
        };
        if !self.tasks.get(&child).is_some_and(|t| !t.hidden) {
            // Hidden, or already gone: nothing of it is (or will be) shown.
            return Ok(());
        }
        let tgid = self.tgid(tid);
        let flags = self.os.sharing(tid, child);
        let (shares_files, shares_fs) = Fork::sharing_from(flags, child_tgid == tgid);
        self.emit(
            down,
            RawEvent::Fork(Fork {
                ts: self.os.now(),
                tgid,
                tid,
                child_tgid,
                child_tid: child,
                shares_files,
                shares_fs,
            }),
        )?;
        // Its first stop came first and was held: now it may go on.
        match self.tasks.get_mut(&child).and_then(|t| t.held.take()) {
            Some((stop, _)) => self.handle(child, stop, down),
            None => Ok(()),
        }
    }

    /// Process `tgid` is gone: the tasks it made whose fork event never came (it was killed
    /// first) go on, unreported forks.
    pub(super) fn release_held(
        &mut self,
        tgid: u32,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        let orphans: Vec<(u32, Stop)> = self
            .tasks
            .iter_mut()
            .filter(|(_, t)| t.held.is_some_and(|(_, maker)| maker == tgid))
            .filter_map(|(&tid, t)| t.held.take().map(|(stop, _)| (tid, stop)))
            .collect();
        for (tid, stop) in orphans {
            self.handle(tid, stop, down)?;
        }
        Ok(())
    }

    /// A signal delivered to `tid`, or with `group_stop` the group stop it entered on `sig`
    /// (strace's `--- stopped by SIGSTOP ---`); `ip`: where the task was.
    pub(super) fn signal(
        &mut self,
        tid: u32,
        sig: i32,
        group_stop: bool,
        ip: Option<u64>,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        if self.tasks.get(&tid).is_some_and(|t| t.wait_exec) {
            return Ok(());
        }
        self.emit(
            down,
            RawEvent::Signal(Signal {
                ts: self.os.now(),
                tgid: self.tgid(tid),
                tid,
                sig: sig as u32,
                after_call: false,
                info: (!group_stop).then(|| self.os.siginfo(tid)).flatten(),
                group_stop,
                ip,
            }),
        )
    }
}
