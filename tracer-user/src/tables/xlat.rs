//! Flag and value tables (name, value) for x86_64, in the order strace prints them.
//! Transcribed from the kernel's uapi headers; the print order follows strace's xlat files.

use super::flags::Xlat;

/// Mmap/mprotect protections.
pub const MMAP_PROT: Xlat = Xlat::new(
    "PROT_",
    &[
        ("PROT_NONE", 0),
        ("PROT_READ", 1),
        ("PROT_WRITE", 2),
        ("PROT_EXEC", 4),
        ("PROT_SEM", 8),
        ("PROT_GROWSDOWN", 0x1000000),
        ("PROT_GROWSUP", 0x2000000),
    ],
);

/// Mmap map types (flags & MAP_TYPE).
pub const MMAP_TYPES: Xlat = Xlat::new(
    "MAP_",
    &[
        ("MAP_SHARED", 1),
        ("MAP_PRIVATE", 2),
        ("MAP_SHARED_VALIDATE", 3),
        ("MAP_DROPPABLE", 8),
    ],
);

/// Mmap flags other than the type, x86_64.
pub const MMAP_FLAGS: Xlat = Xlat::new(
    "MAP_",
    &[
        ("MAP_FIXED", 0x10),
        ("MAP_ANONYMOUS", 0x20),
        ("MAP_32BIT", 0x40),
        ("MAP_ABOVE4G", 0x80),
        ("MAP_NORESERVE", 0x4000),
        ("MAP_POPULATE", 0x8000),
        ("MAP_NONBLOCK", 0x10000),
        ("MAP_GROWSDOWN", 0x100),
        ("MAP_DENYWRITE", 0x800),
        ("MAP_EXECUTABLE", 0x1000),
        ("MAP_LOCKED", 0x2000),
        ("MAP_STACK", 0x20000),
        ("MAP_HUGETLB", 0x40000),
        ("MAP_SYNC", 0x80000),
        ("MAP_UNINITIALIZED", 0x4000000),
        ("MAP_FIXED_NOREPLACE", 0x100000),
    ],
);

/// Mremap flags.
pub const MREMAP_FLAGS: Xlat = Xlat::new(
    "MREMAP_",
    &[
        ("MREMAP_MAYMOVE", 1),
        ("MREMAP_FIXED", 2),
        ("MREMAP_DONTUNMAP", 4),
    ],
);

/// Madvise advice.
pub const MADVISE: Xlat = Xlat::new(
    "MADV_",
    &[
        ("MADV_NORMAL", 0),
        ("MADV_RANDOM", 1),
        ("MADV_SEQUENTIAL", 2),
        ("MADV_WILLNEED", 3),
        ("MADV_DONTNEED", 4),
        ("MADV_FREE", 8),
        ("MADV_REMOVE", 9),
        ("MADV_DONTFORK", 10),
        ("MADV_DOFORK", 11),
        ("MADV_MERGEABLE", 12),
        ("MADV_UNMERGEABLE", 13),
        ("MADV_HUGEPAGE", 14),
        ("MADV_NOHUGEPAGE", 15),
        ("MADV_DONTDUMP", 0x10),
        ("MADV_DODUMP", 0x11),
        ("MADV_WIPEONFORK", 0x12),
        ("MADV_KEEPONFORK", 0x13),
        ("MADV_COLD", 0x14),
        ("MADV_PAGEOUT", 0x15),
        ("MADV_POPULATE_READ", 0x16),
        ("MADV_POPULATE_WRITE", 0x17),
        ("MADV_DONTNEED_LOCKED", 0x18),
        ("MADV_COLLAPSE", 0x19),
        ("MADV_HWPOISON", 0x64),
        ("MADV_SOFT_OFFLINE", 0x65),
        ("MADV_GUARD_INSTALL", 0x66),
        ("MADV_GUARD_REMOVE", 0x67),
    ],
);

/// Access(2) modes (F_OK is 0).
pub const ACCESS_MODES: Xlat = Xlat::new("", &[("R_OK", 4), ("W_OK", 2), ("X_OK", 1)]);

/// AT_* flags.
pub const AT_FLAGS: Xlat = Xlat::new(
    "AT_",
    &[
        ("AT_SYMLINK_NOFOLLOW", 0x100),
        ("AT_REMOVEDIR", 0x200),
        ("AT_SYMLINK_FOLLOW", 0x400),
        ("AT_NO_AUTOMOUNT", 0x800),
        ("AT_EMPTY_PATH", 0x1000),
        ("AT_RECURSIVE", 0x8000),
    ],
);

/// Faccessat2 flags.
pub const FACCESSAT_FLAGS: Xlat = Xlat::new(
    "AT_",
    &[
        ("AT_SYMLINK_NOFOLLOW", 0x100),
        ("AT_EACCESS", 0x200),
        ("AT_EMPTY_PATH", 0x1000),
    ],
);

/// Statx sync type (flags & AT_STATX_SYNC_TYPE).
pub const STATX_SYNC: Xlat = Xlat::new(
    "AT_STATX_",
    &[
        ("AT_STATX_SYNC_AS_STAT", 0),
        ("AT_STATX_FORCE_SYNC", 0x2000),
        ("AT_STATX_DONT_SYNC", 0x4000),
    ],
);

/// Statx AT_* flags besides the sync type.
pub const STATX_FLAGS: Xlat = Xlat::new(
    "AT_",
    &[
        ("AT_SYMLINK_NOFOLLOW", 0x100),
        ("AT_REMOVEDIR", 0x200),
        ("AT_SYMLINK_FOLLOW", 0x400),
        ("AT_NO_AUTOMOUNT", 0x800),
        ("AT_EMPTY_PATH", 0x1000),
        ("AT_RECURSIVE", 0x8000),
    ],
);

/// Statx masks.
pub const STATX_MASKS: Xlat = Xlat::new(
    "STATX_",
    &[
        ("STATX_ALL", 0xfff),
        ("STATX_BASIC_STATS", 0x7ff),
        ("STATX_TYPE", 1),
        ("STATX_MODE", 2),
        ("STATX_NLINK", 4),
        ("STATX_UID", 8),
        ("STATX_GID", 0x10),
        ("STATX_ATIME", 0x20),
        ("STATX_MTIME", 0x40),
        ("STATX_CTIME", 0x80),
        ("STATX_INO", 0x100),
        ("STATX_SIZE", 0x200),
        ("STATX_BLOCKS", 0x400),
        ("STATX_BTIME", 0x800),
        ("STATX_MNT_ID", 0x1000),
        ("STATX_DIOALIGN", 0x2000),
        ("STATX_MNT_ID_UNIQUE", 0x4000),
        ("STATX_SUBVOL", 0x8000),
        ("STATX_WRITE_ATOMIC", 0x10000),
        ("STATX_DIO_READ_ALIGN", 0x20000),
    ],
);

