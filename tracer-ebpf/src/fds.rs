//! Reading the current task's file descriptors in the kernel: the inodes of new fds (`-y`) and
//! the endpoints of sockets (`-yy`), while the call runs, so that userspace can name an fd
//! the process has closed by the time its record is read.

use core::mem::offset_of;

use aya_ebpf::{helpers::generated::bpf_probe_read_kernel, macros::map, maps::LruHashMap};
use tracer_common::{
    ArgCapture, BlobHeader, CAP_FD_INODE, CAP_SOCK, CAP_SOCK_PROTO, FdInode, SOCK_IS_SOCKET,
    SOCK_NL_BOUND, SOCK_PATH_LEN, SOCK_PEER_EMBRYO, SOCK_PROTO_LEN, SockInfo, SockProto, fd_pair,
    peer_pending_after, sock_capture_wanted, sock_rereads,
};

use crate::{
    blob::{HDR, MASK, get, room, write_header},
    cursor::{Call, Cursor, SOCK_KNOWN, SOCK_NETLINK},
    maps::{
        FDT_FD_OFF, FDT_MAX_FDS_OFF, FILE_INODE_OFF, FILES_FDT_OFF, INODE_INO_OFF, SOCK_OFFSETS,
        TASK_FILES_OFF,
    },
    mem::{kernel_u16, kernel_u16_pair, kernel_u32, kernel_u64, kernel_u64_pair, read_u64},
};

/// The `struct file *` behind fd `fd` of the current task (0: none).
#[inline(always)]
fn file_of(fd: i32) -> u64 {
    // SAFETY: no preconditions; the pointer is only read through bpf_probe_read_kernel.
    let task = unsafe { aya_ebpf::helpers::generated::bpf_get_current_task() };
    let Some(files) = kernel_u64(task, TASK_FILES_OFF.load()) else {
        return 0;
    };
    let Some(fdt) = kernel_u64(files, FILES_FDT_OFF.load()) else {
        return 0;
    };
    // `max_fds` (a u32: the low half of its word, little-endian) and the array pointer sit
    // side by side in `struct fdtable`: one read.
    let Some((max, array)) = kernel_u64_pair(fdt, FDT_MAX_FDS_OFF.load(), FDT_FD_OFF.load()) else {
        return 0;
    };
    if fd < 0 || fd as u32 >= max as u32 {
        return 0;
    }
    kernel_u64(array + (fd as u64) * 8, 0).unwrap_or(0)
}

/// The `struct inode *` of a file (0: none).
#[inline(always)]
fn inode_ptr(file: u64) -> u64 {
    if file == 0 {
        return 0;
    }
    kernel_u64(file, FILE_INODE_OFF.load()).unwrap_or(0)
}

/// A file's `private_data` (a socket file's `struct socket *`) and its `struct inode *`
/// (0 each: none), neighbours in `struct file`, so one read where a socket is looked at.
#[inline(always)]
fn private_and_inode(file: u64) -> (u64, u64) {
    if file == 0 {
        return (0, 0);
    }
    kernel_u64_pair(
        file,
        SOCK_OFFSETS.load().file_private,
        FILE_INODE_OFF.load(),
    )
    .unwrap_or((0, 0))
}

/// An inode's number (0 for a NULL inode).
#[inline(always)]
fn ino_of(inode: u64) -> u64 {
    if inode == 0 {
        return 0;
    }
    kernel_u64(inode, INODE_INO_OFF.load()).unwrap_or(0)
}

