//! Device mapper requests as strace 6.1's dm.c shows them as they start: `struct dm_ioctl`
//! in brackets (`[{version=[4, 0, 0], data_size=312, name="vg", flags=0}]`), its fields as
//! the request uses them, `, ...` for the parameters that follow it (abbreviated), and the
//! number in hex when the struct cannot be read (`0` for NULL). What a successful call wrote
//! back (strace's ` => {...}`) is not decoded: the address then.

use super::ioctl::Shape;
use crate::{
    decode::{
        Arg, Ctx,
        bytes::{cstr_at, u32_at, u64_at},
        model::Flag,
        values::makedev,
    },
    tables::{ioctl_more_gen::DM_FLAGS, ioctl_names},
};

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("DM_VERSION", Shape::OrHex(dm_ioctl)),
    ("DM_REMOVE_ALL", Shape::OrHex(dm_ioctl)),
    ("DM_LIST_DEVICES", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_CREATE", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_REMOVE", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_RENAME", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_SUSPEND", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_STATUS", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_WAIT", Shape::OrHex(dm_ioctl)),
    ("DM_TABLE_LOAD", Shape::OrHex(dm_ioctl)),
    ("DM_TABLE_CLEAR", Shape::OrHex(dm_ioctl)),
    ("DM_TABLE_DEPS", Shape::OrHex(dm_ioctl)),
    ("DM_TABLE_STATUS", Shape::OrHex(dm_ioctl)),
    ("DM_LIST_VERSIONS", Shape::OrHex(dm_ioctl)),
    ("DM_TARGET_MSG", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_SET_GEOMETRY", Shape::OrHex(dm_ioctl)),
    ("DM_DEV_ARM_POLL", Shape::OrHex(dm_ioctl)),
];

/// lvm2's `DM_EXISTS_FLAG` (libdm-iface.c), which strace 6.1's dm_flags names among the
/// header's bits; not in linux/dm-ioctl.h.
const DM_EXISTS_FLAG: u64 = 0x4;
/// The major version of the ABI strace decodes (linux/dm-ioctl.h's DM_VERSION_MAJOR).
const VERSION_MAJOR: u32 = 4;
/// Bytes of `struct dm_ioctl` before its `data`; a smaller `data_size` is not decoded.
const HEAD: u32 = 305;
/// Where `dev`, `name` and `uuid` are, and their sizes.
const DEV_AT: usize = 40;
const NAME_AT: usize = 48;
const NAME_LEN: usize = 128;
const UUID_AT: usize = 176;
const UUID_LEN: usize = 129;