/// Statx attributes.
pub const STATX_ATTRS: Xlat = Xlat::new(
    "STATX_ATTR_",
    &[
        ("STATX_ATTR_COMPRESSED", 4),
        ("STATX_ATTR_IMMUTABLE", 0x10),
        ("STATX_ATTR_APPEND", 0x20),
        ("STATX_ATTR_NODUMP", 0x40),
        ("STATX_ATTR_ENCRYPTED", 0x800),
        ("STATX_ATTR_AUTOMOUNT", 0x1000),
        ("STATX_ATTR_MOUNT_ROOT", 0x2000),
        ("STATX_ATTR_VERITY", 0x100000),
        ("STATX_ATTR_DAX", 0x200000),
        ("STATX_ATTR_WRITE_ATOMIC", 0x400000),
    ],
);

/// S_IF* file types (mode & S_IFMT).
pub const FILE_TYPES: Xlat = Xlat::new(
    "S_",
    &[
        ("S_IFSOCK", 0xc000),
        ("S_IFLNK", 0xa000),
        ("S_IFREG", 0x8000),
        ("S_IFBLK", 0x6000),
        ("S_IFDIR", 0x4000),
        ("S_IFCHR", 0x2000),
        ("S_IFIFO", 0x1000),
    ],
);

/// Lseek whence.
pub const WHENCE: Xlat = Xlat::new(
    "SEEK_",
    &[
        ("SEEK_SET", 0),
        ("SEEK_CUR", 1),
        ("SEEK_END", 2),
        ("SEEK_DATA", 3),
        ("SEEK_HOLE", 4),
    ],
);

/// Fcntl commands.
pub const FCNTL_CMDS: Xlat = Xlat::new(
    "F_",
    &[
        ("F_DUPFD", 0),
        ("F_GETFD", 1),
        ("F_SETFD", 2),
        ("F_GETFL", 3),
        ("F_SETFL", 4),
        ("F_GETLK", 5),
        ("F_SETLK", 6),
        ("F_SETLKW", 7),
        ("F_SETOWN", 8),
        ("F_GETOWN", 9),
        ("F_SETSIG", 10),
        ("F_GETSIG", 11),
        ("F_SETOWN_EX", 15),
        ("F_GETOWN_EX", 0x10),
        ("F_GETOWNER_UIDS", 0x11),
        ("F_OFD_GETLK", 0x24),
        ("F_OFD_SETLK", 0x25),
        ("F_OFD_SETLKW", 0x26),
        ("F_SETLEASE", 0x400),
        ("F_GETLEASE", 0x401),
        ("F_NOTIFY", 0x402),
        ("F_DUPFD_QUERY", 0x403),
        ("F_CREATED_QUERY", 0x404),
        ("F_CANCELLK", 0x405),
        ("F_DUPFD_CLOEXEC", 0x406),
        ("F_SETPIPE_SZ", 0x407),
        ("F_GETPIPE_SZ", 0x408),
        ("F_ADD_SEALS", 0x409),
        ("F_GET_SEALS", 0x40a),
    ],
);

/// Fd flags.
pub const FD_FLAGS: Xlat = Xlat::new("FD_", &[("FD_CLOEXEC", 1)]);

/// Struct flock l_type.
pub const LOCK_TYPES: Xlat = Xlat::new("F_", &[("F_RDLCK", 0), ("F_WRLCK", 1), ("F_UNLCK", 2)]);

/// Memfd seals.
pub const SEALS: Xlat = Xlat::new(
    "F_SEAL_",
    &[
        ("F_SEAL_SEAL", 1),
        ("F_SEAL_SHRINK", 2),
        ("F_SEAL_GROW", 4),
        ("F_SEAL_WRITE", 8),
        ("F_SEAL_FUTURE_WRITE", 0x10),
        ("F_SEAL_EXEC", 0x20),
    ],
);

/// Flock operations.
pub const FLOCK_OPS: Xlat = Xlat::new(
    "LOCK_",
    &[
        ("LOCK_SH", 1),
        ("LOCK_EX", 2),
        ("LOCK_NB", 4),
        ("LOCK_UN", 8),
        ("LOCK_MAND", 0x20),
        ("LOCK_READ", 0x40),
        ("LOCK_WRITE", 0x80),
    ],
);

/// Address families.
pub const ADDR_FAMILIES: Xlat = Xlat::new(
    "AF_",
    &[
        ("AF_UNSPEC", 0),
        ("AF_UNIX", 1),
        ("AF_INET", 2),
        ("AF_AX25", 3),
        ("AF_IPX", 4),
        ("AF_APPLETALK", 5),
        ("AF_NETROM", 6),
        ("AF_BRIDGE", 7),
        ("AF_ATMPVC", 8),
        ("AF_X25", 9),
        ("AF_INET6", 10),
        ("AF_ROSE", 11),
        ("AF_DECnet", 12),
        ("AF_NETBEUI", 13),
        ("AF_SECURITY", 14),
        ("AF_KEY", 15),
        ("AF_NETLINK", 0x10),
        ("AF_PACKET", 0x11),
        ("AF_ASH", 0x12),
        ("AF_ECONET", 0x13),
        ("AF_ATMSVC", 0x14),
        ("AF_RDS", 0x15),
        ("AF_SNA", 0x16),
        ("AF_IRDA", 0x17),
        ("AF_PPPOX", 0x18),
        ("AF_WANPIPE", 0x19),
        ("AF_LLC", 0x1a),
        ("AF_IB", 0x1b),
        ("AF_MPLS", 0x1c),
        ("AF_CAN", 0x1d),
        ("AF_TIPC", 0x1e),
        ("AF_BLUETOOTH", 0x1f),
        ("AF_IUCV", 0x20),
        ("AF_RXRPC", 0x21),
        ("AF_ISDN", 0x22),
        ("AF_PHONET", 0x23),
        ("AF_IEEE802154", 0x24),
        ("AF_CAIF", 0x25),
        ("AF_ALG", 0x26),
        ("AF_NFC", 0x27),
        ("AF_VSOCK", 0x28),
        ("AF_KCM", 0x29),
        ("AF_QIPCRTR", 0x2a),
        ("AF_SMC", 0x2b),
        ("AF_XDP", 0x2c),
        ("AF_MCTP", 0x2d),
    ],
);

/// Socket types (type & 0xf).
pub const SOCK_TYPES: Xlat = Xlat::new(
    "SOCK_",
    &[
        ("SOCK_STREAM", 1),
        ("SOCK_DGRAM", 2),
        ("SOCK_RAW", 3),
        ("SOCK_RDM", 4),
        ("SOCK_SEQPACKET", 5),
        ("SOCK_DCCP", 6),
        ("SOCK_PACKET", 10),
    ],
);