/// The inodes of the call's new fds: its return value, or the two ints at `ptr`.
#[inline(always)]
pub fn fd_inodes(
    base: *mut u8,
    off: usize,
    idx: u8,
    tag: u16,
    cap: &ArgCapture,
    call: &Call,
    ptr: u64,
) -> usize {
    let entry = size_of::<FdInode>();
    if room(off) < 2 * entry {
        return 0;
    }
    let (n, first, second) = if cap.scale == 0 {
        (1, call.ret as i32, -1)
    } else {
        let (first, second) = fd_pair(read_u64(ptr).unwrap_or(u64::MAX));
        (2, first, second)
    };
    let at = (off + HDR) & MASK;
    for (k, fd) in [first, second].into_iter().enumerate() {
        if k >= n {
            break;
        }
        let e = FdInode {
            fd,
            _pad0: 0,
            ino: ino_of(inode_ptr(file_of(fd))),
        };
        // SAFETY: at + 2 * 16 <= MAX_RECORD (room checked): inside the scratch area.
        unsafe {
            base.add(at + (k & 1) * entry)
                .cast::<FdInode>()
                .write_unaligned(e)
        };
    }
    let len = n * entry;
    write_header(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind: CAP_FD_INODE,
            flags: tag,
            len: len as u32,
        },
    );
    off + HDR + len
}

/// Copies `len` kernel bytes from `src` to scratch offset `at`.
#[inline(always)]
fn copy_kernel(base: *mut u8, at: usize, src: u64, len: u32) {
    // SAFETY: callers keep at < MAX_RECORD + 256 and len <= 108: inside the scratch area.
    // The helper checks the kernel read; on a fault the bytes stay zero.
    unsafe { bpf_probe_read_kernel(base.add(at).cast(), len, src as *const _) };
}

// Where `SockInfo`'s fields sit: the blob is filled in place, field by field, not built on
// the 512-byte BPF stack.
const F_FD: usize = offset_of!(SockInfo, fd);
const F_FLAGS: usize = offset_of!(SockInfo, flags);
const F_FAMILY: usize = offset_of!(SockInfo, family);
const F_INO: usize = offset_of!(SockInfo, ino);
const F_PEER: usize = offset_of!(SockInfo, peer_ino);
const F_PROTO: usize = offset_of!(SockInfo, proto);
const F_LPORT: usize = offset_of!(SockInfo, lport);
const F_DPORT: usize = offset_of!(SockInfo, dport);
const F_ADDR_LEN: usize = offset_of!(SockInfo, addr_len);
const F_LADDR: usize = offset_of!(SockInfo, laddr);
const F_DADDR: usize = offset_of!(SockInfo, daddr);
const F_PATH: usize = offset_of!(SockInfo, path);
const F_PROTOCOL: usize = offset_of!(SockInfo, protocol);
const F_NL_PORTID: usize = offset_of!(SockInfo, nl_portid);

const S_IFMT: u16 = 0o170000;
const S_IFSOCK: u16 = 0o140000;
const AF_UNIX: u16 = 1;
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;

/// Unix stream clients whose peer was not accepted yet, by `tgid << 32 | fd`
/// (`CAPF_IF_PEER_PENDING`): their next calls read the socket again. LRU: a client closed
/// while pending leaves no leak.
#[map]
pub static PEERS_PENDING: LruHashMap<u64, u8> = LruHashMap::with_max_entries(4096, 0);

/// The `CAP_SOCK` capture `cap` of the call: a `SockInfo` blob (`sock_info`) when the rule
/// (`sock_capture_wanted`) asks for one, noting whether the fd now awaits its peer. Returns
/// the offset after the blob, or 0 when none was written.
#[inline(always)]
pub fn sock_capture(
    base: *mut u8,
    off: usize,
    idx: u8,
    tag: u16,
    cap: &ArgCapture,
    call: &Call,
) -> usize {
    let fd = cap.sock_fd(&call.args, call.ret);
    let key = (aya_ebpf::helpers::bpf_get_current_pid_tgid() & !0xffff_ffff) | u64::from(fd as u32);
    let cond = crate::fetch::size_arg(call, cap) as u64;
    // SAFETY: a lookup by value; the entry is not kept.
    if !sock_capture_wanted(cap, cond, || unsafe { PEERS_PENDING.get(&key) }.is_some()) {
        return 0;
    }
    let next = sock_info(base, off, idx, tag, fd);
    if next != 0 {
        let flags: u16 = get(base, off + HDR + F_FLAGS);
        let family: u16 = get(base, off + HDR + F_FAMILY);
        let lport: u16 = get(base, off + HDR + F_LPORT);
        match peer_pending_after(cap, sock_rereads(flags, family, lport)) {
            Some(true) => {
                let _ = PEERS_PENDING.insert(&key, &1, 0);
            }
            Some(false) => {
                let _ = PEERS_PENDING.remove(&key);
            }
            None => {}
        }
    }
    next
}

