//! `-k`: a `KIND_STACK` record with the user registers and the top of the user
//! stack, for userspace to unwind with DWARF CFI (Debian's binaries have no frame pointers, so
//! `bpf_get_stack` would stop at the first frame).

use aya_ebpf::helpers::{bpf_ktime_get_ns, generated::bpf_probe_read_user};
use tracer_common::{
    KIND_STACK, SPEC_NO_REBUILD, SPEC_NO_RETURN, STACK_CHUNK, STACK_COPY, STACK_SHORT, StackRecord,
    StackSample,
};

use crate::{
    emit,
    maps::{EVENTS, STACK_TRACES},
    regs,
};

const PAGE: u64 = 4096;

/// Whether the stack of a call with spec flags `flags` is taken at its entry (`at_enter`) or
/// at its exit. As strace: at the exit, when the call is known to be shown (a call filtered
/// out at exit costs no copy), but at the entry for a call that does not return or replaces
/// the image (exit, exit_group, execve: nothing of the stack is left at the exit).
#[inline(always)]
pub fn wanted(flags: u32, at_enter: bool) -> bool {
    STACK_TRACES.load() != 0 && ((flags & (SPEC_NO_RETURN | SPEC_NO_REBUILD) != 0) == at_enter)
}

/// Writes the stack record of the call task `tgid`/`tid` is in (`regs_ptr`: its pt_regs).
/// A full ring buffer is counted as a loss, as for any record.
#[inline(always)]
pub fn capture(regs_ptr: *const u64, tgid: u32, tid: u32) {
    let Ok((ip, sp, bp)) = regs::user_frame(regs_ptr) else {
        return;
    };
    let Some(mut entry) = EVENTS.reserve::<StackSample>(0) else {
        emit::count_loss();
        return;
    };
    let base = entry.as_mut_ptr();
    // SAFETY: the reservation is a whole StackSample; `data` is written chunk by chunk and
    // only `len` bytes of it are read by userspace.
    let data = unsafe { (&raw mut (*base).data).cast::<u8>() };
    let len = copy_stack(data, sp);
    let pending = emit::claim_losses();
    let rec = StackRecord {
        hdr: emit::header(KIND_STACK, 0, size_of::<StackSample>(), pending),
        tgid,
        tid,
        ip,
        sp,
        bp,
        len: len as u32,
        flags: if len < STACK_COPY { STACK_SHORT } else { 0 },
        // SAFETY: no arguments, no memory.
        ts: unsafe { bpf_ktime_get_ns() },
    };
    // SAFETY: as above.
    unsafe { (&raw mut (*base).rec).write(rec) };
    entry.submit(emit::wakeup_flag());
}

/// Copies up to `STACK_COPY` bytes of user stack from `sp` into `data`; returns how many.
/// The copy stops at the first chunk that faults (the end of the stack mapping), after
/// taking what of that chunk lies before its page's end.
#[inline(always)]
fn copy_stack(data: *mut u8, sp: u64) -> usize {
    let mut done = 0usize;
    for i in 0..STACK_COPY / STACK_CHUNK {
        let off = i * STACK_CHUNK;
        let src = sp + off as u64;
        // SAFETY: `off + STACK_CHUNK <= STACK_COPY`, inside `data`; the helper checks the
        // user read.
        let rc = unsafe {
            bpf_probe_read_user(data.add(off).cast(), STACK_CHUNK as u32, src as *const _)
        };
        if rc == 0 {
            done = off + STACK_CHUNK;
            continue;
        }
        // The chunk crosses into an unmapped page: the part before it is readable.
        let head = ((PAGE - (src & (PAGE - 1))) as usize) & (STACK_CHUNK - 1);
        if head > 0 {
            // SAFETY: `head < STACK_CHUNK`, as above.
            let rc =
                unsafe { bpf_probe_read_user(data.add(off).cast(), head as u32, src as *const _) };
            if rc == 0 {
                done = off + head;
            }
        }
        break;
    }
    done
}
