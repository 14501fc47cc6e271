//! Socket decoders against real strace 6.1: options, addresses, control messages, message
//! vectors, netlink messages and socket protocols (tests/workloads/sockopt.c, sockaddr.c,
//! cmsg.c, netlink*.c, sockproto.c); strace and tracer (both backends) must print the same
//! lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;
use regex::Regex;

/// Socket options by level and name with their values, lengths short, long, negative and
/// unreadable, NULL values and lengths (tests/workloads/sockopt.c).
#[test]
fn root_socket_options_as_strace() {
    require_root();
    same_as_strace("sockopt", "setsockopt,getsockopt");
}

/// Socket addresses by family (AF_INET, AF_INET6 with flowinfo and scope id, AF_UNIX path,
/// abstract, unnamed and too long, AF_NETLINK, AF_PACKET, AF_VSOCK, AF_UNSPEC, unknown), short, long,
/// negative lengths, NULL and invalid pointers, lengths the kernel rewrites
/// (tests/workloads/sockaddr.c).
#[test]
fn root_socket_addresses_as_strace() {
    require_root();
    same_as_strace(
        "sockaddr",
        "connect,bind,sendto,recvfrom,getsockname,getpeername,accept4",
    );
}

/// sendmsg/recvmsg control messages (SCM_RIGHTS, SCM_CREDENTIALS, IP_PKTINFO, IP_TTL, unknown
/// and malformed ones, buffers too short or unreadable) and a failed recvmsg
/// (tests/workloads/cmsg.c). Its sendmmsg/recvmmsg vectors are not decoded yet: left out.
#[test]
fn root_control_messages_as_strace() {
    require_root();
    same_as_strace("cmsg", "sendmsg,recvmsg");
}

/// sendmmsg/recvmmsg's vectors: each entry's msghdr and msg_len, as many as the call sent or
/// received, addresses when it failed (tests/workloads/cmsg.c).
#[test]
fn root_message_vectors_as_strace() {
    require_root();
    same_as_strace("cmsg", "sendmmsg,recvmmsg");
    same_as_strace_with(&["-s", "2"], "cmsg", "sendmmsg,recvmmsg");
}

/// Vectors at `-s 4096` and `-s 4097` (common values): each buffer as strace prints it (eBPF
/// kept a slot of the size masked to 12 bits: `""...` at 4096, one byte at 4097).
#[test]
fn root_vectors_at_s_4096_as_strace() {
    require_root();
    for s in ["4096", "4097"] {
        same_as_strace_with(&["-s", s], "cmsg", "sendmsg,recvmsg,sendmmsg,recvmmsg");
    }
}

/// Netlink messages on netlink sockets: NETLINK_ROUTE requests and replies (ifinfomsg,
/// ifaddrmsg and its attributes, rtmsg and its attributes, errors echoing the request),
/// NETLINK_SOCK_DIAG requests, NETLINK_AUDIT and NETLINK_GENERIC types, a uevent, two
/// messages in one buffer, sendmsg/recvmsg iovecs, short, bad and NULL buffers
/// (tests/workloads/netlink.c); with `-s 8` the payloads and lists cut; `-yy`.
#[test]
fn root_netlink_messages_as_strace() {
    require_root();
    let calls = "sendto,recvfrom,sendmsg,recvmsg";
    same_as_strace("netlink", calls);
    same_as_strace_with(&["-s", "8"], "netlink", calls);
    same_as_strace_with(&["-X", "raw"], "netlink", calls);
    // A bound netlink socket named by its protocol and port id: NETLINK:[ROUTE:28673].
    same_as_strace_with(&["-yy"], "netlink", calls);
}

/// NETLINK_ROUTE link messages: ifinfomsg's IFLA_* attributes (statistics of each length,
/// hardware addresses, nested IFLA_XDP, short and unknown values) and nlmsg_pid printed
/// signed (tests/workloads/netlink_link.c), in the three `-X` styles and cut by `-s`.
#[test]
fn root_netlink_link_messages_as_strace() {
    require_root();
    let calls = "socket,bind,sendto";
    same_as_strace("netlink_link", calls);
    same_as_strace_with(&["-s", "300"], "netlink_link", calls);
    same_as_strace_with(&["-s", "4"], "netlink_link", calls);
    same_as_strace_with(&["-X", "raw"], "netlink_link", calls);
    same_as_strace_with(&["-X", "verbose"], "netlink_link", calls);
}

/// socket()'s protocol as strace's net.c names it per family (`htons(ETH_P_ALL)`,
/// `BTPROTO_RFCOMM`, `0xcc /* AX25_P_IP */`), socketpair's as a number, and with `-yy` the
/// sockets strace cannot describe: `socket:[N]` (packet), `RAW:[N]` (tests/workloads/
/// sockproto.c), in the three `-X` styles.
#[test]
fn root_socket_protocols_as_strace() {
    require_root();
    let calls = "socket,socketpair,getsockopt,close";
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"]] {
        same_as_strace_with(options, "sockproto", calls);
    }
    let inodes = Regex::new(r"(:\[|->)\d+").expect("regex");
    let mask = |t: &str| inodes.replace_all(t, "${1}INODE").into_owned();
    masked_as_strace(&["-yy"], "sockproto", calls, mask, false);
}

/// The network programs with `-X raw` and `-X verbose`: addresses and ports as their bytes,
/// unknown values as bare numbers, interface indexes as numbers.
#[test]
fn root_network_decoders_with_const_styles_as_strace() {
    require_root();
    for style in ["raw", "verbose"] {
        same_as_strace_with(&["-X", style], "sockopt", "setsockopt,getsockopt");
        same_as_strace_with(
            &["-X", style],
            "sockaddr",
            "connect,bind,sendto,recvfrom,getsockname,getpeername,accept4",
        );
        same_as_strace_with(&["-X", style], "cmsg", "sendmsg,recvmsg");
    }
}
