//! File-system syscalls with dedicated decoders.

use crate::{
    decode::{Arg, generic::dirfd, string_arg},
    event::RawSyscall,
    tables::flags::{O_CREAT, O_TMPFILE_BIT, open_flags},
};

/// Dedicated decoders by syscall name; None means "use the generic one".
pub fn decode(name: &str, raw: &RawSyscall) -> Option<Vec<Arg>> {
    match name {
        "openat" => Some(openat(raw)),
        "open" => Some(open(raw)),
        "creat" => Some(vec![string_arg(raw, 0), Arg::Octal(raw.args[1] & 0o7777)]),
        _ => None,
    }
}

/// `flags[, mode]`: the mode only when the flags make the kernel use it, as strace prints.
fn flags_and_mode(flags: u64, mode: u64, out: &mut Vec<Arg>) {
    let flags = u64::from(flags as u32);
    out.push(Arg::Sym(open_flags(flags).into()));
    if flags & (O_CREAT | O_TMPFILE_BIT) != 0 {
        out.push(Arg::Octal(mode & 0o7777));
    }
}

fn openat(raw: &RawSyscall) -> Vec<Arg> {
    let mut args = vec![dirfd(raw.args[0]), string_arg(raw, 1)];
    flags_and_mode(raw.args[2], raw.args[3], &mut args);
    args
}

fn open(raw: &RawSyscall) -> Vec<Arg> {
    let mut args = vec![string_arg(raw, 0)];
    flags_and_mode(raw.args[1], raw.args[2], &mut args);
    args
}
