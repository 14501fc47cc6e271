//! NETLINK_SOCK_DIAG payloads as strace 6.1's sock_diag.c prints them: requests
//! (`inet_diag_req_v2`, the old `inet_diag_req` of TCPDIAG_GETSOCK, `unix_diag_req`,
//! `netlink_diag_req`, `packet_diag_req`) and the
//! inet reply (`inet_diag_msg` and its attributes); other families as `{family=..., data=...}`.

use super::{
    Arg, Ctx,
    bytes::u32_at,
    enum_value,
    model::Flag,
    netlink::{attributes, hex_str},
    sockopt::{hex_bytes, ifindex, inet_addr, inet_pton6},
};
use crate::tables::{
    flags::Xlat,
    netlink_gen::{
        INET_DIAG_ATTRS, NETLINK_DIAG_SHOW, PACKET_DIAG_SHOW, TCP_STATES, UNIX_DIAG_SHOW,
    },
    xlat::{ADDR_FAMILIES, INET_PROTOCOLS, NETLINK_PROTOCOLS},
};

const NLMSG_DONE: u16 = 3;
const NLM_F_REQUEST: u16 = 1;
const TCPDIAG_GETSOCK: u16 = 18;
const DCCPDIAG_GETSOCK: u16 = 19;
const AF_UNIX: u8 = 1;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const AF_NETLINK: u8 = 16;
const AF_PACKET: u8 = 17;
/// linux/netlink_diag.h's NDIAG_PROTO_ALL: every protocol.
const NDIAG_PROTO_ALL: u8 = 0xff;

/// A NETLINK_SOCK_DIAG payload; None for NLMSG_DONE (the common decoder prints it).
pub fn payload(ctx: &Ctx<'_>, kind: u16, flags: u16, p: &[u8]) -> Option<Vec<Arg>> {
    if kind == NLMSG_DONE {
        return None;
    }
    let family = *p.first()?;
    let request = flags & NLM_F_REQUEST != 0;
    if p.len() > 1 {
        match (family, request) {
            (AF_INET | AF_INET6, true) if matches!(kind, TCPDIAG_GETSOCK | DCCPDIAG_GETSOCK) => {
                return Some(inet_req_compat(p));
            }
            (AF_INET | AF_INET6, true) => return Some(inet_req_v2(p)),
            (AF_INET | AF_INET6, false) => return Some(inet_msg(ctx, p)),
            (AF_UNIX, true) => return Some(unix_req(p)),
            (AF_NETLINK | AF_PACKET, true) => return Some(netlink_packet_req(p)),
            (_, false) => {
                if let Some(items) = super::netlink_diag_reply::reply(ctx, p) {
                    return Some(items);
                }
            }
            _ => {}
        }
    }
    let mut fields = vec![("family", family_arg(family))];
    if p.len() > 1 {
        fields.push(("data", hex_str(ctx, &p[1..])));
    }
    Some(vec![Arg::Struct {
        fields,
        more: false,
    }])
}

fn family_arg(family: u8) -> Arg {
    enum_value(ADDR_FAMILIES, u64::from(family))
}

