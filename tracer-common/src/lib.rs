//! The wire format between tracer's kernel programs and its userspace daemon.
//!
//! Everything that crosses the kernel/user boundary is defined here and only here:
//! ring-buffer records, their blobs, and the values of the maps userspace fills.
//! Rules: `#[repr(C)]`, explicit padding fields, fixed-size integers only (no `bool`, enum or
//! `Option` on the wire), and a compile-time size/offset assertion for every type, so the two
//! sides cannot silently drift apart.
#![no_std]

pub mod record;
pub mod spec;
pub mod tls;
pub mod watch;

pub use record::*;
pub use spec::*;
pub use tls::*;
pub use watch::*;

/// Number of syscall arguments on every architecture tracer supports.
pub const MAX_ARGS: usize = 6;

/// Size of the per-syscall spec table; covers every x86_64 syscall number (highest ~470).
pub const SYSCALL_TABLE_LEN: u32 = 512;

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
