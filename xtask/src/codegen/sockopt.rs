//! Socket option value tables strace 6.1 names inside option structs: `struct packet_mreq`'s
//! `mr_type` (`PACKET_MR_*`, its xlat/packet_mreq_type.in), the ICMP types of `ICMP_FILTER`'s
//! set (its xlat/icmpfilterflags.in) and the SOL_RAW option names (xlat/sock_raw_options.in,
//! whose unknown marker is `RAW_???`), valued from the UAPI headers; and the option names of
//! the SOL_IP, SOL_IPV6, SOL_TLS, SOL_ALG and SOL_XDP levels (its xlat/sockipoptions.in,
//! sockipv6options.in, sock_tls_options.in, sock_alg_options.in, sock_xdp_options.in), less
//! the names newer headers carry that strace 6.1 does not know (which it leaves unnamed).

use anyhow::Result;

use super::headers::{ValueTable, render_value_tables};

const TABLES: &[ValueTable] = &[
    ValueTable {
        constant: "PACKET_MR_TYPES",
        prefix: "PACKET_MR_",
        header: "linux/if_packet.h",
        names: "PACKET_MR_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "ICMP_TYPES",
        prefix: "ICMP_",
        header: "linux/icmp.h",
        // The message types; the codes below them in the header share the prefix.
        names: "ICMP_(ECHOREPLY|DEST_UNREACH|SOURCE_QUENCH|REDIRECT|ECHO|TIME_EXCEEDED|\
                PARAMETERPROB|TIMESTAMP|TIMESTAMPREPLY|INFO_REQUEST|INFO_REPLY|ADDRESS|\
                ADDRESSREPLY)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "RAW_SOCKOPTS",
        prefix: "RAW_",
        header: "linux/icmp.h",
        names: "ICMP_FILTER",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IP_SOCKOPTS",
        prefix: "IP_",
        header: "linux/in.h",
        names: "IP_[A-Z0-9_]+",
        bits: false,
        // Values of options, not names; and the names after strace 6.1.
        exclude: "^IP_(PMTUDISC_.*|DEFAULT_.*|LOCAL_PORT_RANGE|PROTOCOL)$",
        probe: false,
    },
    ValueTable {
        constant: "IPV6_SOCKOPTS",
        prefix: "IPV6_",
        header: "linux/in6.h",
        names: "IPV6_[A-Z0-9_]+",
        bits: false,
        // Values of options and header fields, not names.
        exclude: "^IPV6_(FL_.*|FLOWINFO_(FLOWLABEL|PRIORITY)|PRIORITY_.*|TLV_.*|PMTUDISC_.*|\
                  PREFER_SRC_.*)$",
        probe: false,
    },
    ValueTable {
        // linux/in.h's MCAST_*, which strace 6.1 names at SOL_IP and SOL_IPV6.
        constant: "MCAST_SOCKOPTS",
        prefix: "MCAST_",
        header: "linux/in.h",
        names: "MCAST_[A-Z_]+",
        bits: false,
        exclude: "^MCAST_(EXCLUDE|INCLUDE)$",
        probe: false,
    },
    // The netfilter tables' options at SOL_IP and SOL_IPV6, which strace 6.1 names apart for
    // getsockopt and setsockopt (the same numbers).
    ValueTable {
        constant: "IPT_SO_SET",
        prefix: "IP_",
        header: "linux/netfilter_ipv4/ip_tables.h",
        names: "IPT_SO_SET_(REPLACE|ADD_COUNTERS)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IPT_SO_GET",
        prefix: "IP_",
        header: "linux/netfilter_ipv4/ip_tables.h",
        names: "IPT_SO_GET_(INFO|ENTRIES|REVISION_MATCH|REVISION_TARGET)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "ARPT_SO_SET",
        prefix: "IP_",
        header: "linux/netfilter_arp/arp_tables.h",
        names: "ARPT_SO_SET_(REPLACE|ADD_COUNTERS)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "ARPT_SO_GET",
        prefix: "IP_",
        header: "linux/netfilter_arp/arp_tables.h",
        names: "ARPT_SO_GET_(INFO|ENTRIES|REVISION_TARGET)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "EBT_SO_SET",
        prefix: "IP_",
        header: "linux/netfilter_bridge/ebtables.h",
        names: "EBT_SO_SET_(ENTRIES|COUNTERS)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "EBT_SO_GET",
        prefix: "IP_",
        header: "linux/netfilter_bridge/ebtables.h",
        names: "EBT_SO_GET_(INFO|ENTRIES|INIT_INFO|INIT_ENTRIES)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IP6T_SO_SET",
        prefix: "IPV6_",
        header: "linux/netfilter_ipv6/ip6_tables.h",
        names: "IP6T_SO_SET_(REPLACE|ADD_COUNTERS)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IP6T_SO_GET",
        prefix: "IPV6_",
        header: "linux/netfilter_ipv6/ip6_tables.h",
        names: "IP6T_SO_GET_(INFO|ENTRIES|REVISION_MATCH|REVISION_TARGET)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "TLS_SOCKOPTS",
        prefix: "TLS_",
        header: "linux/tls.h",
        // strace 6.1 knows these two (3 and 4 came after it).
        names: "TLS_(TX|RX)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "ALG_SOCKOPTS",
        prefix: "ALG_",
        header: "linux/if_alg.h",
        names: "ALG_SET_[A-Z_]+",
        bits: false,
        // After strace 6.1.
        exclude: "^ALG_SET_KEY_BY_KEY_SERIAL$",
        probe: false,
    },
    ValueTable {
        constant: "XDP_SOCKOPTS",
        prefix: "XDP_",
        header: "linux/if_xdp.h",
        names: "XDP_(MMAP_OFFSETS|RX_RING|TX_RING|UMEM_REG|UMEM_FILL_RING|\
                UMEM_COMPLETION_RING|STATISTICS|OPTIONS)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
];

/// The generated file `sockopt_gen.rs`.
pub fn tables() -> Result<String> {
    render_value_tables("Socket option values", TABLES)
}
