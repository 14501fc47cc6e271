//! The mount API's arguments that depend on each other, as strace 6.1 prints them:
//! fsconfig's value and aux by command, and mount_setattr's struct mount_attr.

use super::{
    Arg, Ctx, Ret, Syscall, bytes::u64_at, dirfd, enum_value, flags::flags, structs::nonzero_tail,
};
use crate::tables::mount_gen::{MOUNT_PROPAGATIONS, MOUNT_SETATTR_ATTRS};

const FSCONFIG_SET_STRING: u32 = 1;
const FSCONFIG_SET_BINARY: u32 = 2;
const FSCONFIG_SET_PATH: u32 = 3;
const FSCONFIG_SET_PATH_EMPTY: u32 = 4;
const FSCONFIG_SET_FD: u32 = 5;
const FSCONFIG_CMD_RECONFIGURE: u32 = 7;
/// Bytes of the first struct mount_attr (`MOUNT_ATTR_SIZE_VER0`): a smaller size prints as
/// an address.
const MOUNT_ATTR_SIZE_VER0: u64 = 32;

/// fsconfig(fd, cmd, key, value, aux): the value as the command reads it (a string, bytes in
/// hex, a path), aux as a dirfd for paths and an fd for SET_FD; an unknown command's key and
/// value as addresses.
pub fn fsconfig(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let cmd = ctx.arg(1) as u32;
    let aux = ctx.arg(4) as u32 as i32;
    if cmd > FSCONFIG_CMD_RECONFIGURE {
        sc.args[2] = Arg::Ptr(ctx.arg(2));
        sc.args[3] = Arg::Ptr(ctx.arg(3));
        return;
    }
    sc.args[3] = match cmd {
        FSCONFIG_SET_STRING => super::string(ctx, 3),
        FSCONFIG_SET_BINARY => binary(ctx, aux),
        FSCONFIG_SET_PATH | FSCONFIG_SET_PATH_EMPTY => super::path(ctx, 3),
        _ => Arg::Ptr(ctx.arg(3)),
    };
    sc.args[4] = match cmd {
        FSCONFIG_SET_PATH | FSCONFIG_SET_PATH_EMPTY => dirfd(u64::from(aux as u32)),
        FSCONFIG_SET_FD => Arg::Fd(aux),
        _ => Arg::Int(i64::from(aux)),
    };
}

/// SET_BINARY's `aux` bytes, every one in hex (cut at `-s`).
fn binary(ctx: &Ctx<'_>, aux: i32) -> Arg {
    match ctx.blob(3) {
        Some(b) if !b.faulted && aux >= 0 => {
            let len = b.data.len().min(aux as usize);
            let limit = ctx.opts.strsize;
            Arg::Str {
                bytes: b.data[..len.min(limit)].to_vec(),
                truncated: len > limit,
                hex: true,
                data: false,
            }
        }
        _ => Arg::Ptr(ctx.arg(3)),
    }
}

/// mount_setattr(dirfd, path, flags, attr, size): `{attr_set=..., attr_clr=...,
/// propagation=..., userns_fd=...}` when the size holds the first version of the struct. Its
/// 0 is an fd, as strace 6.1's decoder returns it (`RVAL_FD`: `= 0</dev/null>` with `-y`).
pub fn mount_setattr(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if let Ret::Value(v) = sc.ret {
        sc.ret = Ret::Fd(v as i32);
    }
    let addr = ctx.arg(3);
    let attr = ctx
        .data(3)
        .filter(|_| addr != 0 && ctx.arg(4) >= MOUNT_ATTR_SIZE_VER0)
        .and_then(|d| mount_attr(ctx, d));
    sc.args[3] = attr.unwrap_or(Arg::Ptr(addr));
}

/// `struct mount_attr`: `userns_fd` an fd (`-y` names it) only when the call sets or clears
/// `MOUNT_ATTR_IDMAP` and it fits an int, else the number; the bytes past the struct that
/// are not all zero.
fn mount_attr(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let word = |at: usize| u64_at(d, at);
    // strace names a propagation type only by value; 0 has no name (`0 /* MS_??? */`).
    let propagation = word(16)?;
    let (set, clr, userns) = (word(0)?, word(8)?, word(24)?);
    let idmap = MOUNT_SETATTR_ATTRS.value("MOUNT_ATTR_IDMAP").unwrap_or(0);
    let userns_fd = match (set | clr) & idmap != 0 && userns <= i32::MAX as u64 {
        true => Arg::Fd(userns as i32),
        false => Arg::UInt(userns),
    };
    let mut fields = vec![
        ("attr_set", flags(MOUNT_SETATTR_ATTRS, set)),
        ("attr_clr", flags(MOUNT_SETATTR_ATTRS, clr)),
        ("propagation", enum_value(MOUNT_PROPAGATIONS, propagation)),
        ("userns_fd", userns_fd),
    ];
    if let Some(tail) = nonzero_tail(ctx, d, 32, ctx.arg(4)) {
        fields.push(("", tail));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}
