//! Small values strace prints the same way inside many structs and arguments: file modes,
//! device numbers, times (with their dates), and bit sets (fd_set, CPU masks). A leaf of
//! decode: the struct and topic decoders use these, and these use none of them.

use std::mem::offset_of;

use crate::{
    decode::{Arg, bytes::i64_at, model::Flag},
    tables::xlat,
};

pub const TV_SEC: usize = offset_of!(libc::timespec, tv_sec);
pub const TV_NSEC: usize = offset_of!(libc::timespec, tv_nsec);

/// `S_IFDIR|S_ISVTX|0777`: file type, set-id and sticky bits by name, then the permissions.
pub fn mode_arg(mode: u32) -> Arg {
    let mut parts = Vec::new();
    if let Some(kind) = xlat::FILE_TYPES.name(u64::from(mode & 0o170000)) {
        parts.push(Flag::name(kind));
    }
    for (bit, name) in [
        (0o4000, "S_ISUID"),
        (0o2000, "S_ISGID"),
        (0o1000, "S_ISVTX"),
    ] {
        if mode & bit != 0 {
            parts.push(Flag::name(name));
        }
    }
    parts.push(Flag::Octal(u64::from(mode & 0o777)));
    Arg::constant(Arg::Octal(u64::from(mode)), Arg::Flags(parts))
}

/// C's `%#03o`.
pub fn octal(v: u64) -> String {
    let digits = if v == 0 {
        "0".to_string()
    } else {
        format!("0{v:o}")
    };
    format!("{digits:0>3}")
}

/// `makedev(0x88, 0)` from a kernel dev_t; the dev_t itself with `-X raw` (`0x8800`).
pub fn makedev(major: u64, minor: u64) -> Arg {
    let dev = (minor & 0xff)
        | ((major & 0xfff) << 8)
        | ((minor & !0xff) << 12)
        | ((major & !0xfff) << 32);
    let call = Arg::Call {
        name: "makedev",
        args: vec![Arg::Hex(major), Arg::Hex(minor)],
    };
    Arg::constant(Arg::Hex(dev), call)
}

/// `{tv_sec=.., tv_nsec=..}` at `at`; strace zero-extends tv_nsec (print_timespec.h's
/// `%llu`: `tv_nsec=18446744073709551615` for -1), as tv_usec in a timeval.
pub fn timespec(d: &[u8], at: usize) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("tv_sec", Arg::Int(i64_at(d, at + TV_SEC)?)),
            ("tv_nsec", Arg::UInt(i64_at(d, at + TV_NSEC)? as u64)),
        ],
        more: false,
    })
}

pub fn timeval(d: &[u8], at: usize) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            (
                "tv_sec",
                Arg::Int(i64_at(d, at + offset_of!(libc::timeval, tv_sec))?),
            ),
            (
                "tv_usec",
                Arg::UInt(i64_at(d, at + offset_of!(libc::timeval, tv_usec))? as u64),
            ),
        ],
        more: false,
    })
}

/// `1970-01-01T00:00:01+0000` (with `.nnnnnnnnn` when there are nanoseconds), as strace dates
/// timestamps.
pub fn utc_date(sec: i64, nsec: i64) -> String {
    let days = sec.div_euclid(86_400);
    let rem = sec.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let frac = if nsec != 0 {
        format!(".{nsec:09}")
    } else {
        String::new()
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{frac}+0000",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// `1970-01-01T00:00:01.000002+0000`: a timeval's date, in microseconds when there are any
/// (strace's sprinttime_usec).
pub fn utc_date_usec(sec: i64, usec: i64) -> String {
    let date = utc_date(sec, 0);
    match usec {
        0 => date,
        _ => date.replacen("+0000", &format!(".{usec:06}+0000"), 1),
    }
}

/// `[3 4]`: the fds in an fd_set of `nfds` bits; a set longer than what was captured ends
/// with `...`.
pub fn fd_set(d: &[u8], nfds: u64) -> Arg {
    // The capture is whole words: bits past nfds are not the call's.
    let mut items: Vec<Arg> = bits(d)
        .take_while(|&b| (b as u64) < nfds)
        .map(|b| Arg::Fd(b as i32))
        .collect();
    if nfds.div_ceil(8) > d.len() as u64 {
        items.push(Arg::sym("..."));
    }
    Arg::Set {
        items,
        complement: false,
    }
}

/// Indices of the set bits, little-endian bit order.
pub fn bits(d: &[u8]) -> impl Iterator<Item = usize> + '_ {
    d.iter().enumerate().flat_map(|(byte, &v)| {
        (0..8)
            .filter(move |b| v & (1 << b) != 0)
            .map(move |b| byte * 8 + b)
    })
}
