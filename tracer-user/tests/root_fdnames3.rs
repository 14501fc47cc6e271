//! Fd names against real strace 6.1 where tasks share, or stop sharing, their fd table and
//! current directory (tests/workloads/fdnames3.c); strace and tracer (both backends) must
//! print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// `-f -y`: a thread's fd 3 after its `unshare(CLONE_FILES)` is its own (tracer renamed its
/// process's fd 3 `</etc/passwd>` and left the thread's bare once the process closed its
/// own); a thread's directory after `unshare(CLONE_FS)` is not moved by its process's chdir
/// (tracer: `AT_FDCWD</var>` for `</usr>`), and a thread it makes shares it; a process
/// cloned with `CLONE_FS` moves its parent (tracer: the parent's `AT_FDCWD</var>` for
/// `</dev>`), one cloned with `CLONE_FILES` names its parent's new fd (tracer: bare);
/// `close_range(3, 4294967295, 0)` leaves `AT_FDCWD` named (tracer: bare after it, -100
/// being in the range as an unsigned number), as does `CLOSE_RANGE_UNSHARE`.
#[test]
fn root_fd_names_follow_shared_tables_as_strace() {
    require_root();
    let calls = "openat,close,fcntl,unshare,chdir,fchdir,faccessat,close_range";
    // Exits and signals race the other tasks' calls.
    let options = ["-f", "-qq", "-y", "-e", "signal=none"];
    masked_as_strace(&options, "fdnames3", calls, child_ids, false);
}
