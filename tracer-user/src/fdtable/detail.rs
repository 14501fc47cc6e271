//! Which fds `-y`, `-yy` and `-e decode-fds=SET` describe, and how: strace 6.1's four classes
//! (util.c's `printfd_pid`). A socket is shown by its endpoints with `socket`, a character or
//! block special file by its path and device with `dev`, a pidfd by its process with `pidfd`;
//! otherwise, with `path`, every fd by its path (`socket:[N]`, `/dev/null`,
//! `anon_inode:[pidfd]`), and without it as the bare number.

use super::name::{Ends, FdName, Socket};

/// The decode-fds set: `-y` is `path`, `-yy` all four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Detail {
    pub path: bool,
    pub socket: bool,
    pub dev: bool,
    pub pidfd: bool,
}

impl Detail {
    /// `-y`, `--decode-fds`, `-e decode-fds=path`.
    pub const PATHS: Self = Self {
        path: true,
        socket: false,
        dev: false,
        pidfd: false,
    };
    /// `-yy`, `-e decode-fds=all`.
    pub const FULL: Self = Self {
        path: true,
        socket: true,
        dev: true,
        pidfd: true,
    };

    /// Whether the table must learn more than paths: socket endpoints (the kernel side's
    /// socket records), device numbers, the processes of pidfds.
    pub fn full(self) -> bool {
        self.socket || self.dev || self.pidfd
    }

    /// `SET` of `-e decode-fds=SET` as strace 6.1's qualify parses it: a comma-separated list
    /// of `path`, `socket`, `dev`, `pidfd` (empty items skipped), or `all` or `none` alone,
    /// each after an optional `!` that inverts the set. None: no fd is described. Errors
    /// carry strace's message (`invalid decode-fds 'all'`).
    pub fn parse(set: &str) -> Result<Option<Self>, String> {
        let (invert, list) = match set.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, set),
        };
        let mut detail = match list {
            "all" => Self::FULL,
            "none" => Self::default(),
            _ => {
                let mut detail = Self::default();
                let mut any = false;
                for item in list.split(',').filter(|i| !i.is_empty()) {
                    *detail
                        .class(item)
                        .ok_or(format!("invalid decode-fds '{item}'"))? = true;
                    any = true;
                }
                if !any {
                    return Err(format!("invalid decode-fds '{list}'"));
                }
                detail
            }
        };
        if invert {
            detail = Self {
                path: !detail.path,
                socket: !detail.socket,
                dev: !detail.dev,
                pidfd: !detail.pidfd,
            };
        }
        Ok((detail != Self::default()).then_some(detail))
    }

    fn class(&mut self, name: &str) -> Option<&mut bool> {
        match name {
            "path" => Some(&mut self.path),
            "socket" => Some(&mut self.socket),
            "dev" => Some(&mut self.dev),
            "pidfd" => Some(&mut self.pidfd),
            _ => None,
        }
    }

    /// What of `name` this set shows: the whole of it, its path alone, or nothing (the fd
    /// prints as its number).
    pub fn shown(self, name: FdName) -> Option<FdName> {
        match name {
            FdName::Socket(s) if self.socket && s.proto.is_some() => Some(FdName::Socket(s)),
            // A socket whose protocol strace cannot decode (AF_PACKET) is its /proc link
            // text with `socket` alone too (util.c's printsocket).
            FdName::Socket(s) if self.socket => Some(FdName::Socket(Socket {
                proto: None,
                ino: s.ino,
                ends: Ends::Unknown,
            })),
            // /proc's link text, as `-y` shows an unknown socket.
            FdName::Socket(s) => self.path.then_some(FdName::Socket(Socket {
                proto: None,
                ino: s.ino,
                ends: Ends::Unknown,
            })),
            FdName::Path {
                path,
                device: Some(device),
            } if self.dev => Some(FdName::Path {
                path,
                device: Some(device),
            }),
            FdName::Path { path, .. } => self.path.then_some(FdName::Path { path, device: None }),
            FdName::Pidfd(pid) if self.pidfd => Some(FdName::Pidfd(pid)),
            FdName::Pidfd(_) => self.path.then_some(FdName::Anon("[pidfd]")),
            other => self.path.then_some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fdtable::name::Device;

    fn set(text: &str) -> Detail {
        Detail::parse(text).expect("valid").expect("not empty")
    }

    #[test]
    fn sets_parse_as_strace_qualifies_them() {
        assert_eq!(set("path"), Detail::PATHS);
        assert_eq!(set("all"), Detail::FULL);
        assert_eq!(set("!none"), Detail::FULL);
        assert_eq!(Detail::parse("none"), Ok(None));
        assert_eq!(Detail::parse("!all"), Ok(None));
        assert_eq!(
            set("path,,socket"),
            Detail {
                socket: true,
                ..Detail::PATHS
            }
        );
        assert_eq!(
            set("!socket"),
            Detail {
                socket: false,
                ..Detail::FULL
            }
        );
        for (bad, item) in [
            ("all,path", "all"),
            ("path,none", "none"),
            ("", ""),
            ("bogus", "bogus"),
            ("path,bogus", "bogus"),
        ] {
            let want = format!("invalid decode-fds '{item}'");
            assert_eq!(Detail::parse(bad), Err(want), "{bad}");
        }
    }

    #[test]
    fn each_class_shows_only_its_kind_of_fd() {
        let tcp = FdName::Socket(Socket::bare("TCP", 7));
        let null = FdName::Path {
            path: b"/dev/null".to_vec(),
            device: Some(Device {
                block: false,
                major: 1,
                minor: 3,
            }),
        };
        let file = FdName::path(b"/etc/hostname".to_vec());
        let pidfd = FdName::Pidfd(42);
        let socket_only = set("socket");
        assert_eq!(socket_only.shown(tcp.clone()), Some(tcp.clone()));
        assert_eq!(socket_only.shown(null.clone()), None);
        assert_eq!(socket_only.shown(file.clone()), None);
        assert_eq!(socket_only.shown(pidfd.clone()), None);
        let dev_only = set("dev");
        assert_eq!(dev_only.shown(null.clone()), Some(null.clone()));
        assert_eq!(dev_only.shown(tcp.clone()), None);
        let path_pidfd = set("path,pidfd");
        assert_eq!(path_pidfd.shown(pidfd.clone()), Some(pidfd.clone()));
        assert_eq!(
            path_pidfd.shown(null),
            Some(FdName::path(b"/dev/null".to_vec()))
        );
        assert_eq!(
            path_pidfd.shown(tcp),
            Some(FdName::Socket(Socket {
                proto: None,
                ino: 7,
                ends: Ends::Unknown
            }))
        );
        assert_eq!(
            set("path,socket").shown(pidfd),
            Some(FdName::Anon("[pidfd]"))
        );
        assert_eq!(Detail::FULL.shown(file.clone()), Some(file));
    }
}