/// `struct dm_ioctl`'s flags: the header's bits and lvm2's `DM_EXISTS_FLAG`, by bit.
fn dm_flags(value: u64) -> Arg {
    let mut named: Vec<(&'static str, u64)> = DM_FLAGS
        .entries
        .iter()
        .copied()
        .chain([("DM_EXISTS_FLAG", DM_EXISTS_FLAG)])
        .filter(|(_, bit)| value & bit != 0)
        .collect();
    named.sort_by_key(|(_, bit)| *bit);
    let rest = named.iter().fold(value, |v, (_, bit)| v & !bit);
    if named.is_empty() {
        return match rest {
            0 => Arg::UInt(0),
            _ => Arg::Commented(Box::new(Arg::Hex(rest)), "DM_???".into()),
        };
    }
    let mut parts: Vec<Flag> = named.into_iter().map(|(n, _)| Flag::name(n)).collect();
    if rest != 0 {
        parts.push(Flag::Bits(rest));
    }
    Arg::Flags(parts)
}

/// A NUL-terminated string in a field of `len` bytes, as strace's print_quoted_cstring: one
/// with no NUL shows its first `len - 1` bytes and `...`.
pub(super) fn field_cstring(d: &[u8], at: usize, len: usize) -> Option<Arg> {
    let field = d.get(at..at + len)?;
    Some(match field.iter().position(|&b| b == 0) {
        Some(end) => Arg::str(&field[..end], false),
        None => Arg::str(&field[..len - 1], true),
    })
}

/// A kernel dev_t (64 bits) as glibc's major() and minor() split it.
fn dev_t(dev: u64) -> Arg {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    makedev(major & 0xffff_ffff, minor & 0xffff_ffff)
}

/// `struct dm_ioctl` as the call read it (decoded when the call failed).
fn dm_ioctl(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if !ctx.failed() {
        return None;
    }
    let names = ioctl_names(ctx.arg(1) as u32);
    let code = names
        .iter()
        .map(|(_, n)| *n)
        .find(|n| n.starts_with("DM_"))?;
    let data_size = u32_at(d, 12)?;
    if data_size < 12 || d.len() < HEAD as usize {
        return None;
    }
    let version = Arg::Array {
        items: (0..3)
            .map(|i| u32_at(d, i * 4).map(|v| Arg::UInt(u64::from(v))))
            .collect::<Option<Vec<_>>>()?,
        more: false,
    };
    let mut fields = Vec::new();
    let bracketed = |fields, more| {
        Some(Arg::Array {
            items: vec![Arg::Struct {
                fields,
                more: false,
            }],
            more,
        })
    };
    if u32_at(d, 0)? != VERSION_MAJOR {
        let marked = "unsupported device mapper ABI version".into();
        fields.push(("version", Arg::Commented(Box::new(version), marked)));
        return bracketed(fields, false);
    }
    fields.push(("version", version));
    let size = Arg::UInt(u64::from(data_size));
    if data_size < HEAD {
        fields.push((
            "data_size",
            Arg::Commented(Box::new(size), "data_size too small".into()),
        ));
        return bracketed(fields, false);
    }
    fields.push(("data_size", size));
    let no_params = [
        "DM_VERSION",
        "DM_REMOVE_ALL",
        "DM_DEV_CREATE",
        "DM_DEV_REMOVE",
        "DM_DEV_SUSPEND",
        "DM_DEV_STATUS",
        "DM_TABLE_CLEAR",
        "DM_DEV_ARM_POLL",
    ];
    let data_start = u32_at(d, 16)?;
    if !no_params.contains(&code) {
        fields.push(("data_start", Arg::UInt(u64::from(data_start))));
    }
    if !matches!(
        code,
        "DM_REMOVE_ALL" | "DM_LIST_DEVICES" | "DM_LIST_VERSIONS"
    ) {
        let dev = u64_at(d, DEV_AT)?;
        if dev != 0 {
            fields.push(("dev", dev_t(dev)));
        }
        if !cstr_at(d, NAME_AT, NAME_LEN).is_empty() {
            fields.push(("name", field_cstring(d, NAME_AT, NAME_LEN)?));
        }
        if !cstr_at(d, UUID_AT, UUID_LEN).is_empty() {
            fields.push(("uuid", field_cstring(d, UUID_AT, UUID_LEN)?));
        }
    }
    let (target_count, flags, event_nr) = (u32_at(d, 20)?, u32_at(d, 28)?, u32_at(d, 32)?);
    let suspending = flags & 2 != 0;
    match code {
        "DM_TABLE_LOAD" => fields.push(("target_count", Arg::UInt(u64::from(target_count)))),
        "DM_DEV_SUSPEND" if suspending => {}
        "DM_DEV_SUSPEND" | "DM_DEV_RENAME" | "DM_DEV_REMOVE" | "DM_DEV_WAIT" => {
            fields.push(("event_nr", Arg::UInt(u64::from(event_nr))))
        }
        _ => {}
    }
    fields.push(("flags", dm_flags(u64::from(flags))));
    // The parameters after the struct, `...` abbreviated (not captured: the address with -v).
    let params = match code {
        "DM_TABLE_LOAD" => target_count != 0,
        "DM_TARGET_MSG" => data_start != data_size,
        "DM_DEV_RENAME" | "DM_DEV_SET_GEOMETRY" => true,
        _ => false,
    };
    if params && !ctx.abbrev() {
        return None;
    }
    bracketed(fields, params)
}
