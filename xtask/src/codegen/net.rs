//! Socket-level tables from the kernel UAPI headers of Debian's `linux-libc-dev`: the option
//! names of the socket levels strace names (SOL_UDP, SOL_PACKET, SOL_NETLINK) and the values of
//! `sockaddr_ll`'s fields (ethernet protocols, ARP hardware types, packet types), and socket()'s
//! protocols of the CAN, phonet, NFC and KCM families.

use anyhow::Result;

use super::headers::{ValueTable, render_value_tables};

/// The tables the socket option decoder uses.
const NET_TABLES: &[ValueTable] = &[
    ValueTable {
        constant: "UDP_SOCKOPTS",
        prefix: "UDP_",
        header: "linux/udp.h",
        names: "UDP_[A-Z0-9_]+",
        bits: false,
        // The encapsulation types (UDP_ENCAP's values), not options.
        exclude: "^UDP_ENCAP_",
        probe: false,
    },
    ValueTable {
        constant: "PACKET_SOCKOPTS",
        prefix: "PACKET_",
        header: "linux/if_packet.h",
        names: "PACKET_[A-Z0-9_]+",
        bits: false,
        // Packet types (sll_pkttype), fanout modes and flags, membership types: values of
        // other fields.
        exclude: "^PACKET_(HOST|BROADCAST|MULTICAST|OTHERHOST|OUTGOING|LOOPBACK|USER|KERNEL|\
                  FASTROUTE|FANOUT_(HASH|LB|CPU|ROLLOVER|RND|QM|CBPF|EBPF|FLAG_.+)|MR_.+)$",
        probe: false,
    },
    ValueTable {
        constant: "NETLINK_SOCKOPTS",
        prefix: "NETLINK_",
        header: "linux/netlink.h",
        names: "NETLINK_[A-Z_]+",
        bits: false,
        // The protocols (socket()'s third argument) share the prefix; the options are the
        // defines after them.
        exclude: "^NETLINK_(ROUTE|UNUSED|USERSOCK|FIREWALL|SOCK_DIAG|NFLOG|XFRM|SELINUX|ISCSI|\
                  AUDIT|FIB_LOOKUP|CONNECTOR|NETFILTER|IP6_FW|DNRTMSG|KOBJECT_UEVENT|GENERIC|\
                  SCSITRANSPORT|ECRYPTFS|RDMA|CRYPTO|SMC|INET_DIAG|ADD_MEMBERSHIP_.+)$",
        probe: false,
    },
    ValueTable {
        constant: "ETHERNET_PROTOCOLS",
        prefix: "ETH_P_",
        header: "linux/if_ether.h",
        names: "ETH_P_[A-Z0-9_]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "ARP_HARDWARE_TYPES",
        prefix: "ARPHRD_",
        header: "linux/if_arp.h",
        names: "ARPHRD_[A-Z0-9_]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "PACKET_TYPES",
        prefix: "PACKET_",
        header: "linux/if_packet.h",
        // sll_pkttype's values; PACKET_FASTROUTE is an old second name of PACKET_USER.
        names: "PACKET_(HOST|BROADCAST|MULTICAST|OTHERHOST|OUTGOING|LOOPBACK|USER|KERNEL)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "VSOCK_CIDS",
        prefix: "VMADDR_CID_",
        header: "linux/vm_sockets.h",
        names: "VMADDR_CID_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "VSOCK_PORTS",
        prefix: "VMADDR_PORT_",
        header: "linux/vm_sockets.h",
        names: "VMADDR_PORT_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "VSOCK_FLAGS",
        prefix: "VMADDR_FLAG_",
        header: "linux/vm_sockets.h",
        names: "VMADDR_FLAG_[A-Z_]+",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    // The values strace 6.1's sockaddr.c names in AF_XDP, AF_QIPCRTR, AF_MCTP and AF_NFC
    // addresses.
    ValueTable {
        constant: "XDP_SOCKADDR_FLAGS",
        prefix: "XDP_",
        header: "linux/if_xdp.h",
        names: "XDP_(SHARED_UMEM|COPY|ZEROCOPY|USE_NEED_WAKEUP)",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "QRTR_NODES",
        prefix: "QRTR_NODE_",
        header: "linux/qrtr.h",
        names: "QRTR_NODE_BCAST",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "QRTR_PORTS",
        prefix: "QRTR_PORT_",
        header: "linux/qrtr.h",
        names: "QRTR_PORT_CTRL",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "MCTP_NETS",
        prefix: "MCTP_NET_",
        header: "linux/mctp.h",
        names: "MCTP_NET_ANY",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "MCTP_ADDRS",
        prefix: "MCTP_ADDR_",
        header: "linux/mctp.h",
        names: "MCTP_ADDR_(NULL|ANY)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "NFC_SOCKADDR_PROTOCOLS",
        prefix: "NFC_PROTO_",
        header: "linux/nfc.h",
        names: "NFC_PROTO_[A-Z0-9_]+",
        bits: false,
        exclude: "(_MASK|_MAX)$",
        probe: false,
    },
    // socket()'s protocols of the families whose header defines them (strace's net.c).
    ValueTable {
        constant: "CAN_PROTOCOLS",
        prefix: "CAN_",
        header: "linux/can.h",
        names: "CAN_(RAW|BCM|TP16|TP20|MCNET|ISOTP|J1939)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "PHONET_PROTOCOLS",
        prefix: "PN_PROTO_",
        header: "linux/phonet.h",
        names: "PN_PROTO_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "NFC_PROTOCOLS",
        prefix: "NFC_SOCKPROTO_",
        header: "linux/nfc.h",
        names: "NFC_SOCKPROTO_[A-Z]+",
        bits: false,
        exclude: "^NFC_SOCKPROTO_MAX$",
        probe: true,
    },
    ValueTable {
        constant: "KCM_PROTOCOLS",
        prefix: "KCMPROTO_",
        header: "linux/kcm.h",
        names: "KCMPROTO_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
];

/// The generated `net_gen.rs`.
pub fn tables() -> Result<String> {
    render_value_tables("Socket option names", NET_TABLES)
}
