//! Fetching argument data from user memory into blobs, as the spec table says.
//!
//! Verifier discipline: every offset into the scratch area is checked against MAX_RECORD and
//! then masked with MAX_RECORD - 1 right where it is used, and every copy length is masked the
//! same way, so each access is provably inside the 2 * MAX_RECORD scratch value. The kinds
//! that loop over user memory (iovecs, msghdrs, argv, envp) each run in a program of their own
//! (see main.rs), so the verifier walks each of them once.

use aya_ebpf::helpers::generated::{bpf_probe_read_user, bpf_probe_read_user_str};
use tracer_common::{
    ArgCapture, ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, BlobHeader, CAP_AT_OFFSET, CAP_BUF_ARG,
    CAP_BUF_RET, CAP_CSTR, CAP_EXEC_AREA, CAP_FD_INODE, CAP_FIXED, CAP_IOVEC, CAP_MSGHDR,
    CAP_PTRV_COUNT, CAP_SOCK, CAP_SOCKADDR_PLEN, CAP_STRV, CAP_SUB_CONTROL, CAP_SUB_NAME,
    CAP_U32_INOUT, CAPF_BITS, CAPF_BY_RET, FLAG_NO_ENTER, IOV_MAX_ITEMS, IovecEntry, MAX_RECORD,
    MSGHDR_SIZE, PHASE_ENTER, PTRV_MAX_COUNT, SOCKADDR_CAP, STRV_MAX_ITEMS, StrvItem, SyscallSpec,
    blob_padded,
};

use crate::{
    cursor::{Call, Cursor},
    exec::exec_area,
    fds::{fd_inodes, sock_fd, sock_info},
};

pub(crate) const HDR: usize = size_of::<BlobHeader>();
const AHDR: usize = size_of::<ArrayHeader>();
pub(crate) const MASK: usize = MAX_RECORD - 1;
/// Where temporary reads (pointer arrays, iovec arrays) go: the scratch area's second half.
const TMP: usize = MAX_RECORD;
const CONTROL_CAP: usize = 256;

/// Argument `i`'s capture, if it has one for this phase and this outcome.
#[inline(always)]
pub fn wanted<'a>(cur: &Cursor, spec: &'a SyscallSpec, i: usize) -> Option<&'a ArgCapture> {
    let cap = spec.args.get(i)?;
    let call = &cur.state().call;
    let value = call.args.get(i).copied()?;
    let cond = call
        .args
        .get(usize::from(cap.size_arg))
        .copied()
        .unwrap_or(0);
    let skip = tracer_common::capture_skipped(cap, cur.phase(), value, cond, call.ret);
    (!skip).then_some(cap)
}

/// Captures argument `i`, of one of the kinds that do not loop.
#[inline(never)]
pub fn simple(cur: &Cursor, cap: &ArgCapture, i: usize) -> usize {
    let call = cur.state().call;
    let (base, off, tag, idx) = (cur.base, cur.off(), cur.tag(), i as u8);
    let ptr = call.args.get(i).copied().unwrap_or(0);
    let max = usize::from(cap.max);
    let next = match cap.kind {
        CAP_CSTR => cstr(base, off, idx, tag, ptr, max),
        CAP_BUF_ARG => {
            let count = size_arg(&call, cap);
            let want = if cap.flags & CAPF_BITS != 0 {
                count.div_ceil(64) * 8
            } else {
                count * scale(cap)
            };
            bytes(base, off, idx, CAP_BUF_ARG, tag, ptr, want, max)
        }
        CAP_BUF_RET => {
            if call.ret <= 0 {
                return 0;
            }
            let want = (call.ret as u64 as usize) * scale(cap);
            bytes(base, off, idx, CAP_BUF_RET, tag, ptr, want, max)
        }
        CAP_FIXED => bytes(base, off, idx, CAP_FIXED, tag, ptr, max, max),
        CAP_FD_INODE => fd_inodes(base, off, idx, tag, cap, &call, ptr),
        CAP_SOCK => sock_info(base, off, idx, tag, sock_fd(cap, &call)),
        CAP_EXEC_AREA => exec_area(base, off, idx, tag),
        tracer_common::CAP_DEREF => deref(base, off, idx, tag, ptr, cap),
        CAP_AT_OFFSET => {
            let at = ptr.wrapping_add(u64::from(cap.scale) * 8);
            bytes(base, off, idx, CAP_AT_OFFSET, tag, at, max, max)
        }
        CAP_SOCKADDR_PLEN => {
            let len_ptr = call
                .args
                .get(usize::from(cap.size_arg))
                .copied()
                .unwrap_or(0);
            let want = read_u32(len_ptr).unwrap_or(0) as usize;
            bytes(base, off, idx, CAP_SOCKADDR_PLEN, tag, ptr, want, max)
        }
        CAP_U32_INOUT => {
            if cur.phase() == PHASE_ENTER {
                return 0;
            }
            let now = read_u32(ptr);
            let before = if call.flags & FLAG_NO_ENTER != 0 {
                now
            } else {
                Some(call.saved as u32)
            };
            pair_u32(base, off, idx, before, now)
        }
        _ => 0,
    };
    if next != 0 {
        cur.advance(next);
    }
    next
}

