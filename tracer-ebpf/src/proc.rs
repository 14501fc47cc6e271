//! Following processes (`-f`) and reporting task exits, from the scheduler's tracepoints.
//! Both fire in the context of the task concerned (the parent for forks).

use aya_ebpf::{helpers::bpf_ktime_get_ns, programs::RawTracePointContext};
use tracer_common::{
    FLAG_ENTER_LOST, KIND_EXIT, KIND_FORK, PROC_GROUP_DEAD, PROC_SHARES_FILES, PROC_SHARES_FS,
    PROC_SHARING_KNOWN, PROC_SUPERSEDED, ProcRecord, TracedProc,
};

use crate::{
    comm, emit, filter, ids,
    maps::{
        FOLLOW_FORKS, INFLIGHT, TASK_EXIT_CODE_OFF, TASK_FILES_OFF, TASK_FS_OFF, TRACED, WATCH,
    },
    mem::{kernel_u32, kernel_u64},
    task,
};

/// `sched_process_fork(struct task_struct *parent, struct task_struct *child)`.
#[inline(always)]
pub fn fork(ctx: &RawTracePointContext) {
    let Some((tgid, tid)) = ids::current() else {
        return;
    };
    let active = filter::active(tgid);
    // Without -f or --comm (--uid, --cgroup, --all), an untraced parent ends it here (the
    // common case).
    if !active && WATCH.load() == 0 {
        return;
    }
    let child: u64 = ctx.arg(1);
    let Some((child_tgid, child_tid)) = ids::of_task(child) else {
        return;
    };
    let followed = active && FOLLOW_FORKS.load() != 0;
    if child_tgid != tgid && !followed && comm::current_wanted() {
        // A new process with a wanted name: traced as if attached by name.
        comm::adopt(child_tgid, child_tid);
        return;
    }
    if !active {
        return;
    }
    if child_tgid != tgid {
        if !followed {
            return;
        }
        // Registered before the child first runs, so none of its syscalls are missed.
        let _ = TRACED.insert(&child_tgid, &TracedProc::default(), 0);
        filter::mark(child_tgid, true);
    }
    emit::proc_event(
        KIND_FORK,
        ProcRecord {
            // SAFETY: no preconditions.
            ts: unsafe { bpf_ktime_get_ns() },
            tgid,
            tid,
            child_tgid,
            child_tid,
            flags: sharing(ctx.arg(0), child),
            ..ProcRecord::default()
        },
    );
}

/// Which of its parent's tables a new task shares (`PROC_SHARES_*`): the same `files_struct`
/// (fd table) and `fs_struct` (current directory) pointers, whatever clone flags made it so.
#[inline(always)]
fn sharing(parent: u64, child: u64) -> u32 {
    let mut flags = PROC_SHARING_KNOWN;
    let same = |off: u32| matches!((kernel_u64(parent, off), kernel_u64(child, off)), (Some(a), Some(b)) if a == b);
    if same(TASK_FILES_OFF.load()) {
        flags |= PROC_SHARES_FILES;
    }
    if same(TASK_FS_OFF.load()) {
        flags |= PROC_SHARES_FS;
    }
    flags
}

/// `sched_process_exit(struct task_struct *p, bool group_dead)`.
#[inline(always)]
pub fn exit(ctx: &RawTracePointContext) {
    let Some((tgid, tid)) = ids::current() else {
        return;
    };
    let Some(flags) = filter::traced(tgid) else {
        return;
    };
    // A thread killed in the middle of a syscall leaves its enter state behind. A call whose
    // enter record was lost (`FLAG_ENTER_LOST`) was to be reported by its exit: it is lost now.
    // SAFETY: the value is copied out at once; only this thread touches its key.
    if unsafe { INFLIGHT.get(&tid) }.is_some_and(|s| s.flags & u32::from(FLAG_ENTER_LOST) != 0) {
        emit::count_loss();
    }
    let _ = INFLIGHT.remove(&tid);
    let task: u64 = ctx.arg(0);
    let group_dead: u64 = ctx.arg(1);
    let exit_code = kernel_u32(task, TASK_EXIT_CODE_OFF.load()).unwrap_or(0);
    if group_dead & 0xff != 0 {
        // The bit first: a set bit means the process has its TRACED entry.
        filter::mark(tgid, false);
        let _ = TRACED.remove(&tgid);
    }
    if !filter::tracing_started(flags) {
        return;
    }
    let sig = exit_code & 0x7f;
    if group_dead & 0xff != 0 && sig != 0 {
        crate::signal::fatal_before_exit(tgid, tid, sig);
    }
    let mut rec = ProcRecord {
        // SAFETY: no preconditions.
        ts: unsafe { bpf_ktime_get_ns() },
        tgid,
        tid,
        flags: if group_dead & 0xff != 0 {
            PROC_GROUP_DEAD
        } else {
            0
        },
        exit_code,
        ..ProcRecord::default()
    };
    // The leader goes while the process lives on: another thread's execve took its place.
    if tid == tgid
        && group_dead & 0xff == 0
        && let Some((_, exec_tid)) = task::exec_task().and_then(ids::of_task)
    {
        rec.flags |= PROC_SUPERSEDED;
        rec.child_tid = exec_tid;
    }
    emit::proc_event(KIND_EXIT, rec);
}

/// `sched_switch(bool preempt, struct task_struct *prev, struct task_struct *next, ...)`:
/// accounts the time a thread inside a traced syscall spends off CPU, so `-c` can report the
/// time the call ran (strace's system time) rather than how long it took. Only threads with an
/// entry in INFLIGHT are touched (an idle one's count is reset by its next call's sys_enter);
/// attached only when `-c` needs it.
#[inline(always)]
pub fn switch(ctx: &RawTracePointContext) {
    // SAFETY: no preconditions.
    let now = unsafe { bpf_ktime_get_ns() };
    let (prev, next): (u64, u64) = (ctx.arg(1), ctx.arg(2));
    if let Some((_, tid)) = ids::of_task(prev)
        && let Some(state) = INFLIGHT.get_ptr_mut(&tid)
    {
        // SAFETY: the entry belongs to the thread leaving this CPU; nothing else touches it now.
        unsafe { (*state).out_at = now };
    }
    if let Some((_, tid)) = ids::of_task(next)
        && let Some(state) = INFLIGHT.get_ptr_mut(&tid)
    {
        // SAFETY: as above, for the thread coming onto this CPU.
        unsafe {
            let out = (*state).out_at;
            if out != 0 && now > out {
                (*state).off_cpu += now - out;
            }
            (*state).out_at = 0;
        }
    }
}
