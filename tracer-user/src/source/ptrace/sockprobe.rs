//! The ptrace backend's `CAP_SOCK`: a stopped tracee's socket described into the same
//! `SockInfo` the kernel programs fill, while the socket surely exists (the tracee waits).
//! The protocol name is the kernel's (`system.sockprotoname`, what strace reads); addresses
//! come from a duplicate of the tracee's fd (pidfd_getfd); a unix socket's peer and bound
//! name from sock_diag.

use std::{
    fs,
    os::{
        fd::{FromRawFd, OwnedFd},
        unix::fs::{FileTypeExt, MetadataExt},
    },
};

use tracer_common::{
    CAP_NONE, CAP_SOCK, PHASE_ENTER, SOCK_IS_SOCKET, SOCK_NL_BOUND, SOCK_PATH_LEN,
    SOCK_PEER_EMBRYO, SOCK_PROTO_LEN, SockInfo, SockProto, SyscallSpec, peer_pending_after,
    sock_capture_wanted, sock_rereads,
};

use crate::{event::Blob, fdtable::sockets::protocol_name};

/// Sockets read again at their next call, by `(tgid, fd)`: unix stream clients whose peer was
/// not accepted yet, and inet sockets not bound yet (`sock_rereads`): the kernel programs'
/// `PEERS_PENDING`, kept the same way (`sock_capture_wanted`, `peer_pending_after`), so that
/// a `CAPF_IF_PEER_PENDING` capture reads only those fds again. The value says when:
/// `Pending::Peer` where the call's line is formatted from, `Pending::Bind` after the call
/// (what a send's autobind chose is for the calls after it, as strace shows it).
#[derive(Debug, Default)]
pub struct PendingPeers {
    fds: std::collections::HashMap<(u32, i32), Pending>,
}

/// Why and when a socket in `PendingPeers` is read again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    /// A unix client awaiting its peer's accept: read where its line is formatted from.
    Peer,
    /// An inet socket not bound yet: read as the call ends.
    Bind,
}

impl PendingPeers {
    /// `spec` for one call of process `tgid` with `args` in `phase`, without the `CAP_SOCK`
    /// captures the rule skips. A pending client is read where its line is formatted from,
    /// as strace reads it at the call's entry: at enter when the call sends an enter record
    /// (`sent_enter` at exit), else at exit.
    pub fn filter(
        &self,
        mut spec: SyscallSpec,
        tgid: u32,
        args: &[u64; 6],
        phase: u8,
        sent_enter: bool,
    ) -> SyscallSpec {
        for cap in spec.args.iter_mut().filter(|c| c.kind == CAP_SOCK) {
            let fd = cap.sock_fd(args, 0);
            let cond = args.get(usize::from(cap.size_arg)).copied().unwrap_or(0);
            // The call's own capture (connect's, sendto's with an address) is as the spec says.
            if sock_capture_wanted(cap, cond, || false) {
                continue;
            }
            let read = match self.fds.get(&(tgid, fd)) {
                Some(Pending::Peer) => phase == PHASE_ENTER || !sent_enter,
                Some(Pending::Bind) => phase != PHASE_ENTER,
                None => false,
            };
            if !read {
                cap.kind = CAP_NONE;
            } else if phase == PHASE_ENTER {
                cap.phase = PHASE_ENTER;
            }
        }
        spec
    }

    /// After the call's captures (`blobs`, under `spec`): which fds now await their peer.
    pub fn note(&mut self, spec: &SyscallSpec, tgid: u32, blobs: &[Blob]) {
        for b in blobs.iter().filter(|b| b.kind == CAP_SOCK && !b.faulted) {
            let (Some(cap), Some(info)) = (
                spec.args.get(usize::from(b.arg)),
                SockInfo::from_bytes(&b.data),
            ) else {
                continue;
            };
            let why = if info.flags & SOCK_PEER_EMBRYO != 0 {
                Pending::Peer
            } else {
                Pending::Bind
            };
            match peer_pending_after(cap, sock_rereads(info.flags, info.family, info.lport)) {
                Some(true) => {
                    self.fds.insert((tgid, info.fd), why);
                }
                Some(false) => {
                    self.fds.remove(&(tgid, info.fd));
                }
                None => {}
            }
        }
    }
}

/// Describes fd `fd` of thread `tid` (stopped).
pub fn probe(tid: u32, fd: i32) -> SockInfo {
    let mut info = SockInfo {
        fd,
        ..SockInfo::default()
    };
    let link = format!("/proc/{tid}/fd/{fd}");
    let Ok(meta) = fs::metadata(&link) else {
        return info;
    };
    info.ino = meta.ino();
    if !meta.file_type().is_socket() {
        return info;
    }
    info.flags = SOCK_IS_SOCKET;
    protocol_name(&link, &mut info.proto);
    let Some(sock) = steal(tid, fd) else {
        return info;
    };
    let raw = std::os::fd::AsRawFd::as_raw_fd(&sock);
    info.family = sockopt_int(raw, libc::SO_DOMAIN).unwrap_or(0) as u16;
    match i32::from(info.family) {
        libc::AF_UNIX => unix(&mut info),
        libc::AF_INET | libc::AF_INET6 => inet(raw, &mut info),
        libc::AF_NETLINK => {
            info.protocol = sockopt_int(raw, libc::SO_PROTOCOL).unwrap_or(0) as u16;
            info.nl_portid = netlink_port(raw);
        }
        _ => {}
    }
    info
}