/// A `SockInfo` for the socket behind `fd`, read from its `struct sock`. Returns the offset
/// after the blob, or 0 when there was no room. (Five arguments: BPF calls pass at most five.)
#[inline(never)]
pub fn sock_info(base: *mut u8, off: usize, idx: u8, tag: u16, fd: i32) -> usize {
    let size = size_of::<SockInfo>();
    if room(off) < size {
        return 0;
    }
    let at = (off + HDR) & MASK;
    for k in 0..size / 8 {
        // SAFETY: at < MAX_RECORD, 192 bytes: inside the 2 * MAX_RECORD scratch area.
        unsafe { base.add(at + k * 8).cast::<u64>().write_unaligned(0) };
    }
    let (socket, inode) = private_and_inode(file_of(fd));
    let mut info_flags = 0u16;
    let mut family = 0u16;
    if inode != 0 && kernel_u16(inode, SOCK_OFFSETS.load().inode_mode) & S_IFMT == S_IFSOCK {
        family = sock_fields(base, at, socket);
        // `unix_fields` may have set SOCK_PEER_EMBRYO in the zeroed flags.
        info_flags = SOCK_IS_SOCKET | get::<u16>(base, at + F_FLAGS);
    }
    // SAFETY: the fixed fields sit in the 192 bytes at `at` zeroed above.
    unsafe {
        base.add(at + F_FD).cast::<i32>().write_unaligned(fd);
        base.add(at + F_FLAGS)
            .cast::<u16>()
            .write_unaligned(info_flags);
        base.add(at + F_FAMILY)
            .cast::<u16>()
            .write_unaligned(family);
        base.add(at + F_INO)
            .cast::<u64>()
            .write_unaligned(ino_of(inode));
    }
    write_header(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind: CAP_SOCK,
            flags: tag,
            len: size as u32,
        },
    );
    off + HDR + size
}

const AF_NETLINK: u16 = 16;

/// Whether the fd in argument 0 of the record's call is a netlink socket
/// (`CAPF_NETLINK_WHOLE`): known from the call's enter record, else read (once per record).
#[inline(always)]
pub fn is_netlink(cur: &Cursor) -> bool {
    let sock = cur.state().call.sock;
    if sock & SOCK_KNOWN != 0 {
        return sock & SOCK_NETLINK != 0;
    }
    record_proto(cur);
    cur.state().proto.family == AF_NETLINK
}

/// Sends that began on a netlink socket not bound yet, by thread: `nr << 32 | fd`
/// (`SPEC_SOCK_AT_ENTER`). LRU: a thread that dies inside the call leaves no leak.
#[map]
pub static UNBOUND_SENDS: LruHashMap<u32, u64> = LruHashMap::with_max_entries(4096, 0);

fn send_key(nr: u32, fd: i32) -> u64 {
    (u64::from(nr) << 32) | u64::from(fd as u32)
}

/// sys_enter of a send whose socket kind is read at exit: notes fd `fd` when it is a netlink
/// socket not bound yet. Costs the fd's lookup; a map update only for netlink sockets.
#[inline(always)]
pub fn note_unbound_send(tid: u32, nr: u32, fd: i32) {
    let proto = read_proto(fd);
    if proto.family != AF_NETLINK {
        return;
    }
    if proto.flags & SOCK_NL_BOUND == 0 {
        let _ = UNBOUND_SENDS.insert(&tid, &send_key(nr, fd), 0);
    } else {
        let _ = UNBOUND_SENDS.remove(&tid);
    }
}