#[inline(always)]
fn scale(cap: &ArgCapture) -> usize {
    if cap.scale == 0 {
        1
    } else {
        usize::from(cap.scale)
    }
}

#[inline(always)]
fn size_arg(call: &Call, cap: &ArgCapture) -> usize {
    call.args
        .get(usize::from(cap.size_arg))
        .copied()
        .unwrap_or(0) as usize
}

/// For data the kernel wrote: how many bytes are valid (the return value), else no limit.
#[inline(always)]
fn by_ret_limit(cap: &ArgCapture, call: &Call) -> usize {
    if cap.flags & CAPF_BY_RET == 0 {
        MAX_RECORD
    } else if call.ret < 0 {
        0
    } else {
        call.ret as usize
    }
}
/// Bytes of data that fit after a blob header at `off`.
#[inline(always)]
pub(crate) fn room(off: usize) -> usize {
    if off + HDR >= MAX_RECORD {
        0
    } else {
        MAX_RECORD - HDR - off
    }
}

#[inline(always)]
pub(crate) fn write_header(base: *mut u8, off: usize, hdr: BlobHeader) {
    // SAFETY: off & MASK < MAX_RECORD and the header is 8 bytes: inside the scratch area.
    unsafe {
        base.add(off & MASK)
            .cast::<BlobHeader>()
            .write_unaligned(hdr)
    };
}

/// Copies `len` user bytes to scratch offset `at`; false when the read faulted.
#[inline(always)]
pub(crate) fn copy_user(base: *mut u8, at: usize, src: u64, len: usize) -> bool {
    let len = len & MASK;
    // SAFETY: at & MASK < MAX_RECORD and len < MAX_RECORD: inside the 2 * MAX_RECORD area.
    // The helper checks the user read.
    let ret =
        unsafe { bpf_probe_read_user(base.add(at & MASK).cast(), len as u32, src as *const _) };
    ret == 0
}

/// Copies `len` (at most 256) user bytes to the temporary area; false when the read faulted.
#[inline(always)]
fn copy_to_tmp(base: *mut u8, src: u64, len: usize) -> bool {
    let len = len & 0xff;
    // SAFETY: TMP + 256 is inside the scratch area, clear of the record and the state; the
    // helper checks the user read.
    let ret = unsafe { bpf_probe_read_user(base.add(TMP).cast(), len as u32, src as *const _) };
    ret == 0
}

#[inline(always)]
fn read_u32(ptr: u64) -> Option<u32> {
    if ptr == 0 {
        return None;
    }
    let mut v: u32 = 0;
    // SAFETY: reads 4 user bytes into a local; the helper checks the read.
    let ret =
        unsafe { bpf_probe_read_user(core::ptr::from_mut(&mut v).cast(), 4, ptr as *const _) };
    (ret == 0).then_some(v)
}

#[inline(always)]
pub(crate) fn read_u64(ptr: u64) -> Option<u64> {
    let mut v: u64 = 0;
    // SAFETY: as in read_u32.
    let ret =
        unsafe { bpf_probe_read_user(core::ptr::from_mut(&mut v).cast(), 8, ptr as *const _) };
    (ret == 0).then_some(v)
}

