//! The argument kinds that loop over user memory (iovec arrays, msghdrs, argv, envp), each
//! fetched by a program of its own (see main.rs) so the verifier walks each of them once.
//! Loops call a function per item whose every path returns the same value, so the verifier's
//! states merge at each return and it checks the items linearly.

use core::mem::offset_of;

use tracer_common::{
    ArgCapture, ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, CAP_IOVEC, CAP_MSGHDR, CAP_PTRV_COUNT,
    CAP_STRV, CAP_SUB_CONTROL, CAP_SUB_NAME, CAPF_IOCBS, CONTROL_CAP, IOCB_SIZE, IOV_MAX_ITEMS,
    IovecEntry, MAX_RECORD, MMSG_MAX_ITEMS, MMSGHDR_SIZE, MSGHDR_SIZE, Msghdr, PTRV_MAX_COUNT,
    SOCKADDR_CAP, STRV_MAX_ITEMS, StrvItem, UserIovec, iovec_entry_at, iovec_slots_at,
    readable_prefix, strv_item_at,
};

use crate::{
    blob::{AHDR, HDR, TMP, array_blob, bytes, copy_to_tmp, copy_user, get, put, read_str, room},
    cursor::Cursor,
    fetch::{buffer_max, size_arg},
    mem::read_u64,
};

/// An iovec array to capture: `count` entries at `ptr`, each buffer up to `max` bytes, all
/// of them together up to `limit` bytes.
pub struct Iov {
    ptr: u64,
    count: u64,
    max: usize,
    /// MAX_RECORD when the data was not written by the kernel.
    limit: usize,
}

/// Entry `i` of an iovec array (copied to the temporary area) and up to `slot` bytes of its
/// buffer, at `data + i * slot`; the entry goes at `entries + i * 24`. A function of its own
/// whose every path returns 0: the verifier's states merge when it returns, so it checks each
/// entry once instead of once per path through the entries before (2^8 times for 8).
#[inline(never)]
fn iovec_item(cur: &Cursor, i: usize, slot: usize, data: usize, entries: usize) -> usize {
    let base = cur.base;
    let user = TMP + (i & 7) * size_of::<UserIovec>();
    // SAFETY: TMP + 8 * 16 <= TMP + 128, inside the scratch area.
    let (ibase, ilen) = unsafe {
        let p = base.add(user);
        (
            p.add(offset_of!(UserIovec, iov_base))
                .cast::<u64>()
                .read_unaligned(),
            p.add(offset_of!(UserIovec, iov_len))
                .cast::<u64>()
                .read_unaligned(),
        )
    };
    let slot = iov_slot(slot);
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
    put(base, entries + (i & 7) * size_of::<IovecEntry>(), e);
    0
}

/// Most bytes kept of one iovec buffer.
const IOV_SLOT_MAX: usize = 4096;

/// A buffer's slot, at most `IOV_SLOT_MAX` and provably so to the verifier. Clamped, not
/// masked: a mask of 0xfff made `-s 4096` a slot of 0 (every buffer `""...`) and `-s 4097` one
/// of 1.
#[inline(always)]
fn iov_slot(want: usize) -> usize {
    (if want > IOV_SLOT_MAX {
        IOV_SLOT_MAX
    } else {
        want
    }) & (2 * IOV_SLOT_MAX - 1)
}

/// What an iovec blob and an iocb blob (`iovec`, `iocbs`) lay out alike, for `count` entries
/// at `off`: the entries taken (at most `IOV_MAX_ITEMS`; 0 when there are none or no room
/// for them), the bytes of the header and entries, `BLOB_TRUNCATED` when there were more,
/// and the slot of each entry: the same for every entry, so that offsets depend on the index
/// only, at most `most` and the room left shared evenly. Inlined: one function shared by the
/// iovec and msghdr programs pushed the msghdr program past the verifier's 512-byte stack.
#[inline(always)]
fn array_layout(count: u64, off: usize, most: usize) -> (usize, usize, u32, usize) {
    const N: usize = IOV_MAX_ITEMS as usize;
    let n = if count < N as u64 { count as usize } else { N };
    let fixed = iovec_slots_at(n);
    let avail = room(off);
    if n == 0 || avail < fixed {
        return (0, 0, 0, 0);
    }
    let flags = if count > N as u64 {
        u32::from(BLOB_TRUNCATED)
    } else {
        0
    };
    let per = (avail - fixed) / n;
    (
        n,
        fixed,
        flags,
        iov_slot(if most < per { most } else { per }),
    )
}

/// An iovec-shaped blob of no entries whose array could not be read (`flags`: its `BLOB_*`
/// bits). Returns the offset after it.
#[inline(always)]
fn unreadable_array(base: *mut u8, off: usize, idx: u8, tag: u16, flags: u32) -> usize {
    let head = ArrayHeader {
        count: 0,
        flags,
        slot: 0,
        _pad0: 0,
    };
    array_blob(base, off, idx, CAP_IOVEC, tag, head, AHDR)
}

