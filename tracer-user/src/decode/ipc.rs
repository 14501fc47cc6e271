//! System V IPC as strace prints it: keys (`IPC_PRIVATE`), the `IPC_*` flags with the
//! permission bits in octal, and the `IPC_*`/`SHM_*` commands.

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        flags::{constant, push_bits},
        ipc_ds::{self, Ds},
        model::Flag,
    },
    tables::{
        flags::Xlat,
        ioctl_args_gen::{
            IPC_CMDS, IPC_FLAGS, IPC_NOWAIT_FLAG, MSG_CMDS, SEM_CMDS, SHM_CMDS, SHMGET_FLAGS,
        },
    },
};

/// `IPC_64`: the command asks for the 64-bit structs.
const IPC_64: u64 = 0x100;

/// shmget: `IPC_PRIVATE` or the key in hex, the size, `IPC_CREAT|0600`.
pub fn shmget(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[0] = key(ctx.arg(0));
    sc.args[2] = resource_flags(SHMGET_FLAGS, ctx.arg(2), Some("SHM_HUGE_SHIFT"));
}

/// Where shmget's and memfd_create's huge page size starts (`SHM_HUGE_SHIFT`).
pub(super) const HUGE_SHIFT: u32 = 26;

/// shmctl: the command (`IPC_RMID`, `SHM_LOCK`, `IPC_64|IPC_STAT`) and its buffer.
pub fn shmctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[1] = command(&[IPC_CMDS, SHM_CMDS], ctx.arg(1));
    sc.args[2] = ipc_ds::buffer(ctx, 2, Ds::Shm, ctx.arg(1));
}

/// msgget: the key and `IPC_CREAT|IPC_NOWAIT|0600`.
pub fn msgget(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[0] = key(ctx.arg(0));
    sc.args[1] = resource_flags(IPC_NOWAIT_FLAG, ctx.arg(1), None);
}

/// msgctl: the command (`IPC_RMID`, `MSG_INFO`) and its buffer.
pub fn msgctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[1] = command(&[IPC_CMDS, MSG_CMDS], ctx.arg(1));
    sc.args[2] = ipc_ds::buffer(ctx, 2, Ds::Msg, ctx.arg(1));
}

/// semget: the key, the number of semaphores and `IPC_CREAT|0600`.
pub fn semget(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[0] = key(ctx.arg(0));
    sc.args[2] = resource_flags(IPC_NOWAIT_FLAG, ctx.arg(2), None);
}

/// semctl: the command (`GETVAL`, `IPC_RMID`); the fourth argument is the struct for
/// `IPC_STAT`/`IPC_SET`, else an address.
pub fn semctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[2] = command(&[IPC_CMDS, SEM_CMDS], ctx.arg(2));
    sc.args[3] = ipc_ds::buffer(ctx, 3, Ds::Sem, ctx.arg(2));
}

/// A key: 0 is `IPC_PRIVATE`.
fn key(v: u64) -> Arg {
    match v as u32 {
        0 => constant(Arg::Hex(0), "IPC_PRIVATE"),
        key => Arg::Hex(u64::from(key)),
    }
}

/// `IPC_CREAT|IPC_EXCL|0600`: the flags of `IPC_FLAGS` and `more`, then the permission
/// bits, always, in octal (`000`).
fn resource_flags(more: Xlat, v: u64, huge: Option<&'static str>) -> Arg {
    let v = u64::from(v as u32);
    // shmget's huge page size, `63<<SHM_HUGE_SHIFT` after the flags.
    let size = huge.map_or(0, |_| (v >> HUGE_SHIFT) & 0x3f);
    let rest_flags = v & !0o777 & !(size << HUGE_SHIFT);
    let (names, rest) = IPC_FLAGS.split(rest_flags);
    let mut parts: Vec<Flag> = names.into_iter().map(Flag::name).collect();
    push_bits(more, rest, &mut parts);
    if let (Some(name), 1..) = (huge, size) {
        // strace's shmget: the flags as one number, the size shifted by the name as its own
        // constant (`-X raw` `0x3fffe00|63<<26|0777`, `-X verbose` `0x3fffe00 /* ... */|63<<26
        // /* SHM_HUGE_SHIFT */|0777`), the flags left out when only the size is set.
        let shift = Arg::Shift(
            Box::new(Arg::UInt(size)),
            Box::new(constant(Arg::UInt(u64::from(HUGE_SHIFT)), name)),
        );
        let mut number = Vec::new();
        if rest_flags != 0 {
            number.push(Arg::constant(
                Arg::Hex(rest_flags),
                Arg::Flags(parts.clone()),
            ));
        }
        number.extend([shift, Arg::Octal(v & 0o777)]);
        parts.push(Flag::name(format!("{size}<<{name}")));
        parts.push(Flag::Octal(v & 0o777));
        return Arg::constant(Arg::Or(number), Arg::Flags(parts));
    }
    let bits = Arg::constant(Arg::Hex(v & !0o777), Arg::Flags(parts.clone()));
    parts.push(Flag::Octal(v & 0o777));
    // -X raw: the flags and the permissions as two numbers, `0x200|0600`.
    let number = match v & !0o777 {
        0 => Arg::Octal(v & 0o777),
        _ => Arg::Or(vec![bits, Arg::Octal(v & 0o777)]),
    };
    Arg::constant(number, Arg::Flags(parts))
}

