//! `--comm`: processes are picked up by name when they appear — when a process execs a
//! program and takes a wanted name (a service started or restarted), or when a process with a
//! wanted name forks a new one (a daemon detaching, a pre-forking server's workers). Existing
//! processes are found by userspace before the programs are attached.

use aya_ebpf::helpers::{bpf_get_current_comm, bpf_ktime_get_ns};
use tracer_common::{AdoptRecord, ProcRecord, TracedProc};

use crate::{
    emit, filter,
    maps::{COMM_COUNT, COMMS, TRACED},
};

/// Whether the current task's name is one of the wanted ones. A forked child has its parent's
/// name, so at fork this answers for the child too.
#[inline(always)]
pub fn current_wanted() -> bool {
    if COMM_COUNT.load() == 0 {
        return false;
    }
    let Ok(comm) = bpf_get_current_comm() else {
        return false;
    };
    // SAFETY: only presence is read.
    unsafe { COMMS.get(&comm) }.is_some()
}

/// Traces process `tgid` from now on and tells userspace. The current task's name is the
/// process's (at exec its own, at fork its parent's, which the child copied).
#[inline(always)]
pub fn adopt(tgid: u32, tid: u32) {
    let _ = TRACED.insert(&tgid, &TracedProc::default(), 0);
    filter::mark(tgid, true);
    emit::adopt_event(AdoptRecord {
        proc: ProcRecord {
            // SAFETY: no preconditions.
            ts: unsafe { bpf_ktime_get_ns() },
            tgid,
            tid,
            ..ProcRecord::default()
        },
        comm: bpf_get_current_comm().unwrap_or_default(),
    });
}

/// `sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)`: runs
/// in the task that exec'd, after the kernel gave it the new program's name.
#[inline(always)]
pub fn exec() {
    let Some((tgid, tid)) = crate::ids::current() else {
        return;
    };
    if filter::traced(tgid).is_some() || !current_wanted() {
        return;
    }
    adopt(tgid, tid);
}