/// What kind of socket fd `fd` of thread `tid` (stopped) is (`CAP_SOCK_PROTO`).
pub fn proto(tid: u32, fd: i32) -> SockProto {
    let mut info = SockProto {
        fd,
        ..SockProto::default()
    };
    let is_socket =
        fs::metadata(format!("/proc/{tid}/fd/{fd}")).is_ok_and(|meta| meta.file_type().is_socket());
    if !is_socket {
        return info;
    }
    info.flags = SOCK_IS_SOCKET;
    let Some(sock) = steal(tid, fd) else {
        return info;
    };
    let raw = std::os::fd::AsRawFd::as_raw_fd(&sock);
    info.family = sockopt_int(raw, libc::SO_DOMAIN).unwrap_or(0) as u16;
    info.protocol = sockopt_int(raw, libc::SO_PROTOCOL).unwrap_or(0) as u16;
    info.sock_type = sockopt_int(raw, libc::SO_TYPE).unwrap_or(0) as u16;
    if i32::from(info.family) == libc::AF_NETLINK && netlink_port(raw) != 0 {
        info.flags |= SOCK_NL_BOUND;
    }
    info
}

/// Whether fd `fd` of thread `tid` (stopped) is a netlink socket: the kernel's protocol name,
/// without taking a copy of the fd.
pub fn is_netlink(tid: u32, fd: i32) -> bool {
    let mut name = [0u8; SOCK_PROTO_LEN];
    protocol_name(&format!("/proc/{tid}/fd/{fd}"), &mut name);
    name.starts_with(b"NETLINK\0")
}

/// A netlink socket's port id (0: not bound).
fn netlink_port(fd: i32) -> u32 {
    // SAFETY: sockaddr_nl is plain data; zero is a valid value.
    let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
    // SAFETY: sa and len are valid for writes of their sizes.
    let r = unsafe { libc::getsockname(fd, std::ptr::from_mut(&mut sa).cast(), &mut len) };
    if r == 0 { sa.nl_pid } else { 0 }
}

/// A duplicate of the tracee's fd (pidfd_getfd), to ask the socket its addresses.
fn steal(tid: u32, fd: i32) -> Option<OwnedFd> {
    // A thread's pidfd (PIDFD_THREAD, which is O_EXCL, Linux 6.9) works for any thread of the
    // process; before 6.9 only the leader's can be opened.
    let pidfd = [libc::O_EXCL, 0]
        .into_iter()
        .map(|flags| {
            // SAFETY: a plain syscall on integers; the result is checked.
            unsafe { libc::syscall(libc::SYS_pidfd_open, tid, flags) }
        })
        .find(|&fd| fd >= 0)?;
    // SAFETY: pidfd_open returned a new fd owned by nothing else.
    let pidfd = unsafe { OwnedFd::from_raw_fd(pidfd as i32) };
    let raw = std::os::fd::AsRawFd::as_raw_fd(&pidfd);
    // SAFETY: as above.
    let dup = unsafe { libc::syscall(libc::SYS_pidfd_getfd, raw, fd, 0) };
    // SAFETY: pidfd_getfd returned a new fd (close-on-exec) owned by nothing else.
    (dup >= 0).then(|| unsafe { OwnedFd::from_raw_fd(dup as i32) })
}

fn sockopt_int(fd: i32, opt: libc::c_int) -> Option<i32> {
    let mut v: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are valid for writes of their sizes.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            opt,
            std::ptr::from_mut(&mut v).cast(),
            &mut len,
        )
    };
    (r == 0).then_some(v)
}

/// An inet socket's local and peer addresses and ports.
fn inet(fd: i32, info: &mut SockInfo) {
    let name = |peer: bool| -> Option<(u16, Vec<u8>)> {
        // SAFETY: sockaddr_storage is plain data; zero is a valid value.
        let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        let ptr = std::ptr::from_mut(&mut ss).cast::<libc::sockaddr>();
        // SAFETY: ss and len are valid for writes of their sizes.
        let r = unsafe {
            if peer {
                libc::getpeername(fd, ptr, &mut len)
            } else {
                libc::getsockname(fd, ptr, &mut len)
            }
        };
        if r != 0 {
            return None;
        }
        // SAFETY: sockaddr_storage is as large as any sockaddr; read its bytes.
        let bytes = unsafe {
            std::slice::from_raw_parts(std::ptr::from_ref(&ss).cast::<u8>(), len as usize)
        };
        let port = u16::from_be_bytes(bytes.get(2..4)?.try_into().ok()?);
        let addr = match i32::from(ss.ss_family) {
            libc::AF_INET => bytes.get(4..8)?.to_vec(),
            _ => bytes.get(8..24)?.to_vec(),
        };
        Some((port, addr))
    };
    if let Some((port, addr)) = name(false) {
        info.lport = port;
        info.laddr[..addr.len()].copy_from_slice(&addr);
    }
    if let Some((port, addr)) = name(true) {
        info.dport = port;
        info.daddr[..addr.len()].copy_from_slice(&addr);
    }
}

/// A unix socket's bound name and its peer, from sock_diag.
fn unix(info: &mut SockInfo) {
    let Some(reply) = u32::try_from(info.ino)
        .ok()
        .and_then(|ino| crate::sockdiag::unix_diag(ino).ok().flatten())
    else {
        return;
    };
    info.peer_ino = u64::from(reply.peer.unwrap_or(0));
    // A peer without an inode: an embryo not accepted yet (or a peer already closed).
    if reply.peer == Some(0) {
        info.flags |= SOCK_PEER_EMBRYO;
    }
    if let Some(name) = reply.name {
        let k = name.len().min(SOCK_PATH_LEN);
        info.path[..k].copy_from_slice(&name[..k]);
        info.addr_len = (k + 2) as u16;
    }
}
