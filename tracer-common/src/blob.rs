//! The blobs' layouts: what the kernel programs and the ptrace capture write for each `CAP_*`
//! kind, and the decoders read. Each layout is a `#[repr(C)]` type or a `const fn` here, with
//! its size and offsets asserted, so a change shows up in one place and fails to compile
//! wherever it is used the old way. Userspace reads and writes them through `crate::wire`.

/// Head of the array blobs (`CAP_IOVEC`, `CAP_STRV`, `CAP_PTRV_COUNT`). Items' data sit in
/// fixed-size slots so that the kernel's offsets do not depend on the data's lengths, which is
/// what keeps the verifier's work bounded.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArrayHeader {
    /// Items captured (pointers counted, for PTRV_COUNT).
    pub count: u32,
    /// `BLOB_TRUNCATED`: the array goes on past what was captured or counted;
    /// `BLOB_FAULTED`: reading the array itself faulted; for `CAP_IOVEC`, `count` entries
    /// before the fault were read (`readable_prefix`), none when 0.
    pub flags: u32,
    /// Bytes reserved for each item's data.
    pub slot: u32,
    pub _pad0: u32,
}

/// One iovec in a `CAP_IOVEC` blob.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IovecEntry {
    pub base: u64,
    pub len: u64,
    /// Bytes of this buffer captured (in its slot).
    pub captured: u32,
    /// `BLOB_*` bits for this buffer.
    pub flags: u32,
}

/// One string in a `CAP_STRV` blob; `len` bytes follow.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StrvItem {
    pub len: u32,
    /// `BLOB_*` bits for this string. With `BLOB_FAULTED` the slot's first 8 bytes hold the
    /// caller's pointer to it (printed as an address, as strace prints an unreadable string).
    pub flags: u32,
}

/// One entry of a `CAP_FD_INODE` blob.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FdInode {
    pub fd: i32,
    pub _pad0: u32,
    /// 0 when the fd could not be found.
    pub ino: u64,
}

/// `SockInfo::flags`: the fd is a socket (the other fields are only valid then).
pub const SOCK_IS_SOCKET: u16 = 1 << 0;
/// `SockInfo::flags`: a unix stream client connected to a socket its server has not accepted
/// yet (the peer is an embryo without an inode; sock_diag's `UNIX_DIAG_PEER` is 0).
pub const SOCK_PEER_EMBRYO: u16 = 1 << 2;
/// Bytes kept of the kernel's protocol name (`struct proto`'s name: `TCP`, `UNIX-STREAM`).
pub const SOCK_PROTO_LEN: usize = 16;
/// Bytes of `sockaddr_un.sun_path`.
pub const SOCK_PATH_LEN: usize = 108;

/// `SockProto::flags`: a netlink socket bound to a port id (strace's sock_diag lookup of the
/// socket's netlink family finds only those, so only their messages are decoded by family).
pub const SOCK_NL_BOUND: u16 = 1 << 1;

/// One `CAP_SOCK_PROTO` blob: what kind of socket an fd is, read while the call runs, so that
/// the decoders can tell a netlink socket's messages from other data (as strace asks the
/// kernel at each call) without looking back at the fd table.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockProto {
    pub fd: i32,
    /// `SOCK_IS_SOCKET`, `SOCK_NL_BOUND`.
    pub flags: u16,
    /// `AF_*`.
    pub family: u16,
    /// `sk_protocol` (`NETLINK_ROUTE`, `IPPROTO_TCP`, ...).
    pub protocol: u16,
    /// `sk_type` (`SOCK_RAW`, `SOCK_DGRAM`, ...).
    pub sock_type: u16,
    pub _pad0: u32,
}

