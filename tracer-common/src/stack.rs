//! `-k`: the user registers and the top of the user stack at sys_enter, for unwinding with
//! DWARF CFI in userspace (as `perf --call-graph dwarf` copies them).

use crate::RecordHeader;

/// The registers and stack copy of a traced task at a syscall's entry (`StackRecord`, then
/// `len` bytes of stack from `sp` up). The call's own record follows it for the same thread.
pub const KIND_STACK: u16 = 8;

/// Bytes of user stack copied from the stack pointer up (perf's default dump size).
pub const STACK_COPY: usize = 8192;

/// The stack is copied in chunks of this size; a chunk that faults (the top of the stack
/// mapping) is retried up to its page's end.
pub const STACK_CHUNK: usize = 512;

/// `StackRecord::flags`: reading the stack stopped early (it ends `len` bytes above `sp`).
pub const STACK_SHORT: u32 = 1 << 0;

/// Body of `KIND_STACK` records; the record is always `size_of::<StackSample>()` long and
/// `len` says how much of `data` was read.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackRecord {
    pub hdr: RecordHeader,
    pub tgid: u32,
    pub tid: u32,
    /// The user instruction pointer (after the `syscall` instruction).
    pub ip: u64,
    /// The user stack pointer: the address of `data[0]`.
    pub sp: u64,
    /// The user frame pointer (rbp).
    pub bp: u64,
    /// Bytes of `data` read.
    pub len: u32,
    /// `STACK_*` bits.
    pub flags: u32,
    /// When the copy was taken (`bpf_ktime_get_ns`, CLOCK_MONOTONIC): the mappings in force
    /// then are the ones its addresses are named with.
    pub ts: u64,
}

/// A whole `KIND_STACK` record as the kernel reserves it in the ring buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StackSample {
    pub rec: StackRecord,
    pub data: [u8; STACK_COPY],
}

const _: () = {
    assert!(size_of::<StackRecord>() == 64);
    assert!(core::mem::offset_of!(StackRecord, ip) == 24);
    assert!(core::mem::offset_of!(StackRecord, len) == 48);
    assert!(size_of::<StackSample>() == 64 + STACK_COPY);
    assert!(size_of::<StackSample>() <= crate::MAX_RECORD);
    assert!(STACK_COPY.is_multiple_of(STACK_CHUNK));
    assert!(STACK_CHUNK.is_power_of_two());
};
