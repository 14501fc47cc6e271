//! The struct arguments of socket and file ioctls, as strace 6.1's sock.c and file_ioctl.c
//! print them: `struct ifreq` (`{ifr_name="lo", ifr_ifindex=1}`) and `struct fsxattr`. Each
//! takes the bytes captured for the argument at the call's exit and returns None when they
//! are too few (the caller prints the address).

use crate::{
    decode::{
        Arg,
        bytes::{i32_at, u16_at, u32_at, u64_at},
        enum_value,
        flags::flags,
        sockaddr::sockaddr,
    },
    tables::{ioctl_args_gen::FS_XFLAGS, net_gen::ARP_HARDWARE_TYPES, netlink_gen::IFF_FLAGS},
};

/// sizeof(struct ifreq): the name, then a 24-byte union.
const IFREQ: usize = 40;
/// IFNAMSIZ.
const IFNAMSIZ: usize = 16;

/// The socket requests whose argument is a `struct ifreq` strace decodes, and whether the
/// kernel only reads it (a set: the whole struct when the call starts) or also writes it (a
/// get: the name, or SIOCGIFNAME's index, then the answer once the call succeeded).
pub const IFREQ_REQUESTS: &[(&str, bool)] = &[
    ("SIOCADDMULTI", true),
    ("SIOCDELMULTI", true),
    ("SIOCSIFADDR", true),
    ("SIOCSIFBRDADDR", true),
    ("SIOCSIFDSTADDR", true),
    ("SIOCSIFFLAGS", true),
    ("SIOCSIFHWADDR", true),
    ("SIOCSIFHWBROADCAST", true),
    ("SIOCSIFMAP", true),
    ("SIOCSIFMETRIC", true),
    ("SIOCSIFMTU", true),
    ("SIOCSIFNAME", true),
    ("SIOCSIFNETMASK", true),
    ("SIOCSIFSLAVE", true),
    ("SIOCSIFTXQLEN", true),
    ("SIOCGIFADDR", false),
    ("SIOCGIFBRDADDR", false),
    ("SIOCGIFDSTADDR", false),
    ("SIOCGIFFLAGS", false),
    ("SIOCGIFHWADDR", false),
    ("SIOCGIFINDEX", false),
    ("SIOCGIFMAP", false),
    ("SIOCGIFMETRIC", false),
    ("SIOCGIFMTU", false),
    ("SIOCGIFNAME", false),
    ("SIOCGIFNETMASK", false),
    ("SIOCGIFSLAVE", false),
    ("SIOCGIFTXQLEN", false),
];

/// `{ifr_name="lo", ifr_mtu=65536}`: request `name` (one of IFREQ_REQUESTS), `set` as listed
/// there, `failed` whether the call failed (a get then shows what the kernel read only).
pub fn ifreq(name: &str, set: bool, failed: bool, d: &[u8]) -> Option<Arg> {
    if d.len() < IFREQ {
        return None;
    }
    let mut fields = Vec::new();
    match (set, name) {
        (false, "SIOCGIFNAME") => fields.push(("ifr_ifindex", Arg::Int(i64::from(i32_at(d, 16)?)))),
        _ => fields.push(("ifr_name", cstring(&d[..IFNAMSIZ]))),
    }
    if set || !failed {
        fields.push(ifreq_field(name, d)?);
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// The union member a request uses (sock.c's print_ifreq).
fn ifreq_field(name: &str, d: &[u8]) -> Option<(&'static str, Arg)> {
    let u = &d[IFNAMSIZ..IFREQ];
    let int = || Some(Arg::Int(i64::from(i32_at(u, 0)?)));
    Some(match name {
        "SIOCSIFADDR" | "SIOCGIFADDR" => ("ifr_addr", sockaddr(&u[..16])),
        "SIOCSIFDSTADDR" | "SIOCGIFDSTADDR" => ("ifr_dstaddr", sockaddr(&u[..16])),
        "SIOCSIFBRDADDR" | "SIOCGIFBRDADDR" => ("ifr_broadaddr", sockaddr(&u[..16])),
        "SIOCSIFNETMASK" | "SIOCGIFNETMASK" => ("ifr_netmask", sockaddr(&u[..16])),
        "SIOCSIFFLAGS" | "SIOCGIFFLAGS" => {
            ("ifr_flags", flags(IFF_FLAGS, u64::from(u16_at(u, 0)?)))
        }
        "SIOCGIFINDEX" => ("ifr_ifindex", int()?),
        "SIOCSIFMETRIC" | "SIOCGIFMETRIC" => ("ifr_metric", int()?),
        "SIOCSIFMTU" | "SIOCGIFMTU" => ("ifr_mtu", int()?),
        "SIOCSIFTXQLEN" | "SIOCGIFTXQLEN" => ("ifr_qlen", int()?),
        "SIOCSIFSLAVE" | "SIOCGIFSLAVE" => ("ifr_slave", cstring(&u[..IFNAMSIZ])),
        "SIOCSIFNAME" => ("ifr_newname", cstring(&u[..IFNAMSIZ])),
        "SIOCGIFNAME" => ("ifr_name", cstring(&d[..IFNAMSIZ])),
        "SIOCSIFMAP" | "SIOCGIFMAP" => ("ifr_map", ifmap(u)?),
        _ => ("ifr_hwaddr", hwaddr(u)?),
    })
}

/// A name in a fixed field (strace's PRINT_FIELD_CSTRING): up to its NUL, or the field but
/// its last byte and `...` when it has none.
pub fn cstring(field: &[u8]) -> Arg {
    match field.iter().position(|&b| b == 0) {
        Some(end) => Arg::str(&field[..end], false),
        None => Arg::str(&field[..field.len() - 1], true),
    }
}

/// `{mem_start=0, mem_end=0, base_addr=0, irq=0, dma=0, port=0}`, all in hex.
fn ifmap(u: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("mem_start", Arg::Hex(u64_at(u, 0)?)),
            ("mem_end", Arg::Hex(u64_at(u, 8)?)),
            ("base_addr", Arg::Hex(u64::from(u16_at(u, 16)?))),
            ("irq", Arg::Hex(u64::from(u[18]))),
            ("dma", Arg::Hex(u64::from(u[19]))),
            ("port", Arg::Hex(u64::from(u[20]))),
        ],
        more: false,
    })
}