/// Socket type flags.
pub const SOCK_TYPE_FLAGS: Xlat = Xlat::new(
    "SOCK_",
    &[("SOCK_CLOEXEC", 0x80000), ("SOCK_NONBLOCK", 0x800)],
);

/// IP protocols.
pub const INET_PROTOCOLS: Xlat = Xlat::new(
    "IPPROTO_",
    &[
        ("IPPROTO_IP", 0),
        ("IPPROTO_ICMP", 1),
        ("IPPROTO_IGMP", 2),
        ("IPPROTO_IPIP", 4),
        ("IPPROTO_TCP", 6),
        ("IPPROTO_EGP", 8),
        ("IPPROTO_PUP", 12),
        ("IPPROTO_UDP", 0x11),
        ("IPPROTO_IDP", 0x16),
        ("IPPROTO_TP", 0x1d),
        ("IPPROTO_DCCP", 0x21),
        ("IPPROTO_IPV6", 0x29),
        ("IPPROTO_RSVP", 0x2e),
        ("IPPROTO_GRE", 0x2f),
        ("IPPROTO_ESP", 0x32),
        ("IPPROTO_AH", 0x33),
        ("IPPROTO_ICMPV6", 0x3a),
        ("IPPROTO_MTP", 0x5c),
        ("IPPROTO_BEETPH", 0x5e),
        ("IPPROTO_ENCAP", 0x62),
        ("IPPROTO_PIM", 0x67),
        ("IPPROTO_COMP", 0x6c),
        ("IPPROTO_L2TP", 0x73),
        ("IPPROTO_SCTP", 0x84),
        ("IPPROTO_UDPLITE", 0x88),
        ("IPPROTO_MPLS", 0x89),
        ("IPPROTO_ETHERNET", 0x8f),
        ("IPPROTO_RAW", 0xff),
        ("IPPROTO_MPTCP", 0x106),
    ],
);

/// Netlink protocols.
pub const NETLINK_PROTOCOLS: Xlat = Xlat::new(
    "NETLINK_",
    &[
        ("NETLINK_ROUTE", 0),
        ("NETLINK_UNUSED", 1),
        ("NETLINK_USERSOCK", 2),
        ("NETLINK_FIREWALL", 3),
        ("NETLINK_SOCK_DIAG", 4),
        ("NETLINK_NFLOG", 5),
        ("NETLINK_XFRM", 6),
        ("NETLINK_SELINUX", 7),
        ("NETLINK_ISCSI", 8),
        ("NETLINK_AUDIT", 9),
        ("NETLINK_FIB_LOOKUP", 10),
        ("NETLINK_CONNECTOR", 11),
        ("NETLINK_NETFILTER", 12),
        ("NETLINK_IP6_FW", 13),
        ("NETLINK_DNRTMSG", 14),
        ("NETLINK_KOBJECT_UEVENT", 15),
        ("NETLINK_GENERIC", 0x10),
        ("NETLINK_SCSITRANSPORT", 0x12),
        ("NETLINK_ECRYPTFS", 0x13),
        ("NETLINK_RDMA", 0x14),
        ("NETLINK_CRYPTO", 0x15),
        ("NETLINK_SMC", 0x16),
    ],
);

/// Setsockopt levels.
pub const SOCKOPT_LEVELS: Xlat = Xlat::new(
    "SOL_",
    &[
        ("SOL_IP", 0),
        ("SOL_SOCKET", 1),
        ("SOL_TCP", 6),
        ("SOL_UDP", 0x11),
        ("SOL_IPV6", 0x29),
        ("SOL_ICMPV6", 0x3a),
        ("SOL_SCTP", 0x84),
        ("SOL_UDPLITE", 0x88),
        ("SOL_RAW", 0xff),
        ("SOL_IPX", 0x100),
        ("SOL_AX25", 0x101),
        ("SOL_ATALK", 0x102),
        ("SOL_NETROM", 0x103),
        ("SOL_ROSE", 0x104),
        ("SOL_DECNET", 0x105),
        ("SOL_X25", 0x106),
        ("SOL_PACKET", 0x107),
        ("SOL_ATM", 0x108),
        ("SOL_AAL", 0x109),
        ("SOL_IRDA", 0x10a),
        ("SOL_NETBEUI", 0x10b),
        ("SOL_LLC", 0x10c),
        ("SOL_DCCP", 0x10d),
        ("SOL_NETLINK", 0x10e),
        ("SOL_TIPC", 0x10f),
        ("SOL_RXRPC", 0x110),
        ("SOL_PPPOL2TP", 0x111),
        ("SOL_BLUETOOTH", 0x112),
        ("SOL_PNPIPE", 0x113),
        ("SOL_RDS", 0x114),
        ("SOL_IUCV", 0x115),
        ("SOL_CAIF", 0x116),
        ("SOL_ALG", 0x117),
        ("SOL_NFC", 0x118),
        ("SOL_KCM", 0x119),
        ("SOL_TLS", 0x11a),
        ("SOL_XDP", 0x11b),
        ("SOL_MPTCP", 0x11c),
        ("SOL_MCTP", 0x11d),
        ("SOL_SMC", 0x11e),
        ("SOL_VSOCK", 0x11f),
    ],
);

