//! sendmmsg/recvmmsg's message vector as strace prints it: `[{msg_hdr={...}, msg_len=3},
//! ...]`, the entries the call sent or received (`CAP_MMSGHDR`: each a `CAP_MSGHDR` blob of
//! the whole mmsghdr, followed by its msghdr's sub-blobs); recvmmsg's an address when the
//! call failed, sendmmsg's the entries given.

use tracer_common::{
    CAP_IOVEC, CAP_MSGHDR, CAP_SUB_CONTROL, CAP_SUB_NAME, MMSG_MAX_ITEMS, MSGHDR_SIZE,
};

use super::{
    Arg, Ctx, Syscall,
    bytes::u32_at,
    net::{MsgParts, msghdr_struct},
};
use crate::event::Blob;

/// recvmmsg's `= 0 (Timeout)`, and its time left once it succeeded with a timeout, `= 1 (left
/// {tv_sec=0, tv_nsec=0})`
/// (the timeout as the call ended; the argument shows it as it began).
pub fn recvmmsg(ctx: &Ctx<'_>, sc: &mut Syscall) {
    // strace: no message is a timeout, with or without a timeout given.
    if ctx.raw.ret == 0 {
        sc.ret_extra = Some(Arg::sym("Timeout"));
        return;
    }
    if ctx.failed() || ctx.arg(4) == 0 {
        return;
    }
    if let Some(left) = ctx
        .raw
        .blobs
        .iter()
        .find(|b| b.arg == 4 && !b.at_enter && !b.faulted)
        .and_then(|b| super::values::timespec(&b.data, 0))
    {
        sc.ret_extra = Some(Arg::Labeled("left ", Box::new(left)));
    }
}

/// The vector in argument `i`: with `count` (sendmmsg's vlen argument) every entry given,
/// `msg_len` only for those the call sent; with 0 (recvmmsg) the entries received.
pub fn mmsghdr(ctx: &Ctx<'_>, i: usize, count: u8) -> Arg {
    let ptr = ctx.arg(i);
    let mut items = Vec::new();
    for (n, entry) in entries(&ctx.raw.blobs, i).iter().enumerate() {
        let Some(hdr) = entry.hdr() else {
            break;
        };
        let parts = MsgParts {
            hdr: &hdr.data,
            name: entry.sub(CAP_SUB_NAME).map(|b| b.data.as_slice()),
            iov: entry.sub(CAP_IOVEC),
            control: entry.sub(CAP_SUB_CONTROL).map(|b| b.data.as_slice()),
        };
        let (Some(msg), Some(len)) = (msghdr_struct(ctx, &parts, None), entry.msg_len()) else {
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

/// One captured mmsghdr: its `CAP_MSGHDR` blob (the whole mmsghdr) and the sub-blobs that
/// follow it up to the next entry's.
pub struct Entry<'a>(Vec<&'a Blob>);

impl<'a> Entry<'a> {
    /// The mmsghdr's blob, unless reading it faulted.
    pub fn hdr(&self) -> Option<&'a Blob> {
        self.0.first().copied().filter(|b| !b.faulted)
    }

    /// The first readable sub-blob of `kind` (`CAP_SUB_NAME`, `CAP_IOVEC`, `CAP_SUB_CONTROL`).
    pub fn sub(&self, kind: u8) -> Option<&'a Blob> {
        self.0[1..]
            .iter()
            .copied()
            .find(|b| b.kind == kind && !b.faulted)
    }

    /// The entry's `msg_len` (bytes the kernel sent or received for it).
    pub fn msg_len(&self) -> Option<u32> {
        self.hdr()
            .and_then(|h| u32_at(&h.data, usize::from(MSGHDR_SIZE)))
    }

    /// The entry's `msg_iovlen`.
    pub fn iovlen(&self) -> Option<u64> {
        self.hdr()
            .and_then(|h| tracer_common::wire::read::<tracer_common::Msghdr>(&h.data))
            .map(|m| m.msg_iovlen)
    }
}

/// The entries captured at the exit of argument `i`'s mmsghdr array, in order.
pub fn entries(blobs: &[Blob], i: usize) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry<'_>> = Vec::new();
    for b in blobs
        .iter()
        .filter(|b| usize::from(b.arg) == i && !b.at_enter)
    {
        match out.last_mut() {
            Some(entry) if b.kind != CAP_MSGHDR => entry.0.push(b),
            // Sub-blobs before any header belong to no entry.
            None if b.kind != CAP_MSGHDR => {}
            _ => out.push(Entry(vec![b])),
        }
    }
    out
}
