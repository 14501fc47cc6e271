//! The sweep's odd syscalls as strace 6.1 prints them (tests/root_sweep.rs,
//! tests/workloads/sweep_tail.c): syslog's action and console level, personality's persona
//! and the one it returns, modify_ldt's clipped error, ioprio_* (IOPRIO_WHO_*,
//! `IOPRIO_PRIO_VALUE(...)`), mount's flags (`MS_MGC_VAL`) and the type and data it ignores.

use crate::{
    decode::{Arg, Ctx, Ret, Syscall, enum_value, flags},
    tables::flags::Xlat,
    tables::misc_gen::{
        IOPRIO_CLASSES, IOPRIO_WHO, MOUNT_FLAGS, MOUNT_MAGIC, PERSONALITY_FLAGS, PERSONALITY_TYPES,
        SYSLOG_ACTIONS, SYSLOG_CONSOLE_LEVELS,
    },
};

/// Runs the decoder of the call `sc` is.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    match &*sc.name {
        "syslog" => syslog(ctx, sc),
        "personality" => personality(ctx, sc),
        "modify_ldt" => modify_ldt(ctx, sc),
        "ioprio_get" => {
            sc.args = ioprio_target(ctx);
            if let Ret::Value(v) = sc.ret {
                // Left out with -X raw.
                sc.ret_extra = Some(Arg::constant(Arg::Seq(vec![]), ioprio_value(v as u32)));
            }
        }
        "ioprio_set" => {
            let mut args = ioprio_target(ctx);
            let v = ctx.arg(2) as u32;
            args.push(Arg::constant(
                Arg::Int(i64::from(v as i32)),
                ioprio_value(v),
            ));
            sc.args = args;
        }
        "mount" => mount(ctx, sc),
        _ => {}
    }
}

/// `N /* NAME */` whatever `-X` says (strace's XLAT_STYLE_VERBOSE with decimal numbers).
fn verbose_decimal(table: Xlat, v: i32) -> Arg {
    let name = u32::try_from(v)
        .ok()
        .and_then(|v| table.name(u64::from(v)))
        .map_or_else(|| format!("{}???", table.prefix), str::to_string);
    Arg::Raw(format!("{v} /* {name} */"))
}

/// syslog: the action; the buffer and length only for the actions that use them, the
/// console level by name.
fn syslog(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let action = ctx.arg(0) as i32;
    let len = ctx.arg(2) as i32;
    sc.args[0] = verbose_decimal(SYSLOG_ACTIONS, action);
    match action {
        // CLOSE, OPEN, CLEAR, CONSOLE_OFF, CONSOLE_ON, SIZE_UNREAD, SIZE_BUFFER
        0 | 1 | 5 | 6 | 7 | 9 | 10 => sc.args.truncate(1),
        // READ, READ_ALL, READ_CLEAR: the bytes read (the argument's own kind).
        2..=4 => sc.args[2] = Arg::Int(i64::from(len)),
        8 => {
            sc.args[1] = Arg::Ptr(ctx.arg(1));
            sc.args[2] = verbose_decimal(SYSLOG_CONSOLE_LEVELS, len);
        }
        _ => {
            sc.args[1] = Arg::Ptr(ctx.arg(1));
            sc.args[2] = Arg::Int(i64::from(len));
        }
    }
}

/// The type bits of a persona.
const PER_MASK: u64 = 0xff;

/// A persona: its type and its flags (`PER_LINUX|ADDR_NO_RANDOMIZE`).
fn persona(v: u64) -> Arg {
    let (kind, rest) = (v & PER_MASK, v & !PER_MASK);
    let kind = enum_value(PERSONALITY_TYPES, kind);
    if rest == 0 {
        return kind;
    }
    // strace's printflags_in without a default: unknown bits get no `/* ??? */`.
    let mut parts = Vec::new();
    flags::push_bits(PERSONALITY_FLAGS, rest, &mut parts);
    let rest = Arg::constant(Arg::Hex(rest), Arg::Flags(parts));
    let shown = vec![kind.abbrev().clone(), rest.abbrev().clone()];
    Arg::constant(Arg::Or(vec![kind, rest]), Arg::Or(shown))
}

/// personality: the persona asked for (`0xffffffff` is the query) and the one it replaced.
fn personality(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let v = u64::from(ctx.arg(0) as u32);
    sc.args = vec![if v == 0xffff_ffff {
        Arg::Hex(v)
    } else {
        persona(v)
    }];
    if let Ret::Value(old) = sc.ret {
        let old = u64::from(old as u32);
        sc.ret = Ret::Hex(old);
        sc.ret_extra = Some(persona(old));
    }
}