/// `want` bytes (at most `max` and what fits) from `ptr`. Returns the offset after the
/// blob, or 0 when there was no room for it.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn bytes(
    base: *mut u8,
    off: usize,
    idx: u8,
    kind: u8,
    tag: u16,
    ptr: u64,
    want: usize,
    max: usize,
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
        n = 0;
        flags |= BLOB_FAULTED;
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
pub(crate) fn close_blob(base: *mut u8, off: usize, hdr: BlobHeader) -> usize {
    write_header(base, off, hdr);
    off + HDR + blob_padded(hdr.len as usize)
}

/// `scale` 8-byte words at `ptr` (at most 4), then `max` bytes (at most 64) where the first
/// word points. Returns the offset after the blob, or 0 when there was no room.
#[inline(always)]
fn deref(base: *mut u8, off: usize, idx: u8, tag: u16, ptr: u64, cap: &ArgCapture) -> usize {
    let words = (usize::from(cap.scale) & 3) * 8;
    let max = usize::from(cap.max) & 63;
    if room(off) < words + max {
        return 0;
    }
    let at = off + HDR;
    let mut len = 0;
    let mut flags = tag;
    if copy_user(base, at, ptr, words) {
        len = words;
        // SAFETY: at & MASK < MAX_RECORD, 8 bytes: inside the scratch area (just written).
        let inner = unsafe { base.add(at & MASK).cast::<u64>().read_unaligned() };
        if inner != 0 && copy_user(base, at + words, inner, max) {
            len += max;
        }
    } else {
        flags |= BLOB_FAULTED;
    }
    let kind = tracer_common::CAP_DEREF;
    close_blob(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind,
            flags,
            len: len as u32,
        },
    )
}

/// A NUL-terminated string of at most `max` bytes (NUL included).
#[inline(always)]
fn cstr(base: *mut u8, off: usize, idx: u8, tag: u16, ptr: u64, max: usize) -> usize {
    let fit = room(off);
    if fit < 2 {
        return 0;
    }
    let max = if max < fit { max } else { fit };
    let (len, flags) = read_str(base, off + HDR, ptr, max);
    let hdr = BlobHeader {
        arg: idx,
        kind: CAP_CSTR,
        flags: flags | tag,
        len,
    };
    write_header(base, off, hdr);
    off + HDR + blob_padded(len as usize)
}

/// Reads a string to scratch offset `at`; returns its length without the NUL and BLOB_* bits.
#[inline(always)]
pub(crate) fn read_str(base: *mut u8, at: usize, ptr: u64, max: usize) -> (u32, u16) {
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

/// Two u32s: the value before the call (if known) and after.
#[inline(always)]
fn pair_u32(base: *mut u8, off: usize, idx: u8, before: Option<u32>, now: Option<u32>) -> usize {
    if room(off) < 8 {
        return 0;
    }
    let (Some(before), Some(now)) = (before, now) else {
        let hdr = BlobHeader {
            arg: idx,
            kind: CAP_U32_INOUT,
            flags: BLOB_FAULTED,
            len: 0,
        };
        write_header(base, off, hdr);
        return off + HDR;
    };
    let at = (off + HDR) & MASK;
    // SAFETY: at < MAX_RECORD, 8 bytes: inside the scratch area.
    unsafe {
        base.add(at).cast::<u32>().write_unaligned(before);
        base.add(at + 4).cast::<u32>().write_unaligned(now);
    }
    write_header(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind: CAP_U32_INOUT,
            flags: 0,
            len: 8,
        },
    );
    off + HDR + 8
}

/// An iovec array to capture: `count` entries at `ptr`, each buffer up to `max` bytes, all
/// of them together up to `limit` bytes.
pub struct Iov {
    ptr: u64,
    count: u64,
    max: usize,
    /// MAX_RECORD when the data was not written by the kernel.
    limit: usize,
}

