//! Socket addresses as strace 6.1 prints them (its sockaddr.c): by family (the rarer ones in
//! `sockaddr_more`), each family's
//! fields only when the length holds its struct (else the raw `sa_data`), lengths below a
//! family's as addresses, and the length the kernel wrote for addresses it returns.

use tracer_common::U32InOut;
use tracer_common::wire::read;

use crate::{
    decode::{
        Arg, Ctx,
        bytes::{i32_at, u16_at, u32_at},
        enum_value,
        sockopt::{hex_bytes, ifindex, inet_addr, inet_pton6},
    },
    tables::{
        net_gen::{
            ARP_HARDWARE_TYPES, ETHERNET_PROTOCOLS, PACKET_TYPES, VSOCK_CIDS, VSOCK_FLAGS,
            VSOCK_PORTS,
        },
        xlat::ADDR_FAMILIES,
    },
};

const AF_UNIX: u16 = 1;
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;
const AF_NETLINK: u16 = 16;
const AF_PACKET: u16 = 17;
const AF_VSOCK: u16 = 40;

/// The largest address strace reads (`sizeof(struct sockaddr_storage)`).
const STORAGE: usize = 128;
/// `sizeof(sun_path)`.
const SUN_PATH: usize = 108;
/// An AF_INET6 address without sin6_scope_id (strace's SIN6_MIN_LEN).
const SIN6_MIN_LEN: usize = 24;

/// An address the caller passes (connect, bind, sendto): argument `i`, its length argument `n`.
pub fn input(ctx: &Ctx<'_>, i: usize, n: usize) -> Arg {
    let len = ctx.int(n);
    match ctx.data(i) {
        Some(d) if len >= 2 => sockaddr(cut(d, len)),
        _ => Arg::Ptr(ctx.arg(i)),
    }
}

/// An address the kernel wrote (accept, getsockname, recvfrom): argument `i`, its socklen
/// argument `n`; strace shows as many bytes as the smaller of the lengths before and after.
pub fn output(ctx: &Ctx<'_>, i: usize, n: usize) -> Option<Arg> {
    let U32InOut { before, after } = read(ctx.data(n)?)?;
    let len = i64::from((before as i32).min(after as i32));
    let d = ctx.data(i)?;
    if d.is_empty() {
        return None;
    }
    Some(if len < 2 {
        Arg::Ptr(ctx.arg(i))
    } else {
        sockaddr(cut(d, len))
    })
}

/// The first `len` bytes the capture holds (it holds at most strace's storage size).
fn cut(d: &[u8], len: i64) -> &[u8] {
    let len = usize::try_from(len).unwrap_or(0).min(STORAGE);
    &d[..d.len().min(len)]
}

/// A sockaddr of `d.len()` bytes (at least the family's two).
pub fn sockaddr(d: &[u8]) -> Arg {
    let Some(family) = u16_at(d, 0) else {
        return Arg::Struct {
            fields: Vec::new(),
            more: false,
        };
    };
    let mut fields = vec![("sa_family", enum_value(ADDR_FAMILIES, u64::from(family)))];
    if d.len() > 2 {
        let printed = match family {
            AF_UNIX => Some(unix(d)),
            AF_INET if d.len() >= 16 => inet(d),
            AF_INET6 if d.len() >= SIN6_MIN_LEN => inet6(d),
            AF_NETLINK if d.len() >= 12 => netlink(d),
            AF_PACKET if d.len() >= 20 => packet(d),
            AF_VSOCK if d.len() >= 16 => vsock(d),
            _ => super::sockaddr_more::fields(family, d),
        };
        match printed {
            Some(more) => fields.extend(more),
            None => fields.push(("sa_data", Arg::str(&d[2..], false))),
        }
    }
    Arg::Struct {
        fields,
        more: false,
    }
}

