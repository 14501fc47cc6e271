//! A successful exec closes the process's close-on-exec fds: their names must go with them
//! (strace, reading /proc as it prints, shows such a number bare in the new program; the
//! table kept its old name: `fcntl(5</etc/passwd>, F_GETFD) = -1 EBADF`).

use std::collections::HashSet;

use super::{AT_FDCWD, FdTable};

impl FdTable {
    /// Process `tgid` exec'd: the fds /proc no longer shows are forgotten. With ptrace the
    /// process is stopped at the exec's end, so /proc is exact; with eBPF it may have run on,
    /// and an fd it closed since only loses its name a little early (printed bare, as an fd
    /// the table does not know), never gets a wrong one. A process already gone (no fd dir,
    /// or an empty one: a zombie's) tells nothing: its names are kept.
    pub(super) fn exec_closed(&mut self, tgid: u32) {
        let Some(table) = self.procs.get_mut(&tgid) else {
            return;
        };
        let Ok(dir) = std::fs::read_dir(format!("/proc/{tgid}/fd")) else {
            return;
        };
        let open: HashSet<i32> = dir
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        if open.is_empty() {
            return;
        }
        table.retain(|fd, _| *fd == AT_FDCWD || open.contains(fd));
        self.born
            .retain(|&(t, fd), _| t != tgid || open.contains(&fd));
    }
}