/// SOL_SOCKET options, x86_64.
pub const SO_OPTIONS: Xlat = Xlat::new(
    "SO_",
    &[
        ("SO_DEBUG", 1),
        ("SO_REUSEADDR", 2),
        ("SO_TYPE", 3),
        ("SO_ERROR", 4),
        ("SO_DONTROUTE", 5),
        ("SO_BROADCAST", 6),
        ("SO_SNDBUF", 7),
        ("SO_RCVBUF", 8),
        ("SO_KEEPALIVE", 9),
        ("SO_OOBINLINE", 10),
        ("SO_NO_CHECK", 11),
        ("SO_PRIORITY", 12),
        ("SO_LINGER", 13),
        ("SO_BSDCOMPAT", 14),
        ("SO_REUSEPORT", 15),
        ("SO_PASSCRED", 0x10),
        ("SO_PEERCRED", 0x11),
        ("SO_RCVLOWAT", 0x12),
        ("SO_SNDLOWAT", 0x13),
        ("SO_RCVTIMEO_OLD", 0x14),
        ("SO_SNDTIMEO_OLD", 0x15),
        ("SO_SECURITY_AUTHENTICATION", 0x16),
        ("SO_SECURITY_ENCRYPTION_TRANSPORT", 0x17),
        ("SO_SECURITY_ENCRYPTION_NETWORK", 0x18),
        ("SO_BINDTODEVICE", 0x19),
        ("SO_ATTACH_FILTER", 0x1a),
        ("SO_DETACH_FILTER", 0x1b),
        ("SO_PEERNAME", 0x1c),
        ("SO_TIMESTAMP_OLD", 0x1d),
        ("SO_ACCEPTCONN", 0x1e),
        ("SO_PEERSEC", 0x1f),
        ("SO_SNDBUFFORCE", 0x20),
        ("SO_RCVBUFFORCE", 0x21),
        ("SO_PASSSEC", 0x22),
        ("SO_TIMESTAMPNS_OLD", 0x23),
        ("SO_MARK", 0x24),
        ("SO_TIMESTAMPING_OLD", 0x25),
        ("SO_PROTOCOL", 0x26),
        ("SO_DOMAIN", 0x27),
        ("SO_RXQ_OVFL", 0x28),
        ("SO_WIFI_STATUS", 0x29),
        ("SO_PEEK_OFF", 0x2a),
        ("SO_NOFCS", 0x2b),
        ("SO_LOCK_FILTER", 0x2c),
        ("SO_SELECT_ERR_QUEUE", 0x2d),
        ("SO_BUSY_POLL", 0x2e),
        ("SO_MAX_PACING_RATE", 0x2f),
        ("SO_BPF_EXTENSIONS", 0x30),
        ("SO_INCOMING_CPU", 0x31),
        ("SO_ATTACH_BPF", 0x32),
        ("SO_ATTACH_REUSEPORT_CBPF", 0x33),
        ("SO_ATTACH_REUSEPORT_EBPF", 0x34),
        ("SO_CNX_ADVICE", 0x35),
        ("SO_MEMINFO", 0x37),
        ("SO_INCOMING_NAPI_ID", 0x38),
        ("SO_COOKIE", 0x39),
        ("SO_PEERGROUPS", 0x3b),
        ("SO_ZEROCOPY", 0x3c),
        ("SO_TXTIME", 0x3d),
        ("SO_BINDTOIFINDEX", 0x3e),
        ("SO_TIMESTAMP_NEW", 0x3f),
        ("SO_TIMESTAMPNS_NEW", 0x40),
        ("SO_TIMESTAMPING_NEW", 0x41),
        ("SO_RCVTIMEO_NEW", 0x42),
        ("SO_SNDTIMEO_NEW", 0x43),
        ("SO_DETACH_REUSEPORT_BPF", 0x44),
        ("SO_PREFER_BUSY_POLL", 0x45),
        ("SO_BUSY_POLL_BUDGET", 0x46),
        ("SO_NETNS_COOKIE", 0x47),
        ("SO_BUF_LOCK", 0x48),
        ("SO_RESERVE_MEM", 0x49),
        ("SO_RCVMARK", 0x4b),
    ],
);

/// SOL_TCP options.
pub const TCP_OPTIONS: Xlat = Xlat::new(
    "TCP_",
    &[
        ("TCP_NODELAY", 1),
        ("TCP_MAXSEG", 2),
        ("TCP_CORK", 3),
        ("TCP_KEEPIDLE", 4),
        ("TCP_KEEPINTVL", 5),
        ("TCP_KEEPCNT", 6),
        ("TCP_SYNCNT", 7),
        ("TCP_LINGER2", 8),
        ("TCP_DEFER_ACCEPT", 9),
        ("TCP_WINDOW_CLAMP", 10),
        ("TCP_INFO", 11),
        ("TCP_QUICKACK", 12),
        ("TCP_CONGESTION", 13),
        ("TCP_MD5SIG", 14),
        ("TCP_THIN_LINEAR_TIMEOUTS", 0x10),
        ("TCP_THIN_DUPACK", 0x11),
        ("TCP_USER_TIMEOUT", 0x12),
        ("TCP_REPAIR", 0x13),
        ("TCP_REPAIR_QUEUE", 0x14),
        ("TCP_QUEUE_SEQ", 0x15),
        ("TCP_REPAIR_OPTIONS", 0x16),
        ("TCP_FASTOPEN", 0x17),
        ("TCP_TIMESTAMP", 0x18),
        ("TCP_NOTSENT_LOWAT", 0x19),
        ("TCP_CC_INFO", 0x1a),
        ("TCP_SAVE_SYN", 0x1b),
        ("TCP_SAVED_SYN", 0x1c),
        ("TCP_REPAIR_WINDOW", 0x1d),
        ("TCP_FASTOPEN_CONNECT", 0x1e),
        ("TCP_ULP", 0x1f),
        ("TCP_MD5SIG_EXT", 0x20),
        ("TCP_FASTOPEN_KEY", 0x21),
        ("TCP_FASTOPEN_NO_COOKIE", 0x22),
        ("TCP_ZEROCOPY_RECEIVE", 0x23),
        ("TCP_INQ", 0x24),
        ("TCP_TX_DELAY", 0x25),
    ],
);

/// SOL_IP options.
pub const IP_OPTIONS: Xlat = Xlat::new(
    "IP_",
    &[
        ("IP_TOS", 1),
        ("IP_TTL", 2),
        ("IP_HDRINCL", 3),
        ("IP_OPTIONS", 4),
        ("IP_ROUTER_ALERT", 5),
        ("IP_RECVOPTS", 6),
        ("IP_RETOPTS", 7),
        ("IP_PKTINFO", 8),
        ("IP_PKTOPTIONS", 9),
        ("IP_MTU_DISCOVER", 10),
        ("IP_RECVERR", 11),
        ("IP_RECVTTL", 12),
        ("IP_RECVTOS", 13),
        ("IP_MTU", 14),
        ("IP_FREEBIND", 15),
        ("IP_IPSEC_POLICY", 0x10),
        ("IP_XFRM_POLICY", 0x11),
        ("IP_PASSSEC", 0x12),
        ("IP_TRANSPARENT", 0x13),
        ("IP_ORIGDSTADDR", 0x14),
        ("IP_MINTTL", 0x15),
        ("IP_NODEFRAG", 0x16),
        ("IP_CHECKSUM", 0x17),
        ("IP_BIND_ADDRESS_NO_PORT", 0x18),
        ("IP_RECVFRAGSIZE", 0x19),
        ("IP_RECVERR_RFC4884", 0x1a),
        ("IP_MULTICAST_IF", 0x20),
        ("IP_MULTICAST_TTL", 0x21),
        ("IP_MULTICAST_LOOP", 0x22),
        ("IP_ADD_MEMBERSHIP", 0x23),
        ("IP_DROP_MEMBERSHIP", 0x24),
    ],
);

