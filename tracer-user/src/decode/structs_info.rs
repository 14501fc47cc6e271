//! The system and resource structs of `decode::structs` (statfs, rlimit, utsname, tms,
//! sysinfo, rusage), rendered as strace renders them.

use std::mem::offset_of;

use crate::{
    decode::{
        Arg,
        bytes::{cstr_at, i64_at, u16_at, u32_at, u64_at},
        values::timeval,
    },
    tables::xlat,
};

/// `f_flags`, the word after `f_frsize` (the libc crate keeps it in a private `f_spare`).
const F_FLAGS: usize = offset_of!(libc::statfs, f_frsize) + size_of::<libc::c_long>();

/// `statfs`/`fstatfs`'s struct.
pub(super) fn statfs(d: &[u8]) -> Option<Arg> {
    let ftype = u64_at(d, offset_of!(libc::statfs, f_type))?;
    let u = |at: usize| u64_at(d, at).map(Arg::UInt);
    let fsid = offset_of!(libc::statfs, f_fsid);
    Some(Arg::Struct {
        fields: vec![
            (
                "f_type",
                crate::decode::flags::named(xlat::FS_MAGICS, ftype).unwrap_or(Arg::Hex(ftype)),
            ),
            ("f_bsize", u(offset_of!(libc::statfs, f_bsize))?),
            ("f_blocks", u(offset_of!(libc::statfs, f_blocks))?),
            ("f_bfree", u(offset_of!(libc::statfs, f_bfree))?),
            ("f_bavail", u(offset_of!(libc::statfs, f_bavail))?),
            ("f_files", u(offset_of!(libc::statfs, f_files))?),
            ("f_ffree", u(offset_of!(libc::statfs, f_ffree))?),
            (
                "f_fsid",
                Arg::Struct {
                    fields: vec![(
                        "val",
                        Arg::Array {
                            items: vec![
                                Arg::Hex(u64::from(u32_at(d, fsid)?)),
                                Arg::Hex(u64::from(u32_at(d, fsid + 4)?)),
                            ],
                            more: false,
                        },
                    )],
                    more: false,
                },
            ),
            ("f_namelen", u(offset_of!(libc::statfs, f_namelen))?),
            ("f_frsize", u(offset_of!(libc::statfs, f_frsize))?),
            (
                "f_flags",
                crate::decode::flags::flags(xlat::STATFS_FLAGS, u64_at(d, F_FLAGS)?),
            ),
        ],
        more: false,
    })
}

/// An rlimit value: `RLIM64_INFINITY`, `8192*1024`, or the number; always a symbol, so the
/// JSON value has one type (a string) whichever form strace prints.
fn rlim(v: u64) -> Arg {
    if v == u64::MAX {
        crate::decode::flags::constant(Arg::UInt(v), "RLIM64_INFINITY")
    } else if v > 0 && v.is_multiple_of(1024) {
        crate::decode::flags::constant(Arg::UInt(v), format!("{}*1024", v / 1024))
    } else {
        Arg::sym(v.to_string())
    }
}

pub(super) fn rlimit(d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            (
                "rlim_cur",
                rlim(u64_at(d, offset_of!(libc::rlimit, rlim_cur))?),
            ),
            (
                "rlim_max",
                rlim(u64_at(d, offset_of!(libc::rlimit, rlim_max))?),
            ),
        ],
        more: false,
    })
}

/// `{sysname="Linux", nodename="db1", ...}`; every field when not `abbrev` (`-v`).
pub(super) fn utsname(d: &[u8], abbrev: bool) -> Arg {
    const LEN: usize = size_of::<[libc::c_char; 65]>();
    let field = |at: usize| Arg::str(cstr_at(d, at, LEN), false);
    let mut fields = vec![
        ("sysname", field(offset_of!(libc::utsname, sysname))),
        ("nodename", field(offset_of!(libc::utsname, nodename))),
    ];
    if !abbrev {
        fields.extend([
            ("release", field(offset_of!(libc::utsname, release))),
            ("version", field(offset_of!(libc::utsname, version))),
            ("machine", field(offset_of!(libc::utsname, machine))),
            ("domainname", field(offset_of!(libc::utsname, domainname))),
        ]);
    }
    Arg::Struct {
        fields,
        more: abbrev,
    }
}