/// `{first=family, ...}` when the payload is shorter than the struct, else every field.
fn fixed(
    first: &'static str,
    family: u8,
    whole: bool,
    fields: impl FnOnce() -> Vec<(&'static str, Arg)>,
) -> Arg {
    let mut all = vec![(first, family_arg(family))];
    if whole {
        all.extend(fields());
    }
    Arg::Struct {
        fields: all,
        more: !whole,
    }
}

/// Flags named `1<<NAME` (`1<<TCP_LISTEN`), or with `shift` 1 `1<<(NAME-1)`, as strace's
/// `tcp_state_flags` and `inet_diag_extension_flags` print them.
fn shifted_flags(table: Xlat, v: u64, shift: u64, unknown: &str) -> Arg {
    let mut parts = Vec::new();
    let mut rest = v;
    for &(name, value) in table.entries {
        let Some(bit) = value.checked_sub(shift).filter(|&b| b < 64) else {
            continue;
        };
        if value < shift.max(1) || rest & (1 << bit) == 0 {
            continue;
        }
        rest &= !(1 << bit);
        parts.push(Flag::name(if shift == 0 {
            format!("1<<{name}")
        } else {
            format!("1<<({name}-{shift})")
        }));
    }
    if rest != 0 {
        if parts.is_empty() {
            let marked = Arg::Commented(Box::new(Arg::Hex(rest)), unknown.to_string());
            return Arg::constant(Arg::Hex(v), marked);
        }
        parts.push(Flag::Bits(rest));
    }
    Arg::constant(Arg::Hex(v), Arg::Flags(parts))
}

fn states(v: u32) -> Arg {
    shifted_flags(TCP_STATES, u64::from(v), 0, "1<<TCP_???")
}

/// `idiag_ext`: the extensions 1 to 8 as bits 0 to 7.
fn extensions(v: u8) -> Arg {
    shifted_flags(INET_DIAG_ATTRS, u64::from(v), 1, "1<<INET_DIAG_???-1")
}

/// `{idiag_sport=htons(1), idiag_dport=htons(0), idiag_src=..., idiag_dst=..., idiag_if=0,
/// idiag_cookie=[0, 0]}` at `d` (48 bytes).
fn sockid(d: &[u8], family: u8) -> Arg {
    // `-X raw`: the port's two bytes, the address field's sixteen.
    let port = |at: usize| {
        let call = Arg::Call {
            name: "htons",
            args: vec![Arg::UInt(u64::from(u16::from_be_bytes([d[at], d[at + 1]])))],
        };
        Arg::constant(hex_bytes(&d[at..at + 2]), call)
    };
    let addr = |at: usize, field: &'static str, label: &'static str| match family {
        AF_INET => inet_addr(&d[at..at + 16]),
        AF_INET6 => inet_pton6(&d[at..at + 16], field, label).unwrap_or(Arg::Ptr(0)),
        _ => Arg::Array {
            items: (0..4)
                .map(|k| Arg::Hex(u64::from(u32_at(d, at + 4 * k).unwrap_or(0))))
                .collect(),
            more: false,
        },
    };
    let mut fields = vec![("idiag_sport", port(0)), ("idiag_dport", port(2))];
    if family == AF_INET6 {
        fields.push(("", addr(4, "&idiag_src", "idiag_src=")));
        fields.push(("", addr(20, "&idiag_dst", "idiag_dst=")));
    } else {
        fields.push(("idiag_src", addr(4, "", "")));
        fields.push(("idiag_dst", addr(20, "", "")));
    }
    fields.push(("idiag_if", ifindex(u32_at(d, 36).unwrap_or(0))));
    fields.push((
        "idiag_cookie",
        Arg::Array {
            items: vec![
                Arg::UInt(u64::from(u32_at(d, 40).unwrap_or(0))),
                Arg::UInt(u64::from(u32_at(d, 44).unwrap_or(0))),
            ],
            more: false,
        },
    ));
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `struct inet_diag_req_v2` (56 bytes).
fn inet_req_v2(p: &[u8]) -> Vec<Arg> {
    let family = p[0];
    vec![fixed("sdiag_family", family, p.len() >= 56, || {
        vec![
            (
                "sdiag_protocol",
                enum_value(INET_PROTOCOLS, u64::from(p[1])),
            ),
            ("idiag_ext", extensions(p[2])),
            ("idiag_states", states(u32_at(p, 4).unwrap_or(0))),
            ("id", sockid(&p[8..56], family)),
        ]
    })]
}

/// The old `struct inet_diag_req` of TCPDIAG_GETSOCK and DCCPDIAG_GETSOCK (60 bytes).
fn inet_req_compat(p: &[u8]) -> Vec<Arg> {
    let family = p[0];
    vec![fixed("idiag_family", family, p.len() >= 60, || {
        vec![
            ("idiag_src_len", Arg::UInt(u64::from(p[1]))),
            ("idiag_dst_len", Arg::UInt(u64::from(p[2]))),
            ("idiag_ext", extensions(p[3])),
            ("id", sockid(&p[4..52], family)),
            ("idiag_states", states(u32_at(p, 52).unwrap_or(0))),
            (
                "idiag_dbs",
                Arg::UInt(u64::from(u32_at(p, 56).unwrap_or(0))),
            ),
        ]
    })]
}

/// `struct unix_diag_req` (24 bytes).
fn unix_req(p: &[u8]) -> Vec<Arg> {
    vec![fixed("sdiag_family", p[0], p.len() >= 24, || {
        vec![
            ("sdiag_protocol", Arg::UInt(u64::from(p[1]))),
            ("udiag_states", states(u32_at(p, 4).unwrap_or(0))),
            ("udiag_ino", Arg::UInt(u64::from(u32_at(p, 8).unwrap_or(0)))),
            (
                "udiag_show",
                super::flags::flags(UNIX_DIAG_SHOW, u64::from(u32_at(p, 12).unwrap_or(0))),
            ),
            (
                "udiag_cookie",
                Arg::Array {
                    items: vec![
                        Arg::UInt(u64::from(u32_at(p, 16).unwrap_or(0))),
                        Arg::UInt(u64::from(u32_at(p, 20).unwrap_or(0))),
                    ],
                    more: false,
                },
            ),
        ]
    })]
}

/// `struct netlink_diag_req` and `struct packet_diag_req` (20 bytes, the same layout):
/// `{sdiag_family=AF_NETLINK, sdiag_protocol=NDIAG_PROTO_ALL, ndiag_ino=0,
/// ndiag_show=NDIAG_SHOW_MEMINFO, ndiag_cookie=[4294967295, 4294967295]}`; a packet one's
/// protocol in hex and its fields `pdiag_*`.
fn netlink_packet_req(p: &[u8]) -> Vec<Arg> {
    let netlink = p[0] == AF_NETLINK;
    vec![fixed("sdiag_family", p[0], p.len() >= 20, || {
        let protocol = match (netlink, p[1]) {
            (true, NDIAG_PROTO_ALL) => {
                super::flags::constant(Arg::Hex(u64::from(NDIAG_PROTO_ALL)), "NDIAG_PROTO_ALL")
            }
            (true, v) => enum_value(NETLINK_PROTOCOLS, u64::from(v)),
            // strace 6.1 prints a packet request's protocol byte as a number (`0x3`).
            (false, v) => Arg::Hex(u64::from(v)),
        };
        let (ino, show, cookie, table) = match netlink {
            true => ("ndiag_ino", "ndiag_show", "ndiag_cookie", NETLINK_DIAG_SHOW),
            false => ("pdiag_ino", "pdiag_show", "pdiag_cookie", PACKET_DIAG_SHOW),
        };
        let word = |at: usize| u64::from(u32_at(p, at).unwrap_or(0));
        vec![
            ("sdiag_protocol", protocol),
            (ino, Arg::UInt(word(4))),
            (show, super::flags::flags(table, word(8))),
            (
                cookie,
                Arg::Array {
                    items: vec![Arg::UInt(word(12)), Arg::UInt(word(16))],
                    more: false,
                },
            ),
        ]
    })]
}

/// `struct inet_diag_msg` (72 bytes) and its attributes.
fn inet_msg(ctx: &Ctx<'_>, p: &[u8]) -> Vec<Arg> {
    let family = p[0];
    let whole = p.len() >= 72;
    let u32_field = |at: usize| Arg::UInt(u64::from(u32_at(p, at).unwrap_or(0)));
    let mut items = vec![fixed("idiag_family", family, whole, || {
        vec![
            ("idiag_state", enum_value(TCP_STATES, u64::from(p[1]))),
            ("idiag_timer", Arg::UInt(u64::from(p[2]))),
            ("idiag_retrans", Arg::UInt(u64::from(p[3]))),
            ("id", sockid(&p[4..52], family)),
            ("idiag_expires", u32_field(52)),
            ("idiag_rqueue", u32_field(56)),
            ("idiag_wqueue", u32_field(60)),
            ("idiag_uid", u32_field(64)),
            ("idiag_inode", u32_field(68)),
        ]
    })];
    if whole && p.len() > 72 {
        let abbrev = ctx.abbrev();
        let value = |kind: u16, d: &[u8]| inet_attribute(kind, d, abbrev);
        items.push(attributes(ctx, &p[72..], INET_DIAG_ATTRS, &value));
    }
    items
}

/// An inet_diag_msg attribute's value, for the plain-number ones and the socket option bits
/// (`abbrev`: the set ones only).
fn inet_attribute(kind: u16, d: &[u8], abbrev: bool) -> Option<Arg> {
    let name = INET_DIAG_ATTRS.name(u64::from(kind))?;
    match (name, d.len()) {
        ("INET_DIAG_SHUTDOWN" | "INET_DIAG_TOS" | "INET_DIAG_TCLASS" | "INET_DIAG_SKV6ONLY", 1) => {
            Some(Arg::UInt(u64::from(d[0])))
        }
        ("INET_DIAG_PROTOCOL", 1) => Some(enum_value(INET_PROTOCOLS, u64::from(d[0]))),
        ("INET_DIAG_MARK" | "INET_DIAG_CLASS_ID", 4) => Some(Arg::UInt(u64::from(u32_at(d, 0)?))),
        ("INET_DIAG_CGROUP_ID", 8) => Some(Arg::UInt(
            u64::from(u32_at(d, 0)?) | (u64::from(u32_at(d, 4)?) << 32),
        )),
        ("INET_DIAG_SOCKOPT", 2..) => {
            Some(inet_diag_sockopt(u16::from_le_bytes([d[0], d[1]]), abbrev))
        }
        _ => None,
    }
}

/// `struct inet_diag_sockopt`'s bits: `{is_icsk=1, mc_loop=1, mc_all=1}`, the set ones only
/// unless `-v` (`abbrev` false), the five unused bits as `unused=0x1 /* bits 3..8 */`
/// (strace's comment) when set or with `-v`.
fn inet_diag_sockopt(bits: u16, abbrev: bool) -> Arg {
    const NAMES: [&str; 11] = [
        "recverr",
        "is_icsk",
        "freebind",
        "hdrincl",
        "mc_loop",
        "transparent",
        "mc_all",
        "nodefrag",
        "bind_address_no_port",
        "recverr_rfc4884",
        "defer_connect",
    ];
    let mut fields: Vec<(&'static str, Arg)> = NAMES
        .iter()
        .enumerate()
        .map(|(bit, name)| (*name, u64::from((bits >> bit) & 1)))
        .filter(|(_, v)| *v != 0 || !abbrev)
        .map(|(name, v)| (name, Arg::UInt(v)))
        .collect();
    let unused = u64::from(bits >> 11);
    if unused != 0 || !abbrev {
        let value = Arg::Commented(Box::new(Arg::Hex(unused)), "bits 3..8".into());
        fields.push(("unused", value));
    }
    Arg::Struct {
        fields,
        more: false,
    }
}
