//! sock_diag replies of the families beyond inet as strace 6.1 prints them (a
//! SOCK_DIAG_BY_FAMILY message without NLM_F_REQUEST is read as its family's reply):
//! `unix_diag_msg`, `packet_diag_msg`, `netlink_diag_msg` with their attributes' names, and
//! `smc_diag_msg` (`...` when the payload is shorter than the struct).

use super::{
    Arg, Ctx,
    bytes::{u16_at, u32_at},
    enum_value,
    netlink::attributes,
};
use crate::tables::{
    flags::Xlat,
    net_gen::ETHERNET_PROTOCOLS,
    netlink_gen::{NETLINK_DIAG_ATTRS, PACKET_DIAG_ATTRS, TCP_STATES, UNIX_DIAG_ATTRS},
    xlat::{ADDR_FAMILIES, NETLINK_PROTOCOLS, SOCK_TYPES},
};

const AF_UNIX: u8 = 1;
const AF_NETLINK: u8 = 16;
const AF_PACKET: u8 = 17;
const AF_SMC: u8 = 43;

/// `sizeof(struct smc_diag_msg)`.
const SMC_DIAG_MSG: usize = 64;

/// The reply of `family` in payload `p`, None for a family strace does not decode.
pub(super) fn reply(ctx: &Ctx<'_>, p: &[u8]) -> Option<Vec<Arg>> {
    let family = *p.first()?;
    let u8_as = |table: Xlat, at: usize| enum_value(table, u64::from(p[at]));
    let word = |at: usize| Arg::UInt(u64::from(u32_at(p, at).unwrap_or(0)));
    let cookie = |at: usize| Arg::Array {
        items: vec![word(at), word(at + 4)],
        more: false,
    };
    let (size, fields, attrs): (usize, Vec<(&'static str, Arg)>, Xlat) = match family {
        AF_UNIX if p.len() >= 16 => (
            16,
            vec![
                ("udiag_type", u8_as(SOCK_TYPES, 1)),
                ("udiag_state", u8_as(TCP_STATES, 2)),
                ("udiag_ino", word(4)),
                ("udiag_cookie", cookie(8)),
            ],
            UNIX_DIAG_ATTRS,
        ),
        AF_PACKET if p.len() >= 16 => (
            16,
            vec![
                ("pdiag_type", u8_as(SOCK_TYPES, 1)),
                (
                    "pdiag_num",
                    enum_value(ETHERNET_PROTOCOLS, u64::from(u16_at(p, 2).unwrap_or(0))),
                ),
                ("pdiag_ino", word(4)),
                ("pdiag_cookie", cookie(8)),
            ],
            PACKET_DIAG_ATTRS,
        ),
        AF_NETLINK if p.len() >= 28 => (
            28,
            vec![
                ("ndiag_type", u8_as(SOCK_TYPES, 1)),
                ("ndiag_protocol", u8_as(NETLINK_PROTOCOLS, 2)),
                // strace's netlink_states: NETLINK_UNCONNECTED, NETLINK_CONNECTED.
                (
                    "ndiag_state",
                    enum_value(
                        Xlat::new(
                            "NETLINK_",
                            &[("NETLINK_UNCONNECTED", 0), ("NETLINK_CONNECTED", 1)],
                        ),
                        u64::from(p[3]),
                    ),
                ),
                ("ndiag_portid", word(4)),
                ("ndiag_dst_portid", word(8)),
                ("ndiag_dst_group", word(12)),
                ("ndiag_ino", word(16)),
                ("ndiag_cookie", cookie(20)),
            ],
            NETLINK_DIAG_ATTRS,
        ),
        AF_UNIX | AF_PACKET | AF_NETLINK => return Some(vec![short(family)]),
        AF_SMC if p.len() < SMC_DIAG_MSG => return Some(vec![short(family)]),
        _ => return None,
    };
    let prefix = match family {
        AF_UNIX => "udiag_family",
        AF_PACKET => "pdiag_family",
        _ => "ndiag_family",
    };
    let mut all = vec![(prefix, enum_value(ADDR_FAMILIES, u64::from(family)))];
    all.extend(fields);
    let mut items = vec![Arg::Struct {
        fields: all,
        more: false,
    }];
    if p.len() > size {
        items.push(attributes(ctx, &p[size..], attrs, &|_, _| None));
    }
    Some(items)
}

/// `{udiag_family=AF_UNIX, ...}`: a payload shorter than its reply struct.
fn short(family: u8) -> Arg {
    let name = match family {
        AF_UNIX => "udiag_family",
        AF_PACKET => "pdiag_family",
        AF_NETLINK => "ndiag_family",
        _ => "diag_family",
    };
    Arg::Struct {
        fields: vec![(name, enum_value(ADDR_FAMILIES, u64::from(family)))],
        more: true,
    }
}
