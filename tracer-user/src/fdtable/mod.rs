//! What each file descriptor refers to, for `-y` and `-yy`: `3</etc/passwd>`,
//! `5<TCP:[127.0.0.1:5432->127.0.0.1:41234]>`.
//!
//! Kept up to date from the trace itself (open, socket, accept, dup, close, exec, fork) and
//! filled from /proc for fds opened before tracing began. A description is taken when the fd
//! is created (or first seen), while it still exists, and reused until it is closed.

mod detail;
mod handed;
mod name;
pub mod origin;
mod peers;
pub(crate) mod sockets;

pub use detail::Detail;
pub use name::{Device, Ends, FdName, FdNames, Socket, UnixName};

use std::{
    ffi::OsStr,
    fs,
    os::unix::{
        ffi::{OsStrExt, OsStringExt},
        fs::{FileTypeExt, MetadataExt},
    },
    path::{Path, PathBuf},
};

use foldhash::HashMap;

use crate::{
    decode::{Arg, Ret, Syscall},
    event::RawSyscall,
    tables::{FdEffect, flags::AT_FDCWD},
};

#[derive(Debug)]
pub struct FdTable {
    detail: Detail,
    /// Per process (tgid): fd → description.
    procs: HashMap<u32, HashMap<i32, FdName>>,
    /// The description the current syscall's returned fd gets.
    ret_name: Option<FdName>,
    /// Where socket fds came from, when annotations want it.
    origins: Option<origin::Origins>,
    /// Unix clients whose peer is not accepted yet.
    waiting: peers::Waiting,
}

impl FdTable {
    pub fn new(detail: Detail) -> Self {
        Self {
            detail,
            procs: HashMap::default(),
            ret_name: None,
            origins: None,
            waiting: peers::Waiting::default(),
        }
    }

    /// Events were lost, and a close and a new open of the same number may be among them: what
    /// the trace taught the table may be out of date, so it is all dropped (names, origins,
    /// waiting peers) and an fd shows as a bare number until a call creates it again. Not read
    /// again from /proc: the reader runs behind the traced process, so /proc tells what the
    /// number is now, which may already be another file.
    pub fn lost(&mut self) {
        self.procs.clear();
        self.waiting = peers::Waiting::default();
        if let Some(o) = self.origins.as_mut() {
            *o = origin::Origins::default();
        }
    }

    /// Also keeps where each socket fd came from (see `origin`).
    pub fn track_origins(&mut self) {
        self.origins.get_or_insert_with(Default::default);
    }

    /// Where `tgid`'s fd `fd` came from, if it is a connection we know of.
    pub fn origin(&self, tgid: u32, fd: i32) -> Option<&origin::Origin> {
        self.origins.as_ref()?.get(tgid, fd)
    }

    /// Before formatting `sc`: makes sure every fd it mentions has a description, and works out
    /// the description of the fd it returns.
    pub fn prepare(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let mut fds = Vec::new();
        for arg in &sc.args {
            collect_fds(arg, &mut fds);
        }
        if let Some(extra) = &sc.ret_extra {
            collect_fds(extra, &mut fds);
        }
        self.array_fds_created(sc, raw);
        self.handed_over(sc, raw);
        for fd in fds {
            self.ensure(sc.tgid, fd);
            if let Some(name) = self.waiting.poll(sc.tgid, fd) {
                self.table(sc.tgid).insert(fd, FdName::Socket(name));
            }
        }
        self.ret_name = match sc.ret {
            Ret::Fd(fd) if fd >= 0 => self.created(sc, raw, fd),
            _ => None,
        };
    }

