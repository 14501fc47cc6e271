//! What an fd refers to (`fdtable::FdName`), as `-y` and `-yy` show it between the brackets:
//! a path (bytes from the traced side, so always escaped as strace escapes them) or a
//! description tracer composes itself (`TCP:[...]`, `UNIX-STREAM:[5,"/run/x"]`).

use std::{borrow::Cow, fmt::Write as _};

use crate::{
    fdtable::{Device, Ends, FdName, Socket, UnixName, origin::Peer},
    format::quote::{Style, bracketed_into, quote_into},
    tables::xlat::NETLINK_PROTOCOLS,
};

/// The marker /proc adds to a deleted file's path; strace prints it after the brackets.
const DELETED: &[u8] = b" (deleted)";

impl FdName {
    /// The description as plain text (JSON, filters): a path's bytes as UTF-8, lossily.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Path { path, device: None } => String::from_utf8_lossy(path),
            Self::Path {
                path,
                device: Some(dev),
            } => {
                let mut s = String::from_utf8_lossy(path).into_owned();
                device_into(dev, &mut s);
                Cow::Owned(s)
            }
            Self::Memfd(name) => Cow::Owned(format!(
                "/memfd:{}{}",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(DELETED)
            )),
            _ => {
                let mut s = String::new();
                self.bracketed_into(Style::Octal, &mut s);
                // Without the brackets, in place.
                s.pop();
                s.remove(0);
                Cow::Owned(s)
            }
        }
    }

    /// `f` of `text()`, a composed description (`pipe:[5]`, `TCP:[...]`) written into a
    /// buffer kept for the next: no allocation per record that names an fd (JSON's `fd.path`).
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        match self {
            Self::Path { .. } | Self::Memfd(_) => f(&self.text()),
            _ => SCRATCH.with(|cell| match cell.try_borrow_mut() {
                Ok(mut s) => {
                    s.clear();
                    self.bracketed_into(Style::Octal, &mut s);
                    f(&s[1..s.len() - 1])
                }
                // Called from inside `f` (never, today): a buffer of its own.
                Err(_) => f(&self.text()),
            }),
        }
    }

    /// `<...>` as strace prints it after the fd number, with a deleted file's `(deleted)`
    /// after the brackets.
    pub fn bracketed_into(&self, style: Style, out: &mut String) {
        out.push('<');
        let mut deleted = false;
        match self {
            Self::Path { path, device } => {
                let shown = match path.strip_suffix(DELETED) {
                    Some(p) => {
                        deleted = true;
                        p
                    }
                    None => &path[..],
                };
                bracketed_into(shown, style, out);
                if let Some(dev) = device {
                    device_into(dev, out);
                }
            }
            // strace prints /proc's link text, escaped like any path (`-xx` hexes it).
            Self::Pipe { ino } => inode_link_into(b"pipe", *ino, style, out),
            Self::Socket(Socket {
                proto: None, ino, ..
            }) => inode_link_into(b"socket", *ino, style, out),
            Self::Socket(s) => socket_into(s, style, out),
            Self::Anon(kind) => bracketed_into(format!("anon_inode:{kind}").as_bytes(), style, out),
            Self::Memfd(name) => {
                bracketed_into(&[&b"/memfd:"[..], name].concat(), style, out);
                deleted = true;
            }
            Self::Pidfd(pid) => {
                let _ = write!(out, "pid:{pid}");
            }
        }
        out.push('>');
        if deleted {
            out.push_str("(deleted)");
        }
    }
}

impl FdName {
    /// `<...>` for the current directory (`AT_FDCWD</tmp/d (deleted)>`): strace prints
    /// /proc's cwd link whole, a removed directory's ` (deleted)` inside the brackets.
    pub fn cwd_bracketed_into(&self, style: Style, out: &mut String) {
        match self {
            Self::Path { path, device: None } => {
                out.push('<');
                bracketed_into(path, style, out);
                out.push('>');
            }
            _ => self.bracketed_into(style, out),
        }
    }
}

/// /proc's link text of a pipe or socket (`pipe:[4242]`), escaped as a path; composed on
/// the stack (a pipe's fd is named in every record of a pooler's traffic).
fn inode_link_into(kind: &[u8], ino: u64, style: Style, out: &mut String) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(ino).as_bytes();
    let mut link = [0u8; 40];
    let n = kind.len() + digits.len() + 3;
    link[..kind.len()].copy_from_slice(kind);
    link[kind.len()..kind.len() + 2].copy_from_slice(b":[");
    link[kind.len() + 2..n - 1].copy_from_slice(digits);
    link[n - 1] = b']';
    bracketed_into(&link[..n], style, out);
}

/// `<char 1:3>`: what -yy adds to device paths.
fn device_into(dev: &Device, out: &mut String) {
    let kind = if dev.block { "block" } else { "char" };
    let _ = write!(out, "<{kind} {}:{}>", dev.major, dev.minor);
}

