//! NETLINK_ROUTE link messages (RTM_NEWLINK, RTM_GETLINK, RTM_SETLINK, RTM_DELLINK) as strace
//! 6.1's rtnl_link.c prints them: `struct ifinfomsg`, then its `IFLA_*` attributes with the
//! values strace decodes (names, numbers, hardware addresses, the statistics structs, the
//! device map, events and filter flags, IFLA_XDP's and IFLA_LINKINFO's nested attributes);
//! the other nested attributes (IFLA_AF_SPEC, IFLA_PROTINFO, ...) and the rest print in hex.

use super::{
    Arg, Ctx,
    bytes::{u16_at, u32_at, u64_at},
    enum_value,
    flags::flags,
    netlink::{attributes, family_struct, hex0, u32_value},
    sockopt::ifindex,
};
use crate::tables::{
    net_gen::ARP_HARDWARE_TYPES,
    netlink_gen::{IFF_FLAGS, IFLA_INFO_ATTRS},
    netlink_link_gen::{
        IFLA_ATTRS, IFLA_EVENTS, IFLA_XDP_ATTRS, LINK_STATS_FIELDS, LINK_STATS64_FIELDS,
        RTEXT_FILTER_FLAGS, XDP_ATTACHED_MODES, XDP_FLAGS,
    },
};

/// Bytes of struct ifinfomsg.
const IFINFOMSG: usize = 16;
/// The statistics fields every kernel since 2.6 fills (up to `tx_compressed`): a shorter
/// struct prints in hex.
const STATS_MIN_FIELDS: usize = 23;

/// `{ifi_family=AF_UNSPEC, ifi_type=ARPHRD_LOOPBACK, ifi_index=..., ifi_flags=...,
/// ifi_change=0}` and, when the struct is whole, its attributes.
pub(super) fn ifinfomsg(ctx: &Ctx<'_>, p: &[u8], family: Arg) -> Vec<Arg> {
    let whole = p.len() >= IFINFOMSG;
    let s = family_struct("ifi_family", family, whole, || {
        vec![
            (
                "ifi_type",
                enum_value(ARP_HARDWARE_TYPES, u64::from(u16_at(p, 2).unwrap_or(0))),
            ),
            ("ifi_index", ifindex(u32_at(p, 4).unwrap_or(0))),
            (
                "ifi_flags",
                flags(IFF_FLAGS, u64::from(u32_at(p, 8).unwrap_or(0))),
            ),
            ("ifi_change", hex0(u64::from(u32_at(p, 12).unwrap_or(0)))),
        ]
    });
    let mut items = vec![s];
    if whole && p.len() > IFINFOMSG {
        items.push(attributes(
            ctx,
            &p[IFINFOMSG..],
            IFLA_ATTRS,
            &|kind, data| ifla_attribute(ctx, p[0], kind, data),
        ));
    }
    items
}

/// An attribute's value (strace's `ifinfomsg_nla_decoders`); None prints it in hex.
fn ifla_attribute(ctx: &Ctx<'_>, family: u8, kind: u16, d: &[u8]) -> Option<Arg> {
    let u8_value = || d.first().map(|&b| Arg::UInt(u64::from(b)));
    let word = || u32_at(d, 0);
    match IFLA_ATTRS.name(u64::from(kind))? {
        "IFLA_ADDRESS" | "IFLA_BROADCAST" | "IFLA_PERM_ADDRESS" => {
            Some(hwaddr(u16::from(family), d))
        }
        "IFLA_IFNAME"
        | "IFLA_QDISC"
        | "IFLA_IFALIAS"
        | "IFLA_PHYS_PORT_NAME"
        | "IFLA_ALT_IFNAME"
        | "IFLA_PARENT_DEV_NAME"
        | "IFLA_PARENT_DEV_BUS_NAME" => Some(nul_terminated(ctx, d)),
        "IFLA_MTU"
        | "IFLA_LINK"
        | "IFLA_MASTER"
        | "IFLA_TXQLEN"
        | "IFLA_WEIGHT"
        | "IFLA_NET_NS_PID"
        | "IFLA_NUM_VF"
        | "IFLA_GROUP"
        | "IFLA_PROMISCUITY"
        | "IFLA_NUM_TX_QUEUES"
        | "IFLA_NUM_RX_QUEUES"
        | "IFLA_CARRIER_CHANGES"
        | "IFLA_GSO_MAX_SEGS"
        | "IFLA_GSO_MAX_SIZE"
        | "IFLA_CARRIER_UP_COUNT"
        | "IFLA_CARRIER_DOWN_COUNT"
        | "IFLA_MIN_MTU"
        | "IFLA_MAX_MTU"
        | "IFLA_GRO_MAX_SIZE"
        | "IFLA_TSO_MAX_SIZE"
        | "IFLA_TSO_MAX_SEGS"
        | "IFLA_ALLMULTI" => u32_value(d),
        "IFLA_OPERSTATE" | "IFLA_LINKMODE" | "IFLA_CARRIER" | "IFLA_PROTO_DOWN" => u8_value(),
        "IFLA_LINK_NETNSID" | "IFLA_NEW_NETNSID" | "IFLA_IF_NETNSID" => {
            word().map(|v| Arg::Int(i64::from(v as i32)))
        }
        "IFLA_NEW_IFINDEX" => word().map(ifindex),
        "IFLA_NET_NS_FD" => word().map(|v| Arg::Fd(v as i32)),
        "IFLA_EXT_MASK" => word().map(|v| flags(RTEXT_FILTER_FLAGS, u64::from(v))),
        "IFLA_EVENT" => word().map(|v| enum_value(IFLA_EVENTS, u64::from(v))),
        "IFLA_STATS" => stats32(d),
        "IFLA_STATS64" => stats64(d),
        "IFLA_MAP" => ifmap(d),
        "IFLA_LINKINFO" => {
            Some(attributes(
                ctx,
                d,
                IFLA_INFO_ATTRS,
                &|kind, data| match IFLA_INFO_ATTRS.name(u64::from(kind))? {
                    "IFLA_INFO_KIND" | "IFLA_INFO_SLAVE_KIND" => Some(nul_terminated(ctx, data)),
                    _ => None,
                },
            ))
        }
        "IFLA_XDP" => Some(attributes(ctx, d, IFLA_XDP_ATTRS, &|kind, data| {
            xdp_attribute(kind, data)
        })),
        _ => None,
    }
}

