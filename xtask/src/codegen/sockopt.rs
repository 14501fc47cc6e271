//! Socket option value tables strace 6.1 names inside option structs: `struct packet_mreq`'s
//! `mr_type` (`PACKET_MR_*`, its xlat/packet_mreq_type.in), the ICMP types of `ICMP_FILTER`'s
//! set (its xlat/icmpfilterflags.in) and the SOL_RAW option names (xlat/sock_raw_options.in,
//! whose unknown marker is `RAW_???`), valued from the UAPI headers.

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
];

/// The generated file `sockopt_gen.rs`.
pub fn tables() -> Result<String> {
    render_value_tables("Socket option values", TABLES)
}