/// SOL_IPV6 options.
pub const IPV6_OPTIONS: Xlat = Xlat::new(
    "IPV6_",
    &[
        ("IPV6_ADDRFORM", 1),
        ("IPV6_2292PKTINFO", 2),
        ("IPV6_2292HOPOPTS", 3),
        ("IPV6_2292DSTOPTS", 4),
        ("IPV6_2292RTHDR", 5),
        ("IPV6_2292PKTOPTIONS", 6),
        ("IPV6_CHECKSUM", 7),
        ("IPV6_2292HOPLIMIT", 8),
        ("IPV6_NEXTHOP", 9),
        ("IPV6_AUTHHDR", 10),
        ("IPV6_FLOWINFO", 11),
        ("IPV6_UNICAST_HOPS", 0x10),
        ("IPV6_MULTICAST_IF", 0x11),
        ("IPV6_MULTICAST_HOPS", 0x12),
        ("IPV6_MULTICAST_LOOP", 0x13),
        ("IPV6_ADD_MEMBERSHIP", 0x14),
        ("IPV6_DROP_MEMBERSHIP", 0x15),
        ("IPV6_ROUTER_ALERT", 0x16),
        ("IPV6_MTU_DISCOVER", 0x17),
        ("IPV6_MTU", 0x18),
        ("IPV6_RECVERR", 0x19),
        ("IPV6_V6ONLY", 0x1a),
        ("IPV6_JOIN_ANYCAST", 0x1b),
        ("IPV6_LEAVE_ANYCAST", 0x1c),
        ("IPV6_RECVPKTINFO", 0x31),
        ("IPV6_PKTINFO", 0x32),
        ("IPV6_RECVHOPLIMIT", 0x33),
        ("IPV6_HOPLIMIT", 0x34),
        ("IPV6_TCLASS", 0x43),
        ("IPV6_RECVTCLASS", 0x42),
    ],
);

/// Send/recv flags.
pub const MSG_FLAGS: Xlat = Xlat::new(
    "MSG_",
    &[
        ("MSG_OOB", 1),
        ("MSG_PEEK", 2),
        ("MSG_DONTROUTE", 4),
        ("MSG_CTRUNC", 8),
        ("MSG_PROBE", 0x10),
        ("MSG_TRUNC", 0x20),
        ("MSG_DONTWAIT", 0x40),
        ("MSG_EOR", 0x80),
        ("MSG_WAITALL", 0x100),
        ("MSG_FIN", 0x200),
        ("MSG_SYN", 0x400),
        ("MSG_CONFIRM", 0x800),
        ("MSG_RST", 0x1000),
        ("MSG_ERRQUEUE", 0x2000),
        ("MSG_NOSIGNAL", 0x4000),
        ("MSG_MORE", 0x8000),
        ("MSG_WAITFORONE", 0x10000),
        ("MSG_SENDPAGE_NOTLAST", 0x20000),
        ("MSG_BATCH", 0x40000),
        ("MSG_NO_SHARED_FRAGS", 0x80000),
        ("MSG_SOCK_DEVMEM", 0x2000000),
        ("MSG_ZEROCOPY", 0x4000000),
        ("MSG_FASTOPEN", 0x20000000),
        ("MSG_CMSG_CLOEXEC", 0x40000000),
        ("MSG_CMSG_COMPAT", 0x80000000),
    ],
);

/// Shutdown how.
pub const SHUTDOWN_MODES: Xlat =
    Xlat::new("SHUT_", &[("SHUT_RD", 0), ("SHUT_WR", 1), ("SHUT_RDWR", 2)]);

/// Poll events.
pub const POLL_EVENTS: Xlat = Xlat::new(
    "POLL",
    &[
        ("POLLIN", 1),
        ("POLLPRI", 2),
        ("POLLOUT", 4),
        ("POLLERR", 8),
        ("POLLHUP", 0x10),
        ("POLLNVAL", 0x20),
        ("POLLRDNORM", 0x40),
        ("POLLRDBAND", 0x80),
        ("POLLWRNORM", 0x100),
        ("POLLWRBAND", 0x200),
        ("POLLMSG", 0x400),
        ("POLLREMOVE", 0x1000),
        ("POLLRDHUP", 0x2000),
        ("POLL_BUSY_LOOP", 0x8000),
    ],
);

/// Epoll events.
pub const EPOLL_EVENTS: Xlat = Xlat::new(
    "EPOLL",
    &[
        ("EPOLLIN", 1),
        ("EPOLLPRI", 2),
        ("EPOLLOUT", 4),
        ("EPOLLERR", 8),
        ("EPOLLHUP", 0x10),
        ("EPOLLNVAL", 0x20),
        ("EPOLLRDNORM", 0x40),
        ("EPOLLRDBAND", 0x80),
        ("EPOLLWRNORM", 0x100),
        ("EPOLLWRBAND", 0x200),
        ("EPOLLMSG", 0x400),
        ("EPOLLRDHUP", 0x2000),
        ("EPOLLEXCLUSIVE", 0x10000000),
        ("EPOLLWAKEUP", 0x20000000),
        ("EPOLLONESHOT", 0x40000000),
        ("EPOLLET", 0x80000000),
    ],
);

/// Epoll_ctl operations.
pub const EPOLL_CTL_OPS: Xlat = Xlat::new(
    "EPOLL_CTL_",
    &[
        ("EPOLL_CTL_ADD", 1),
        ("EPOLL_CTL_DEL", 2),
        ("EPOLL_CTL_MOD", 3),
    ],
);

/// Epoll_create1 flags.
pub const EPOLL_CREATE_FLAGS: Xlat = Xlat::new("EPOLL_", &[("EPOLL_CLOEXEC", 0x80000)]);

/// Clone flags (the low byte is the exit signal).
pub const CLONE_FLAGS: Xlat = Xlat::new(
    "CLONE_",
    &[
        ("CLONE_VM", 0x100),
        ("CLONE_FS", 0x200),
        ("CLONE_FILES", 0x400),
        ("CLONE_SIGHAND", 0x800),
        ("CLONE_PIDFD", 0x1000),
        ("CLONE_PTRACE", 0x2000),
        ("CLONE_VFORK", 0x4000),
        ("CLONE_PARENT", 0x8000),
        ("CLONE_THREAD", 0x10000),
        ("CLONE_NEWNS", 0x20000),
        ("CLONE_SYSVSEM", 0x40000),
        ("CLONE_SETTLS", 0x80000),
        ("CLONE_PARENT_SETTID", 0x100000),
        ("CLONE_CHILD_CLEARTID", 0x200000),
        ("CLONE_UNTRACED", 0x800000),
        ("CLONE_CHILD_SETTID", 0x1000000),
        ("CLONE_NEWCGROUP", 0x2000000),
        ("CLONE_NEWUTS", 0x4000000),
        ("CLONE_NEWIPC", 0x8000000),
        ("CLONE_NEWUSER", 0x10000000),
        ("CLONE_NEWPID", 0x20000000),
        ("CLONE_NEWNET", 0x40000000),
        ("CLONE_IO", 0x80000000),
    ],
);

