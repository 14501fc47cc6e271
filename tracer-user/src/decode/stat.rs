//! `struct stat` (stat, fstat, lstat, newfstatat) and `struct statx`, as strace prints them:
//! abbreviated by default (`{st_mode=S_IFREG|0644, st_size=10, ...}`), every field with `-v`
//! (strace's print_struct_stat and statx decoder, whose field order this keeps).

use std::mem::offset_of;

use crate::{
    decode::{
        Arg,
        bytes::{i64_at, u16_at, u32_at, u64_at},
        flags::flags,
        values::{makedev, mode_arg, utc_date},
    },
    tables::xlat::{STATX_ATTRS, STATX_MASKS},
};

/// statx's mask bits that decide whether a field was filled (and is printed with `-v`).
const STATX_BTIME: u64 = 0x800;
const STATX_MNT_ID: u64 = 0x1000;
const STATX_DIOALIGN: u64 = 0x2000;

/// A character or block device's file type: it has a device number in place of a size.
fn is_device(mode: u32) -> bool {
    matches!(mode & 0o170000, 0o20000 | 0o60000)
}

/// A kernel dev_t as `struct stat` holds it (the kernel's new_encode_dev layout, glibc's
/// `major`/`minor`).
pub fn dev(v: u64) -> Arg {
    let major = ((v >> 8) & 0xfff) | ((v >> 32) & !0xfff);
    let minor = (v & 0xff) | ((v >> 12) & !0xff);
    makedev(major, minor)
}

