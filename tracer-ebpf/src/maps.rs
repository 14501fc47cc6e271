//! The maps shared with userspace, and the kernel-private per-thread state.

use aya_ebpf::{
    macros::map,
    maps::{Array, HashMap, PerCpuArray, RingBuf},
};
use tracer_common::{LossCounters, SCRATCH_SIZE, SYSCALL_TABLE_LEN, SyscallSpec, TracedProc};

/// Traced processes by tgid. Filled by userspace.
#[map]
pub static TRACED: HashMap<u32, TracedProc> = HashMap::with_max_entries(8192, 0);

/// What sys_enter saw, per thread, until sys_exit. Never read by userspace.
#[repr(C)]
pub struct Inflight {
    pub ts_enter: u64,
    pub nr: u32,
    pub flags: u32,
    pub args: [u64; 6],
}

#[map]
pub static INFLIGHT: HashMap<u32, Inflight> = HashMap::with_max_entries(16384, 0);

/// The capture table, indexed by syscall number. Filled by userspace.
#[map]
pub static SPECS: Array<SyscallSpec> = Array::with_max_entries(SYSCALL_TABLE_LEN, 0);

/// Records for userspace. Userspace sets the size (`--ring-size`).
#[map]
pub static EVENTS: RingBuf = RingBuf::with_byte_size(8 << 20, 0);

/// Ring-buffer write failures, per CPU.
#[map]
pub static LOSSES: PerCpuArray<LossCounters> = PerCpuArray::with_max_entries(1, 0);

/// Where records are assembled before one copy into the ring buffer (too big for the stack).
#[map]
pub static SCRATCH: PerCpuArray<[u8; SCRATCH_SIZE]> = PerCpuArray::with_max_entries(1, 0);