/// One `CAP_SOCK` blob: what strace's `-yy` shows of a socket, as the kernel held it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockInfo {
    pub fd: i32,
    /// `SOCK_IS_SOCKET`, `SOCK_PEER_EMBRYO`.
    pub flags: u16,
    /// `AF_*`.
    pub family: u16,
    /// The socket's inode.
    pub ino: u64,
    /// AF_UNIX: the peer socket's inode (0: no peer, or the peer is not accepted yet).
    pub peer_ino: u64,
    /// The protocol's name, NUL-padded (not terminated when it fills the array).
    pub proto: [u8; SOCK_PROTO_LEN],
    /// Inet: the local port (0: not bound) and the peer's, in host order.
    pub lport: u16,
    pub dport: u16,
    /// AF_UNIX: bytes of the bound address (`unix_address.len`, family included; 0: unbound).
    pub addr_len: u16,
    /// Netlink: `sk_protocol` (`NETLINK_ROUTE` = 0).
    pub protocol: u16,
    /// Inet: local and peer address (IPv4 in the first 4 bytes, network order).
    pub laddr: [u8; 16],
    pub daddr: [u8; 16],
    /// AF_UNIX: `sun_path` of the bound address (`addr_len - 2` bytes of it are valid).
    pub path: [u8; SOCK_PATH_LEN],
    /// Netlink: the port id it is bound to (0: not bound).
    pub nl_portid: u32,
}

impl Default for SockInfo {
    fn default() -> Self {
        Self {
            fd: 0,
            flags: 0,
            family: 0,
            ino: 0,
            peer_ino: 0,
            proto: [0; SOCK_PROTO_LEN],
            lport: 0,
            dport: 0,
            addr_len: 0,
            protocol: 0,
            laddr: [0; 16],
            daddr: [0; 16],
            path: [0; SOCK_PATH_LEN],
            nl_portid: 0,
        }
    }
}

impl SockInfo {
    /// The protocol's name without its NUL padding.
    pub fn proto_name(&self) -> &[u8] {
        let end = self
            .proto
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(SOCK_PROTO_LEN);
        &self.proto[..end]
    }
}

/// Head of a `CAP_EXEC_AREA` blob.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExecArea {
    /// Bytes of the path in its slot (without the NUL).
    pub path_len: u32,
    /// Bytes of the argv strings after the path slot (NULs included).
    pub argv_len: u32,
    /// `BLOB_*` bits for the path.
    pub path_flags: u32,
    /// `BLOB_*` bits for the argv strings.
    pub argv_flags: u32,
}

/// Bytes reserved for the path in a `CAP_EXEC_AREA` blob (NUL included).
pub const EXEC_PATH_CAP: usize = 512;
/// Most bytes of argv strings in a `CAP_EXEC_AREA` blob.
pub const EXEC_ARGV_CAP: usize = 4096;
/// The user's `struct iovec` (x86_64), as an iovec array holds it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UserIovec {
    pub iov_base: u64,
    pub iov_len: u64,
}

/// The user's `struct msghdr` (x86_64): a `CAP_MSGHDR` blob, as the caller passed it (at
/// sys_enter) or as the kernel left it (at sys_exit).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Msghdr {
    pub msg_name: u64,
    pub msg_namelen: u32,
    pub _pad0: u32,
    pub msg_iov: u64,
    pub msg_iovlen: u64,
    pub msg_control: u64,
    pub msg_controllen: u64,
    pub msg_flags: u32,
    pub _pad1: u32,
}

/// A `CAP_U32_INOUT` blob: the value before the call and after it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct U32InOut {
    pub before: u32,
    pub after: u32,
}

/// Longest path the kernel fetches (PATH_MAX).
pub const PATH_CAP: u16 = 4096;
/// Most iovecs captured per array.
pub const IOV_MAX_ITEMS: u32 = 8;
/// Smallest slot of a `CAP_STRV` string: room for the pointer of one that faulted.
pub const STRV_MIN_SLOT: usize = 8;
/// Most argv strings captured.
pub const STRV_MAX_ITEMS: u32 = 32;
/// Most pointers counted in an envp-like array.
pub const PTRV_MAX_COUNT: u32 = 1024;
/// Most bytes of a sockaddr.
pub const SOCKADDR_CAP: u16 = 128;
/// Size of x86_64 `struct msghdr` (a `CAP_MSGHDR` blob).
pub const MSGHDR_SIZE: u16 = size_of::<Msghdr>() as u16;
/// Bytes of a `struct mmsghdr`: a msghdr, then `unsigned int msg_len` and padding.
pub const MMSGHDR_SIZE: u16 = MSGHDR_SIZE + 8;
/// Most bytes of a msghdr's control data (`CAP_SUB_CONTROL`).
pub const CONTROL_CAP: u16 = 256;

