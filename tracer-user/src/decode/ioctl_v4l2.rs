//! V4L2 requests as strace 6.1's v4l2.c shows them as they start: the buffer type
//! (`{type=V4L2_BUF_TYPE_VIDEO_CAPTURE}`, `[0 /* V4L2_BUF_TYPE_??? */]`), a format's index,
//! a buffer request's memory and count. What a successful call wrote back (the format, the
//! description, the count granted) is not decoded: the address then.

use super::ioctl::Shape;
use crate::{
    decode::{Arg, Ctx, bytes::u32_at, enum_value},
    tables::ioctl_more_gen::{V4L2_BUF_TYPES, V4L2_MEMORIES},
};

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("VIDIOC_G_FMT", Shape::With(get_format)),
    ("VIDIOC_S_FMT", Shape::With(set_format)),
    ("VIDIOC_TRY_FMT", Shape::With(set_format)),
    ("VIDIOC_ENUM_FMT", Shape::With(fmtdesc)),
    ("VIDIOC_STREAMON", Shape::With(stream)),
    ("VIDIOC_STREAMOFF", Shape::With(stream)),
    ("VIDIOC_REQBUFS", Shape::With(requestbuffers)),
];

fn buf_type(d: &[u8], at: usize) -> Option<Arg> {
    Some(enum_value(V4L2_BUF_TYPES, u64::from(u32_at(d, at)?)))
}

/// Whether strace prints a format of this buffer type (its print_v4l2_format_fmt).
fn has_format(d: &[u8]) -> bool {
    u32_at(d, 0).is_some_and(|t| (1..=14).contains(&t))
}

/// `struct v4l2_format` of VIDIOC_G_FMT: the type; the format the call wrote is not decoded.
fn get_format(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if !ctx.failed() && has_format(d) {
        return None;
    }
    format_type(d)
}

/// `struct v4l2_format` of VIDIOC_S_FMT/VIDIOC_TRY_FMT: the type, when it has no format.
fn set_format(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if has_format(d) {
        return None;
    }
    format_type(d)
}

/// `{type=...}`.
fn format_type(d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![("type", buf_type(d, 0)?)],
        more: false,
    })
}

/// `struct v4l2_fmtdesc`: index and type (the description once it succeeded: not decoded).
fn fmtdesc(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if !ctx.failed() {
        return None;
    }
    Some(Arg::Struct {
        fields: vec![
            ("index", Arg::UInt(u64::from(u32_at(d, 0)?))),
            ("type", buf_type(d, 4)?),
        ],
        more: false,
    })
}

/// VIDIOC_STREAMON/OFF's buffer type: `[V4L2_BUF_TYPE_VIDEO_OUTPUT]`.
fn stream(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(buf_type(d, 0)?))
}

/// `struct v4l2_requestbuffers` (the count granted once it succeeded: not decoded).
fn requestbuffers(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if !ctx.failed() {
        return None;
    }
    Some(Arg::Struct {
        fields: vec![
            ("type", buf_type(d, 4)?),
            (
                "memory",
                enum_value(V4L2_MEMORIES, u64::from(u32_at(d, 8)?)),
            ),
            ("count", Arg::UInt(u64::from(u32_at(d, 0)?))),
        ],
        more: false,
    })
}
