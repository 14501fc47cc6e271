//! Assembling a record in the per-CPU scratch area and writing it to the ring buffer.

use aya_ebpf::{EbpfContext, helpers::generated::bpf_get_smp_processor_id};
use tracer_common::{CAP_NONE, MAX_RECORD, RecordHeader, SyscallRecord, SyscallSpec};

use crate::{
    capture,
    maps::{EVENTS, LOSSES, SCRATCH},
};

/// One syscall as the programs saw it.
pub struct Call {
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub tgid: u32,
    pub tid: u32,
    pub nr: u32,
    pub ret: i64,
    pub flags: u16,
    pub args: [u64; 6],
}

/// Writes one syscall record, with the argument data `spec` asks for in `phase` (0: none).
/// Returns whether the record reached the ring buffer; a failure is counted as a loss.
#[inline(always)]
pub fn syscall<C: EbpfContext>(
    _ctx: &C,
    kind: u16,
    call: &Call,
    spec: &SyscallSpec,
    phase: u8,
) -> bool {
    let Some(scratch) = SCRATCH.get_ptr_mut(0) else {
        return false;
    };
    let base: *mut u8 = scratch.cast();
    let mut off = size_of::<SyscallRecord>();
    let mut nblobs: u16 = 0;
    if phase != 0 {
        for (i, (cap, &value)) in spec.args.iter().zip(call.args.iter()).enumerate() {
            if cap.kind == CAP_NONE || cap.phase != phase || value == 0 {
                continue;
            }
            if let Some(next) = capture::arg(base, off, i as u8, cap, value) {
                off = next;
                nblobs += 1;
            }
        }
    }
    if off > MAX_RECORD {
        return false;
    }
    let pending = pending_losses();
    let record = SyscallRecord {
        hdr: RecordHeader {
            kind,
            flags: call.flags,
            size: off as u32,
            lost_before: pending,
            // SAFETY: no preconditions.
            cpu: unsafe { bpf_get_smp_processor_id() },
        },
        ts_enter: call.ts_enter,
        ts_exit: call.ts_exit,
        tgid: call.tgid,
        tid: call.tid,
        nr: call.nr,
        nblobs,
        _pad0: 0,
        ret: call.ret,
        args: call.args,
    };
    // SAFETY: the scratch area is SCRATCH_SIZE bytes, larger than a SyscallRecord.
    unsafe { base.cast::<SyscallRecord>().write_unaligned(record) };
    // SAFETY: off <= MAX_RECORD < SCRATCH_SIZE, all of it inside the scratch area.
    let bytes = unsafe { core::slice::from_raw_parts(base.cast_const(), off) };
    if EVENTS.output(bytes, 0).is_ok() {
        if pending != 0 {
            clear_pending();
        }
        true
    } else {
        count_loss();
        false
    }
}

fn pending_losses() -> u32 {
    match LOSSES.get_ptr(0) {
        // SAFETY: per-CPU value, and programs do not nest on a CPU.
        Some(l) => unsafe { (*l).pending }.min(u64::from(u32::MAX)) as u32,
        None => 0,
    }
}

fn clear_pending() {
    if let Some(l) = LOSSES.get_ptr_mut(0) {
        // SAFETY: as in pending_losses.
        unsafe { (*l).pending = 0 };
    }
}

/// Counts one event that could not be reported.
pub fn count_loss() {
    if let Some(l) = LOSSES.get_ptr_mut(0) {
        // SAFETY: as in pending_losses.
        unsafe {
            (*l).total += 1;
            (*l).pending += 1;
        }
    }
}
