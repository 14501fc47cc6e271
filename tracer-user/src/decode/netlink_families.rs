//! Netlink protocols beyond route, sock_diag, audit and generic as strace 6.1 prints them:
//! NETLINK_XFRM's message types and flags (payloads in hex, as strace 6.1),
//! NETLINK_NETFILTER's `SUBSYS<<8|TYPE` and `struct nfgenmsg`, NETLINK_SELINUX's messages.

use super::{Arg, Ctx, bytes::u32_at, enum_value, flags::named, netlink::hex_str};
use crate::tables::{
    flags::Xlat,
    netlink_gen::{
        NF_CT_EXP_MSG_TYPES, NF_CT_MSG_TYPES, NF_IPSET_MSG_TYPES, NFNL_SUBSYS_IDS, NFT_MSG_TYPES,
        NLM_DELETE_FLAGS, NLM_GET_FLAGS, NLM_NEW_FLAGS, SELNL_MSG_TYPES, XFRM_MSG_TYPES,
    },
    xlat::ADDR_FAMILIES,
};

pub(super) const NETLINK_SELINUX: u16 = 7;
pub(super) const NETLINK_XFRM: u16 = 6;
pub(super) const NETLINK_NETFILTER: u16 = 12;

/// linux/netfilter/nfnetlink.h's batch messages, valued from NLMSG_MIN_TYPE.
const NFNL_MSG_TYPES: Xlat = Xlat::new(
    "NFNL_MSG_",
    &[("NFNL_MSG_BATCH_BEGIN", 0x10), ("NFNL_MSG_BATCH_END", 0x11)],
);

const NFNL_SUBSYS_CTNETLINK: u16 = 1;
const NFNL_SUBSYS_CTNETLINK_EXP: u16 = 2;
const NFNL_SUBSYS_IPSET: u16 = 6;
const NFNL_SUBSYS_NFTABLES: u16 = 10;

/// A message type at or above NLMSG_MIN_TYPE of `protocol`, None for another protocol.
pub(super) fn message_type(protocol: u16, kind: u16) -> Option<Arg> {
    let v = u64::from(kind);
    Some(match protocol {
        NETLINK_XFRM => enum_value(XFRM_MSG_TYPES, v),
        NETLINK_SELINUX => enum_value(SELNL_MSG_TYPES, v),
        NETLINK_NETFILTER => netfilter_type(kind),
        _ => return None,
    })
}

/// The message types of a netfilter subsystem, if strace names them.
fn subsys_types(subsys: u16) -> Option<Xlat> {
    Some(match subsys {
        NFNL_SUBSYS_CTNETLINK => NF_CT_MSG_TYPES,
        NFNL_SUBSYS_CTNETLINK_EXP => NF_CT_EXP_MSG_TYPES,
        NFNL_SUBSYS_IPSET => NF_IPSET_MSG_TYPES,
        NFNL_SUBSYS_NFTABLES => NFT_MSG_TYPES,
        _ => return None,
    })
}

/// `NFNL_SUBSYS_CTNETLINK<<8|IPCTNL_MSG_CT_GET`, `0x55 /* NFNL_SUBSYS_??? */<<8|0x3`, or a
/// batch message's name.
fn netfilter_type(kind: u16) -> Arg {
    if let Some(batch) = named(NFNL_MSG_TYPES, u64::from(kind)) {
        return batch;
    }
    let (subsys, msg) = (kind >> 8, u64::from(kind & 0xff));
    let msg_arg = match subsys_types(subsys) {
        Some(table) => enum_value(table, msg),
        None => Arg::Hex(msg),
    };
    Arg::Or(vec![
        Arg::Shift(
            Box::new(enum_value(NFNL_SUBSYS_IDS, u64::from(subsys))),
            Box::new(Arg::UInt(8)),
        ),
        msg_arg,
    ])
}

/// The new / get / delete flags of `protocol`'s message `kind` (strace's
/// `decode_nlmsg_flags_xfrm` and `_netfilter`), by the message's name.
pub(super) fn kind_flags(protocol: u16, kind: u16) -> Option<Xlat> {
    let name = match protocol {
        NETLINK_XFRM => XFRM_MSG_TYPES.name(u64::from(kind))?,
        NETLINK_NETFILTER => subsys_types(kind >> 8)?.name(u64::from(kind & 0xff))?,
        _ => return None,
    };
    let verb = name
        .trim_start_matches("XFRM_MSG_")
        .trim_start_matches("IPCTNL_MSG_CT_")
        .trim_start_matches("IPCTNL_MSG_EXP_")
        .trim_start_matches("NFT_MSG_");
    if name.starts_with("IPSET_") {
        return None;
    }
    match verb {
        "NEWSA" | "NEWPOLICY" | "NEWAE" | "NEWSADINFO" | "NEWSPDINFO" | "NEW" => {
            Some(NLM_NEW_FLAGS)
        }
        "DELSA" | "DELPOLICY" | "DELETE" => Some(NLM_DELETE_FLAGS),
        v if v.starts_with("GET") => Some(NLM_GET_FLAGS),
        v if v.starts_with("NEW") && name.starts_with("NFT_") => Some(NLM_NEW_FLAGS),
        v if v.starts_with("DEL") && name.starts_with("NFT_") => Some(NLM_DELETE_FLAGS),
        _ => None,
    }
}

/// A payload of `protocol` (None: the common decoder prints it).
pub(super) fn payload(ctx: &Ctx<'_>, protocol: u16, kind: u16, p: &[u8]) -> Option<Vec<Arg>> {
    match protocol {
        NETLINK_NETFILTER if p.len() >= 4 => {
            // struct nfgenmsg: the family, NFNETLINK_V0, the resource id big-endian.
            let version = match p[1] {
                0 => Arg::constant(Arg::Hex(0), Arg::sym("NFNETLINK_V0")),
                v => enum_value(Xlat::new("NFNETLINK_", &[]), u64::from(v)),
            };
            let res_id = u16::from_be_bytes([p[2], p[3]]);
            let htons = |arg| Arg::Call {
                name: "htons",
                args: vec![arg],
            };
            // nf_tables' resource id by name (`-X raw`: as the host reads the field); any
            // other as `htons(N)` whatever -X says.
            let res = match (kind >> 8, res_id) {
                (NFNL_SUBSYS_NFTABLES, NFNL_SUBSYS_NFTABLES) => Arg::constant(
                    Arg::Hex(u64::from(u16::from_le_bytes([p[2], p[3]]))),
                    htons(Arg::sym("NFNL_SUBSYS_NFTABLES")),
                ),
                (_, r) => htons(Arg::UInt(u64::from(r))),
            };
            let mut items = vec![Arg::Struct {
                fields: vec![
                    ("nfgen_family", enum_value(ADDR_FAMILIES, u64::from(p[0]))),
                    ("version", version),
                    ("res_id", res),
                ],
                more: false,
            }];
            if p.len() > 4 {
                items.push(hex_str(ctx, &p[4..]));
            }
            Some(items)
        }
        NETLINK_SELINUX => {
            let field = match SELNL_MSG_TYPES.name(u64::from(kind))? {
                "SELNL_MSG_SETENFORCE" => "val",
                _ => "seqno",
            };
            let value = match field {
                "val" => Arg::Int(i64::from(u32_at(p, 0)? as i32)),
                _ => Arg::UInt(u64::from(u32_at(p, 0)?)),
            };
            Some(vec![Arg::Struct {
                fields: vec![(field, value)],
                more: false,
            }])
        }
        _ => None,
    }
}