type Fields = Vec<(&'static str, Arg)>;

/// `sun_path="/path"` (up to its NUL), `sun_path=@"abstract"` (every byte).
fn unix(d: &[u8]) -> Fields {
    let path = &d[2..d.len().min(2 + SUN_PATH)];
    let value = if path.first() == Some(&0) {
        Arg::Labeled("@", Box::new(Arg::str(&path[1..], false)))
    } else {
        let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
        Arg::str(&path[..end], false)
    };
    vec![("sun_path", value)]
}

/// `sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")`.
pub(super) fn inet(d: &[u8]) -> Option<Fields> {
    // `-X raw` shows both as the bytes of the struct.
    Some(vec![
        ("sin_port", Arg::constant(hex_bytes(&d[2..4]), htons(d)?)),
        ("sin_addr", inet_addr(d.get(4..8)?)),
    ])
}

/// `sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr)`,
/// and `sin6_scope_id` when the length holds it (an interface for link-local addresses).
pub(super) fn inet6(d: &[u8]) -> Option<Fields> {
    let flow = u32::from_be_bytes(d.get(4..8)?.try_into().ok()?);
    let octets: [u8; 16] = d.get(8..24)?.try_into().ok()?;
    let mut fields = vec![
        ("sin6_port", Arg::constant(hex_bytes(&d[2..4]), htons(d)?)),
        (
            "sin6_flowinfo",
            Arg::constant(
                hex_bytes(&d[4..8]),
                call("htonl", vec![Arg::UInt(u64::from(flow))]),
            ),
        ),
        ("", inet_pton6(&d[8..24], "&sin6_addr", "sin6_addr=")?),
    ];
    if d.len() > SIN6_MIN_LEN {
        // The bytes past the length read as zeros, as strace pads its copy.
        let mut scope = [0u8; 4];
        let have = &d[SIN6_MIN_LEN..d.len().min(28)];
        scope[..have.len()].copy_from_slice(have);
        let scope = u32::from_le_bytes(scope);
        let link_local = octets[0] == 0xfe && octets[1] & 0xc0 == 0x80
            || octets[0] == 0xff && octets[1] & 0x0f == 0x02;
        let value = match link_local {
            true => ifindex(scope),
            false => Arg::UInt(u64::from(scope)),
        };
        fields.push(("sin6_scope_id", value));
    }
    Some(fields)
}

/// `nl_pid=0, nl_groups=00000000` (C's `%#08x`: no `0x` for zero).
fn netlink(d: &[u8]) -> Option<Fields> {
    let pad = u16_at(d, 2)?;
    let groups = u32_at(d, 8)?;
    let mut fields = Vec::new();
    if pad != 0 {
        fields.push(("nl_pad", Arg::Hex(u64::from(pad))));
    }
    fields.push(("nl_pid", Arg::Pid(i64::from(i32_at(d, 4)?))));
    let groups = match groups {
        0 => "00000000".to_string(),
        g => format!("{g:#08x}"),
    };
    fields.push(("nl_groups", Arg::sym(groups)));
    Some(fields)
}

/// `sll_protocol=htons(ETH_P_IP), sll_ifindex=..., sll_hatype=ARPHRD_ETHER,
/// sll_pkttype=PACKET_HOST, sll_halen=6, sll_addr=[0x1, ...]`.
fn packet(d: &[u8]) -> Option<Fields> {
    let protocol = u16::from_be_bytes(d.get(2..4)?.try_into().ok()?);
    let index = u32_at(d, 4)?;
    let hatype = u16_at(d, 8)?;
    let (pkttype, halen) = (*d.get(10)?, *d.get(11)?);
    let mut fields = vec![
        (
            "sll_protocol",
            Arg::constant(
                hex_bytes(&d[2..4]),
                call(
                    "htons",
                    // Named inside the call whatever -X says (`/* htons(ETH_P_IP) */`).
                    vec![enum_value(ETHERNET_PROTOCOLS, u64::from(protocol)).into_abbrev()],
                ),
            ),
        ),
        ("sll_ifindex", ifindex(index)),
        (
            "sll_hatype",
            enum_value(ARP_HARDWARE_TYPES, u64::from(hatype)),
        ),
        ("sll_pkttype", enum_value(PACKET_TYPES, u64::from(pkttype))),
        ("sll_halen", Arg::UInt(u64::from(halen))),
    ];
    if halen != 0 {
        // sll_addr holds 8 bytes; strace reads on into its zeroed copy, and marks bytes
        // past the length with `...`.
        let in_len = d.len() - 12;
        let mut items = Vec::new();
        let mut more = false;
        for k in 0..usize::from(halen) {
            if k >= in_len {
                more = true;
                break;
            }
            let b = d.get(12 + k).copied().unwrap_or(0);
            items.push(match b {
                0 => Arg::sym("00"),
                b => Arg::Hex(u64::from(b)),
            });
        }
        fields.push(("sll_addr", Arg::Array { items, more }));
    }
    Some(fields)
}

/// `svm_cid=VMADDR_CID_HOST, svm_port=0x4d2, svm_flags=0` (`svm_reserved1` and `svm_zero`
/// only when not zero).
fn vsock(d: &[u8]) -> Option<Fields> {
    let reserved = u16_at(d, 2)?;
    let (port, cid) = (u32_at(d, 4)?, u32_at(d, 8)?);
    let flags = *d.get(12)?;
    let zero = d.get(13..16)?;
    let mut fields = Vec::new();
    if reserved != 0 {
        fields.push(("svm_reserved1", Arg::Hex(u64::from(reserved))));
    }
    let named = |table, v: u32| {
        crate::decode::flags::named(table, u64::from(v)).unwrap_or(Arg::Hex(u64::from(v)))
    };
    fields.push(("svm_cid", named(VSOCK_CIDS, cid)));
    fields.push(("svm_port", named(VSOCK_PORTS, port)));
    fields.push((
        "svm_flags",
        crate::decode::flags::flags(VSOCK_FLAGS, u64::from(flags)),
    ));
    // strace 6.1 prints the padding as hex bytes.
    if zero.iter().any(|&b| b != 0) {
        fields.push(("svm_zero", hex_bytes(zero)));
    }
    Some(fields)
}

/// `htons(port)` of the port at offset 2.
pub(super) fn htons(d: &[u8]) -> Option<Arg> {
    let port = u16::from_be_bytes(d.get(2..4)?.try_into().ok()?);
    Some(call("htons", vec![Arg::UInt(u64::from(port))]))
}

fn call(name: &'static str, args: Vec<Arg>) -> Arg {
    Arg::Call { name, args }
}

/// Bytes of a hardware address of device type `dev_type` (an `ARPHRD_*` value), where
/// strace's print_mac.c limits them: NETROM and AX25 7, ETHER, IEEE802 and LOOPBACK 6,
/// ARCNET 1, DLCI 2, IEEE1394 16, EUI64 8, INFINIBAND 20. None for any other type (the
/// caller shows all it has).
pub fn hwaddr_len(dev_type: u16) -> Option<usize> {
    const SIZES: &[(u16, usize)] = &[
        (0, 7),
        (1, 6),
        (3, 7),
        (6, 6),
        (7, 1),
        (15, 2),
        (24, 16),
        (27, 8),
        (32, 20),
        (772, 6),
    ];
    SIZES.iter().find(|(t, _)| *t == dev_type).map(|(_, n)| *n)
}
