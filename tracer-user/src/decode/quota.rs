//! quotactl as strace 6.1's quota.c prints it: `QCMD(Q_GETQUOTA, USRQUOTA)` (the number with
//! `-X raw`), the special file, then what the command takes: nothing more (Q_SYNC,
//! Q_QUOTAOFF), a format and a path (Q_QUOTAON), an id and struct if_dqblk (Q_GETQUOTA,
//! Q_SETQUOTA, Q_GETNEXTQUOTA), the format (Q_GETFMT), struct if_dqinfo (Q_GETINFO,
//! Q_SETINFO); the XFS commands and unknown ones as an id and an address.

use super::{
    Arg, Ctx, Syscall,
    bytes::{u32_at, u64_at},
    enum_value,
    flags::flags,
    netlink_link::nul_terminated,
};
use crate::tables::quota_gen::{
    DQINFO_FLAGS, DQINFO_VALID, QUOTA_CMDS, QUOTA_FORMATS, QUOTA_TYPES,
};

const Q_SYNC: u32 = 0x80_0001;
const Q_QUOTAON: u32 = 0x80_0002;
const Q_QUOTAOFF: u32 = 0x80_0003;
const Q_GETFMT: u32 = 0x80_0004;
const Q_GETINFO: u32 = 0x80_0005;
const Q_SETINFO: u32 = 0x80_0006;
const Q_GETQUOTA: u32 = 0x80_0007;
const Q_SETQUOTA: u32 = 0x80_0008;
const Q_GETNEXTQUOTA: u32 = 0x80_0009;
const Q_XQUOTASYNC: u32 = 0x5807;

/// Rewrites quotactl's arguments by command.
pub fn quotactl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let qcmd = ctx.arg(0) as u32;
    let cmd = qcmd >> 8;
    sc.args[0] = qcmd_arg(qcmd);
    let id = ctx.arg(2) as u32;
    let addr = ctx.arg(3);
    // What the kernel wrote is shown only when the call succeeded.
    let written = || ctx.data(3).filter(|_| !ctx.failed() && addr != 0);
    let read = || ctx.data(3).filter(|_| addr != 0);
    sc.args.truncate(2);
    let rest = match cmd {
        Q_SYNC | Q_QUOTAOFF | Q_XQUOTASYNC => vec![],
        Q_QUOTAON => vec![
            enum_value(QUOTA_FORMATS, u64::from(id)),
            read().map_or(Arg::Ptr(addr), |d| nul_terminated_path(ctx, d)),
        ],
        Q_GETQUOTA | Q_SETQUOTA | Q_GETNEXTQUOTA => {
            let d = if cmd == Q_SETQUOTA { read() } else { written() };
            let next = cmd == Q_GETNEXTQUOTA;
            vec![
                uid(id),
                d.and_then(|d| dqblk(d, next)).unwrap_or(Arg::Ptr(addr)),
            ]
        }
        Q_GETFMT => vec![
            written()
                .and_then(|d| u32_at(d, 0))
                .map_or(Arg::Ptr(addr), |f| {
                    Arg::boxed(enum_value(QUOTA_FORMATS, u64::from(f)))
                }),
        ],
        Q_GETINFO | Q_SETINFO => {
            let d = if cmd == Q_SETINFO { read() } else { written() };
            vec![d.and_then(dqinfo).unwrap_or(Arg::Ptr(addr))]
        }
        _ => vec![uid(id), Arg::Ptr(addr)],
    };
    sc.args.extend(rest);
}

/// `QCMD(cmd, type)` standing for the command word in decimal.
pub(super) fn qcmd_arg(qcmd: u32) -> Arg {
    let part = |table, v: u32, marker: &str| {
        table_name(table, v)
            .unwrap_or_else(|| Arg::Commented(Box::new(Arg::Hex(u64::from(v))), marker.to_string()))
    };
    let call = Arg::Call {
        name: "QCMD",
        args: vec![
            part(QUOTA_CMDS, qcmd >> 8, "Q_???"),
            part(QUOTA_TYPES, qcmd & 0xff, "???QUOTA"),
        ],
    };
    Arg::constant(Arg::UInt(u64::from(qcmd)), call)
}

fn table_name(table: crate::tables::flags::Xlat, v: u32) -> Option<Arg> {
    table.name(u64::from(v)).map(Arg::sym)
}

/// strace's printuid (`decode::id`), by the name the quota and key decoders use.
pub(super) use super::id as uid;

/// Q_QUOTAON's quota file (no `-s` limit, as a path).
fn nul_terminated_path(ctx: &Ctx<'_>, d: &[u8]) -> Arg {
    match d.iter().position(|&b| b == 0) {
        Some(end) => Arg::str(&d[..end], false),
        None => nul_terminated(ctx, d),
    }
}

/// struct if_dqblk (abbreviated, as strace without `-v`); if_nextdqblk adds `dqb_id`.
fn dqblk(d: &[u8], next: bool) -> Option<Arg> {
    let names = [
        "dqb_bhardlimit",
        "dqb_bsoftlimit",
        "dqb_curspace",
        "dqb_ihardlimit",
        "dqb_isoftlimit",
        "dqb_curinodes",
    ];
    let mut fields = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        fields.push((name, Arg::UInt(u64_at(d, i * 8)?)));
    }
    if next {
        fields.push(("dqb_id", Arg::UInt(u64::from(u32_at(d, 72)?))));
    }
    Some(Arg::Struct { fields, more: true })
}

/// struct if_dqinfo.
fn dqinfo(d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("dqi_bgrace", Arg::UInt(u64_at(d, 0)?)),
            ("dqi_igrace", Arg::UInt(u64_at(d, 8)?)),
            ("dqi_flags", flags(DQINFO_FLAGS, u64::from(u32_at(d, 16)?))),
            ("dqi_valid", flags(DQINFO_VALID, u64::from(u32_at(d, 20)?))),
        ],
        more: false,
    })
}
