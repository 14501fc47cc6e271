//! Socket descriptions for `-yy`, as strace prints them: `TCP:[127.0.0.1:5432]`,
//! `TCPv6:[[::1]:60894->[::1]:39479]`, `UDP:[0.0.0.0:50747]`, `UNIX-STREAM:[59552->59551,"/tmp/s"]`,
//! `NETLINK:[ROUTE:3812]`. Inet and netlink sockets come from the process's /proc/PID/net
//! tables, unix sockets (for their peers) from the kernel's sock_diag interface.

use std::{
    ffi::CString,
    fs,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
};

use tracer_common::{SOCK_IS_SOCKET, SOCK_PATH_LEN, SOCK_PROTO_LEN, SockInfo};

use crate::{
    decode::{Arg, Syscall, model::Flag},
    fdtable::{Ends, Socket, UnixName},
};

/// The protocol name strace shows for a socket or socketpair call's arguments: `TCP`,
/// `UDPv6`, `UNIX-STREAM`, `NETLINK`.
pub fn protocol_of_call(sc: &Syscall) -> Option<String> {
    let family = match sc.args.first()?.abbrev() {
        Arg::Sym(s) => s.as_ref(),
        _ => "",
    };
    // The type's value, before its flags.
    let kind = match sc.args.get(1)?.abbrev() {
        Arg::Flags(parts) => match parts.first() {
            Some(Flag::Name(name)) => name.as_ref(),
            _ => "",
        },
        _ => "",
    };
    let stream = kind == "SOCK_STREAM";
    let dgram = kind == "SOCK_DGRAM";
    let name = match family {
        "AF_UNIX" if stream => "UNIX-STREAM",
        // The kernel's protocol names: datagram and seqpacket unix sockets share "UNIX".
        "AF_UNIX" => "UNIX",
        "AF_INET" if stream => "TCP",
        "AF_INET" if dgram => "UDP",
        "AF_INET6" if stream => "TCPv6",
        "AF_INET6" if dgram => "UDPv6",
        "AF_NETLINK" => "NETLINK",
        _ => return None,
    };
    Some(name.to_string())
}

/// A socket of process `tgid` by inode, from the kernel's tables.
pub fn describe(tgid: u32, inode: u64) -> Option<Socket> {
    for (file, proto, v6) in [
        ("tcp", "TCP", false),
        ("tcp6", "TCPv6", true),
        ("udp", "UDP", false),
        ("udp6", "UDPv6", true),
    ] {
        if let Some(d) = inet(tgid, file, proto, v6, inode) {
            return Some(d);
        }
    }
    unix(inode).or_else(|| netlink(tgid, inode))
}

/// One row of /proc/PID/net/{tcp,udp}{,6} whose inode matches.
fn inet(tgid: u32, file: &str, proto: &str, v6: bool, inode: u64) -> Option<Socket> {
    let text = fs::read_to_string(format!("/proc/{tgid}/net/{file}")).ok()?;
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.get(9).and_then(|i| i.parse::<u64>().ok()) != Some(inode) {
            continue;
        }
        let local = endpoint(cols.get(1)?, v6)?;
        let remote = endpoint(cols.get(2)?, v6)?;
        let unbound = local.port() == 0 && local.ip().is_unspecified();
        let connected = remote.port() != 0;
        let ends = if unbound && !connected {
            Ends::Unknown
        } else {
            Ends::Inet {
                local,
                peer: connected.then_some(remote),
            }
        };
        return Some(Socket {
            proto: Some(proto.into()),
            ino: inode,
            ends,
        });
    }
    None
}

