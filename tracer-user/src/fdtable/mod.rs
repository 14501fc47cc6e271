//! What each file descriptor refers to, for `-y` and `-yy`: `3</etc/passwd>`,
//! `5<TCP:[127.0.0.1:5432->127.0.0.1:41234]>`.
//!
//! Kept up to date from the trace itself (open, socket, accept, dup, close, exec, fork) and
//! filled from /proc for fds opened before tracing began. A description is taken when the fd
//! is created (or first seen), while it still exists, and reused until it is closed.

mod sockets;

use std::{
    collections::HashMap,
    fs,
    os::unix::fs::{FileTypeExt, MetadataExt},
};

use crate::{
    decode::{Arg, Ret, Syscall},
    event::RawSyscall,
    format::strace::FdNames,
};

/// `-y` or `-yy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// `-y`: paths, `socket:[inode]`.
    Paths,
    /// `-yy`: also socket endpoints and device numbers.
    Full,
}

#[derive(Debug)]
pub struct FdTable {
    detail: Detail,
    /// Per process (tgid): fd → description.
    procs: HashMap<u32, HashMap<i32, String>>,
    /// The description the current syscall's returned fd gets.
    ret_name: Option<String>,
}

impl FdTable {
    pub fn new(detail: Detail) -> Self {
        Self {
            detail,
            procs: HashMap::new(),
            ret_name: None,
        }
    }

    /// Before formatting `sc`: makes sure every fd it mentions has a description, and works out
    /// the description of the fd it returns.
    pub fn prepare(&mut self, sc: &Syscall) {
        let mut fds = Vec::new();
        for arg in &sc.args {
            collect_fds(arg, &mut fds);
        }
        if let Some(extra) = &sc.ret_extra {
            collect_fds(extra, &mut fds);
        }
        for fd in fds {
            self.ensure(sc.tgid, fd);
        }
        self.ret_name = match sc.ret {
            Ret::Fd(fd) if fd >= 0 => self.created(sc, fd),
            _ => None,
        };
    }

    /// After formatting `sc`: applies what it did to the table.
    pub fn commit(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let tgid = sc.tgid;
        if let (Ret::Fd(fd), Some(name)) = (sc.ret, self.ret_name.take()) {
            self.table(tgid).insert(fd, name);
        }
        if crate::decode::is_error(raw.ret) {
            return;
        }
        match sc.name.as_ref() {
            "close" => {
                self.table(tgid).remove(&(raw.args[0] as i32));
            }
            "close_range" => {
                let (first, last) = (raw.args[0] as u32, raw.args[1] as u32);
                let cloexec = raw.args[2] & 4 != 0;
                if !cloexec {
                    self.table(tgid)
                        .retain(|fd, _| (*fd as u32) < first || (*fd as u32) > last);
                }
            }
            "execve" | "execveat" => {
                // Close-on-exec fds are gone; the rest are looked up again when next seen.
                self.procs.remove(&tgid);
            }
            "pipe" | "pipe2" | "socketpair" => {
                // Both new fds are described when first used.
            }
            _ => {}
        }
    }

    /// A new process inherits its parent's descriptors.
    pub fn fork(&mut self, parent: u32, child: u32) {
        if parent != child
            && let Some(t) = self.procs.get(&parent).cloned()
        {
            self.procs.insert(child, t);
        }
    }

    pub fn exit(&mut self, tgid: u32) {
        self.procs.remove(&tgid);
    }

    fn table(&mut self, tgid: u32) -> &mut HashMap<i32, String> {
        self.procs.entry(tgid).or_default()
    }

    fn ensure(&mut self, tgid: u32, fd: i32) {
        if fd < 0 || self.procs.get(&tgid).is_some_and(|t| t.contains_key(&fd)) {
            return;
        }
        if let Some(name) = self.resolve(tgid, fd) {
            self.table(tgid).insert(fd, name);
        }
    }

    /// The description of a new fd `fd` returned by `sc`.
    fn created(&mut self, sc: &Syscall, fd: i32) -> Option<String> {
        if matches!(sc.name.as_ref(), "dup" | "dup2" | "dup3" | "fcntl")
            && let Some(Arg::Fd(old)) = sc.args.first()
        {
            self.ensure(sc.tgid, *old);
            return self.procs.get(&sc.tgid).and_then(|t| t.get(old).cloned());
        }
        self.resolve(sc.tgid, fd)
    }

    /// Asks /proc what `fd` of `tgid` is now.
    fn resolve(&self, tgid: u32, fd: i32) -> Option<String> {
        let link = format!("/proc/{tgid}/fd/{fd}");
        let target = fs::read_link(&link).ok()?;
        let text = target.to_string_lossy().into_owned();
        if self.detail == Detail::Paths {
            return Some(text);
        }
        if let Some(inode) = text
            .strip_prefix("socket:[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<u64>().ok())
        {
            return Some(sockets::describe(tgid, inode).unwrap_or(text));
        }
        match fs::metadata(&link) {
            Ok(meta) if meta.file_type().is_char_device() || meta.file_type().is_block_device() => {
                let kind = if meta.file_type().is_char_device() {
                    "char"
                } else {
                    "block"
                };
                let rdev = meta.rdev();
                let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & !0xfff);
                let minor = (rdev & 0xff) | ((rdev >> 12) & !0xff);
                Some(format!("{text}<{kind} {major}:{minor}>"))
            }
            _ => Some(text),
        }
    }
}

impl FdNames for FdTable {
    fn describe(&self, tgid: u32, fd: i32) -> Option<String> {
        self.procs.get(&tgid).and_then(|t| t.get(&fd).cloned())
    }

    fn describe_ret(&self, _tgid: u32, _fd: i32) -> Option<String> {
        self.ret_name.clone()
    }
}

/// Every fd mentioned in a value.
fn collect_fds(arg: &Arg, out: &mut Vec<i32>) {
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
        Arg::Commented(a, _) | Arg::Boxed(a) | Arg::Labeled(_, a) => collect_fds(a, out),
        _ => {}
    }
}
