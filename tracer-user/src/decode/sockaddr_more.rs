//! The socket address families strace 6.1's sockaddr.c decodes beyond the common ones:
//! AF_AX25, AF_IPX, AF_X25, AF_XDP, AF_ALG, AF_QIPCRTR, AF_MCTP, AF_NFC, AF_RXRPC and
//! AF_IEEE802154, each from the length that holds its struct (strace's `min_len`), read
//! from a copy padded with zeros as strace pads its own.

use crate::{
    decode::{
        Arg,
        bytes::{i32_at, u16_at, u32_at},
        enum_value,
        flags::{flags, named},
        sockaddr::{htons, inet, inet6},
        sockopt::{hex_bytes, ifindex},
        sockopt_structs::mac,
    },
    tables::{
        flags::Xlat,
        net_gen::{
            MCTP_ADDRS, MCTP_NETS, NFC_SOCKADDR_PROTOCOLS, QRTR_NODES, QRTR_PORTS,
            XDP_SOCKADDR_FLAGS,
        },
        xlat::{ADDR_FAMILIES, SOCK_TYPES},
    },
};

type Fields = Vec<(&'static str, Arg)>;

const AF_INET: u16 = 2;
const AF_AX25: u16 = 3;
const AF_IPX: u16 = 4;
const AF_X25: u16 = 9;
const AF_INET6: u16 = 10;
const AF_RXRPC: u16 = 33;
const AF_IEEE802154: u16 = 36;
const AF_ALG: u16 = 38;
const AF_NFC: u16 = 39;
const AF_QIPCRTR: u16 = 42;
const AF_XDP: u16 = 44;
const AF_MCTP: u16 = 45;

/// `sizeof(struct sockaddr_ax25)`: the family, a 7-byte call sign, then an int.
const AX25_LEN: usize = 16;
/// `sizeof(ax25_address)`.
const AX25_CALL: usize = 7;
/// `AX25_MAX_DIGIS`.
const AX25_MAX_DIGIS: usize = 8;
/// `sizeof(struct sockaddr_alg_new)`: its name is a flexible array.
const ALG_NEW_LEN: usize = 24;
/// `sizeof(struct sockaddr_nfc_llcp)` on x86_64: past it strace prints the LLCP fields.
const NFC_LLCP_LEN: usize = 88;

/// The fields after `sa_family` of family `family`'s address `d` (its `len` bytes), or None
/// when strace prints the raw `sa_data` (a family it does not decode, or too short).
pub fn fields(family: u16, d: &[u8]) -> Option<Fields> {
    let min = match family {
        AF_AX25 => AX25_LEN,
        AF_IPX | AF_XDP | AF_NFC => 16,
        AF_X25 => 18,
        AF_RXRPC => 36,
        AF_IEEE802154 => 20,
        AF_ALG => ALG_NEW_LEN + 1,
        AF_QIPCRTR | AF_MCTP => 12,
        _ => return None,
    };
    let len = d.len();
    if len < min {
        return None;
    }
    // strace reads the address into a zeroed sockaddr_storage.
    let mut b = [0u8; 136];
    b[..len.min(128)].copy_from_slice(&d[..len.min(128)]);
    Some(match family {
        AF_AX25 => ax25(&b, len),
        AF_IPX => ipx(&b),
        AF_X25 => vec![(
            "sx25_addr",
            Arg::Struct {
                fields: vec![("x25_addr", cstring(&b[2..18]))],
                more: false,
            },
        )],
        AF_XDP => xdp(&b),
        AF_ALG => alg(&b, len),
        AF_QIPCRTR => vec![
            ("sq_node", xval(QRTR_NODES, u32_at(&b, 4)?)),
            ("sq_port", xval(QRTR_PORTS, u32_at(&b, 8)?)),
        ],
        AF_MCTP => mctp(&b),
        AF_NFC => nfc(&b, len),
        AF_RXRPC => rxrpc(&b, len),
        _ => ieee802154(&b),
    })
}

/// A value by name, else in hex (strace's PRINT_FIELD_XVAL with no default).
fn xval(table: Xlat, v: u32) -> Arg {
    named(table, u64::from(v)).unwrap_or(Arg::Hex(u64::from(v)))
}

/// strace's PRINT_FIELD_XVAL_VERBOSE: the number, its name in a comment (`0x1 /*
/// CM_SERVICE */`), `unknown` in the comment for a value without one, else the number.
fn xval_verbose(names: &[(&'static str, u64)], v: u64, unknown: Option<&'static str>) -> Arg {
    let comment = names
        .iter()
        .find(|(_, n)| *n == v)
        .map(|(name, _)| *name)
        .or(unknown);
    match comment {
        Some(text) => Arg::constant(
            Arg::Hex(v),
            Arg::Commented(Box::new(Arg::Hex(v)), text.into()),
        ),
        None => Arg::Hex(v),
    }
}

/// A NUL-terminated char array (strace's print_quoted_cstring): up to its NUL, else all but
/// its last byte and `...`.
fn cstring(b: &[u8]) -> Arg {
    match b.iter().position(|&c| c == 0) {
        Some(end) => Arg::str(&b[..end], false),
        None => Arg::str(&b[..b.len() - 1], true),
    }
}

/// A char array strace prints with QUOTE_0_TERMINATED | QUOTE_EXPECT_TRAILING_0: up to its
/// NUL within all but the last byte; `...` after them when the last is not a NUL either.
fn expect_trailing_0(b: &[u8]) -> Arg {
    let Some((last, within)) = b.split_last() else {
        return Arg::str(b, false);
    };
    match within.iter().position(|&c| c == 0) {
        Some(end) => Arg::str(&within[..end], false),
        None => Arg::str(within, *last != 0),
    }
}

/// C's `%#0*x` with two digits a byte: `0x4`, zero as `00`.
fn hex0(v: u64, bytes: usize) -> Arg {
    match v {
        0 => Arg::sym("0".repeat(bytes * 2)),
        v => Arg::sym(format!("{v:#0width$x}", width = bytes * 2)),
    }
}

/// `fsa_ax25={sax25_call=..., sax25_ndigis=1}, fsa_digipeater=[...]` (the outer braces and
/// the digipeaters when it has any or is longer than `sockaddr_ax25`).
fn ax25(b: &[u8], len: usize) -> Fields {
    let ndigis = i32_at(b, 12).unwrap_or(0);
    let call = ("sax25_call", ax25_address(&b[2..9]));
    let count = ("sax25_ndigis", Arg::Int(i64::from(ndigis)));
    let full = ndigis != 0 || len > AX25_LEN;
    if !full {
        return vec![call, count];
    }
    let mut fields = vec![(
        "fsa_ax25",
        Arg::Struct {
            fields: vec![call, count],
            more: false,
        },
    )];
    let has = ((len - AX25_LEN) / AX25_CALL).min(AX25_MAX_DIGIS);
    let want = usize::try_from(ndigis.max(0))
        .unwrap_or(0)
        .min(AX25_MAX_DIGIS);
    if want > 0 {
        let items = (0..has.min(want))
            .map(|k| ax25_address(&b[AX25_LEN + k * AX25_CALL..][..AX25_CALL]))
            .collect();
        fields.push((
            "fsa_digipeater",
            Arg::Array {
                items,
                more: want > has,
            },
        ));
    }
    if len > has * AX25_CALL + AX25_LEN {
        fields.push(("", Arg::sym("...")));
    }
    fields
}

/// An AX.25 call sign as strace's print_ax25_addr: `N0CALL-5` when sane (the bytes in
/// `-X raw`, both in `-X verbose`), the bytes and the text in a comment when odd, the bytes
/// alone when unprintable.
fn ax25_address(call: &[u8]) -> Arg {
    #[derive(PartialEq)]
    enum Style {
        Default,
        Verbose,
        Raw,
    }
    let mut style = Style::Default;
    let (mut space_seen, mut char_seen) = (false, false);
    for &byte in &call[..6] {
        if byte & 1 != 0 {
            style = Style::Verbose;
        }
        let c = byte >> 1;
        if c == b' ' {
            space_seen = true;
        } else {
            char_seen = true;
        }
        if !(c.is_ascii_digit() || c.is_ascii_uppercase() || c == b' ') || (c != b' ' && space_seen)
        {
            style = Style::Verbose;
        }
        if !(b' '..=0x7e).contains(&c) || c == b'*' || c == b'/' {
            style = Style::Raw;
            break;
        }
    }
    if style != Style::Raw && (call[6] & !0x1e != 0 || (!char_seen && call[6] != 0)) {
        style = Style::Verbose;
    }
    let raw = Arg::Struct {
        fields: vec![("ax25_call", hex_bytes(call))],
        more: false,
    };
    let text = || {
        let end = (1..=6)
            .rev()
            .find(|&e| call[e - 1] >> 1 != b' ')
            .unwrap_or(0);
        let mut s: String = call[..end].iter().map(|&c| char::from(c >> 1)).collect();
        s.push_str(&format!("-{}", (call[6] >> 1) & 0xf));
        if s == "-0" { "*".to_string() } else { s }
    };
    match style {
        Style::Raw => raw,
        Style::Verbose => Arg::Commented(Box::new(raw), text()),
        Style::Default => Arg::constant(raw, Arg::sym(text())),
    }
}

/// `sipx_port=htons(5), sipx_network=htonl(0xdeadbeef), sipx_node=[0x1, ...],
/// sipx_type=0x4`.
fn ipx(b: &[u8]) -> Fields {
    let network = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    // `htonl(%#x)`: no `0x` for zero.
    let network = match network {
        0 => "0".to_string(),
        n => format!("{n:#x}"),
    };
    let node = b[8..14].iter().map(|&x| hex0(u64::from(x), 1)).collect();
    vec![
        // `-X raw` shows the port as its bytes.
        (
            "sipx_port",
            Arg::constant(hex_bytes(&b[2..4]), htons(b).unwrap_or(Arg::UInt(0))),
        ),
        ("sipx_network", Arg::sym(format!("htonl({network})"))),
        (
            "sipx_node",
            Arg::Array {
                items: node,
                more: false,
            },
        ),
        ("sipx_type", hex0(u64::from(b[14]), 1)),
    ]
}

/// `sxdp_flags=XDP_SHARED_UMEM, sxdp_ifindex=..., sxdp_queue_id=2, sxdp_shared_umem_fd=3`
/// (the fd as an fd with XDP_SHARED_UMEM, in hex when not zero without it).
fn xdp(b: &[u8]) -> Fields {
    let flag_word = u16_at(b, 2).unwrap_or(0);
    let fd = u32_at(b, 12).unwrap_or(0);
    let mut fields = vec![
        (
            "sxdp_flags",
            flags(XDP_SOCKADDR_FLAGS, u64::from(flag_word)),
        ),
        ("sxdp_ifindex", ifindex(u32_at(b, 4).unwrap_or(0))),
        (
            "sxdp_queue_id",
            Arg::UInt(u64::from(u32_at(b, 8).unwrap_or(0))),
        ),
    ];
    if flag_word & 1 != 0 {
        fields.push(("sxdp_shared_umem_fd", Arg::Fd(fd as i32)));
    } else if fd != 0 {
        fields.push(("sxdp_shared_umem_fd", Arg::Hex(u64::from(fd))));
    }
    fields
}

/// `salg_type="hash", salg_feat=0, salg_mask=0, salg_name="sha256"` (the flags with their
/// names in a comment, strace's PRINT_FIELD_FLAGS_VERBOSE).
fn alg(b: &[u8], len: usize) -> Fields {
    let flag_word = |v: u32| {
        // strace's alg_sockaddr_flags: include/linux/crypto.h's, not a UAPI header.
        const KERN_DRIVER_ONLY: u32 = 0x1000;
        if v == 0 {
            return Arg::UInt(0);
        }
        let rest = v & !KERN_DRIVER_ONLY;
        let comment = match (v & KERN_DRIVER_ONLY != 0, rest) {
            (true, 0) => "CRYPTO_ALG_KERN_DRIVER_ONLY".to_string(),
            (true, r) => format!("CRYPTO_ALG_KERN_DRIVER_ONLY|{r:#x}"),
            (false, _) => "CRYPTO_ALG_???".to_string(),
        };
        let number = Arg::Hex(u64::from(v));
        Arg::constant(number.clone(), Arg::Commented(Box::new(number), comment))
    };
    vec![
        ("salg_type", expect_trailing_0(&b[2..16])),
        ("salg_feat", flag_word(u32_at(b, 16).unwrap_or(0))),
        ("salg_mask", flag_word(u32_at(b, 20).unwrap_or(0))),
        (
            "salg_name",
            expect_trailing_0(&b[ALG_NEW_LEN..len.min(128)]),
        ),
    ]
}

/// `smctp_network=0x1, smctp_addr={s_addr=0x8}, smctp_type=0x1, smctp_tag=0x8` (the pads
/// when not zero).
fn mctp(b: &[u8]) -> Fields {
    let pad0 = u16_at(b, 2).unwrap_or(0);
    let mut fields = Vec::new();
    if pad0 != 0 {
        fields.push(("__smctp_pad0", Arg::Hex(u64::from(pad0))));
    }
    fields.push(("smctp_network", xval(MCTP_NETS, u32_at(b, 4).unwrap_or(0))));
    fields.push((
        "smctp_addr",
        Arg::Struct {
            fields: vec![("s_addr", xval(MCTP_ADDRS, u32::from(b[8])))],
            more: false,
        },
    ));
    fields.push(("smctp_type", Arg::Hex(u64::from(b[9]))));
    fields.push(("smctp_tag", Arg::Hex(u64::from(b[10]))));
    if b[11] != 0 {
        fields.push(("__smctp_pad1", Arg::Hex(u64::from(b[11]))));
    }
    fields
}

/// `dev_idx=..., target_idx=0x2, nfc_protocol=NFC_PROTO_FELICA` and `...` when longer than
/// `sockaddr_nfc` but shorter than `sockaddr_nfc_llcp`.
fn nfc(b: &[u8], len: usize) -> Fields {
    let mut fields = vec![
        ("dev_idx", ifindex(u32_at(b, 4).unwrap_or(0))),
        ("target_idx", Arg::Hex(u64::from(u32_at(b, 8).unwrap_or(0)))),
        (
            "nfc_protocol",
            enum_value(
                NFC_SOCKADDR_PROTOCOLS,
                u64::from(u32_at(b, 12).unwrap_or(0)),
            ),
        ),
    ];
    if len > 16 && len < NFC_LLCP_LEN {
        fields.push(("", Arg::sym("...")));
    }
    fields
}

/// `srx_service=0x1 /* CM_SERVICE */, transport_type=SOCK_DGRAM, transport_len=16,
/// transport={sin={sin_family=AF_INET, ...}}` (another family's bytes after it).
fn rxrpc(b: &[u8], len: usize) -> Fields {
    // strace's rxrpc_services: fs/afs's, not UAPI headers.
    const SERVICES: &[(&str, u64)] = &[
        ("CM_SERVICE", 1),
        ("YFS_FS_SERVICE", 2500),
        ("YFS_CM_SERVICE", 2501),
        ("YFS_VL_SERVICE", 2503),
    ];
    let service = u16_at(b, 2).unwrap_or(0);
    let transport_len = usize::from(u16_at(b, 6).unwrap_or(0));
    let family = u16_at(b, 8).unwrap_or(0);
    let cut = transport_len.min(len - 8);
    let rest = cut.saturating_sub(2);
    let t = &b[8..];
    let rest_bytes = Arg::str(&t[2..2 + rest], false);
    let transport = match family {
        AF_INET | AF_INET6 => {
            let (name, family_field, min) = match family {
                AF_INET => ("sin", "sin_family", 16),
                _ => ("sin6", "sin6_family", 24),
            };
            let mut inner = vec![(family_field, enum_value(ADDR_FAMILIES, u64::from(family)))];
            let decoded = match family {
                AF_INET if transport_len >= min => inet(&t[..cut.max(16)]),
                AF_INET6 if transport_len >= min => inet6(&t[..cut.max(24)]),
                _ => None,
            };
            match decoded {
                Some(more) => inner.extend(more),
                None if rest > 0 => inner.push(("", rest_bytes)),
                None => {}
            }
            vec![(
                name,
                Arg::Struct {
                    fields: inner,
                    more: false,
                },
            )]
        }
        _ => {
            let mut inner = vec![("family", enum_value(ADDR_FAMILIES, u64::from(family)))];
            if rest > 0 {
                inner.push(("", rest_bytes));
            }
            inner
        }
    };
    vec![
        (
            "srx_service",
            xval_verbose(SERVICES, u64::from(service), Some("???_SERVICE")),
        ),
        (
            "transport_type",
            enum_value(SOCK_TYPES, u64::from(u16_at(b, 4).unwrap_or(0))),
        ),
        ("transport_len", Arg::UInt(transport_len as u64)),
        (
            "transport",
            Arg::Struct {
                fields: transport,
                more: false,
            },
        ),
    ]
}

/// `addr={addr_type=0x2 /* IEEE802154_ADDR_SHORT */, pan_id=0x1234, short_addr=0x5678}`
/// (a long or unknown type's `hwaddr=...`).
fn ieee802154(b: &[u8]) -> Fields {
    // strace's ieee802154 tables: include/net/af_ieee802154.h's, not UAPI headers.
    const TYPES: &[(&str, u64)] = &[
        ("IEEE802154_ADDR_NONE", 0),
        ("IEEE802154_ADDR_SHORT", 2),
        ("IEEE802154_ADDR_LONG", 3),
    ];
    const PAN_IDS: &[(&str, u64)] = &[("IEEE802154_PANID_BROADCAST", 0xffff)];
    const ADDRS: &[(&str, u64)] = &[
        ("IEEE802154_ADDR_UNDEF", 0xfffe),
        ("IEEE802154_ADDR_BROADCAST", 0xffff),
    ];
    let kind = u32_at(b, 4).unwrap_or(0);
    let mut fields = vec![
        (
            "addr_type",
            xval_verbose(TYPES, u64::from(kind), Some("IEEE802154_ADDR_???")),
        ),
        (
            "pan_id",
            xval_verbose(PAN_IDS, u64::from(u16_at(b, 8).unwrap_or(0)), None),
        ),
    ];
    match kind {
        0 => {}
        2 => fields.push((
            "short_addr",
            xval_verbose(ADDRS, u64::from(u16_at(b, 10).unwrap_or(0)), None),
        )),
        _ => fields.push(("hwaddr", mac(&b[10..18]))),
    }
    vec![(
        "addr",
        Arg::Struct {
            fields,
            more: false,
        },
    )]
}
