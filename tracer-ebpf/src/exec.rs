//! A successful exec's path and argv, read back from the new image at sys_exit. At sys_enter
//! the caller's strings may sit on a page never touched (a string literal of a fresh
//! vfork child, posix_spawn's argv) and eBPF cannot fault it in; by sys_exit the kernel has
//! copied them to the new stack, where they are resident: `mm->arg_start..arg_end` holds the
//! argv strings and the path follows the environment strings (`mm->env_end`).

use tracer_common::{
    BLOB_FAULTED, BLOB_TRUNCATED, BlobHeader, CAP_EXEC_AREA, EXEC_AREA_ARGV_AT, EXEC_AREA_PATH_AT,
    EXEC_ARGV_CAP, EXEC_PATH_CAP, ExecArea,
};

use crate::{
    blob::{HDR, close_blob, copy_user, put, read_str, room},
    maps::MM_OFFSETS,
    mem::kernel_u64,
};

/// The `CAP_EXEC_AREA` blob for the current task. Returns the offset after it, or 0.
#[inline(never)]
pub fn exec_area(base: *mut u8, off: usize, idx: u8, tag: u16) -> usize {
    let o = MM_OFFSETS.load();
    // SAFETY: no preconditions; the pointer is only read through bpf_probe_read_kernel.
    let task = unsafe { aya_ebpf::helpers::generated::bpf_get_current_task() };
    let Some(mm) = kernel_u64(task, o.task_mm).filter(|&m| m != 0) else {
        return 0;
    };
    let (Some(start), Some(end), Some(env_end)) = (
        kernel_u64(mm, o.arg_start),
        kernel_u64(mm, o.arg_end),
        kernel_u64(mm, o.env_end),
    ) else {
        return 0;
    };
    let fixed = EXEC_AREA_ARGV_AT;
    let avail = room(off);
    if avail < fixed {
        return 0;
    }
    let want = end.saturating_sub(start) as usize;
    let mut argv_len = want;
    let mut argv_flags = 0u32;
    let cap = if avail - fixed < EXEC_ARGV_CAP {
        avail - fixed
    } else {
        EXEC_ARGV_CAP
    };
    if argv_len > cap {
        argv_len = cap;
        argv_flags |= u32::from(BLOB_TRUNCATED);
    }
    let at = off + HDR;
    let (path_len, path_flags) = read_str(base, at + EXEC_AREA_PATH_AT, env_end, EXEC_PATH_CAP);
    if argv_len != 0 && !copy_user(base, at + fixed, start, argv_len) {
        argv_len = 0;
        argv_flags |= u32::from(BLOB_FAULTED);
    }
    let head = ExecArea {
        path_len,
        argv_len: argv_len as u32,
        path_flags: u32::from(path_flags),
        argv_flags,
    };
    put(base, at, head);
    let len = fixed + argv_len;
    close_blob(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind: CAP_EXEC_AREA,
            flags: tag,
            len: len as u32,
        },
    )
}

/// The number of the call a successful exec ends: x86_64's `set_personality_64bit` rewrites
/// `orig_ax` to execve's during every exec ("pretend that this comes from a 64bit execve"),
/// so an execveat reads as an execve at its sys_exit; the enter state keeps the real one.
#[inline(always)]
pub fn exit_nr(tid: u32, nr: u32, ret: i64) -> u32 {
    if i64::from(nr) != crate::filter::NR_EXECVE || ret != 0 {
        return nr;
    }
    match crate::inflight::current(tid) {
        Some(state) if i64::from(state.nr) == crate::filter::NR_EXECVEAT => state.nr,
        _ => nr,
    }
}
