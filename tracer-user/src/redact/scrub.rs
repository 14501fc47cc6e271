//! Zeroing what array blobs' fixed slots hold past each item's captured bytes.

use tracer_common::{
    CAP_EXEC_AREA, CAP_IOVEC, CAP_STRV, EXEC_AREA_ARGV_AT, EXEC_AREA_PATH_AT, EXEC_PATH_CAP,
};

use crate::{
    decode::bytes::{iovec_items, strv_items},
    event::Blob,
};

/// Zeroes what an array blob's fixed slots hold beyond each item's captured bytes: the
/// kernel builds records in a reused scratch area, so those bytes are left from earlier
/// records (another call's data, perhaps a secret). Nothing shows them; a recording would
/// keep them.
pub fn scrub(blob: &mut Blob) {
    let (from, keep): (usize, Vec<std::ops::Range<usize>>) = match blob.kind {
        CAP_IOVEC => {
            let head = tracer_common::wire::read::<tracer_common::ArrayHeader>(&blob.data);
            let from = tracer_common::iovec_slots_at(head.map_or(0, |h| h.count as usize));
            (
                from,
                iovec_items(&blob.data)
                    .into_iter()
                    .map(|i| i.data)
                    .collect(),
            )
        }
        CAP_STRV => {
            let item = size_of::<tracer_common::StrvItem>();
            // A string that could not be read keeps the caller's pointer in its slot.
            let faulted = u32::from(tracer_common::BLOB_FAULTED);
            let keep = strv_items(&blob.data)
                .into_iter()
                .map(|(flags, r)| {
                    let end = if flags & faulted != 0 {
                        r.start + tracer_common::STRV_MIN_SLOT
                    } else {
                        r.end
                    };
                    r.start.saturating_sub(item)..end
                })
                .collect();
            (size_of::<tracer_common::ArrayHeader>(), keep)
        }
        CAP_EXEC_AREA => {
            // The path's slot past the path (and its NUL): with `-v` the same exec's
            // environment strings were built there a moment before, values and all.
            let head = tracer_common::wire::read::<tracer_common::ExecArea>(&blob.data);
            let path = head.map_or(0, |h| h.path_len as usize + 1);
            let slot = EXEC_AREA_PATH_AT..EXEC_AREA_ARGV_AT;
            let keep = vec![
                0..EXEC_AREA_PATH_AT + path.min(EXEC_PATH_CAP),
                slot.end..usize::MAX,
            ];
            (slot.start, keep)
        }
        _ => return,
    };
    zero_outside(&mut blob.data, from, keep);
}

/// Zeroes `data[from..]` outside the `keep` ranges, in one pass over the ranges in order
/// (each byte was checked against every range before: an execve of thousands of strings
/// took seconds, with a ptrace tracee stopped meanwhile). Returns the ranges walked.
fn zero_outside(data: &mut [u8], from: usize, mut keep: Vec<std::ops::Range<usize>>) -> usize {
    keep.sort_unstable_by_key(|r| r.start);
    let mut at = from.min(data.len());
    let mut walked = 0;
    for r in &keep {
        walked += 1;
        let start = r.start.clamp(at, data.len());
        data[at..start].fill(0);
        at = at.max(r.end.min(data.len()));
    }
    data[at..].fill(0);
    walked
}

#[cfg(test)]
mod tests {
    use tracer_common::wire::{StrvWriter, strv_items};

    use super::*;

    #[test]
    fn slots_are_zeroed_past_each_string_in_one_pass() {
        // 20000 strings of 3 bytes in 16-byte slots, the slots' ends dirty.
        let n = 20_000;
        let mut w = StrvWriter::new(16);
        for _ in 0..n {
            w.push(b"K=v", 0, 0x1000);
        }
        let mut data = w.finish(0);
        let starts: Vec<usize> = strv_items(&data).map(|(_, at)| at).collect();
        for &at in &starts {
            data[at + 3..at + 16].fill(0xee);
        }
        let mut blob = Blob::at_exit(1, CAP_STRV, data);
        let before = blob.data.clone();
        scrub(&mut blob);
        assert!(!blob.data.contains(&0xee));
        for &at in &starts {
            assert_eq!(&blob.data[at..at + 3], b"K=v");
        }
        // The headers kept.
        assert_eq!(blob.data[..8], before[..8]);
        // Linear work: each string's range once (checking every byte against every range,
        // as before, was 20000 * 20000 * 24 steps).
        let keep = (0..n).map(|k| k * 10..k * 10 + 5).collect();
        let mut bytes = vec![0xeeu8; n * 10];
        assert_eq!(zero_outside(&mut bytes, 0, keep), n);
        assert_eq!(bytes.iter().filter(|&&b| b == 0xee).count(), n * 5);
        assert_eq!(bytes[5..10], [0; 5]);
    }
}
