//! Which tasks are traced: new threads always (a process is traced whole), new processes with
//! -f and otherwise left alone (detached at once), and with `--comm` the processes of a name,
//! found by a /proc scan each second (without the kernel programs, that is the fallback's way).

use super::{PtraceSource, Task, sys::Stop};
use crate::{
    event::RawEvent,
    source::{Downstream, Halt},
    target::watch::Watch,
};

impl PtraceSource {
    /// `--comm`: follow processes with these names; run until interrupted. `refused`: the
    /// processes already refused (and told) at the start, not told again.
    pub fn follow_names(&mut self, comms: &[[u8; tracer_common::COMM_LEN]], refused: &[u32]) {
        self.comms = comms.to_vec();
        self.refused.extend(refused);
    }

    /// Attaches to processes with a wanted name that appeared since the last scan.
    pub(super) fn scan_names(&mut self, down: &mut dyn Downstream) -> Result<(), Halt> {
        if self.comms.is_empty()
            || self
                .last_scan
                .is_some_and(|at| at.elapsed() < std::time::Duration::from_secs(1))
        {
            return Ok(());
        }
        self.last_scan = Some(std::time::Instant::now());
        for pid in Watch::names(&self.comms).running() {
            if self.tasks.contains_key(&pid) || self.refused.contains(&pid) {
                continue;
            }
            if let Err(refusal) = crate::target::privilege::Invoker::current().may_trace(pid) {
                crate::note!("tracer: not traced: {refusal}");
                self.refused.insert(pid);
                continue;
            }
            if let Err(err) = self.attach(pid) {
                log::warn!("{err:#}");
                self.refused.insert(pid);
                continue;
            }
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            self.emit(
                down,
                RawEvent::Adopt {
                    ts: self.os.now(),
                    tgid: pid,
                    name: name.trim_end().to_string(),
                },
            )?;
        }
        Ok(())
    }

    /// A task the kernel attached for us (a new thread, or a child process): a thread of a
    /// traced process is traced; a new process only with -f, otherwise it is hidden (and
    /// detached at its first stop).
    pub(super) fn add_new_task(&mut self, tid: u32, tgid: u32) {
        if self.tasks.contains_key(&tid) || self.detached.remove(&tid) {
            return;
        }
        if self.follow_forks || self.threads.contains_key(&tgid) {
            self.add_task(tid, tgid, false);
        } else {
            self.tasks.insert(
                tid,
                Task {
                    tgid,
                    hidden: true,
                    fresh: true,
                    ..Task::default()
                },
            );
        }
        if let Some(task) = self.tasks.get_mut(&tid) {
            task.forked = true;
        }
    }

    /// The task `tid` just created (at its fork event), registered: (its id, its process).
    /// Its first stop may have come first and registered it already.
    pub(super) fn register_child(&mut self, tid: u32) -> Option<(u32, u32)> {
        let child = self.os.event_msg(tid)?;
        let child_tgid = self.os.tgid_of(child).unwrap_or(child);
        self.add_new_task(child, child_tgid);
        if let Some(task) = self.tasks.get_mut(&child) {
            task.reported = true;
        }
        Some((child, child_tgid))
    }

    /// The first stop of a hidden task: detach it before it runs a single instruction traced,
    /// so that it is free to be traced by someone else (a child calling PTRACE_TRACEME works,
    /// as under strace without -f), passing on a signal it stopped for.
    pub(super) fn pass(&mut self, tid: u32, stop: Stop) {
        let reported = self.tasks.remove(&tid).is_some_and(|t| t.reported);
        match stop {
            Stop::Exited(_) => return,
            Stop::Signal(sig) => self.os.detach_stopped(tid, sig),
            _ => self.os.detach_stopped(tid, 0),
        }
        if !reported {
            // Its first stop came before its parent's fork event.
            self.detached.insert(tid);
        }
    }
}