    /// After formatting `sc`: applies what it did to the table.
    pub fn commit(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let tgid = sc.tgid;
        if let (Ret::Fd(fd), Some(name)) = (sc.ret, self.ret_name.take()) {
            self.table(tgid).insert(fd, name);
        }
        if let Some(o) = self.origins.as_mut() {
            o.apply(sc, raw);
        }
        // Read in the kernel as the call ended: applies even to a failed connect.
        let read_in_kernel = self.apply_sock_infos(sc, raw);
        if crate::decode::is_error(raw.ret) {
            return;
        }
        match effect(sc) {
            FdEffect::Close => {
                self.table(tgid).remove(&(raw.args[0] as i32));
                self.waiting.forget(tgid, Some(raw.args[0] as i32));
            }
            FdEffect::CloseRange => {
                let (first, last) = (raw.args[0] as u32, raw.args[1] as u32);
                let cloexec = raw.args[2] & 4 != 0;
                if !cloexec {
                    self.table(tgid)
                        .retain(|fd, _| (*fd as u32) < first || (*fd as u32) > last);
                }
            }
            FdEffect::Chdir => {
                let cwd = match sc.args.first() {
                    Some(Arg::Str { bytes, .. }) => {
                        self.opened_path(tgid, raw.tid, AT_FDCWD, bytes)
                    }
                    _ => None,
                };
                self.set_cwd(tgid, cwd);
            }
            FdEffect::Fchdir => {
                let cwd = self.known(tgid, raw.args[0] as i32);
                self.set_cwd(tgid, cwd);
            }
            FdEffect::Chroot => {
                self.table(tgid).remove(&AT_FDCWD);
            }
            _ if read_in_kernel => {}
            FdEffect::Bind | FdEffect::Connect => self.refresh(tgid, raw.args[0] as i32),
            // Sending on an unbound socket binds it.
            FdEffect::Send => {
                let fd = raw.args[0] as i32;
                let unbound = self.known(tgid, fd).is_some_and(|d| d.inode_only());
                if unbound {
                    self.refresh(tgid, fd);
                }
            }

            _ => {}
        }
    }

    /// `-yy`: the sockets the kernel side read as the call ended (`CAP_SOCK`). A socket whose
    /// endpoints the call changed (argument 0) is described afresh; an accepted unix socket
    /// completes its client's description. Returns whether argument 0's socket was read.
    fn apply_sock_infos(&mut self, sc: &Syscall, raw: &RawSyscall) -> bool {
        if !self.detail.full() {
            return false;
        }
        let mut changed = false;
        for (arg, info) in sock_infos(raw) {
            if arg != 0 {
                if info.family == libc::AF_UNIX as u16
                    && info.peer_ino != 0
                    && let Some((tgid, fd, name)) = self.waiting.accepted(&info)
                {
                    self.table(tgid).insert(fd, FdName::Socket(name));
                }
                continue;
            }
            let Some(socket) = sockets::describe_info(&info) else {
                continue;
            };
            changed = true;
            self.table(sc.tgid).insert(info.fd, FdName::Socket(socket));
            if effect(sc) == FdEffect::Connect
                && info.peer_ino == 0
                && info.proto_name() == b"UNIX-STREAM"
            {
                self.waiting.connected(sc.tgid, info);
            }
        }
        changed
    }

    fn set_cwd(&mut self, tgid: u32, cwd: Option<FdName>) {
        match cwd {
            Some(c) => self.table(tgid).insert(AT_FDCWD, c),
            None => self.table(tgid).remove(&AT_FDCWD),
        };
    }

    /// Records what `tgid`'s descriptors and current directory are now. Called when tracing of
    /// a process starts, while its fds are still the ones it will use first (a launched command
    /// is still held before its exec: `before_exec`, and the fds its exec closes, tracer's own
    /// close-on-exec ones, are left out).
    pub fn snapshot(&mut self, tgid: u32, before_exec: bool) {
        let mut fds = vec![AT_FDCWD];
        if let Ok(dir) = fs::read_dir(format!("/proc/{tgid}/fd")) {
            fds.extend(
                dir.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
                    .filter(|&fd| !(before_exec && is_cloexec(tgid, fd))),
            );
        }
        for fd in fds {
            if let Some(name) = self.resolve(tgid, fd) {
                self.inherited_origin(tgid, fd, &name);
                self.table(tgid).insert(fd, name);
            }
        }
    }

    /// A socket open when tracing began: its peer, from the kernel's tables.
    fn inherited_origin(&mut self, tgid: u32, fd: i32, name: &FdName) {
        let Some(origins) = self.origins.as_mut() else {
            return;
        };
        let full = match name.as_socket() {
            Some(s) if s.proto.is_none() => sockets::describe(tgid, s.ino),
            Some(s) => Some(s.clone()),
            None => None,
        };
        if let Some(full) = full {
            origins.inherited(tgid, fd, &full);
        }
    }

