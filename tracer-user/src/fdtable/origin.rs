//! Where each socket fd came from, for the annotations (`--annotate`, `--match`): the accept
//! or connect that created it, with the peer address and when; for fds that existed before
//! tracing began, the peer the kernel reports for them.

use std::collections::HashMap;

use crate::{decode::Syscall, event::RawSyscall, fdtable::sockets};

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
    /// `192.168.10.1:58952`, `[::1]:5432`, `unix:"/tmp/.s.PGSQL.5432"`.
    pub peer: Option<String>,
    /// CLOCK_MONOTONIC ns of the call (None when inherited).
    pub ts: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Origins {
    /// Per process: fd → origin.
    procs: HashMap<u32, HashMap<i32, Origin>>,
}

/// The peer in a sockaddr: inet endpoints, unix paths.
fn peer_of(sockaddr: &[u8]) -> Option<String> {
    if let Some(inet) = sockets::endpoint_of_sockaddr(sockaddr) {
        return Some(inet);
    }
    let family = u16::from_le_bytes(sockaddr.get(0..2)?.try_into().ok()?);
    if family != 1 {
        return None;
    }
    let path = sockaddr.get(2..)?;
    let path = &path[..path.iter().position(|&b| b == 0).unwrap_or(path.len())];
    if path.is_empty() {
        return None;
    }
    let mut shown = String::from("unix:");
    crate::format::quote::quote_into(path, false, crate::format::quote::Style::Octal, &mut shown);
    Some(shown)
}

impl Origins {
    pub fn get(&self, tgid: u32, fd: i32) -> Option<&Origin> {
        self.procs.get(&tgid)?.get(&fd)
    }

    fn table(&mut self, tgid: u32) -> &mut HashMap<i32, Origin> {
        self.procs.entry(tgid).or_default()
    }

    /// A socket open before tracing began, whose peer (from its `-yy` style description,
    /// `TCP:[local->peer]`) is known.
    pub fn inherited(&mut self, tgid: u32, fd: i32, description: &str) {
        let peer = description
            .split_once("->")
            .map(|(_, p)| p.trim_end_matches(']').to_string());
        if peer.is_some() {
            self.table(tgid).insert(
                fd,
                Origin {
                    how: How::Inherited,
                    peer,
                    ts: None,
                },
            );
        }
    }

    /// Applies a finished call: accept and connect create origins, dup copies them, close
    /// drops them.
    pub fn apply(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let tgid = sc.tgid;
        let failed = crate::decode::is_error(raw.ret);
        let fd0 = raw.args[0] as i32;
        match sc.name.as_ref() {
            name @ ("accept" | "accept4") if !failed => {
                let peer = raw
                    .blob(1)
                    .filter(|b| !b.faulted)
                    .and_then(|b| peer_of(&b.data));
                let call = if name == "accept" {
                    "accept"
                } else {
                    "accept4"
                };
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
            "connect" if !failed || raw.ret == -115 => {
                let peer = raw
                    .blob(1)
                    .filter(|b| !b.faulted)
                    .and_then(|b| peer_of(&b.data));
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
            "close" if !failed => {
                self.table(tgid).remove(&fd0);
            }
            "dup" | "dup2" | "dup3" | "fcntl" if !failed && raw.ret >= 0 => {
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
            ts_enter: 100,
            ts_exit: 200,
            tgid: 9,
            tid: 9,
            nr: 43,
            ret,
            args: [8, 0, 0, 0, 0, 0],
            off_cpu: 0,
            blobs: vec![Blob {
                arg: 1,
                kind: tracer_common::CAP_SOCKADDR_PLEN,
                truncated: false,
                faulted: false,
                at_enter: false,
                data: sa,
            }],
        }
    }

    fn sc(name: &'static str, raw: &RawSyscall) -> Syscall {
        Syscall::new(raw.tid, name, vec![], crate::decode::Ret::Value(raw.ret))
    }

    #[test]
    fn accept_records_the_peer_until_close() {
        let mut o = Origins::default();
        let raw = accept_raw(10);
        o.apply(&sc("accept", &raw), &raw);
        let got = o.get(9, 10).expect("origin");
        assert_eq!(got.peer.as_deref(), Some("192.168.10.1:58952"));
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
        o.apply(&sc("dup", &dup), &dup);
        assert!(o.get(9, 12).is_some());
        let mut close = accept_raw(0);
        close.args[0] = 10;
        o.apply(&sc("close", &close), &close);
        assert!(o.get(9, 10).is_none() && o.get(9, 12).is_some());
    }

    #[test]
    fn inherited_sockets_take_the_peer_from_their_description() {
        let mut o = Origins::default();
        o.inherited(3, 7, "TCP:[127.0.0.1:6432->127.0.0.1:40000]");
        o.inherited(3, 8, "TCP:[0.0.0.0:6432]");
        assert_eq!(
            o.get(3, 7).and_then(|x| x.peer.clone()).as_deref(),
            Some("127.0.0.1:40000")
        );
        assert!(o.get(3, 8).is_none());
        assert_eq!(
            peer_of(b"\x01\x00/tmp/.s.PGSQL.5432\0"),
            Some("unix:\"/tmp/.s.PGSQL.5432\"".into())
        );
    }
}
