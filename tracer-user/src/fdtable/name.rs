//! What a file descriptor refers to, as tracer knows it: the model `-y`/`-yy` and JSON render
//! (`format::fdname`). Built from the trace, the kernel side's socket records and /proc; never
//! from rendered text.

use std::net::SocketAddr;

/// One fd's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FdName {
    /// A file by its path: what the call opened, or /proc's link (which also names what has no
    /// path: `pipe:[5]`, `anon_inode:[eventfd]`). Raw bytes from the traced side.
    Path {
        path: Vec<u8>,
        /// `-yy`: the device a character or block special file stands for.
        device: Option<Device>,
    },
    /// One end of a pipe the trace showed created (pipe, pipe2), by the pipe's inode.
    Pipe { ino: u64 },
    /// A socket.
    Socket(Socket),
    /// An anonymous inode the call created, by the kind /proc would name (`[eventfd]`,
    /// `inotify`).
    Anon(&'static str),
    /// memfd_create's file, by the name the call gave it.
    Memfd(Vec<u8>),
    /// `-yy`: a pidfd pidfd_open returned, by the process it refers to (`pid:1`, as strace
    /// shows it from the fd's `Pid:` in /proc).
    Pidfd(i64),
}

/// A device number of a special file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    /// A block device (else a character device).
    pub block: bool,
    pub major: u64,
    pub minor: u64,
}

/// A socket: its protocol, inode and endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// The kernel's protocol name (`TCP`, `UDPv6`, `UNIX-STREAM`, `NETLINK`); None when not
    /// known (`-y` shows `socket:[inode]`).
    pub proto: Option<String>,
    pub ino: u64,
    pub ends: Ends,
}

/// What is known of a socket's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ends {
    /// Unbound, or not known: only the inode is shown.
    Unknown,
    /// A bound inet socket, and its peer when connected.
    Inet {
        local: SocketAddr,
        peer: Option<SocketAddr>,
    },
    /// A unix socket: its peer's inode (when connected and accepted) and the name it is bound
    /// to (a listener's, or the one its peer's was bound to for an accepted socket).
    Unix {
        peer: Option<u64>,
        name: Option<UnixName>,
    },
    /// A netlink socket: the netlink protocol (`NETLINK_ROUTE` = 0) and port id.
    Netlink { protocol: u64, portid: u32 },
}

/// A unix socket's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnixName {
    /// In the abstract namespace (`@"name"`; the leading NUL is not in `bytes`).
    pub abstract_ns: bool,
    /// Up to the first NUL.
    pub bytes: Vec<u8>,
}

impl FdName {
    /// A path without a device.
    pub fn path(path: impl Into<Vec<u8>>) -> Self {
        Self::Path {
            path: path.into(),
            device: None,
        }
    }

    /// What /proc's link says: a socket's `socket:[inode]`, else a path.
    pub fn from_link(link: Vec<u8>) -> Self {
        let inode = std::str::from_utf8(&link)
            .ok()
            .and_then(|s| s.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok());
        match inode {
            Some(ino) => Self::Socket(Socket {
                proto: None,
                ino,
                ends: Ends::Unknown,
            }),
            None => Self::path(link),
        }
    }

    /// The path's bytes, for a path.
    pub fn as_path(&self) -> Option<&[u8]> {
        match self {
            Self::Path { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The socket, for a socket.
    pub fn as_socket(&self) -> Option<&Socket> {
        match self {
            Self::Socket(s) => Some(s),
            _ => None,
        }
    }

    /// Shown by its inode alone (`TCP:[4242]`, `pipe:[5]`): for a socket, not bound yet.
    pub fn inode_only(&self) -> bool {
        match self {
            Self::Pipe { .. } => true,
            Self::Socket(s) => matches!(
                s.ends,
                Ends::Unknown
                    | Ends::Unix {
                        peer: None,
                        name: None
                    }
            ),
            _ => false,
        }
    }
}

impl Socket {
    /// A socket whose protocol is known but not its endpoints.
    pub fn bare(proto: impl Into<String>, ino: u64) -> Self {
        Self {
            proto: Some(proto.into()),
            ino,
            ends: Ends::Unknown,
        }
    }
}

/// What an fd refers to, for `-y` (and the process names of `-Y`): what the formatters ask.
pub trait FdNames {
    /// An fd in the arguments.
    fn describe(&self, tgid: u32, fd: i32) -> Option<FdName>;
    /// The fd a syscall returned (it may differ from what the same number meant before).
    fn describe_ret(&self, tgid: u32, fd: i32) -> Option<FdName> {
        self.describe(tgid, fd)
    }
    /// The name of process `pid`, for `-Y` (`1234<postgres>`).
    fn comm(&self, _pid: i64) -> Option<Vec<u8>> {
        None
    }
    /// Pid `pid` as task `tid` (in a child pid namespace) sees it, in tracer's namespace.
    fn own_pid(&self, _tid: u32, _pid: i64) -> Option<u32> {
        None
    }
}
