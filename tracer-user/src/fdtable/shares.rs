//! Which fd table and which current directory each task uses. A task's open files
//! (`files_struct`) and its directory (`fs_struct`) are each either shared or its own: the
//! threads of a process share both, a forked process gets copies, `clone(CLONE_FILES)` or
//! `clone(CLONE_FS)` shares one without being a thread, and `unshare(CLONE_FILES)`,
//! `unshare(CLONE_FS)` or close_range's `CLOSE_RANGE_UNSHARE` give the calling thread a copy
//! of its own. strace reads /proc/TID/fd/N and /proc/TID/cwd, so a thread's fds and
//! `AT_FDCWD` are those of the tables it uses now: a thread that left its process's fd table
//! and reused a number never renames its process's fd, nor a chdir of one the other.
//!
//! The fork records say what a new task shares (read in the kernel with eBPF, with kcmp(2)
//! with ptrace). Tables are kept by key: a process's is its tgid, and one no process is
//! named after (a thread's own, or a process's that exited while another still shares it)
//! gets a key above any pid.

use std::collections::{HashMap, HashSet};

use super::FdTable;
use crate::event::Fork;

/// `unshare`'s flags for the fd table and the filesystem attributes (linux/sched.h).
pub const CLONE_FILES: u64 = 0x400;
pub const CLONE_FS: u64 = 0x200;
/// A new mount or user namespace comes with a directory of its own too.
const CLONE_NEWNS: u64 = 0x2_0000;
const CLONE_NEWUSER: u64 = 0x1000_0000;
/// close_range's flag that first gives the caller an fd table of its own (linux/close_range.h).
pub const CLOSE_RANGE_UNSHARE: u64 = 2;

/// The first key of a table no process is named after (pids stay below 2^22).
const FIRST_OWN: u32 = 1 << 31;

/// The tables a task uses, when not its process's own.
#[derive(Debug, Clone, Copy)]
struct Keys {
    tgid: u32,
    files: u32,
    fs: u32,
}

/// The tasks (by tid) whose fd table or directory is not keyed by their tgid.
#[derive(Debug, Default)]
pub struct Shares {
    tasks: HashMap<u32, Keys>,
    next: u32,
}

impl Shares {
    /// The key of the fd table thread `tid` of `tgid` uses.
    pub fn files(&self, tgid: u32, tid: u32) -> u32 {
        self.keys(tgid, tid).0
    }

    /// The key of the current directory thread `tid` of `tgid` uses.
    pub fn fs(&self, tgid: u32, tid: u32) -> u32 {
        self.keys(tgid, tid).1
    }

    fn keys(&self, tgid: u32, tid: u32) -> (u32, u32) {
        match self.tasks.get(&tid) {
            Some(k) if k.tgid == tgid => (k.files, k.fs),
            _ => (tgid, tgid),
        }
    }

    /// The keys of task `id` (a tid, or a process's id), whichever its process: what
    /// `/proc/ID/fd/N` and `/proc/ID/cwd` show.
    pub fn of_task(&self, id: u32) -> (u32, u32) {
        self.tasks.get(&id).map_or((id, id), |k| (k.files, k.fs))
    }

    /// A key for a table of its own.
    fn fresh(&mut self) -> u32 {
        self.next += 1;
        FIRST_OWN + self.next
    }

    fn set(&mut self, tgid: u32, tid: u32, files: u32, fs: u32) {
        if files == tgid && fs == tgid {
            self.tasks.remove(&tid);
        } else {
            self.tasks.insert(tid, Keys { tgid, files, fs });
        }
    }

    /// Every key a live task names besides its process's own.
    fn named(&self) -> HashSet<u32> {
        self.tasks.values().flat_map(|k| [k.files, k.fs]).collect()
    }
}

impl FdTable {
    /// A new task: it shares its parent's tables or starts from copies of them.
    pub fn fork(&mut self, f: &Fork) {
        let (files, fs) = (
            self.shares.files(f.tgid, f.tid),
            self.shares.fs(f.tgid, f.tid),
        );
        let process = f.child_tgid != f.tgid;
        let own = |shared: bool, shares: &mut Shares| match (shared, process) {
            (true, _) => None,
            (false, true) => Some(f.child_tgid),
            (false, false) => Some(shares.fresh()),
        };
        let child_files = own(f.shares_files, &mut self.shares);
        let child_fs = own(f.shares_fs, &mut self.shares);
        if let Some(key) = child_files {
            match self.procs.get(&files).cloned() {
                Some(t) => self.procs.insert(key, t),
                None => self.procs.remove(&key),
            };
        }
        if let Some(key) = child_fs {
            match self.cwds.get(&fs).cloned() {
                Some(c) => self.cwds.insert(key, c),
                None => self.cwds.remove(&key),
            };
        }
        let (child_files, child_fs) = (child_files.unwrap_or(files), child_fs.unwrap_or(fs));
        self.shares
            .set(f.child_tgid, f.child_tid, child_files, child_fs);
        if process {
            self.roots.fork(f.tgid, f.child_tgid);
            if let Some(o) = self.origins.as_mut() {
                o.fork(f.tgid, f.child_tgid);
            }
        }
    }

    /// Thread `tid` of `tgid` took a copy of its fd table (`CLONE_FILES`) or of its directory
    /// (`CLONE_FS`) for itself alone.
    pub(super) fn unshared(&mut self, tgid: u32, tid: u32, flags: u64) {
        let (mut files, mut fs) = (self.shares.files(tgid, tid), self.shares.fs(tgid, tid));
        if flags & CLONE_FILES != 0 {
            let key = self.shares.fresh();
            if let Some(t) = self.procs.get(&files).cloned() {
                self.procs.insert(key, t);
            }
            files = key;
        }
        if flags & (CLONE_FS | CLONE_NEWNS | CLONE_NEWUSER) != 0 {
            let key = self.shares.fresh();
            if let Some(c) = self.cwds.get(&fs).cloned() {
                self.cwds.insert(key, c);
            }
            fs = key;
        }
        self.shares.set(tgid, tid, files, fs);
    }

    /// Process `tgid` is gone: its tables go with it, unless another process still shares
    /// them (they are kept under a key of their own, as a new process may take the number).
    pub(super) fn tables_exit(&mut self, tgid: u32) {
        self.shares.tasks.retain(|_, k| k.tgid != tgid);
        let named = self.shares.named();
        if named.contains(&tgid) {
            let key = self.shares.fresh();
            for k in self.shares.tasks.values_mut() {
                for at in [&mut k.files, &mut k.fs] {
                    if *at == tgid {
                        *at = key;
                    }
                }
            }
            if let Some(t) = self.procs.remove(&tgid) {
                self.procs.insert(key, t);
            }
            if let Some(c) = self.cwds.remove(&tgid) {
                self.cwds.insert(key, c);
            }
        } else {
            self.procs.remove(&tgid);
            self.cwds.remove(&tgid);
        }
        let named = self.shares.named();
        let kept = |key: &u32| *key < FIRST_OWN || named.contains(key);
        self.procs.retain(|key, _| kept(key));
        self.cwds.retain(|key, _| kept(key));
        self.born.retain(|&(key, _), _| key != tgid && kept(&key));
    }
}
