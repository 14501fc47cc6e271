//! Process and thread ids as the user sees them: the host's, or, with tracer in a pid
//! namespace (a container), that namespace's. Every map key and record uses these ids, so
//! `-p N` means the process tracer's own /proc calls N, lines carry the pids strace run in
//! the same place would print, and a task outside the namespace is never traced.

use aya_ebpf::{
    bindings::bpf_pidns_info,
    helpers::{bpf_get_current_pid_tgid, generated::bpf_get_ns_current_pid_tgid},
};

use crate::{
    maps::{
        NS_INUM_OFF, PID_LEVEL_OFF, PID_NUMBERS_OFF, PIDNS_DEV, PIDNS_INO, PIDNS_NS_OFF,
        TASK_GROUP_LEADER_OFF, TASK_PID_OFF, TASK_TGID_OFF, TASK_THREAD_PID_OFF,
    },
    mem::{kernel_u32, kernel_u64},
};

/// `struct upid { int nr; struct pid_namespace *ns; }`: its size, and `ns`'s offset.
const UPID_SIZE: u32 = 16;
const UPID_NS: u32 = 8;
/// Namespace levels looked at below a task's own (the kernel allows 32; containers in
/// containers rarely go beyond a few).
const MAX_LEVELS: u32 = 8;

/// (tgid, tid) of the current task; None for a task outside tracer's pid namespace.
#[inline(always)]
pub fn current() -> Option<(u32, u32)> {
    let ino = PIDNS_INO.load();
    if ino == 0 {
        let pid_tgid = bpf_get_current_pid_tgid();
        return Some(((pid_tgid >> 32) as u32, pid_tgid as u32));
    }
    let mut info = bpf_pidns_info { pid: 0, tgid: 0 };
    // SAFETY: `info` is a valid out-pointer of the size given.
    let ret = unsafe {
        bpf_get_ns_current_pid_tgid(
            PIDNS_DEV.load(),
            ino,
            &mut info,
            size_of::<bpf_pidns_info>() as u32,
        )
    };
    (ret == 0).then_some((info.tgid, info.pid))
}

/// (tgid, tid) of `task` (a `struct task_struct *`); None outside tracer's pid namespace.
#[inline(always)]
pub fn of_task(task: u64) -> Option<(u32, u32)> {
    if PIDNS_INO.load() == 0 {
        let tgid = kernel_u32(task, TASK_TGID_OFF.load())?;
        return Some((tgid, kernel_u32(task, TASK_PID_OFF.load())?));
    }
    let tid = ns_nr(kernel_u64(task, TASK_THREAD_PID_OFF.load())?)?;
    let leader = kernel_u64(task, TASK_GROUP_LEADER_OFF.load())?;
    let tgid = ns_nr(kernel_u64(leader, TASK_THREAD_PID_OFF.load())?)?;
    Some((tgid, tid))
}

/// The number a `struct pid` has in tracer's namespace: `numbers[l].nr` for the level `l`
/// whose namespace is tracer's, looked for from the pid's own level up.
#[inline(never)]
fn ns_nr(pid: u64) -> Option<u32> {
    let level = kernel_u32(pid, PID_LEVEL_OFF.load())?;
    let ino = PIDNS_INO.load() as u32;
    for up in 0..MAX_LEVELS {
        if up > level {
            break;
        }
        let upid = pid + u64::from(PID_NUMBERS_OFF.load()) + u64::from((level - up) * UPID_SIZE);
        let ns = kernel_u64(upid, UPID_NS)?;
        if kernel_u32(ns, PIDNS_NS_OFF.load() + NS_INUM_OFF.load()) == Some(ino) {
            return kernel_u32(upid, 0);
        }
    }
    None
}
