//! File-system and descriptor syscalls whose rendering depends on other arguments or on the
//! outcome: open's mode, access modes, statx, getdents64, getcwd.

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{u16_at, u64_at},
        flags::{flags, open_flags, push_bits},
        model::Flag,
    },
    tables::flags::MODE_MASK,
    tables::{
        flags::{O_CREAT, O_TMPFILE_BIT, Xlat},
        ioctl_args_gen::RESOLVE_FLAGS,
        xlat::{ACCESS_MODES, STATX_FLAGS, STATX_SYNC},
    },
};

/// open: `flags[, mode]`.
pub fn open(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args.truncate(1);
    flags_and_mode(ctx.arg(1), ctx.arg(2), &mut sc.args);
}

/// openat: `dirfd, path, flags[, mode]`.
pub fn openat(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args.truncate(2);
    flags_and_mode(ctx.arg(2), ctx.arg(3), &mut sc.args);
}

/// access: `F_OK` or `R_OK|W_OK|X_OK`.
pub fn access(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[1] = access_mode(ctx.arg(1));
}

/// faccessat, faccessat2: the mode after the dirfd and path.
pub fn faccessat(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[2] = access_mode(ctx.arg(2));
}

/// statx: its `AT_*` flags and sync type.
pub fn statx(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[2] = statx_flags(ctx.arg(2));
}

/// umask: the old mask, in octal.
pub fn umask(_ctx: &Ctx<'_>, sc: &mut Syscall) {
    if let Ret::Value(v) = sc.ret {
        sc.ret = Ret::Octal(v as u64);
    }
}

/// getcwd: the directory, without the terminating NUL the return value counts.
pub fn getcwd(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if !ctx.failed()
        && let Some(data) = ctx.data(0)
    {
        let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        sc.args[0] = Arg::str(&data[..end], false);
    }
}

/// getrandom: the random bytes, in hex as strace prints them.
pub fn getrandom(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if !ctx.failed()
        && let Some(b) = ctx.blob(0).filter(|b| !b.faulted)
    {
        let limit = ctx.opts.strsize;
        sc.args[0] = Arg::Str {
            bytes: b.data[..b.data.len().min(limit)].to_vec(),
            truncated: b.truncated || b.data.len() > limit,
            hex: true,
            data: true,
        };
    } else if !ctx.failed() && ctx.raw.ret == 0 && ctx.arg(0) != 0 {
        // Nothing written, nothing fetched: strace prints the empty string.
        sc.args[0] = Arg::str(b"", false);
    }
}

/// openat2: `{flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}`, the mode between when
/// the flags use it or it is set (strace's print_open_how); the address when the size is
/// smaller than the struct.
pub fn openat2(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let Some(d) = ctx.data(2).filter(|d| ctx.arg(3) >= 24 && d.len() >= 24) else {
        return;
    };
    let [flags, mode, resolve] = [0, 8, 16].map(|at| u64_at(d, at).unwrap_or(0));
    let mut fields = vec![("flags", open_flags(flags))];
    if flags & (O_CREAT | O_TMPFILE_BIT) != 0 || mode != 0 {
        fields.push(("mode", Arg::Octal(mode)));
    }
    fields.push(("resolve", self::flags(RESOLVE_FLAGS, resolve)));
    if let Some(tail) = super::structs::nonzero_tail(ctx, d, 24, ctx.arg(3)) {
        fields.push(("", tail));
    }
    sc.args[2] = Arg::Struct {
        fields,
        more: false,
    };
}

/// `flags[, mode]`: the mode only when the flags make the kernel use it, as strace prints.
fn flags_and_mode(flags: u64, mode: u64, out: &mut Vec<Arg>) {
    let flags = u64::from(flags as u32);
    out.push(open_flags(flags));
    if flags & (O_CREAT | O_TMPFILE_BIT) != 0 {
        out.push(Arg::Octal(mode & MODE_MASK));
    }
}

/// `F_OK` or `R_OK|W_OK|X_OK`.
fn access_mode(v: u64) -> Arg {
    let v = u64::from(v as u32);
    if v == 0 {
        super::flags::constant(Arg::Hex(0), "F_OK")
    } else {
        flags(ACCESS_MODES, v)
    }
}