/// Wait4/waitid options.
pub const WAIT_OPTIONS: Xlat = Xlat::new(
    "",
    &[
        ("WNOHANG", 1),
        ("WEXITED", 4),
        ("WSTOPPED", 2),
        ("WCONTINUED", 8),
        ("WNOWAIT", 0x1000000),
        ("__WCLONE", 0x80000000),
        ("__WALL", 0x40000000),
        ("__WNOTHREAD", 0x20000000),
    ],
);

/// Waitid idtype.
pub const IDTYPES: Xlat = Xlat::new(
    "P_",
    &[("P_ALL", 0), ("P_PID", 1), ("P_PGID", 2), ("P_PIDFD", 3)],
);

/// Sigaction flags.
pub const SA_FLAGS: Xlat = Xlat::new(
    "SA_",
    &[
        ("SA_RESTORER", 0x4000000),
        ("SA_ONSTACK", 0x8000000),
        ("SA_RESTART", 0x10000000),
        ("SA_INTERRUPT", 0x20000000),
        ("SA_NODEFER", 0x40000000),
        ("SA_RESETHAND", 0x80000000),
        ("SA_SIGINFO", 4),
        ("SA_NOCLDSTOP", 1),
        ("SA_NOCLDWAIT", 2),
    ],
);

/// Rt_sigprocmask how.
pub const SIGPROCMASK_HOW: Xlat = Xlat::new(
    "SIG_",
    &[("SIG_BLOCK", 0), ("SIG_UNBLOCK", 1), ("SIG_SETMASK", 2)],
);

/// Futex commands (op & 127).
pub const FUTEX_OPS: Xlat = Xlat::new(
    "FUTEX_",
    &[
        ("FUTEX_WAIT", 0),
        ("FUTEX_WAKE", 1),
        ("FUTEX_FD", 2),
        ("FUTEX_REQUEUE", 3),
        ("FUTEX_CMP_REQUEUE", 4),
        ("FUTEX_WAKE_OP", 5),
        ("FUTEX_LOCK_PI", 6),
        ("FUTEX_UNLOCK_PI", 7),
        ("FUTEX_TRYLOCK_PI", 8),
        ("FUTEX_WAIT_BITSET", 9),
        ("FUTEX_WAKE_BITSET", 10),
        ("FUTEX_WAIT_REQUEUE_PI", 11),
        ("FUTEX_CMP_REQUEUE_PI", 12),
        ("FUTEX_LOCK_PI2", 13),
    ],
);

/// Rlimit resources.
pub const RLIMIT_RESOURCES: Xlat = Xlat::new(
    "RLIMIT_",
    &[
        ("RLIMIT_CPU", 0),
        ("RLIMIT_FSIZE", 1),
        ("RLIMIT_DATA", 2),
        ("RLIMIT_STACK", 3),
        ("RLIMIT_CORE", 4),
        ("RLIMIT_RSS", 5),
        ("RLIMIT_NPROC", 6),
        ("RLIMIT_NOFILE", 7),
        ("RLIMIT_MEMLOCK", 8),
        ("RLIMIT_AS", 9),
        ("RLIMIT_LOCKS", 10),
        ("RLIMIT_SIGPENDING", 11),
        ("RLIMIT_MSGQUEUE", 12),
        ("RLIMIT_NICE", 13),
        ("RLIMIT_RTPRIO", 14),
        ("RLIMIT_RTTIME", 15),
    ],
);

/// Getrandom flags.
pub const GRND_FLAGS: Xlat = Xlat::new(
    "GRND_",
    &[
        ("GRND_NONBLOCK", 1),
        ("GRND_RANDOM", 2),
        ("GRND_INSECURE", 4),
    ],
);

/// Arch_prctl codes.
pub const ARCH_PRCTL_CODES: Xlat = Xlat::new(
    "ARCH_",
    &[
        ("ARCH_SET_GS", 0x1001),
        ("ARCH_SET_FS", 0x1002),
        ("ARCH_GET_FS", 0x1003),
        ("ARCH_GET_GS", 0x1004),
        ("ARCH_GET_CPUID", 0x1011),
        ("ARCH_SET_CPUID", 0x1012),
        ("ARCH_GET_XCOMP_SUPP", 0x1021),
        ("ARCH_GET_XCOMP_PERM", 0x1022),
        ("ARCH_REQ_XCOMP_PERM", 0x1023),
        ("ARCH_GET_XCOMP_GUEST_PERM", 0x1024),
        ("ARCH_REQ_XCOMP_GUEST_PERM", 0x1025),
        ("ARCH_XCOMP_TILECFG", 0x11),
        ("ARCH_XCOMP_TILEDATA", 0x12),
        ("ARCH_MAP_VDSO_X32", 0x2001),
        ("ARCH_MAP_VDSO_32", 0x2002),
        ("ARCH_MAP_VDSO_64", 0x2003),
        ("ARCH_GET_UNTAG_MASK", 0x4001),
        ("ARCH_ENABLE_TAGGED_ADDR", 0x4002),
        ("ARCH_GET_MAX_TAG_BITS", 0x4003),
        ("ARCH_FORCE_TAGGED_SVA", 0x4004),
        ("ARCH_SHSTK_ENABLE", 0x5001),
        ("ARCH_SHSTK_DISABLE", 0x5002),
        ("ARCH_SHSTK_LOCK", 0x5003),
        ("ARCH_SHSTK_UNLOCK", 0x5004),
        ("ARCH_SHSTK_STATUS", 0x5005),
    ],
);

