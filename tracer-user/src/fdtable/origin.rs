//! Where each socket fd came from, for the annotations (`--annotate`, `--match`): the accept
//! or connect that created it, with the peer address and when; for fds that existed before
//! tracing began, the peer the kernel reports for them.

use foldhash::HashMap;

use crate::{
    decode::Syscall,
    event::RawSyscall,
    fdtable::{Ends, FdName, Socket, UnixName, sockets},
    tables::FdEffect,
};

/// How a connection's fd came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// accept or accept4 on the listening fd.
    Accepted {
        call: &'static str,
        listener: i32,
    },
    Connected,
    /// Open before tracing began.
    Inherited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub how: How,
    pub peer: Option<Peer>,
    /// CLOCK_MONOTONIC ns of the call (None when inherited).
    pub ts: Option<u64>,
}

/// Who is at the other end of a connection (`format::fdname` renders it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    /// `192.168.10.1:58952`, `[::1]:5432`.
    Inet(std::net::SocketAddr),
    /// The name a unix socket connected to or was accepted from: `unix:"/tmp/.s.PGSQL.5432"`,
    /// or in the abstract namespace `unix:@"name"`.
    UnixPath(UnixName),
    /// A unix socket open before tracing began: its peer's inode and its own name,
    /// `59551,"/tmp/s"`.
    UnixSocket { ino: u64, name: Option<UnixName> },
    /// The call's address was read and names nothing (an unbound unix client).
    Unnamed,
}

#[derive(Debug, Default)]
pub struct Origins {
    /// Per process: fd → origin.
    procs: HashMap<u32, HashMap<i32, Origin>>,
}

/// The peer in a sockaddr: inet endpoints, unix paths.
fn peer_of(sockaddr: &[u8]) -> Option<Peer> {
    if let Some(inet) = sockets::endpoint_of_sockaddr(sockaddr) {
        return Some(Peer::Inet(inet));
    }
    let family = u16::from_le_bytes(sockaddr.get(0..2)?.try_into().ok()?);
    if family != 1 {
        return None;
    }
    // An abstract name starts with a NUL and runs to the address's length (sockaddr is the
    // address as long as the call gave it), a path to its first NUL.
    let (abstract_ns, name) = match sockaddr.get(2..)? {
        [0, name @ ..] if !name.is_empty() => (true, name),
        path => (
            false,
            &path[..path.iter().position(|&b| b == 0).unwrap_or(path.len())],
        ),
    };
    (!name.is_empty()).then(|| {
        Peer::UnixPath(UnixName {
            abstract_ns,
            bytes: name.to_vec(),
        })
    })
}

impl Origins {
    pub fn get(&self, tgid: u32, fd: i32) -> Option<&Origin> {
        self.procs.get(&tgid)?.get(&fd)
    }

    fn table(&mut self, tgid: u32) -> &mut HashMap<i32, Origin> {
        self.procs.entry(tgid).or_default()
    }

    /// A socket open before tracing began, whose peer is known.
    pub fn inherited(&mut self, tgid: u32, fd: i32, socket: &Socket) {
        let peer = match &socket.ends {
            Ends::Inet {
                peer: Some(peer), ..
            } => Peer::Inet(*peer),
            Ends::Unix {
                peer: Some(ino),
                name,
            } => Peer::UnixSocket {
                ino: *ino,
                name: name.clone(),
            },
            _ => return,
        };
        self.table(tgid).insert(
            fd,
            Origin {
                how: How::Inherited,
                peer: Some(peer),
                ts: None,
            },
        );
    }