/// statx flags: the sync type first (as flags: `AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC`
/// for both bits, as strace's printflags), then the AT_* flags.
fn statx_flags(v: u64) -> Arg {
    let v = u64::from(v as u32);
    let (sync, bits) = (v & 0x6000, v & !0x6000);
    let mut parts = Vec::new();
    match STATX_SYNC.name(0) {
        Some(name) if sync == 0 => parts.push(Flag::name(name)),
        _ => push_bits(STATX_SYNC, sync, &mut parts),
    }
    let sync_parts = Arg::Flags(parts.clone());
    push_bits(STATX_FLAGS, bits, &mut parts);
    let shown = Arg::Flags(parts);
    // strace prints the sync type and the flags as two numbers, and a zero sync type as
    // nothing with -X raw (`|0x900`), `0 /* AT_STATX_SYNC_AS_STAT */` with -X verbose.
    let sync_number = if sync == 0 {
        Arg::Raw(String::new())
    } else {
        Arg::Hex(sync)
    };
    let sync = Arg::constant(sync_number, sync_parts);
    if bits == 0 {
        return Arg::constant(Arg::Or(vec![sync]), shown);
    }
    Arg::constant(Arg::Or(vec![sync, flags(STATX_FLAGS, bits)]), shown)
}

/// `0x... /* 139 entries */`: getdents64 (and getdents, `old`: `struct linux_dirent`) counts
/// the records it returned, `/* 0 entries */` for none; with `-v` lists them (strace's
/// xgetdents).
pub fn dirents(ctx: &Ctx<'_>, i: usize, old: bool) -> Arg {
    let ptr = Arg::Ptr(ctx.arg(i));
    // Outside -e verbose= even an empty read is not looked at (no count); nor is a length
    // past the buffer's size (strace: "kernel gone bananas").
    if ctx.failed() || !ctx.verbose() || ctx.raw.ret as u64 > u64::from(ctx.arg(i + 1) as u32) {
        return ptr;
    }
    let data = if ctx.raw.ret == 0 {
        &[][..]
    } else {
        match ctx.data(i) {
            Some(d) => d,
            None => return ptr,
        }
    };
    let mut entries = Vec::new();
    let mut at = 0;
    while let Some(reclen) = u16_at(data, at + 16) {
        if reclen == 0 {
            break;
        }
        entries.push(at);
        at += usize::from(reclen);
    }
    if ctx.abbrev() {
        return Arg::Commented(Box::new(ptr), format!("{} entries", entries.len()));
    }
    // -v: each record (strace's print_dirent64), `...` when the call returned more than was
    // captured.
    let items = entries
        .iter()
        .map_while(|&at| match old {
            false => dirent64(data.get(at..)?),
            true => old_dirent(data.get(at..)?),
        })
        .collect::<Vec<_>>();
    let more = items.len() < entries.len() || (data.len() as i64) < ctx.raw.ret;
    Arg::Array { items, more }
}

/// File types of a `struct linux_dirent64`'s d_type (glibc's dirent.h `DT_*`).
const DIRENT_TYPES: Xlat = Xlat::new(
    "DT_",
    &[
        ("DT_UNKNOWN", 0),
        ("DT_FIFO", 1),
        ("DT_CHR", 2),
        ("DT_DIR", 4),
        ("DT_BLK", 6),
        ("DT_REG", 8),
        ("DT_LNK", 10),
        ("DT_SOCK", 12),
        ("DT_WHT", 14),
    ],
);

/// `{d_ino=..., d_off=..., d_reclen=24, d_name=".", d_type=DT_DIR}`: getdents's `struct
/// linux_dirent`, its name after an 18-byte head and its type in the record's last byte.
fn old_dirent(d: &[u8]) -> Option<Arg> {
    let reclen = usize::from(u16_at(d, 16)?);
    let mut fields = vec![
        ("d_ino", Arg::UInt(u64_at(d, 0)?)),
        ("d_off", Arg::UInt(u64_at(d, 8)?)),
        ("d_reclen", Arg::UInt(reclen as u64)),
    ];
    // strace's decode_dentry_tail: the name (up to its NUL) only when the record has room
    // for one besides the type byte, at most 256 bytes.
    if reclen > 18 {
        let name_len = (reclen - 19).min(256);
        if name_len > 0 {
            let name = d.get(18..18 + name_len)?;
            let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(name.len())];
            fields.push(("d_name", Arg::str(name, false)));
        }
        let kind = *d.get(reclen - 1)?;
        fields.push(("d_type", super::enum_value(DIRENT_TYPES, u64::from(kind))));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `{d_ino=..., d_off=..., d_reclen=24, d_type=DT_DIR, d_name="."}`.
fn dirent64(d: &[u8]) -> Option<Arg> {
    let reclen = usize::from(u16_at(d, 16)?);
    let name = d.get(19..reclen.min(d.len()))?;
    let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(name.len())];
    Some(Arg::Struct {
        fields: vec![
            ("d_ino", Arg::UInt(u64_at(d, 0)?)),
            ("d_off", Arg::UInt(u64_at(d, 8)?)),
            ("d_reclen", Arg::UInt(reclen as u64)),
            (
                "d_type",
                super::enum_value(DIRENT_TYPES, u64::from(*d.get(18)?)),
            ),
            ("d_name", Arg::str(name, false)),
        ],
        more: false,
    })
}
