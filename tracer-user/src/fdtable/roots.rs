//! Processes that changed their root directory (`chroot`). strace names fds and `AT_FDCWD` by
//! the links under /proc, which show paths from tracer's root; a path a chrooted process gives
//! is taken from its own root, so the table takes it against that root before naming anything
//! from it. A process's root is inherited by its children and kept across exec.

use std::{
    collections::HashMap,
    path::{Component, Path, PathBuf},
};

/// The processes (by tgid) whose root is not tracer's: the directory it is, from tracer's
/// root (None: not known, e.g. a chroot through a path the table could not name).
#[derive(Debug, Default)]
pub struct Roots {
    procs: HashMap<u32, Option<PathBuf>>,
}

impl Roots {
    /// Process `tgid` changed its root to `root` (from tracer's root).
    pub fn changed(&mut self, tgid: u32, root: Option<PathBuf>) {
        if root.as_deref() == Some(Path::new("/")) {
            self.procs.remove(&tgid);
        } else {
            self.procs.insert(tgid, root);
        }
    }

    /// What /proc says `tgid`'s root is, when tracing of it begins.
    pub fn snapshot(&mut self, tgid: u32) {
        if let Ok(root) = std::fs::read_link(format!("/proc/{tgid}/root")) {
            self.changed(tgid, Some(root));
        }
    }

    /// Absolute `path`, as process `tgid` gave it, from tracer's root; None when its root is
    /// not known. The `..` it starts with stop at the root, as the kernel's lookup does.
    pub fn host_path(&self, tgid: u32, path: &Path) -> Option<PathBuf> {
        match self.procs.get(&tgid) {
            None => Some(path.to_path_buf()),
            Some(root) => root.as_deref().map(|r| below(r, r, path)),
        }
    }

    /// Relative `path` from directory `base` (from tracer's root) of process `tgid`: its
    /// leading `./..` taken against `base`, stopping at the process's root.
    pub fn join(&self, tgid: u32, base: &Path, path: &Path) -> PathBuf {
        match self.procs.get(&tgid) {
            Some(Some(root)) if base.starts_with(root) => below(root, base, path),
            _ => super::naming::join_leading_dots(base, path),
        }
    }

    /// A new process starts in its parent's root.
    pub fn fork(&mut self, parent: u32, child: u32) {
        if let Some(root) = self.procs.get(&parent).cloned() {
            self.procs.insert(child, root);
        }
    }

    /// Process `tgid` is gone.
    pub fn exit(&mut self, tgid: u32) {
        self.procs.remove(&tgid);
    }
}

/// `path` from `base`, a directory at or under `root`: its leading `/`, `.` and `..` taken
/// lexically, never above `root`.
fn below(root: &Path, base: &Path, path: &Path) -> PathBuf {
    let mut full = base.to_path_buf();
    let mut rest = path.components().peekable();
    while let Some(c) = rest.peek() {
        match c {
            Component::RootDir => full = root.to_path_buf(),
            Component::CurDir => {}
            Component::ParentDir => {
                if full != root {
                    full.pop();
                }
            }
            _ => break,
        }
        rest.next();
    }
    full.extend(rest);
    full
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chrooted_process_s_paths_are_taken_from_its_root() {
        let mut roots = Roots::default();
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(roots.host_path(1, Path::new("/etc/x")), Some(p("/etc/x")));
        roots.changed(1, Some(p("/srv/jail")));
        assert_eq!(
            roots.host_path(1, Path::new("/etc/x")),
            Some(p("/srv/jail/etc/x"))
        );
        // `..` above the root stays at the root.
        assert_eq!(
            roots.host_path(1, Path::new("/../../x")),
            Some(p("/srv/jail/x"))
        );
        assert_eq!(roots.host_path(1, Path::new("/")), Some(p("/srv/jail")));
        roots.fork(1, 2);
        assert_eq!(roots.host_path(2, Path::new("/y")), Some(p("/srv/jail/y")));
        // A relative `..` from the root stays there too; without a root it goes up.
        let jail = Path::new("/srv/jail");
        assert_eq!(roots.join(2, jail, Path::new("../x")), p("/srv/jail/x"));
        assert_eq!(roots.join(3, jail, Path::new("../x")), p("/srv/x"));
        // Not known: nothing is named; back to tracer's root: as given.
        roots.changed(2, None);
        assert_eq!(roots.host_path(2, Path::new("/y")), None);
        roots.changed(1, Some(p("/")));
        assert_eq!(roots.host_path(1, Path::new("/y")), Some(p("/y")));
        roots.exit(2);
        assert_eq!(roots.host_path(2, Path::new("/y")), Some(p("/y")));
    }
}
