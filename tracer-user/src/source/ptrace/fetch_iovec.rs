//! iovec arrays for the ptrace backend (`CAP_IOVEC`), laid out as the kernel programs lay
//! them out: `ArrayHeader`, the entries, then one slot per entry sharing a byte budget.

use tracer_common::{
    ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, CAP_IOVEC, IOV_MAX_ITEMS, IovecEntry, UserIovec,
    readable_prefix, wire::push,
};

use super::Capturer;

impl Capturer<'_> {
    /// An iovec array: `ArrayHeader`, the entries, then one slot per entry, as large as the
    /// largest buffer taken (at most `max`). Every entry up to `UIO_MAXIOV` (the kernel
    /// refuses more), as strace prints and dumps them all; the slots share a budget of
    /// `IOV_MAX_ITEMS * max` bytes, so a long array keeps less of each buffer.
    pub(super) fn iovec(&mut self, ptr: u64, count: u64, max: usize, mut left: usize) {
        let (n, mut flags) = capped(count);
        if n == 0 {
            return;
        }
        let mut raw = vec![0u8; n * size_of::<UserIovec>()];
        let got = self.mem.read(ptr, &mut raw);
        let mut n = n;
        if got != raw.len() {
            // The entries before a page that faults, as the kernel programs read them
            // (strace prints them, then `... /* 0xADDR */`).
            flags |= u32::from(BLOB_FAULTED);
            let head = readable_prefix(ptr, raw.len()) / size_of::<UserIovec>();
            if head == 0 || got < head * size_of::<UserIovec>() {
                self.push(CAP_IOVEC, 0, iovec_blob(&[], &[], 0, flags, 0));
                return;
            }
            n = head;
        }
        let user = |i: usize| -> UserIovec {
            tracer_common::wire::read_at(&raw, i * size_of::<UserIovec>()).unwrap_or_default()
        };
        // Never less than `-s` bytes each (strace prints each buffer up to `-s`: one-byte
        // buffers under `-s 2` are `"a"`, not `""...`), within a bound on the whole.
        let printed = self.strsize.min(max).min(IOV_SLOTS_MAX / n);
        let budget = (max.saturating_mul(IOV_MAX_ITEMS as usize) / n).max(printed);
        let slot = iov_slot(n, left, max.min(budget), |i| user(i).iov_len);
        let mut entries = Vec::new();
        let mut slots = vec![0u8; n * slot];
        for i in 0..n {
            let UserIovec { iov_base, iov_len } = user(i);
            let mut take = (iov_len as usize).min(left);
            let mut eflags = 0u32;
            if take > slot {
                take = slot;
                eflags |= u32::from(BLOB_TRUNCATED);
            }
            let dst = &mut slots[i * slot..i * slot + take];
            // A buffer that runs into unmapped memory: strace reads min(len, -s + 1) bytes of
            // it and prints its address when that read comes up short, its first -s bytes
            // otherwise (kept, cut), as the kernel programs' all-or-nothing read of them.
            let got = if take == 0 {
                0
            } else {
                self.mem.read(iov_base, dst)
            };
            if got != take {
                let shown = take.min(self.strsize.saturating_add(1));
                take = if got < shown { 0 } else { got };
                eflags |= u32::from(if take == 0 {
                    BLOB_FAULTED
                } else {
                    BLOB_TRUNCATED
                });
            }
            left -= take.min(left);
            let entry = IovecEntry {
                base: iov_base,
                len: iov_len,
                captured: take as u32,
                flags: eflags,
            };
            push(&mut entries, &entry);
        }
        self.push(CAP_IOVEC, 0, iovec_blob(&entries, &slots, n, flags, slot));
    }
}

/// The kernel's most iovecs in one call (`UIO_MAXIOV`).
pub(super) const UIO_MAXIOV: u64 = 1024;

/// Most bytes of an iovec array's slots together kept for printing `-s` of each buffer.
const IOV_SLOTS_MAX: usize = 16 << 20;

/// The slot an iovec array's `n` buffers share: the most bytes any of them takes (its
/// length, up to what is `left` of the return value), at most `max`. Data not there (a
/// failed read: `left` 0) takes no room.
fn iov_slot(n: usize, mut left: usize, max: usize, len: impl Fn(usize) -> u64) -> usize {
    let mut slot = 0;
    for i in 0..n {
        let take = usize::try_from(len(i)).unwrap_or(usize::MAX).min(left);
        slot = slot.max(take.min(max));
        left -= take.min(max).min(left);
    }
    slot
}

/// An array's entry count, at most `UIO_MAXIOV` (the kernel refuses more), and
/// `BLOB_TRUNCATED` when `count` was more.
pub(in crate::source::ptrace) fn capped(count: u64) -> (usize, u32) {
    let flags = match count > UIO_MAXIOV {
        true => u32::from(BLOB_TRUNCATED),
        false => 0,
    };
    (count.min(UIO_MAXIOV) as usize, flags)
}

/// An iovec-shaped blob (iovecs, io_submit's iocbs): `ArrayHeader`, then `count` pushed
/// `IovecEntry`s (`entries`) and their slots of `slot` bytes each (`slots`); no entries and
/// no slot size when `count` is 0.
pub(in crate::source::ptrace) fn iovec_blob(
    entries: &[u8],
    slots: &[u8],
    count: usize,
    flags: u32,
    slot: usize,
) -> Vec<u8> {
    let mut data = Vec::new();
    let head = ArrayHeader {
        count: count as u32,
        flags,
        slot: if count == 0 { 0 } else { slot as u32 },
        _pad0: 0,
    };
    push(&mut data, &head);
    if count != 0 {
        data.extend_from_slice(entries);
        data.extend_from_slice(slots);
    }
    data
}
