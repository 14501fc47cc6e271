//! The long tail's syscalls whose arguments depend on one another or on the outcome, as
//! strace 6.1 prints them (found by the sweep, tests/root_sweep.rs): mknod's device only for
//! a device's mode, kcmp's indexes by type, a memory policy's mode and flags, ustat's
//! device, the policy sched_getscheduler returns, time's date, arch_prctl's unknown codes,
//! open_by_handle_at's open flags, memfd_create's huge page size,
//! preadv2/pwritev2's one offset and flags.

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{i32_at, u32_at, u64_at},
        enum_value, flags,
        ipc::HUGE_SHIFT,
        model::Flag,
        values::utc_date,
    },
    tables::{
        longtail_gen::{KCMP_TYPES, MPOL_MODE_FLAGS, MPOL_MODES, RWF_FLAGS},
        xlat::{
            ARCH_PRCTL_CODES, FILE_TYPES, MEMFD_FLAGS, SCHED_POLICIES, SWAP_FLAGS, XFEATURE_MASKS,
        },
    },
};

/// swapon's priority bits (glibc's sys/swap.h).
const SWAP_FLAG_PRIO_MASK: u32 = 0x7fff;

/// The file type bits of a mode.
const S_IFMT: u64 = 0o170000;

/// Runs the fix-up of the call `sc` is.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    match &*sc.name {
        "mknod" => mknod(ctx, sc, 1),
        "mknodat" => mknod(ctx, sc, 2),
        "ustat" => sc.args[0] = makedev(ctx.arg(0) as u32),
        "kcmp" => kcmp(ctx, sc),
        "mbind" => sc.args[2] = mempolicy_mode(ctx.arg(2)),
        "set_mempolicy" => sc.args[0] = mempolicy_mode(u64::from(ctx.arg(0) as u32)),
        "sched_getscheduler" => {
            if let Ret::Value(policy) = sc.ret {
                sc.ret_extra = SCHED_POLICIES.name(policy as u64).map(Arg::sym);
            }
        }
        "time" => {
            if let Ret::Value(now) = sc.ret {
                sc.ret_extra = Some(Arg::Raw(utc_date(now, 0)));
            }
        }
        "arch_prctl" => arch_prctl(ctx, sc),
        "sched_setattr" => super::sched::setattr(ctx, sc),
        "name_to_handle_at" => sc.args[2] = file_handle(ctx),
        "get_mempolicy" if !ctx.failed() => {
            if let Some(mode) = ctx.data(0).and_then(|d| i32_at(d, 0)) {
                sc.args[0] = Arg::boxed(enum_value(MPOL_MODES, u64::from(mode as u32)));
            }
        }
        "open_by_handle_at" => {
            // strace's printfd: -100 is a number here, not AT_FDCWD.
            if ctx.arg(0) as i32 == -100 {
                sc.args[0] = Arg::Int(-100);
            }
            sc.args[1] = handle_in(ctx);
            sc.args[2] = flags::open_flags(u64::from(ctx.arg(2) as u32));
        }
        "memfd_create" => sc.args[1] = memfd_flags(ctx.arg(1) as u32),
        "swapon" => sc.args[1] = swap_flags(ctx.arg(1) as u32),
        // strace's print_xattr_val leaves a value's trailing NUL out (QUOTE_OMIT_TRAILING_0).
        "setxattr" | "lsetxattr" | "fsetxattr" | "getxattr" | "lgetxattr" | "fgetxattr" => {
            if let Some(Arg::Str {
                bytes,
                truncated: false,
                ..
            }) = sc.args.get_mut(2)
                && bytes.last() == Some(&0)
            {
                bytes.pop();
            }
        }
        // strace prints the offset as one argument (x86_64 passes it whole in pos_l).
        "preadv2" | "pwritev2" if sc.args.len() == 6 => {
            sc.args[3] = Arg::Int(ctx.arg(3) as i64);
            sc.args.remove(4);
            sc.args[4] = flags::flags(RWF_FLAGS, u64::from(ctx.arg(5) as u32));
        }
        _ => {}
    }
}