    /// Applies a finished call: accept and connect create origins, dup copies them, close
    /// drops them. `returned` is what the table knows of the fd the call returned: an inet
    /// connection accepted with no address argument (`accept(fd, NULL, NULL)`) is from the
    /// peer its socket names (the line's own `-yy` name shows it), not "an unnamed peer".
    pub fn apply(&mut self, sc: &Syscall, raw: &RawSyscall, returned: Option<&FdName>) {
        let tgid = sc.tgid;
        let failed = crate::decode::is_error(raw.ret);
        let fd0 = raw.args[0] as i32;
        let Some(def) = sc.def else {
            return;
        };
        match def.fd {
            FdEffect::Accept if !failed => {
                let peer = raw
                    .blob(1)
                    .filter(|b| !b.faulted)
                    .map(|b| peer_of(&b.data).unwrap_or(Peer::Unnamed))
                    .or(match returned {
                        Some(FdName::Socket(Socket {
                            ends:
                                Ends::Inet {
                                    peer: Some(peer), ..
                                },
                            ..
                        })) => Some(Peer::Inet(*peer)),
                        _ => None,
                    });
                let call = def.name;
                self.table(tgid).insert(
                    raw.ret as i32,
                    Origin {
                        how: How::Accepted {
                            call,
                            listener: fd0,
                        },
                        peer,
                        ts: Some(raw.ts_exit),
                    },
                );
            }
            // A non-blocking connect in progress counts: the fd talks to that peer.
            FdEffect::Connect if !failed || raw.ret == -115 => {
                let peer = raw
                    .blob(1)
                    .filter(|b| !b.faulted)
                    .map(|b| peer_of(&b.data).unwrap_or(Peer::Unnamed));
                let ts = if raw.ts_enter != 0 {
                    raw.ts_enter
                } else {
                    raw.ts_exit
                };
                self.table(tgid).insert(
                    fd0,
                    Origin {
                        how: How::Connected,
                        peer,
                        ts: Some(ts),
                    },
                );
            }
            FdEffect::Close if !failed => {
                self.table(tgid).remove(&fd0);
            }
            FdEffect::Dup if !failed && raw.ret >= 0 => {
                let new = raw.ret as i32;
                let copied = self.get(tgid, fd0).cloned();
                let t = self.table(tgid);
                match copied {
                    Some(o) if new != fd0 => {
                        t.insert(new, o);
                    }
                    Some(_) => {}
                    None => {
                        t.remove(&new);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn fork(&mut self, parent: u32, child: u32) {
        if let Some(t) = self.procs.get(&parent).cloned() {
            self.procs.insert(child, t);
        }
    }

    pub fn exit(&mut self, tgid: u32) {
        self.procs.remove(&tgid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Blob, Part};

    fn accept_raw(ret: i64) -> RawSyscall {
        // sockaddr_in for 192.168.10.1:58952.
        let mut sa = vec![2, 0];
        sa.extend_from_slice(&58952u16.to_be_bytes());
        sa.extend_from_slice(&[192, 168, 10, 1]);
        sa.resize(16, 0);
        RawSyscall {
            part: Part::Complete,
            no_enter: false,
            no_return: false,
            has_enter_record: false,
            restarted: false,
            ts_enter: 100,
            ts_exit: 200,
            tgid: 9,
            tid: 9,
            nr: 43,
            ret,
            args: [8, 0, 0, 0, 0, 0],
            off_cpu: 0,
            ip: None,
            blobs: vec![Blob {
                arg: 1,
                kind: tracer_common::CAP_SOCKADDR_PLEN,
                truncated: false,
                faulted: false,
                at_enter: false,
                data: sa,
            }],
            tampered: Default::default(),
        }
    }

    fn sc(name: &'static str, raw: &RawSyscall) -> Syscall {
        Syscall::new(raw.tid, name, vec![], crate::decode::Ret::Value(raw.ret))
    }

    #[test]
    fn accept_records_the_peer_until_close() {
        let mut o = Origins::default();
        let raw = accept_raw(10);
        o.apply(&sc("accept", &raw), &raw, None);
        let got = o.get(9, 10).expect("origin");
        assert_eq!(
            got.peer,
            Some(Peer::Inet("192.168.10.1:58952".parse().expect("addr")))
        );
        assert_eq!(
            got.how,
            How::Accepted {
                call: "accept",
                listener: 8
            }
        );
        assert_eq!(got.ts, Some(200));
        let mut dup = accept_raw(12);
        dup.nr = 32;
        dup.args[0] = 10;
        o.apply(&sc("dup", &dup), &dup, None);
        assert!(o.get(9, 12).is_some());
        let mut close = accept_raw(0);
        close.args[0] = 10;
        o.apply(&sc("close", &close), &close, None);
        assert!(o.get(9, 10).is_none() && o.get(9, 12).is_some());
    }

    /// `accept(fd, NULL, NULL)`: no address to read the peer from; the accepted socket's
    /// description has it (t13 item 27: "accepted from an unnamed peer").
    #[test]
    fn an_accept_without_an_address_takes_the_peer_from_the_new_socket() {
        let mut o = Origins::default();
        let mut raw = accept_raw(10);
        raw.blobs.clear();
        let name = FdName::Socket(Socket {
            proto: Some("TCP".into()),
            ino: 1,
            ends: Ends::Inet {
                local: "127.0.0.1:6432".parse().expect("addr"),
                peer: Some("127.0.0.1:36888".parse().expect("addr")),
            },
        });
        o.apply(&sc("accept", &raw), &raw, Some(&name));
        let peer = o.get(9, 10).and_then(|got| got.peer.clone());
        assert_eq!(
            peer,
            Some(Peer::Inet("127.0.0.1:36888".parse().expect("addr")))
        );
        o.apply(&sc("accept", &raw), &raw, None);
        assert_eq!(o.get(9, 10).and_then(|got| got.peer.clone()), None);
    }

    #[test]
    fn inherited_sockets_take_the_peer_from_their_description() {
        let mut o = Origins::default();
        let tcp = |peer: Option<&str>| Socket {
            proto: Some("TCP".into()),
            ino: 1,
            ends: Ends::Inet {
                local: "127.0.0.1:6432".parse().expect("addr"),
                peer: peer.map(|p| p.parse().expect("addr")),
            },
        };
        o.inherited(3, 7, &tcp(Some("127.0.0.1:40000")));
        o.inherited(3, 8, &tcp(None));
        assert_eq!(
            o.get(3, 7)
                .and_then(|x| x.peer.as_ref())
                .map(Peer::to_string),
            Some("127.0.0.1:40000".into())
        );
        assert!(o.get(3, 8).is_none());
        assert_eq!(
            peer_of(b"\x01\x00/tmp/.s.PGSQL.5432\0").map(|p| p.to_string()),
            Some("unix:\"/tmp/.s.PGSQL.5432\"".into())
        );
        // Abstract: a leading NUL, then the name to the address's end (it may hold NULs).
        assert_eq!(
            peer_of(b"\x01\x00\x00plain\x00name").map(|p| p.to_string()),
            Some("unix:@\"plain\\0name\"".into())
        );
        assert_eq!(peer_of(b"\x01\x00\x00"), None);
    }
}
