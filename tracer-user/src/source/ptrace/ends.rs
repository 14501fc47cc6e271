//! How traced tasks end and stop, as strace shows it: an exit (and a call the task was inside,
//! which never returns: `= ?`), a leader replaced by another thread's execve
//! (`+++ superseded by execve in pid N +++`), and group stops (`--- stopped by SIGSTOP ---`).

use tracer_common::SPEC_NO_RETURN;

use super::{Entry, PtraceSource, sys};
use crate::{
    event::{Exit, Part, RawEvent, RawSyscall},
    source::{Downstream, Halt},
};

impl PtraceSource {
    /// A thread other than the leader exec'd: it now runs as the leader (`tid` is the
    /// process's id), and its old id is gone without an exit of its own. The leader's own call
    /// never returns (`= ?`), and the leader ends as strace ends it:
    /// `+++ superseded by execve in pid FORMER +++`.
    pub(super) fn exec_in_thread(
        &mut self,
        tid: u32,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        let Some(former) = self.os.event_msg(tid).filter(|&f| f != tid) else {
            return Ok(());
        };
        let Some(old) = self.tasks.remove(&former) else {
            return Ok(());
        };
        if let Some(n) = self.threads.get_mut(&old.tgid) {
            *n = n.saturating_sub(1);
        }
        let Some(leader) = self.tasks.get_mut(&tid) else {
            return Ok(());
        };
        let cut = leader.inside.take();
        // The old thread's CPU clock ended with it: its call's time on CPU is unknown.
        leader.inside = old.inside.map(|e| Entry {
            as_leader: true,
            tid,
            cpu_at_entry: None,
            ..e
        });
        if let Some(entry) = cut {
            self.never_returned(entry, old.tgid, down)?;
        }
        self.emit(
            down,
            RawEvent::Exit(Exit {
                ts: self.os.now(),
                tgid: old.tgid,
                tid,
                group_dead: false,
                code: 0,
                superseded_by: Some(former),
            }),
        )
    }

    /// A call its task was inside when it died, or when another thread's execve replaced it:
    /// it never returns (strace's `= ?`).
    fn never_returned(
        &self,
        entry: Entry,
        tgid: u32,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        let spec = self.spec(entry.nr);
        // exit_group and the like were reported whole at their entry.
        if entry.skip || spec.flags & SPEC_NO_RETURN != 0 {
            return Ok(());
        }
        self.emit(
            down,
            RawEvent::Syscall(RawSyscall {
                part: Part::Complete,
                no_enter: false,
                no_return: true,
                has_enter_record: entry.sent_enter,
                restarted: false,
                ts_enter: entry.ts,
                ts_exit: self.os.now(),
                tgid,
                tid: entry.tid,
                nr: entry.nr,
                ret: 0,
                args: entry.args,
                off_cpu: 0,
                ip: Some(entry.ip),
                blobs: Vec::new(),
                tampered: Default::default(),
            }),
        )
    }

    pub(super) fn exited(
        &mut self,
        tid: u32,
        status: i32,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        let tgid = self.tgid(tid);
        let task = self.tasks.remove(&tid);
        self.call_counts.forget(tid);
        if task.as_ref().is_some_and(|t| t.forked && !t.reported) {
            // Its parent's fork event is still to come: it must not bring it back.
            self.detached.insert(tid);
        }
        let wait_exec = task.as_ref().is_some_and(|t| t.wait_exec);
        let left = self.threads.get_mut(&tgid).map_or(0, |n| {
            *n = n.saturating_sub(1);
            *n
        });
        if left == 0 {
            self.threads.remove(&tgid);
            self.release_held(tgid, down)?;
        }
        if self.child == Some(tid) {
            self.child_status = Some(status);
        }
        if wait_exec {
            return Ok(());
        }
        if let Some(entry) = task.and_then(|t| t.inside) {
            // Killed inside a call (SIGKILL: no exit stop came).
            self.never_returned(entry, tgid, down)?;
        }
        self.emit(
            down,
            RawEvent::Exit(Exit {
                ts: self.os.now(),
                tgid,
                tid,
                group_dead: left == 0,
                code: status as u32,
                superseded_by: None,
            }),
        )
    }

    /// PTRACE_EVENT_STOP: a task's first stop (resumed into tracing), or a group stop. Lets
    /// `tid` go on after an event stop. A group stop is listened to (the task stays
    /// stopped until SIGCONT, as it would untraced): returns true then.
    pub(super) fn event_stop(&mut self, tid: u32, sig: i32) -> bool {
        let fresh = self
            .tasks
            .get_mut(&tid)
            .is_some_and(|t| std::mem::take(&mut t.fresh));
        if fresh || !sys::is_group_stop(sig) {
            self.os.resume(tid, 0, self.until_event(tid));
            return false;
        }
        self.os.listen(tid);
        true
    }
}
