//! Fetching argument data from user memory into blobs, as the spec table says.

use aya_ebpf::helpers::generated::bpf_probe_read_user_str;
use tracer_common::{
    ArgCapture, BLOB_FAULTED, BLOB_TRUNCATED, BlobHeader, CAP_CSTR, MAX_RECORD, PATH_CAP,
    blob_padded,
};

const HDR: usize = size_of::<BlobHeader>();

/// Appends the blob for argument `idx` (register value `ptr`) at `off` in the record being
/// built at `base`; returns the offset after it, or None when nothing was appended.
#[inline(always)]
pub fn arg(base: *mut u8, off: usize, idx: u8, cap: &ArgCapture, ptr: u64) -> Option<usize> {
    match cap.kind {
        CAP_CSTR => cstr(base, off, idx, cap.max, ptr),
        _ => None,
    }
}

/// A NUL-terminated string of at most `max` bytes (clamped to PATH_CAP).
#[inline(always)]
fn cstr(base: *mut u8, off: usize, idx: u8, max: u32, ptr: u64) -> Option<usize> {
    const CAP: usize = PATH_CAP as usize;
    // No room left in this record: the argument prints as its address.
    if off > MAX_RECORD - HDR - CAP {
        return None;
    }
    let max = if (max as usize) < CAP {
        max as usize
    } else {
        CAP
    };
    // SAFETY: off + HDR + max <= MAX_RECORD <= SCRATCH_SIZE, checked above.
    let data = unsafe { base.add(off + HDR) };
    // SAFETY: the helper writes at most `max` bytes to `data` and checks the user read.
    let n = unsafe { bpf_probe_read_user_str(data.cast(), max as u32, ptr as *const _) };
    let (len, flags) = if n <= 0 {
        (0, BLOB_FAULTED)
    } else {
        // n counts the NUL; a string that filled the buffer was cut.
        let n = n as usize;
        let flags = if n >= max { BLOB_TRUNCATED } else { 0 };
        (n - 1, flags)
    };
    let hdr = BlobHeader {
        arg: idx,
        kind: CAP_CSTR,
        flags,
        len: len as u32,
    };
    // SAFETY: inside the scratch area, as above.
    unsafe { base.add(off).cast::<BlobHeader>().write_unaligned(hdr) };
    Some(off + HDR + blob_padded(len))
}
