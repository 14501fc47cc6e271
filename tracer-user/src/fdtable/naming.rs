//! How the table names an fd: a new one from the call that created it (the path of an open,
//! the endpoints of a socket, what it was duplicated from), or one it does not know from
//! /proc (`/proc/self` read as the tracee's own, a special file's device with `-yy`).

use super::*;
use crate::tables::row::Decoder;

/// open's flag for an unnamed file in a directory (`__O_TMPFILE`, without the `O_DIRECTORY`
/// that comes with it; asm-generic/fcntl.h).
const O_TMPFILE: u64 = 0o20_000_000;

impl FdTable {
    /// The description of a new fd `fd` returned by `sc`. For opens it comes from the path in
    /// the call itself: by the time we see the event the process may have closed the fd and
    /// reused its number, so asking /proc could name the wrong file.
    pub(super) fn created(&mut self, sc: &Syscall, raw: &RawSyscall, fd: i32) -> Option<FdName> {
        let effect = effect(sc);
        if effect == FdEffect::Dup
            && let Some(Arg::Fd(old)) = sc.args.first()
        {
            self.ensure(sc.tgid, *old);
            return self.known(sc.tgid, *old);
        }
        // The path, after the directory fd if the call takes one (openat).
        let opened = match (effect, sc.args.as_slice()) {
            (FdEffect::Open, [Arg::Str { bytes, .. }, ..]) => Some((AT_FDCWD, bytes)),
            (FdEffect::Open, [Arg::Fd(dir), Arg::Str { bytes, .. }, ..]) => Some((*dir, bytes)),
            _ => None,
        };
        if let Some((dir, path)) = opened {
            let flags = match sc.def.map(|d| d.name) {
                Some("open") => raw.args[1],
                Some("openat") => raw.args[2],
                _ => 0,
            };
            return match flags {
                _ if flags & O_TMPFILE != 0 => self.tmpfile(sc, raw, dir, path),
                _ if flags & libc::O_NOFOLLOW as u64 != 0 => self
                    .not_followed(sc.tgid, dir, path)
                    .or_else(|| self.opened_path(sc.tgid, sc.tid, dir, path)),
                _ => self.opened_path(sc.tgid, sc.tid, dir, path),
            };
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
        if let Some(name) = named_by_call(sc, raw) {
            return Some(name);
        }
        // From /proc, only while it shows what the call returned (pidfd_getfd's fd): without
        // the inode the kernel side read, /proc may already show another file under the
        // number (the reader runs behind the process), so no name is better than that.
        self.resolve_same(sc.tgid, fd, ino?)
    }

    /// An `O_TMPFILE` file: no path links to it, and the kernel names it after its directory
    /// and inode, deleted from the start (`/tmp/#1234 (deleted)`, as /proc shows it). Without
    /// the inode the kernel side read, bare: never named after the directory.
    fn tmpfile(&mut self, sc: &Syscall, raw: &RawSyscall, dir: i32, path: &[u8]) -> Option<FdName> {
        let (_, ino) = *new_fd_inodes(raw).first()?;
        let mut name = self
            .opened_path(sc.tgid, sc.tid, dir, path)?
            .as_path()?
            .to_vec();
        if !name.ends_with(b"/") {
            name.push(b'/');
        }
        name.extend_from_slice(format!("#{ino}").as_bytes());
        name.extend_from_slice(super::deleted::DELETED);
        Some(FdName::path(name))
    }

    /// An `O_NOFOLLOW` open (`O_PATH` on a symlink opens the link itself): its directory
    /// resolved, its last component as given, as a removal's path is.
    fn not_followed(&mut self, tgid: u32, dir: i32, path: &[u8]) -> Option<FdName> {
        let full = self.removed_path(tgid, dir, path)?;
        let device = match self.detail.full() {
            true => fs::symlink_metadata(&full)
                .ok()
                .as_ref()
                .and_then(device_of),
            false => None,
        };
        Some(FdName::Path {
            path: full.into_os_string().into_vec(),
            device,
        })
    }

    /// After `prepare`: pidfd_getfd's target fd is a number in the pidfd's process, which
    /// strace names only when the first fd is a pidfd (its fdinfo's `Pid:`); otherwise it
    /// prints the number bare (`pidfd_getfd(6</dev/full>, 6, 0xbad)`).
    pub fn unname_foreign_fds(&mut self, sc: &mut Syscall) {
        if &*sc.name != "pidfd_getfd" {
            return;
        }
        let pidfd = match sc.args.first() {
            Some(&Arg::Fd(fd)) => {
                // Also when only the call's start is printed (not yet looked up then).
                self.ensure(sc.tgid, fd);
                self.known(sc.tgid, fd)
            }
            _ => None,
        };
        let is_pidfd = match pidfd {
            Some(FdName::Pidfd(_)) => true,
            Some(FdName::Anon(anon)) => anon == "[pidfd]",
            Some(FdName::Path { path, .. }) => path == b"anon_inode:[pidfd]",
            _ => false,
        };
        if !is_pidfd && let Some(Arg::Fd(target)) = sc.args.get(1) {
            sc.args[1] = Arg::Int(i64::from(*target));
        }
    }

    /// The pidfd clone or clone3 stored (`CLONE_PIDFD`), named from the call as pidfd_open's:
    /// the process it refers to is the child the call returned. Learnt before the call is
    /// formatted: strace names it in the call's own line (`parent_tid=[3<pid:42>]`).
    pub(super) fn clone_pidfd(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let clone3 = match sc.def.map(|d| d.decoder) {
            Some(Decoder::Clone) => false,
            Some(Decoder::Clone3) => true,
            _ => return,
        };
        if let Some(fd) = crate::decode::process::pidfd_stored(raw, clone3) {
            let name = match self.detail.full() {
                true => FdName::Pidfd(raw.ret),
                false => FdName::Anon("[pidfd]"),
            };
            self.table(sc.tgid).insert(fd, name);
        }
    }

    /// `-yy`: process `pid` was reaped. strace names a pidfd by the `Pid:` its fdinfo shows,
    /// which is -1 once the process is gone, and then by its path: so do the pidfds the
    /// table has for it (a later process given the same number is another one).
    pub(super) fn pidfds_reaped(&mut self, pid: i64) {
        for fds in self.procs.values_mut() {
            for name in fds.values_mut() {
                if *name == FdName::Pidfd(pid) {
                    *name = FdName::Anon("[pidfd]");
                }
            }
        }
    }

    /// `resolve`, when /proc shows inode `ino` under the number before and after: the open
    /// file a call handed over, not one that took its number since.
    pub(super) fn resolve_same(&self, tgid: u32, fd: i32, ino: u64) -> Option<FdName> {
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
    pub(super) fn socket_name(&self, sc: &Syscall, raw: &RawSyscall, fd: i32, ino: u64) -> FdName {
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
    pub(super) fn opened_path(
        &mut self,
        tgid: u32,
        tid: u32,
        dir: i32,
        path: &[u8],
    ) -> Option<FdName> {
        let own = proc_self(path, tgid, tid);
        let path = Path::new(OsStr::from_bytes(own.as_deref().unwrap_or(path)));
        // A process's fd or cwd link opens what that fd or directory is: named as the table
        // names it at this point of the trace (asking /proc later could find the fd closed,
        // another file, or the process gone).
        let mut path = path.to_path_buf();
        let mut root_of = None;
        match proc_link(&path) {
            Some((_, task, Some(fd), rest)) => {
                if let Some(name) = self.of_task(task, fd) {
                    if rest.as_os_str().is_empty() {
                        return Some(name.clone());
                    }
                    let base = Path::new(OsStr::from_bytes(name.as_path()?));
                    path = join_leading_dots(base, &rest);
                }
            }
            // A process's root: the path under it is taken from that root.
            Some((pid, _, None, rest)) => {
                path = Path::new("/").join(rest);
                root_of = Some(pid);
            }
            _ => {}
        }
        let full = match root_of {
            Some(pid) => self.roots.host_path(pid, &path)?,
            None => self.host_path_of(tgid, dir, &path)?,
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

    /// `path` as process `tgid` gave it, relative to `dir` (an fd or `AT_FDCWD`), as a path
    /// from tracer's root (`roots`: a chrooted process's absolute paths are from its own);
    /// None when the directory or the root is not known.
    pub(super) fn host_path_of(&mut self, tgid: u32, dir: i32, path: &Path) -> Option<PathBuf> {
        if path.is_absolute() {
            return self.roots.host_path(tgid, path);
        }
        self.ensure(tgid, dir);
        let base = self.known(tgid, dir)?;
        let base = Path::new(OsStr::from_bytes(base.as_path()?));
        Some(self.roots.join(tgid, base, path))
    }

    /// Asks /proc what `fd` of `tgid` is now (`AT_FDCWD`: its current directory).
    pub(super) fn resolve(&self, tgid: u32, fd: i32) -> Option<FdName> {
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
            // Not in /proc's tables (an unbound UDP socket): its protocol's name, as strace
            // asks it (`UDP:[INO]`).
            let kind = || {
                let mut proto = [0u8; tracer_common::SOCK_PROTO_LEN];
                sockets::protocol_name(&link, &mut proto);
                let len = proto.iter().position(|&b| b == 0).unwrap_or(proto.len());
                let proto = String::from_utf8_lossy(&proto[..len]).into_owned();
                (sockets::STRACE_PROTOCOLS.contains(&proto.as_str()))
                    .then(|| Socket::bare(proto, s.ino))
            };
            return Some(
                sockets::describe(tgid, s.ino)
                    .or_else(kind)
                    .map_or(name, FdName::Socket),
            );
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

/// `rel` after the directory `base` (a resolved path), its leading `.` and `..` taken
/// against `base` itself: the parent of a directory the kernel resolved is its parent, even
/// once the directory is gone and /proc can no longer resolve the path (eBPF reads late:
/// `chdir("..")` then `rmdir` named the directory `/tmp/d/..`). Later `..` are left for
/// the kernel's resolution, which follows symlinks first.
pub(super) fn join_leading_dots(base: &Path, rel: &Path) -> PathBuf {
    use std::path::Component;
    let mut full = base.to_path_buf();
    let mut rest = rel.components().peekable();
    while let Some(c) = rest.peek() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                full.pop();
            }
            _ => break,
        }
        rest.next();
    }
    full.extend(rest);
    full
}

/// What a task's link under /proc stands for: the process (PID), the task (PID, or TID under
/// `/proc/PID/task/TID/`: a thread's fds and directory may be its own), its fd
/// (`/proc/PID/fd/N`), current directory (`AT_FDCWD`: `/proc/PID/cwd`) or root (None:
/// `/proc/PID/root`), and the rest of the path after it.
fn proc_link(path: &Path) -> Option<(u32, u32, Option<i32>, PathBuf)> {
    use std::path::Component::Normal;
    let mut parts = path.strip_prefix("/proc").ok()?.components();
    let mut next = || match parts.next() {
        Some(Normal(p)) => p.to_str(),
        _ => None,
    };
    let pid = next()?.parse().ok()?;
    let mut task = pid;
    let mut kind = next()?;
    if kind == "task" {
        task = next()?.parse().ok()?;
        kind = next()?;
    }
    let fd = match kind {
        "cwd" => Some(AT_FDCWD),
        "fd" => Some(next()?.parse().ok()?),
        "root" => None,
        _ => return None,
    };
    Some((pid, task, fd, parts.as_path().to_path_buf()))
}

/// `/proc/self/...` and `/proc/thread-self/...` as the tracee sees them, and the links to
/// them every system has (`/dev/stdin`, `/dev/fd/3`): resolved here, not by tracer's own
/// /proc/self.
fn proc_self(path: &[u8], tgid: u32, tid: u32) -> Option<Vec<u8>> {
    let std_link = match path {
        b"/dev/stdin" => Some(0),
        b"/dev/stdout" => Some(1),
        b"/dev/stderr" => Some(2),
        _ => None,
    };
    if let Some(fd) = std_link {
        return Some(format!("/proc/{tgid}/fd/{fd}").into_bytes());
    }
    for (prefix, real) in [
        (&b"/dev/fd"[..], format!("/proc/{tgid}/fd")),
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

/// The fd a call returns, when the call alone says what it is: KVM's VM and vCPU fds by
/// ioctl request, bpf's maps, programs, BTF and links by command, memfd_secret's file
/// (deleted from the start, as /proc shows it).
fn named_by_call(sc: &Syscall, raw: &RawSyscall) -> Option<FdName> {
    match sc.def?.name {
        "ioctl" => crate::decode::ioctl_kvm::new_fd_name(raw.args[1] as u32, raw.args[2])
            .map(|name| FdName::path(name.into_bytes())),
        "bpf" => crate::decode::bpf::new_fd_kind(raw.args[0] as u32).map(FdName::Anon),
        "memfd_secret" => Some(FdName::path(&b"/secretmem (deleted)"[..])),
        _ => None,
    }
}
