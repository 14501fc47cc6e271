//! Sockets and polling: sockaddrs, msghdrs, iovecs, socket types and options, poll/select/
//! epoll sets, and the results strace appends to their return values.

use tracer_common::{
    ArrayHeader, CAP_IOVEC, CAP_SUB_CONTROL, CAP_SUB_NAME, Msghdr, U32InOut, wire::read,
};

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{self, i32_at, u16_at, u32_at, u64_at},
        enum_value,
        flags::{flags, value_and_flags},
        netlink::Netlink,
        values::{fd_set, timespec, timeval},
    },
    tables::{
        flags::Xlat,
        net_gen::{
            CAN_PROTOCOLS, ETHERNET_PROTOCOLS, KCM_PROTOCOLS, NFC_PROTOCOLS, PHONET_PROTOCOLS,
        },
        xlat::{
            ADDR_FAMILIES, AX25_PROTOCOLS, BT_PROTOCOLS, EPOLL_EVENTS, INET_PROTOCOLS,
            ISDN_PROTOCOLS, MSG_FLAGS, NETLINK_PROTOCOLS, POLL_EVENTS, SMC_PROTOCOLS,
            SOCK_TYPE_FLAGS, SOCK_TYPES,
        },
    },
};

/// socket: its type and protocol.
pub fn socket(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[1] = socket_type(ctx.arg(1));
    sc.args[2] = protocol(ctx.arg(0), ctx.arg(2));
}

/// socketpair: its type; strace prints the protocol as a number whatever the family
/// (`socketpair(AF_INET, SOCK_STREAM, 0, ...)`).
pub fn socketpair(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[1] = socket_type(ctx.arg(1));
    sc.args[2] = Arg::UInt(ctx.arg(2));
}

/// epoll_ctl: the event is ignored for EPOLL_CTL_DEL: strace shows the pointer.
pub fn epoll_ctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.arg(1) as u32 == 2 {
        sc.args[3] = Arg::Ptr(ctx.arg(3));
    }
}

/// epoll_wait, epoll_pwait, epoll_pwait2: no events is `[]`; a failed call's timeout struct
/// and sigmask are their addresses.
pub fn epoll_wait(ctx: &Ctx<'_>, sc: &mut Syscall) {
    // strace prints the timeout struct (epoll_pwait2) and the sigmask as the call ends, read
    // with umove_or_printaddr: a failed call's are their addresses.
    if ctx.failed() {
        let kinds = sc.def.and_then(|d| d.args).unwrap_or_default();
        for i in 3..sc.args.len().min(5) {
            if matches!(kinds.get(i), Some(crate::tables::args::ArgKind::In(_))) {
                sc.args[i] = Arg::Ptr(ctx.arg(i));
            }
        }
    }
    if ctx.raw.ret == 0 {
        sc.args[1] = Arg::Array {
            items: Vec::new(),
            more: false,
        };
    }
}

/// `SOCK_STREAM|SOCK_CLOEXEC`.
fn socket_type(v: u64) -> Arg {
    let v = u64::from(v as u32);
    let (kind, bits) = (v & 0xf, v & !0xf);
    // A type strace does not know: the whole word as flags (`0`, `SOCK_CLOEXEC|0xfff7f7ff`).
    if SOCK_TYPES.name(kind).is_none() {
        return flags(SOCK_TYPE_FLAGS, v);
    }
    let shown = value_and_flags(SOCK_TYPES, 0xf, SOCK_TYPE_FLAGS, v).into_abbrev();
    if bits == 0 {
        return Arg::constant(Arg::Hex(kind), shown);
    }
    // strace prints the type and the flags as two numbers: `0x1|0x80000` with -X raw.
    let kind = value_and_flags(SOCK_TYPES, 0xf, SOCK_TYPE_FLAGS, kind);
    Arg::constant(Arg::Or(vec![kind, flags(SOCK_TYPE_FLAGS, bits)]), shown)
}

