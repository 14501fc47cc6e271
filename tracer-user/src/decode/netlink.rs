//! Netlink messages sent or received on a netlink socket (sendto, recvfrom, sendmsg, recvmsg),
//! as strace 6.1's netlink.c prints them: `{nlmsg_len=..., nlmsg_type=..., nlmsg_flags=...,
//! nlmsg_seq=..., nlmsg_pid=...}`, a message with a payload as `[header, payload]`, several as
//! a list.
//!
//! Whether the fd is a netlink socket, and its protocol, comes with the call itself: the
//! kernel side reads the socket as the call ends (`CAP_SOCK_PROTO`), as strace asks the kernel
//! at each call, so this stage needs nothing from the fd table (which comes after it, and is
//! not kept at all without `-y`). strace learns the protocol from sock_diag, which lists only
//! bound netlink sockets: an unbound one's messages are decoded without a protocol, and so
//! is this one's (`SOCK_NL_BOUND`).

use tracer_common::{CAP_SOCK_PROTO, SOCK_NL_BOUND, SockProto};

use super::{
    Arg, Ctx,
    bytes::{u16_at, u32_at},
    enum_value,
    flags::{constant, named},
    model::Flag,
    sockopt::{ifindex, inet_addr, inet_pton6},
};
use crate::tables::{
    errno,
    flags::Xlat,
    netlink_gen::{
        AUDIT_TYPES, IFA_ATTRS, IFA_FLAGS, INET_DIAG_TYPES, IP_TOS_FLAGS, NLM_ACK_FLAGS,
        NLM_DELETE_FLAGS, NLM_FLAGS, NLM_GET_FLAGS, NLM_NEW_FLAGS, NLMSG_TYPES, NLMSGERR_ATTRS,
        RT_PROTOCOLS, RT_SCOPES, RT_TABLES, RT_TYPES, RTA_ATTRS, RTM_FLAGS, RTM_TYPES,
        SOCK_DIAG_TYPES,
    },
    xlat::ADDR_FAMILIES,
};

const HDRLEN: usize = 16;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_MIN_TYPE: u16 = 16;
const NLM_F_CAPPED: u16 = 0x100;
const NLM_F_DUMP: u64 = 0x300;
const NETLINK_ROUTE: u16 = 0;
const NETLINK_SOCK_DIAG: u16 = 4;
const NETLINK_AUDIT: u16 = 9;
const NETLINK_KOBJECT_UEVENT: u16 = 15;
const NETLINK_GENERIC: u16 = 16;
const RTM_BASE: u16 = 16;
const RTM_DELACTION: u16 = 49;
const AF_NETLINK: u16 = 16;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// The fd of the call is a netlink socket: its protocol when strace would know it (bound).
pub struct Netlink {
    pub protocol: Option<u16>,
}

/// The netlink socket the call's data went through, if it is one (`CAP_SOCK_PROTO`).
pub fn socket(ctx: &Ctx<'_>) -> Option<Netlink> {
    let blob = ctx
        .raw
        .blobs
        .iter()
        .find(|b| b.kind == CAP_SOCK_PROTO && !b.faulted)?;
    let sock = SockProto::from_bytes(&blob.data)?;
    (sock.family == AF_NETLINK).then(|| Netlink {
        protocol: (sock.flags & SOCK_NL_BOUND != 0).then_some(sock.protocol),
    })
}

/// The messages in the first `len` bytes of `d` (strace's `decode_netlink`).
pub fn messages(ctx: &Ctx<'_>, nl: &Netlink, d: &[u8], len: usize) -> Arg {
    let d = &d[..len.min(d.len())];
    // uevents are text (strace prints them as a string).
    if nl.protocol == Some(NETLINK_KOBJECT_UEVENT) {
        return ctx.data_arg(d, false);
    }
    let list = walk(d, HDRLEN, ctx.array_limit(), |m| {
        u32_at(m, 0).unwrap_or(0) as usize
    });
    // What is left too short for a header: the bytes when it is all, else `...`.
    match (list.rest, list.array) {
        (Some(rest), false) => hex_str(ctx, rest),
        (rest, array) => {
            let items = list.items.iter().map(|m| message(ctx, nl.protocol, m));
            one_or_list(items.collect(), array, list.more || rest.is_some())
        }
    }
}

