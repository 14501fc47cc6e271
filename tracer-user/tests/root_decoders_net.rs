//! The tail of the socket, message and ioctl decoders against real strace 6.1
//! (tests/workloads/net_tail.c, a fidelity workload): evdev requests, socket option structs,
//! recvmmsg's timeout left, read-style vectors of failed calls, sock_diag attributes and
//! states, a netlink socket's kind as a send begins; strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// The calls net_tail.c makes that its test compares.
const CALLS: &str = "ioctl,setsockopt,getsockopt,recvmmsg,preadv2,pwritev2,readv,preadv,\
                     process_vm_readv,sendto";

/// evdev requests by their macros (`EVIOCGNAME(64)`, `EVIOCGBIT(EV_KEY, 64)`,
/// `EVIOCSABS(ABS_Y)`) with their arguments; `packet_mreq`, `tpacket_req`, `sock_fprog`,
/// `group_req` and `ICMP_FILTER` values; `(left {...})` after recvmmsg; preadv2/pwritev2's
/// vectors; `INET_DIAG_SOCKOPT` and `1<<TCP_NEW_SYN_RECV`; the first message on an unbound
/// netlink socket undecoded (read as the send began, also with eBPF): in every `-X` style, and with
/// `-v` (`struct input_absinfo` whole) all but setsockopt (SO_ATTACH_FILTER's instructions
/// are not captured).
#[test]
fn root_net_tail_as_strace() {
    require_root();
    for style in ["-Xabbrev", "-Xraw", "-Xverbose"] {
        same_as_strace_with(&[style], "net_tail", CALLS);
    }
    same_as_strace_with(
        &["-v"],
        "net_tail",
        "ioctl,recvmmsg,preadv2,pwritev2,sendto",
    );
}
