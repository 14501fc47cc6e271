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

/// One buffer of a `CAP_IOVEC` blob: the iovec's fields and where its captured bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IovItem {
    pub base: u64,
    pub len: u64,
    /// `BLOB_*` bits.
    pub flags: u32,
    /// The captured bytes, within the blob.
    pub data: std::ops::Range<usize>,
}

/// The buffers of a `CAP_IOVEC` blob (`ArrayHeader`, entries, then fixed slots), as far as
/// the blob holds them.
pub fn iovec_items(d: &[u8]) -> Vec<IovItem> {
    let entry = size_of::<tracer_common::IovecEntry>();
    let head = size_of::<tracer_common::ArrayHeader>();
    let n = u32_at(d, 0).unwrap_or(0) as usize;
    let slot = u32_at(d, 8).unwrap_or(0) as usize;
    let slots_at = head + n * entry;
    let mut items = Vec::new();
    for k in 0..n {
        let at = head + k * entry;
        let (Some(base), Some(len), Some(captured), Some(flags)) = (
            u64_at(d, at),
            u64_at(d, at + 8),
            u32_at(d, at + 16),
            u32_at(d, at + 20),
        ) else {
            break;
        };
        let start = (slots_at + k * slot).min(d.len());
        let end = (start + captured as usize).min(d.len());
        items.push(IovItem {
            base,
            len,
            flags,
            data: start..end,
        });
    }
    items
}

/// The strings of a `CAP_STRV` blob (execve's argv): each one's `BLOB_*` bits and where its
/// bytes are.
pub fn strv_items(d: &[u8]) -> Vec<(u32, std::ops::Range<usize>)> {
    let head = size_of::<tracer_common::ArrayHeader>();
    let item = size_of::<tracer_common::StrvItem>();
    let (Some(count), Some(slot)) = (u32_at(d, 0), u32_at(d, 8)) else {
        return Vec::new();
    };
    let stride = item + slot as usize;
    let mut items = Vec::new();
    for k in 0..count as usize {
        let at = head + k * stride;
        let (Some(len), Some(flags)) = (u32_at(d, at), u32_at(d, at + 4)) else {
            break;
        };
        let start = (at + item).min(d.len());
        items.push((flags, start..(start + len as usize).min(d.len())));
    }
    items
}
