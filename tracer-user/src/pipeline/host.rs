//! What the pipeline asks about the running system, through one small trait: the session
//! answers from /proc (`crate::procfs::Procfs`), tests answer from fixtures or not at all
//! (`Unknown`), so the pipeline itself never reads /proc.

pub use crate::event::{Identity, User};

/// A task's pid namespace (its inode number) and the task's pid in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsPid {
    pub ns: u64,
    pub pid: u32,
}

/// The running system, as far as the pipeline needs it.
pub trait Host {
    /// The threads of process `tgid` now (`/proc/PID/task`); empty when it is gone.
    fn threads(&self, tgid: u32) -> Vec<u32>;

    /// Task `pid`'s name as the kernel keeps it now (`/proc/PID/comm` without the newline the
    /// kernel adds); None when it is gone.
    fn comm(&self, pid: u32) -> Option<Vec<u8>>;

    /// How many fds process `tgid` has open and its RLIMIT_NOFILE, now.
    fn fd_limits(&self, tgid: u32) -> FdLimits;

    /// How many files are open in the whole system, and `fs.file-max`.
    fn system_files(&self) -> SystemFiles;

    /// Who process `tgid` is now (parent, user, container), asked once when its tracing
    /// starts: its children inherit it from the trace. None where unknown.
    fn identity(&self, _tgid: u32) -> Option<Identity> {
        None
    }

    /// Where task `tid` lives when its pid namespace is below tracer's: that namespace and
    /// its pid there (`--decode-pids=pidns`). None in tracer's own namespace, or gone.
    fn pid_ns(&self, _tid: u32) -> Option<NsPid> {
        None
    }

    /// Process `tgid`'s current directory now (`/proc/PID/cwd`); None when it is gone.
    fn cwd(&self, _tgid: u32) -> Option<Vec<u8>> {
        None
    }

    /// This host's name (ECS `host.name`).
    fn host_name(&self) -> Option<String> {
        None
    }

    /// `-k`: process `tgid`'s mappings now (`/proc/PID/maps`); None when it is gone.
    fn maps(&self, _tgid: u32) -> Option<String> {
        None
    }

    /// `-k`: the file process `tgid` maps at `start..end` (named `path` in its maps).
    fn mapped_file(
        &self,
        _tgid: u32,
        _range: std::ops::Range<u64>,
        _path: &str,
    ) -> Option<Vec<u8>> {
        None
    }
}

/// A process's fds and their limit; None where it could not be found out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FdLimits {
    /// Fds open.
    pub open: Option<usize>,
    /// RLIMIT_NOFILE's soft and hard limits, as `/proc/PID/limits` shows them
    /// (`unlimited` is a limit too).
    pub nofile: Option<(String, String)>,
}

/// The system's open files (the first and third fields of `/proc/sys/fs/file-nr`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemFiles {
    /// Files open.
    pub open: Option<String>,
    /// `fs.file-max`.
    pub max: Option<String>,
}

/// A system the pipeline knows nothing about: a recording replayed in a test.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unknown;

impl Host for Unknown {
    fn threads(&self, _tgid: u32) -> Vec<u32> {
        Vec::new()
    }

    fn comm(&self, _pid: u32) -> Option<Vec<u8>> {
        None
    }

    fn fd_limits(&self, _tgid: u32) -> FdLimits {
        FdLimits::default()
    }

    fn system_files(&self) -> SystemFiles {
        SystemFiles::default()
    }
}

/// A system a test describes: threads and names of processes (which the test may change while
/// the pipeline runs), fd limits, the system's files.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub struct Fake {
    pub threads: std::collections::HashMap<u32, Vec<u32>>,
    pub comms: std::rc::Rc<std::cell::RefCell<std::collections::HashMap<u32, &'static str>>>,
    pub limits: std::collections::HashMap<u32, FdLimits>,
    pub files: SystemFiles,
    pub identities: std::collections::HashMap<u32, Identity>,
    pub host_name: Option<&'static str>,
    pub namespaces: std::collections::HashMap<u32, NsPid>,
}

#[cfg(test)]
impl Fake {
    /// The same system, where task `tid` lives in a child pid namespace.
    pub fn in_ns(mut self, tid: u32, ns: NsPid) -> Self {
        self.namespaces.insert(tid, ns);
        self
    }

    /// The same system, where `pid` is named `name`.
    pub fn named(self, pid: u32, name: &'static str) -> Self {
        self.comms.borrow_mut().insert(pid, name);
        self
    }
}

#[cfg(test)]
impl Host for Fake {
    fn threads(&self, tgid: u32) -> Vec<u32> {
        self.threads.get(&tgid).cloned().unwrap_or_default()
    }

    fn comm(&self, pid: u32) -> Option<Vec<u8>> {
        self.comms.borrow().get(&pid).map(|c| c.as_bytes().to_vec())
    }

    fn fd_limits(&self, tgid: u32) -> FdLimits {
        self.limits.get(&tgid).cloned().unwrap_or_default()
    }

    fn identity(&self, tgid: u32) -> Option<Identity> {
        self.identities.get(&tgid).cloned()
    }

    fn host_name(&self) -> Option<String> {
        self.host_name.map(String::from)
    }

    fn pid_ns(&self, tid: u32) -> Option<NsPid> {
        self.namespaces.get(&tid).copied()
    }

    fn system_files(&self) -> SystemFiles {
        self.files.clone()
    }
}
