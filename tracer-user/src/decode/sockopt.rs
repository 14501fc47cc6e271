//! setsockopt/getsockopt: the level, the option's name and its value as strace 6.1 prints
//! them (`SOL_SOCKET, SO_RCVBUF, [212992], 4`, `{l_onoff=1, l_linger=5}`, `[16 => 4]`), with
//! strace's rules for short, long, negative and unreadable values.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{i32_at, u32_at},
        enum_value, sockopt_structs,
    },
    tables::{
        flags::Xlat,
        net_gen::{NETLINK_SOCKOPTS, PACKET_SOCKOPTS, UDP_SOCKOPTS},
        sockopt_gen::{
            ALG_SOCKOPTS, ARPT_SO_GET, ARPT_SO_SET, EBT_SO_GET, EBT_SO_SET, IP_SOCKOPTS,
            IP6T_SO_GET, IP6T_SO_SET, IPT_SO_GET, IPT_SO_SET, IPV6_SOCKOPTS, MCAST_SOCKOPTS,
            RAW_SOCKOPTS, TLS_SOCKOPTS, XDP_SOCKOPTS,
        },
        xlat::{SO_OPTIONS, SOCKOPT_LEVELS, TCP_OPTIONS},
    },
};

const SOL_IP: u32 = 0;
const SOL_SOCKET: u32 = 1;
const SOL_TCP: u32 = 6;
const SOL_UDP: u32 = 17;
const SOL_IPV6: u32 = 41;
const SOL_RAW: u32 = 255;
const SOL_PACKET: u32 = 263;
const SOL_NETLINK: u32 = 270;
const SOL_ALG: u32 = 279;
const SOL_TLS: u32 = 282;
const SOL_XDP: u32 = 283;

const SO_LINGER: u32 = 13;
const SO_PEERCRED: u32 = 17;
const SO_ATTACH_FILTER: u32 = 26;
const SO_ATTACH_REUSEPORT_CBPF: u32 = 51;
const ICMP_FILTER: u32 = 1;
const PACKET_STATISTICS: u32 = 6;
const NETLINK_LIST_MEMBERSHIPS: u32 = 9;
const PACKET_ADD_MEMBERSHIP: u32 = 1;
const PACKET_DROP_MEMBERSHIP: u32 = 2;
const PACKET_RX_RING: u32 = 5;
const PACKET_TX_RING: u32 = 13;
const MCAST_JOIN_GROUP: u32 = 42;
const MCAST_LEAVE_GROUP: u32 = 45;
const IP_ADD_MEMBERSHIP: u32 = 35;
const IP_DROP_MEMBERSHIP: u32 = 36;
const IPV6_ADD_MEMBERSHIP: u32 = 20;
const IPV6_DROP_MEMBERSHIP: u32 = 21;
const IPV6_JOIN_ANYCAST: u32 = 27;
const IPV6_LEAVE_ANYCAST: u32 = 28;

/// The SOL_SOCKET options strace 6.1 reads as an int whatever the length (at least an int's):
/// "all known int-like options" of its net.c.
const SO_INT_LIKE: &[u32] = &[
    1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37, 40,
    41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75,
];

/// setsockopt: level, name, the value the kernel reads and its length.
pub fn setsockopt(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sockopt(false, ctx, sc);
}

/// getsockopt: level, name, the value the kernel wrote and its length.
pub fn getsockopt(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sockopt(true, ctx, sc);
}

/// Fills in getsockopt's (`getter`) or setsockopt's arguments 1..=4.
fn sockopt(getter: bool, ctx: &Ctx<'_>, sc: &mut Syscall) {
    let level = ctx.arg(1) as u32;
    let name = ctx.arg(2) as u32;
    sc.args[1] = level_arg(level);
    sc.args[2] = name_arg(getter, level, name);
    if getter {
        get_value_and_len(ctx, sc, level, name);
    } else {
        let len = ctx.int(4);
        sc.args[3] = set_value(ctx, level, name, len);
        sc.args[4] = Arg::Int(len);
    }
}

/// `SOL_SOCKET`, or `0xdead /* SOL_?? */` (strace's marker has two question marks here).
fn level_arg(level: u32) -> Arg {
    super::flags::named(SOCKOPT_LEVELS, u64::from(level)).unwrap_or_else(|| {
        let number = Arg::Hex(u64::from(level));
        let marked = Arg::Commented(Box::new(number.clone()), "SOL_??".into());
        Arg::constant(number, marked)
    })
}

