//! Netlink tables from the kernel UAPI headers of Debian's `linux-libc-dev`: message types
//! and flags (`linux/netlink.h`), the NETLINK_ROUTE and NETLINK_SOCK_DIAG message types, and
//! the values of the route payloads' fields (`linux/rtnetlink.h`, `linux/if_addr.h`,
//! `linux/if.h`), as strace prints netlink messages. Which flags go with which message type
//! is strace's rule, kept in the decoder (`decode/netlink.rs`).

use std::{fmt::Write as _, fs};

use anyhow::{Context, Result, bail};
use regex::Regex;

use super::headers::{ValueTable, render_value_tables};

/// A table of values (`bits: false`) or flags, valued by compiling the header.
pub(super) const fn table(
    constant: &'static str,
    prefix: &'static str,
    header: &'static str,
    names: &'static str,
    bits: bool,
    exclude: &'static str,
) -> ValueTable {
    ValueTable {
        constant,
        prefix,
        header,
        names,
        bits,
        exclude,
        probe: true,
    }
}

const NETLINK_TABLES: &[ValueTable] = &[
    table(
        "NLMSG_TYPES",
        "NLMSG_",
        "linux/netlink.h",
        "NLMSG_(NOOP|ERROR|DONE|OVERRUN)",
        false,
        "^$",
    ),
    // The flags of every message, then those of get, new, delete and ack messages.
    table(
        "NLM_FLAGS",
        "NLM_F_",
        "linux/netlink.h",
        "NLM_F_(REQUEST|MULTI|ACK|ECHO|DUMP_INTR|DUMP_FILTERED)",
        true,
        "^$",
    ),
    table(
        "NLM_GET_FLAGS",
        "NLM_F_",
        "linux/netlink.h",
        "NLM_F_(ROOT|MATCH|ATOMIC|DUMP)",
        false,
        "^$",
    ),
    table(
        "NLM_NEW_FLAGS",
        "NLM_F_",
        "linux/netlink.h",
        "NLM_F_(REPLACE|EXCL|CREATE|APPEND)",
        true,
        "^$",
    ),
    table(
        "NLM_DELETE_FLAGS",
        "NLM_F_",
        "linux/netlink.h",
        "NLM_F_(NONREC|BULK)",
        true,
        "^$",
    ),
    table(
        "NLM_ACK_FLAGS",
        "NLM_F_",
        "linux/netlink.h",
        "NLM_F_(CAPPED|ACK_TLVS)",
        true,
        "^$",
    ),
    table(
        "RTM_TYPES",
        "RTM_",
        "linux/rtnetlink.h",
        "RTM_[A-Z]+",
        false,
        "^RTM_(BASE|MAX)$",
    ),
    table(
        "SOCK_DIAG_TYPES",
        "SOCK_DIAG_",
        "linux/sock_diag.h",
        "SOCK_(DIAG_BY_FAMILY|DESTROY)",
        false,
        "^$",
    ),
    table(
        "INET_DIAG_TYPES",
        "SOCK_DIAG_",
        "linux/inet_diag.h",
        "(TCPDIAG|DCCPDIAG)_GETSOCK",
        false,
        "^$",
    ),
    table(
        "IFF_FLAGS",
        "IFF_",
        "linux/if.h",
        "IFF_[A-Z_]+",
        true,
        "^IFF_VOLATILE$",
    ),
    table(
        "IFA_FLAGS",
        "IFA_F_",
        "linux/if_addr.h",
        "IFA_F_[A-Z_]+",
        true,
        // IFA_F_TEMPORARY is IFA_F_SECONDARY's alias: strace's ifaddrflags names 0x1 SECONDARY.
        "^IFA_F_TEMPORARY$",
    ),
    table(
        "IFA_ATTRS",
        "IFA_",
        "linux/if_addr.h",
        "IFA_[A-Z_]+",
        false,
        "^(IFA_F_.*|IFA_MAX|IFA_RTA|IFA_PAYLOAD)$",
    ),
    table(
        "RTA_ATTRS",
        "RTA_",
        "linux/rtnetlink.h",
        "RTA_[A-Z_]+",
        false,
        "^RTA_(ALIGNTO|MAX)$",
    ),
    table(
        "RT_SCOPES",
        "RT_SCOPE_",
        "linux/rtnetlink.h",
        "RT_SCOPE_[A-Z]+",
        false,
        "^$",
    ),
    table(
        "RT_TABLES",
        "RT_TABLE_",
        "linux/rtnetlink.h",
        "RT_TABLE_[A-Z]+",
        false,
        "^RT_TABLE_MAX$",
    ),
    table(
        "RT_PROTOCOLS",
        "RTPROT_",
        "linux/rtnetlink.h",
        "RTPROT_[A-Z0-9]+",
        false,
        "^$",
    ),
    table(
        "RT_TYPES",
        "RTN_",
        "linux/rtnetlink.h",
        "RTN_[A-Z]+",
        false,
        "^RTN_MAX$",
    ),
    table(
        "RTM_FLAGS",
        "RTM_F_",
        "linux/rtnetlink.h",
        "RTM_F_[A-Z_]+",
        true,
        "^$",
    ),
    table(
        "IP_TOS_FLAGS",
        "IPTOS_TOS_",
        "linux/ip.h",
        "IPTOS_(LOWDELAY|THROUGHPUT|RELIABILITY|MINCOST)",
        true,
        "^$",
    ),
    table(
        "NLMSGERR_ATTRS",
        "NLMSGERR_ATTR_",
        "linux/netlink.h",
        "NLMSGERR_ATTR_[A-Z_]+",
        false,
        "^NLMSGERR_ATTR_MAX$",
    ),
    table(
        "INET_DIAG_ATTRS",
        "INET_DIAG_",
        "linux/inet_diag.h",
        "INET_DIAG_[A-Z0-9_]+",
        false,
        "^INET_DIAG_(MAX|NOCOOKIE|REQ_.*|BC_.*|GETSOCK_MAX)$",
    ),
    table(
        "UNIX_DIAG_SHOW",
        "UDIAG_SHOW_",
        "linux/unix_diag.h",
        "UDIAG_SHOW_[A-Z]+",
        true,
        "^$",
    ),
    table(
        "NETLINK_DIAG_SHOW",
        "NDIAG_SHOW_",
        "linux/netlink_diag.h",
        "NDIAG_SHOW_[A-Z_]+",
        true,
        "^$",
    ),
    table(
        "PACKET_DIAG_SHOW",
        "PACKET_SHOW_",
        "linux/packet_diag.h",
        "PACKET_SHOW_[A-Z_]+",
        true,
        "^$",
    ),
    // The states strace names in sock_diag requests and replies (TCP_ESTABLISHED = 1 ...).
    table(
        "TCP_STATES",
        "TCP_",
        "netinet/tcp.h",
        "TCP_(ESTABLISHED|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|TIME_WAIT|CLOSE|CLOSE_WAIT|\
         LAST_ACK|LISTEN|CLOSING)",
        false,
        "^$",
    ),
    // The NETLINK_ROUTE neighbour, rule, traffic control, netns id and netconf messages
    // (strace 6.1's rtnl_neigh.c, rtnl_rule.c, rtnl_tc.c, rtnl_nsid.c, rtnl_netconf.c) and
    // a route's metrics.
    table(
        "NDA_ATTRS",
        "NDA_",
        "linux/neighbour.h",
        "NDA_[A-Z_]+",
        false,
        "_MAX$",
    ),
    table(
        "NUD_STATES",
        "NUD_",
        "linux/neighbour.h",
        "NUD_(INCOMPLETE|REACHABLE|STALE|DELAY|PROBE|FAILED|NOARP|PERMANENT|NONE)",
        false,
        "^$",
    ),
    table(
        "NTF_FLAGS",
        "NTF_",
        "linux/neighbour.h",
        "NTF_(USE|SELF|MASTER|PROXY|EXT_LEARNED|OFFLOADED|STICKY|ROUTER)",
        true,
        "^$",
    ),
    table(
        "FRA_ATTRS",
        "FRA_",
        "linux/fib_rules.h",
        "FRA_[A-Z_]+",
        false,
        "_MAX$",
    ),
    table(
        "FR_ACTIONS",
        "FR_ACT_",
        "linux/fib_rules.h",
        "FR_ACT_[A-Z0-9_]+",
        false,
        "_MAX$",
    ),
    table(
        "FIB_RULE_FLAGS",
        "FIB_RULE_",
        "linux/fib_rules.h",
        "FIB_RULE_(PERMANENT|INVERT|UNRESOLVED|IIF_DETACHED|OIF_DETACHED|FIND_SADDR)",
        true,
        "^$",
    ),
    table(
        "TCA_ATTRS",
        "TCA_",
        "linux/rtnetlink.h",
        "TCA_(UNSPEC|KIND|OPTIONS|STATS|XSTATS|RATE|FCNT|STATS2|STAB|PAD|DUMP_INVISIBLE|\
         CHAIN|HW_OFFLOAD|INGRESS_BLOCK|EGRESS_BLOCK|DUMP_FLAGS)",
        false,
        "^$",
    ),
    table(
        "NETNSA_ATTRS",
        "NETNSA_",
        "linux/net_namespace.h",
        "NETNSA_(NONE|NSID|PID|FD|TARGET_NSID|CURRENT_NSID)",
        false,
        "^$",
    ),
    table(
        "NETCONFA_ATTRS",
        "NETCONFA_",
        "linux/netconf.h",
        "NETCONFA_(UNSPEC|IFINDEX|FORWARDING|RP_FILTER|MC_FORWARDING|PROXY_NEIGH|\
         IGNORE_ROUTES_WITH_LINKDOWN|INPUT|BC_FORWARDING)",
        false,
        "^$",
    ),
    table(
        "RTAX_ATTRS",
        "RTAX_",
        "linux/rtnetlink.h",
        "RTAX_(UNSPEC|LOCK|MTU|WINDOW|RTT|RTTVAR|SSTHRESH|CWND|ADVMSS|REORDERING|HOPLIMIT|\
         INITCWND|FEATURES|RTO_MIN|INITRWND|QUICKACK|CC_ALGO|FASTOPEN_NO_COOKIE)",
        false,
        "^$",
    ),
    // The sock_diag replies strace 6.1 decodes (netlink_unix_diag.c, netlink_packet_diag.c,
    // netlink_netlink_diag.c).
    table(
        "UNIX_DIAG_ATTRS",
        "UNIX_DIAG_",
        "linux/unix_diag.h",
        "UNIX_DIAG_[A-Z_]+",
        false,
        "_MAX$",
    ),
    table(
        "PACKET_DIAG_ATTRS",
        "PACKET_DIAG_",
        "linux/packet_diag.h",
        "PACKET_DIAG_[A-Z_]+",
        false,
        "_MAX$",
    ),
    table(
        "NETLINK_DIAG_ATTRS",
        "NETLINK_DIAG_",
        "linux/netlink_diag.h",
        "NETLINK_DIAG_[A-Z_]+",
        false,
        "_MAX$",
    ),
    // NETLINK_XFRM, NETLINK_NETFILTER and NETLINK_SELINUX message types (strace 6.1's
    // nl_xfrm_types, nl_netfilter_subsys_ids, nf_*_msg_types, nl_selinux_types).
    table(
        "XFRM_MSG_TYPES",
        "XFRM_MSG_",
        "linux/xfrm.h",
        "XFRM_MSG_[A-Z_]+",
        false,
        "^XFRM_MSG_(BASE|MAX)$",
    ),
    table(
        "NFNL_SUBSYS_IDS",
        "NFNL_SUBSYS_",
        "linux/netfilter/nfnetlink.h",
        "NFNL_SUBSYS_[A-Z_]+",
        false,
        "^NFNL_SUBSYS_(COUNT|HOOK)$",
    ),
    table(
        "NF_CT_MSG_TYPES",
        "IPCTNL_MSG_CT_",
        "linux/netfilter/nfnetlink_conntrack.h",
        "IPCTNL_MSG_CT_[A-Z_]+",
        false,
        "_MAX$",
    ),
    table(
        "NF_CT_EXP_MSG_TYPES",
        "IPCTNL_MSG_EXP_",
        "linux/netfilter/nfnetlink_conntrack.h",
        "IPCTNL_MSG_EXP_[A-Z_]+",
        false,
        "_MAX$",
    ),
    table(
        "NF_IPSET_MSG_TYPES",
        "IPSET_CMD_",
        "linux/netfilter/ipset/ip_set.h",
        "IPSET_CMD_[A-Z_]+",
        false,
        "(_MAX|_COMMIT)$",
    ),
    table(
        "NFT_MSG_TYPES",
        "NFT_MSG_",
        "linux/netfilter/nf_tables.h",
        "NFT_MSG_[A-Z_]+",
        false,
        "^NFT_MSG_(MAX|DESTROY[A-Z]*|GETRULE_RESET|GETSETELEM_RESET|RESET[A-Z]*)$",
    ),
    table(
        "SELNL_MSG_TYPES",
        "SELNL_MSG_",
        "linux/selinux_netlink.h",
        "SELNL_MSG_(SETENFORCE|POLICYLOAD)",
        false,
        "^$",
    ),
    table(
        "IFLA_INFO_ATTRS",
        "IFLA_INFO_",
        "linux/if_link.h",
        "IFLA_INFO_(UNSPEC|KIND|DATA|XSTATS|SLAVE_KIND|SLAVE_DATA)",
        false,
        "^$",
    ),
];