    /// A new process inherits its parent's descriptors.
    pub fn fork(&mut self, parent: u32, child: u32) {
        if parent == child {
            return;
        }
        if let Some(t) = self.procs.get(&parent).cloned() {
            self.procs.insert(child, t);
        }
        if let Some(o) = self.origins.as_mut() {
            o.fork(parent, child);
        }
    }

    /// How many fds are known, over all processes.
    pub fn fds(&self) -> usize {
        self.procs.values().map(HashMap::len).sum()
    }

    pub fn exit(&mut self, tgid: u32) {
        self.procs.remove(&tgid);
        self.waiting.forget(tgid, None);
        if let Some(o) = self.origins.as_mut() {
            o.exit(tgid);
        }
    }

    fn table(&mut self, tgid: u32) -> &mut HashMap<i32, FdName> {
        self.procs.entry(tgid).or_default()
    }

    /// Only the current directory is looked up lazily: any other fd is in the table from the
    /// snapshot taken when tracing began, from its creation, or from the parent; asking /proc
    /// later could describe whatever the number means by then.
    fn ensure(&mut self, tgid: u32, fd: i32) {
        if fd != AT_FDCWD || self.procs.get(&tgid).is_some_and(|t| t.contains_key(&fd)) {
            return;
        }
        if let Some(name) = self.resolve(tgid, fd) {
            self.table(tgid).insert(fd, name);
        }
    }

    /// An accepted inet connection described from the call: the listening socket's address
    /// (when it is bound to one) and the peer address accept returned.
    fn accepted_name(&self, sc: &Syscall, raw: &RawSyscall, ino: u64) -> Option<FdName> {
        if effect(sc) != FdEffect::Accept {
            return None;
        }
        let Some(Arg::Fd(listener)) = sc.args.first() else {
            return None;
        };
        let FdName::Socket(Socket {
            proto: Some(proto),
            ends: Ends::Inet { local, .. },
            ..
        }) = self.known(sc.tgid, *listener)?
        else {
            return None;
        };
        if local.ip().is_unspecified() {
            return None;
        }
        let peer = raw.blob(1).filter(|b| !b.faulted)?;
        let remote = sockets::endpoint_of_sockaddr(&peer.data)?;
        Some(FdName::Socket(Socket {
            proto: Some(proto),
            ino,
            ends: Ends::Inet {
                local,
                peer: Some(remote),
            },
        }))
    }

    /// pipe, pipe2 and socketpair return their two new fds in an array; the kernel side read
    /// their inodes.
    fn array_fds_created(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let proto = match effect(sc) {
            FdEffect::Pipe => None,
            // As composed text, unlike /proc's `socket:[N]`, `-xx` leaves it unescaped.
            FdEffect::SocketPair if !self.detail.full() => Some("socket".to_string()),
            FdEffect::SocketPair => {
                Some(sockets::protocol_of_call(sc).unwrap_or_else(|| "UNIX".into()))
            }
            _ => return,
        };
        let fds = new_fd_inodes(raw);
        if crate::decode::is_error(raw.ret) || fds.len() != 2 {
            return;
        }
        let pair = self.detail.full();
        for (k, &(fd, ino)) in fds.iter().enumerate() {
            let name = match &proto {
                None => FdName::Pipe { ino },
                Some(proto) => FdName::Socket(Socket {
                    proto: Some(proto.clone()),
                    ino,
                    ends: if pair {
                        Ends::Unix {
                            peer: Some(fds[1 - k].1),
                            name: None,
                        }
                    } else {
                        Ends::Unknown
                    },
                }),
            };
            self.table(sc.tgid).insert(fd, name);
        }
    }

