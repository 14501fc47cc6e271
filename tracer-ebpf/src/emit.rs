//! Starting, finishing and writing records: the header goes in front of the blobs the capture
//! programs appended, and the whole record is copied to the ring buffer at its real size.

use aya_ebpf::helpers::generated::bpf_get_smp_processor_id;
use tracer_common::{
    BLOB_AT_ENTER, KIND_SYSCALL, MATCH_BASE, MAX_RECORD, PHASE_ENTER, ProcRecord, RecordHeader,
    SPEC_KEEP, SyscallRecord,
};

use crate::{
    cursor::{Call, Cursor},
    maps::{EVENTS, LOSSES, MATCH_HASH, MATCH_LEN, MATCH_POW, SPECS},
};

/// Starts a syscall record of `kind` in this CPU's scratch value; `phase` says which argument
/// data the capture programs will append (0: none).
#[inline(always)]
pub fn begin(cur: &Cursor, kind: u16, call: &Call, phase: u8) {
    let st = cur.state();
    st.call = *call;
    st.off = size_of::<SyscallRecord>() as u64;
    st.left = 0;
    st.nblobs = 0;
    st.tag = if phase == PHASE_ENTER {
        BLOB_AT_ENTER
    } else {
        0
    };
    st.kind = kind;
    st.phase = phase;
    st.next_arg = 0;
}

/// Writes the header of the record in the scratch value and copies the record to the ring
/// buffer. Returns whether it got there; a failure is counted as a loss.
#[inline(never)]
pub fn finish(cur: &Cursor) -> bool {
    let st = cur.state();
    let call = st.call;
    let off = cur.off();
    if off > MAX_RECORD {
        count_loss();
        return false;
    }
    if !wanted_by_match(cur.base, off, st.kind, call.nr) {
        return false;
    }
    let pending = pending_losses();
    let rec = cur.base.cast::<SyscallRecord>();
    // SAFETY: the scratch value is larger than a SyscallRecord; fields are written in place
    // so the record never sits on the 512-byte BPF stack.
    unsafe {
        (&raw mut (*rec).hdr).write_unaligned(header(st.kind, call.flags, off, pending));
        (&raw mut (*rec).ts_enter).write_unaligned(call.ts_enter);
        (&raw mut (*rec).ts_exit).write_unaligned(call.ts_exit);
        (&raw mut (*rec).tgid).write_unaligned(call.tgid);
        (&raw mut (*rec).tid).write_unaligned(call.tid);
        (&raw mut (*rec).nr).write_unaligned(call.nr);
        (&raw mut (*rec).nblobs).write_unaligned(st.nblobs);
        (&raw mut (*rec)._pad0).write_unaligned(0);
        (&raw mut (*rec).ret).write_unaligned(call.ret);
        (&raw mut (*rec).args).write_unaligned(call.args);
    }
    output(cur.base, off, pending)
}

/// `--match`: whether the record (its argument data, from byte `SyscallRecord` on) contains
/// the pattern, by comparing a rolling hash of each window with the pattern's. Userspace checks
/// the rare hash collision exactly. Calls userspace follows fds through are always kept.
#[inline(always)]
fn wanted_by_match(base: *mut u8, len: usize, kind: u16, nr: u32) -> bool {
    let m = MATCH_LEN.load() as usize;
    if m == 0 || kind != KIND_SYSCALL {
        return true;
    }
    if SPECS.get(nr).is_some_and(|s| s.flags & SPEC_KEEP != 0) {
        return true;
    }
    let (target, pow) = (MATCH_HASH.load(), MATCH_POW.load());
    let start = size_of::<SyscallRecord>();
    let mut hash: u32 = 0;
    for i in start..MAX_RECORD {
        if i >= len {
            break;
        }
        // SAFETY: the index is masked inside the record half of the scratch value.
        let c = u32::from(unsafe { *base.add(i & (MAX_RECORD - 1)) });
        hash = hash.wrapping_mul(MATCH_BASE).wrapping_add(c);
        if i >= start + m {
            // SAFETY: as above.
            let old = u32::from(unsafe { *base.add((i - m) & (MAX_RECORD - 1)) });
            hash = hash.wrapping_sub(old.wrapping_mul(pow));
        }
        if i + 1 >= start + m && hash == target {
            return true;
        }
    }
    false
}

/// Writes a fork or exit record.
#[inline(always)]
pub fn proc_event(kind: u16, mut record: ProcRecord) -> bool {
    let Some(cur) = Cursor::get() else {
        return false;
    };
    let pending = pending_losses();
    let size = size_of::<ProcRecord>();
    record.hdr = header(kind, 0, size, pending);
    // SAFETY: the scratch value is larger than a ProcRecord.
    unsafe { cur.base.cast::<ProcRecord>().write_unaligned(record) };
    output(cur.base, size, pending)
}

#[inline(always)]
fn header(kind: u16, flags: u16, size: usize, lost_before: u32) -> RecordHeader {
    RecordHeader {
        kind,
        flags,
        size: size as u32,
        lost_before,
        // SAFETY: no preconditions.
        cpu: unsafe { bpf_get_smp_processor_id() },
    }
}

/// Copies `len` bytes of the scratch value into the ring buffer.
#[inline(always)]
fn output(base: *mut u8, len: usize, pending: u32) -> bool {
    let len = len & (2 * MAX_RECORD - 1);
    if len > MAX_RECORD {
        count_loss();
        return false;
    }
    // SAFETY: len <= MAX_RECORD < SCRATCH_SIZE, all of it inside the scratch value.
    let bytes = unsafe { core::slice::from_raw_parts(base.cast_const(), len) };
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