/// Writes an array blob's header (at `off + HDR`) and its blob header.
#[inline(always)]
fn array_blob(
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

/// Entry `i` of an iovec array (copied to the temporary area) and up to `slot` bytes of its
/// buffer, at `data + i * slot`; the entry goes at `entries + i * 24`. A function of its own
/// whose every path returns 0: the verifier's states merge when it returns, so it checks each
/// entry once instead of once per path through the entries before (2^8 times for 8).
#[inline(never)]
fn iovec_item(cur: &Cursor, i: usize, slot: usize, data: usize, entries: usize) -> usize {
    let base = cur.base;
    // SAFETY: TMP + (i & 7) * 16 + 16 <= TMP + 128, inside the scratch area.
    let (ibase, ilen) = unsafe {
        let p = base.add(TMP + (i & 7) * 16);
        (
            p.cast::<u64>().read_unaligned(),
            p.add(8).cast::<u64>().read_unaligned(),
        )
    };
    let slot = slot & 0xfff;
    let left = (cur.state().left as usize) & (2 * MAX_RECORD - 1);
    let mut take = if (ilen as usize) < left {
        ilen as usize
    } else {
        left
    };
    let mut eflags = 0u32;
    if take > slot {
        take = slot;
        eflags |= u32::from(BLOB_TRUNCATED);
    }
    if take != 0 && !copy_user(base, data + (i & 7) * slot, ibase, take) {
        take = 0;
        eflags |= u32::from(BLOB_FAULTED);
    }
    cur.state().left = (left - if take < left { take } else { left }) as u64;
    let e = IovecEntry {
        base: ibase,
        len: ilen,
        captured: take as u32,
        flags: eflags,
    };
    let at = (entries + (i & 7) * size_of::<IovecEntry>()) & MASK;
    // SAFETY: at < MAX_RECORD, entry 24 bytes: inside the scratch area.
    unsafe { base.add(at).cast::<IovecEntry>().write_unaligned(e) };
    0
}

/// An iovec array and its buffers. Returns the offset after the blob, or 0.
#[inline(never)]
fn iovec(cur: &Cursor, idx: u8, iov: &Iov) -> usize {
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    const N: usize = IOV_MAX_ITEMS as usize;
    let n = if iov.count < N as u64 {
        iov.count as usize
    } else {
        N
    };
    let entry = size_of::<IovecEntry>();
    let fixed = AHDR + n * entry;
    let avail = room(off);
    if n == 0 || avail < fixed {
        return 0;
    }
    let mut flags = 0u32;
    if iov.count > N as u64 {
        flags |= u32::from(BLOB_TRUNCATED);
    }
    // Every buffer gets the same slot, so offsets depend on the index only.
    let per = (avail - fixed) / n;
    let slot = (if iov.max < per { iov.max } else { per }) & 0xfff;
    let start = off + HDR;
    // The user's iovec array, to the temporary area.
    if !copy_to_tmp(base, iov.ptr, n * 16) {
        flags |= u32::from(BLOB_FAULTED);
        let head = ArrayHeader {
            count: 0,
            flags,
            slot: 0,
            _pad0: 0,
        };
        return array_blob(base, off, idx, CAP_IOVEC, tag, head, AHDR);
    }
    // What the kernel wrote and is not yet attributed to a buffer; kept in the scratch map,
    // where each entry's function finds it.
    cur.state().left = iov.limit as u64;
    for i in 0..N {
        if i >= n {
            break;
        }
        iovec_item(cur, i, slot, start + fixed, start + AHDR);
    }
    let head = ArrayHeader {
        count: n as u32,
        flags,
        slot: slot as u32,
        _pad0: 0,
    };
    array_blob(base, off, idx, CAP_IOVEC, tag, head, fixed + n * slot)
}

/// A msghdr (argument `i`) and what it points to: name, iovecs and data, control data.
/// (Four arguments: BPF calls pass at most five, in registers.)
/// Returns the number of blobs appended (a value, so that the verifier never sees a stack
/// pointer left in R0 when the function returns).
#[inline(never)]
fn msghdr(cur: &Cursor, cap: &ArgCapture, i: usize) -> usize {
    let call = cur.state().call;
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    let idx = i as u8;
    let ptr = call.args.get(i).copied().unwrap_or(0);
    let size = usize::from(MSGHDR_SIZE);
    let next = bytes(base, off, idx, CAP_MSGHDR, tag, ptr, size, size);
    if next == 0 {
        return 0;
    }
    cur.set_off(next);
    let mut added = 1;
    // SAFETY: the msghdr was just copied at off + HDR (56 bytes, inside the scratch area).
    let (name, namelen, iov, iovlen, control, controllen) = unsafe {
        let m = base.add((off + HDR) & MASK);
        (
            m.cast::<u64>().read_unaligned(),
            m.add(8).cast::<u32>().read_unaligned(),
            m.add(16).cast::<u64>().read_unaligned(),
            m.add(24).cast::<u64>().read_unaligned(),
            m.add(32).cast::<u64>().read_unaligned(),
            m.add(40).cast::<u64>().read_unaligned(),
        )
    };
    if name != 0 && namelen != 0 {
        let want = namelen as usize;
        let max = usize::from(SOCKADDR_CAP);
        let next = bytes(base, cur.off(), idx, CAP_SUB_NAME, tag, name, want, max);
        if next != 0 {
            cur.set_off(next);
            added += 1;
        }
    }
    if iov != 0 {
        let limit = by_ret_limit(cap, &call);
        let spec = Iov {
            ptr: iov,
            count: iovlen,
            max: usize::from(cap.max),
            limit,
        };
        let next = iovec(cur, idx, &spec);
        if next != 0 {
            cur.set_off(next);
            added += 1;
        }
    }
    if control != 0 && controllen != 0 {
        let want = controllen as usize;
        let next = bytes(
            base,
            cur.off(),
            idx,
            CAP_SUB_CONTROL,
            tag,
            control,
            want,
            CONTROL_CAP,
        );
        if next != 0 {
            cur.set_off(next);
            added += 1;
        }
    }
    added
}

/// Up to STRV_MAX_ITEMS strings of a NULL-terminated array, each up to `max` bytes.
/// Returns the offset after the blob, or 0.
#[inline(never)]
fn strv(cur: &Cursor, idx: u8, array: u64, max: usize) -> usize {
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    let item = size_of::<StrvItem>();
    let avail = room(off);
    if avail < AHDR + item + 2 {
        return 0;
    }
    let slot = (if max < 1024 { max } else { 1024 }) & 0x7ff;
    let stride = item + slot;
    let fit = (avail - AHDR) / stride;
    let start = off + HDR;
    let mut count: u32 = 0;
    let mut flags: u32 = 0;
    for i in 0..STRV_MAX_ITEMS as usize {
        let Some(p) = read_u64(array + (i * 8) as u64) else {
            flags |= u32::from(BLOB_FAULTED);
            break;
        };
        if p == 0 {
            break;
        }
        if i >= fit {
            flags |= u32::from(BLOB_TRUNCATED);
            break;
        }
        let at = start + AHDR + i * stride;
        let (len, sflags) = read_str(base, at + item, p, slot);
        let entry = StrvItem {
            len,
            flags: u32::from(sflags),
        };
        if sflags & BLOB_FAULTED != 0 {
            // SAFETY: (at + item) & MASK < MAX_RECORD, 8 bytes: inside the scratch area.
            unsafe {
                base.add((at + item) & MASK)
                    .cast::<u64>()
                    .write_unaligned(p)
            };
        }
        // SAFETY: at & MASK < MAX_RECORD, 8 bytes: inside the scratch area.
        unsafe {
            base.add(at & MASK)
                .cast::<StrvItem>()
                .write_unaligned(entry)
        };
        count += 1;
    }
    if count == STRV_MAX_ITEMS
        && read_u64(array + u64::from(STRV_MAX_ITEMS) * 8).is_some_and(|p| p != 0)
    {
        flags |= u32::from(BLOB_TRUNCATED);
    }
    let head = ArrayHeader {
        count,
        flags,
        slot: slot as u32,
        _pad0: 0,
    };
    array_blob(
        base,
        off,
        idx,
        CAP_STRV,
        tag,
        head,
        AHDR + count as usize * stride,
    )
}

/// Counts the non-NULL pointers of a NULL-terminated array, up to PTRV_MAX_COUNT.
/// Returns the offset after the blob, or 0.
#[inline(never)]
fn ptrv_count(cur: &Cursor, idx: u8, array: u64) -> usize {
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    if room(off) < AHDR {
        return 0;
    }
    // The count so far, kept in the scratch map by `ptrv_chunk`.
    cur.state().left = 0;
    let mut ended = false;
    let mut faulted = false;
    for c in 0..(PTRV_MAX_COUNT as usize / PTRV_CHUNK) {
        match ptrv_chunk(cur, array + (c * PTRV_CHUNK * 8) as u64) {
            0 => {}
            1 => {
                ended = true;
                break;
            }
            _ => {
                faulted = true;
                break;
            }
        }
    }
    let flags = if faulted {
        // The array ends near an unmapped page: the count is a lower bound.
        u32::from(BLOB_FAULTED)
    } else if !ended {
        u32::from(BLOB_TRUNCATED)
    } else {
        0
    };
    let head = ArrayHeader {
        count: cur.state().left as u32,
        flags,
        slot: 0,
        _pad0: 0,
    };
    array_blob(base, off, idx, CAP_PTRV_COUNT, tag, head, AHDR)
}

/// Pointers read per call of `ptrv_chunk`.
const PTRV_CHUNK: usize = 16;

/// Adds the pointers of the `PTRV_CHUNK` at `src` before the first NULL to the count in the
/// scratch map. Returns 0 to go on, 1 at the NULL, 2 if the read faulted. A function of its
/// own, so the verifier checks it once per chunk whatever the chunks before did.
#[inline(never)]
fn ptrv_chunk(cur: &Cursor, src: u64) -> usize {
    let base = cur.base;
    if !copy_to_tmp(base, src, PTRV_CHUNK * 8) {
        return 2;
    }
    // Branch-free: `alive` drops to 0 at the first NULL and stays there.
    let mut alive: u64 = 1;
    let mut count: u64 = 0;
    for i in 0..PTRV_CHUNK {
        // SAFETY: TMP + i * 8 < TMP + 128, inside the scratch area.
        let p = unsafe { base.add(TMP + i * 8).cast::<u64>().read_unaligned() };
        alive &= (p | p.wrapping_neg()) >> 63;
        count += alive;
    }
    cur.state().left += count;
    (alive ^ 1) as usize
}

/// Argument `i` as an iovec array (its own program).
#[inline(always)]
pub fn iovec_arg(cur: &Cursor, cap: &ArgCapture, i: usize) {
    let call = cur.state().call;
    let iov = Iov {
        ptr: call.args.get(i).copied().unwrap_or(0),
        count: size_arg(&call, cap) as u64,
        max: usize::from(cap.max),
        limit: by_ret_limit(cap, &call),
    };
    let next = iovec(cur, i as u8, &iov);
    if next != 0 {
        cur.advance(next);
    }
}

/// Argument `i` as a msghdr (its own program).
#[inline(always)]
pub fn msghdr_arg(cur: &Cursor, cap: &ArgCapture, i: usize) {
    let added = msghdr(cur, cap, i);
    cur.add_blobs(added);
}

/// Argument `i` as an array of strings (its own program).
#[inline(always)]
pub fn strv_arg(cur: &Cursor, cap: &ArgCapture, i: usize) {
    let ptr = cur.state().call.args.get(i).copied().unwrap_or(0);
    let next = strv(cur, i as u8, ptr, usize::from(cap.max));
    if next != 0 {
        cur.advance(next);
    }
}

/// Argument `i` as a pointer array to count (its own program).
#[inline(always)]
pub fn ptrv_arg(cur: &Cursor, _cap: &ArgCapture, i: usize) {
    let ptr = cur.state().call.args.get(i).copied().unwrap_or(0);
    let next = ptrv_count(cur, i as u8, ptr);
    if next != 0 {
        cur.advance(next);
    }
}
/// CAP_U32_INOUT arguments' values at enter (only one per syscall is supported).
#[inline(always)]
pub fn saved_u32(spec: &SyscallSpec, args: &[u64; 6]) -> u64 {
    for i in 0..6usize {
        if let (Some(cap), Some(&ptr)) = (spec.args.get(i), args.get(i))
            && cap.kind == CAP_U32_INOUT
        {
            return u64::from(read_u32(ptr).unwrap_or(0));
        }
    }
    0
}

#[allow(dead_code)]
const _: () = assert!(CONTROL_CAP < MAX_RECORD && (MSGHDR_SIZE as usize) < MAX_RECORD);
#[allow(dead_code)]
const _: () = assert!(CAP_SUB_NAME != CAP_SUB_CONTROL);