/// socket()'s protocol, named by the address family as strace's net.c does (the whole
/// register: an unnamed one is `0xc8 /* IPPROTO_??? */`).
fn protocol(family: u64, raw: u64) -> Arg {
    let table = match ADDR_FAMILIES.name(family).unwrap_or_default() {
        "AF_INET" | "AF_INET6" => INET_PROTOCOLS,
        "AF_NETLINK" => NETLINK_PROTOCOLS,
        // `htons(ETH_P_ALL)`: the value byte-swapped, named inside the call.
        "AF_PACKET" => {
            let host = u64::from((raw as u16).swap_bytes());
            return Arg::Call {
                name: "htons",
                args: vec![enum_value(ETHERNET_PROTOCOLS, host)],
            };
        }
        // Named in a comment whatever -X says, `0x2 /* AX25_P_??? */` too: strace prints
        // them in its verbose style.
        "AF_AX25" => {
            let name = AX25_PROTOCOLS.name(raw).unwrap_or("AX25_P_???");
            let number = if raw == 0 {
                "0".into()
            } else {
                format!("{raw:#x}")
            };
            return Arg::sym(format!("{number} /* {name} */"));
        }
        // strace looks IrDA protocols up in its CAN table (`0 /* IRDAPROTO_??? */`).
        "AF_IRDA" => Xlat::new("IRDAPROTO_", CAN_PROTOCOLS.entries),
        "AF_CAN" => CAN_PROTOCOLS,
        "AF_BLUETOOTH" => BT_PROTOCOLS,
        // RxRPC's protocol is an address family.
        "AF_RXRPC" => ADDR_FAMILIES,
        "AF_ISDN" => ISDN_PROTOCOLS,
        "AF_PHONET" => PHONET_PROTOCOLS,
        "AF_NFC" => NFC_PROTOCOLS,
        "AF_KCM" => KCM_PROTOCOLS,
        "AF_SMC" => SMC_PROTOCOLS,
        // Without a table strace prints the register, a long.
        _ => return Arg::UInt(raw),
    };
    enum_value(table, raw)
}

/// A socklen_t the kernel read and rewrote: `[16]`, or `[110 => 16]` when it changed.
pub fn socklen(ctx: &Ctx<'_>, i: usize) -> Arg {
    let ptr = ctx.arg(i);
    // The address it measures (the argument before) is NULL: strace does not read it.
    if i > 0 && ctx.arg(i - 1) == 0 {
        return Arg::Ptr(ptr);
    }
    let Some(d) = ctx.data(i) else {
        return Arg::Ptr(ptr);
    };
    let Some(U32InOut { before, after }) = read(d) else {
        return Arg::Ptr(ptr);
    };
    let b = Arg::UInt(u64::from(before));
    if before == after || ctx.failed() {
        Arg::boxed(b)
    } else {
        Arg::boxed(Arg::Changed(
            Box::new(b),
            Box::new(Arg::UInt(u64::from(after))),
        ))
    }
}

/// The iovec array of argument `i` (`count` entries); `out`: the kernel wrote the data. An
/// array that could not be read is its address; a failed read's buffers are their
/// addresses (strace: `[{iov_base=0x7ffc..., iov_len=8}]`: the kernel wrote nothing).
pub fn iovec_arg(ctx: &Ctx<'_>, i: usize, count: u64, out: bool) -> Arg {
    let ptr = ctx.arg(i);
    // No entries: nothing is read, strace's print_array prints `[]`.
    if count == 0 && ptr != 0 {
        return Arg::Array {
            items: Vec::new(),
            more: false,
        };
    }
    match ctx
        .blob_kind(i, CAP_IOVEC)
        .filter(|b| bytes::iovec_shown(&b.data))
    {
        Some(b) => {
            let data = !(out && ctx.failed());
            iovecs(
                ctx,
                (ptr, &b.data),
                count,
                b.truncated,
                data.then_some(None),
            )
        }
        None => Arg::Ptr(ptr),
    }
}

/// Argument `i`, an iovec array of another process (process_vm_readv/writev's remote one):
/// each buffer's address and length.
pub fn iovec_addrs(ctx: &Ctx<'_>, i: usize, count: u64) -> Arg {
    // strace's print_array: no entries is `[]` (a NULL array is NULL, rendered before).
    if count == 0 {
        return Arg::Array {
            items: Vec::new(),
            more: false,
        };
    }
    match ctx
        .blob_kind(i, CAP_IOVEC)
        .filter(|b| bytes::iovec_shown(&b.data))
    {
        Some(b) => iovecs(ctx, (ctx.arg(i), &b.data), count, b.truncated, None),
        None => Arg::Ptr(ctx.arg(i)),
    }
}

