//! Which events are wanted: traced processes, and the launched command's start at execve.

use tracer_common::{
    FLAG_HAS_ENTER_RECORD, FLAG_NO_ENTER, SPEC_EXIT_ONLY, SPEC_KEEP, SPEC_STREAM,
    TRACED_STARTUP_EXEC, TRACED_WAIT_EXEC, TracedProc,
};

use aya_ebpf::maps::Array;

use crate::maps::{
    DETACH_ON_EXEC, MIN_DURATION_NS, STATUS_FILTER, TRACED, TRACED_BITS, TRACED_FLAGGED,
};

/// x86_64 syscall numbers that start a traced image.
pub const NR_EXECVE: i64 = 59;
pub const NR_EXECVEAT: i64 = 322;

/// Flags of the traced process `tgid`, or None when it is not traced (the common case: this is
/// the check every syscall on the host pays). A traced process's flags are looked up in the
/// hash only while its `TRACED_FLAGGED` bit is set (rarely: see there), so a traced call pays
/// two array lookups the verifier inlines, not a hash lookup.
#[inline(always)]
pub fn traced(tgid: u32) -> Option<u32> {
    let word = TRACED_BITS.get(tgid >> 6)?;
    if *word & (1 << (tgid & 63)) == 0 {
        return None;
    }
    let flagged = TRACED_FLAGGED.get(tgid >> 6)?;
    if *flagged & (1 << (tgid & 63)) == 0 {
        return Some(0);
    }
    // SAFETY: the value is copied out at once; userspace only inserts and removes whole entries.
    unsafe { TRACED.get(&tgid) }.map(|p| p.flags)
}

/// Sets or clears `tgid`'s bit in TRACED_BITS (atomically: other CPUs update other bits of the
/// same word).
#[inline(always)]
pub fn mark(tgid: u32, traced: bool) {
    set_bit(&TRACED_BITS, tgid, traced);
}

/// Writes `tgid`'s flags: its `TRACED_FLAGGED` bit is set before nonzero flags are written and
/// cleared after flags 0 are, so a clear bit always means flags 0.
#[inline(always)]
fn set_flags(tgid: u32, flags: u32) {
    if flags != 0 {
        set_bit(&TRACED_FLAGGED, tgid, true);
    }
    let now = TracedProc { flags, _pad0: 0 };
    let _ = TRACED.insert(&tgid, &now, 0);
    if flags == 0 {
        set_bit(&TRACED_FLAGGED, tgid, false);
    }
}

/// Sets or clears `tgid`'s bit in a per-pid bitmap, atomically.
#[inline(always)]
fn set_bit(bits: &Array<u64>, tgid: u32, on: bool) {
    let Some(word) = bits.get_ptr_mut(tgid >> 6) else {
        return;
    };
    let bit = 1u64 << (tgid & 63);
    use core::intrinsics::{AtomicOrdering::Relaxed, atomic_and, atomic_or};
    // SAFETY: the pointer is to this array element, valid for the program's run; the update
    // is atomic.
    unsafe {
        if on {
            atomic_or::<u64, u64, { Relaxed }>(word, bit);
        } else {
            atomic_and::<u64, u64, { Relaxed }>(word, !bit);
        }
    }
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
    let startup = if DETACH_ON_EXEC.load() != 0 {
        TRACED_STARTUP_EXEC
    } else {
        0
    };
    set_flags(tgid, (flags & !TRACED_WAIT_EXEC) | startup);
    true
}

/// At the sys_exit of `nr` returning `ret` in traced process `tgid` (flags `flags`): with
/// `-b execve`, whether a successful exec ends its tracing, as strace detaches there (not at the
/// launched command's own startup exec). If so the process is untraced at once: nothing of the
/// new image is recorded, nor its children.
#[inline(always)]
pub fn detach_at_exec(tgid: u32, flags: u32, nr: u32, ret: i64) -> bool {
    if DETACH_ON_EXEC.load() == 0 || (i64::from(nr) != NR_EXECVE && i64::from(nr) != NR_EXECVEAT) {
        return false;
    }
    if flags & TRACED_STARTUP_EXEC != 0 {
        set_flags(tgid, flags & !TRACED_STARTUP_EXEC);
        return false;
    }
    if ret != 0 {
        return false;
    }
    mark(tgid, false);
    let _ = TRACED.remove(&tgid);
    true
}

/// At sys_exit: whether the process's tracing has begun.
#[inline(always)]
pub fn tracing_started(flags: u32) -> bool {
    flags & TRACED_WAIT_EXEC == 0
}

/// At sys_exit: whether the outcome `ret` is wanted (`-z`, `-Z`; tracer-common's rule). Calls
/// userspace needs to follow file descriptors are always kept.
#[inline(always)]
pub fn outcome_wanted(ret: i64, spec_flags: u32) -> bool {
    tracer_common::outcome_wanted(STATUS_FILTER.load(), spec_flags, ret)
}

/// At sys_exit: whether the call took long enough (`--min-duration`), so that fast calls cost no
/// ring space. Left to userspace: calls whose start was not seen (their length is unknown),
/// calls userspace follows file descriptors through, and calls whose enter record is out
/// already (it waits for its exit).
#[inline(always)]
pub fn duration_wanted(ts_enter: u64, ts_exit: u64, call_flags: u16, spec_flags: u32) -> bool {
    let min = MIN_DURATION_NS.load();
    if min == 0
        || spec_flags & (SPEC_KEEP | SPEC_EXIT_ONLY) != 0
        || call_flags & (FLAG_NO_ENTER | FLAG_HAS_ENTER_RECORD) != 0
    {
        return true;
    }
    ts_exit.wrapping_sub(ts_enter) >= min
}

/// A call the redactor must see whatever `--match` and `--min-duration` say: one that may
/// move a connection's bytes (`SPEC_STREAM`, set only with redaction on; whatever the fd is:
/// the redactor follows a stream by its bytes, not by the fd's kind). Userspace applies those
/// filters to it after masking, as the ptrace backend does.
#[inline(always)]
pub fn redactor_needs(spec_flags: u32) -> bool {
    spec_flags & SPEC_STREAM != 0
}

/// Whether process `tgid` is traced and its tracing has begun.
#[inline(always)]
pub fn active(tgid: u32) -> bool {
    traced(tgid).is_some_and(tracing_started)
}

/// The current task as (tgid, tid), if its process is traced and its tracing has begun.
#[inline(always)]
pub fn current_active() -> Option<(u32, u32)> {
    let (tgid, tid) = crate::ids::current()?;
    active(tgid).then_some((tgid, tid))
}
