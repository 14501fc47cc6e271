//! Starting, finishing and writing records: the header goes in front of the blobs the capture
//! programs appended, and the whole record is copied to the ring buffer at its real size.

use aya_ebpf::{EbpfContext, helpers::generated::bpf_get_smp_processor_id};
use tracer_common::{
    AdoptRecord, BLOB_AT_ENTER, KIND_ADOPT, KIND_SYSCALL, MATCH_BASE, MAX_RECORD, PHASE_ENTER,
    PROG_MATCH, ProcRecord, RecordHeader, SPEC_KEEP, SyscallRecord,
};

use crate::{
    cursor::{Call, Cursor},
    maps::{
        CAPTURE_PROGS, EVENTS, LOSSES, MATCH_HASH, MATCH_LEN, MATCH_POW, MATCH_SCAN, SPECS, Scan,
        WAKEUP_BYTES,
    },
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
        (&raw mut (*rec).off_cpu).write_unaligned(call.off_cpu);
    }
    output(cur.base, off, pending)
}

/// Writes the finished record, unless `--match` asks for a look at its bytes first: then the
/// `match_scan` program takes over (and writes it, or drops it).
#[inline(always)]
pub fn complete<C: EbpfContext>(ctx: &C, cur: &Cursor) {
    if match_wanted(cur) {
        // SAFETY: a tail call replaces this program with another of the same type and
        // context. If it fails the record is written unchecked: better too much than lost.
        unsafe { CAPTURE_PROGS.tail_call(ctx, PROG_MATCH) };
    }
    finish(cur);
}

/// Whether the record in `cur` must be scanned for the `--match` pattern (and the scan state
/// set up). Calls userspace follows fds through are always kept.
#[inline(always)]
fn match_wanted(cur: &Cursor) -> bool {
    let st = cur.state();
    if MATCH_LEN.load() == 0 || st.kind != KIND_SYSCALL {
        return false;
    }
    if SPECS
        .get(st.call.nr)
        .is_some_and(|s| s.flags & SPEC_KEEP != 0)
    {
        return false;
    }
    let Some(scan) = MATCH_SCAN.get_ptr_mut(0) else {
        return false;
    };
    // SAFETY: per-CPU value; programs do not nest on a CPU.
    unsafe {
        *scan = Scan {
            pos: size_of::<SyscallRecord>() as u32,
            end: cur.off() as u32,
            hash: 0,
            found: 0,
        };
    }
    true
}

/// Bytes `match_scan` hashes per run (the rest after a tail call to itself): small enough for
/// the verifier to check the unrolled loop quickly, large enough that a full record takes
/// few tail calls.
pub const SCAN_CHUNK: usize = 1024;

/// What a `match_scan` run found.
pub enum ScanStep {
    Found,
    /// Scanned to the end without finding the pattern.
    Absent,
    /// More bytes to scan.
    More,
}

/// Hashes the next `SCAN_CHUNK` bytes of the record, comparing the rolling hash of each
/// window with the pattern's (userspace checks the rare collision exactly).
#[inline(always)]
pub fn scan_chunk(cur: &Cursor) -> ScanStep {
    let Some(scan) = MATCH_SCAN.get_ptr_mut(0) else {
        return ScanStep::Found;
    };
    // SAFETY: per-CPU value; programs do not nest on a CPU.
    let scan = unsafe { &mut *scan };
    let m = MATCH_LEN.load() as usize;
    let (target, pow) = (MATCH_HASH.load(), MATCH_POW.load());
    let full = size_of::<SyscallRecord>() + m;
    for _ in 0..SCAN_CHUNK {
        let i = scan.pos as usize;
        if i >= scan.end as usize {
            return ScanStep::Absent;
        }
        // SAFETY: the index is masked inside the record half of the scratch value.
        let c = u32::from(unsafe { *cur.base.add(i & (MAX_RECORD - 1)) });
        let mut hash = scan.hash.wrapping_mul(MATCH_BASE).wrapping_add(c);
        if i >= full {
            // SAFETY: as above.
            let old = u32::from(unsafe { *cur.base.add((i - m) & (MAX_RECORD - 1)) });
            hash = hash.wrapping_sub(old.wrapping_mul(pow));
        }
        scan.hash = hash;
        scan.pos += 1;
        if i + 1 >= full && hash == target {
            return ScanStep::Found;
        }
    }
    ScanStep::More
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

/// Writes a `KIND_ADOPT` record.
#[inline(always)]
pub fn adopt_event(mut record: AdoptRecord) -> bool {
    let Some(cur) = Cursor::get() else {
        return false;
    };
    let pending = pending_losses();
    let size = size_of::<AdoptRecord>();
    record.proc.hdr = header(KIND_ADOPT, 0, size, pending);
    // SAFETY: the scratch value is larger than an AdoptRecord.
    unsafe { cur.base.cast::<AdoptRecord>().write_unaligned(record) };
    output(cur.base, size, pending)
}

#[inline(always)]
pub fn header(kind: u16, flags: u16, size: usize, lost_before: u32) -> RecordHeader {
    RecordHeader {
        kind,
        flags,
        size: size as u32,
        lost_before,
        // SAFETY: no preconditions.
        cpu: unsafe { bpf_get_smp_processor_id() },
    }
}

/// Copies `len` bytes of a scratch value (`MAX_RECORD` bytes at least) into the ring buffer.
#[inline(always)]
pub fn output(base: *mut u8, len: usize, pending: u32) -> bool {
    let len = len & (2 * MAX_RECORD - 1);
    if len > MAX_RECORD {
        count_loss();
        return false;
    }
    // SAFETY: len <= MAX_RECORD < SCRATCH_SIZE, all of it inside the scratch value.
    let bytes = unsafe { core::slice::from_raw_parts(base.cast_const(), len) };
    if EVENTS.output(bytes, wakeup_flag()).is_ok() {
        if pending != 0 {
            clear_pending();
        }
        true
    } else {
        count_loss();
        false
    }
}

/// Waking the reader for every record costs the writing thread more than writing it: the
/// reader polls the ring on a short timer instead, and is woken early only when the ring is
/// filling up (`WAKEUP_BYTES` of unread data).
#[inline(always)]
pub fn wakeup_flag() -> u64 {
    const BPF_RB_AVAIL_DATA: u64 = 0;
    const BPF_RB_NO_WAKEUP: u64 = 1;
    const BPF_RB_FORCE_WAKEUP: u64 = 2;
    if EVENTS.query(BPF_RB_AVAIL_DATA) >= WAKEUP_BYTES.load() {
        BPF_RB_FORCE_WAKEUP
    } else {
        BPF_RB_NO_WAKEUP
    }
}

pub fn pending_losses() -> u32 {
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
