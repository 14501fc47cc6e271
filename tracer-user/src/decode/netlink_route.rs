//! The NETLINK_ROUTE messages beyond links, addresses and routes as strace 6.1 prints them
//! (its rtnl_neigh.c, rtnl_rule.c, rtnl_tc.c, rtnl_nsid.c, rtnl_netconf.c): `struct ndmsg`,
//! `struct fib_rule_hdr`, `struct tcmsg`, `struct rtgenmsg` and `struct netconfmsg`, each
//! followed by its attributes; and the nested `RTA_METRICS` of a route.

use super::{
    Arg, Ctx,
    bytes::{i32_at, u16_at, u32_at},
    enum_value,
    flags::flags,
    netlink::{address, attributes, family_struct, u32_value, value_or_hex},
    netlink_link::nul_terminated,
    sockopt::ifindex,
    sockopt_structs::mac,
};
use crate::tables::netlink_gen::{
    FIB_RULE_FLAGS, FR_ACTIONS, FRA_ATTRS, IP_TOS_FLAGS, NDA_ATTRS, NETCONFA_ATTRS, NETNSA_ATTRS,
    NTF_FLAGS, NUD_STATES, RT_PROTOCOLS, RT_TABLES, RT_TYPES, RTAX_ATTRS, TCA_ATTRS,
};

/// RTM_NEWNEIGH: the first message type of each family of messages this module decodes.
const RTM_NEWNEIGH: u16 = 28;
const RTM_NEWRULE: u16 = 32;
const RTM_NEWQDISC: u16 = 36;
const RTM_NEWTCLASS: u16 = 40;
const RTM_NEWTFILTER: u16 = 44;
const RTM_NEWNETCONF: u16 = 80;
const RTM_NEWNSID: u16 = 88;
const RTM_NEWCHAIN: u16 = 100;

/// The message kind's struct and attributes, None for a kind this module does not decode.
pub(super) fn payload(ctx: &Ctx<'_>, kind: u16, p: &[u8], family: Arg) -> Option<Vec<Arg>> {
    Some(match kind & !3 {
        RTM_NEWNEIGH => ndmsg(ctx, p, family),
        RTM_NEWRULE => fib_rule_hdr(ctx, p, family),
        RTM_NEWQDISC | RTM_NEWTCLASS | RTM_NEWTFILTER | RTM_NEWCHAIN => tcmsg(ctx, p, family),
        RTM_NEWNETCONF => one_byte(ctx, p, "ncm_family", family, NETCONFA_ATTRS, &netconf),
        RTM_NEWNSID => one_byte(ctx, p, "rtgen_family", family, NETNSA_ATTRS, &nsid),
        _ => return None,
    })
}

/// The struct, then (when `whole` and more follows at `size`) its attributes.
fn with_attributes(
    ctx: &Ctx<'_>,
    p: &[u8],
    size: usize,
    s: Arg,
    names: crate::tables::flags::Xlat,
    value: &dyn Fn(u16, &[u8]) -> Option<Arg>,
) -> Vec<Arg> {
    let mut items = vec![s];
    if p.len() > size {
        items.push(attributes(ctx, &p[size..], names, value));
    }
    items
}

/// `{ndm_family=AF_INET, ndm_ifindex=..., ndm_state=NUD_PERMANENT, ndm_flags=NTF_PROXY,
/// ndm_type=RTN_UNICAST}`, then `NDA_*`.
fn ndmsg(ctx: &Ctx<'_>, p: &[u8], family: Arg) -> Vec<Arg> {
    let whole = p.len() >= 12;
    let s = family_struct("ndm_family", family, whole, || {
        vec![
            ("ndm_ifindex", ifindex(u32_at(p, 4).unwrap_or(0))),
            (
                "ndm_state",
                flags(NUD_STATES, u64::from(u16_at(p, 8).unwrap_or(0))),
            ),
            ("ndm_flags", flags(NTF_FLAGS, u64::from(p[10]))),
            ("ndm_type", enum_value(RT_TYPES, u64::from(p[11]))),
        ]
    });
    let fam = p[0];
    with_attributes(ctx, p, 12, s, NDA_ATTRS, &|kind, d| {
        let name = NDA_ATTRS.name(u64::from(kind))?;
        match name {
            "NDA_DST" => address(fam, d),
            "NDA_LLADDR" => Some(mac(d)),
            "NDA_CACHEINFO" if d.len() >= 16 => Some(Arg::Struct {
                fields: ["ndm_confirmed", "ndm_used", "ndm_updated", "ndm_refcnt"]
                    .iter()
                    .enumerate()
                    .map(|(k, n)| (*n, Arg::UInt(u64::from(u32_at(d, k * 4).unwrap_or(0)))))
                    .collect(),
                more: false,
            }),
            "NDA_IFINDEX" | "NDA_MASTER" if d.len() >= 4 => Some(ifindex(u32_at(d, 0)?)),
            "NDA_PROBES" | "NDA_VNI" | "NDA_SRC_VNI" | "NDA_NH_ID" => u32_value(d),
            "NDA_VLAN" if d.len() >= 2 => Some(Arg::UInt(u64::from(u16_at(d, 0)?))),
            "NDA_LINK_NETNSID" if d.len() >= 4 => Some(Arg::Int(i64::from(i32_at(d, 0)?))),
            _ => None,
        }
    })
}

