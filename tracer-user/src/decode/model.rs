//! The decoded model: what a syscall means, independent of how it is printed.

use std::borrow::Cow;

/// One rendered argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Signed decimal.
    Int(i64),
    /// Unsigned decimal.
    UInt(u64),
    /// Hexadecimal (`0x…`), for values strace shows in hex.
    Hex(u64),
    /// A pointer: `NULL` or `0x…`.
    Ptr(u64),
    /// A mode: octal with a leading 0, at least three digits (`0644`, `000`).
    Octal(u64),
    /// A string read from the tracee: quoted and escaped; `…` after it when truncated.
    Str { bytes: Vec<u8>, truncated: bool },
    /// Already symbolic: flag names, named constants (`AT_FDCWD`, `O_RDONLY|O_CLOEXEC`).
    Sym(Cow<'static, str>),
}

/// The outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// A plain value, decimal.
    Value(i64),
    /// An address, hex.
    Addr(u64),
    /// `-1 ENAME (text)`.
    Error(u32),
    /// A kernel restart code: `? ENAME (text)`.
    Restart(u32),
    /// The syscall did not return (exit_group): `?`.
    Unknown,
}

/// One syscall, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syscall {
    pub tgid: u32,
    pub tid: u32,
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub name: Cow<'static, str>,
    pub args: Vec<Arg>,
    pub ret: Ret,
    /// The start of the call was not seen (tracing began while it was in progress).
    pub resumed: bool,
}
