//! What each file descriptor refers to, for `-y` and `-yy`: `3</etc/passwd>`,
//! `5<TCP:[127.0.0.1:5432->127.0.0.1:41234]>`.
//!
//! Kept up to date from the trace itself (open, socket, accept, dup, close, exec, fork) and
//! filled from /proc for fds opened before tracing began. A description is taken when the fd
//! is created (or first seen), while it still exists, and reused until it is closed.

mod deleted;
mod detail;
mod handed;
mod name;
mod naming;
pub mod origin;
mod peers;
mod renamed;
mod roots;
mod shares;
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
    /// Per fd table (`shares`: a process's is keyed by its tgid): fd → description.
    procs: HashMap<u32, HashMap<i32, FdName>>,
    /// Per current directory (`shares`: a process's is keyed by its tgid): what it is.
    cwds: HashMap<u32, FdName>,
    /// The description the current syscall's returned fd gets.
    ret_name: Option<FdName>,
    /// Where socket fds came from, when annotations want it.
    origins: Option<origin::Origins>,
    /// Unix clients whose peer is not accepted yet.
    pending: peers::Pending,
    /// The tasks whose fd table or directory is not their process's, and the thread whose
    /// call is being formatted (its fds and `AT_FDCWD` are those it uses).
    shares: shares::Shares,
    tid: u32,
    /// Processes whose root is not tracer's (`chroot`).
    roots: roots::Roots,
    /// When each fd a call returned was learnt (that call's exit time) and by which thread,
    /// by fd table key:
    /// a close that ends after another thread's call took the number again (the kernel frees
    /// the number as the close begins) must not forget the new file.
    born: HashMap<(u32, i32), (u64, u32)>,
}

impl FdTable {
    /// Whether another thread's call made fd `fd` of fd table `files` after the closing call
    /// `raw` began: the kernel frees a number as the close begins, so an open can take it
    /// and end first; that fd is not the one closed. Needs the close's entry time (see
    /// `CaptureOptions::follows_fds`).
    fn reused_since(&self, files: u32, fd: i32, raw: &RawSyscall) -> bool {
        (self.born.get(&(files, fd)))
            .is_some_and(|&(at, by)| by != raw.tid && raw.ts_enter != 0 && at > raw.ts_enter)
    }

    pub fn new(detail: Detail) -> Self {
        Self {
            detail,
            procs: HashMap::default(),
            cwds: HashMap::default(),
            ret_name: None,
            origins: None,
            pending: peers::Pending::default(),
            shares: shares::Shares::default(),
            tid: 0,
            roots: roots::Roots::default(),
            born: HashMap::default(),
        }
    }

    /// Events were lost, and a close and a new open of the same number may be among them: what
    /// the trace taught the table may be out of date, so it is all dropped (names, origins,
    /// waiting peers) and an fd shows as a bare number until a call creates it again. Not read
    /// again from /proc: the reader runs behind the traced process, so /proc tells what the
    /// number is now, which may already be another file.
    pub fn lost(&mut self) {
        self.procs.clear();
        self.cwds.clear();
        self.born.clear();
        self.pending = peers::Pending::default();
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
        self.tid = sc.tid;
        let mut fds = Vec::new();
        for arg in &sc.args {
            collect_fds(arg, &mut fds);
        }
        if let Some(extra) = &sc.ret_extra {
            collect_fds(extra, &mut fds);
        }
        self.array_fds_created(sc, raw);
        self.handed_over(sc, raw);
        self.clone_pidfd(sc, raw);
        self.pending_read(sc, raw);
        for fd in fds {
            self.ensure(sc.tgid, fd);
        }
        self.ret_name = match sc.ret {
            // An injected return value is no new fd: strace names what the number already
            // is (`= 7</dev/null> (INJECTED)`, or bare when it is not open).
            Ret::Fd(fd) if fd >= 0 && raw.tampered.injected => self.known(sc.tgid, fd),
            // strace 6.1 prints mount_setattr's 0 as an fd (its decoder's RVAL_FD): the
            // caller's fd 0, no new one.
            Ret::Fd(fd) if sc.name == "mount_setattr" => self.known(sc.tgid, fd),
            Ret::Fd(fd) if fd >= 0 => self.created(sc, raw, fd),
            _ => None,
        };
    }