/// The option's name in its level's table (and the tables strace 6.1 adds to it for the
/// getter or the setter); a level without a table: the number.
fn name_arg(getter: bool, level: u32, name: u32) -> Arg {
    // strace 6.1's SOL_IP and SOL_IPV6 tables hold linux/in.h's MCAST_* and the netfilter
    // tables' options, named apart for getsockopt and setsockopt.
    let more: &[Xlat] = match (level, getter) {
        (SOL_IP, true) => &[MCAST_SOCKOPTS, IPT_SO_GET, ARPT_SO_GET, EBT_SO_GET],
        (SOL_IP, false) => &[MCAST_SOCKOPTS, IPT_SO_SET, ARPT_SO_SET, EBT_SO_SET],
        (SOL_IPV6, true) => &[MCAST_SOCKOPTS, IP6T_SO_GET],
        (SOL_IPV6, false) => &[MCAST_SOCKOPTS, IP6T_SO_SET],
        _ => &[],
    };
    if let Some(named) = more
        .iter()
        .find_map(|&table| super::flags::named(table, u64::from(name)))
    {
        return named;
    }
    match names_of(level) {
        Some(table) => enum_value(table, u64::from(name)),
        None => Arg::UInt(u64::from(name)),
    }
}

fn names_of(level: u32) -> Option<Xlat> {
    Some(match level {
        SOL_SOCKET => SO_OPTIONS,
        SOL_IP => IP_SOCKOPTS,
        SOL_IPV6 => IPV6_SOCKOPTS,
        SOL_TCP => TCP_OPTIONS,
        SOL_UDP => UDP_SOCKOPTS,
        SOL_PACKET => PACKET_SOCKOPTS,
        SOL_NETLINK => NETLINK_SOCKOPTS,
        SOL_RAW => RAW_SOCKOPTS,
        SOL_TLS => TLS_SOCKOPTS,
        SOL_ALG => ALG_SOCKOPTS,
        SOL_XDP => XDP_SOCKOPTS,
        _ => return None,
    })
}

/// setsockopt's value (`len` bytes at argument 3).
fn set_value(ctx: &Ctx<'_>, level: u32, name: u32, len: i64) -> Arg {
    let ptr = ctx.arg(3);
    if ptr == 0 {
        return Arg::Ptr(0);
    }
    let Some(d) = ctx.data(3) else {
        return Arg::Ptr(ptr);
    };
    let at_least = |size: i64| len >= size;
    // The structs strace decodes at their exact length only (else the address).
    let exact = match (level, name) {
        (SOL_SOCKET, SO_ATTACH_FILTER | SO_ATTACH_REUSEPORT_CBPF) => {
            Some(sockopt_structs::sock_fprog(d, len))
        }
        (SOL_IP | SOL_IPV6, MCAST_JOIN_GROUP | MCAST_LEAVE_GROUP) => {
            Some(sockopt_structs::group_req(d, len))
        }
        (SOL_PACKET, PACKET_ADD_MEMBERSHIP | PACKET_DROP_MEMBERSHIP) => {
            Some(sockopt_structs::packet_mreq(d, len))
        }
        (SOL_PACKET, PACKET_RX_RING | PACKET_TX_RING) => Some(sockopt_structs::tpacket_req(d, len)),
        (SOL_RAW, ICMP_FILTER) => Some(sockopt_structs::icmp_filter(d, len)),
        _ => None,
    };
    if let Some(value) = exact {
        return value.unwrap_or(Arg::Ptr(ptr));
    }
    match (level, name) {
        (SOL_SOCKET, SO_LINGER) if at_least(8) => linger(d, 8),
        (SOL_SOCKET, SO_LINGER) => Arg::Ptr(ptr),
        (SOL_SOCKET, n) if SO_INT_LIKE.contains(&n) => match at_least(4) {
            true => int(d).unwrap_or(Arg::Ptr(ptr)),
            false => Arg::Ptr(ptr),
        },
        (SOL_IP, IP_ADD_MEMBERSHIP | IP_DROP_MEMBERSHIP) if at_least(8) => {
            mreq(d).unwrap_or(Arg::Ptr(ptr))
        }
        (SOL_IPV6, IPV6_ADD_MEMBERSHIP | IPV6_DROP_MEMBERSHIP)
        | (SOL_IPV6, IPV6_JOIN_ANYCAST | IPV6_LEAVE_ANYCAST)
            if at_least(20) =>
        {
            mreq6(d).unwrap_or(Arg::Ptr(ptr))
        }
        (SOL_IP, IP_ADD_MEMBERSHIP | IP_DROP_MEMBERSHIP)
        | (SOL_IPV6, IPV6_ADD_MEMBERSHIP | IPV6_DROP_MEMBERSHIP)
        | (SOL_IPV6, IPV6_JOIN_ANYCAST | IPV6_LEAVE_ANYCAST) => Arg::Ptr(ptr),
        (SOL_NETLINK, _) if at_least(4) => int(d).unwrap_or(Arg::Ptr(ptr)),
        (SOL_NETLINK, _) => Arg::Ptr(ptr),
        _ => default_value(ctx, d, len, ptr),
    }
}