    /// Fds the call handed over besides a returned one (`handed`): asked of /proc as strace
    /// asks it. The numbers were free before the call, so what the table held for them is
    /// stale either way: an fd /proc no longer shows (closed before the record was read, with
    /// eBPF) is left bare rather than named after the file it was before.
    /// With eBPF /proc is read after the process ran on: the fd is named only when /proc
    /// still shows the inode the call handed over (read from the kernel's fd table at the
    /// call's exit, or by ptrace with the process stopped), else left bare: a name is never
    /// the file that took the number later.
    fn handed_over(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let inodes = new_fd_inodes(raw);
        for fd in handed::fds(sc, raw) {
            let ino = inodes.iter().find(|(f, _)| *f == fd).map(|&(_, ino)| ino);
            match ino.and_then(|ino| self.resolve_same(sc.tgid, fd, ino)) {
                Some(name) => self.table(sc.tgid).insert(fd, name),
                None => self.table(sc.tgid).remove(&fd),
            };
        }
    }

    /// A socket's endpoints changed (bind, connect, listen): describe it afresh.
    fn refresh(&mut self, tgid: u32, fd: i32) {
        if let Some(name) = self.resolve(tgid, fd) {
            self.table(tgid).insert(fd, name);
        }
    }

    /// The description of a new fd `fd` returned by `sc`. For opens it comes from the path in
    /// the call itself: by the time we see the event the process may have closed the fd and
    /// reused its number, so asking /proc could name the wrong file.
    fn created(&mut self, sc: &Syscall, raw: &RawSyscall, fd: i32) -> Option<FdName> {
        let effect = effect(sc);
        if effect == FdEffect::Dup
            && let Some(Arg::Fd(old)) = sc.args.first()
        {
            self.ensure(sc.tgid, *old);
            return self.procs.get(&sc.tgid).and_then(|t| t.get(old).cloned());
        }
        // The path, after the directory fd if the call takes one (openat).
        let opened = match (effect, sc.args.as_slice()) {
            (FdEffect::Open, [Arg::Str { bytes, .. }, ..]) => Some((AT_FDCWD, bytes)),
            (FdEffect::Open, [Arg::Fd(dir), Arg::Str { bytes, .. }, ..]) => Some((*dir, bytes)),
            _ => None,
        };
        if let Some((dir, path)) = opened {
            return self.opened_path(sc.tgid, sc.tid, dir, path);
        }
        let ino = new_fd_inodes(raw).first().map(|(_, ino)| *ino);
        if let (FdEffect::Socket | FdEffect::Accept, Some(ino)) = (effect, ino) {
            return Some(self.socket_name(sc, raw, fd, ino));
        }
        // Known from the call itself: no need to ask /proc, which may already see another file
        // under the same number.
        if let FdEffect::Anon(anon) = effect {
            if let (true, "[pidfd]", Some(Arg::Pid(pid))) =
                (self.detail.full(), anon, sc.args.first())
            {
                return Some(FdName::Pidfd(*pid));
            }
            return Some(FdName::Anon(anon));
        }
        if effect == FdEffect::Memfd
            && let Some(Arg::Str { bytes, .. }) = sc.args.first()
        {
            return Some(FdName::Memfd(bytes.clone()));
        }
        if effect == FdEffect::MqOpen
            && let Some(Arg::Str { bytes, .. }) = sc.args.first()
        {
            let path = [b"/".as_slice(), bytes].concat();
            return Some(FdName::Path { path, device: None });
        }
        // From /proc, only while it shows what the call returned (pidfd_getfd's fd).
        match ino {
            Some(ino) => self.resolve_same(sc.tgid, fd, ino),
            None => self.resolve(sc.tgid, fd),
        }
    }

    /// `resolve`, when /proc shows inode `ino` under the number before and after: the open
    /// file a call handed over, not one that took its number since.
    fn resolve_same(&self, tgid: u32, fd: i32, ino: u64) -> Option<FdName> {
        let shown = || {
            fs::metadata(format!("/proc/{tgid}/fd/{fd}"))
                .ok()
                .map(|m| m.ino())
        };
        (shown()? == ino).then_some(())?;
        let name = self.resolve(tgid, fd)?;
        (shown()? == ino).then_some(name)
    }