/// `TCP:[127.0.0.1:5432->10.0.0.2:41000]`, `UNIX-STREAM:[59552->59551,"/tmp/s"]`,
/// `NETLINK:[ROUTE:3812]`, `UDP:[4242]`.
/// A unix socket's name is quoted in `style`; the rest is tracer's own text, never escaped (as
/// strace prints it).
fn socket_into(s: &Socket, style: Style, out: &mut String) {
    out.push_str(s.proto.as_deref().unwrap_or("socket"));
    out.push_str(":[");
    match &s.ends {
        Ends::Unknown => {
            let _ = write!(out, "{}", s.ino);
        }
        Ends::Inet { local, peer } => {
            let _ = write!(out, "{local}");
            if let Some(peer) = peer {
                let _ = write!(out, "->{peer}");
            }
        }
        Ends::Unix { peer, name } => {
            let _ = write!(out, "{}", s.ino);
            if let Some(peer) = peer {
                let _ = write!(out, "->{peer}");
            }
            if let Some(name) = name {
                out.push(',');
                unix_name_into(name, style, out);
            }
        }
        Ends::Netlink { protocol, portid } => {
            match NETLINK_PROTOCOLS.name(*protocol) {
                Some(n) => out.push_str(n.trim_start_matches("NETLINK_")),
                None => {
                    let _ = write!(out, "{protocol}");
                }
            }
            let _ = write!(out, ":{portid}");
        }
    }
    out.push(']');
}

/// `"/run/x"` or `@"abstract"`, quoted as strace quotes it in `-yy` (as any string: `-x`,
/// `-xx`).
fn unix_name_into(name: &UnixName, style: Style, out: &mut String) {
    if name.abstract_ns {
        out.push('@');
    }
    quote_into(&name.bytes, false, style, out);
}

impl std::fmt::Display for Peer {
    /// `192.168.10.1:58952`, `[::1]:5432`, `unix:"/tmp/.s.PGSQL.5432"`, and for a unix
    /// socket open before tracing began its peer's inode and the name: `59551,"/tmp/s"`;
    /// `an unnamed peer`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        match self {
            Peer::Inet(addr) => return write!(f, "{addr}"),
            Peer::UnixPath(name) => {
                out.push_str("unix:");
                unix_name_into(name, Style::Octal, &mut out);
            }
            Peer::UnixSocket { ino, name } => {
                let _ = write!(out, "{ino}");
                if let Some(name) = name {
                    out.push(',');
                    unix_name_into(name, Style::Octal, &mut out);
                }
            }
            Peer::Unnamed => out.push_str("an unnamed peer"),
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(name: &FdName) -> String {
        let mut s = String::new();
        name.bracketed_into(Style::Octal, &mut s);
        s
    }

    fn unix(ino: u64, peer: Option<u64>, name: &[u8]) -> FdName {
        FdName::Socket(Socket {
            proto: Some("UNIX-STREAM".into()),
            ino,
            ends: Ends::Unix {
                peer,
                name: Some(UnixName {
                    abstract_ns: false,
                    bytes: name.to_vec(),
                }),
            },
        })
    }

    #[test]
    fn paths_are_escaped_and_composed_names_are_not() {
        assert_eq!(
            shown(&FdName::path(
                &b"/tmp/evil\n+++ FORGED LINE +++\n\x1b[31mred\xff"[..]
            )),
            r"</tmp/evil\n+++ FORGED LINE +++\n\33[31mred\377>"
        );
        assert_eq!(
            shown(&unix(5, None, b"/run/a\n")),
            r#"<UNIX-STREAM:[5,"/run/a\n"]>"#
        );
        assert_eq!(
            shown(&FdName::path(&b"/memfd:x (deleted)"[..])),
            "</memfd:x>(deleted)"
        );
        assert_eq!(shown(&FdName::Memfd(b"x".to_vec())), "</memfd:x>(deleted)");
        assert_eq!(FdName::Memfd(b"x".to_vec()).text(), "/memfd:x (deleted)");
        let dev = FdName::Path {
            path: b"/dev/null".to_vec(),
            device: Some(Device {
                block: false,
                major: 1,
                minor: 3,
            }),
        };
        assert_eq!(shown(&dev), "</dev/null<char 1:3>>");
        assert_eq!(dev.text(), "/dev/null<char 1:3>");
    }

