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

/// SOL_IP and SOL_IPV6 names from linux/in.h and in6.h (those strace 6.1 knows), the
/// netfilter tables' names apart for getsockopt and setsockopt, SOL_TLS / SOL_ALG / SOL_XDP
/// names, SO_TXREHASH; `PACKET_STATISTICS` as `struct tpacket_stats` (v3's third counter,
/// short lengths), `NETLINK_LIST_MEMBERSHIPS` as its words; SOL_IP control messages' types
/// by strace's own table (`SCM_SECURITY`, `0xe /* IP_??? */`): in the default and the raw
/// styles.
#[test]
fn root_net_more_as_strace() {
    require_root();
    for style in ["-Xabbrev", "-Xraw"] {
        same_as_strace_with(&[style], "net_more", CALLS);
    }
}