/// arch_prctl as strace's: the getters' `[0x7f...]` written at the address (`[NULL]` for
/// 0, the address when the call failed), no argument for ARCH_GET_CPUID, and every other
/// code's argument in hex (`0`: strace does not know it is an address).
fn arch_prctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let addr = ctx.arg(1);
    match ARCH_PRCTL_CODES.name(u64::from(ctx.arg(0) as u32)) {
        Some("ARCH_GET_FS" | "ARCH_GET_GS") => {
            let value = ctx
                .data(1)
                .filter(|_| !ctx.failed())
                .and_then(|d| u64_at(d, 0));
            sc.args[1] = match value {
                Some(v) if addr != 0 => Arg::boxed(Arg::Ptr(v)),
                _ => Arg::Ptr(addr),
            };
        }
        Some("ARCH_GET_CPUID") => sc.args.truncate(1),
        Some("ARCH_GET_XCOMP_SUPP" | "ARCH_GET_XCOMP_PERM" | "ARCH_GET_XCOMP_GUEST_PERM") => {
            let value = ctx
                .data(1)
                .filter(|_| !ctx.failed() && addr != 0)
                .and_then(|d| u64_at(d, 0));
            sc.args[1] = value.map_or(Arg::Ptr(addr), |v| Arg::boxed(xfeature_masks(v)));
        }
        _ => sc.args[1] = Arg::Hex(addr),
    }
}

/// An XCOMP getter's mask as strace prints it whatever `-X` says but raw: the number, then
/// the names (`0x207 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_PKRU */`).
fn xfeature_masks(v: u64) -> Arg {
    let (names, rest) = XFEATURE_MASKS.split(v);
    let mut text: Vec<String> = names.into_iter().map(str::to_string).collect();
    if rest != 0 {
        text.push(format!("{rest:#x}"));
    }
    let shown = match (v, text.is_empty()) {
        (0, _) => "0".to_string(),
        (_, true) => format!("{v:#x} /* {} */", XFEATURE_MASKS.unknown_marker()),
        _ => format!("{v:#x} /* {} */", text.join("|")),
    };
    Arg::constant(Arg::Hex(v), Arg::Raw(shown))
}

/// The most handle bytes strace reads (MAX_HANDLE_SZ).
const MAX_HANDLE_SZ: usize = 128;

/// open_by_handle_at's handle, read as the call starts: `{handle_bytes=8, handle_type=1,
/// f_handle="\xab..."}`, at most MAX_HANDLE_SZ bytes of it (`"..."...` past them).
fn handle_in(ctx: &Ctx<'_>) -> Arg {
    let addr = ctx.arg(1);
    let Some(d) = ctx
        .blob(1)
        .filter(|b| !b.faulted && addr != 0)
        .map(|b| b.data.as_slice())
    else {
        return Arg::Ptr(addr);
    };
    let (Some(bytes), Some(kind)) = (u32_at(d, 0), i32_at(d, 4)) else {
        return Arg::Ptr(addr);
    };
    let len = (bytes as usize).min(MAX_HANDLE_SZ);
    let handle = d.get(8..8 + len).map_or(Arg::sym("???"), |h| Arg::Str {
        bytes: h.to_vec(),
        truncated: bytes as usize > MAX_HANDLE_SZ,
        hex: true,
        data: false,
    });
    Arg::Struct {
        fields: vec![
            ("handle_bytes", Arg::UInt(u64::from(bytes))),
            ("handle_type", Arg::Int(i64::from(kind))),
            ("f_handle", handle),
        ],
        more: false,
    }
}