/// Prctl options.
pub const PRCTL_OPTIONS: Xlat = Xlat::new(
    "PR_",
    &[
        ("PR_SET_PDEATHSIG", 1),
        ("PR_GET_PDEATHSIG", 2),
        ("PR_GET_DUMPABLE", 3),
        ("PR_SET_DUMPABLE", 4),
        ("PR_GET_UNALIGN", 5),
        ("PR_SET_UNALIGN", 6),
        ("PR_GET_KEEPCAPS", 7),
        ("PR_SET_KEEPCAPS", 8),
        ("PR_GET_FPEMU", 9),
        ("PR_SET_FPEMU", 10),
        ("PR_GET_FPEXC", 11),
        ("PR_SET_FPEXC", 12),
        ("PR_GET_TIMING", 13),
        ("PR_SET_TIMING", 14),
        ("PR_SET_NAME", 15),
        ("PR_GET_NAME", 0x10),
        ("PR_GET_ENDIAN", 0x13),
        ("PR_SET_ENDIAN", 0x14),
        ("PR_GET_SECCOMP", 0x15),
        ("PR_SET_SECCOMP", 0x16),
        ("PR_CAPBSET_READ", 0x17),
        ("PR_CAPBSET_DROP", 0x18),
        ("PR_GET_TSC", 0x19),
        ("PR_SET_TSC", 0x1a),
        ("PR_GET_SECUREBITS", 0x1b),
        ("PR_SET_SECUREBITS", 0x1c),
        ("PR_SET_TIMERSLACK", 0x1d),
        ("PR_GET_TIMERSLACK", 0x1e),
        ("PR_TASK_PERF_EVENTS_DISABLE", 0x1f),
        ("PR_TASK_PERF_EVENTS_ENABLE", 0x20),
        ("PR_MCE_KILL", 0x21),
        ("PR_MCE_KILL_GET", 0x22),
        ("PR_SET_MM", 0x23),
        ("PR_SET_CHILD_SUBREAPER", 0x24),
        ("PR_GET_CHILD_SUBREAPER", 0x25),
        ("PR_SET_NO_NEW_PRIVS", 0x26),
        ("PR_GET_NO_NEW_PRIVS", 0x27),
        ("PR_GET_TID_ADDRESS", 0x28),
        ("PR_SET_THP_DISABLE", 0x29),
        ("PR_GET_THP_DISABLE", 0x2a),
        ("PR_SET_FP_MODE", 0x2d),
        ("PR_GET_FP_MODE", 0x2e),
        ("PR_CAP_AMBIENT", 0x2f),
        ("PR_GET_SPECULATION_CTRL", 0x34),
        ("PR_SET_SPECULATION_CTRL", 0x35),
        ("PR_SET_TAGGED_ADDR_CTRL", 0x37),
        ("PR_GET_TAGGED_ADDR_CTRL", 0x38),
        ("PR_SET_IO_FLUSHER", 0x39),
        ("PR_GET_IO_FLUSHER", 0x3a),
        ("PR_SET_SYSCALL_USER_DISPATCH", 0x3b),
        ("PR_SCHED_CORE", 0x3e),
        ("PR_SET_MDWE", 0x41),
        ("PR_GET_MDWE", 0x42),
        ("PR_SET_MEMORY_MERGE", 0x43),
        ("PR_GET_MEMORY_MERGE", 0x44),
        ("PR_GET_AUXV", 0x41555856),
        ("PR_SET_VMA", 0x53564d41),
        ("PR_SET_PTRACER", 0x59616d61),
    ],
);

/// Clock ids.
pub const CLOCK_IDS: Xlat = Xlat::new(
    "CLOCK_",
    &[
        ("CLOCK_REALTIME", 0),
        ("CLOCK_MONOTONIC", 1),
        ("CLOCK_PROCESS_CPUTIME_ID", 2),
        ("CLOCK_THREAD_CPUTIME_ID", 3),
        ("CLOCK_MONOTONIC_RAW", 4),
        ("CLOCK_REALTIME_COARSE", 5),
        ("CLOCK_MONOTONIC_COARSE", 6),
        ("CLOCK_BOOTTIME", 7),
        ("CLOCK_REALTIME_ALARM", 8),
        ("CLOCK_BOOTTIME_ALARM", 9),
        ("CLOCK_SGI_CYCLE", 10),
        ("CLOCK_TAI", 11),
    ],
);

/// Clock_nanosleep / timerfd_settime flags.
pub const TIMER_FLAGS: Xlat = Xlat::new("TIMER_", &[("TIMER_ABSTIME", 1)]);

/// Timerfd_settime flags.
pub const TFD_SETTIME_FLAGS: Xlat = Xlat::new(
    "TFD_TIMER_",
    &[("TFD_TIMER_ABSTIME", 1), ("TFD_TIMER_CANCEL_ON_SET", 2)],
);

/// Timerfd_create flags.
pub const TFD_CREATE_FLAGS: Xlat =
    Xlat::new("TFD_", &[("TFD_CLOEXEC", 0x80000), ("TFD_NONBLOCK", 0x800)]);

/// Eventfd2 flags.
pub const EFD_FLAGS: Xlat = Xlat::new(
    "EFD_",
    &[
        ("EFD_SEMAPHORE", 1),
        ("EFD_CLOEXEC", 0x80000),
        ("EFD_NONBLOCK", 0x800),
    ],
);

/// Signalfd4 flags.
pub const SFD_FLAGS: Xlat = Xlat::new("SFD_", &[("SFD_CLOEXEC", 0x80000), ("SFD_NONBLOCK", 0x800)]);

/// Inotify_init1 flags.
pub const IN_INIT_FLAGS: Xlat =
    Xlat::new("IN_", &[("IN_CLOEXEC", 0x80000), ("IN_NONBLOCK", 0x800)]);

/// Inotify event mask.
pub const IN_MASK: Xlat = Xlat::new(
    "IN_",
    &[
        ("IN_ACCESS", 1),
        ("IN_MODIFY", 2),
        ("IN_ATTRIB", 4),
        ("IN_CLOSE_WRITE", 8),
        ("IN_CLOSE_NOWRITE", 0x10),
        ("IN_OPEN", 0x20),
        ("IN_MOVED_FROM", 0x40),
        ("IN_MOVED_TO", 0x80),
        ("IN_CREATE", 0x100),
        ("IN_DELETE", 0x200),
        ("IN_DELETE_SELF", 0x400),
        ("IN_MOVE_SELF", 0x800),
        ("IN_UNMOUNT", 0x2000),
        ("IN_Q_OVERFLOW", 0x4000),
        ("IN_IGNORED", 0x8000),
        ("IN_ONLYDIR", 0x1000000),
        ("IN_DONT_FOLLOW", 0x2000000),
        ("IN_EXCL_UNLINK", 0x4000000),
        ("IN_MASK_CREATE", 0x10000000),
        ("IN_MASK_ADD", 0x20000000),
        ("IN_ISDIR", 0x40000000),
        ("IN_ONESHOT", 0x80000000),
    ],
);

/// Pipe2/dup3 flags.
pub const PIPE_FLAGS: Xlat = Xlat::new(
    "O_",
    &[
        ("O_NOTIFICATION_PIPE", 0x200000),
        ("O_CLOEXEC", 0x80000),
        ("O_DIRECT", 0x4000),
        ("O_NONBLOCK", 0x800),
    ],
);

/// Renameat2 flags.
pub const RENAME_FLAGS: Xlat = Xlat::new(
    "RENAME_",
    &[
        ("RENAME_NOREPLACE", 1),
        ("RENAME_EXCHANGE", 2),
        ("RENAME_WHITEOUT", 4),
    ],
);

/// Close_range flags.
pub const CLOSE_RANGE_FLAGS: Xlat = Xlat::new(
    "CLOSE_RANGE_",
    &[("CLOSE_RANGE_UNSHARE", 2), ("CLOSE_RANGE_CLOEXEC", 4)],
);

