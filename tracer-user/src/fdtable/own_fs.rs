//! Threads with a current directory of their own. The current directory belongs to a task's
//! `fs_struct`, which a process's threads share until one calls `unshare(CLONE_FS)`: from
//! then on its chdir moves only itself, and strace (asking /proc/TID/cwd) names each thread's
//! `AT_FDCWD` by its own directory. The process's table keeps the shared one.

use std::collections::HashMap;

use super::FdName;

/// `unshare`'s flag for the filesystem attributes (linux/sched.h).
pub const CLONE_FS: u64 = 0x200;

/// Threads (by tid) with their own current directory: their process and that directory
/// (None: not known).
#[derive(Debug, Default)]
pub struct OwnFs {
    threads: HashMap<u32, (u32, Option<FdName>)>,
}

impl OwnFs {
    /// Thread `tid` of `tgid` unshared its fs: it starts from the directory it had (`cwd`).
    pub fn unshared(&mut self, tgid: u32, tid: u32, cwd: Option<FdName>) {
        self.threads.insert(tid, (tgid, cwd));
    }

    /// Whether thread `tid` has a directory of its own.
    pub fn has(&self, tid: u32) -> bool {
        self.threads.contains_key(&tid)
    }

    /// Thread `tid`'s own directory: `Some(None)` when it has one not known, None when it
    /// shares its process's.
    pub fn cwd(&self, tid: u32) -> Option<Option<&FdName>> {
        self.threads.get(&tid).map(|(_, cwd)| cwd.as_ref())
    }

    /// Thread `tid`'s own directory, to change; None when it shares its process's.
    pub fn cwd_mut(&mut self, tid: u32) -> Option<&mut Option<FdName>> {
        self.threads.get_mut(&tid).map(|(_, cwd)| cwd)
    }

    /// Every known directory of its own, to change in place.
    pub fn each_cwd(&mut self, f: impl FnMut(&mut FdName)) {
        self.threads
            .values_mut()
            .filter_map(|(_, cwd)| cwd.as_mut())
            .for_each(f);
    }

    /// Process `tgid` is gone (None: everything is forgotten, events were lost).
    pub fn exit(&mut self, tgid: Option<u32>) {
        self.threads
            .retain(|_, (t, _)| tgid.is_some_and(|g| g != *t));
    }
}
