//! More socket and netlink decoders against real strace 6.1 (tests/workloads/net_more.c, a
//! fidelity workload): option names of every level strace names, option values, addresses
//! of the families strace decodes and netlink bodies; strace and tracer (both backends) must
//! print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// The calls net_more.c makes that its test compares.
const CALLS: &str = "socket,bind,connect,setsockopt,getsockopt,sendto,sendmsg";

/// Addresses of AF_AX25, AF_IPX, AF_X25, AF_XDP, AF_ALG, AF_QIPCRTR, AF_MCTP, AF_NFC,
/// AF_RXRPC and AF_IEEE802154 (odd values, lengths cut short); rtnetlink neighbours, rules,
/// qdiscs, netns ids, netconf, nested IFLA_LINKINFO / RTA_METRICS; sock_diag replies; XFRM,
/// NETFILTER and SELINUX messages, a short NLMSG_ERROR; SOL_IP and SOL_IPV6 names from
/// linux/in.h and in6.h (those strace 6.1 knows), the netfilter tables' names apart for getsockopt and setsockopt, SOL_TLS / SOL_ALG / SOL_XDP
/// names, SO_TXREHASH; `PACKET_STATISTICS` as `struct tpacket_stats` (v3's third counter,
/// short lengths), `NETLINK_LIST_MEMBERSHIPS` as its words; SOL_IP control messages' types
/// by strace's own table (`SCM_SECURITY`, `0xe /* IP_??? */`): in the default, the raw
/// and verbose styles.
#[test]
fn root_net_more_as_strace() {
    require_root();
    for style in ["-Xabbrev", "-Xraw", "-Xverbose"] {
        same_as_strace_with(&[style], "net_more", CALLS);
    }
}
