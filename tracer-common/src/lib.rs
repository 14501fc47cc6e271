//! The wire format between tracer's kernel programs and its userspace daemon.
//!
//! Everything that crosses the kernel/user boundary is defined here and only here:
//! ring-buffer records, their blobs, and the values of the maps userspace fills.
//! Rules: `#[repr(C)]`, explicit padding fields, fixed-size integers only (no `bool`, enum or
//! `Option` on the wire), and a compile-time size/offset assertion for every type, so the two
//! sides cannot silently drift apart.
#![no_std]

pub mod blob;
pub mod record;
pub mod rules;
pub mod spec;
pub mod stack;
pub mod tls;
pub mod uring;
pub mod watch;
#[cfg(feature = "user")]
pub mod wire;

pub use blob::*;
pub use record::*;
pub use rules::*;
pub use spec::*;
pub use stack::*;
pub use tls::*;
pub use uring::*;
pub use watch::*;

/// Number of syscall arguments on every architecture tracer supports.
pub const MAX_ARGS: usize = 6;

/// Syscall numbers with a row of their own in the spec table: every x86_64 number (highest
/// ~470; 512 and up is the x32 range).
pub const SYSCALL_NUMBERS: u32 = 512;

/// The spec table's one row for every number past `SYSCALL_NUMBERS`, and for negative ones
/// (`syscall(-1)`, x32 numbers, `syscall(1231)`): none has a syscall here, and strace shows
/// each as `syscall_0x4cf(...)`.
pub const OUT_OF_RANGE_ROW: u32 = SYSCALL_NUMBERS;

/// Size of the per-syscall spec table: a row per number, and `OUT_OF_RANGE_ROW`.
pub const SYSCALL_TABLE_LEN: u32 = SYSCALL_NUMBERS + 1;

/// The spec table's row for syscall number `nr` (as a u32: a negative number wraps).
#[inline(always)]
pub const fn spec_row(nr: u32) -> u32 {
    if nr < SYSCALL_NUMBERS {
        nr
    } else {
        OUT_OF_RANGE_ROW
    }
}

/// A type that crosses the kernel/user boundary as raw bytes: `#[repr(C)]`, integers and arrays
/// of integers only, no implicit padding (each has a size assert next to its definition), so
/// it is valid for any bit pattern and every byte of it is initialised.
///
/// # Safety
/// Implement it only for types that meet all of the above; `wire` reads them from and writes
/// them to bytes on that promise.
pub unsafe trait Wire: Copy + 'static {}

macro_rules! wire_types {
    ($($t:ty),* $(,)?) => {
        // SAFETY: each is #[repr(C)] with integer fields and explicit padding (size-asserted
        // where it is defined), or a plain integer.
        $(unsafe impl Wire for $t {})*
    };
}

wire_types!(
    u16,
    u32,
    u64,
    RecordHeader,
    SyscallRecord,
    ProcRecord,
    AdoptRecord,
    SignalRecord,
    BlobHeader,
    TlsRecord,
    StackRecord,
    ArrayHeader,
    IovecEntry,
    UserIovec,
    StrvItem,
    FdInode,
    SockInfo,
    SockProto,
    ExecArea,
    Msghdr,
    U32InOut,
);

#[cfg(feature = "user")]
mod pod {
    // SAFETY: all these types are #[repr(C)], contain only integers and arrays of integers,
    // and have no implicit padding (see the size asserts next to each definition).
    unsafe impl aya::Pod for super::SyscallSpec {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::TracedProc {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::LossCounters {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::Inflight {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::SockOffsets {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::MmOffsets {}
}