/// Anything else: an int when the length is an int's, else the bytes.
fn default_value(ctx: &Ctx<'_>, d: &[u8], len: i64, ptr: u64) -> Arg {
    if len == 4 {
        return int(d).unwrap_or(Arg::Ptr(ptr));
    }
    let blob_truncated = ctx.blob(3).is_some_and(|b| b.truncated);
    let shown = d.len().min(usize::try_from(len).unwrap_or(usize::MAX));
    ctx.bytes_arg(&d[..shown], blob_truncated || (shown as u64) < len as u64)
}

/// getsockopt's value and length: the value only when the call succeeded and the length the
/// kernel wrote is positive; `[ulen => rlen]` when the kernel changed it.
fn get_value_and_len(ctx: &Ctx<'_>, sc: &mut Syscall, level: u32, name: u32) {
    let ptr = ctx.arg(3);
    let Some((ulen, rlen)) = lengths(ctx) else {
        // strace could not read the length at entry: both as addresses.
        sc.args[3] = Arg::Ptr(ptr);
        sc.args[4] = Arg::Ptr(ctx.arg(4));
        return;
    };
    if ctx.failed() {
        sc.args[3] = Arg::Ptr(ptr);
        sc.args[4] = Arg::boxed(Arg::Int(i64::from(ulen)));
        return;
    }
    sc.args[3] = get_value(ctx, level, name, ulen, rlen);
    let rlen_arg = Arg::Int(i64::from(rlen));
    sc.args[4] = Arg::boxed(if ulen == rlen {
        rlen_arg
    } else {
        Arg::Changed(Box::new(Arg::Int(i64::from(ulen))), Box::new(rlen_arg))
    });
}

/// The optlen before and after the call (signed, as strace prints it).
fn lengths(ctx: &Ctx<'_>) -> Option<(i32, i32)> {
    let d = ctx.data(4)?;
    Some((i32_at(d, 0)?, i32_at(d, 4)?))
}

/// getsockopt's value, `rlen` bytes written by the kernel.
fn get_value(ctx: &Ctx<'_>, level: u32, name: u32, ulen: i32, rlen: i32) -> Arg {
    let ptr = ctx.arg(3);
    if ulen <= 0 || rlen <= 0 {
        return Arg::Ptr(ptr);
    }
    let len = rlen as usize;
    let Some(d) = ctx.data(3).filter(|_| ptr != 0) else {
        return Arg::Ptr(ptr);
    };
    let d = &d[..d.len().min(len)];
    match (level, name) {
        (SOL_SOCKET, SO_LINGER) => linger(d, len),
        (SOL_SOCKET, SO_PEERCRED) => ucred(d, len),
        (SOL_SOCKET, n) if SO_INT_LIKE.contains(&n) => match len >= 4 {
            true => int(d).unwrap_or(Arg::Ptr(ptr)),
            false => hex_bytes(d),
        },
        // The group bitmap as u32 words, as many as the buffer holds of what was written.
        (SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS) => {
            let words = (ulen.min(rlen) as usize / 4).min(d.len() / 4);
            Arg::Array {
                items: (0..words)
                    .map(|k| Arg::UInt(u64::from(u32_at(d, k * 4).unwrap_or(0))))
                    .collect(),
                more: false,
            }
        }
        (SOL_NETLINK, _) => int(d).unwrap_or(Arg::Ptr(ptr)),
        // struct tpacket_stats (or tpacket_stats_v3's first three counters).
        (SOL_PACKET, PACKET_STATISTICS) => fields_within(
            d,
            len.min(12),
            &[
                ("tp_packets", unsigned),
                ("tp_drops", unsigned),
                ("tp_freeze_q_cnt", unsigned),
            ],
        ),
        (SOL_RAW, ICMP_FILTER) => {
            sockopt_structs::icmp_filter(d, i64::from(rlen)).unwrap_or(Arg::Ptr(ptr))
        }
        _ => default_value(ctx, d, i64::from(rlen), ptr),
    }
}

/// `[1]`.
fn int(d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(Arg::Int(i64::from(i32_at(d, 0)?))))
}

/// Bytes as strace's QUOTE_FORCE_HEX prints them: `"\x00\x80"`.
pub fn hex_bytes(d: &[u8]) -> Arg {
    Arg::Str {
        bytes: d.to_vec(),
        truncated: false,
        hex: true,
        data: false,
    }
}

