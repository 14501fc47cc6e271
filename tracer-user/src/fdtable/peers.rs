//! Unix stream clients whose peer has no inode yet. A connect() returns before the server
//! accepts; until then the client's peer is an embryo socket without an inode, and strace
//! shows `UNIX-STREAM:[client]`, then `[client->accepted]` once the server has accepted. The
//! accept (when traced) says which client it took; otherwise the kernel's sock_diag does, for
//! as long as the client socket exists.

use std::collections::HashMap;

use tracer_common::SockInfo;

use super::{Socket, sockets};

/// Clients waiting for their peer's inode, by the client socket's inode.
#[derive(Debug, Default)]
pub struct Waiting {
    clients: HashMap<u64, Client>,
}

#[derive(Debug)]
struct Client {
    tgid: u32,
    fd: i32,
    info: SockInfo,
}

impl Waiting {
    /// `tgid`'s fd `info.fd` connected without a peer inode yet.
    pub fn connected(&mut self, tgid: u32, info: SockInfo) {
        self.clients.insert(
            info.ino,
            Client {
                tgid,
                fd: info.fd,
                info,
            },
        );
    }

    /// A socket was accepted (`info`): the client it is connected to, if one is waiting,
    /// with its description now complete.
    pub fn accepted(&mut self, info: &SockInfo) -> Option<(u32, i32, Socket)> {
        let mut client = self.clients.remove(&info.peer_ino)?;
        client.info.peer_ino = info.ino;
        let name = sockets::describe_info(&client.info)?;
        Some((client.tgid, client.fd, name))
    }

    /// Asks the kernel whether `tgid`'s fd `fd`, if waiting, has a peer by now.
    pub fn poll(&mut self, tgid: u32, fd: i32) -> Option<Socket> {
        let ino = self
            .clients
            .iter()
            .find(|(_, c)| c.tgid == tgid && c.fd == fd)
            .map(|(ino, _)| *ino)?;
        let peer = crate::sockdiag::unix_diag(u32::try_from(ino).ok()?)
            .ok()
            .flatten()
            .and_then(|r| r.peer)
            .filter(|&p| p != 0)?;
        let mut client = self.clients.remove(&ino)?;
        client.info.peer_ino = u64::from(peer);
        sockets::describe_info(&client.info)
    }

    /// `tgid`'s fd `fd` was closed (`None`: all of them, the process is gone).
    pub fn forget(&mut self, tgid: u32, fd: Option<i32>) {
        self.clients
            .retain(|_, c| c.tgid != tgid || fd.is_some_and(|fd| c.fd != fd));
    }
}
