//! Which events are wanted: traced processes, and the launched command's start at execve.

use tracer_common::{TRACED_WAIT_EXEC, TracedProc};

use crate::maps::TRACED;

/// x86_64 syscall numbers that start a traced image.
const NR_EXECVE: i64 = 59;
const NR_EXECVEAT: i64 = 322;

/// Flags of the traced process `tgid`, or None when it is not traced (the common case: this is
/// the check every syscall on the host pays).
#[inline(always)]
pub fn traced(tgid: u32) -> Option<u32> {
    // SAFETY: the value is copied out at once; userspace only inserts and removes whole entries.
    unsafe { TRACED.get(&tgid) }.map(|p| p.flags)
}

/// False while a launched command is still in tracer's own fork-to-exec setup. Its execve is
/// the first syscall the user sees, as with strace: on entering it, tracing starts.
#[inline(always)]
pub fn started(tgid: u32, flags: u32, nr: i64) -> bool {
    if flags & TRACED_WAIT_EXEC == 0 {
        return true;
    }
    if nr != NR_EXECVE && nr != NR_EXECVEAT {
        return false;
    }
    let now = TracedProc {
        flags: flags & !TRACED_WAIT_EXEC,
        _pad0: 0,
    };
    let _ = TRACED.insert(&tgid, &now, 0);
    true
}

/// At sys_exit: whether the process's tracing has begun.
#[inline(always)]
pub fn tracing_started(flags: u32) -> bool {
    flags & TRACED_WAIT_EXEC == 0
}