/// Whether the call `call` on fd `fd` is a send that began on that netlink socket unbound
/// (it bound it); forgets the note.
#[inline(always)]
fn bound_by_call(call: &Call, fd: i32) -> bool {
    // SAFETY: copied out at once; only this thread writes its key.
    let noted = unsafe { UNBOUND_SENDS.get(&call.tid) }.copied();
    if noted != Some(send_key(call.nr, fd)) {
        return false;
    }
    let _ = UNBOUND_SENDS.remove(&call.tid);
    true
}

/// Puts in `State::proto` the `SockProto` of the fd in argument 0 of the record's call, read
/// from the kernel's fd table the first time a capture of the record asks (the buffer's
/// netlink check and the `CAP_SOCK_PROTO` blob ask about the same fd). Notes in `Call::sock`
/// what it found.
#[inline(never)]
fn record_proto(cur: &Cursor) {
    let st = cur.state();
    if st.proto_read == 0 {
        st.proto = read_proto(st.call.args[0] as i32);
        if st.proto.flags & SOCK_NL_BOUND != 0 && bound_by_call(&st.call, st.proto.fd) {
            // Shown as the call began: unbound.
            st.proto.flags &= !SOCK_NL_BOUND;
        }
        st.proto_read = 1;
        st.call.sock = SOCK_KNOWN
            | if st.proto.family == AF_NETLINK {
                SOCK_NETLINK
            } else {
                0
            };
    }
}

/// Whether fd `fd` is a socket, its family, protocol and type, and for a netlink socket
/// whether it is bound.
#[inline(always)]
fn read_proto(fd: i32) -> SockProto {
    let mut info = SockProto {
        fd,
        ..SockProto::default()
    };
    let (socket, inode) = private_and_inode(file_of(fd));
    let o = SOCK_OFFSETS.load();
    if inode != 0 && kernel_u16(inode, o.inode_mode) & S_IFMT == S_IFSOCK {
        info.flags = SOCK_IS_SOCKET;
        let sk = if socket == 0 {
            0
        } else {
            kernel_u64(socket, o.socket_sk).unwrap_or(0)
        };
        if sk != 0 {
            info.family = kernel_u16(sk, o.family);
            (info.protocol, info.sock_type) = kernel_u16_pair(sk, o.sk_protocol, o.sk_type);
            if info.family == AF_NETLINK && kernel_u32(sk, o.nl_portid).unwrap_or(0) != 0 {
                info.flags |= SOCK_NL_BOUND;
            }
        }
    }
    info
}

/// A `SockProto` blob for the fd in argument 0 (`record_proto`). Returns the offset after the
/// blob, or 0 when there was no room.
#[inline(never)]
pub fn sock_proto(cur: &Cursor, off: usize, idx: u8, tag: u16) -> usize {
    let size = size_of::<SockProto>();
    if room(off) < size {
        return 0;
    }
    record_proto(cur);
    let info = cur.state().proto;
    let at = (off + HDR) & MASK;
    // SAFETY: at < MAX_RECORD, 16 bytes: inside the 2 * MAX_RECORD scratch area.
    unsafe { cur.base.add(at).cast::<SockProto>().write_unaligned(info) };
    write_header(
        cur.base,
        off,
        BlobHeader {
            arg: idx,
            kind: CAP_SOCK_PROTO,
            flags: tag,
            len: size as u32,
        },
    );
    off + HDR + size
}