/// Fallocate modes.
pub const FALLOC_FLAGS: Xlat = Xlat::new(
    "FALLOC_FL_",
    &[
        ("FALLOC_FL_KEEP_SIZE", 1),
        ("FALLOC_FL_PUNCH_HOLE", 2),
        ("FALLOC_FL_NO_HIDE_STALE", 4),
        ("FALLOC_FL_COLLAPSE_RANGE", 8),
        ("FALLOC_FL_ZERO_RANGE", 0x10),
        ("FALLOC_FL_INSERT_RANGE", 0x20),
        ("FALLOC_FL_UNSHARE_RANGE", 0x40),
        ("FALLOC_FL_WRITE_ZEROES", 0x80),
    ],
);

/// Memfd_create flags.
pub const MEMFD_FLAGS: Xlat = Xlat::new(
    "MFD_",
    &[
        ("MFD_CLOEXEC", 1),
        ("MFD_ALLOW_SEALING", 2),
        ("MFD_HUGETLB", 4),
        ("MFD_NOEXEC_SEAL", 8),
        ("MFD_EXEC", 0x10),
    ],
);

/// Sched policies.
pub const SCHED_POLICIES: Xlat = Xlat::new(
    "SCHED_",
    &[
        ("SCHED_OTHER", 0),
        ("SCHED_FIFO", 1),
        ("SCHED_RR", 2),
        ("SCHED_BATCH", 3),
        ("SCHED_ISO", 4),
        ("SCHED_IDLE", 5),
        ("SCHED_DEADLINE", 6),
        ("SCHED_EXT", 7),
    ],
);

/// Setitimer which.
pub const ITIMER_WHICH: Xlat = Xlat::new(
    "ITIMER_",
    &[
        ("ITIMER_REAL", 0),
        ("ITIMER_VIRTUAL", 1),
        ("ITIMER_PROF", 2),
    ],
);

/// Rseq flags.
pub const RSEQ_FLAGS: Xlat = Xlat::new("RSEQ_FLAG_", &[("RSEQ_FLAG_UNREGISTER", 1)]);

/// Mlockall flags.
pub const MLOCK_FLAGS: Xlat = Xlat::new(
    "MCL_",
    &[("MCL_CURRENT", 1), ("MCL_FUTURE", 2), ("MCL_ONFAULT", 4)],
);

/// Msync flags.
pub const MSYNC_FLAGS: Xlat = Xlat::new(
    "MS_",
    &[("MS_ASYNC", 1), ("MS_INVALIDATE", 2), ("MS_SYNC", 4)],
);

/// Getpriority which.
pub const PRIO_WHICH: Xlat = Xlat::new(
    "PRIO_",
    &[("PRIO_PROCESS", 0), ("PRIO_PGRP", 1), ("PRIO_USER", 2)],
);

/// Setxattr flags.
pub const XATTR_FLAGS: Xlat = Xlat::new("XATTR_", &[("XATTR_CREATE", 1), ("XATTR_REPLACE", 2)]);

/// Umount2 flags.
pub const UMOUNT_FLAGS: Xlat = Xlat::new(
    "",
    &[
        ("MNT_FORCE", 1),
        ("MNT_DETACH", 2),
        ("MNT_EXPIRE", 4),
        ("UMOUNT_NOFOLLOW", 8),
    ],
);

/// Splice flags.
pub const SPLICE_FLAGS: Xlat = Xlat::new(
    "SPLICE_F_",
    &[
        ("SPLICE_F_MOVE", 1),
        ("SPLICE_F_NONBLOCK", 2),
        ("SPLICE_F_MORE", 4),
        ("SPLICE_F_GIFT", 8),
    ],
);

/// Membarrier commands.
pub const MEMBARRIER_CMDS: Xlat = Xlat::new(
    "MEMBARRIER_CMD_",
    &[
        ("MEMBARRIER_CMD_QUERY", 0),
        ("MEMBARRIER_CMD_GLOBAL", 1),
        ("MEMBARRIER_CMD_GLOBAL_EXPEDITED", 2),
        ("MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", 4),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED", 8),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED", 0x10),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE", 0x20),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE", 0x40),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ", 0x80),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ", 0x100),
        ("MEMBARRIER_CMD_GET_REGISTRATIONS", 0x200),
    ],
);

/// posix_fadvise advice.
pub const FADVISE: Xlat = Xlat::new(
    "POSIX_FADV_",
    &[
        ("POSIX_FADV_NORMAL", 0),
        ("POSIX_FADV_RANDOM", 1),
        ("POSIX_FADV_SEQUENTIAL", 2),
        ("POSIX_FADV_WILLNEED", 3),
        ("POSIX_FADV_DONTNEED", 4),
        ("POSIX_FADV_NOREUSE", 5),
    ],
);

/// Filesystem magic numbers (statfs f_type).
pub const FS_MAGICS: Xlat = Xlat::new(
    "",
    &[
        ("EXT2_SUPER_MAGIC", 0xef53),
        ("TMPFS_MAGIC", 0x1021994),
        ("PROC_SUPER_MAGIC", 0x9fa0),
        ("SYSFS_MAGIC", 0x62656572),
        ("BTRFS_SUPER_MAGIC", 0x9123683e),
        ("XFS_SUPER_MAGIC", 0x58465342),
        ("OVERLAYFS_SUPER_MAGIC", 0x794c7630),
        ("NFS_SUPER_MAGIC", 0x6969),
        ("CGROUP2_SUPER_MAGIC", 0x63677270),
        ("DEVPTS_SUPER_MAGIC", 0x1cd1),
        ("SQUASHFS_MAGIC", 0x73717368),
        ("FUSE_SUPER_MAGIC", 0x65735546),
        ("BPF_FS_MAGIC", 0xcafe4a11),
        ("TRACEFS_MAGIC", 0x74726163),
        ("DEBUGFS_MAGIC", 0x64626720),
        ("SECURITYFS_MAGIC", 0x73636673),
        ("RAMFS_MAGIC", 0x858458f6),
        ("V9FS_MAGIC", 0x1021997),
        ("ZFS_SUPER_MAGIC", 0x2fc12fc1),
    ],
);

/// statfs f_flags.
pub const STATFS_FLAGS: Xlat = Xlat::new(
    "ST_",
    &[
        ("ST_VALID", 0x20),
        ("ST_RDONLY", 1),
        ("ST_NOSUID", 2),
        ("ST_NODEV", 4),
        ("ST_NOEXEC", 8),
        ("ST_SYNCHRONOUS", 0x10),
        ("ST_MANDLOCK", 0x40),
        ("ST_WRITE", 0x80),
        ("ST_APPEND", 0x100),
        ("ST_IMMUTABLE", 0x200),
        ("ST_NOATIME", 0x400),
        ("ST_NODIRATIME", 0x800),
        ("ST_RELATIME", 0x1000),
        ("ST_NOSYMFOLLOW", 0x2000),
    ],
);