/// name_to_handle_at's handle as strace 6.1's: `{handle_bytes=128` as given, then when the
/// call succeeded or answered EOVERFLOW the size the kernel wrote (` => 8`), and on success
/// the type and the handle in hex: `{handle_bytes=128 => 8, handle_type=1,
/// f_handle="\xa5..."}`.
fn file_handle(ctx: &Ctx<'_>) -> Arg {
    const EOVERFLOW: i64 = 75;
    let addr = ctx.arg(2);
    let Some(given) = ctx
        .blob_at_enter(2)
        .filter(|b| !b.faulted && addr != 0)
        .and_then(|b| u32_at(&b.data, 0))
    else {
        return Arg::Ptr(addr);
    };
    let mut fields = vec![("handle_bytes", Arg::UInt(u64::from(given)))];
    let after = ctx.blob(2).filter(|b| !b.at_enter && !b.faulted);
    if let Some(d) = after.map(|b| b.data.as_slice())
        && (!ctx.failed() || ctx.raw.ret == -EOVERFLOW)
        && let Some(now) = u32_at(d, 0)
    {
        if now != given {
            fields[0].1 = Arg::Changed(
                Box::new(Arg::UInt(u64::from(given))),
                Box::new(Arg::UInt(u64::from(now))),
            );
        }
        if !ctx.failed() {
            fields.push((
                "handle_type",
                Arg::Int(i64::from(i32_at(d, 4).unwrap_or(0))),
            ));
            let len = (now as usize).min(MAX_HANDLE_SZ);
            if let Some(handle) = d.get(8..8 + len) {
                fields.push((
                    "f_handle",
                    Arg::Str {
                        bytes: handle.to_vec(),
                        truncated: false,
                        hex: true,
                        data: false,
                    },
                ));
            }
        }
    }
    Arg::Struct {
        fields,
        more: false,
    }
}

/// mknod/mknodat (`mode` the index of the mode): the mode with its file type, and the
/// device only for a character or block device.
fn mknod(ctx: &Ctx<'_>, sc: &mut Syscall, mode: usize) {
    let m = ctx.arg(mode) & 0xffff;
    // The set-id and sticky bits by name: `S_IFCHR|S_ISUID|S_ISGID|0777`.
    sc.args[mode] = match FILE_TYPES.name(m & S_IFMT) {
        Some(_) => super::values::mode_arg(m as u32),
        None => Arg::Octal(m),
    };
    if matches!(m & S_IFMT, 0o020000 | 0o060000) {
        sc.args[mode + 1] = makedev(ctx.arg(mode + 1) as u32);
    } else {
        sc.args.truncate(mode + 1);
    }
}

/// memfd_create's flags, the huge page size last: `MFD_HUGETLB|21<<MFD_HUGE_SHIFT`; bits
/// no name covers alone are `0x8 /* MFD_??? */` (`|63<<MFD_HUGE_SHIFT` after them).
fn memfd_flags(v: u32) -> Arg {
    let size = (v >> HUGE_SHIFT) & 0x3f;
    let rest = u64::from(v & !(0x3f << HUGE_SHIFT));
    let mut parts = Vec::new();
    if rest != 0 && MEMFD_FLAGS.split(rest).0.is_empty() {
        // strace prints the whole word, then its abbreviated text as a comment with -X
        // verbose, even when that text carries the number (`0x18 /* 0x18 /* MFD_??? */ */`):
        // an `Or` as `shown` is never folded into the number.
        let mut parts = vec![flags::flags(MEMFD_FLAGS, rest).into_abbrev()];
        if size != 0 {
            parts.push(Arg::sym(format!("{size}<<MFD_HUGE_SHIFT")));
        }
        return Arg::constant(Arg::Hex(u64::from(v)), Arg::Or(parts));
    }
    flags::push_bits(MEMFD_FLAGS, rest, &mut parts);
    if size != 0 {
        parts.push(Flag::name(format!("{size}<<MFD_HUGE_SHIFT")));
    }
    if parts.is_empty() {
        return flags::flags(MEMFD_FLAGS, 0);
    }
    Arg::constant(Arg::Hex(u64::from(v)), Arg::Flags(parts))
}

/// swapon's flags as strace's: the flags, then the priority in decimal
/// (`SWAP_FLAG_PREFER|SWAP_FLAG_DISCARD|32767`, `SWAP_FLAG_DISCARD|0`, `0`, `0xf0000000 /*
/// SWAP_FLAG_??? */|0`).
fn swap_flags(v: u32) -> Arg {
    let prio = u64::from(v & SWAP_FLAG_PRIO_MASK);
    let bits = u64::from(v & !SWAP_FLAG_PRIO_MASK);
    if bits == 0 {
        return Arg::UInt(prio);
    }
    Arg::Or(vec![flags::flags(SWAP_FLAGS, bits), Arg::UInt(prio)])
}