/// `{sa_family=ARPHRD_LOOPBACK, sa_data=00:00:00:00:00:00}` (`-X raw`: sa_data's 14 bytes
/// as a string).
fn hwaddr(u: &[u8]) -> Option<Arg> {
    let family = u16_at(u, 0)?;
    let data = u.get(2..16)?;
    Some(Arg::Struct {
        fields: vec![
            (
                "sa_family",
                enum_value(ARP_HARDWARE_TYPES, u64::from(family)),
            ),
            ("sa_data", super::netlink_link::hwaddr(family, data)),
        ],
        more: false,
    })
}

/// SIOCGIFCONF's `struct ifconf` as the call ended, when strace's line needs nothing else:
/// no buffer (`{ifc_len=80 /* 2 * sizeof(struct ifreq) */, ifc_buf=NULL}`: the size the
/// kernel asks for), or a failed call (what was given). A filled buffer needs the length
/// given and the ifreqs written, which are not captured: None (the address).
pub fn ifconf(d: &[u8], failed: bool) -> Option<Arg> {
    let len = i32_at(d, 0)?;
    let buf = u64_at(d, 8)?;
    if buf != 0 && !failed {
        return None;
    }
    // strace's print_ifc_len: a whole number of ifreqs (not 0) with the count.
    let count = len / IFREQ as i32;
    let len = match len > 0 && len % IFREQ as i32 == 0 {
        true => Arg::Commented(
            Box::new(Arg::Int(i64::from(len))),
            format!("{count} * sizeof(struct ifreq)"),
        ),
        false => Arg::Int(i64::from(len)),
    };
    Some(Arg::Struct {
        fields: vec![("ifc_len", len), ("ifc_buf", Arg::Ptr(buf))],
        more: false,
    })
}

/// `{fsx_xflags=FS_XFLAG_APPEND, fsx_extsize=0, fsx_nextents=0, fsx_projid=0,
/// fsx_cowextsize=0}` (`fsx_nextents` only in what the kernel wrote, FS_IOC_FSGETXATTR's).
pub fn fsxattr(d: &[u8], written: bool) -> Option<Arg> {
    let word = |at: usize| u32_at(d, at).map(u64::from);
    let mut fields = vec![
        ("fsx_xflags", flags(FS_XFLAGS, word(0)?)),
        ("fsx_extsize", Arg::UInt(word(4)?)),
    ];
    if written {
        fields.push(("fsx_nextents", Arg::UInt(word(8)?)));
    }
    fields.push(("fsx_projid", Arg::Hex(word(12)?)));
    fields.push(("fsx_cowextsize", Arg::UInt(word(16)?)));
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lo(tail: &[u8]) -> Vec<u8> {
        let mut d = vec![0u8; IFREQ];
        d[..2].copy_from_slice(b"lo");
        d[IFNAMSIZ..IFNAMSIZ + tail.len()].copy_from_slice(tail);
        d
    }

    #[test]
    fn a_get_shows_the_answer_only_when_it_succeeded() {
        let d = lo(&1i32.to_ne_bytes());
        let Some(Arg::Struct { fields, .. }) = ifreq("SIOCGIFINDEX", false, false, &d) else {
            panic!("no struct");
        };
        assert_eq!(fields.len(), 2);
        assert!(matches!(fields[1], ("ifr_ifindex", Arg::Int(1))));
        let Some(Arg::Struct { fields, .. }) = ifreq("SIOCGIFINDEX", false, true, &d) else {
            panic!("no struct");
        };
        assert_eq!(fields.len(), 1);
        assert!(ifreq("SIOCGIFINDEX", false, false, &d[..39]).is_none());
    }

    #[test]
    fn a_name_without_its_nul_is_cut_before_its_last_byte() {
        assert!(
            matches!(cstring(&[b'A'; 16]), Arg::Str { ref bytes, truncated: true, .. } if bytes.len() == 15)
        );
        assert!(
            matches!(cstring(b"lo\0\0"), Arg::Str { ref bytes, truncated: false, .. } if bytes == b"lo")
        );
    }

    #[test]
    fn fsxattr_leaves_nextents_out_of_what_the_kernel_reads() {
        let d = [0u8; 28];
        let Some(Arg::Struct { fields, .. }) = fsxattr(&d, false) else {
            panic!("no struct");
        };
        assert_eq!(fields.len(), 4);
        let Some(Arg::Struct { fields, .. }) = fsxattr(&d, true) else {
            panic!("no struct");
        };
        assert_eq!(fields.len(), 5);
    }
}
