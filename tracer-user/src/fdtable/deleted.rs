//! Files and directories removed while fds still refer to them: /proc then shows the path
//! with ` (deleted)`, which strace prints after the brackets for an fd
//! (`close(3</tmp/x>(deleted))`) and inside them for the current directory
//! (`AT_FDCWD</tmp/d (deleted)>`).
//!
//! Learnt from the trace itself, the same with both backends: a successful unlink, unlinkat or
//! rmdir marks the fds (and current directories) named by the path it removed. /proc is not
//! asked: with eBPF it is read after the process ran on, when the number may be another file.
//! A removal tracer did not see (another process's, or one filtered out with no fds followed)
//! leaves the name without its mark.

use std::{
    ffi::OsStr,
    os::unix::ffi::{OsStrExt, OsStringExt},
    path::{Path, PathBuf},
};

use super::{FdName, FdTable};
use crate::{
    decode::{Arg, Syscall},
    tables::flags::AT_FDCWD,
};

/// What /proc appends to the path of a file no longer linked.
pub(super) const DELETED: &[u8] = b" (deleted)";

impl FdTable {
    /// After a successful `sc`: if it removed a path, the fds and directories named by it are
    /// marked deleted, in every process (another may hold it open).
    pub(super) fn removed(&mut self, sc: &Syscall) {
        let (dir, path) = match (sc.def.map(|d| d.name), sc.args.as_slice()) {
            (Some("unlink" | "rmdir"), [Arg::Str { bytes, .. }, ..]) => (AT_FDCWD, bytes),
            (Some("unlinkat"), [Arg::Fd(dir), Arg::Str { bytes, .. }, ..]) => (*dir, bytes),
            _ => return,
        };
        let Some(gone) = self.removed_path(sc.tgid, dir, path) else {
            return;
        };
        let gone = gone.into_os_string().into_vec();
        self.each_path(|path| {
            if *path == gone {
                path.extend_from_slice(DELETED);
            }
        });
    }

    /// Every path the table names (fds and current directories, in every process), to change.
    pub(super) fn each_path(&mut self, mut f: impl FnMut(&mut Vec<u8>)) {
        let fds = self.procs.values_mut().flat_map(|t| t.values_mut());
        for name in fds.chain(self.cwds.values_mut()) {
            if let FdName::Path { path, .. } = name {
                f(path);
            }
        }
    }

    /// The path a removal (or a rename) named, as the table names files: its directory
    /// resolved (`dir`, then the kernel's resolution of its symlinks while it still exists),
    /// its last component as given (a removed symlink is the link, not its target).
    pub(super) fn removed_path(&mut self, tgid: u32, dir: i32, path: &[u8]) -> Option<PathBuf> {
        let full = self.host_path_of(tgid, dir, Path::new(OsStr::from_bytes(path)))?;
        let name = full.file_name()?;
        let parent = full.parent()?;
        let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
        Some(parent.join(name))
    }
}