    /// A new socket's description: from /proc while it exists, else from what the call says
    /// (its protocol) and the inode the kernel side read.
    fn socket_name(&self, sc: &Syscall, raw: &RawSyscall, fd: i32, ino: u64) -> FdName {
        let unknown = FdName::Socket(Socket {
            proto: None,
            ino,
            ends: Ends::Unknown,
        });
        if !self.detail.full() {
            return unknown;
        }
        if let Some(socket) = sock_infos(raw)
            .find(|(arg, info)| *arg != 0 && info.fd == fd)
            .and_then(|(_, info)| sockets::describe_info(&info))
        {
            return FdName::Socket(socket);
        }
        // A socket fresh from socket(2) is unbound: its inode is all there is to show (asking
        // /proc now could see it already bound or connected).
        if effect(sc) == FdEffect::Socket
            && let Some(p) = sockets::protocol_of_call(sc)
        {
            return FdName::Socket(Socket::bare(p, ino));
        }
        if let Some(full) = self
            .resolve(sc.tgid, fd)
            .filter(|d| d.as_socket().is_some_and(|s| s.proto.is_some()))
        {
            return full;
        }
        if let Some(accepted) = self.accepted_name(sc, raw, ino) {
            return accepted;
        }
        let proto = match effect(sc) {
            FdEffect::Socket => sockets::protocol_of_call(sc),
            // An accepted socket has the listening socket's protocol.
            _ => match sc.args.first() {
                Some(Arg::Fd(listener)) => self
                    .known(sc.tgid, *listener)
                    .and_then(|d| d.as_socket()?.proto.clone()),
                _ => None,
            },
        };
        match proto {
            Some(p) => FdName::Socket(Socket::bare(p, ino)),
            None => unknown,
        }
    }

    /// The canonical path a process opened: `path` relative to `dir` (an fd or AT_FDCWD),
    /// with symlinks resolved as the kernel reports them. `/proc/self` is the tracee's, not
    /// ours.
    fn opened_path(&mut self, tgid: u32, tid: u32, dir: i32, path: &[u8]) -> Option<FdName> {
        let own = proc_self(path, tgid, tid);
        let path = Path::new(OsStr::from_bytes(own.as_deref().unwrap_or(path)));
        let full: PathBuf = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.ensure(tgid, dir);
            let base = self.procs.get(&tgid).and_then(|t| t.get(&dir))?;
            Path::new(OsStr::from_bytes(base.as_path()?)).join(path)
        };
        let real = match fs::canonicalize(&full) {
            Ok(real) => real,
            // A link to no path (`/proc/self/ns/net` is `net:[4026531833]`): the fd is named by
            // that text, as /proc names it.
            Err(_) => match fs::read_link(&full) {
                Ok(to) if to.is_relative() && to.as_os_str().as_bytes().ends_with(b"]") => {
                    return Some(FdName::from_link(to.into_os_string().into_vec()));
                }
                // A namespace of a process gone by now: its name cannot be known.
                _ if full.starts_with("/proc")
                    && full.parent().is_some_and(|d| d.ends_with("ns")) =>
                {
                    return None;
                }
                _ => full,
            },
        };
        let device = match self.detail.full() {
            true => fs::metadata(&real).ok().as_ref().and_then(device_of),
            false => None,
        };
        Some(FdName::Path {
            path: real.into_os_string().into_vec(),
            device,
        })
    }

    /// Asks /proc what `fd` of `tgid` is now (`AT_FDCWD`: its current directory).
    fn resolve(&self, tgid: u32, fd: i32) -> Option<FdName> {
        let link = if fd == AT_FDCWD {
            format!("/proc/{tgid}/cwd")
        } else {
            format!("/proc/{tgid}/fd/{fd}")
        };
        let name = FdName::from_link(fs::read_link(&link).ok()?.into_os_string().into_vec());
        if !self.detail.full() {
            return Some(name);
        }
        if let Some(s) = name.as_socket() {
            return Some(sockets::describe(tgid, s.ino).map_or(name, FdName::Socket));
        }
        match (fs::metadata(&link).ok().as_ref().and_then(device_of), name) {
            (Some(device), FdName::Path { path, .. }) => Some(FdName::Path {
                path,
                device: Some(device),
            }),
            (_, name) => Some(name),
        }
    }
}

impl FdTable {
    /// All the table knows of `tgid`'s `fd`, whatever the decode-fds set shows (`-P` matches
    /// paths with `-e decode-fds=socket` too).
    pub fn known(&self, tgid: u32, fd: i32) -> Option<FdName> {
        self.procs.get(&tgid).and_then(|t| t.get(&fd).cloned())
    }
}

