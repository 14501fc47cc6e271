//! Little-endian field access on captured bytes.

/// The u32 at `at`, if the data is long enough.
pub fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

pub fn i32_at(data: &[u8], at: usize) -> Option<i32> {
    u32_at(data, at).map(|v| v as i32)
}

pub fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

pub fn u64_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

pub fn i64_at(data: &[u8], at: usize) -> Option<i64> {
    u64_at(data, at).map(|v| v as i64)
}

/// A NUL-terminated string inside a fixed field.
pub fn cstr_at(data: &[u8], at: usize, len: usize) -> &[u8] {
    let field = data.get(at..(at + len).min(data.len())).unwrap_or_default();
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    &field[..end]
}

pub use tracer_common::wire::IovItem;

/// The buffers of a `CAP_IOVEC` blob (`ArrayHeader`, entries, then fixed slots), as far as
/// the blob holds them.
pub fn iovec_items(d: &[u8]) -> Vec<IovItem> {
    tracer_common::wire::iovec_items(d).collect()
}

/// Whether a `CAP_IOVEC` blob holds the array: not when reading the array itself faulted
/// (strace prints its address then, and dumps nothing).
pub fn iovec_readable(d: &[u8]) -> bool {
    tracer_common::wire::read::<tracer_common::ArrayHeader>(d)
        .is_some_and(|h| h.flags & u32::from(tracer_common::BLOB_FAULTED) == 0)
}

/// Whether a `CAP_IOVEC` blob has entries to print: the whole array, or the entries before
/// an unreadable one (strace prints those, then `... /* 0xADDR */`).
pub fn iovec_shown(d: &[u8]) -> bool {
    tracer_common::wire::read::<tracer_common::ArrayHeader>(d)
        .is_some_and(|h| h.flags & u32::from(tracer_common::BLOB_FAULTED) == 0 || h.count > 0)
}

/// The strings of a `CAP_STRV` blob (execve's argv): each one's `BLOB_*` bits and where its
/// bytes are.
pub fn strv_items(d: &[u8]) -> Vec<(u32, std::ops::Range<usize>)> {
    tracer_common::wire::strv_items(d)
        .map(|(item, at)| (item.flags, at..(at + item.len as usize).min(d.len())))
        .collect()
}
