//! Unix stream clients whose peer is not accepted yet. A connect() returns before the server
//! accepts; until then the client's peer is an embryo socket without an inode, and strace
//! shows `UNIX-STREAM:[client]`, then `[client->accepted]` once the server has accepted. Both
//! backends read such a client's socket again at each of its calls while the call runs
//! (`CAPF_IF_PEER_PENDING`), whether the server is traced or not; this set says which fds'
//! reads describe them as their call saw them. (Asking the kernel when the record is read
//! instead would name the peer too early: with eBPF the reader runs behind the process.)
//! A close is read as it ends, the fd gone: a traced server's accept, seen before it, gives
//! the peer strace saw at the close's entry.

use std::collections::HashMap;

use tracer_common::{SOCK_PEER_EMBRYO, SockInfo};

/// A pending client: its socket's inode and, once a traced accept took it, the accepted
/// socket's inode.
#[derive(Debug, Clone, Copy)]
struct Client {
    ino: u64,
    accepted: Option<u64>,
}

/// Pending clients, by `(tgid, fd)`.
#[derive(Debug, Default)]
pub struct Pending {
    fds: HashMap<(u32, i32), Client>,
}

impl Pending {
    /// Whether `tgid`'s fd `fd` was a client without an accepted peer when last read.
    pub fn contains(&self, tgid: u32, fd: i32) -> bool {
        self.fds.contains_key(&(tgid, fd))
    }

    /// `tgid`'s fd `info.fd` was just read: pending while its peer is an embryo.
    pub fn note(&mut self, tgid: u32, info: &SockInfo) {
        if info.flags & SOCK_PEER_EMBRYO != 0 {
            self.fds.entry((tgid, info.fd)).or_insert(Client {
                ino: info.ino,
                accepted: None,
            });
        } else {
            self.fds.remove(&(tgid, info.fd));
        }
    }

    /// A traced accept returned the socket `accepted`, whose peer is `client` (inodes).
    pub fn accepted(&mut self, client: u64, accepted: u64) {
        for c in self.fds.values_mut().filter(|c| c.ino == client) {
            c.accepted = Some(accepted);
        }
    }

    /// `tgid`'s pending fd `fd` is gone as its call ends (a close): no longer pending, and the
    /// peer a traced accept gave it, if any.
    pub fn closed(&mut self, tgid: u32, fd: i32) -> Option<u64> {
        self.fds.remove(&(tgid, fd))?.accepted
    }

    /// `tgid`'s fd `fd` was closed (`None`: all of them, the process is gone).
    pub fn forget(&mut self, tgid: u32, fd: Option<i32>) {
        self.fds
            .retain(|&(t, f), _| t != tgid || fd.is_some_and(|fd| f != fd));
    }
}