/// Where entry `k` of a `CAP_IOVEC` blob sits: after the `ArrayHeader`, entries back to back.
#[inline(always)]
pub const fn iovec_entry_at(k: usize) -> usize {
    size_of::<ArrayHeader>() + k * size_of::<IovecEntry>()
}

/// Where the data slots of a `CAP_IOVEC` blob of `n` entries start (entry `k`'s slot is
/// `k * ArrayHeader::slot` bytes further).
#[inline(always)]
pub const fn iovec_slots_at(n: usize) -> usize {
    iovec_entry_at(n)
}

/// Where item `k` of a `CAP_STRV` blob with `slot`-byte slots sits: its `StrvItem`, then its
/// slot.
#[inline(always)]
pub const fn strv_item_at(k: usize, slot: usize) -> usize {
    size_of::<ArrayHeader>() + k * (size_of::<StrvItem>() + slot)
}

/// Where the path of a `CAP_EXEC_AREA` blob starts (its slot is `EXEC_PATH_CAP` bytes).
pub const EXEC_AREA_PATH_AT: usize = size_of::<ExecArea>();
/// Where the argv strings of a `CAP_EXEC_AREA` blob start.
pub const EXEC_AREA_ARGV_AT: usize = EXEC_AREA_PATH_AT + EXEC_PATH_CAP;

const _: () = {
    use core::mem::offset_of;
    assert!(size_of::<IovecEntry>() == 24);
    assert!(size_of::<UserIovec>() == 16);
    assert!(size_of::<ArrayHeader>() == 16);
    assert!(offset_of!(ArrayHeader, slot) == 8);
    assert!(size_of::<FdInode>() == 16);
    assert!(offset_of!(FdInode, ino) == 8);
    assert!(size_of::<StrvItem>() == 8);
    assert!(STRV_MIN_SLOT == size_of::<u64>());
    assert!(size_of::<SockInfo>() == 192);
    assert!(size_of::<SockProto>() == 16);
    assert!(offset_of!(SockProto, protocol) == 8);
    assert!(offset_of!(SockInfo, proto) == 24);
    assert!(offset_of!(SockInfo, laddr) == 48);
    assert!(offset_of!(SockInfo, path) == 80);
    assert!(offset_of!(SockInfo, peer_ino) == 16);
    assert!(offset_of!(SockInfo, lport) == 40);
    assert!(offset_of!(SockInfo, addr_len) == 44);
    assert!(offset_of!(SockInfo, daddr) == 64);
    assert!(size_of::<ExecArea>() == 16);
    assert!(EXEC_AREA_ARGV_AT + EXEC_ARGV_CAP < crate::MAX_RECORD / 2);
    assert!(size_of::<Msghdr>() == 56);
    assert!(offset_of!(Msghdr, msg_namelen) == 8);
    assert!(offset_of!(Msghdr, msg_iov) == 16);
    assert!(offset_of!(Msghdr, msg_iovlen) == 24);
    assert!(offset_of!(Msghdr, msg_control) == 32);
    assert!(offset_of!(Msghdr, msg_controllen) == 40);
    assert!(offset_of!(Msghdr, msg_flags) == 48);
    assert!(size_of::<U32InOut>() == 8);
    assert!((CONTROL_CAP as usize) < crate::MAX_RECORD);
    assert!((PATH_CAP as usize) + size_of::<crate::BlobHeader>() < crate::MAX_RECORD);
};
