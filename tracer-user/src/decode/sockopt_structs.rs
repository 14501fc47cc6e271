//! Socket option structs as strace 6.1's net.c prints them: `struct packet_mreq`
//! (`PACKET_ADD_MEMBERSHIP`), `struct tpacket_req` (`PACKET_RX_RING`/`PACKET_TX_RING`),
//! `struct sock_fprog` (`SO_ATTACH_FILTER`, its instructions left as an address),
//! `struct group_req` (`MCAST_JOIN_GROUP`) and `ICMP_FILTER`'s set of ICMP types. Each is
//! decoded only at the length strace checks for, else printed as its address.

use crate::{
    decode::{
        Arg,
        bytes::{u16_at, u32_at, u64_at},
        enum_value,
        sockaddr::sockaddr,
        sockopt::{hex_bytes, ifindex},
    },
    tables::sockopt_gen::{ICMP_TYPES, PACKET_MR_TYPES},
};

/// `{mr_ifindex=if_nametoindex("lo"), mr_type=PACKET_MR_PROMISC, mr_alen=6,
/// mr_address=01:02:03:04:05:06}` at exactly its 16 bytes.
pub fn packet_mreq(d: &[u8], len: i64) -> Option<Arg> {
    if len != 16 {
        return None;
    }
    let alen = u16_at(d, 6)?;
    let address = d.get(8..8 + usize::from(alen).min(8))?;
    Some(Arg::Struct {
        fields: vec![
            ("mr_ifindex", ifindex(u32_at(d, 0)?)),
            (
                "mr_type",
                enum_value(PACKET_MR_TYPES, u64::from(u16_at(d, 4)?)),
            ),
            ("mr_alen", Arg::UInt(alen.into())),
            ("mr_address", mac(address)),
        ],
        more: false,
    })
}

/// A hardware address `01:02:03` (`-X raw`: its bytes in hex; `-X verbose`: both); none is
/// empty, and `""` in the raw and verbose styles.
pub(super) fn mac(b: &[u8]) -> Arg {
    let text: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    Arg::constant(hex_bytes(b), Arg::Raw(text.join(":")))
}

/// `{tp_block_size=4096, tp_block_nr=1, tp_frame_size=2048, tp_frame_nr=3}` at exactly its
/// 16 bytes (strace 6.1 leaves `struct tpacket_req3`'s 28 as an address).
pub fn tpacket_req(d: &[u8], len: i64) -> Option<Arg> {
    if len != 16 {
        return None;
    }
    let f = |at: usize| u32_at(d, at).map(|v| Arg::UInt(v.into()));
    Some(Arg::Struct {
        fields: vec![
            ("tp_block_size", f(0)?),
            ("tp_block_nr", f(4)?),
            ("tp_frame_size", f(8)?),
            ("tp_frame_nr", f(12)?),
        ],
        more: false,
    })
}

/// `{len=1, filter=0x7ffd...}` at exactly its 16 bytes (strace prints the instructions with
/// `-v`: not captured, the address here too).
pub fn sock_fprog(d: &[u8], len: i64) -> Option<Arg> {
    if len != 16 {
        return None;
    }
    Some(Arg::Struct {
        fields: vec![
            ("len", Arg::UInt(u16_at(d, 0)?.into())),
            ("filter", Arg::Ptr(u64_at(d, 8)?)),
        ],
        more: false,
    })
}

/// `{gr_interface=if_nametoindex("lo"), gr_group={sa_family=AF_INET, ...}}` at exactly its
/// 136 bytes (the address as much of its 128 as was captured).
pub fn group_req(d: &[u8], len: i64) -> Option<Arg> {
    if len != 136 || d.len() < 10 {
        return None;
    }
    Some(Arg::Struct {
        fields: vec![
            ("gr_interface", ifindex(u32_at(d, 0)?)),
            ("gr_group", sockaddr(&d[8..])),
        ],
        more: false,
    })
}

/// ICMP_FILTER's `struct icmp_filter`: the types it filters as a set, `~[ICMP_ECHOREPLY]`
/// when more than half are (as strace's bitset printer); bytes past a short length read as
/// set, as strace fills them. None for a length of 0 or less.
pub fn icmp_filter(d: &[u8], len: i64) -> Option<Arg> {
    if len <= 0 {
        return None;
    }
    let mut word = [0xffu8; 4];
    let n = usize::try_from(len).unwrap_or(4).min(4);
    word[..n].copy_from_slice(d.get(..n)?);
    let data = u32::from_le_bytes(word);
    let complement = data.count_ones() > 16;
    let shown = if complement { !data } else { data };
    let items = (0..32u64)
        .filter(|bit| shown & (1 << bit) != 0)
        .map(|bit| enum_value(ICMP_TYPES, bit))
        .collect();
    Some(Arg::Set { items, complement })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn icmp_filter_sets_print_as_strace_prints_them() {
        let text = |data: u32, len| shown(&icmp_filter(&data.to_le_bytes(), len).expect("set"));
        assert_eq!(text(!1, 4), "~[ICMP_ECHOREPLY]");
        assert_eq!(text(0, 4), "[]");
        assert_eq!(text(!0, 4), "~[]");
        assert_eq!(text(!(1 << 30), 4), "~[0x1e /* ICMP_??? */]");
        // Two bytes read: the rest count as set.
        assert!(text(0, 2).starts_with("[ICMP_INFO_REPLY ICMP_ADDRESS ICMP_ADDRESSREPLY 0x13"));
        assert!(icmp_filter(&[0; 4], 0).is_none());
    }

    #[test]
    fn packet_mreq_is_decoded_at_its_length_only() {
        let mut d = vec![0u8; 16];
        d[4] = 1;
        d[6] = 2;
        d[8..10].copy_from_slice(&[0xab, 0x01]);
        let text = shown(&packet_mreq(&d, 16).expect("mreq"));
        assert_eq!(
            text,
            "{mr_ifindex=0, mr_type=PACKET_MR_PROMISC, mr_alen=2, mr_address=ab:01}"
        );
        assert!(packet_mreq(&d, 15).is_none());
    }
}
