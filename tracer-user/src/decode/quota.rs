//! quotactl as strace 6.1's quota.c prints it: `QCMD(Q_GETQUOTA, USRQUOTA)` (the number with
//! `-X raw`), the special file, then what the command takes: nothing more (Q_SYNC,
//! Q_QUOTAOFF), a format and a path (Q_QUOTAON), an id and struct if_dqblk (Q_GETQUOTA,
//! Q_SETQUOTA, Q_GETNEXTQUOTA), the format (Q_GETFMT), struct if_dqinfo (Q_GETINFO,
//! Q_SETINFO); the XFS commands: an id and struct fs_disk_quota (Q_XGETQUOTA, Q_XSETQLIM,
//! Q_XGETNEXTQUOTA), the `FS_QUOTA_*` or `FS_*_QUOTA` flags (Q_XQUOTAON/OFF, Q_XQUOTARM), the
//! abbreviated fs_quota_stat[v] (Q_XGETQSTAT[V]); unknown commands as an id and an address.
//! quotactl_fd: the fd, then the same.

use super::{
    Arg, Ctx, Syscall,
    bytes::{u32_at, u64_at},
    enum_value,
    flags::flags,
    netlink_link::nul_terminated,
};
use crate::tables::quota_gen::{
    DQBLK_VALID, DQINFO_FLAGS, DQINFO_VALID, QUOTA_CMDS, QUOTA_FORMATS, QUOTA_TYPES,
    XFS_DQBLK_FLAGS, XFS_QUOTA_FLAGS,
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
const Q_XQUOTAON: u32 = 0x5801;
const Q_XQUOTAOFF: u32 = 0x5802;
const Q_XGETQUOTA: u32 = 0x5803;
const Q_XSETQLIM: u32 = 0x5804;
const Q_XGETQSTAT: u32 = 0x5805;
const Q_XQUOTARM: u32 = 0x5806;
const Q_XQUOTASYNC: u32 = 0x5807;
const Q_XGETQSTATV: u32 = 0x5808;
const Q_XGETNEXTQUOTA: u32 = 0x5809;

/// The quota types of fs_disk_quota's d_flags, unknown bits marked `FS_???_QUOTA` as strace
/// marks them.
const DQBLK_FLAGS: crate::tables::flags::Xlat = XFS_DQBLK_FLAGS.marked("FS_???_QUOTA");

/// Rewrites quotactl's arguments by command; quotactl_fd's the same way (strace's
/// decode_cmd_data after the fd: `quotactl_fd(-1, QCMD(Q_GETINFO, USRQUOTA), 0x7ff...)`,
/// where the command comes first and the special file second in quotactl).
pub fn quotactl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let at = usize::from(sc.name == "quotactl_fd");
    let qcmd = ctx.arg(at) as u32;
    let cmd = qcmd >> 8;
    sc.args[at] = qcmd_arg(qcmd);
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
                d.and_then(|d| dqblk(d, next, ctx.abbrev()))
                    .unwrap_or(Arg::Ptr(addr)),
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
        Q_XGETQUOTA | Q_XSETQLIM | Q_XGETNEXTQUOTA => {
            let d = if cmd == Q_XSETQLIM { read() } else { written() };
            vec![uid(id), d.and_then(disk_quota).unwrap_or(Arg::Ptr(addr))]
        }
        Q_XQUOTAON | Q_XQUOTAOFF | Q_XQUOTARM => {
            let table = if cmd == Q_XQUOTARM {
                DQBLK_FLAGS
            } else {
                XFS_QUOTA_FLAGS
            };
            let flag = read().and_then(|d| u32_at(d, 0));
            vec![flag.map_or(Arg::Ptr(addr), |f| Arg::boxed(flags(table, u64::from(f))))]
        }
        // strace without -v prints the version alone.
        Q_XGETQSTAT | Q_XGETQSTATV => {
            vec![
                written()
                    .and_then(|d| d.first())
                    .map_or(Arg::Ptr(addr), |&v| Arg::Struct {
                        fields: vec![("qs_version", Arg::Int(i64::from(v as i8)))],
                        more: true,
                    }),
            ]
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

/// struct if_dqblk (abbreviated as strace without `-v`, else with the grace times and
/// `dqb_valid`); if_nextdqblk adds `dqb_id`.
fn dqblk(d: &[u8], next: bool, abbrev: bool) -> Option<Arg> {
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
    if !abbrev {
        fields.push(("dqb_btime", Arg::UInt(u64_at(d, 48)?)));
        fields.push(("dqb_itime", Arg::UInt(u64_at(d, 56)?)));
        let valid = u64::from(u32_at(d, 64)?);
        fields.push(("dqb_valid", flags(DQBLK_VALID, valid)));
    }
    if next {
        fields.push(("dqb_id", Arg::UInt(u64::from(u32_at(d, 72)?))));
    }
    Some(Arg::Struct {
        fields,
        more: abbrev,
    })
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

/// struct fs_disk_quota (dqblk_xfs.h), abbreviated as strace without `-v` prints it.
fn disk_quota(d: &[u8]) -> Option<Arg> {
    // The kernel's struct is 112 bytes; strace reads it whole.
    if d.len() < 112 {
        return None;
    }
    let mut fields = vec![
        ("d_version", Arg::Int(i64::from(d[0] as i8))),
        ("d_flags", flags(DQBLK_FLAGS, u64::from(d[1]))),
        (
            "d_fieldmask",
            Arg::Hex(u64::from(u16::from_le_bytes([d[2], d[3]]))),
        ),
        ("d_id", Arg::UInt(u64::from(u32_at(d, 4)?))),
    ];
    let names = [
        "d_blk_hardlimit",
        "d_blk_softlimit",
        "d_ino_hardlimit",
        "d_ino_softlimit",
        "d_bcount",
        "d_icount",
    ];
    for (i, name) in names.into_iter().enumerate() {
        fields.push((name, Arg::UInt(u64_at(d, 8 + i * 8)?)));
    }
    Some(Arg::Struct { fields, more: true })
}
