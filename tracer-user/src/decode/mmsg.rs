//! sendmmsg/recvmmsg's message vector as strace prints it: `[{msg_hdr={...}, msg_len=3},
//! ...]`, the entries the call sent or received (`CAP_MMSGHDR`: each a `CAP_MSGHDR` blob of
//! the whole mmsghdr, followed by its msghdr's sub-blobs); an address when the call failed.

use tracer_common::{
    CAP_IOVEC, CAP_MSGHDR, CAP_SUB_CONTROL, CAP_SUB_NAME, MMSG_MAX_ITEMS, MSGHDR_SIZE,
};

use super::{
    Arg, Ctx,
    bytes::u32_at,
    net::{MsgParts, msghdr_struct},
};
use crate::event::Blob;

/// The vector in argument `i`: with `count` (sendmmsg's vlen argument) every entry given,
/// `msg_len` only for those the call sent; with 0 (recvmmsg) the entries received.
pub fn mmsghdr(ctx: &Ctx<'_>, i: usize, count: u8) -> Arg {
    let ptr = ctx.arg(i);
    let blobs: Vec<&Blob> = ctx
        .raw
        .blobs
        .iter()
        .filter(|b| usize::from(b.arg) == i && !b.at_enter)
        .collect();
    let mut items = Vec::new();
    // Each entry: its CAP_MSGHDR blob, then the sub-blobs up to the next one.
    let starts: Vec<usize> = (0..blobs.len())
        .filter(|&k| blobs[k].kind == CAP_MSGHDR)
        .collect();
    for (n, &at) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(blobs.len());
        let group = &blobs[at..end];
        let hdr = group[0];
        if hdr.faulted {
            break;
        }
        let sub = |kind: u8| {
            group[1..]
                .iter()
                .copied()
                .find(|b| b.kind == kind && !b.faulted)
        };
        let parts = MsgParts {
            hdr: &hdr.data,
            name: sub(CAP_SUB_NAME).map(|b| b.data.as_slice()),
            iov: sub(CAP_IOVEC),
            control: sub(CAP_SUB_CONTROL).map(|b| b.data.as_slice()),
        };
        let (Some(msg), Some(len)) = (
            msghdr_struct(ctx, &parts, None),
            u32_at(&hdr.data, usize::from(MSGHDR_SIZE)),
        ) else {
            break;
        };
        let mut fields = vec![("msg_hdr", msg)];
        // The kernel wrote msg_len for the messages it sent or received.
        if (n as i64) < ctx.raw.ret {
            fields.push(("msg_len", Arg::UInt(u64::from(len))));
        }
        items.push(Arg::Struct {
            fields,
            more: false,
        });
    }
    let wanted = if count == 0 {
        u64::try_from(ctx.raw.ret).unwrap_or(0)
    } else {
        u64::from(ctx.arg(usize::from(count)) as u32)
    };
    if items.is_empty() && wanted != 0 {
        return Arg::Ptr(ptr);
    }
    // More messages than the kernel side keeps.
    let more = wanted > items.len() as u64 && items.len() as u64 == MMSG_MAX_ITEMS;
    Arg::Array { items, more }
}