/// `{family=AF_INET, dst_len=0, src_len=0, tos=0, table=RT_TABLE_MAIN,
/// action=FR_ACT_TO_TBL, flags=0}`, then `FRA_*`.
fn fib_rule_hdr(ctx: &Ctx<'_>, p: &[u8], family: Arg) -> Vec<Arg> {
    let whole = p.len() >= 12;
    let s = family_struct("family", family, whole, || {
        vec![
            ("dst_len", Arg::UInt(u64::from(p[1]))),
            ("src_len", Arg::UInt(u64::from(p[2]))),
            ("tos", flags(IP_TOS_FLAGS, u64::from(p[3]))),
            ("table", value_or_hex(RT_TABLES, u64::from(p[4]))),
            ("action", enum_value(FR_ACTIONS, u64::from(p[7]))),
            (
                "flags",
                flags(FIB_RULE_FLAGS, u64::from(u32_at(p, 8).unwrap_or(0))),
            ),
        ]
    });
    let fam = p[0];
    with_attributes(
        ctx,
        p,
        12,
        s,
        FRA_ATTRS,
        &|kind, d| match FRA_ATTRS.name(u64::from(kind))? {
            "FRA_DST" | "FRA_SRC" => address(fam, d),
            "FRA_IIFNAME" | "FRA_OIFNAME" => Some(nul_terminated(ctx, d)),
            "FRA_TABLE" if d.len() >= 4 => Some(value_or_hex(RT_TABLES, u64::from(u32_at(d, 0)?))),
            "FRA_GOTO"
            | "FRA_PRIORITY"
            | "FRA_FWMARK"
            | "FRA_FLOW"
            | "FRA_SUPPRESS_IFGROUP"
            | "FRA_SUPPRESS_PREFIXLEN"
            | "FRA_FWMASK" => u32_value(d),
            "FRA_PROTOCOL" if !d.is_empty() => Some(enum_value(RT_PROTOCOLS, u64::from(d[0]))),
            _ => None,
        },
    )
}

/// `{tcm_family=AF_UNSPEC, tcm_ifindex=..., tcm_handle=65536, tcm_parent=4294967295,
/// tcm_info=0}`, then `TCA_*` (`TCA_KIND`'s name).
fn tcmsg(ctx: &Ctx<'_>, p: &[u8], family: Arg) -> Vec<Arg> {
    let whole = p.len() >= 20;
    let s = family_struct("tcm_family", family, whole, || {
        let word = |at| Arg::UInt(u64::from(u32_at(p, at).unwrap_or(0)));
        vec![
            ("tcm_ifindex", ifindex(u32_at(p, 4).unwrap_or(0))),
            ("tcm_handle", word(8)),
            ("tcm_parent", word(12)),
            ("tcm_info", word(16)),
        ]
    });
    with_attributes(
        ctx,
        p,
        20,
        s,
        TCA_ATTRS,
        &|kind, d| match TCA_ATTRS.name(u64::from(kind))? {
            "TCA_KIND" => Some(nul_terminated(ctx, d)),
            "TCA_CHAIN" | "TCA_INGRESS_BLOCK" | "TCA_EGRESS_BLOCK" => u32_value(d),
            _ => None,
        },
    )
}

/// A one-byte struct of its family (`{rtgen_family=AF_PACKET}`, `{ncm_family=AF_INET}`),
/// then attributes from the next 4-byte boundary.
fn one_byte(
    ctx: &Ctx<'_>,
    p: &[u8],
    name: &'static str,
    family: Arg,
    names: crate::tables::flags::Xlat,
    value: &dyn Fn(&str, &[u8]) -> Option<Arg>,
) -> Vec<Arg> {
    let s = Arg::Struct {
        fields: vec![(name, family)],
        more: false,
    };
    let mut items = vec![s];
    if p.len() > 4 {
        items.push(attributes(ctx, &p[4..], names, &|kind, d| {
            value(names.name(u64::from(kind))?, d)
        }));
    }
    items
}

/// A NETCONFA attribute: `NETCONFA_IFINDEX` an interface, the others ints.
fn netconf(name: &str, d: &[u8]) -> Option<Arg> {
    let int = i32_at(d, 0).filter(|_| d.len() >= 4)?;
    Some(match name {
        "NETCONFA_IFINDEX" => ifindex(int as u32),
        _ => Arg::Int(i64::from(int)),
    })
}

/// A NETNSA attribute: ids signed, a pid unsigned, an fd as an fd.
fn nsid(name: &str, d: &[u8]) -> Option<Arg> {
    let int = i32_at(d, 0).filter(|_| d.len() >= 4)?;
    Some(match name {
        "NETNSA_NSID" | "NETNSA_TARGET_NSID" | "NETNSA_CURRENT_NSID" => Arg::Int(i64::from(int)),
        "NETNSA_PID" => Arg::UInt(u64::from(int as u32)),
        "NETNSA_FD" => Arg::Fd(int),
        _ => return None,
    })
}

/// A route's `RTA_METRICS`: `RTAX_*` attributes, each a u32 but `RTAX_CC_ALGO`'s name.
pub(super) fn metrics(ctx: &Ctx<'_>, d: &[u8]) -> Arg {
    attributes(
        ctx,
        d,
        RTAX_ATTRS,
        &|kind, data| match RTAX_ATTRS.name(u64::from(kind))? {
            "RTAX_CC_ALGO" => Some(nul_terminated(ctx, data)),
            _ => u32_value(data),
        },
    )
}
