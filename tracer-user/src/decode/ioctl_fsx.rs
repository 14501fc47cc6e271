//! File and btrfs requests as strace 6.1's fs_x_ioctl.c, fs_0x94_ioctl.c, btrfs.c and
//! inotify_ioctl.c show them: FITRIM's range, FICLONERANGE's source, FIDEDUPERANGE's
//! destinations (and what each deduplicated once it succeeded), a filesystem label, a
//! btrfs volume's fd and name, a quota command, and inotify's next watch descriptor.

use super::ioctl::Shape;
use crate::{
    decode::{
        Arg, Ctx,
        bytes::{cstr_at, i32_at, i64_at, u16_at, u64_at},
        enum_value,
    },
    tables::ioctl_more_gen::BTRFS_QUOTA_CTL_CMDS,
};

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("FITRIM", Shape::With(fstrim_range)),
    ("FICLONERANGE", Shape::With(clone_range)),
    ("FIDEDUPERANGE", Shape::With(dedupe_range)),
    ("FS_IOC_GETFSLABEL", Shape::With(answered_label)),
    ("FS_IOC_SETFSLABEL", Shape::With(label)),
    ("INOTIFY_IOC_SETNEXTWD", Shape::IntValue),
    ("BTRFS_IOC_SYNC", Shape::None),
    ("BTRFS_IOC_DEFAULT_SUBVOL", Shape::ULongIn),
    ("BTRFS_IOC_SNAP_CREATE", Shape::With(vol_args)),
    ("BTRFS_IOC_RESIZE", Shape::With(vol_args)),
    ("BTRFS_IOC_SCAN_DEV", Shape::With(vol_args)),
    ("BTRFS_IOC_FORGET_DEV", Shape::With(vol_args)),
    ("BTRFS_IOC_ADD_DEV", Shape::With(vol_args)),
    ("BTRFS_IOC_RM_DEV", Shape::With(vol_args)),
    ("BTRFS_IOC_SUBVOL_CREATE", Shape::With(vol_args)),
    ("BTRFS_IOC_SNAP_DESTROY", Shape::With(vol_args)),
    ("BTRFS_IOC_DEVICES_READY", Shape::With(vol_args)),
    ("BTRFS_IOC_QUOTA_CTL", Shape::With(quota_ctl)),
];

/// Bytes of `struct file_dedupe_range` before its destinations, and of one destination.
const DEDUPE_HEAD: usize = 24;
const DEDUPE_INFO: usize = 32;
/// Destinations strace prints of an abbreviated FIDEDUPERANGE before `...`.
const DEDUPE_SHOWN: usize = 2;
/// Bytes of a filesystem label (FSLABEL_MAX).
const FSLABEL_MAX: usize = 256;

/// `struct fstrim_range`, as the call read it.
fn fstrim_range(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("start", Arg::Hex(u64_at(d, 0)?)),
            ("len", Arg::UInt(u64_at(d, 8)?)),
            ("minlen", Arg::UInt(u64_at(d, 16)?)),
        ],
        more: false,
    })
}

/// `struct file_clone_range`.
fn clone_range(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("src_fd", Arg::Fd(i64_at(d, 0)? as i32)),
            ("src_offset", Arg::UInt(u64_at(d, 8)?)),
            ("src_length", Arg::UInt(u64_at(d, 16)?)),
            ("dest_offset", Arg::UInt(u64_at(d, 24)?)),
        ],
        more: false,
    })
}

/// FIDEDUPERANGE's destinations, each as `entry` shows it; abbreviated, two then `...`.
fn dedupe_infos(
    ctx: &Ctx<'_>,
    d: &[u8],
    count: usize,
    entry: fn(&[u8], usize) -> Option<Arg>,
) -> Option<Arg> {
    let shown = match ctx.abbrev() {
        true => count.min(DEDUPE_SHOWN),
        false => count,
    };
    let items = (0..shown)
        .map(|i| entry(d, DEDUPE_HEAD + i * DEDUPE_INFO))
        .collect::<Option<Vec<_>>>()?;
    Some(Arg::Array {
        items,
        more: shown < count,
    })
}

/// `struct file_dedupe_range`: the destinations the call read, then (once it succeeded)
/// what it deduplicated for each.
fn dedupe_range(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let count = usize::from(u16_at(d, 16)?);
    let read = |d: &[u8], at: usize| {
        Some(Arg::Struct {
            fields: vec![
                ("dest_fd", Arg::Fd(i64_at(d, at)? as i32)),
                ("dest_offset", Arg::UInt(u64_at(d, at + 8)?)),
            ],
            more: false,
        })
    };
    let before = Arg::Struct {
        fields: vec![
            ("src_offset", Arg::UInt(u64_at(d, 0)?)),
            ("src_length", Arg::UInt(u64_at(d, 8)?)),
            ("dest_count", Arg::UInt(count as u64)),
            ("info", dedupe_infos(ctx, d, count, read)?),
        ],
        more: false,
    };
    if ctx.failed() {
        return Some(before);
    }
    let written = |d: &[u8], at: usize| {
        Some(Arg::Struct {
            fields: vec![
                ("bytes_deduped", Arg::UInt(u64_at(d, at + 16)?)),
                ("status", Arg::Int(i64::from(i32_at(d, at + 24)?))),
            ],
            more: false,
        })
    };
    let after = Arg::Struct {
        fields: vec![("info", dedupe_infos(ctx, d, count, written)?)],
        more: false,
    };
    Some(Arg::Changed(Box::new(before), Box::new(after)))
}

/// A NUL-terminated string of at most `max` bytes, whole whatever `-s` says (strace's
/// print_quoted_cstring); `...` when no NUL ends it.
fn cstring(d: &[u8], at: usize, max: usize) -> Arg {
    let s = cstr_at(d, at, max);
    let ended = d.len() > at + s.len() && s.len() < max;
    Arg::str(s, !ended)
}

fn label(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(cstring(d, 0, FSLABEL_MAX))
}

/// FS_IOC_GETFSLABEL's label, written by the kernel: its address when the call failed.
fn answered_label(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    label(ctx, d).filter(|_| !ctx.failed())
}

/// `struct btrfs_ioctl_vol_args`: an fd and a name.
fn vol_args(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("fd", Arg::Fd(i64_at(d, 0)? as i32)),
            ("name", cstring(d, 8, d.len().saturating_sub(8))),
        ],
        more: false,
    })
}

/// `struct btrfs_ioctl_quota_ctl_args`: its command.
fn quota_ctl(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![("cmd", enum_value(BTRFS_QUOTA_CTL_CMDS, u64_at(d, 0)?))],
        more: false,
    })
}