/// `0100007F:1F90` (v4) or 32 hex digits (v6): addresses are printed word by word in host
/// byte order, ports as plain hex.
fn endpoint(text: &str, v6: bool) -> Option<SocketAddr> {
    let (addr, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let mut bytes = Vec::with_capacity(16);
    for chunk in addr.as_bytes().chunks(8) {
        let word = u32::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    let ip = if v6 {
        let octets: [u8; 16] = bytes.try_into().ok()?;
        IpAddr::V6(Ipv6Addr::from(octets))
    } else {
        let octets: [u8; 4] = bytes.try_into().ok()?;
        IpAddr::V4(Ipv4Addr::from(octets))
    };
    Some(SocketAddr::new(ip, port))
}

/// The inet endpoint in a sockaddr's bytes.
pub fn endpoint_of_sockaddr(d: &[u8]) -> Option<SocketAddr> {
    let family = u16::from_le_bytes(d.get(0..2)?.try_into().ok()?);
    let port = u16::from_be_bytes(d.get(2..4)?.try_into().ok()?);
    let ip = match family {
        AF_INET => {
            let ip: [u8; 4] = d.get(4..8)?.try_into().ok()?;
            IpAddr::V4(Ipv4Addr::from(ip))
        }
        AF_INET6 => {
            let ip: [u8; 16] = d.get(8..24)?.try_into().ok()?;
            IpAddr::V6(Ipv6Addr::from(ip))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

fn netlink(tgid: u32, inode: u64) -> Option<Socket> {
    let text = fs::read_to_string(format!("/proc/{tgid}/net/netlink")).ok()?;
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.get(9).and_then(|i| i.parse::<u64>().ok()) != Some(inode) {
            continue;
        }
        let protocol: u64 = cols.get(1)?.parse().ok()?;
        let portid: u32 = cols.get(2)?.parse().ok()?;
        return Some(Socket {
            proto: Some("NETLINK".into()),
            ino: inode,
            ends: Ends::Netlink { protocol, portid },
        });
    }
    None
}

/// A unix socket by inode, with its peer and name, from sock_diag.
fn unix(inode: u64) -> Option<Socket> {
    let reply = crate::sockdiag::unix_diag(u32::try_from(inode).ok()?).ok()??;
    // The kernel's protocol names: only stream sockets have their own.
    let proto: &[u8] = if reply.kind == 1 {
        b"UNIX-STREAM"
    } else {
        b"UNIX"
    };
    let mut info = SockInfo {
        flags: SOCK_IS_SOCKET,
        family: AF_UNIX,
        ino: inode,
        peer_ino: u64::from(reply.peer.unwrap_or(0)),
        ..SockInfo::default()
    };
    info.proto[..proto.len()].copy_from_slice(proto);
    if let Some(name) = reply.name {
        let k = name.len().min(SOCK_PATH_LEN);
        info.path[..k].copy_from_slice(&name[..k]);
        info.addr_len = (k + 2) as u16;
    }
    describe_info(&info)
}

const AF_UNIX: u16 = libc::AF_UNIX as u16;
const AF_INET: u16 = libc::AF_INET as u16;
const AF_INET6: u16 = libc::AF_INET6 as u16;

/// A socket as the kernel side read it (`CAP_SOCK`), as far as strace's -yy shows it; None
/// for what is not a socket, or an unbound netlink socket (its details come from /proc).
pub fn describe_info(info: &SockInfo) -> Option<Socket> {
    if info.flags & SOCK_IS_SOCKET == 0 || info.proto_name().is_empty() {
        return None;
    }
    let proto = String::from_utf8_lossy(info.proto_name()).into_owned();
    // A protocol strace's socketutils.c does not list: it shows /proc's `socket:[N]`.
    if !STRACE_PROTOCOLS.contains(&proto.as_str()) {
        return Some(Socket {
            proto: None,
            ino: info.ino,
            ends: Ends::Unknown,
        });
    }
    let ends = match info.family {
        // Only these have an inet_diag handler that finds the socket by strace's query
        // (raw sockets are asked for IPPROTO_RAW's, ping sockets have none): `RAW:[N]`.
        AF_INET | AF_INET6 if INET_DIAG_PROTOCOLS.contains(&proto.as_str()) => inet_ends(info),
        AF_INET | AF_INET6 => Ends::Unknown,
        AF_UNIX => unix_ends(info),
        // strace's sock_diag finds only bound netlink sockets.
        f if f == libc::AF_NETLINK as u16 && info.nl_portid != 0 => Ends::Netlink {
            protocol: u64::from(info.protocol),
            portid: info.nl_portid,
        },
        f if f == libc::AF_NETLINK as u16 => return None,
        _ => Ends::Unknown,
    };
    Some(Socket {
        proto: Some(proto),
        ino: info.ino,
        ends,
    })
}

/// The kernel protocol names strace 6.1 knows (socketutils.c's table).
pub(super) const STRACE_PROTOCOLS: &[&str] = &[
    "UNIX",
    "UNIX-STREAM",
    "TCP",
    "UDP",
    "UDPLITE",
    "DCCP",
    "SCTP",
    "L2TP/IP",
    "PING",
    "RAW",
    "TCPv6",
    "UDPv6",
    "UDPLITEv6",
    "DCCPv6",
    "SCTPv6",
    "L2TP/IPv6",
    "PINGv6",
    "RAWv6",
    "NETLINK",
];

/// Those of them whose endpoints strace's sock_diag query returns.
const INET_DIAG_PROTOCOLS: &[&str] = &[
    "TCP",
    "UDP",
    "UDPLITE",
    "DCCP",
    "SCTP",
    "TCPv6",
    "UDPv6",
    "UDPLITEv6",
    "DCCPv6",
    "SCTPv6",
];

/// The local endpoint and the peer; Unknown for an unbound socket (strace's sock_diag does
/// not find it).
fn inet_ends(info: &SockInfo) -> Ends {
    if info.lport == 0 {
        return Ends::Unknown;
    }
    let v6 = info.family == AF_INET6;
    let ip = |b: &[u8; 16]| -> IpAddr {
        if v6 {
            Ipv6Addr::from(*b).into()
        } else {
            Ipv4Addr::new(b[0], b[1], b[2], b[3]).into()
        }
    };
    let peer_ip = ip(&info.daddr);
    let peer = (info.dport != 0 || !peer_ip.is_unspecified())
        .then(|| SocketAddr::new(peer_ip, info.dport));
    Ends::Inet {
        local: SocketAddr::new(ip(&info.laddr), info.lport),
        peer,
    }
}

/// The peer's inode and the bound name (`"path"` or `@"abstract"`), each name up to its first
/// NUL (a PostgreSQL socket is bound with the NUL counted in its length).
fn unix_ends(info: &SockInfo) -> Ends {
    let len = usize::from(info.addr_len)
        .saturating_sub(2)
        .min(SOCK_PATH_LEN);
    let path = &info.path[..len];
    let name = (!path.is_empty()).then(|| {
        let (shown, abstract_ns) = match path.first() {
            Some(0) => (&path[1..], true),
            _ => (path, false),
        };
        let end = shown.iter().position(|&b| b == 0).unwrap_or(shown.len());
        UnixName {
            abstract_ns,
            bytes: shown[..end].to_vec(),
        }
    });
    Ends::Unix {
        peer: (info.peer_ino != 0).then_some(info.peer_ino),
        name,
    }
}

/// The kernel's name of the socket's protocol (`struct proto`'s), as strace reads it.
pub(crate) fn protocol_name(link: &str, out: &mut [u8; SOCK_PROTO_LEN]) {
    let (Ok(path), Ok(attr)) = (CString::new(link), CString::new("system.sockprotoname")) else {
        return;
    };
    let mut buf = [0u8; 64];
    // SAFETY: both strings are NUL-terminated; the kernel writes at most buf.len() bytes.
    let n = unsafe {
        libc::getxattr(
            path.as_ptr(),
            attr.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    if n > 0 {
        let name = &buf[..n as usize];
        let name = name.split(|&b| b == 0).next().unwrap_or_default();
        let k = name.len().min(SOCK_PROTO_LEN);
        out[..k].copy_from_slice(&name[..k]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fdtable::FdName;

    /// As `-yy` shows it.
    fn shown(socket: Option<Socket>) -> Option<String> {
        socket.map(|s| FdName::Socket(s).text().into_owned())
    }

    #[test]
    fn proc_net_endpoints() {
        let v4 = endpoint("0100007F:1F90", false).expect("v4");
        assert_eq!(
            (v4.ip().to_string(), v4.port()),
            ("127.0.0.1".to_string(), 8080)
        );
        let v6 = endpoint("00000000000000000000000001000000:1538", true).expect("v6");
        assert_eq!(v6.ip().to_string(), "::1");
    }

    fn sock(proto: &str, family: i32) -> SockInfo {
        let mut info = SockInfo {
            flags: SOCK_IS_SOCKET,
            family: family as u16,
            ino: 4242,
            ..SockInfo::default()
        };
        info.proto[..proto.len()].copy_from_slice(proto.as_bytes());
        info
    }

    #[test]
    fn kernel_read_inet_sockets_print_as_strace_prints_them() {
        let mut tcp = sock("TCP", libc::AF_INET);
        assert_eq!(shown(describe_info(&tcp)).as_deref(), Some("TCP:[4242]"));
        tcp.lport = 5432;
        tcp.laddr[..4].copy_from_slice(&[127, 0, 0, 1]);
        assert_eq!(
            shown(describe_info(&tcp)).as_deref(),
            Some("TCP:[127.0.0.1:5432]")
        );
        tcp.dport = 41000;
        tcp.daddr[..4].copy_from_slice(&[10, 0, 0, 2]);
        assert_eq!(
            shown(describe_info(&tcp)).as_deref(),
            Some("TCP:[127.0.0.1:5432->10.0.0.2:41000]")
        );
        let mut v6 = sock("UDPv6", libc::AF_INET6);
        v6.lport = 53;
        v6.laddr[15] = 1;
        assert_eq!(
            shown(describe_info(&v6)).as_deref(),
            Some("UDPv6:[[::1]:53]")
        );
        // Not a socket, or an unbound netlink socket (described from /proc): left to the
        // other paths.
        assert_eq!(describe_info(&SockInfo::default()), None);
        assert_eq!(describe_info(&sock("NETLINK", libc::AF_NETLINK)), None);
        // A bound one: its protocol and port id, as strace's NETLINK:[ROUTE:28673].
        let bound = SockInfo {
            protocol: 0,
            nl_portid: 28673,
            ..sock("NETLINK", libc::AF_NETLINK)
        };
        let ends = describe_info(&bound).map(|s| s.ends);
        assert_eq!(
            ends,
            Some(Ends::Netlink {
                protocol: 0,
                portid: 28673
            })
        );
    }

    #[test]
    fn unix_names_stop_at_their_nul_and_abstract_ones_get_an_at() {
        let mut u = sock("UNIX-STREAM", libc::AF_UNIX);
        let path = b"/run/postgresql/.s.PGSQL.5432\0";
        u.path[..path.len()].copy_from_slice(path);
        u.addr_len = (path.len() + 2) as u16;
        u.peer_ino = 77;
        assert_eq!(
            shown(describe_info(&u)).as_deref(),
            Some(r#"UNIX-STREAM:[4242->77,"/run/postgresql/.s.PGSQL.5432"]"#)
        );
        let mut a = sock("UNIX", libc::AF_UNIX);
        let name = b"\0tracer";
        a.path[..name.len()].copy_from_slice(name);
        a.addr_len = (name.len() + 2) as u16;
        assert_eq!(
            shown(describe_info(&a)).as_deref(),
            Some(r#"UNIX:[4242,@"tracer"]"#)
        );
    }

    #[test]
    fn a_live_tcp_listener_and_unix_pair_are_described() {
        use std::os::{fd::AsRawFd, unix::net::UnixStream};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let me = std::process::id();
        let inode = |fd: i32| -> u64 {
            let link = fs::read_link(format!("/proc/self/fd/{fd}")).expect("link");
            let s = link.to_string_lossy().into_owned();
            s.trim_start_matches("socket:[")
                .trim_end_matches(']')
                .parse()
                .expect("inode")
        };
        assert_eq!(
            shown(describe(me, inode(listener.as_raw_fd()))),
            Some(format!("TCP:[127.0.0.1:{port}]"))
        );
        let (a, b) = UnixStream::pair().expect("pair");
        let (ia, ib) = (inode(a.as_raw_fd()), inode(b.as_raw_fd()));
        assert_eq!(
            shown(describe(me, ia)),
            Some(format!("UNIX-STREAM:[{ia}->{ib}]"))
        );
    }
}
