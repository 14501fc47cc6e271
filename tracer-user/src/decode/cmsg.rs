//! A msghdr's control messages as strace 6.1 prints them (its msghdr.c):
//! `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3]}]`, each type's
//! data only when it is long enough, and `...` where the buffer ends in a short header.

use crate::{
    decode::{
        Arg,
        bytes::{i32_at, u32_at, u64_at},
        enum_value,
        sockaddr::sockaddr,
        sockopt::{id, ifindex, inet_addr},
        values::{timespec, timeval},
    },
    tables::{flags::Xlat, sockopt_gen::IP_SOCKOPTS, xlat::SOCKOPT_LEVELS},
};

/// `sizeof(struct cmsghdr)` on x86_64.
const HEADER: usize = 16;

const SOL_SOCKET: i32 = 1;
const SOL_IP: i32 = 0;

/// SOL_SOCKET control message types (glibc's `enum` in bits/socket.h and asm-generic's
/// SO_TIMESTAMP* values: no UAPI header defines the first three as numbers).
const SCM_TYPES: Xlat = Xlat::new(
    "SCM_",
    &[
        ("SCM_RIGHTS", 1),
        ("SCM_CREDENTIALS", 2),
        ("SCM_SECURITY", 3),
        ("SCM_PIDFD", 4),
        ("SO_TIMESTAMP_OLD", 29),
        ("SO_TIMESTAMPNS_OLD", 35),
        ("SO_TIMESTAMPING_OLD", 37),
        ("SO_TIMESTAMP_NEW", 63),
        ("SO_TIMESTAMPNS_NEW", 64),
        ("SO_TIMESTAMPING_NEW", 65),
    ],
);

/// msg_control at `addr`, `controllen` bytes of which `d` were captured.
pub fn control(d: Option<&[u8]>, addr: u64, controllen: u64) -> Arg {
    let d = match d {
        Some(d) if controllen >= HEADER as u64 && !d.is_empty() => d,
        _ => return Arg::Ptr(addr),
    };
    let control_len = d
        .len()
        .min(usize::try_from(controllen).unwrap_or(usize::MAX));
    let mut buf_len = control_len;
    let mut at = 0;
    let mut items = Vec::new();
    while buf_len >= HEADER {
        let (Some(cmsg_len), Some(level), Some(kind)) =
            (u64_at(d, at), i32_at(d, at + 8), i32_at(d, at + 12))
        else {
            break;
        };
        let len = usize::try_from(cmsg_len).unwrap_or(usize::MAX).min(buf_len);
        // `at + len` stays within the capture: len <= buf_len, what is left of it.
        let data = if len > HEADER {
            &d[at + HEADER..at + len]
        } else {
            &[][..]
        };
        let mut fields = vec![
            ("cmsg_len", Arg::UInt(cmsg_len)),
            (
                "cmsg_level",
                enum_value(SOCKOPT_LEVELS, u64::from(level as u32)),
            ),
        ];
        let (type_arg, data_arg) = type_and_data(level, kind, data);
        fields.push(("cmsg_type", type_arg));
        if let Some(data_arg) = data_arg {
            fields.push(("cmsg_data", data_arg));
        }
        items.push(Arg::Struct {
            fields,
            more: false,
        });
        if len < HEADER {
            buf_len -= HEADER;
            break;
        }
        let step = usize::try_from((cmsg_len + 7) & !7).unwrap_or(usize::MAX);
        if step >= buf_len {
            buf_len = 0;
            break;
        }
        at += step;
        buf_len -= step;
    }
    let mut more = false;
    if buf_len > 0 {
        let next = addr + (control_len - buf_len) as u64;
        items.push(Arg::unreadable_from(next));
    } else if (control_len as u64) < controllen {
        more = true;
    }
    Arg::Array { items, more }
}

/// The type by level, and the data when strace decodes that type and it is long enough.
fn type_and_data(level: i32, kind: i32, data: &[u8]) -> (Arg, Option<Arg>) {
    let t = u64::from(kind as u32);
    match level {
        SOL_SOCKET => (enum_value(SCM_TYPES, t), socket_data(kind, data)),
        SOL_IP => (ip_type(t), ip_data(kind, data)),
        _ => (Arg::Hex(t), None),
    }
}

/// strace 6.1's ip_cmsg_types: the names of the control messages the kernel sends, with
/// `IP_???` for the others (which the option table names: `0xe /* IP_??? */` for IP_MTU).
fn ip_type(t: u64) -> Arg {
    const CMSG_TYPES: &[&str] = &[
        "IP_TOS",
        "IP_TTL",
        "IP_RECVOPTS",
        "IP_RETOPTS",
        "IP_PKTINFO",
        "IP_RECVERR",
        "IP_ORIGDSTADDR",
        "IP_CHECKSUM",
    ];
    // strace's SCM_SECURITY: linux/socket.h's kernel-only value.
    const SCM_SECURITY: u64 = 3;
    match IP_SOCKOPTS.name(t) {
        Some(name) if CMSG_TYPES.contains(&name) => super::flags::constant(Arg::Hex(t), name),
        _ if t == SCM_SECURITY => super::flags::constant(Arg::Hex(t), "SCM_SECURITY"),
        _ => enum_value(Xlat::new("IP_", &[]), t),
    }
}

