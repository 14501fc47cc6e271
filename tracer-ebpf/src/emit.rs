//! Starting, finishing and writing records: the header goes in front of the blobs the capture
//! programs appended, and the whole record is copied to the ring buffer at its real size.

use aya_ebpf::{EbpfContext, helpers::generated::bpf_get_smp_processor_id};
use tracer_common::{
    AdoptRecord, BLOB_AT_ENTER, FLAG_ENTER_LOST, FLAG_HAS_ENTER_RECORD, FLAG_IP, IP_SIZE,
    KIND_ADOPT, KIND_SYSCALL, KIND_SYSCALL_ENTER, MATCH_BASE, MAX_RECORD, PHASE_ENTER, PROG_MATCH,
    ProcRecord, RecordHeader, SPEC_KEEP, SPEC_NO_REBUILD, SyscallRecord,
};

use crate::{
    cursor::{Call, Cursor},
    maps::{
        CAPTURE_PROGS, EVENTS, INFLIGHT, LOSSES, MATCH_HASH, MATCH_LEN, MATCH_POW, MATCH_SCAN,
        Scan, WAKEUP_BYTES, WANT_IP, spec,
    },
};

/// Starts a syscall record of `kind` in this CPU's scratch value; `phase` says which argument
/// data the capture programs will append (0: none).
#[inline(always)]
pub fn begin(cur: &Cursor, kind: u16, call: &Call, phase: u8) {
    let st = cur.state();
    st.call = *call;
    st.off = size_of::<SyscallRecord>() as u64;
    if WANT_IP.load() != 0 {
        // `-i`: the instruction pointer goes right after the body, before the blobs.
        st.call.flags |= FLAG_IP;
        st.off += IP_SIZE as u64;
    }
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
    st.entry = 0;
    st.proto_read = 0;
}

/// Where a syscall record's blobs start: after the body and the `FLAG_IP` instruction pointer.
#[inline(always)]
fn blobs_at(flags: u16) -> usize {
    if flags & FLAG_IP != 0 {
        size_of::<SyscallRecord>() + IP_SIZE
    } else {
        size_of::<SyscallRecord>()
    }
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
    let pending = claim_losses();
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
        if call.flags & FLAG_IP != 0 {
            rec.add(1).cast::<u64>().write_unaligned(call.ip);
        }
    }
    if try_output(cur.base, off, pending) {
        return true;
    }
    if st.kind != KIND_SYSCALL_ENTER || !enter_lost(call.tid, call.nr) {
        count_loss();
    }
    false
}

/// Notes in the call's enter state that its enter record was lost, so that its exit carries
/// the whole call (`FLAG_ENTER_LOST`). False if there is no enter state to note it in, or the
/// call cannot be rebuilt at its exit (an exec: its pointers are into the image that is gone).
#[inline(always)]
fn enter_lost(tid: u32, nr: u32) -> bool {
    if spec(nr).is_none_or(|s| s.flags & SPEC_NO_REBUILD != 0) {
        return false;
    }
    let Some(state) = INFLIGHT.get_ptr_mut(&tid) else {
        return false;
    };
    // SAFETY: as below.
    if !unsafe { (*state).in_call() } {
        return false;
    }
    // SAFETY: the value is this thread's, valid for the program's run; only this thread
    // touches its key.
    unsafe {
        (*state).flags =
            ((*state).flags & !u32::from(FLAG_HAS_ENTER_RECORD)) | u32::from(FLAG_ENTER_LOST);
    }
    true
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
/// set up). Calls userspace follows fds through are always kept, and so are those the
/// redactor follows connections through (`filter::redactor_needs`).
#[inline(always)]
fn match_wanted(cur: &Cursor) -> bool {
    let st = cur.state();
    if MATCH_LEN.load() == 0 || st.kind != KIND_SYSCALL {
        return false;
    }
    if spec(st.call.nr)
        .is_some_and(|s| s.flags & SPEC_KEEP != 0 || crate::filter::redactor_needs(s.flags))
    {
        return false;
    }
    let Some(scan) = MATCH_SCAN.get_ptr_mut(0) else {
        return false;
    };
    // SAFETY: per-CPU value; programs do not nest on a CPU.
    unsafe {
        *scan = Scan {
            pos: blobs_at(st.call.flags) as u32,
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
    let pending = claim_losses();
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
    let pending = claim_losses();
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

/// Copies `len` bytes of a scratch value (`MAX_RECORD` bytes at least) into the ring buffer;
/// a failure is counted as a loss.
#[inline(always)]
pub fn output(base: *mut u8, len: usize, pending: u32) -> bool {
    if try_output(base, len, pending) {
        return true;
    }
    count_loss();
    false
}

/// `output` that leaves counting a failure to the caller. `pending`, the losses this record
/// claimed, is given back if it cannot be written.
#[inline(always)]
fn try_output(base: *mut u8, len: usize, pending: u32) -> bool {
    let len = len & (2 * MAX_RECORD - 1);
    // SAFETY: len <= MAX_RECORD < SCRATCH_SIZE, all of it inside the scratch value.
    let written = len <= MAX_RECORD
        && EVENTS
            .output(
                unsafe { core::slice::from_raw_parts(base.cast_const(), len) },
                wakeup_flag(),
            )
            .is_ok();
    if !written {
        unclaim_losses(pending);
    }
    written
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

/// Claims, for the record about to be written, the losses no record has reported yet (see
/// `LossCounters`): their number, or 0. The usual case (nothing lost) reads one shared value
/// that only a loss writes, so CPUs do not fight over its cache line.
#[inline(always)]
pub fn claim_losses() -> u32 {
    use core::intrinsics::{AtomicOrdering::Relaxed, atomic_cxchg};
    let Some(l) = LOSSES.get_ptr_mut(0) else {
        return 0;
    };
    // SAFETY: the pointer is to the map's value, valid for the program's run; other CPUs
    // change its fields only atomically.
    unsafe {
        // Aligned 8-byte loads are whole on BPF (the linker's generic CPU has no atomic load).
        let total = (&raw const (*l).total).read_volatile();
        let claimed = (&raw const (*l).claimed).read_volatile();
        // `claimed` never passes `total`, but `total` was read first and may be older.
        if claimed >= total {
            return 0;
        }
        let pending = (total - claimed).min(u64::from(u32::MAX));
        // Another CPU that claims them first wins; this record then reports none.
        let (_, won) = atomic_cxchg::<u64, { Relaxed }, { Relaxed }>(
            &raw mut (*l).claimed,
            claimed,
            claimed + pending,
        );
        if won { pending as u32 } else { 0 }
    }
}

/// Gives back losses claimed by a record that could not be written after all, and counts
/// that record as lost: the next record reports them all.
fn unclaim_losses(claimed: u32) {
    use core::intrinsics::{AtomicOrdering::Relaxed, atomic_xsub};
    if claimed == 0 {
        return;
    }
    if let Some(l) = LOSSES.get_ptr_mut(0) {
        // SAFETY: as in claim_losses.
        unsafe { atomic_xsub::<u64, u64, { Relaxed }>(&raw mut (*l).claimed, u64::from(claimed)) };
    }
}

/// Counts one event that could not be reported.
pub fn count_loss() {
    use core::intrinsics::{AtomicOrdering::Relaxed, atomic_xadd};
    if let Some(l) = LOSSES.get_ptr_mut(0) {
        // SAFETY: as in claim_losses.
        unsafe { atomic_xadd::<u64, u64, { Relaxed }>(&raw mut (*l).total, 1) };
    }
}