    /// After formatting `sc`: applies what it did to the table.
    pub fn commit(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let tgid = sc.tgid;
        let files = self.shares.files(tgid, raw.tid);
        if let (Ret::Fd(fd), Some(name)) = (sc.ret, self.ret_name.take()) {
            self.table(tgid).insert(fd, name);
            self.born.insert((files, fd), (raw.ts_exit, raw.tid));
        }
        let returned = match sc.ret {
            Ret::Fd(fd) if self.origins.is_some() => self.known(tgid, fd),
            _ => None,
        };
        if let Some(o) = self.origins.as_mut() {
            o.apply(sc, raw, returned.as_ref());
        }
        // Read in the kernel as the call ended: applies even to a failed connect.
        let read_in_kernel = self.apply_sock_infos(sc, raw);
        if crate::decode::is_error(raw.ret) {
            return;
        }
        if let Some(pid) = crate::decode::process::reaped(sc, raw) {
            self.pidfds_reaped(pid);
        }
        self.removed(sc);
        self.renamed(sc, raw.args[4]);
        match effect(sc) {
            FdEffect::Close => {
                let fd = raw.args[0] as i32;
                if !self.reused_since(files, fd, raw) {
                    self.table(tgid).remove(&fd);
                    self.born.remove(&(files, fd));
                    self.pending.forget(tgid, Some(fd));
                }
            }
            FdEffect::CloseRange => {
                let (first, last) = (raw.args[0] as u32, raw.args[1] as u32);
                if raw.args[2] & shares::CLOSE_RANGE_UNSHARE != 0 {
                    self.unshared(tgid, raw.tid, shares::CLONE_FILES);
                }
                let cloexec = raw.args[2] & 4 != 0;
                if !cloexec {
                    let in_range: Vec<i32> = (self.table(tgid).keys().copied())
                        .filter(|fd| (first..=last).contains(&(*fd as u32)))
                        .collect();
                    for fd in in_range {
                        if self.reused_since(files, fd, raw) {
                            continue;
                        }
                        self.table(tgid).remove(&fd);
                        self.born.remove(&(files, fd));
                    }
                }
            }
            FdEffect::Chdir => {
                let cwd = match sc.args.first() {
                    Some(Arg::Str { bytes, .. }) => {
                        self.opened_path(tgid, raw.tid, AT_FDCWD, bytes)
                    }
                    _ => None,
                };
                self.set_cwd(tgid, raw.tid, cwd);
            }
            FdEffect::Fchdir => {
                let cwd = self.known(tgid, raw.args[0] as i32);
                self.set_cwd(tgid, raw.tid, cwd);
            }
            // The current directory stays where it was; paths are from the new root on.
            FdEffect::Chroot => {
                let root = match sc.args.first() {
                    Some(Arg::Str { bytes, .. }) => {
                        self.opened_path(tgid, raw.tid, AT_FDCWD, bytes)
                    }
                    _ => None,
                };
                let root = root.and_then(|r| r.as_path().map(|p| p.to_vec()));
                let root = root.map(|p| PathBuf::from(std::ffi::OsString::from_vec(p)));
                self.roots.changed(tgid, root);
            }
            _ if sc.def.is_some_and(|d| d.name == "unshare") => {
                self.unshared(tgid, raw.tid, raw.args[0]);
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
    /// endpoints the call changed (argument 0) is described afresh, and a unix client left
    /// without an accepted peer is noted as pending (`peers`). Returns whether argument 0's
    /// socket was read.
    fn apply_sock_infos(&mut self, sc: &Syscall, raw: &RawSyscall) -> bool {
        if !self.detail.full() {
            return false;
        }
        let mut changed = false;
        for (_, info) in sock_infos(raw).filter(|(arg, _)| *arg != 0) {
            if info.family == libc::AF_UNIX as u16 && info.peer_ino != 0 {
                self.pending.accepted(info.peer_ino, info.ino);
            }
        }
        for (_, info) in sock_infos(raw).filter(|(arg, _)| *arg == 0) {
            self.pending.note(sc.tgid, &info);
            let Some(socket) = sockets::describe_info(&info) else {
                continue;
            };
            changed = true;
            self.table(sc.tgid).insert(info.fd, FdName::Socket(socket));
        }
        changed
    }

    /// Before printing the start of `sc` from its enter record (`raw`): what that record
    /// read of its fds (a pending unix client, with ptrace, read at the call's entry).
    pub fn started(&mut self, sc: &Syscall, raw: &RawSyscall) {
        self.tid = sc.tid;
        self.pending_read(sc, raw);
    }

    /// `-yy`: a unix client awaiting its peer's accept was read again while `sc` ran
    /// (`peers`): its line shows what that read found, the peer once accepted.
    fn pending_read(&mut self, sc: &Syscall, raw: &RawSyscall) {
        if !self.detail.full() {
            return;
        }
        for (_, info) in sock_infos(raw).filter(|(arg, _)| *arg == 0) {
            if !self.pending.contains(sc.tgid, info.fd) {
                continue;
            }
            if info.flags & tracer_common::SOCK_IS_SOCKET == 0 {
                // Gone as the call ended (a close): the peer a traced accept gave it.
                let peer = self.pending.closed(sc.tgid, info.fd);
                if let (Some(peer), Some(FdName::Socket(mut socket))) =
                    (peer, self.known(sc.tgid, info.fd))
                    && let Ends::Unix { peer: at, .. } = &mut socket.ends
                {
                    *at = Some(peer);
                    self.table(sc.tgid).insert(info.fd, FdName::Socket(socket));
                }
                continue;
            }
            self.pending.note(sc.tgid, &info);
            if let Some(socket) = sockets::describe_info(&info) {
                self.table(sc.tgid).insert(info.fd, FdName::Socket(socket));
            }
        }
    }

    /// Task `tid` of `tgid` changed directory: that of every task sharing it.
    fn set_cwd(&mut self, tgid: u32, tid: u32, cwd: Option<FdName>) {
        let key = self.shares.fs(tgid, tid);
        match cwd {
            Some(c) => self.cwds.insert(key, c),
            None => self.cwds.remove(&key),
        };
    }

    /// Records what `tgid`'s descriptors and current directory are now. Called when tracing of
    /// a process starts, while its fds are still the ones it will use first (a launched command
    /// is still held before its exec: `before_exec`, and the fds its exec closes, tracer's own
    /// close-on-exec ones, are left out).
    pub fn snapshot(&mut self, tgid: u32, before_exec: bool) {
        self.roots.snapshot(tgid);
        let mut fds = vec![AT_FDCWD];
        if let Ok(dir) = fs::read_dir(format!("/proc/{tgid}/fd")) {
            fds.extend(
                dir.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
                    .filter(|&fd| !(before_exec && is_cloexec(tgid, fd))),
            );
        }
        let (files, fs) = self.shares.of_task(tgid);
        for fd in fds {
            if let Some(name) = self.resolve(tgid, fd) {
                self.inherited_origin(tgid, fd, &name);
                match fd {
                    AT_FDCWD => self.cwds.insert(fs, name),
                    _ => self.procs.entry(files).or_default().insert(fd, name),
                };
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

    /// How many fds are known, over all processes.
    pub fn fds(&self) -> usize {
        self.procs.values().map(HashMap::len).sum()
    }

    pub fn exit(&mut self, tgid: u32) {
        self.tables_exit(tgid);
        self.roots.exit(tgid);
        self.pending.forget(tgid, None);
        if let Some(o) = self.origins.as_mut() {
            o.exit(tgid);
        }
    }

    /// The fd table of `tgid`'s thread whose call is being handled.
    fn table(&mut self, tgid: u32) -> &mut HashMap<i32, FdName> {
        let key = self.shares.files(tgid, self.tid);
        self.procs.entry(key).or_default()
    }

    /// Only the current directory is looked up lazily: any other fd is in the table from the
    /// snapshot taken when tracing began, from its creation, or from the parent; asking /proc
    /// later could describe whatever the number means by then.
    /// A directory a thread has for itself is not asked: /proc/PID/cwd is its process's.
    fn ensure(&mut self, tgid: u32, fd: i32) {
        let key = self.shares.fs(tgid, self.tid);
        if fd != AT_FDCWD || key != tgid || self.cwds.contains_key(&key) {
            return;
        }
        if let Some(name) = self.resolve(tgid, fd) {
            self.cwds.insert(key, name);
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
}

impl FdTable {
    /// All the table knows of `tgid`'s `fd`, whatever the decode-fds set shows (`-P` matches
    /// paths with `-e decode-fds=socket` too).
    /// `AT_FDCWD` is the current call's thread's directory.
    pub fn known(&self, tgid: u32, fd: i32) -> Option<FdName> {
        if fd == AT_FDCWD {
            return self.cwds.get(&self.shares.fs(tgid, self.tid)).cloned();
        }
        let key = self.shares.files(tgid, self.tid);
        self.procs.get(&key).and_then(|t| t.get(&fd).cloned())
    }

    /// What task `id`'s `fd` (or directory) is, as `/proc/ID/fd/N` (`/proc/ID/cwd`) shows it.
    fn of_task(&self, id: u32, fd: i32) -> Option<&FdName> {
        let (files, fs) = self.shares.of_task(id);
        match fd {
            AT_FDCWD => self.cwds.get(&fs),
            _ => self.procs.get(&files).and_then(|t| t.get(&fd)),
        }
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