fn socket_data(kind: i32, data: &[u8]) -> Option<Arg> {
    match kind {
        // SCM_RIGHTS: the descriptors.
        1 if data.len() >= 4 => Some(Arg::Array {
            items: data
                .as_chunks::<4>()
                .0
                .iter()
                .map(|c| Arg::Fd(i32::from_le_bytes(*c)))
                .collect(),
            more: false,
        }),
        // SCM_CREDENTIALS: struct ucred.
        2 if data.len() >= 12 => Some(Arg::Struct {
            fields: vec![
                ("pid", Arg::Pid(i64::from(i32_at(data, 0)?))),
                ("uid", id(data.get(4..8)?)),
                ("gid", id(data.get(8..12)?)),
            ],
            more: false,
        }),
        // SCM_SECURITY: the security context.
        3 if !data.is_empty() => Some(Arg::str(data, false)),
        // SO_TIMESTAMP_OLD/_NEW: a timeval (both 16 bytes on x86_64).
        29 | 63 if data.len() >= 16 => timeval(data, 0),
        // SO_TIMESTAMPNS_OLD/_NEW: a timespec.
        35 | 64 if data.len() >= 16 => timespec(data, 0),
        // SO_TIMESTAMPING_OLD/_NEW: three timespecs (software, legacy, hardware).
        37 | 65 if data.len() >= 48 => Some(Arg::Array {
            items: vec![timespec(data, 0)?, timespec(data, 16)?, timespec(data, 32)?],
            more: false,
        }),
        _ => None,
    }
}

fn ip_data(kind: i32, data: &[u8]) -> Option<Arg> {
    match kind {
        // SCM_SECURITY: the security context, a string.
        3 => Some(Arg::str(data, false)),
        // IP_PKTINFO: struct in_pktinfo.
        8 if data.len() >= 12 => Some(Arg::Struct {
            fields: vec![
                ("ipi_ifindex", ifindex(u32_at(data, 0)?)),
                ("ipi_spec_dst", inet_addr(data.get(4..8)?)),
                ("ipi_addr", inet_addr(data.get(8..12)?)),
            ],
            more: false,
        }),
        // IP_TTL, IP_CHECKSUM: unsigned ints.
        2 | 23 if data.len() >= 4 => Some(Arg::Array {
            items: data
                .as_chunks::<4>()
                .0
                .iter()
                .map(|c| Arg::UInt(u64::from(u32::from_le_bytes(*c))))
                .collect(),
            more: false,
        }),
        // IP_TOS, IP_RECVOPTS, IP_RETOPTS: bytes in hex.
        1 | 6 | 7 if !data.is_empty() => Some(Arg::Array {
            items: data
                .iter()
                .map(|&b| match b {
                    0 => Arg::UInt(0),
                    b => Arg::Hex(u64::from(b)),
                })
                .collect(),
            more: false,
        }),
        // IP_ORIGDSTADDR: a sockaddr_in.
        20 if data.len() >= 16 => Some(sockaddr(&data[..data.len().min(128)])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    /// One cmsg: header (len, level, type) and data, padded to 8 bytes.
    fn cmsg(level: i32, kind: i32, data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((HEADER + data.len()) as u64).to_le_bytes());
        v.extend_from_slice(&level.to_le_bytes());
        v.extend_from_slice(&kind.to_le_bytes());
        v.extend_from_slice(data);
        v.resize(v.len().next_multiple_of(8), 0);
        v
    }

    // Expected texts: strace 6.1's lines for the same control data (tests/workloads/cmsg.c
    // and a SO_TIMESTAMP* receiver).
    #[test]
    fn timestamps_as_strace() {
        let mut tv = Vec::new();
        tv.extend_from_slice(&1_796_037_949i64.to_le_bytes());
        tv.extend_from_slice(&751_299i64.to_le_bytes());
        let d = cmsg(1, 29, &tv);
        assert_eq!(
            shown(&control(Some(&d), 0x1000, d.len() as u64)),
            "[{cmsg_len=32, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMP_OLD, \
             cmsg_data={tv_sec=1796037949, tv_usec=751299}}]"
        );
        let mut three = tv.clone();
        three.resize(48, 0);
        let d = cmsg(1, 37, &three);
        assert_eq!(
            shown(&control(Some(&d), 0x1000, d.len() as u64)),
            "[{cmsg_len=64, cmsg_level=SOL_SOCKET, cmsg_type=SO_TIMESTAMPING_OLD, \
             cmsg_data=[{tv_sec=1796037949, tv_nsec=751299}, {tv_sec=0, tv_nsec=0}, \
             {tv_sec=0, tv_nsec=0}]}]"
        );
    }

    #[test]
    fn rights_unknown_and_short_headers_as_strace() {
        let mut d = cmsg(1, 1, &[0, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(
            shown(&control(Some(&d), 0x1000, d.len() as u64)),
            "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}]"
        );
        // A header whose length is shorter than a header ends the list at the next byte.
        d = cmsg(0x1234, 0x56, b"abcd");
        d[0] = 8;
        assert_eq!(
            shown(&control(Some(&d), 0x1000, d.len() as u64)),
            "[{cmsg_len=8, cmsg_level=0x1234 /* SOL_??? */, cmsg_type=0x56}, ... /* 0x1010 */]"
        );
        // A buffer shorter than a header: its address.
        assert_eq!(shown(&control(Some(&d), 0x1000, 8)), "0x1000");
    }
}
