//! Decoding from the declared C type of each parameter, for syscalls whose row gives no
//! argument kinds.

use crate::{
    decode::{Arg, Ctx, dirfd, path},
    tables::{Param, SyscallDef, flags::MODE_MASK},
};

/// Parameter names that hold a directory fd for the *at() family.
const DIRFD_NAMES: &[&str] = &["dfd", "olddfd", "newdfd", "dirfd"];
/// Parameter names that hold a file descriptor.
const FD_NAMES: &[&str] = &[
    "fd", "oldfd", "newfd", "fd_in", "fd_out", "out_fd", "in_fd", "epfd", "pidfd",
];

/// C types that are 32-bit signed in the kernel ABI.
const INT32: &[&str] = &[
    "int",
    "const int",
    "pid_t",
    "key_t",
    "clockid_t",
    "const clockid_t",
    "mqd_t",
    "timer_t",
    "key_serial_t",
];
/// C types that are 32-bit unsigned.
const UINT32: &[&str] = &[
    "unsigned int",
    "unsigned",
    "u32",
    "const __u32",
    "uid_t",
    "gid_t",
    "qid_t",
    "rwf_t",
];
/// C types that are 64-bit signed.
const INT64: &[&str] = &["long", "off_t", "loff_t"];
/// Typedefs that are pointers without a `*` in their name.
const POINTER_TYPEDEFS: &[&str] = &["cap_user_header_t", "cap_user_data_t"];

pub fn by_declared_types(def: &SyscallDef, ctx: &Ctx<'_>) -> Vec<Arg> {
    match def.params {
        Some(params) => params
            .iter()
            .enumerate()
            .map(|(i, p)| by_type(p, i, ctx))
            .collect(),
        None => ctx.raw.args.iter().map(|&v| Arg::Hex(v)).collect(),
    }
}

/// Renders argument `i`, declared as `param`.
fn by_type(param: &Param, i: usize, ctx: &Ctx<'_>) -> Arg {
    let value = ctx.arg(i);
    if param.is_input_string() {
        return path(ctx, i);
    }
    if DIRFD_NAMES.contains(&param.name) {
        return dirfd(value);
    }
    if FD_NAMES.contains(&param.name) {
        return Arg::Fd(value as i32);
    }
    let ty = param.ty;
    if ty.contains('*') || POINTER_TYPEDEFS.contains(&ty) {
        Arg::Ptr(value)
    } else if INT32.contains(&ty) {
        Arg::Int(i64::from(value as i32))
    } else if UINT32.contains(&ty) && param.name == "flags" {
        // Flags without a table: strace prints them in hex (`0xffffffff`, `0`).
        Arg::Hex(u64::from(value as u32))
    } else if UINT32.contains(&ty) {
        Arg::UInt(u64::from(value as u32))
    } else if INT64.contains(&ty) {
        Arg::Int(value as i64)
    } else if ty == "umode_t" {
        Arg::Octal(value & MODE_MASK)
    } else {
        Arg::UInt(value)
    }
}
