//! fcntl: the command, the argument each command takes and what its answer means, as strace
//! 6.1's fcntl.c prints them.

use std::mem::offset_of;

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{i32_at, i64_at, u16_at},
        flags::{flags, open_flags},
    },
    tables::{
        fcntl_gen::{DN_FLAGS, F_OWNER_TYPES},
        flags::Xlat,
        signals,
        xlat::{FCNTL_CMDS, FD_FLAGS, LOCK_TYPES, SEALS, WHENCE},
    },
};

/// fcntl: the command and the argument it takes.
pub fn fcntl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let cmd = u64::from(ctx.arg(1) as u32);
    let arg = ctx.arg(2);
    sc.args.truncate(1);
    sc.args.push(super::enum_value(FCNTL_CMDS, cmd));
    let name = FCNTL_CMDS.name(cmd).unwrap_or("");
    match name {
        "F_GETFD" => note_flags(sc, FD_FLAGS, "flags "),
        "F_GETFL" => {
            if let Ret::Value(v) = sc.ret {
                sc.ret = Ret::Hex(v as u64);
                // strace names these whatever -X says (sprint_open_modes).
                let names = open_flags(v as u64).into_abbrev();
                sc.ret_extra = Some(Arg::Labeled("flags ", Box::new(names)));
            }
        }
        "F_GET_SEALS" => note_flags(sc, SEALS, "seals "),
        // `= 0x2 (F_UNLCK)`: strace's RVAL_HEX with the lease's name.
        "F_GETLEASE" => {
            if let Ret::Value(v) = sc.ret {
                sc.ret = Ret::Hex(v as u64);
                sc.ret_extra = LOCK_TYPES.name(v as u64).map(Arg::sym);
            }
        }
        // `= 10 (SIGUSR1)`; 0 (SIGIO, the default) bare.
        "F_GETSIG" => {
            if let Ret::Value(v) = sc.ret
                && v != 0
            {
                sc.ret_extra = Some(Arg::Raw(signals::name(v as u64)));
            }
        }
        "F_GETOWN" | "F_GETPIPE_SZ" => {}
        "F_SETFD" => sc.args.push(flags(FD_FLAGS, u64::from(arg as u32))),
        "F_SETFL" => sc.args.push(open_flags(u64::from(arg as u32))),
        "F_ADD_SEALS" => sc.args.push(flags(SEALS, arg)),
        "F_NOTIFY" => sc.args.push(flags(DN_FLAGS, arg)),
        "F_SETLEASE" => sc.args.push(super::enum_value(LOCK_TYPES, arg)),
        "F_SETSIG" => sc.args.push(super::signal(u64::from(arg as u32))),
        "F_SETOWN" => sc.args.push(Arg::Int(i64::from(arg as i32))),
        // strace 6.1 prints these two unsigned (`F_DUPFD, 4294967295`).
        "F_SETPIPE_SZ" => sc.args.push(Arg::UInt(u64::from(arg as u32))),
        "F_DUPFD" | "F_DUPFD_CLOEXEC" => {
            sc.args.push(Arg::UInt(u64::from(arg as u32)));
            if let Ret::Value(v) = sc.ret {
                sc.ret = Ret::Fd(v as i32);
            }
        }
        "F_GETLK" | "F_SETLK" | "F_SETLKW" | "F_OFD_GETLK" | "F_OFD_SETLK" | "F_OFD_SETLKW" => {
            let getter = name.contains("GETLK");
            let lock = ctx
                .data(2)
                .filter(|_| !(getter && ctx.failed()))
                .and_then(|d| flock(d, getter));
            sc.args.push(lock.unwrap_or(Arg::Ptr(arg)));
        }
        // What the kernel read, or (GET) wrote when it succeeded; else the address.
        "F_SETOWN_EX" | "F_GETOWN_EX" => {
            let owner = ctx
                .data(2)
                .filter(|_| name == "F_SETOWN_EX" || !ctx.failed())
                .and_then(owner_ex);
            sc.args.push(owner.unwrap_or(Arg::Ptr(arg)));
        }
        // Any other command, known or not (F_GETOWNER_UIDS, F_CANCELLK, F_SETLKW64, ...):
        // its argument in hex, as a long.
        _ => sc.args.push(Arg::Hex(arg)),
    }
}

/// `= 0x1 (flags FD_CLOEXEC)`: a flag word returned, annotated when non-zero.
fn note_flags(sc: &mut Syscall, table: Xlat, what: &'static str) {
    if let Ret::Value(v) = sc.ret
        && v != 0
    {
        sc.ret = Ret::Hex(v as u64);
        sc.ret_extra = Some(Arg::Labeled(what, Box::new(flags(table, v as u64))));
    }
}

/// `struct f_owner_ex`: `{type=F_OWNER_TID, pid=1234}`.
fn owner_ex(d: &[u8]) -> Option<Arg> {
    let kind = i32_at(d, 0)?;
    let pid = i64::from(i32_at(d, 4)?);
    // strace prints a pid of a known type as a pid (`-Y` names it), else a number.
    let pid = if (0..=2).contains(&kind) {
        Arg::Pid(pid)
    } else {
        Arg::Int(pid)
    };
    Some(Arg::Struct {
        fields: vec![
            (
                "type",
                super::enum_value(F_OWNER_TYPES, u64::from(kind as u32)),
            ),
            ("pid", pid),
        ],
        more: false,
    })
}

/// `struct flock`: unknown types and whences as `0xff /* F_??? */`.
fn flock(d: &[u8], with_pid: bool) -> Option<Arg> {
    let ltype = u64::from(u16_at(d, offset_of!(libc::flock, l_type))?);
    let whence = u64::from(u16_at(d, offset_of!(libc::flock, l_whence))?);
    let mut fields = vec![
        ("l_type", super::enum_value(LOCK_TYPES, ltype)),
        ("l_whence", super::enum_value(WHENCE, whence)),
        (
            "l_start",
            Arg::Int(i64_at(d, offset_of!(libc::flock, l_start))?),
        ),
        (
            "l_len",
            Arg::Int(i64_at(d, offset_of!(libc::flock, l_len))?),
        ),
    ];
    if with_pid {
        fields.push((
            "l_pid",
            Arg::Int(i64::from(i32_at(d, offset_of!(libc::flock, l_pid))?)),
        ));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}