/// A list of length-prefixed items (messages, attributes), walked as strace walks them.
struct Walked<'a> {
    /// Each item from its header, at least a header's bytes, at most its length.
    items: Vec<&'a [u8]>,
    /// Bytes left after the last item, too few for a header.
    rest: Option<&'a [u8]>,
    /// Cut after `limit` items (`-s`).
    more: bool,
    /// More than one item: printed as a list.
    array: bool,
}

/// Splits `d` into items of `hdr` bytes or more whose length `len_of` reads from their header;
/// an item shorter than a header ends the list (the kernel's NLMSG_NEXT / NLA_NEXT rule).
fn walk(d: &[u8], hdr: usize, limit: usize, len_of: impl Fn(&[u8]) -> usize) -> Walked<'_> {
    let mut list = Walked {
        items: Vec::new(),
        rest: None,
        more: false,
        array: false,
    };
    let mut at = 0;
    loop {
        let left = &d[at..];
        if left.len() < hdr {
            list.rest = Some(left);
            return list;
        }
        if list.items.len() == limit {
            list.more = true;
            return list;
        }
        let len = len_of(left);
        let aligned = len.next_multiple_of(4);
        let next = if len >= hdr {
            left.len().saturating_sub(aligned)
        } else {
            0
        };
        list.array |= next != 0;
        list.items.push(&left[..len.clamp(hdr, left.len())]);
        if next == 0 {
            return list;
        }
        at += aligned;
    }
}

/// One item alone, or the list of them.
fn one_or_list(mut items: Vec<Arg>, array: bool, more: bool) -> Arg {
    if !array && items.len() == 1 {
        return items.pop().unwrap_or(Arg::Ptr(0));
    }
    Arg::Array { items, more }
}

/// One message (its header is in `d`, which holds at least `HDRLEN` bytes): the header, and
/// when it has one the payload after it.
fn message(ctx: &Ctx<'_>, protocol: Option<u16>, d: &[u8]) -> Arg {
    let nlmsg_len = u32_at(d, 0).unwrap_or(0);
    let kind = u16_at(d, 4).unwrap_or(0);
    let flags = u16_at(d, 6).unwrap_or(0);
    let header = Arg::Struct {
        fields: vec![
            ("nlmsg_len", Arg::UInt(u64::from(nlmsg_len))),
            ("nlmsg_type", message_type(protocol, kind)),
            ("nlmsg_flags", message_flags(protocol, kind, flags)),
            ("nlmsg_seq", Arg::UInt(u64::from(u32_at(d, 8).unwrap_or(0)))),
            // strace prints the port id as a pid, signed.
            (
                "nlmsg_pid",
                Arg::Pid(i64::from(u32_at(d, 12).unwrap_or(0) as i32)),
            ),
        ],
        more: false,
    };
    let end = (nlmsg_len as usize).min(d.len());
    if end <= HDRLEN {
        return header;
    }
    let mut items = vec![header];
    items.extend(payload(ctx, protocol, kind, flags, &d[HDRLEN..end]));
    Arg::Array { items, more: false }
}

/// `nlmsg_type`: a control message's `NLMSG_*`, else the protocol's name for it.
fn message_type(protocol: Option<u16>, kind: u16) -> Arg {
    let v = u64::from(kind);
    if kind >= NLMSG_MIN_TYPE {
        match protocol {
            Some(NETLINK_ROUTE) => return enum_value(RTM_TYPES, v),
            Some(NETLINK_SOCK_DIAG) => {
                return named(INET_DIAG_TYPES, v).unwrap_or_else(|| enum_value(SOCK_DIAG_TYPES, v));
            }
            Some(NETLINK_AUDIT) => return enum_value(AUDIT_TYPES, v),
            Some(NETLINK_GENERIC) => return super::netlink_genl::family(kind),
            Some(other) => {
                if let Some(named) = super::netlink_families::message_type(other, kind) {
                    return named;
                }
            }
            None => {}
        }
    }
    enum_value(NLMSG_TYPES, v)
}

