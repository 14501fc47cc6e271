//! Issue 19's broad corpus: a tester's short C programs (`tracer-user/tests/workloads/broad/`),
//! each calling one family's syscalls with valid, invalid and NULL arguments (files, stat,
//! memory, signals, timers, polling, fd notification, ids and limits, sockets, messages,
//! netlink, ioctls, IPC, keys, futexes, bpf/perf/landlock/seccomp, the mount API, process
//! calls, threads, string escaping), run as workloads `c-broad-NAME`. What differs between
//! two strace runs is taken out of the programs (the clock, ticks, sysinfo, the current cpu,
//! kcmp's ordering, bpf ids, perf counter reads, inotify/fanotify events of a shared /tmp,
//! loopback statistics, socket dumps of the whole system, stack bytes a bad length reads),
//! so the figures count only what tracer can match.

use std::path::Path;

use anyhow::Result;

/// (workload, program): `broad/PROGRAM.c`, built as `broad-PROGRAM`.
pub const PROGRAMS: [(&str, &str); 23] = [
    ("c-broad-bpfperf", "bpfperf"),
    ("c-broad-cap", "cap"),
    ("c-broad-fcntl", "fcntl"),
    ("c-broad-fdnotify", "fdnotify"),
    ("c-broad-file1", "file1"),
    ("c-broad-futex", "futex"),
    ("c-broad-ioctl", "ioctl"),
    ("c-broad-ipc", "ipc"),
    ("c-broad-keys", "keys"),
    ("c-broad-mem", "mem"),
    ("c-broad-misc", "misc"),
    ("c-broad-mount", "mount"),
    ("c-broad-msg", "msg"),
    ("c-broad-nl", "nl"),
    ("c-broad-poll", "poll"),
    ("c-broad-proc", "proc"),
    ("c-broad-sig", "sig"),
    ("c-broad-sock", "sock"),
    ("c-broad-sockopt", "sockopt"),
    ("c-broad-statx", "statx"),
    ("c-broad-strings", "strings"),
    ("c-broad-thread", "thread"),
    ("c-broad-time", "time"),
];

/// Builds every program of `sources/broad` into `dir` (`broad-NAME`) with `compile`.
pub fn build(
    sources: &Path,
    dir: &Path,
    compile: impl Fn(&Path, &Path) -> Result<()>,
) -> Result<()> {
    for (_, name) in PROGRAMS {
        compile(
            &sources.join("broad").join(format!("{name}.c")),
            &dir.join(format!("broad-{name}")),
        )?;
    }
    Ok(())
}

/// Puts back what a program changed outside its run: the files and the mount point it makes
/// under /tmp (`/tmp/tracer-broad-*`) and its extended attribute on /tmp itself.
pub fn clean() -> Result<()> {
    for entry in std::fs::read_dir("/tmp")?.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("tracer-broad-")
        {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path);
            let _ = std::fs::remove_file(&path);
        }
    }
    // SAFETY: both strings are NUL-terminated literals; a missing attribute is ENODATA.
    unsafe { libc::removexattr(c"/tmp".as_ptr(), c"user.broad".as_ptr()) };
    Ok(())
}
