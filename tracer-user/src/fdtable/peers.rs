//! Unix stream clients whose peer is not accepted yet. A connect() returns before the server
//! accepts; until then the client's peer is an embryo socket without an inode, and strace
//! shows `UNIX-STREAM:[client]`, then `[client->accepted]` once the server has accepted. Both
//! backends read such a client's socket again at each of its calls while the call runs
//! (`CAPF_IF_PEER_PENDING`), whether the server is traced or not; this set says which fds'
//! reads describe them as their call saw them. (Asking the kernel when the record is read
//! instead would name the peer too early: with eBPF the reader runs behind the process.)

use std::collections::HashSet;

use tracer_common::{SOCK_PEER_EMBRYO, SockInfo};

/// Pending clients, by `(tgid, fd)`.
#[derive(Debug, Default)]
pub struct Pending {
    fds: HashSet<(u32, i32)>,
}

impl Pending {
    /// Whether `tgid`'s fd `fd` was a client without an accepted peer when last read.
    pub fn contains(&self, tgid: u32, fd: i32) -> bool {
        self.fds.contains(&(tgid, fd))
    }

    /// `tgid`'s fd `info.fd` was just read: pending while its peer is an embryo.
    pub fn note(&mut self, tgid: u32, info: &SockInfo) {
        if info.flags & SOCK_PEER_EMBRYO != 0 {
            self.fds.insert((tgid, info.fd));
        } else {
            self.fds.remove(&(tgid, info.fd));
        }
    }

    /// `tgid`'s fd `fd` was closed (`None`: all of them, the process is gone).
    pub fn forget(&mut self, tgid: u32, fd: Option<i32>) {
        self.fds
            .retain(|&(t, f)| t != tgid || fd.is_some_and(|fd| f != fd));
    }
}