/// The flags of a message's kind beyond the common ones (strace's `nlmsg_flags[]`).
fn kind_flags(protocol: Option<u16>, kind: u16) -> Option<Xlat> {
    if kind < NLMSG_MIN_TYPE {
        return (kind == NLMSG_ERROR).then_some(NLM_ACK_FLAGS);
    }
    match protocol? {
        NETLINK_ROUTE if kind == RTM_DELACTION => Some(NLM_GET_FLAGS),
        NETLINK_ROUTE => match kind & 3 {
            0 => Some(NLM_NEW_FLAGS),
            1 => Some(NLM_DELETE_FLAGS),
            2 => Some(NLM_GET_FLAGS),
            _ => None,
        },
        NETLINK_SOCK_DIAG => Some(NLM_GET_FLAGS),
        other => super::netlink_families::kind_flags(other, kind),
    }
}

/// `nlmsg_flags`: the common flags, then the kind's (`NLM_F_DUMP` before its two bits, as
/// strace lists it first), then what is left in hex.
fn message_flags(protocol: Option<u16>, kind: u16, flags: u16) -> Arg {
    let v = u64::from(flags);
    let (names, mut rest) = NLM_FLAGS.split(v);
    let mut parts: Vec<Flag> = names.into_iter().map(Flag::name).collect();
    if let Some(table) = kind_flags(protocol, kind) {
        if table == NLM_GET_FLAGS && rest & NLM_F_DUMP == NLM_F_DUMP {
            parts.push(Flag::name("NLM_F_DUMP"));
            rest &= !NLM_F_DUMP;
        }
        let (names, left) = table.split(rest);
        parts.extend(names.into_iter().map(Flag::name));
        rest = left;
    }
    if rest != 0 {
        if parts.is_empty() {
            let marked = Arg::Commented(Box::new(Arg::Hex(rest)), "NLM_F_???".into());
            return Arg::constant(Arg::Hex(v), marked);
        }
        parts.push(Flag::Bits(rest));
    }
    Arg::constant(Arg::Hex(v), Arg::Flags(parts))
}

/// The payload of a message: the items after its header.
fn payload(ctx: &Ctx<'_>, protocol: Option<u16>, kind: u16, flags: u16, p: &[u8]) -> Vec<Arg> {
    if kind == NLMSG_ERROR {
        return vec![error(ctx, protocol, p, flags & NLM_F_CAPPED != 0)];
    }
    if kind >= NLMSG_MIN_TYPE || kind == NLMSG_DONE {
        let decoded = match protocol {
            Some(NETLINK_ROUTE) => route(ctx, kind, p),
            Some(NETLINK_SOCK_DIAG) => super::netlink_diag::payload(ctx, kind, flags, p),
            Some(other) if kind >= NLMSG_MIN_TYPE => {
                super::netlink_families::payload(ctx, other, kind, p)
            }
            _ => None,
        };
        if let Some(items) = decoded {
            return items;
        }
    }
    if kind == NLMSG_DONE && p.len() == 4 {
        return vec![Arg::Int(i64::from(u32_at(p, 0).unwrap_or(0) as i32))];
    }
    vec![hex_str(ctx, p)]
}

/// Bytes as strace's `printstr_ex(..., QUOTE_FORCE_HEX)`, cut at `-s`.
pub(super) fn hex_str(ctx: &Ctx<'_>, p: &[u8]) -> Arg {
    let limit = ctx.opts.strsize;
    Arg::Str {
        bytes: p[..p.len().min(limit)].to_vec(),
        truncated: p.len() > limit,
        hex: true,
        data: false,
    }
}