/// A string attribute, as strace's QUOTE_0_TERMINATED prints it: up to its NUL, which must
/// come within the first `-s` bytes; else those bytes and `...`.
pub(super) fn nul_terminated(ctx: &Ctx<'_>, d: &[u8]) -> Arg {
    let window = &d[..d.len().min(ctx.opts.strsize)];
    match window.iter().position(|&b| b == 0) {
        Some(end) => Arg::str(&window[..end], false),
        None => Arg::str(window, true),
    }
}

/// An IFLA_XDP nested attribute's value (strace's `ifla_xdp_nla_decoders`).
fn xdp_attribute(kind: u16, d: &[u8]) -> Option<Arg> {
    let word = || u32_at(d, 0);
    match IFLA_XDP_ATTRS.name(u64::from(kind))? {
        "IFLA_XDP_FD" | "IFLA_XDP_EXPECTED_FD" => word().map(|v| Arg::Fd(v as i32)),
        "IFLA_XDP_ATTACHED" => d
            .first()
            .map(|&b| enum_value(XDP_ATTACHED_MODES, u64::from(b))),
        "IFLA_XDP_FLAGS" => word().map(|v| flags(XDP_FLAGS, u64::from(v))),
        "IFLA_XDP_PROG_ID"
        | "IFLA_XDP_DRV_PROG_ID"
        | "IFLA_XDP_SKB_PROG_ID"
        | "IFLA_XDP_HW_PROG_ID" => u32_value(d),
        _ => None,
    }
}

/// A hardware address (strace's print_hwaddr): its bytes in hex, joined by `:`, at most as
/// many as device type `dev_type` has (`-X raw`: every byte, as a string); an ifreq's
/// `sa_data` too.
pub(super) fn hwaddr(dev_type: u16, d: &[u8]) -> Arg {
    // strace takes ifinfomsg's family for the device type (so an AF_BRIDGE message's
    // address shows one byte, as ARCNET's).
    let size = super::sockaddr::hwaddr_len(dev_type).unwrap_or(d.len());
    let text: Vec<String> = d[..d.len().min(size)]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let bytes = Arg::Str {
        bytes: d.to_vec(),
        truncated: false,
        hex: true,
        data: false,
    };
    Arg::constant(bytes, Arg::Raw(text.join(":")))
}

/// struct rtnl_link_stats: whole, or without its last field (`rx_nohandler`, Linux 4.6).
fn stats32(d: &[u8]) -> Option<Arg> {
    let whole = LINK_STATS_FIELDS.len() * 4;
    let count = if d.len() >= whole {
        LINK_STATS_FIELDS.len()
    } else if d.len() == STATS_MIN_FIELDS * 4 {
        STATS_MIN_FIELDS
    } else {
        return None;
    };
    let fields = LINK_STATS_FIELDS[..count]
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, Arg::UInt(u64::from(u32_at(d, i * 4).unwrap_or(0)))))
        .collect();
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// struct rtnl_link_stats64: as many fields as the attribute holds, from `tx_compressed` on.
fn stats64(d: &[u8]) -> Option<Arg> {
    let count = (d.len() / 8).min(LINK_STATS64_FIELDS.len());
    if count < STATS_MIN_FIELDS {
        return None;
    }
    let fields = LINK_STATS64_FIELDS[..count]
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, Arg::UInt(u64_at(d, i * 8).unwrap_or(0))))
        .collect();
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// struct rtnl_link_ifmap (28 bytes up to `port`).
fn ifmap(d: &[u8]) -> Option<Arg> {
    if d.len() < 28 {
        return None;
    }
    let x = |at: usize| hex0(u64_at(d, at).unwrap_or(0));
    Some(Arg::Struct {
        fields: vec![
            ("mem_start", x(0)),
            ("mem_end", x(8)),
            ("base_addr", x(16)),
            ("irq", Arg::UInt(u64::from(u16_at(d, 24).unwrap_or(0)))),
            ("dma", Arg::UInt(u64::from(d[26]))),
            ("port", Arg::UInt(u64::from(d[27]))),
        ],
        more: false,
    })
}