/// A command of one of `tables`, after `IPC_64|` when that bit is set; `0x63 /* SHM_??? */`
/// when no table names it (the prefix of the last table).
fn command(tables: &[Xlat], v: u64) -> Arg {
    let v = u64::from(v as u32);
    let cmd = v & !IPC_64;
    let name = tables.iter().find_map(|t| t.name(cmd));
    let last = tables.last().map_or("", |t| t.prefix);
    let unknown = || Arg::Commented(Box::new(Arg::Hex(cmd)), format!("{last}???"));
    match (name, v & IPC_64 != 0) {
        (Some(n), false) => constant(Arg::Hex(cmd), n),
        // -X raw: `0x100|0x2`.
        (Some(n), true) => Arg::constant(
            Arg::Or(vec![
                constant(Arg::Hex(IPC_64), "IPC_64"),
                constant(Arg::Hex(cmd), n),
            ]),
            Arg::Flags(vec![Flag::name("IPC_64"), Flag::name(n)]),
        ),
        (None, false) => unknown(),
        // -X raw: `0x100|0x63`.
        (None, true) => Arg::constant(
            Arg::Or(vec![constant(Arg::Hex(IPC_64), "IPC_64"), unknown()]),
            Arg::Labeled("IPC_64|", Box::new(unknown())),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn ipc_words_as_strace() {
        assert_eq!(shown(&key(0)), "IPC_PRIVATE");
        assert_eq!(shown(&key(0x1234)), "0x1234");
        assert_eq!(
            shown(&resource_flags(SHMGET_FLAGS, 0o1600, None)),
            "IPC_CREAT|0600"
        );
        assert_eq!(shown(&resource_flags(SHMGET_FLAGS, 0, None)), "000");
        assert_eq!(
            shown(&resource_flags(SHMGET_FLAGS, 0o3640, None)),
            "IPC_CREAT|IPC_EXCL|0640"
        );
        assert_eq!(shown(&command(&[IPC_CMDS, SHM_CMDS], 0)), "IPC_RMID");
        assert_eq!(shown(&command(&[IPC_CMDS, SHM_CMDS], 11)), "SHM_LOCK");
        assert_eq!(
            shown(&command(&[IPC_CMDS, SHM_CMDS], 0x102)),
            "IPC_64|IPC_STAT"
        );
        assert_eq!(
            shown(&command(&[IPC_CMDS, SHM_CMDS], 0x63)),
            "0x63 /* SHM_??? */"
        );
        assert_eq!(
            shown(&command(&[IPC_CMDS, SEM_CMDS], 0xffff_ffff)),
            "IPC_64|0xfffffeff /* SEM_??? */"
        );
        assert_eq!(
            shown(&resource_flags(IPC_NOWAIT_FLAG, 0xffff_ffff, None)),
            "IPC_CREAT|IPC_EXCL|IPC_NOWAIT|0xfffff000|0777"
        );
    }

    #[test]
    fn shmget_huge_size_in_every_style() {
        use crate::format::value::ConstStyle;
        let styled = |v: u64, consts| {
            let opts = crate::format::text_options::TextOptions {
                consts,
                ..Default::default()
            };
            let arg = resource_flags(SHMGET_FLAGS, v, Some("SHM_HUGE_SHIFT"));
            crate::format::strace::arg_text(&arg, &opts, None, 0)
        };
        // strace 6.1's lines for shmget(-1, -1, -1).
        let all = 0xffff_ffff;
        assert_eq!(
            styled(all, ConstStyle::Abbrev),
            "IPC_CREAT|IPC_EXCL|SHM_HUGETLB|SHM_NORESERVE|0x3ffe000|63<<SHM_HUGE_SHIFT|0777"
        );
        assert_eq!(styled(all, ConstStyle::Raw), "0x3fffe00|63<<26|0777");
        assert_eq!(
            styled(all, ConstStyle::Verbose),
            "0x3fffe00 /* IPC_CREAT|IPC_EXCL|SHM_HUGETLB|SHM_NORESERVE|0x3ffe000 */|63<<26 \
             /* SHM_HUGE_SHIFT */|0777"
        );
        // Only the size: no flags word.
        let size = (21 << 26) | 0o600;
        assert_eq!(styled(size, ConstStyle::Abbrev), "21<<SHM_HUGE_SHIFT|0600");
        assert_eq!(styled(size, ConstStyle::Raw), "21<<26|0600");
    }
}