/// An iovec array and its buffers. Returns the offset after the blob, or 0.
#[inline(never)]
fn iovec(cur: &Cursor, idx: u8, iov: &Iov) -> usize {
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    const N: usize = IOV_MAX_ITEMS as usize;
    // No larger than the data there is (none for a failed read, whose array alone is
    // printed).
    let most = if iov.limit < iov.max {
        iov.limit
    } else {
        iov.max
    };
    let (mut n, mut fixed, mut flags, slot) = array_layout(iov.count, off, most);
    if n == 0 {
        return 0;
    }
    let start = off + HDR;
    // The user's iovec array, to the temporary area; when it runs into a page that faults,
    // the entries before it (strace prints them, then `... /* 0xADDR */`).
    if !copy_to_tmp(base, iov.ptr, n * size_of::<UserIovec>()) {
        flags |= u32::from(BLOB_FAULTED);
        let head = readable_prefix(iov.ptr, n * size_of::<UserIovec>()) / size_of::<UserIovec>();
        if head == 0 || head >= n || !copy_to_tmp(base, iov.ptr, head * size_of::<UserIovec>()) {
            return unreadable_array(base, off, idx, tag, flags);
        }
        n = head;
        fixed = iovec_slots_at(n);
    }
    // What the kernel wrote and is not yet attributed to a buffer; kept in the scratch map,
    // where each entry's function finds it.
    cur.state().left = iov.limit as u64;
    for i in 0..N {
        if i >= n {
            break;
        }
        iovec_item(cur, i, slot, start + fixed, start + iovec_entry_at(0));
    }
    let head = ArrayHeader {
        count: n as u32,
        flags,
        slot: slot as u32,
        _pad0: 0,
    };
    array_blob(base, off, idx, CAP_IOVEC, tag, head, fixed + n * slot)
}

/// Entry `i` of io_submit's iocb pointer array (copied to the temporary area): the iocb and
/// an `IOCB_CMD_PWRITE`'s buffer (`iocb_buffer`) in a slot of `slot` bytes at
/// `data + i * slot`; the entry goes at `entries + i * 24`. Its own function, as
/// `iovec_item`, and only the iovec program's (the msghdr program's stack has no room).
#[inline(never)]
fn iocb_item(cur: &Cursor, i: usize, slot: usize, data: usize, entries: usize) -> usize {
    let base = cur.base;
    let i = i & 7;
    let slot = iov_slot(slot);
    // SAFETY: TMP + 8 * 8 <= TMP + 64, inside the scratch area.
    let ibase = unsafe { base.add(TMP + i * 8).cast::<u64>().read_unaligned() };
    let at = data + i * slot;
    let mut take = 0;
    let mut eflags = 0u32;
    if slot < IOCB_SIZE || !copy_user(base, at, ibase, IOCB_SIZE) {
        eflags |= u32::from(BLOB_FAULTED);
    } else {
        take = IOCB_SIZE + iocb_buffer(base, at, slot - IOCB_SIZE);
    }
    let e = IovecEntry {
        base: ibase,
        len: IOCB_SIZE as u64,
        captured: take as u32,
        flags: eflags,
    };
    put(base, entries + i * size_of::<IovecEntry>(), e);
    0
}

/// The buffer of the iocb just copied to `at` when it is an `IOCB_CMD_PWRITE` whose length
/// is not negative (what strace prints as a string), up to `room` bytes, copied after it.
/// Returns the bytes copied: 0 when there is none or it could not be read (printed as its
/// address then).
#[inline(always)]
fn iocb_buffer(base: *mut u8, at: usize, room: usize) -> usize {
    let opcode: u16 = get(base, at + 16);
    let buf: u64 = get(base, at + 24);
    let nbytes: u64 = get(base, at + 32);
    if opcode != 1 || (nbytes as i64) < 0 {
        return 0;
    }
    let n = if (nbytes as usize) < room {
        nbytes as usize
    } else {
        room
    };
    if n == 0 || !copy_user(base, at + IOCB_SIZE, buf, n) {
        return 0;
    }
    n
}