/// `[{iov_base="...", iov_len=5}, ...]` from the CAP_IOVEC blob `d` of the array at `addr`.
/// `data`: the buffers' data is shown (else each one's address), `Some(nl)` when they hold
/// netlink messages. An array whose entries could not all be read ends in
/// `... /* 0xADDR */` at the first unreadable one (strace's print_array, which reads an
/// entry before checking `-s`).
fn iovecs(
    ctx: &Ctx<'_>,
    (addr, d): (u64, &[u8]),
    count: u64,
    more: bool,
    data: Option<Option<&Netlink>>,
) -> Arg {
    let head = read::<ArrayHeader>(d).unwrap_or_default();
    let n = head.count as usize;
    let limit = ctx.array_limit();
    let unreadable = head.flags & u32::from(tracer_common::BLOB_FAULTED) != 0 && n <= limit;
    let mut items = Vec::new();
    for item in bytes::iovec_items(d).into_iter().take(limit) {
        let (base, len, flags) = (item.base, item.len, item.flags);
        let bytes = &d[item.data];
        let faulted = flags & u32::from(tracer_common::BLOB_FAULTED) != 0;
        let truncated = flags & u32::from(tracer_common::BLOB_TRUNCATED) != 0;
        // NULL is NULL, not the empty data a zero length leaves (strace: `iov_base=NULL`).
        let Some(nl) = data.filter(|_| !faulted && base != 0) else {
            items.push(iov_item(Arg::Ptr(base), len));
            continue;
        };
        items.push(iov_item(super::iov_data(ctx, nl, bytes, truncated), len));
    }
    if unreadable {
        let at = addr + (n * size_of::<tracer_common::UserIovec>()) as u64;
        items.push(Arg::unreadable_from(at));
        return Arg::Array { items, more: false };
    }
    Arg::Array {
        more: more || count > n as u64 || n > items.len(),
        items,
    }
}

/// `{iov_base=..., iov_len=N}`.
fn iov_item(base: Arg, len: u64) -> Arg {
    Arg::Struct {
        fields: vec![("iov_base", base), ("iov_len", Arg::UInt(len))],
        more: false,
    }
}

/// The msg_namelen of argument `i`'s msghdr as the call was given it.
fn enter_namelen(ctx: &Ctx<'_>, i: usize) -> Option<u32> {
    ctx.blob_at_enter(i)
        .filter(|b| b.kind == tracer_common::CAP_MSGHDR && !b.faulted)
        .and_then(|b| read::<Msghdr>(&b.data))
        .map(|before| before.msg_namelen)
}

/// A msghdr with its name, iovecs and control data.
pub fn msghdr(ctx: &Ctx<'_>, i: usize, out: bool) -> Arg {
    let ptr = ctx.arg(i);
    if out && ctx.failed() {
        // strace shows only the name length it read at entry.
        return match enter_namelen(ctx, i) {
            Some(len) => Arg::Struct {
                fields: vec![("msg_namelen", Arg::Int(i64::from(len as i32)))],
                more: false,
            },
            None => Arg::Ptr(ptr),
        };
    }
    let Some(hdr) = ctx.blob_kind(i, tracer_common::CAP_MSGHDR) else {
        return Arg::Ptr(ptr);
    };
    let parts = MsgParts {
        hdr: &hdr.data,
        name: ctx.blob_kind(i, CAP_SUB_NAME).map(|b| b.data.as_slice()),
        iov: ctx.blob_kind(i, CAP_IOVEC),
        control: ctx.blob_kind(i, CAP_SUB_CONTROL).map(|b| b.data.as_slice()),
    };
    msghdr_struct(ctx, &parts, enter_namelen(ctx, i)).unwrap_or(Arg::Ptr(ptr))
}

/// One captured msghdr: the struct and what it points to (`CAP_MSGHDR` and its sub-blobs).
pub struct MsgParts<'a> {
    pub hdr: &'a [u8],
    pub name: Option<&'a [u8]>,
    pub iov: Option<&'a crate::event::Blob>,
    pub control: Option<&'a [u8]>,
}

