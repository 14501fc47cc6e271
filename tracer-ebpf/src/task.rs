//! What the kernel is about to do to the current task, read from its task_struct. strace
//! (through ptrace) never sees a call end when its task is killed first: it prints `= ?`. And
//! a process's leader replaced by another thread's execve ends as
//! `+++ superseded by execve in pid N +++`.

use tracer_common::SPEC_SENDS_SIGNAL;

use crate::{
    maps::{SIGNAL_EXEC_TASK_OFF, SIGNAL_EXIT_CODE_OFF, TASK_PENDING_SET_OFF, TASK_SIGNAL_OFF},
    mem::{kernel_u32, kernel_u64},
};

const SIGKILL: u32 = 9;
const EINTR: i64 = 4;
/// ERESTARTSYS .. ERESTART_RESTARTBLOCK: a call cut short by a signal.
const ERESTART_FIRST: i64 = 512;
const ERESTART_LAST: i64 = 516;

fn current() -> u64 {
    // SAFETY: no preconditions; the pointer is only read through probe reads.
    unsafe { aya_ebpf::helpers::generated::bpf_get_current_task() }
}

/// The thread whose execve is replacing the current task's process (`group_exec_task`).
#[inline(always)]
pub fn exec_task() -> Option<u64> {
    let signal = kernel_u64(current(), TASK_SIGNAL_OFF.load())?;
    kernel_u64(signal, SIGNAL_EXEC_TASK_OFF.load()).filter(|&t| t != 0)
}

/// `task` has SIGKILL queued: it dies without running user code again (every fatal signal,
/// and an execve in another thread, queue SIGKILL on each thread).
#[inline(always)]
pub fn killed(task: u64) -> bool {
    let pending = kernel_u64(task, TASK_PENDING_SET_OFF.load()).unwrap_or(0);
    pending & (1 << (SIGKILL - 1)) != 0
}

/// At sys_exit with `ret`: the call was cut short, or sent a signal, and the task dies before
/// returning to user space (SIGKILL, or an execve in another thread); a ptrace tracer would
/// never see it end. Other calls are not checked: a kernel read per call for a kill that
/// races with one.
#[inline(always)]
pub fn dies_in_call(ret: i64, spec_flags: u32) -> bool {
    let cut_short = ret == -EINTR || (-ERESTART_LAST..=-ERESTART_FIRST).contains(&ret);
    let sent = ret == 0 && spec_flags & SPEC_SENDS_SIGNAL != 0;
    if !cut_short && !sent {
        return false;
    }
    let task = current();
    if !killed(task) {
        return false;
    }
    // Any fatal signal queues SIGKILL on every thread; only a real SIGKILL, another thread's
    // exit_group (an exit status, no signal, in group_exit_code) or an exec is one a ptrace
    // tracer would not have seen delivered first.
    let Some(signal) = kernel_u64(task, TASK_SIGNAL_OFF.load()) else {
        return false;
    };
    let code = kernel_u32(signal, SIGNAL_EXIT_CODE_OFF.load());
    code.is_some_and(|c| c == SIGKILL || c & 0x7f == 0) || exec_task().is_some()
}