/// The generated `netlink_gen.rs`.
pub fn tables() -> Result<String> {
    let mut out = render_value_tables("Netlink message types, flags and fields", NETLINK_TABLES)?;
    // TCP_NEW_SYN_RECV is the kernel's (include/net/tcp_states.h, not UAPI); strace 6.1's
    // tcp_states.in carries its value, 12, after TCP_CLOSING.
    let closing = "        (\"TCP_CLOSING\", 0xb),\n";
    if !out.contains(closing) {
        bail!("TCP_STATES lacks TCP_CLOSING");
    }
    out = out.replacen(
        closing,
        &format!("{closing}        // strace's value (not in the UAPI headers).\n        (\"TCP_NEW_SYN_RECV\", 0xc),\n"),
        1,
    );
    out.push_str(&audit_types()?);
    Ok(out)
}

/// NETLINK_AUDIT's message types: `linux/audit.h`'s defines valued 1000 to 2999 (the rest
/// of its `AUDIT_*` names are rule fields, operators and architectures), without the range
/// markers (`AUDIT_FIRST_USER_MSG`).
fn audit_types() -> Result<String> {
    let text = fs::read_to_string("/usr/include/linux/audit.h")
        .context("failed to read /usr/include/linux/audit.h")?;
    let define = Regex::new(r"(?m)^#define\s+(AUDIT_[A-Z0-9_]+)\s+([0-9]+)\b")?;
    let mut out = String::from(
        "\n/// From linux/audit.h: the message types (1000 to 2999).\n\
         pub const AUDIT_TYPES: Xlat = Xlat::new(\n    \"AUDIT_\",\n    &[\n",
    );
    let mut count = 0;
    for c in define.captures_iter(&text) {
        let value: u64 = c[2].parse()?;
        if !(1000..=2999).contains(&value) || c[1].contains("_FIRST_") || c[1].contains("_LAST_") {
            continue;
        }
        let _ = writeln!(out, "        ({:?}, {value:#x}),", &c[1]);
        count += 1;
    }
    if count < 50 {
        bail!("only {count} audit message types found in linux/audit.h");
    }
    out.push_str("    ],\n);\n");
    Ok(out)
}
