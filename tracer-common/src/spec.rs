//! The capture table: for each syscall number, what the kernel fetches for each argument.
//!
//! Userspace fills the `SPECS` array map from its syscall table at startup; the kernel program
//! interprets it, so supporting a new pointer argument is a table row, not kernel code.

/// Nothing to fetch: the raw register value is enough.
pub const CAP_NONE: u8 = 0;
/// A NUL-terminated string (a path, mostly), up to `max` bytes.
pub const CAP_CSTR: u8 = 1;

/// Fetch at sys_enter (input data that may be gone at exit, e.g. execve's filename).
pub const PHASE_ENTER: u8 = 1;
/// Fetch at sys_exit from the pointer saved at enter (output data, or input still valid).
pub const PHASE_EXIT: u8 = 2;

/// How to capture one argument.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArgCapture {
    /// One of the `CAP_*` kinds.
    pub kind: u8,
    /// `PHASE_ENTER` or `PHASE_EXIT`.
    pub phase: u8,
    pub _pad0: u16,
    /// Most bytes to copy.
    pub max: u32,
}

/// The syscall does not return to the caller (exit, exit_group): report it at enter.
pub const SPEC_NO_RETURN: u32 = 1 << 0;
/// The syscall is selected for tracing (cleared for syscalls a `-e trace=` filter drops).
pub const SPEC_TRACED: u32 = 1 << 1;
/// Some argument is fetched at sys_enter: emit a `KIND_SYSCALL_ENTER` record there.
pub const SPEC_CAPTURE_ENTER: u32 = 1 << 2;

/// One row of the capture table.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallSpec {
    /// `SPEC_*` bits.
    pub flags: u32,
    pub _pad0: u32,
    pub args: [ArgCapture; crate::MAX_ARGS],
}

/// The process is registered but not traced until its next execve (a launched command is
/// registered between fork and exec; its setup syscalls are not the user's).
pub const TRACED_WAIT_EXEC: u32 = 1 << 0;

/// Value of the `TRACED` map, keyed by tgid.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TracedProc {
    /// `TRACED_*` bits.
    pub flags: u32,
    pub _pad0: u32,
}

/// Longest path the kernel fetches (PATH_MAX).
pub const PATH_CAP: u32 = 4096;

const _: () = {
    assert!(size_of::<ArgCapture>() == 8);
    assert!(size_of::<SyscallSpec>() == 56);
    assert!(size_of::<TracedProc>() == 8);
    assert!((PATH_CAP as usize) + size_of::<crate::BlobHeader>() < crate::MAX_RECORD);
};
