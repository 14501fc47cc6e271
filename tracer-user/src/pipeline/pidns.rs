//! `--decode-pids=pidns`: a pid value a task in a child pid namespace sees (what getpid,
//! fork, wait4 return, what kill or tgkill are given, si_pid) followed by the pid tracer's own
//! namespace gives that process, `2 /* 7385 in tracer's PID NS */`, as strace 6.1 prints it.
//!
//! Each task's innermost pid and namespace are read from the running system (`Host::pid_ns`,
//! /proc's NSpid) when its tracing starts and at its fork, and forgotten when it is gone: a
//! thread at its exit, a process when a traced wait reaps it (strace asks /proc when the line
//! is printed: a zombie is still there, a reaped process is not, and its value is printed
//! bare). The ptrace backend hands the fork over while the child is held stopped; the eBPF
//! backend reads its records a moment later, so a child that ended before tracer read its
//! fork record is not known.

use std::collections::VecDeque;

use foldhash::HashMap;

use crate::pipeline::{Host, host::NsPid};

/// The traced tasks that live in a pid namespace below tracer's.
#[derive(Debug, Default)]
pub struct PidNs {
    /// Task (tracer's tid) -> its namespace and its pid there.
    of_task: HashMap<u32, NsPid>,
    /// (namespace, pid there) -> tracer's tid.
    by_inner: HashMap<(u64, u32), u32>,
    /// Processes that exited and were not seen reaped, oldest first.
    zombies: VecDeque<u32>,
}

/// Most exited processes kept until a wait reaps them (their parent may not be traced, or
/// not wait): the oldest go first.
const ZOMBIES_MAX: usize = 1024;

impl PidNs {
    /// Task `tid` is traced from now on (or was just forked): where it lives, if below us.
    pub fn learn(&mut self, tid: u32, host: &dyn Host) {
        if let Some(ns) = host.pid_ns(tid) {
            self.by_inner.insert((ns.ns, ns.pid), tid);
            self.of_task.insert(tid, ns);
        }
    }

    /// Task `tid` of process `tgid` exited: a thread is gone, a process is a zombie until
    /// reaped.
    pub fn exit(&mut self, tid: u32, tgid: u32) {
        if tid != tgid {
            self.forget(tid);
            return;
        }
        if !self.of_task.contains_key(&tid) {
            return;
        }
        self.zombies.push_back(tid);
        if self.zombies.len() > ZOMBIES_MAX
            && let Some(old) = self.zombies.pop_front()
        {
            self.forget(old);
        }
    }

    /// A wait of task `tid` returned `value`: that process is reaped, its number free.
    pub fn reaped(&mut self, tid: u32, value: i64) {
        let own = self
            .translate(tid, value)
            .or_else(|| u32::try_from(value).ok());
        if let Some(own) = own
            && let Some(at) = self.zombies.iter().position(|&z| z == own)
        {
            self.zombies.remove(at);
            self.forget(own);
        }
    }

    /// Task `tid` is gone.
    fn forget(&mut self, tid: u32) {
        if let Some(ns) = self.of_task.remove(&tid)
            && self.by_inner.get(&(ns.ns, ns.pid)) == Some(&tid)
        {
            self.by_inner.remove(&(ns.ns, ns.pid));
        }
    }

    /// Pid `value` as task `tid` sees it, in tracer's namespace: None when `tid` shares
    /// tracer's namespace or no traced task has that number in its.
    pub fn translate(&self, tid: u32, value: i64) -> Option<u32> {
        let ns = self.of_task.get(&tid)?.ns;
        let value = u32::try_from(value).ok().filter(|&v| v > 0)?;
        self.by_inner.get(&(ns, value)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::host::Fake;

    #[test]
    fn values_translate_only_from_inside_and_only_while_the_task_lives() {
        let host = Fake::default()
            .in_ns(100, NsPid { ns: 7, pid: 1 })
            .in_ns(101, NsPid { ns: 7, pid: 2 });
        let mut ns = PidNs::default();
        for tid in [100, 101, 50] {
            ns.learn(tid, &host);
        }
        assert_eq!(ns.translate(100, 1), Some(100));
        assert_eq!(ns.translate(100, 2), Some(101));
        assert_eq!(ns.translate(101, 1), Some(100));
        // A task of tracer's own namespace: its values are tracer's already.
        assert_eq!(ns.translate(50, 1), None);
        assert_eq!(ns.translate(100, 3), None);
        assert_eq!(ns.translate(100, -1), None);
        // An exited process is a zombie: still there until a wait reaps it.
        ns.exit(101, 101);
        assert_eq!(ns.translate(100, 2), Some(101));
        ns.reaped(100, 2);
        assert_eq!(ns.translate(100, 2), None);
    }
}
