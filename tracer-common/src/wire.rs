//! Typed access to the wire types' bytes, for userspace (the `user` feature): reading a type at
//! an offset of a record or blob, its bytes for writing, and the array blobs' items. Every
//! read is checked against the bytes given: a short blob reads as `None`, never past its end.

extern crate alloc;

use alloc::vec::Vec;
use core::ops::Range;

use crate::{
    ArrayHeader, BLOB_FAULTED, FdInode, IovecEntry, SockInfo, SockProto, StrvItem, Wire,
    iovec_entry_at, iovec_slots_at, strv_item_at,
};

/// The `T` at byte `at` of `bytes`, if they hold all of it.
#[inline]
pub fn read_at<T: Wire>(bytes: &[u8], at: usize) -> Option<T> {
    let b = bytes.get(at..at.checked_add(size_of::<T>())?)?;
    // SAFETY: `b` holds size_of::<T>() bytes; read_unaligned has no alignment requirement and
    // a `Wire` type is valid for any bit pattern.
    Some(unsafe { b.as_ptr().cast::<T>().read_unaligned() })
}

/// The `T` at the start of `bytes`, if they hold all of it.
#[inline]
pub fn read<T: Wire>(bytes: &[u8]) -> Option<T> {
    read_at(bytes, 0)
}

/// The bytes of `value`, as the kernel lays it out.
#[inline]
pub fn as_bytes<T: Wire>(value: &T) -> &[u8] {
    // SAFETY: a `Wire` type has no implicit padding, so all its bytes are initialised.
    unsafe { core::slice::from_raw_parts(core::ptr::from_ref(value).cast::<u8>(), size_of::<T>()) }
}

/// Appends the bytes of `value` to `out`.
#[inline]
pub fn push<T: Wire>(out: &mut Vec<u8>, value: &T) {
    out.extend_from_slice(as_bytes(value));
}

impl SockProto {
    /// Reads a `SockProto` from a blob's bytes (None when it is too short).
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        read(b)
    }
}

impl SockInfo {
    /// Reads a `SockInfo` from a blob's bytes (None when it is too short).
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        read(b)
    }
}

/// One buffer of a `CAP_IOVEC` blob: its entry and where its captured bytes are in the blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IovItem {
    pub base: u64,
    pub len: u64,
    /// `BLOB_*` bits.
    pub flags: u32,
    /// The captured bytes, within the blob.
    pub data: Range<usize>,
}

/// The buffers of a `CAP_IOVEC` blob (`ArrayHeader`, entries, then fixed slots), as far as the
/// blob holds them.
pub fn iovec_items(d: &[u8]) -> impl Iterator<Item = IovItem> + '_ {
    let head = read::<ArrayHeader>(d).unwrap_or_default();
    let n = head.count as usize;
    let slot = head.slot as usize;
    (0..n).map_while(move |k| {
        let e: IovecEntry = read_at(d, iovec_entry_at(k))?;
        let start = (iovec_slots_at(n) + k * slot).min(d.len());
        let end = (start + e.captured as usize).min(d.len());
        Some(IovItem {
            base: e.base,
            len: e.len,
            flags: e.flags,
            data: start..end,
        })
    })
}

/// The strings of a `CAP_STRV` blob (execve's argv): each one's `StrvItem` and where its slot
/// starts; its bytes are `StrvItem::len` from there (a faulted one's slot holds the caller's
/// pointer to it instead).
pub fn strv_items(d: &[u8]) -> impl Iterator<Item = (StrvItem, usize)> + '_ {
    let head = read::<ArrayHeader>(d).unwrap_or_default();
    let slot = head.slot as usize;
    (0..head.count as usize).map_while(move |k| {
        let at = strv_item_at(k, slot);
        let item: StrvItem = read_at(d, at)?;
        Some((item, (at + size_of::<StrvItem>()).min(d.len())))
    })
}

/// Builds a `CAP_STRV` blob: `ArrayHeader`, then per string a `StrvItem` and a slot.
#[derive(Debug, Clone, Default)]
pub struct StrvWriter {
    slot: usize,
    count: u32,
    items: Vec<u8>,
}

impl StrvWriter {
    /// An empty array whose strings get `slot` bytes each.
    pub fn new(slot: usize) -> Self {
        Self {
            slot,
            ..Self::default()
        }
    }

    /// Appends a string (cut to the slot) with its `BLOB_*` bits; a faulted one (`flags` has
    /// `BLOB_FAULTED`) keeps the caller's pointer `ptr` in its slot instead.
    pub fn push(&mut self, s: &[u8], flags: u32, ptr: u64) {
        let s = &s[..s.len().min(self.slot)];
        let item = StrvItem {
            len: s.len() as u32,
            flags,
        };
        push(&mut self.items, &item);
        let at = self.items.len();
        if flags & u32::from(BLOB_FAULTED) != 0 {
            self.items.extend_from_slice(&ptr.to_le_bytes());
        } else {
            self.items.extend_from_slice(s);
        }
        self.items.resize(at + self.slot, 0);
        self.count += 1;
    }

    /// The blob, with the array's `BLOB_*` bits `flags`.
    pub fn finish(self, flags: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(size_of::<ArrayHeader>() + self.items.len());
        let head = ArrayHeader {
            count: self.count,
            flags,
            slot: self.slot as u32,
            _pad0: 0,
        };
        push(&mut out, &head);
        out.extend_from_slice(&self.items);
        out
    }
}

/// The (fd, inode) entries of a `CAP_FD_INODE` blob.
pub fn fd_inodes(d: &[u8]) -> impl Iterator<Item = FdInode> + '_ {
    const ENTRY: usize = size_of::<FdInode>();
    d.as_chunks::<ENTRY>().0.iter().filter_map(|c| read(c))
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::{BLOB_TRUNCATED, IovecEntry};

    #[test]
    fn short_bytes_read_as_none() {
        assert_eq!(read::<FdInode>(&[0; 15]), None);
        assert_eq!(read_at::<u32>(&[1, 0, 0, 0, 2, 0, 0, 0], 4), Some(2));
        assert_eq!(read_at::<u32>(&[0; 8], usize::MAX), None);
    }

    #[test]
    fn strv_blobs_round_trip() {
        let mut w = StrvWriter::new(8);
        w.push(b"ls", 0, 0);
        w.push(b"", u32::from(BLOB_FAULTED), 0x1234);
        w.push(b"0123456789", u32::from(BLOB_TRUNCATED), 0);
        let d = w.finish(0);
        assert_eq!(d.len(), 16 + 3 * 16);
        let items: Vec<_> = strv_items(&d).collect();
        assert_eq!(items.len(), 3);
        assert_eq!(&d[items[0].1..items[0].1 + 2], b"ls");
        assert_eq!(read_at::<u64>(&d, items[1].1), Some(0x1234));
        assert_eq!(items[2].0.len, 8);
    }

    #[test]
    fn iovec_items_stop_where_the_blob_ends() {
        let mut d = vec![];
        let head = ArrayHeader {
            count: 2,
            flags: 0,
            slot: 4,
            _pad0: 0,
        };
        push(&mut d, &head);
        let e = IovecEntry {
            base: 0x10,
            len: 3,
            captured: 3,
            flags: 0,
        };
        push(&mut d, &e);
        // The second entry is missing: only the first is read.
        let items: Vec<_> = iovec_items(&d).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].data, d.len()..d.len());
    }
}