/// modify_ldt: the kernel returns an int, so an error comes back as a large positive number
/// in the 64-bit register; strace prints that number and the error it stands for.
fn modify_ldt(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if let Ret::Value(v) = sc.ret
        && (0xffff_f000..=0xffff_ffff).contains(&v)
    {
        sc.ret = Ret::ValueError(v, (v as u32).wrapping_neg());
    }
    sc.args[0] = Arg::Int(i64::from(ctx.arg(0) as i32));
}

/// ioprio_*'s `which` and `who`: a process or group id for IOPRIO_WHO_PROCESS/PGRP.
fn ioprio_target(ctx: &Ctx<'_>) -> Vec<Arg> {
    let which = ctx.arg(0) as u32;
    let who = i64::from(ctx.arg(1) as i32);
    let who = match which {
        1 | 2 => Arg::Pid(who),
        _ => Arg::Int(who),
    };
    vec![enum_value(IOPRIO_WHO, u64::from(which)), who]
}

/// `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`: the class in the top bits, the data below.
pub(super) fn ioprio_value(v: u32) -> Arg {
    Arg::Call {
        name: "IOPRIO_PRIO_VALUE",
        args: vec![
            enum_value(IOPRIO_CLASSES, u64::from(v >> 13)),
            Arg::Int(i64::from((v & 0x1fff) as i32)),
        ],
    }
}

/// mount: the old magic number first, the type only when the flags do not say it is
/// ignored, the data likewise.
fn mount(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let (magic, mask) = (MOUNT_MAGIC.entries[0].1, MOUNT_MAGIC.entries[1].1);
    let mut v = ctx.arg(3);
    let old_magic = v & mask == magic;
    if old_magic {
        // strace clears the mask as an unsigned int: the upper half goes too.
        v &= u64::from(!(mask as u32));
    }
    const MS_REMOUNT: u64 = 0x20;
    // MS_BIND, MS_MOVE, MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE
    const NO_DATA: u64 = 0x1000 | 0x2000 | 0x10_0000 | 0x4_0000 | 0x8_0000 | 0x2_0000;
    let (no_type, no_data) = if v & MS_REMOUNT != 0 {
        (true, false)
    } else if v & NO_DATA != 0 {
        (true, true)
    } else {
        (false, false)
    };
    if no_type {
        sc.args[2] = Arg::Ptr(ctx.arg(2));
    }
    if no_data {
        sc.args[4] = Arg::Ptr(ctx.arg(4));
    }
    sc.args[3] = if old_magic {
        let name = flags::constant(Arg::Hex(magic), "MS_MGC_VAL");
        if v == 0 {
            name
        } else {
            let rest = flags::flags(MOUNT_FLAGS, v);
            let shown = vec![name.abbrev().clone(), rest.abbrev().clone()];
            Arg::constant(Arg::Or(vec![name, rest]), Arg::Or(shown))
        }
    } else {
        flags::flags(MOUNT_FLAGS, v)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn personas_as_strace() {
        assert_eq!(shown(&persona(0)), "PER_LINUX");
        assert_eq!(shown(&persona(0x40000)), "PER_LINUX|ADDR_NO_RANDOMIZE");
        assert_eq!(shown(&persona(0x400008)), "PER_LINUX32|READ_IMPLIES_EXEC");
        assert_eq!(shown(&persona(0x43)), "0x43 /* PER_??? */");
        assert_eq!(shown(&persona(0x1000_0000)), "PER_LINUX|0x10000000");
    }

    #[test]
    fn io_priorities_as_strace() {
        assert_eq!(
            shown(&ioprio_value((2 << 13) | 4)),
            "IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)"
        );
        assert_eq!(
            shown(&ioprio_value(u32::MAX)),
            "IOPRIO_PRIO_VALUE(0x7ffff /* IOPRIO_CLASS_??? */, 8191)"
        );
    }

    #[test]
    fn syslog_names_are_always_commented() {
        assert_eq!(
            shown(&verbose_decimal(SYSLOG_ACTIONS, 10)),
            "10 /* SYSLOG_ACTION_SIZE_BUFFER */"
        );
        assert_eq!(
            shown(&verbose_decimal(SYSLOG_ACTIONS, -1)),
            "-1 /* SYSLOG_ACTION_??? */"
        );
        assert_eq!(
            shown(&verbose_decimal(SYSLOG_CONSOLE_LEVELS, 8)),
            "8 /* LOGLEVEL_DEBUG+1 */"
        );
    }
}
