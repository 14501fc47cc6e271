//! userfaultfd's requests as strace 6.1's userfaultfd.c shows them (it leaves
//! UFFDIO_WRITEPROTECT's and UFFDIO_CONTINUE's in hex): the struct the call reads, then (when it succeeded) what the kernel wrote back into it: the ioctls a range
//! or the API offers (`1<<_UFFDIO_WAKE|...`), the bytes copied or zeroed. The argument is
//! captured as the call ends, which holds what the call read except for UFFDIO_API's
//! features (the kernel rewrites them): those show as the kernel left them.

use super::ioctl::Shape;
use crate::{
    decode::{Arg, Ctx, bytes::u64_at, flags::flags, model::Flag},
    tables::ioctl_more_gen::{
        UFFD_COPY_MODES, UFFD_FEATURES, UFFD_REGISTER_MODES, UFFD_ZEROPAGE_MODES, UFFDIO_NRS,
    },
};

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("UFFDIO_API", Shape::With(api)),
    ("UFFDIO_REGISTER", Shape::With(register)),
    ("UFFDIO_UNREGISTER", Shape::With(range_only)),
    ("UFFDIO_WAKE", Shape::With(range_only)),
    ("UFFDIO_COPY", Shape::With(copy)),
    ("UFFDIO_ZEROPAGE", Shape::With(zeropage)),
];

/// The request numbers strace 6.1 names in UFFDIO_API's ioctls (its uffd_api_flags).
const API_IOCTLS: &[&str] = &["_UFFDIO_REGISTER", "_UFFDIO_UNREGISTER", "_UFFDIO_API"];
/// ... and in UFFDIO_REGISTER's (its uffd_register_ioctl_flags).
const RANGE_IOCTLS: &[&str] = &[
    "_UFFDIO_WAKE",
    "_UFFDIO_COPY",
    "_UFFDIO_ZEROPAGE",
    "_UFFDIO_WRITEPROTECT",
    "_UFFDIO_CONTINUE",
];

/// A mask of ioctls, one bit per request number: `1<<_UFFDIO_WAKE|...|0x120`.
fn ioctl_bits(value: u64, known: &[&str]) -> Arg {
    let mut parts = Vec::new();
    let mut rest = value;
    for name in known {
        if let Some(&(_, nr)) = UFFDIO_NRS.entries.iter().find(|(n, _)| n == name)
            && value & (1 << nr) != 0
        {
            parts.push(Flag::Name(format!("1<<{name}").into()));
            rest &= !(1 << nr);
        }
    }
    if parts.is_empty() {
        return match rest {
            0 => Arg::Hex(0),
            _ => Arg::Commented(Box::new(Arg::Hex(rest)), "1<<_UFFDIO_???".into()),
        };
    }
    if rest != 0 {
        parts.push(Flag::Bits(rest));
    }
    Arg::Flags(parts)
}

/// `struct uffdio_range` at `at`.
fn range(d: &[u8], at: usize) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("start", Arg::Hex(u64_at(d, at)?)),
            ("len", Arg::Hex(u64_at(d, at + 8)?)),
        ],
        more: false,
    })
}

fn range_only(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    range(d, 0)
}

/// `struct uffdio_api`: the ioctls offered once it succeeded.
fn api(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let mut fields = vec![
        ("api", Arg::Hex(u64_at(d, 0)?)),
        ("features", flags(UFFD_FEATURES, u64_at(d, 8)?)),
    ];
    if !ctx.failed() {
        fields.push(("ioctls", ioctl_bits(u64_at(d, 16)?, API_IOCTLS)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `struct uffdio_register`: the ioctls the range offers once it succeeded.
fn register(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let mut fields = vec![
        ("range", range(d, 0)?),
        ("mode", flags(UFFD_REGISTER_MODES, u64_at(d, 16)?)),
    ];
    if !ctx.failed() {
        fields.push(("ioctls", ioctl_bits(u64_at(d, 24)?, RANGE_IOCTLS)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `struct uffdio_copy`: the bytes copied once it succeeded.
fn copy(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let mut fields = vec![
        ("dst", Arg::Hex(u64_at(d, 0)?)),
        ("src", Arg::Hex(u64_at(d, 8)?)),
        ("len", Arg::Hex(u64_at(d, 16)?)),
        ("mode", flags(UFFD_COPY_MODES, u64_at(d, 24)?)),
    ];
    if !ctx.failed() {
        fields.push(("copy", Arg::Hex(u64_at(d, 32)?)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `struct uffdio_zeropage`: the bytes zeroed once it succeeded.
fn zeropage(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let mut fields = vec![
        ("range", range(d, 0)?),
        ("mode", flags(UFFD_ZEROPAGE_MODES, u64_at(d, 16)?)),
    ];
    if !ctx.failed() {
        fields.push(("zeropage", Arg::Hex(u64_at(d, 24)?)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}