/// `{msg_name=..., msg_namelen=..., msg_iov=[...], msg_iovlen=..., msg_control=...,
/// msg_controllen=..., msg_flags=...}`; `namelen_before`: the name length the caller gave,
/// shown as `before => after` when the kernel changed it. None when the struct is short.
pub fn msghdr_struct(
    ctx: &Ctx<'_>,
    parts: &MsgParts<'_>,
    namelen_before: Option<u32>,
) -> Option<Arg> {
    let m = read::<Msghdr>(parts.hdr)?;
    let (name, namelen, iovlen) = (m.msg_name, m.msg_namelen, m.msg_iovlen);
    let (control, controllen, flags) = (m.msg_control, m.msg_controllen, m.msg_flags);
    let name_arg = match parts.name {
        Some(b) if name != 0 => super::sockaddr::sockaddr(b),
        _ => Arg::Ptr(name),
    };
    // strace decodes the data as netlink messages when msg_name is a netlink address.
    let netlink = parts
        .name
        .filter(|_| name != 0 && namelen >= 2)
        .and_then(|b| u16_at(b, 0))
        .filter(|&family| i32::from(family) == libc::AF_NETLINK)
        .map(|_| super::netlink::Netlink {
            protocol: super::netlink::socket(ctx).and_then(|s| s.protocol),
        });
    // An iovec array that could not be read is its address.
    let iov_arg = match parts.iov.filter(|b| bytes::iovec_shown(&b.data)) {
        Some(b) => {
            let array = (m.msg_iov, b.data.as_slice());
            iovecs(ctx, array, iovlen, b.truncated, Some(netlink.as_ref()))
        }
        None => Arg::Ptr(m.msg_iov),
    };
    let namelen_arg = match namelen_before.filter(|&before| before != namelen) {
        Some(before) => Arg::Changed(
            Box::new(Arg::UInt(u64::from(before))),
            Box::new(Arg::UInt(u64::from(namelen))),
        ),
        None => Arg::UInt(u64::from(namelen)),
    };
    let name_arg = if namelen == 0 && name != 0 {
        Arg::Ptr(name)
    } else {
        name_arg
    };
    let mut fields = vec![
        ("msg_name", name_arg),
        ("msg_namelen", namelen_arg),
        ("msg_iov", iov_arg),
        ("msg_iovlen", Arg::UInt(iovlen)),
    ];
    // strace shows msg_control only when msg_controllen (as the kernel left it) is not 0:
    // recvmsg's buffer holds nothing then, whatever the caller left in it.
    if controllen != 0 {
        let control_arg = super::cmsg::control(parts.control, control, controllen);
        fields.push(("msg_control", control_arg));
    }
    fields.push(("msg_controllen", Arg::UInt(controllen)));
    fields.push((
        "msg_flags",
        crate::decode::flags::flags(MSG_FLAGS, u64::from(flags)),
    ));
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `{events=EPOLLIN, data={u32=3, u64=3}}` at `at` (epoll_event is packed: 12 bytes).
pub fn epoll_event(d: &[u8], at: usize) -> Option<Arg> {
    let events = u64::from(u32_at(d, at)?);
    let data = u64_at(d, at + 4)?;
    Some(Arg::Struct {
        fields: vec![
            ("events", flags(EPOLL_EVENTS, events)),
            (
                "data",
                Arg::Struct {
                    fields: vec![
                        ("u32", Arg::UInt(data & 0xffff_ffff)),
                        ("u64", Arg::UInt(data)),
                    ],
                    more: false,
                },
            ),
        ],
        more: false,
    })
}

/// `[{events=EPOLLIN, data=...}, ...]`: at most `limit` of the `count` events, the ones
/// past what was captured also ending in `...`.
pub fn epoll_events(d: &[u8], limit: usize, count: u64) -> Arg {
    let n = d.len() / 12;
    Arg::Array {
        items: (0..n.min(limit))
            .filter_map(|k| epoll_event(d, k * 12))
            .collect(),
        more: n > limit || count > n as u64,
    }
}

/// Input pollfds: `[{fd=3, events=POLLIN}]`, at most `limit` of the `count` entries.
pub fn pollfds(d: &[u8], limit: usize, count: u64) -> Arg {
    let n = d.len() / 8;
    let items = (0..n.min(limit))
        .filter_map(|k| {
            let fd = i32_at(d, k * 8)?;
            let events = u64::from(u16_at(d, k * 8 + 4)?);
            // The kernel ignores an entry with a negative fd: strace shows only the fd.
            let mut fields = vec![("fd", Arg::Fd(fd))];
            if fd >= 0 {
                fields.push(("events", flags(POLL_EVENTS, events)));
            }
            Some(Arg::Struct {
                fields,
                more: false,
            })
        })
        .collect();
    Arg::Array {
        items,
        more: n > limit || count > n as u64,
    }
}

/// poll: `= 1 ([{fd=3, revents=POLLIN}])`, `= 0 (Timeout)`.
pub fn poll(ctx: &Ctx<'_>, sc: &mut Syscall) {
    poll_result(false, ctx, sc);
}

/// ppoll: as poll, with the time left.
pub fn ppoll(ctx: &Ctx<'_>, sc: &mut Syscall) {
    poll_result(true, ctx, sc);
}

/// `= 1 ([{fd=3, revents=POLLIN}])`, `= 0 (Timeout)`, and with `left` the time left.
fn poll_result(left: bool, ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.failed() {
        return;
    }
    if ctx.raw.ret == 0 {
        sc.ret_extra = Some(Arg::sym("Timeout"));
        return;
    }
    let Some(d) = ctx.data(0) else { return };
    let mut ready: Vec<Arg> = d
        .as_chunks::<8>()
        .0
        .iter()
        .filter_map(|c| {
            let fd = i32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            let revents = u64::from(u16::from_le_bytes([c[6], c[7]]));
            (revents != 0).then(|| Arg::Struct {
                fields: vec![
                    ("fd", Arg::Fd(fd)),
                    ("revents", flags(POLL_EVENTS, revents)),
                ],
                more: false,
            })
        })
        .collect();
    // strace stops at -s entries (unless -v); the ready ones past what was captured also end
    // in `...`.
    let found = ready.len();
    ready.truncate(ctx.array_limit());
    let more = found > ready.len() || (found as i64) < ctx.raw.ret;
    let mut parts = vec![Arg::Array { items: ready, more }];
    if left
        && let Some(left) = ctx
            .raw
            .blobs
            .iter()
            .find(|b| b.arg == 2 && !b.at_enter && !b.faulted)
            .and_then(|b| timespec(&b.data, 0))
    {
        parts.push(Arg::Labeled("left ", Box::new(left)));
    }
    sc.ret_extra = Some(Arg::Seq(parts));
}

/// select: `= 1 (in [3], left {tv_sec=0, tv_usec=...})`, `= 0 (Timeout)`.
pub fn select(ctx: &Ctx<'_>, sc: &mut Syscall) {
    no_sets_without_fds(ctx, sc);
    select_result(true, ctx, sc);
}

/// pselect6: as select, with a timespec left.
pub fn pselect6(ctx: &Ctx<'_>, sc: &mut Syscall) {
    no_sets_without_fds(ctx, sc);
    select_result(false, ctx, sc);
}

/// strace reads no set for an nfds of 0 or less: each prints as its address.
fn no_sets_without_fds(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.arg(0) as i32 <= 0 {
        for i in 1..4 {
            if let Some(arg) = sc.args.get_mut(i) {
                *arg = Arg::Ptr(ctx.arg(i));
            }
        }
    }
}

/// `= 1 (in [3], left {...})`, `= 0 (Timeout)`; the time left a timeval or a timespec.
fn select_result(timeval_left: bool, ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.failed() {
        return;
    }
    if ctx.raw.ret == 0 {
        sc.ret_extra = Some(Arg::sym("Timeout"));
        return;
    }
    let mut parts = Vec::new();
    for (i, label) in [(1usize, "in "), (2, "out "), (3, "except ")] {
        let after = ctx
            .raw
            .blobs
            .iter()
            .find(|b| usize::from(b.arg) == i && !b.at_enter && !b.faulted);
        if let Some(b) = after
            && let Some(set) = Some(fd_set(&b.data, ctx.arg(0)))
            && !matches!(&set, Arg::Set { items, .. } if items.is_empty())
        {
            parts.push(Arg::Labeled(label, Box::new(set)));
        }
    }
    let left = ctx
        .raw
        .blobs
        .iter()
        .find(|b| b.arg == 4 && !b.at_enter && !b.faulted)
        .and_then(|b| {
            if timeval_left {
                timeval(&b.data, 0)
            } else {
                timespec(&b.data, 0)
            }
        });
    if let Some(left) = left {
        parts.push(Arg::Labeled("left ", Box::new(left)));
    }
    if !parts.is_empty() {
        sc.ret_extra = Some(Arg::Seq(parts));
    }
}