/// What the decode-fds set shows of each fd.
impl FdNames for FdTable {
    fn describe(&self, tgid: u32, fd: i32) -> Option<FdName> {
        self.detail.shown(self.known(tgid, fd)?)
    }

    fn describe_ret(&self, _tgid: u32, _fd: i32) -> Option<FdName> {
        self.detail.shown(self.ret_name.clone()?)
    }
}

/// Whether `tgid`'s `fd` is close-on-exec (`flags:` of /proc/PID/fdinfo/FD, in octal).
fn is_cloexec(tgid: u32, fd: i32) -> bool {
    fs::read_to_string(format!("/proc/{tgid}/fdinfo/{fd}"))
        .ok()
        .and_then(|info| {
            let flags = info.lines().find_map(|l| l.strip_prefix("flags:"))?;
            u32::from_str_radix(flags.trim(), 8).ok()
        })
        .is_some_and(|flags| flags & libc::O_CLOEXEC as u32 != 0)
}

/// The (fd, inode) pairs the kernel side read for a call's new fds.
fn new_fd_inodes(raw: &RawSyscall) -> Vec<(i32, u64)> {
    raw.blobs
        .iter()
        .filter(|b| b.kind == tracer_common::CAP_FD_INODE && !b.faulted)
        .flat_map(|b| tracer_common::wire::fd_inodes(&b.data))
        .filter(|e| e.ino != 0)
        .map(|e| (e.fd, e.ino))
        .collect()
}

/// The sockets the kernel side read (`CAP_SOCK`), with the argument slot each came in (0:
/// the call's fd argument; otherwise its returned fd).
fn sock_infos(raw: &RawSyscall) -> impl Iterator<Item = (u8, tracer_common::SockInfo)> + '_ {
    raw.blobs
        .iter()
        .filter(|b| b.kind == tracer_common::CAP_SOCK && !b.faulted)
        .filter_map(|b| Some((b.arg, tracer_common::SockInfo::from_bytes(&b.data)?)))
}

/// `/proc/self/...` and `/proc/thread-self/...` as the tracee sees them.
fn proc_self(path: &[u8], tgid: u32, tid: u32) -> Option<Vec<u8>> {
    for (prefix, real) in [
        (&b"/proc/self"[..], format!("/proc/{tgid}")),
        (
            &b"/proc/thread-self"[..],
            format!("/proc/{tgid}/task/{tid}"),
        ),
    ] {
        if let Some(rest) = path.strip_prefix(prefix)
            && (rest.is_empty() || rest[0] == b'/')
        {
            let mut out = real.into_bytes();
            out.extend_from_slice(rest);
            return Some(out);
        }
    }
    None
}

/// The device a special file stands for (-yy's `<char 1:3>`).
fn device_of(meta: &fs::Metadata) -> Option<Device> {
    let block = if meta.file_type().is_char_device() {
        false
    } else if meta.file_type().is_block_device() {
        true
    } else {
        return None;
    };
    let rdev = meta.rdev();
    let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & !0xfff);
    let minor = (rdev & 0xff) | ((rdev >> 12) & !0xff);
    Some(Device {
        block,
        major,
        minor,
    })
}

/// What `sc` does to the descriptors (nothing for a number the table lacks).
fn effect(sc: &Syscall) -> FdEffect {
    sc.def.map_or(FdEffect::None, |d| d.fd)
}

/// Every fd mentioned in a value.
pub fn collect_fds(arg: &Arg, out: &mut Vec<i32>) {
    match arg {
        Arg::Fd(fd) => out.push(*fd),
        Arg::Struct { fields, .. } => fields.iter().for_each(|(_, a)| collect_fds(a, out)),
        Arg::Array { items, .. } | Arg::Set { items, .. } | Arg::Seq(items) => {
            items.iter().for_each(|a| collect_fds(a, out));
        }
        Arg::Call { args, .. } => args.iter().for_each(|a| collect_fds(a, out)),
        Arg::Changed(a, b) => {
            collect_fds(a, out);
            collect_fds(b, out);
        }
        Arg::Commented(a, _) | Arg::Boxed(a) | Arg::Labeled(_, a) | Arg::Named(_, a) => {
            collect_fds(a, out)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