/// `{tms_utime=31 /* 0.31 s */, tms_stime=0, tms_cutime=0, tms_cstime=0}` (`clock_t`).
pub(super) fn tms(d: &[u8]) -> Option<Arg> {
    let t = |i: usize| i64_at(d, i * 8).map(super::clock_t);
    Some(Arg::Struct {
        fields: vec![
            ("tms_utime", t(0)?),
            ("tms_stime", t(1)?),
            ("tms_cutime", t(2)?),
            ("tms_cstime", t(3)?),
        ],
        more: false,
    })
}

pub(super) fn sysinfo(d: &[u8]) -> Option<Arg> {
    let u = |at: usize| u64_at(d, at).map(Arg::UInt);
    let loads = offset_of!(libc::sysinfo, loads);
    Some(Arg::Struct {
        fields: vec![
            (
                "uptime",
                Arg::Int(i64_at(d, offset_of!(libc::sysinfo, uptime))?),
            ),
            (
                "loads",
                Arg::Array {
                    items: vec![u(loads)?, u(loads + 8)?, u(loads + 16)?],
                    more: false,
                },
            ),
            ("totalram", u(offset_of!(libc::sysinfo, totalram))?),
            ("freeram", u(offset_of!(libc::sysinfo, freeram))?),
            ("sharedram", u(offset_of!(libc::sysinfo, sharedram))?),
            ("bufferram", u(offset_of!(libc::sysinfo, bufferram))?),
            ("totalswap", u(offset_of!(libc::sysinfo, totalswap))?),
            ("freeswap", u(offset_of!(libc::sysinfo, freeswap))?),
            (
                "procs",
                Arg::UInt(u64::from(u16_at(d, offset_of!(libc::sysinfo, procs))?)),
            ),
            ("totalhigh", u(offset_of!(libc::sysinfo, totalhigh))?),
            ("freehigh", u(offset_of!(libc::sysinfo, freehigh))?),
            (
                "mem_unit",
                Arg::UInt(u64::from(u32_at(d, offset_of!(libc::sysinfo, mem_unit))?)),
            ),
        ],
        more: false,
    })
}

/// `{ru_utime=..., ru_stime=..., ...}`; every counter too when not `abbrev` (`-v`).
pub(super) fn rusage(d: &[u8], abbrev: bool) -> Option<Arg> {
    let mut fields = vec![
        ("ru_utime", timeval(d, offset_of!(libc::rusage, ru_utime))?),
        ("ru_stime", timeval(d, offset_of!(libc::rusage, ru_stime))?),
    ];
    if abbrev {
        return Some(Arg::Struct { fields, more: true });
    }
    // The fourteen longs after the two times, in the kernel's order.
    const COUNTERS: [&str; 14] = [
        "ru_maxrss",
        "ru_ixrss",
        "ru_idrss",
        "ru_isrss",
        "ru_minflt",
        "ru_majflt",
        "ru_nswap",
        "ru_inblock",
        "ru_oublock",
        "ru_msgsnd",
        "ru_msgrcv",
        "ru_nsignals",
        "ru_nvcsw",
        "ru_nivcsw",
    ];
    let first = offset_of!(libc::rusage, ru_maxrss);
    for (k, name) in COUNTERS.into_iter().enumerate() {
        fields.push((name, Arg::Int(i64_at(d, first + 8 * k)?)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

#[cfg(test)]
mod rlim_tests {
    use super::*;

    /// Every form of an rlimit field is the same JSON type (a string); the text is strace's.
    #[test]
    fn rlimit_fields_have_one_type() {
        for (v, text) in [
            (u64::MAX, "RLIM64_INFINITY"),
            (8 << 20, "8192*1024"),
            (1000, "1000"),
            (0, "0"),
        ] {
            assert_eq!(rlim(v).abbrev(), &Arg::sym(text), "{v}");
        }
    }
}
