//! io_uring_register's argument, which both backends capture by the call's opcode and
//! `nr_args` (arguments 1 and 3; `CAPF_URING`): how many bytes of the argument, and where the
//! arrays its structs point to are (`IORING_REGISTER_FILES_UPDATE`'s fds, the `data` and
//! `tags` arrays of the rsrc structs).

use crate::{ArgCapture, CAPF_URING, MAX_ARGS};

/// Most entries of `IORING_REGISTER_PROBE`'s ops strace reads (it prints the address above).
pub const URING_PROBE_MAX_OPS: u32 = 256;
/// Bytes of `struct io_uring_rsrc_register` and `struct io_uring_rsrc_update2`.
pub const URING_RSRC_SIZE: u32 = 32;

/// Bytes of io_uring_register's argument for `opcode` with `nargs`: the iovecs of
/// `REGISTER_BUFFERS`, the `struct io_uring_restriction`s and `io_uring_rsrc_update`s (16
/// bytes each), the fds and max-workers counts (4 bytes each), the files-update struct (16),
/// the probe (16 and 8 per op), an rsrc struct (its size, `nargs`), the affinity mask
/// (`nargs` bytes); 0 for an opcode whose argument is not read.
#[inline(always)]
pub const fn uring_arg_size(opcode: u32, nargs: u32) -> usize {
    let n = nargs as usize;
    match opcode {
        // BUFFERS, RESTRICTIONS, RING_FDS, UNREGISTER_RING_FDS.
        0 | 11 | 20 | 21 => n * 16,
        // FILES, EVENTFD, EVENTFD_ASYNC, IOWQ_MAX_WORKERS.
        2 | 4 | 7 | 19 => n * 4,
        6 => 16,
        8 if nargs <= URING_PROBE_MAX_OPS => 16 + 8 * n,
        // FILES2, FILES_UPDATE2, BUFFERS2, BUFFERS_UPDATE: strace reads none below 32.
        13..=16 if nargs >= URING_RSRC_SIZE => n,
        17 => n,
        _ => 0,
    }
}

/// Where an array an io_uring_register struct points to is: the pointer's offset in the
/// struct, the offset of the u32 counting its entries (None: `nr_args` counts them) and the
/// bytes of an entry. `which`: 0 the data (fds or iovecs), 1 the tags.
#[inline(always)]
pub const fn uring_field(opcode: u32, which: u8) -> Option<(u64, Option<u64>, usize)> {
    match (opcode, which) {
        (6, 0) => Some((8, None, 4)),
        (13, 0) => Some((16, Some(0), 4)),
        (15, 0) => Some((16, Some(0), 16)),
        (13 | 15, 1) => Some((24, Some(0), 8)),
        (14, 0) => Some((8, Some(24), 4)),
        (16, 0) => Some((8, Some(24), 16)),
        (14 | 16, 1) => Some((16, Some(24), 8)),
        _ => None,
    }
}

impl ArgCapture {
    /// Whether this is an io_uring_register capture (`CAPF_URING`).
    #[inline(always)]
    pub const fn is_uring(&self) -> bool {
        self.flags & CAPF_URING != 0
    }

    /// For a `CAPF_URING` `CAP_PTR_FIELD`: the pointer's and the count's addresses and the
    /// entry size, for the opcode in argument 1 (`scale` says which array); None when that
    /// opcode's struct has no such array.
    #[inline(always)]
    pub fn uring_field_at(&self, args: &[u64; MAX_ARGS]) -> Option<(u64, Option<u64>, usize)> {
        let base = args.get(usize::from(self.size_arg)).copied().unwrap_or(0);
        let (ptr, count, unit) = uring_field(args[1] as u32, self.scale)?;
        Some((
            base.wrapping_add(ptr),
            count.map(|c| base.wrapping_add(c)),
            unit,
        ))
    }

    /// For a `CAPF_URING` `CAP_PTR_FIELD`: the bytes of the array, its entries counted by the
    /// u32 read (`count`: None when it could not be read) or by `nr_args`.
    #[inline(always)]
    pub fn uring_field_bytes(counted: bool, count: Option<u32>, nargs: u64, unit: usize) -> usize {
        let n = if counted {
            count.unwrap_or(0) as usize
        } else {
            nargs as u32 as usize
        };
        n * unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_the_opcode() {
        assert_eq!(uring_arg_size(0, 2), 32);
        assert_eq!(uring_arg_size(8, 4), 48);
        assert_eq!(uring_arg_size(8, 257), 0);
        assert_eq!(uring_arg_size(13, 16), 0);
        assert_eq!(uring_arg_size(13, 48), 48);
        assert_eq!(uring_arg_size(3, 5), 0);
        assert_eq!(uring_field(14, 1), Some((16, Some(24), 8)));
        assert_eq!(uring_field(2, 0), None);
    }
}