/// io_submit's iocb pointer array (`CAPF_IOCBS`): an iovec blob whose entries are the
/// pointers, at most `IOV_MAX_ITEMS`, each slot an iocb and a write's buffer. Returns the
/// offset after the blob, or 0.
#[inline(never)]
fn iocbs(cur: &Cursor, idx: u8, iov: &Iov) -> usize {
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    const N: usize = IOV_MAX_ITEMS as usize;
    let (n, fixed, mut flags, slot) = array_layout(iov.count, off, iov.max);
    if n == 0 {
        return 0;
    }
    let start = off + HDR;
    if !copy_to_tmp(base, iov.ptr, n * 8) {
        flags |= u32::from(BLOB_FAULTED);
        return unreadable_array(base, off, idx, tag, flags);
    }
    for i in 0..N {
        if i >= n {
            break;
        }
        iocb_item(cur, i, slot, start + fixed, start + iovec_entry_at(0));
    }
    let head = ArrayHeader {
        count: n as u32,
        flags,
        slot: slot as u32,
        _pad0: 0,
    };
    array_blob(base, off, idx, CAP_IOVEC, tag, head, fixed + n * slot)
}

/// The msghdr of argument `which & 0xff` and what it points to: name, iovecs and data,
/// control data. `which >> 8`, when not 0, is 1 + the entry of a sendmmsg/recvmmsg vector
/// (an mmsghdr: a msghdr and its `msg_len`, which then limits the data). (Three arguments:
/// LLVM may pass `cap`'s fields apart, and a BPF call takes at most five, in registers.)
/// Returns the number of blobs appended (a value, so that the verifier never sees a stack
/// pointer left in R0 when the function returns).
#[inline(never)]
fn msghdr(cur: &Cursor, cap: &ArgCapture, which: usize) -> usize {
    let call = cur.state().call;
    let (base, off, tag) = (cur.base, cur.off(), cur.tag());
    let i = which & 0xff;
    let idx = i as u8;
    let entry = (which >> 8) as u64;
    let mut ptr = call.args.get(i).copied().unwrap_or(0);
    let size = if entry == 0 {
        usize::from(MSGHDR_SIZE)
    } else {
        ptr += (entry - 1) * u64::from(MMSGHDR_SIZE);
        usize::from(MMSGHDR_SIZE)
    };
    let next = bytes(base, off, idx, CAP_MSGHDR, tag, ptr, size, size);
    if next == 0 {
        return 0;
    }
    cur.set_off(next);
    let mut added = 1;
    // Its fields, one by one (the struct is not copied to the 512-byte stack).
    let m = off + HDR;
    let name: u64 = get(base, m + offset_of!(Msghdr, msg_name));
    let namelen: u32 = get(base, m + offset_of!(Msghdr, msg_namelen));
    let iov: u64 = get(base, m + offset_of!(Msghdr, msg_iov));
    let iovlen: u64 = get(base, m + offset_of!(Msghdr, msg_iovlen));
    let control: u64 = get(base, m + offset_of!(Msghdr, msg_control));
    let controllen: u64 = get(base, m + offset_of!(Msghdr, msg_controllen));
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
        let limit = if size > usize::from(MSGHDR_SIZE) {
            let msg_len: u32 = get(base, m + usize::from(MSGHDR_SIZE));
            msg_len as usize
        } else {
            cap.by_ret_limit(call.ret, MAX_RECORD)
        };
        let spec = Iov {
            ptr: iov,
            count: iovlen,
            max: buffer_max(cur, cap),
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
            usize::from(CONTROL_CAP),
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
        let at = start + strv_item_at(i, slot);
        let (len, sflags) = read_str(base, at + item, p, slot);
        let entry = StrvItem {
            len,
            flags: u32::from(sflags),
        };
        if sflags & BLOB_FAULTED != 0 {
            put(base, at + item, p);
        }
        put(base, at, entry);
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
        strv_item_at(count as usize, slot),
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
        limit: cap.by_ret_limit(call.ret, MAX_RECORD),
    };
    let next = if cap.flags & CAPF_IOCBS != 0 {
        iocbs(cur, i as u8, &iov)
    } else {
        iovec(cur, i as u8, &iov)
    };
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

/// Entry `state.entry` of argument `i`, sendmmsg/recvmmsg's array of `mmsghdr`: as many
/// entries as `CAP_MMSGHDR` says, at most `MMSG_MAX_ITEMS`, one per run of `capture_mmsghdr`
/// (so the verifier checks the msghdr capture once). Returns whether another entry follows.
#[inline(always)]
pub fn mmsghdr_entry(cur: &Cursor, cap: &ArgCapture, i: usize) -> bool {
    // Through the state, not a copy of the call: the program's stack is small.
    let call = &cur.state().call;
    let count = if cap.size_arg != 0 {
        size_arg(call, cap) as u64
    } else if call.ret < 0 {
        0
    } else {
        call.ret as u64
    };
    let k = u64::from(cur.state().entry);
    if k >= count || k >= MMSG_MAX_ITEMS {
        return false;
    }
    let added = msghdr(cur, cap, (i & 0xff) | ((k as usize + 1) << 8));
    if added == 0 {
        return false;
    }
    cur.add_blobs(added);
    cur.state().entry += 1;
    k + 1 < count && k + 1 < MMSG_MAX_ITEMS
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