/// `{error=-EBUSY, msg=...}`: an error or acknowledgement, with the request it answers;
/// what follows the request (the extended ack's attributes) after it, the two in a list.
fn error(ctx: &Ctx<'_>, protocol: Option<u16>, p: &[u8], capped: bool) -> Arg {
    // strace 6.1 prints a payload shorter than `struct nlmsgerr` (the code and a request's
    // header) in hex.
    if p.len() < 4 + HDRLEN {
        return hex_str(ctx, p);
    }
    let Some(code) = u32_at(p, 0).map(|v| v as i32) else {
        return ctx.bytes_arg(p, false);
    };
    let shown = match errno::lookup(code.unsigned_abs()) {
        Some((name, _)) if code < 0 => constant(Arg::Int(i64::from(code)), format!("-{name}")),
        _ => Arg::Int(i64::from(code)),
    };
    let mut fields = vec![("error", shown)];
    let rest = &p[4..];
    let mut attrs = None;
    if rest.len() >= HDRLEN {
        let inner = u32_at(rest, 0).unwrap_or(0) as usize;
        let size = if capped { HDRLEN } else { inner }.min(rest.len());
        fields.push(("msg", message(ctx, protocol, &rest[..size.max(HDRLEN)])));
        if rest.len() > size.max(HDRLEN) {
            let tail = &rest[size.max(HDRLEN)..];
            attrs = Some(attributes(ctx, tail, NLMSGERR_ATTRS, &|_, _| None));
        }
    }
    let err = Arg::Struct {
        fields,
        more: false,
    };
    match attrs {
        Some(attrs) => Arg::Array {
            items: vec![err, attrs],
            more: false,
        },
        None => err,
    }
}

/// A NETLINK_ROUTE payload (strace's rtnl.c): the message kind's struct, then its
/// attributes. None for NLMSG_DONE (printed as the common decoder prints it).
fn route(ctx: &Ctx<'_>, kind: u16, p: &[u8]) -> Option<Vec<Arg>> {
    if kind == NLMSG_DONE {
        return None;
    }
    let family = *p.first()?;
    let family_arg = enum_value(ADDR_FAMILIES, u64::from(family));
    let items = match kind.wrapping_sub(RTM_BASE) / 4 {
        0 => super::netlink_link::ifinfomsg(ctx, p, family_arg),
        1 => ifaddrmsg(ctx, p, family, family_arg),
        2 => rtmsg(ctx, p, family, family_arg),
        _ if let Some(items) = super::netlink_route::payload(ctx, kind, p, family_arg.clone()) => {
            items
        }
        _ => {
            let mut fields = vec![("family", family_arg)];
            if p.len() > 1 {
                fields.push(("data", hex_str(ctx, &p[1..])));
            }
            vec![Arg::Struct {
                fields,
                more: false,
            }]
        }
    };
    Some(items)
}