/// Fills the `SockInfo` at scratch offset `at` from a socket file's `struct socket` (its
/// `private_data`) and its `struct sock`; returns the socket's family.
#[inline(always)]
fn sock_fields(base: *mut u8, at: usize, socket: u64) -> u16 {
    let o = SOCK_OFFSETS.load();
    if socket == 0 {
        return 0;
    }
    let Some(sk) = kernel_u64(socket, o.socket_sk).filter(|&sk| sk != 0) else {
        return 0;
    };
    let family = kernel_u16(sk, o.family);
    if let Some(prot) = kernel_u64(sk, o.prot).filter(|&p| p != 0) {
        copy_kernel(
            base,
            at + F_PROTO,
            prot + u64::from(o.proto_name),
            SOCK_PROTO_LEN as u32,
        );
    }
    let lport = kernel_u16(sk, o.num);
    let dport = u16::from_be(kernel_u16(sk, o.dport));
    // SAFETY: inside the zeroed SockInfo at `at`.
    unsafe {
        base.add(at + F_LPORT).cast::<u16>().write_unaligned(lport);
        base.add(at + F_DPORT).cast::<u16>().write_unaligned(dport);
    }
    match family {
        AF_INET => {
            copy_kernel(base, at + F_LADDR, sk + u64::from(o.rcv_saddr), 4);
            copy_kernel(base, at + F_DADDR, sk + u64::from(o.daddr), 4);
        }
        AF_INET6 => {
            copy_kernel(base, at + F_LADDR, sk + u64::from(o.v6_rcv_saddr), 16);
            copy_kernel(base, at + F_DADDR, sk + u64::from(o.v6_daddr), 16);
        }
        AF_UNIX => unix_fields(base, at, sk),
        AF_NETLINK => {
            let protocol = kernel_u16(sk, o.sk_protocol);
            let portid = kernel_u32(sk, o.nl_portid).unwrap_or(0);
            // SAFETY: inside the zeroed SockInfo at `at`.
            unsafe {
                base.add(at + F_PROTOCOL)
                    .cast::<u16>()
                    .write_unaligned(protocol);
                base.add(at + F_NL_PORTID)
                    .cast::<u32>()
                    .write_unaligned(portid);
            }
        }
        _ => {}
    }
    family
}

/// A unix socket's bound address and its peer's inode.
#[inline(always)]
fn unix_fields(base: *mut u8, at: usize, sk: u64) {
    let o = SOCK_OFFSETS.load();
    if let Some(addr) = kernel_u64(sk, o.unix_addr).filter(|&a| a != 0) {
        let len = kernel_u32(addr, o.unix_addr_len).unwrap_or(0);
        // sun_path follows the 2-byte family; copy only what the address holds.
        let path = len.saturating_sub(2);
        let path = if path > SOCK_PATH_LEN as u32 {
            SOCK_PATH_LEN as u32
        } else {
            path
        };
        let src = addr + u64::from(o.unix_addr_name) + 2;
        copy_kernel(base, at + F_PATH, src, path);
        // SAFETY: inside the zeroed SockInfo at `at`.
        unsafe {
            base.add(at + F_ADDR_LEN)
                .cast::<u16>()
                .write_unaligned(len as u16)
        };
    }
    let peer_socket = kernel_u64(sk, o.unix_peer)
        .filter(|&p| p != 0)
        .map(|peer| kernel_u64(peer, o.sk_socket).unwrap_or(0));
    // A peer without a `struct socket` is an embryo the server has not accepted yet (or a
    // peer already closed): no inode to show until a later read finds one.
    if peer_socket == Some(0) {
        // SAFETY: inside the zeroed SockInfo at `at`.
        unsafe {
            base.add(at + F_FLAGS)
                .cast::<u16>()
                .write_unaligned(SOCK_PEER_EMBRYO)
        };
    }
    let peer_ino = peer_socket
        .filter(|&s| s != 0)
        .map(|socket| ino_of(socket + u64::from(o.socket_inode)))
        .unwrap_or(0);
    // SAFETY: inside the zeroed SockInfo at `at`.
    unsafe {
        base.add(at + F_PEER)
            .cast::<u64>()
            .write_unaligned(peer_ino)
    };
}