/// A struct field: its name and how its 4 bytes print.
type Field = (&'static str, fn(&[u8]) -> Arg);

/// The fields of a struct of 4-byte fields that fit in `len` bytes; a field cut short shows
/// its bytes in hex and ends the struct (strace's MAYBE_PRINT_FIELD_LEN).
fn fields_within(d: &[u8], len: usize, fields: &[Field]) -> Arg {
    let mut out = Vec::new();
    for (k, (name, value)) in fields.iter().enumerate() {
        let at = k * 4;
        if len <= at {
            break;
        }
        let bytes = d.get(at..d.len().min(at + 4)).unwrap_or_default();
        if len < at + 4 || bytes.len() < 4 {
            out.push((*name, hex_bytes(bytes)));
            break;
        }
        out.push((*name, value(bytes)));
    }
    Arg::Struct {
        fields: out,
        more: false,
    }
}

fn unsigned(b: &[u8]) -> Arg {
    Arg::UInt(u64::from(u32_at(b, 0).unwrap_or(0)))
}

fn signed(b: &[u8]) -> Arg {
    Arg::Int(i64::from(i32_at(b, 0).unwrap_or(0)))
}

/// A uid or gid: `-1` for (uid_t)-1, else unsigned.
pub fn id(b: &[u8]) -> Arg {
    super::id(u32_at(b, 0).unwrap_or(0))
}

fn pid(b: &[u8]) -> Arg {
    Arg::Pid(i64::from(i32_at(b, 0).unwrap_or(0)))
}

/// `{l_onoff=1, l_linger=5}`.
fn linger(d: &[u8], len: usize) -> Arg {
    fields_within(d, len.min(8), &[("l_onoff", signed), ("l_linger", signed)])
}

/// `{pid=1, uid=0, gid=0}`.
fn ucred(d: &[u8], len: usize) -> Arg {
    fields_within(d, len.min(12), &[("pid", pid), ("uid", id), ("gid", id)])
}

/// `{imr_multiaddr=inet_addr("224.0.0.1"), imr_interface=inet_addr("0.0.0.0")}`.
fn mreq(d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("imr_multiaddr", inet_addr(d.get(0..4)?)),
            ("imr_interface", inet_addr(d.get(4..8)?)),
        ],
        more: false,
    })
}

/// `inet_addr("127.0.0.1")` of 4 bytes (`-X raw`: the bytes).
pub fn inet_addr(b: &[u8]) -> Arg {
    let text = Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string();
    let call = Arg::Call {
        name: "inet_addr",
        args: vec![Arg::str(text.as_bytes(), false)],
    };
    Arg::constant(hex_bytes(b), call)
}

/// `inet_pton(AF_INET6, "::1", &FIELD)` of 16 bytes (`-X raw`: `FIELD="\x00..."`), in the
/// place of a field without a name.
pub fn inet_pton6(b: &[u8], field: &'static str, raw_label: &'static str) -> Option<Arg> {
    let octets: [u8; 16] = b.get(..16)?.try_into().ok()?;
    let text = Ipv6Addr::from(octets).to_string();
    Some(Arg::constant(
        Arg::Labeled(raw_label, Box::new(hex_bytes(&octets))),
        Arg::Call {
            name: "inet_pton",
            args: vec![
                Arg::sym("AF_INET6"),
                Arg::str(text.as_bytes(), false),
                Arg::sym(field),
            ],
        },
    ))
}

/// `{inet_pton(AF_INET6, "ff02::1", &ipv6mr_multiaddr), ipv6mr_interface=1}`.
fn mreq6(d: &[u8]) -> Option<Arg> {
    let index = u32_at(d, 16)?;
    let addr = inet_pton6(d, "&ipv6mr_multiaddr", "ipv6mr_multiaddr=")?;
    Some(Arg::Struct {
        fields: vec![("", addr), ("ipv6mr_interface", ifindex(index))],
        more: false,
    })
}

/// An interface index: `if_nametoindex("lo")` when this host has it, else the number (strace's
/// PRINT_FIELD_IFINDEX).
pub fn ifindex(index: u32) -> Arg {
    let mut name = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: `name` has IF_NAMESIZE bytes, as if_indextoname requires.
    let found = index != 0 && !unsafe { libc::if_indextoname(index, name.as_mut_ptr()) }.is_null();
    if !found {
        return Arg::UInt(u64::from(index));
    }
    let bytes: Vec<u8> = name
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    let call = Arg::Call {
        name: "if_nametoindex",
        args: vec![Arg::str(&bytes, false)],
    };
    Arg::constant(Arg::UInt(u64::from(index)), call)
}