/// A device number as glibc splits it: `makedev(0x1, 0x3)` (strace's print_dev_t: `0x103`
/// with `-X raw`).
fn makedev(dev: u32) -> Arg {
    let major = (dev >> 8) & 0xfff;
    let minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    Arg::constant(
        Arg::Hex(u64::from(dev)),
        Arg::Call {
            name: "makedev",
            args: vec![Arg::Hex(u64::from(major)), Arg::Hex(u64::from(minor))],
        },
    )
}

/// kcmp: the type, then the two fds of KCMP_FILE and KCMP_EPOLL_TFD, nothing more for the
/// other known types, and two numbers for an unknown one.
fn kcmp(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let kind = u64::from(ctx.arg(2) as u32);
    sc.args[2] = enum_value(KCMP_TYPES, kind);
    match KCMP_TYPES.name(kind) {
        Some("KCMP_FILE") => {
            sc.args[3] = Arg::Fd(ctx.arg(3) as i32);
            sc.args[4] = Arg::Fd(ctx.arg(4) as i32);
        }
        Some("KCMP_EPOLL_TFD") => {
            sc.args[3] = Arg::Fd(ctx.arg(3) as i32);
            sc.args[4] = epoll_slot(ctx).unwrap_or(Arg::Ptr(ctx.arg(4)));
        }
        Some(_) => sc.args.truncate(3),
        // The fifth argument is captured as a slot (the row's kind): a number here.
        None => sc.args[4] = Arg::Hex(ctx.arg(4)),
    }
}

/// KCMP_EPOLL_TFD's `struct kcmp_epoll_slot`: `{efd=4, tfd=9, toff=0}` (the fds named by
/// `-y`), read as the call starts, failed or not.
fn epoll_slot(ctx: &Ctx<'_>) -> Option<Arg> {
    let d = ctx.data(4)?;
    let fd = |at: usize| u32_at(d, at).map(|v| Arg::Fd(v as i32));
    Some(Arg::Struct {
        fields: vec![
            ("efd", fd(0)?),
            ("tfd", fd(4)?),
            ("toff", Arg::UInt(u64::from(u32_at(d, 8)?))),
        ],
        more: false,
    })
}

/// A memory policy's mode: the policy alone, the policy and its mode flags, or all of it as
/// flags when the policy has no name (strace's print_mode).
fn mempolicy_mode(mode: u64) -> Arg {
    let mask = MPOL_MODE_FLAGS.entries.iter().fold(0, |m, (_, v)| m | v);
    let (policy, mode_flags) = (mode & !mask, mode & mask);
    if mode_flags == 0 {
        return enum_value(MPOL_MODES, policy);
    }
    match MPOL_MODES.name(policy) {
        Some(name) => {
            let mut parts = vec![Flag::name(name)];
            flags::push_bits(MPOL_MODE_FLAGS, mode_flags, &mut parts);
            Arg::constant(Arg::Hex(mode), Arg::Flags(parts))
        }
        None => flags::flags(MPOL_MODE_FLAGS, mode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn devices_split_as_glibc_does() {
        assert_eq!(shown(&makedev(0)), "makedev(0, 0)");
        assert_eq!(shown(&makedev(u32::MAX)), "makedev(0xfff, 0xfffff)");
        assert_eq!(shown(&makedev(0x103)), "makedev(0x1, 0x3)");
    }

    #[test]
    fn huge_page_sizes_follow_the_flags() {
        assert_eq!(
            shown(&memfd_flags(u32::MAX)),
            "MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT"
        );
        assert_eq!(shown(&memfd_flags(1)), "MFD_CLOEXEC");
        assert_eq!(shown(&memfd_flags(0)), "0");
    }

    #[test]
    fn memory_policy_modes_as_strace() {
        assert_eq!(shown(&mempolicy_mode(0)), "MPOL_DEFAULT");
        assert_eq!(
            shown(&mempolicy_mode(2 | 0x8000)),
            "MPOL_BIND|MPOL_F_STATIC_NODES"
        );
        assert_eq!(
            shown(&mempolicy_mode(0xffff_ffff)),
            "MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES|MPOL_F_NUMA_BALANCING|0xffff1fff"
        );
    }
}
