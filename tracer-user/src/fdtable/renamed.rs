//! Files and directories renamed while fds (or current directories) name them: /proc then
//! shows the new path, which strace prints, reading the link as it prints each call
//! (`write(4</tmp/log.1>, ...)` after `rename("/tmp/log", "/tmp/log.1")`: log rotation).
//!
//! Learnt from the trace itself, the same with both backends, as removals are (`deleted`): a
//! successful rename, renameat or renameat2 renames every name at or below the old path, in
//! every process, and marks what the new path named before as deleted (it was replaced);
//! `RENAME_EXCHANGE` swaps the two. A rename tracer did not see (another process's) leaves
//! the old name: with eBPF /proc is read after the process ran on, too late to tell.

use super::{FdTable, deleted::DELETED};
use crate::{
    decode::{Arg, Syscall},
    tables::flags::AT_FDCWD,
};

/// renameat2's flag that swaps the two paths (linux/fs.h).
const RENAME_EXCHANGE: u64 = 2;

impl FdTable {
    /// After a successful `sc`: if it renamed a path, the names under it follow.
    pub(super) fn renamed(&mut self, sc: &Syscall, flags: u64) {
        let (from, to, flags) = match (sc.def.map(|d| d.name), sc.args.as_slice()) {
            (Some("rename"), [Arg::Str { bytes: a, .. }, Arg::Str { bytes: b, .. }, ..]) => {
                ((AT_FDCWD, a), (AT_FDCWD, b), 0)
            }
            (
                Some(name @ ("renameat" | "renameat2")),
                [
                    Arg::Fd(d1),
                    Arg::Str { bytes: a, .. },
                    Arg::Fd(d2),
                    Arg::Str { bytes: b, .. },
                    ..,
                ],
            ) => {
                let flags = if name == "renameat2" { flags } else { 0 };
                ((*d1, a), (*d2, b), flags)
            }
            _ => return,
        };
        let (Some(from), Some(to)) = (
            self.removed_path(sc.tgid, from.0, from.1),
            self.removed_path(sc.tgid, to.0, to.1),
        ) else {
            return;
        };
        let (from, to) = (bytes_of(from), bytes_of(to));
        let exchange = flags & RENAME_EXCHANGE != 0;
        self.each_path(|path| {
            if let Some(moved) = moved(path, &from, &to) {
                *path = moved;
            } else if exchange && let Some(moved) = moved(path, &to, &from) {
                *path = moved;
            } else if !exchange && *path == to {
                // Replaced: the file the new path named is no longer linked.
                path.extend_from_slice(DELETED);
            }
        });
    }
}

fn bytes_of(path: std::path::PathBuf) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    path.into_os_string().into_vec()
}

/// `path` with `from` (itself, or a directory above it) renamed `to`.
fn moved(path: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let rest = path.strip_prefix(from)?;
    if !(rest.is_empty() || rest.starts_with(b"/")) {
        return None;
    }
    Some([to, rest].concat())
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn a_path_at_or_below_the_renamed_one_moves() {
        assert_eq!(
            moved(b"/t/a", b"/t/a", b"/t/b").as_deref(),
            Some(&b"/t/b"[..])
        );
        assert_eq!(
            moved(b"/t/a/x (deleted)", b"/t/a", b"/u").as_deref(),
            Some(&b"/u/x (deleted)"[..])
        );
        assert_eq!(moved(b"/t/ab", b"/t/a", b"/t/b"), None);
        assert_eq!(moved(b"/t", b"/t/a", b"/t/b"), None);
    }
}