    #[test]
    fn sockets_pipes_and_anon_inodes() {
        let tcp = |peer: Option<&str>| {
            FdName::Socket(Socket {
                proto: Some("TCP".into()),
                ino: 9,
                ends: Ends::Inet {
                    local: "127.0.0.1:5432".parse().expect("addr"),
                    peer: peer.map(|p| p.parse().expect("addr")),
                },
            })
        };
        assert_eq!(shown(&tcp(None)), "<TCP:[127.0.0.1:5432]>");
        assert_eq!(
            tcp(Some("[::1]:80")).text(),
            "TCP:[127.0.0.1:5432->[::1]:80]"
        );
        assert_eq!(shown(&FdName::Socket(Socket::bare("UDP", 4))), "<UDP:[4]>");
        assert_eq!(
            shown(&FdName::from_link(b"socket:[77]".to_vec())),
            "<socket:[77]>"
        );
        let netlink = FdName::Socket(Socket {
            proto: Some("NETLINK".into()),
            ino: 1,
            ends: Ends::Netlink {
                protocol: 0,
                portid: 3812,
            },
        });
        assert_eq!(netlink.text(), "NETLINK:[ROUTE:3812]");
        assert_eq!(shown(&FdName::Pipe { ino: 5 }), "<pipe:[5]>");
        assert_eq!(
            shown(&FdName::Pipe { ino: u64::MAX }),
            "<pipe:[18446744073709551615]>"
        );
        let bare = FdName::Socket(Socket {
            proto: None,
            ino: 4_026_532_000,
            ends: Ends::Unknown,
        });
        assert_eq!(shown(&bare), "<socket:[4026532000]>");
        // The kept buffer gives what `text` gives, whatever the kind.
        for name in [
            FdName::Pipe { ino: 5 },
            bare,
            netlink.clone(),
            FdName::Memfd(b"m".to_vec()),
            FdName::Anon("[eventfd]"),
        ] {
            assert_eq!(name.with_text(str::to_string), name.text());
        }
        assert_eq!(shown(&FdName::Anon("[eventfd]")), "<anon_inode:[eventfd]>");
        assert_eq!(shown(&FdName::Pidfd(1)), "<pid:1>");
        // `-xx` hexes what came from a path, not what tracer composed.
        let mut hexed = String::new();
        FdName::Anon("x").bracketed_into(Style::HexAll, &mut hexed);
        assert_eq!(hexed, r"<\x61\x6e\x6f\x6e\x5f\x69\x6e\x6f\x64\x65\x3a\x78>");
        assert_eq!(
            unix(4242, Some(77), b"/s").text(),
            r#"UNIX-STREAM:[4242->77,"/s"]"#
        );
        assert!(FdName::Socket(Socket::bare("TCP", 1)).inode_only());
        assert!(!tcp(None).inode_only());
    }

    /// What strace 6.1 prints with `-x`/`-xx -yy` (checked side by side): a pipe's name and a
    /// unix socket's bound name are strings like any other; addresses and inodes are not.
    #[test]
    fn hex_styles_reach_pipe_names_and_unix_socket_names() {
        let styled = |name: &FdName, style| {
            let mut s = String::new();
            name.bracketed_into(style, &mut s);
            s
        };
        let abs = FdName::Socket(Socket {
            proto: Some("UNIX-STREAM".into()),
            ino: 6,
            ends: Ends::Unix {
                peer: Some(5),
                name: Some(UnixName {
                    abstract_ns: true,
                    bytes: b"abs\n\x7f".to_vec(),
                }),
            },
        });
        assert_eq!(
            styled(&abs, Style::Octal),
            r#"<UNIX-STREAM:[6->5,@"abs\n\177"]>"#
        );
        assert_eq!(
            styled(&abs, Style::HexNonAscii),
            r#"<UNIX-STREAM:[6->5,@"\x61\x62\x73\x0a\x7f"]>"#
        );
        assert_eq!(
            styled(&FdName::Pipe { ino: 12 }, Style::HexAll),
            r"<\x70\x69\x70\x65\x3a\x5b\x31\x32\x5d>"
        );
        let tcp = FdName::Socket(Socket {
            proto: Some("TCP".into()),
            ino: 9,
            ends: Ends::Inet {
                local: "127.0.0.1:5432".parse().expect("addr"),
                peer: None,
            },
        });
        assert_eq!(styled(&tcp, Style::HexAll), "<TCP:[127.0.0.1:5432]>");
    }

    #[test]
    fn peers_read_as_annotations_show_them() {
        assert_eq!(
            Peer::Inet("192.168.10.1:58952".parse().expect("addr")).to_string(),
            "192.168.10.1:58952"
        );
        assert_eq!(
            Peer::UnixPath(UnixName {
                abstract_ns: false,
                bytes: b"/tmp/.s.PGSQL.5432".to_vec()
            })
            .to_string(),
            "unix:\"/tmp/.s.PGSQL.5432\""
        );
        let inherited = Peer::UnixSocket {
            ino: 59551,
            name: Some(UnixName {
                abstract_ns: true,
                bytes: b"t".to_vec(),
            }),
        };
        assert_eq!(inherited.to_string(), "59551,@\"t\"");
    }
}
