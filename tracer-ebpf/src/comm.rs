//! `--comm`, `--uid`, `--cgroup`, `--all`: processes are picked up when they appear — when a
//! process execs a program and takes a wanted name (a service started or restarted), or when a
//! wanted process forks a new one (a daemon detaching, a pre-forking server's workers).
//! Existing processes are found by userspace before the programs are attached.

use aya_ebpf::helpers::{
    bpf_get_current_ancestor_cgroup_id, bpf_get_current_comm, bpf_get_current_uid_gid,
    bpf_ktime_get_ns,
};
use tracer_common::{
    AdoptRecord, COMM_LEN, ProcRecord, TracedProc, WATCH_ANY, WATCH_CGROUP, WATCH_NAMES, WATCH_UID,
};

use crate::{
    emit, filter,
    maps::{
        COMM_PREFIX_LENS, COMM_PREFIXES, COMMS, SELF_TGID, TRACED, WATCH, WATCH_CGROUP_ID,
        WATCH_CGROUP_LEVEL, WATCH_UID_VALUE,
    },
};

/// Whether the current task is one to pick up (`tracer_common::WATCH_*`): its name, real uid
/// and cgroup. A forked child has its parent's name, credentials and cgroup, so at fork this
/// answers for the child too.
#[inline(always)]
pub fn current_wanted() -> bool {
    let watch = WATCH.load();
    if watch == 0 {
        return false;
    }
    if crate::ids::current().is_none_or(|(tgid, _)| tgid == SELF_TGID.load()) {
        return false;
    }
    if watch & WATCH_UID != 0 && bpf_get_current_uid_gid() as u32 != WATCH_UID_VALUE.load() {
        return false;
    }
    if watch & WATCH_CGROUP != 0 {
        let level = WATCH_CGROUP_LEVEL.load() as i32;
        // SAFETY: no preconditions; 0 when the task is not that deep.
        let id = unsafe { bpf_get_current_ancestor_cgroup_id(level) };
        if id != WATCH_CGROUP_ID.load() {
            return false;
        }
    }
    watch & WATCH_ANY != 0 || (watch & WATCH_NAMES != 0 && name_wanted())
}

/// Whether the current task's name is a `--comm` name or starts with a `--comm PREFIX*`.
#[inline(always)]
fn name_wanted() -> bool {
    let Ok(comm) = bpf_get_current_comm() else {
        return false;
    };
    // SAFETY: only presence is read.
    if unsafe { COMMS.get(&comm) }.is_some() {
        return true;
    }
    let lens = COMM_PREFIX_LENS.load();
    if lens == 0 {
        return false;
    }
    // The name's first i + 1 bytes, NUL-padded, as userspace keys the prefixes.
    let mut key = [0u8; COMM_LEN];
    for i in 0..COMM_LEN - 1 {
        if comm[i] == 0 {
            break;
        }
        key[i] = comm[i];
        // SAFETY: only presence is read.
        if lens & (1 << (i + 1)) != 0 && unsafe { COMM_PREFIXES.get(&key) }.is_some() {
            return true;
        }
    }
    false
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
