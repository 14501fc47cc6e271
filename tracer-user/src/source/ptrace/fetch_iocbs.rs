//! io_submit's iocb pointer array for the ptrace backend (`CAPF_IOCBS`), laid out as the
//! kernel side lays it out: an iovec blob whose entries are the pointers.

use tracer_common::{
    BLOB_FAULTED, IOCB_SIZE, IovecEntry,
    wire::{push, read_at},
};

use super::fetch::{Memory, capped, iovec_blob};

/// The blob of `count` iocb pointers at `ptr`: each slot the iocb and, for an
/// `IOCB_CMD_PWRITE` whose length is not negative, up to `max - IOCB_SIZE` bytes of its
/// buffer (none when they cannot be read); every entry up to `UIO_MAXIOV`, where the kernel
/// side keeps eight.
pub fn iocbs(mem: &dyn Memory, ptr: u64, count: u64, max: usize) -> Vec<u8> {
    let (n, mut flags) = capped(count);
    let mut raw = vec![0u8; n * 8];
    let slot = max.max(IOCB_SIZE);
    let (mut entries, mut slots) = (Vec::new(), vec![0u8; n * slot]);
    if mem.read(ptr, &mut raw) != raw.len() {
        flags |= u32::from(BLOB_FAULTED);
    }
    let count = if flags & u32::from(BLOB_FAULTED) != 0 {
        0
    } else {
        n
    };
    for i in 0..count {
        let base: u64 = read_at(&raw, i * 8).unwrap_or_default();
        let dst = &mut slots[i * slot..(i + 1) * slot];
        let (mut captured, mut eflags) = (0, 0u32);
        if mem.read(base, &mut dst[..IOCB_SIZE]) == IOCB_SIZE {
            captured = IOCB_SIZE + iocb_buffer(mem, dst);
        } else {
            eflags |= u32::from(BLOB_FAULTED);
        }
        let entry = IovecEntry {
            base,
            len: IOCB_SIZE as u64,
            captured: captured as u32,
            flags: eflags,
        };
        push(&mut entries, &entry);
    }
    iovec_blob(&entries, &slots, count, flags, slot)
}

/// The buffer of the iocb at the start of `slot` when it is an `IOCB_CMD_PWRITE` whose length
/// is not negative, read into the rest of the slot as far as its length goes; the bytes read
/// (0 when it cannot be read whole, printed as its address then).
fn iocb_buffer(mem: &dyn Memory, slot: &mut [u8]) -> usize {
    let word = |at: usize| read_at::<u64>(slot, at).unwrap_or_default();
    let opcode = read_at::<u16>(slot, 16).unwrap_or_default();
    let (buf, nbytes) = (word(24), word(32));
    if opcode != 1 || (nbytes as i64) < 0 {
        return 0;
    }
    let n = usize::try_from(nbytes)
        .unwrap_or(usize::MAX)
        .min(slot.len() - IOCB_SIZE);
    match mem.read(buf, &mut slot[IOCB_SIZE..IOCB_SIZE + n]) == n {
        true => n,
        false => 0,
    }
}
