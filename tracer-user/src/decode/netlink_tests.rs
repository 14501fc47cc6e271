//! Netlink messages decoded from hand-built calls; the expected lines are strace 6.1's for
//! the same bytes (tests/workloads/netlink.c has the root test against strace itself).

use tracer_common::{CAP_BUF_ARG, CAP_SOCK_PROTO, SOCK_IS_SOCKET, SOCK_NL_BOUND, SockProto, wire};

use crate::{decode::tests::line, event::Blob};

const SENDTO: u32 = 44;
const RECVFROM: u32 = 45;
const P: u64 = 0x7ffd_0000;

/// The kernel side's reading of fd 3: a netlink socket of `protocol`, bound or not.
fn socket(family: u16, protocol: u16, bound: bool) -> Blob {
    let sock = SockProto {
        fd: 3,
        flags: SOCK_IS_SOCKET | if bound { SOCK_NL_BOUND } else { 0 },
        family,
        protocol,
        sock_type: 3,
        _pad0: 0,
    };
    Blob::at_exit(5, CAP_SOCK_PROTO, wire::as_bytes(&sock).to_vec())
}

/// A message: header (length from the payload), then the payload.
fn message(kind: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&(16 + payload.len() as u32).to_ne_bytes());
    m.extend_from_slice(&kind.to_ne_bytes());
    m.extend_from_slice(&flags.to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&pid.to_ne_bytes());
    m.extend_from_slice(payload);
    m
}

fn sendto(data: Vec<u8>, sock: Blob) -> String {
    let len = data.len() as u64;
    line(
        SENDTO,
        [3, P, len, 0, 0, 0],
        len as i64,
        vec![Blob::at_exit(1, CAP_BUF_ARG, data), sock],
    )
}

const GETADDR: u16 = 22;
const DUMP_REQUEST: u16 = 0x301;

#[test]
fn a_bound_route_socket_names_the_request_and_its_payload() {
    let data = message(GETADDR, DUMP_REQUEST, 7, 0, &[2, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        sendto(data, socket(16, 0, true)),
        "sendto(3, [{nlmsg_len=24, nlmsg_type=RTM_GETADDR, \
         nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=7, nlmsg_pid=0}, \
         {ifa_family=AF_INET, ifa_prefixlen=0, ifa_flags=0, ifa_scope=RT_SCOPE_UNIVERSE, \
         ifa_index=0}], 24, 0, NULL, 0) = 24"
    );
}

#[test]
fn an_unbound_socket_gets_only_the_common_names_as_strace_finds_no_protocol() {
    // strace 6.1 on the first sendto of an unbound NETLINK_ROUTE socket.
    let data = message(18, DUMP_REQUEST, 1, 0, &[0]);
    assert_eq!(
        sendto(data, socket(16, 0, false)),
        "sendto(3, [{nlmsg_len=17, nlmsg_type=0x12 /* NLMSG_??? */, \
         nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=1, nlmsg_pid=0}, \"\\x00\"], 17, 0, NULL, 0) \
         = 17"
    );
}

#[test]
fn other_sockets_keep_their_data_as_a_string() {
    let data = message(GETADDR, DUMP_REQUEST, 7, 0, &[2, 0, 0, 0]);
    let text = sendto(data, socket(2, 6, false));
    assert!(
        text.starts_with("sendto(3, \"\\24\\0\\0\\0\\26\\0"),
        "{text}"
    );
}

#[test]
fn an_error_echoes_the_request_and_what_follows_it() {
    // A sock_diag error whose request (18 bytes) leaves two bytes of padding.
    let request = message(20, 1, 7, 0, &[10, 0x11]);
    let mut payload = (-22i32).to_ne_bytes().to_vec();
    payload.extend_from_slice(&request);
    payload.extend_from_slice(&[0, 0]);
    let data = message(2, 0, 7, 28674, &payload);
    let len = data.len() as u64;
    let text = line(
        RECVFROM,
        [3, P, 8192, 0x40, 0, 0],
        len as i64,
        vec![
            Blob::at_exit(1, tracer_common::CAP_BUF_RET, data),
            socket(16, 4, true),
        ],
    );
    assert_eq!(
        text,
        "recvfrom(3, [{nlmsg_len=40, nlmsg_type=NLMSG_ERROR, nlmsg_flags=0, nlmsg_seq=7, \
         nlmsg_pid=28674}, [{error=-EINVAL, msg=[{nlmsg_len=18, \
         nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=7, \
         nlmsg_pid=0}, {sdiag_family=AF_INET6, ...}]}, \"\\x00\\x00\"]], 8192, MSG_DONTWAIT, \
         NULL, NULL) = 40"
    );
}

#[test]
fn a_uevent_is_text() {
    let data = b"add@/x\0ACTION=add".to_vec();
    assert_eq!(
        sendto(data, socket(16, 15, true)),
        "sendto(3, \"add@/x\\0ACTION=add\", 17, 0, NULL, 0) = 17"
    );
}

/// strace 6.1's line for an RTM_NEWLINK with a port id past i32::MAX (printed signed), a
/// link name, an MTU, and an AF_BRIDGE family whose hardware address shows one byte.
#[test]
fn a_link_message_has_its_attributes_and_a_signed_port_id() {
    const NEWLINK: u16 = 16;
    let mut payload = vec![7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    payload.extend_from_slice(&[9, 0, 3, 0, b'e', b't', b'h', b'9', 0, 0, 0, 0]);
    payload.extend_from_slice(&[8, 0, 4, 0]);
    payload.extend_from_slice(&1500u32.to_ne_bytes());
    payload.extend_from_slice(&[10, 0, 1, 0, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0]);
    let data = message(NEWLINK, 2, 7, 0x8000_0000, &payload);
    assert_eq!(
        sendto(data, socket(16, 0, true)),
        "sendto(3, [{nlmsg_len=64, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_MULTI, \
         nlmsg_seq=7, nlmsg_pid=-2147483648}, {ifi_family=AF_BRIDGE, ifi_type=ARPHRD_ETHER, \
         ifi_index=0, ifi_flags=0, ifi_change=0}, [[{nla_len=9, nla_type=IFLA_IFNAME}, \
         \"eth9\"], [{nla_len=8, nla_type=IFLA_MTU}, 1500], [{nla_len=10, \
         nla_type=IFLA_ADDRESS}, 52]]], 64, 0, NULL, 0) = 64"
    );
}
