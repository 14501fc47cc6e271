//! Writing blobs into the per-CPU scratch area a record is built in: the bottom of the argument
//! fetching, shared by the simple kinds, the looping kinds, the exec area and the fd readers.
//!
//! Verifier discipline: every offset into the scratch area is checked against MAX_RECORD and
//! then masked with MAX_RECORD - 1 right where it is used, and every copy length is masked the
//! same way, so each access is provably inside the 2 * MAX_RECORD scratch value.

use aya_ebpf::helpers::generated::{bpf_probe_read_user, bpf_probe_read_user_str};
use tracer_common::{
    ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, BlobHeader, MAX_RECORD, Wire, blob_padded,
    readable_prefix,
};

/// Size of a blob's header.
pub const HDR: usize = size_of::<BlobHeader>();
/// Size of an array blob's header.
pub const AHDR: usize = size_of::<ArrayHeader>();
/// Masks an offset into the record's half of the scratch area.
pub const MASK: usize = MAX_RECORD - 1;
/// Where temporary reads (pointer arrays, iovec arrays) go: the scratch area's second half.
pub const TMP: usize = MAX_RECORD;

/// Writes `value` at scratch offset `at` (masked).
#[inline(always)]
pub fn put<T: Wire>(base: *mut u8, at: usize, value: T) {
    // SAFETY: at & MASK < MAX_RECORD and every wire type is far smaller than MAX_RECORD: inside
    // the 2 * MAX_RECORD scratch area.
    unsafe { base.add(at & MASK).cast::<T>().write_unaligned(value) };
}

/// The `T` at scratch offset `at` (masked), written there before.
#[inline(always)]
pub fn get<T: Wire>(base: *mut u8, at: usize) -> T {
    // SAFETY: as in `put`.
    unsafe { base.add(at & MASK).cast::<T>().read_unaligned() }
}

/// Bytes of data that fit after a blob header at `off`.
#[inline(always)]
pub fn room(off: usize) -> usize {
    if off + HDR >= MAX_RECORD {
        0
    } else {
        MAX_RECORD - HDR - off
    }
}

/// Writes a blob's header at `off`.
#[inline(always)]
pub fn write_header(base: *mut u8, off: usize, hdr: BlobHeader) {
    put(base, off, hdr);
}

/// Copies `len` user bytes to scratch offset `at`; false when the read faulted.
#[inline(always)]
pub fn copy_user(base: *mut u8, at: usize, src: u64, len: usize) -> bool {
    let len = len & MASK;
    // SAFETY: at & MASK < MAX_RECORD and len < MAX_RECORD: inside the 2 * MAX_RECORD area.
    // The helper checks the user read.
    let ret =
        unsafe { bpf_probe_read_user(base.add(at & MASK).cast(), len as u32, src as *const _) };
    ret == 0
}

/// Copies `len` (at most 256) user bytes to the temporary area; false when the read faulted.
#[inline(always)]
pub fn copy_to_tmp(base: *mut u8, src: u64, len: usize) -> bool {
    let len = len & 0xff;
    // SAFETY: TMP + 256 is inside the scratch area, clear of the record and the state; the
    // helper checks the user read.
    let ret = unsafe { bpf_probe_read_user(base.add(TMP).cast(), len as u32, src as *const _) };
    ret == 0
}

/// `want` bytes (at most `max` and what fits) from `ptr`. Returns the offset after the
/// blob, or 0 when there was no room for it.
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "always inlined, so BPF's five-argument limit does not apply"
)]
pub fn bytes(
    base: *mut u8,
    off: usize,
    idx: u8,
    kind: u8,
    tag: u16,
    ptr: u64,
    want: usize,
    max: usize,
) -> usize {
    bytes_or_prefix(base, off, idx, kind, tag, ptr, want, max, false)
}

/// As `bytes`; with `prefix` (`CAPF_PREFIX`), a read that faults keeps the bytes before the
/// fault (`readable_prefix`) in the faulted blob: bpf_probe_read_user reads all or nothing.
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "always inlined, so BPF's five-argument limit does not apply"
)]
pub fn bytes_or_prefix(
    base: *mut u8,
    off: usize,
    idx: u8,
    kind: u8,
    tag: u16,
    ptr: u64,
    want: usize,
    max: usize,
    prefix: bool,
) -> usize {
    let fit = room(off);
    if fit == 0 {
        return 0;
    }
    let mut n = if want < max { want } else { max };
    let mut flags = tag;
    if want > max {
        flags |= BLOB_TRUNCATED;
    }
    if n > fit {
        n = fit;
        flags |= BLOB_TRUNCATED;
    }
    if !copy_user(base, off + HDR, ptr, n) {
        flags |= BLOB_FAULTED;
        let head = if prefix { readable_prefix(ptr, n) } else { 0 };
        n = if head != 0 && copy_user(base, off + HDR, ptr, head) {
            head
        } else {
            0
        };
    }
    close_blob(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind,
            flags,
            len: n as u32,
        },
    )
}

/// Writes a blob's header at `off`, its data already in place; returns the offset after it.
#[inline(always)]
pub fn close_blob(base: *mut u8, off: usize, hdr: BlobHeader) -> usize {
    write_header(base, off, hdr);
    off + HDR + blob_padded(hdr.len as usize)
}

/// Reads a string to scratch offset `at`; returns its length without the NUL and BLOB_* bits.
#[inline(always)]
pub fn read_str(base: *mut u8, at: usize, ptr: u64, max: usize) -> (u32, u16) {
    let max = max & MASK;
    // SAFETY: as in copy_user; the helper writes at most `max` bytes.
    let n =
        unsafe { bpf_probe_read_user_str(base.add(at & MASK).cast(), max as u32, ptr as *const _) };
    if n <= 0 {
        (0, BLOB_FAULTED)
    } else {
        // n counts the NUL; a string that filled the buffer was cut.
        let n = n as usize;
        let flags = if n >= max { BLOB_TRUNCATED } else { 0 };
        ((n - 1) as u32, flags)
    }
}

/// Writes an array blob's header (at `off + HDR`) and its blob header.
#[inline(always)]
pub fn array_blob(
    base: *mut u8,
    off: usize,
    idx: u8,
    kind: u8,
    tag: u16,
    head: ArrayHeader,
    len: usize,
) -> usize {
    // SAFETY: (off + HDR) & MASK < MAX_RECORD, 16 bytes: inside the scratch area.
    unsafe {
        base.add((off + HDR) & MASK)
            .cast::<ArrayHeader>()
            .write_unaligned(head)
    };
    write_header(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind,
            flags: tag,
            len: len as u32,
        },
    );
    off + HDR + blob_padded(len)
}