/// `struct stat`; `abbrev`: strace's default, mode and size (or device) and `...`.
pub fn stat(d: &[u8], abbrev: bool) -> Option<Arg> {
    let u = |at: usize| u64_at(d, at).map(Arg::UInt);
    let id = |at: usize| u32_at(d, at).map(|v| Arg::UInt(u64::from(v)));
    let mode = u32_at(d, offset_of!(libc::stat, st_mode))?;
    let mut fields = Vec::new();
    if !abbrev {
        fields.push(("st_dev", dev(u64_at(d, offset_of!(libc::stat, st_dev))?)));
        fields.push(("st_ino", u(offset_of!(libc::stat, st_ino))?));
    }
    fields.push(("st_mode", mode_arg(mode)));
    if !abbrev {
        fields.push(("st_nlink", u(offset_of!(libc::stat, st_nlink))?));
        fields.push(("st_uid", id(offset_of!(libc::stat, st_uid))?));
        fields.push(("st_gid", id(offset_of!(libc::stat, st_gid))?));
        fields.push(("st_blksize", u(offset_of!(libc::stat, st_blksize))?));
        fields.push(("st_blocks", u(offset_of!(libc::stat, st_blocks))?));
    }
    if is_device(mode) {
        fields.push(("st_rdev", dev(u64_at(d, offset_of!(libc::stat, st_rdev))?)));
    } else {
        let size = i64_at(d, offset_of!(libc::stat, st_size))?;
        fields.push(("st_size", Arg::Int(size)));
    }
    if abbrev {
        return Some(Arg::Struct { fields, more: true });
    }
    let times = [
        (
            "st_atime",
            "st_atime_nsec",
            offset_of!(libc::stat, st_atime),
        ),
        (
            "st_mtime",
            "st_mtime_nsec",
            offset_of!(libc::stat, st_mtime),
        ),
        (
            "st_ctime",
            "st_ctime_nsec",
            offset_of!(libc::stat, st_ctime),
        ),
    ];
    for (name, nsec_name, at) in times {
        // Each time is seconds then nanoseconds (libc's st_atime, st_atime_nsec).
        let (sec, nsec) = (i64_at(d, at)?, i64_at(d, at + 8)?);
        fields.push((name, dated(Arg::Int(sec), sec, nsec)));
        fields.push((nsec_name, Arg::UInt(nsec as u64)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// A statx timestamp: `{tv_sec=1, tv_nsec=0} /* 1970-01-01T00:00:01+0000 */`.
fn statx_time(d: &[u8], at: usize) -> Option<Arg> {
    let sec = i64_at(d, at)?;
    let nsec = u32_at(d, at + 8)?;
    let ts = Arg::Struct {
        fields: vec![
            ("tv_sec", Arg::Int(sec)),
            ("tv_nsec", Arg::UInt(u64::from(nsec))),
        ],
        more: false,
    };
    Some(dated(ts, sec, i64::from(nsec)))
}

/// A time with its date as a comment; a zero time (a file system that keeps no birth time)
/// without, as strace's sprinttime_nsec gives no text for it.
fn dated(value: Arg, sec: i64, nsec: i64) -> Arg {
    match (sec, nsec) {
        (0, 0) => value,
        _ => Arg::Commented(Box::new(value), utc_date(sec, nsec)),
    }
}

/// `struct statx`; `abbrev`: strace's default (mask, attributes, mode, size, `...`).
pub fn statx(d: &[u8], abbrev: bool) -> Option<Arg> {
    let u32_field = |at: usize| u32_at(d, at).map(|v| Arg::UInt(u64::from(v)));
    let u64_field = |at: usize| u64_at(d, at).map(Arg::UInt);
    let mask = u64::from(u32_at(d, offset_of!(libc::statx, stx_mask))?);
    let mode = u32::from(u16_at(d, offset_of!(libc::statx, stx_mode))?);
    let attributes = u64_at(d, offset_of!(libc::statx, stx_attributes))?;
    let mut fields = vec![("stx_mask", flags(STATX_MASKS, mask))];
    if abbrev {
        fields.push(("stx_attributes", flags(STATX_ATTRS, attributes)));
        fields.push(("stx_mode", mode_arg(mode)));
        // The size whatever the file is: strace 6.1 shows a device's numbers in stat's
        // abbreviated struct (`st_rdev=makedev(0x1, 0x7)`), never in statx's.
        fields.push(("stx_size", u64_field(offset_of!(libc::statx, stx_size))?));
        return Some(Arg::Struct { fields, more: true });
    }
    let attributes_mask = u64_at(d, offset_of!(libc::statx, stx_attributes_mask))?;
    fields.extend([
        (
            "stx_blksize",
            u32_field(offset_of!(libc::statx, stx_blksize))?,
        ),
        ("stx_attributes", flags(STATX_ATTRS, attributes)),
        ("stx_nlink", u32_field(offset_of!(libc::statx, stx_nlink))?),
        ("stx_uid", u32_field(offset_of!(libc::statx, stx_uid))?),
        ("stx_gid", u32_field(offset_of!(libc::statx, stx_gid))?),
        ("stx_mode", mode_arg(mode)),
        ("stx_ino", u64_field(offset_of!(libc::statx, stx_ino))?),
        ("stx_size", u64_field(offset_of!(libc::statx, stx_size))?),
        (
            "stx_blocks",
            u64_field(offset_of!(libc::statx, stx_blocks))?,
        ),
        ("stx_attributes_mask", flags(STATX_ATTRS, attributes_mask)),
        (
            "stx_atime",
            statx_time(d, offset_of!(libc::statx, stx_atime))?,
        ),
    ]);
    if mask & STATX_BTIME != 0 {
        let btime = statx_time(d, offset_of!(libc::statx, stx_btime))?;
        fields.push(("stx_btime", btime));
    }
    fields.extend([
        (
            "stx_ctime",
            statx_time(d, offset_of!(libc::statx, stx_ctime))?,
        ),
        (
            "stx_mtime",
            statx_time(d, offset_of!(libc::statx, stx_mtime))?,
        ),
        (
            "stx_rdev_major",
            u32_field(offset_of!(libc::statx, stx_rdev_major))?,
        ),
        (
            "stx_rdev_minor",
            u32_field(offset_of!(libc::statx, stx_rdev_minor))?,
        ),
        (
            "stx_dev_major",
            u32_field(offset_of!(libc::statx, stx_dev_major))?,
        ),
        (
            "stx_dev_minor",
            u32_field(offset_of!(libc::statx, stx_dev_minor))?,
        ),
    ]);
    if mask & STATX_MNT_ID != 0 {
        let mnt_id = u64_at(d, offset_of!(libc::statx, stx_mnt_id))?;
        fields.push(("stx_mnt_id", Arg::Hex(mnt_id)));
    }
    if mask & STATX_DIOALIGN != 0 {
        let (mem, offset) = (
            offset_of!(libc::statx, stx_dio_mem_align),
            offset_of!(libc::statx, stx_dio_offset_align),
        );
        fields.push(("stx_dio_mem_align", u32_field(mem)?));
        fields.push(("stx_dio_offset_align", u32_field(offset)?));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    /// A `struct stat` of a regular file: strace's abbreviated and `-v` texts.
    #[test]
    fn stat_abbreviated_and_in_full() {
        let mut d = vec![0u8; 144];
        let mut put = |at: usize, v: u64, len: usize| {
            d[at..at + len].copy_from_slice(&v.to_le_bytes()[..len]);
        };
        put(offset_of!(libc::stat, st_dev), 0xfe00, 8);
        put(offset_of!(libc::stat, st_ino), 42, 8);
        put(offset_of!(libc::stat, st_nlink), 1, 8);
        put(offset_of!(libc::stat, st_mode), 0o100640, 4);
        put(offset_of!(libc::stat, st_uid), 1000, 4);
        put(offset_of!(libc::stat, st_gid), 50, 4);
        put(offset_of!(libc::stat, st_size), 10, 8);
        put(offset_of!(libc::stat, st_blksize), 4096, 8);
        put(offset_of!(libc::stat, st_blocks), 8, 8);
        put(offset_of!(libc::stat, st_atime), 1_700_000_000, 8);
        put(offset_of!(libc::stat, st_atime_nsec), 123_456_789, 8);
        put(offset_of!(libc::stat, st_mtime), 1_600_000_000, 8);
        assert_eq!(
            shown(&stat(&d, true).expect("stat")),
            "{st_mode=S_IFREG|0640, st_size=10, ...}"
        );
        assert_eq!(
            shown(&stat(&d, false).expect("stat")),
            "{st_dev=makedev(0xfe, 0), st_ino=42, st_mode=S_IFREG|0640, st_nlink=1, \
             st_uid=1000, st_gid=50, st_blksize=4096, st_blocks=8, st_size=10, \
             st_atime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */, \
             st_atime_nsec=123456789, st_mtime=1600000000 /* 2020-09-13T12:26:40+0000 */, \
             st_mtime_nsec=0, st_ctime=0, st_ctime_nsec=0}"
        );
    }
}