/// A struct whose fields follow its family when the payload holds it all, else `...`.
pub(super) fn family_struct(
    name: &'static str,
    family: Arg,
    whole: bool,
    fields: impl FnOnce() -> Vec<(&'static str, Arg)>,
) -> Arg {
    let mut all = vec![(name, family)];
    if whole {
        all.extend(fields());
    }
    Arg::Struct {
        fields: all,
        more: !whole,
    }
}

/// `{ifa_family=AF_INET, ifa_prefixlen=8, ifa_flags=..., ifa_scope=..., ifa_index=...}` and
/// its attributes.
fn ifaddrmsg(ctx: &Ctx<'_>, p: &[u8], family: u8, family_arg: Arg) -> Vec<Arg> {
    let whole = p.len() >= 8;
    let s = family_struct("ifa_family", family_arg, whole, || {
        vec![
            ("ifa_prefixlen", Arg::UInt(u64::from(p[1]))),
            ("ifa_flags", super::flags::flags(IFA_FLAGS, u64::from(p[2]))),
            ("ifa_scope", value_or_hex(RT_SCOPES, u64::from(p[3]))),
            ("ifa_index", ifindex(u32_at(p, 4).unwrap_or(0))),
        ]
    });
    let mut items = vec![s];
    if whole && p.len() > 8 {
        items.push(attributes(ctx, &p[8..], IFA_ATTRS, &|kind, data| {
            ifa_attribute(ctx, family, kind, data)
        }));
    }
    items
}

/// `{rtm_family=AF_INET, rtm_dst_len=0, ...}`.
fn rtmsg(ctx: &Ctx<'_>, p: &[u8], family: u8, family_arg: Arg) -> Vec<Arg> {
    let whole = p.len() >= 12;
    let s = family_struct("rtm_family", family_arg, whole, || {
        vec![
            ("rtm_dst_len", Arg::UInt(u64::from(p[1]))),
            ("rtm_src_len", Arg::UInt(u64::from(p[2]))),
            (
                "rtm_tos",
                super::flags::flags(IP_TOS_FLAGS, u64::from(p[3])),
            ),
            ("rtm_table", value_or_hex(RT_TABLES, u64::from(p[4]))),
            ("rtm_protocol", enum_value(RT_PROTOCOLS, u64::from(p[5]))),
            ("rtm_scope", value_or_hex(RT_SCOPES, u64::from(p[6]))),
            ("rtm_type", enum_value(RT_TYPES, u64::from(p[7]))),
            (
                "rtm_flags",
                super::flags::flags(RTM_FLAGS, u64::from(u32_at(p, 8).unwrap_or(0))),
            ),
        ]
    });
    let mut items = vec![s];
    if whole && p.len() > 12 {
        items.push(attributes(ctx, &p[12..], RTA_ATTRS, &|kind, data| {
            rta_attribute(ctx, family, kind, data)
        }));
    }
    items
}

/// An address of `family` in an attribute: `inet_addr("127.0.0.1")`,
/// `inet_pton(AF_INET6, "::1")`; None for another length.
pub(super) fn address(family: u8, d: &[u8]) -> Option<Arg> {
    match (family, d.len()) {
        (AF_INET, 4) => Some(inet_addr(d)),
        (AF_INET6, 16) => inet_pton6(d, "", "").map(|a| match a {
            Arg::Const { shown, .. } => match *shown {
                Arg::Call { name, mut args } => {
                    args.truncate(2);
                    Arg::Call { name, args }
                }
                other => other,
            },
            other => other,
        }),
        _ => None,
    }
}

/// A plain u32 attribute.
pub(super) fn u32_value(d: &[u8]) -> Option<Arg> {
    (d.len() >= 4).then(|| Arg::UInt(u64::from(u32_at(d, 0).unwrap_or(0))))
}

/// An rtmsg attribute's value (strace's `rtmsg_nla_decoders`, the common ones).
fn rta_attribute(ctx: &Ctx<'_>, family: u8, kind: u16, d: &[u8]) -> Option<Arg> {
    match RTA_ATTRS.name(u64::from(kind))? {
        "RTA_DST" | "RTA_SRC" | "RTA_GATEWAY" | "RTA_PREFSRC" | "RTA_NEWDST" => address(family, d),
        "RTA_IIF" | "RTA_OIF" if d.len() >= 4 => Some(ifindex(u32_at(d, 0)?)),
        "RTA_TABLE" if d.len() >= 4 => Some(value_or_hex(RT_TABLES, u64::from(u32_at(d, 0)?))),
        "RTA_PRIORITY" | "RTA_UID" | "RTA_MARK" | "RTA_FLOW" | "RTA_NH_ID" => u32_value(d),
        "RTA_METRICS" => Some(super::netlink_route::metrics(ctx, d)),
        "RTA_CACHEINFO" if d.len() >= 32 => {
            let field = |k: usize| u32_at(d, k * 4).unwrap_or(0);
            let u = |k: usize| Arg::UInt(u64::from(field(k)));
            Some(Arg::Struct {
                fields: vec![
                    ("rta_clntref", u(0)),
                    ("rta_lastuse", u(1)),
                    ("rta_expires", Arg::Int(i64::from(field(2) as i32))),
                    ("rta_error", u(3)),
                    ("rta_used", u(4)),
                    ("rta_id", u(5)),
                    ("rta_ts", u(6)),
                    ("rta_tsage", u(7)),
                ],
                more: false,
            })
        }
        _ => None,
    }
}

/// A value of `table` by name, else in hex without a comment (strace's `printxval` with no
/// default).
pub(super) fn value_or_hex(table: Xlat, v: u64) -> Arg {
    named(table, v).unwrap_or(Arg::Hex(v))
}

/// strace's `PRINT_FIELD_X`: `0`, else `0x...`.
pub(super) fn hex0(v: u64) -> Arg {
    if v == 0 { Arg::UInt(0) } else { Arg::Hex(v) }
}

/// A list of attributes (strace's `decode_nlattr`): `[{nla_len=8, nla_type=IFA_ADDRESS},
/// value]` each, several in a list; `value` decodes a type's data, else its bytes in hex.
pub(super) fn attributes(
    ctx: &Ctx<'_>,
    d: &[u8],
    names: Xlat,
    value: &dyn Fn(u16, &[u8]) -> Option<Arg>,
) -> Arg {
    let list = walk(d, 4, ctx.array_limit(), |a| {
        usize::from(u16_at(a, 0).unwrap_or(0))
    });
    if let (Some(rest), false) = (list.rest, list.array) {
        return hex_str(ctx, rest);
    }
    let mut items: Vec<Arg> = list
        .items
        .iter()
        .map(|a| {
            let kind = u16_at(a, 2).unwrap_or(0);
            let header = Arg::Struct {
                fields: vec![
                    ("nla_len", Arg::UInt(u64::from(u16_at(a, 0).unwrap_or(0)))),
                    ("nla_type", attribute_type(names, kind)),
                ],
                more: false,
            };
            if a.len() <= 4 {
                return header;
            }
            let data = &a[4..];
            let shown = value(kind & 0x3fff, data).unwrap_or_else(|| hex_str(ctx, data));
            Arg::Array {
                items: vec![header, shown],
                more: false,
            }
        })
        .collect();
    // Bytes too few for an attribute header are printed after the list's items.
    items.extend(list.rest.filter(|r| !r.is_empty()).map(|r| hex_str(ctx, r)));
    one_or_list(items, list.array, list.more)
}

/// `nla_type`: `NLA_F_NESTED|`, `NLA_F_NET_BYTEORDER|`, then the type's name.
fn attribute_type(names: Xlat, kind: u16) -> Arg {
    let name = enum_value(names, u64::from(kind & 0x3fff));
    let mut parts = Vec::new();
    if kind & 0x8000 != 0 {
        parts.push(constant(Arg::Hex(0x8000), "NLA_F_NESTED"));
    }
    if kind & 0x4000 != 0 {
        parts.push(constant(Arg::Hex(0x4000), "NLA_F_NET_BYTEORDER"));
    }
    if parts.is_empty() {
        return name;
    }
    parts.push(name);
    Arg::Or(parts)
}

/// An ifaddrmsg attribute's value (strace's `ifaddrmsg_nla_decoders`).
fn ifa_attribute(ctx: &Ctx<'_>, family: u8, kind: u16, d: &[u8]) -> Option<Arg> {
    match IFA_ATTRS.name(u64::from(kind))? {
        "IFA_ADDRESS" | "IFA_LOCAL" | "IFA_BROADCAST" | "IFA_ANYCAST" | "IFA_MULTICAST" => {
            address(family, d)
        }
        "IFA_LABEL" => Some(super::netlink_link::nul_terminated(ctx, d)),
        "IFA_FLAGS" if d.len() >= 4 => Some(super::flags::flags(
            IFA_FLAGS,
            u64::from(u32_at(d, 0).unwrap_or(0)),
        )),
        "IFA_CACHEINFO" if d.len() >= 16 => {
            let field = |k: usize| Arg::UInt(u64::from(u32_at(d, k * 4).unwrap_or(0)));
            Some(Arg::Struct {
                fields: vec![
                    ("ifa_prefered", field(0)),
                    ("ifa_valid", field(1)),
                    ("cstamp", field(2)),
                    ("tstamp", field(3)),
                ],
                more: false,
            })
        }
        "IFA_RT_PRIORITY" => u32_value(d),
        _ => None,
    }
}

#[cfg(test)]
#[path = "netlink_tests.rs"]
mod tests;
