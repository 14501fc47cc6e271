//! Fd names against real strace 6.1 where tasks share, or stop sharing, their fd table and
//! current directory, and where an fd's name is not (or no longer) the path it was opened by
//! (tests/workloads/fdnames3.c); strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::sync::LazyLock;

use common::*;
use decoders::*;
use regex::Regex;

/// What differs between two runs: the `-f` prefix (pids), an O_TMPFILE file's inode, the pid
/// pidfd_open is given, and what `run_ids` masks.
fn ids(text: &str) -> String {
    static IDS: LazyLock<[(Regex, &str); 3]> = LazyLock::new(|| {
        [
            (r"(?m)^\d+ +", ""),
            (r"/#\d+>", "/#INO>"),
            (r"pidfd_open\(\d+", "pidfd_open(N"),
        ]
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
    });
    let text = replaced(text, &*IDS);
    run_ids(&text)
}

/// `-f -y`: a thread's fd 3 after its `unshare(CLONE_FILES)` is its own (tracer renamed its
/// process's fd 3 `</etc/passwd>` and left the thread's bare once the process closed its
/// own); a thread's directory after `unshare(CLONE_FS)` is not moved by its process's chdir
/// (tracer: `AT_FDCWD</var>` for `</usr>`), and a thread it makes shares it; a process
/// cloned with `CLONE_FS` moves its parent (tracer: the parent's `AT_FDCWD</var>` for
/// `</dev>`), one cloned with `CLONE_FILES` names its parent's new fd (tracer: bare);
/// `close_range(3, 4294967295, 0)` leaves `AT_FDCWD` named (tracer: bare after it, -100
/// being in the range as an unsigned number), as does `CLOSE_RANGE_UNSHARE`.
/// Renames by the process: a renamed file's, a file's under a renamed directory and a renamed
/// current directory's new names (tracer kept the old ones), a file replaced by a rename
/// `(deleted)`, `RENAME_EXCHANGE` swapping two; an `O_TMPFILE` file `</dir/#INO>(deleted)`
/// (tracer: the directory), an `O_PATH|O_NOFOLLOW` symlink by the link (tracer: its target),
/// files opened through `/proc/self/root` and `/proc/thread-self/root` (eBPF: the /proc path).
#[test]
fn root_fd_names_follow_shared_tables_as_strace() {
    require_root();
    let calls = "openat,close,fcntl,unshare,chdir,fchdir,faccessat,close_range,write,rename,\
                 renameat,renameat2,unlink,rmdir,symlink";
    // Exits and signals race the other tasks' calls.
    let options = ["-f", "-qq", "-y", "-e", "signal=none"];
    masked_as_strace(&options, "fdnames3", calls, ids, false);
}

/// `-yy`: a pidfd whose child was reaped is named by its path, `3<anon_inode:[pidfd]>` (the
/// wait is followed though `-e trace=` leaves it out; tracer kept `3<pid:N>`), and a UDP
/// socket received with `SCM_RIGHTS` is `UDP:[INO]` (ptrace named it `socket:[INO]`; eBPF
/// leaves received fds bare: the kernel side does not read their inodes).
#[test]
fn root_fd_names_of_reaped_and_received_as_strace() {
    require_root();
    let options = ["-f", "-qq", "-yy", "-e", "signal=none"];
    masked_as_strace(
        &options,
        "fdnames3",
        "pidfd_open,fcntl,recvmsg,shutdown",
        ids,
        true,
    );
}
