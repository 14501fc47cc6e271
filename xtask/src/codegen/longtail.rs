//! The long tail's flag and value tables (memory policies, sched_attr's flags, a wait
//! status's ptrace events, mlock2, sync_file_range, kcmp,
//! userfaultfd, setns, unshare, name_to_handle_at, preadv2/pwritev2, membarrier, memfd_secret): the names strace 6.1 prints
//! for them, in its order (what it printed for the sweep's all-ones arguments,
//! tests/workloads/sweep.c), valued by compiling the UAPI headers.

use anyhow::Result;

use super::headers::{Table, render};

const MEMPOLICY: &str = "linux/mempolicy.h";
const SCHED: &str = "linux/sched.h";
const FCNTL: &str = "linux/fcntl.h";

const TABLES: &[Table] = &[
    Table {
        constant: "MLOCK2_FLAGS",
        prefix: "MLOCK_",
        header: "linux/mman.h",
        names: &["MLOCK_ONFAULT"],
    },
    Table::defines("PTRACE_EVENTS", "PTRACE_EVENT_", "linux/ptrace.h"),
    Table {
        constant: "SCHED_ATTR_FLAGS",
        prefix: "SCHED_FLAG_",
        header: SCHED,
        names: &[
            "SCHED_FLAG_RESET_ON_FORK",
            "SCHED_FLAG_RECLAIM",
            "SCHED_FLAG_DL_OVERRUN",
            "SCHED_FLAG_KEEP_POLICY",
            "SCHED_FLAG_KEEP_PARAMS",
            "SCHED_FLAG_UTIL_CLAMP_MIN",
            "SCHED_FLAG_UTIL_CLAMP_MAX",
        ],
    },
    Table {
        constant: "MPOL_MODES",
        prefix: "MPOL_",
        header: MEMPOLICY,
        names: &[
            "MPOL_DEFAULT",
            "MPOL_PREFERRED",
            "MPOL_BIND",
            "MPOL_INTERLEAVE",
            "MPOL_LOCAL",
            "MPOL_PREFERRED_MANY",
        ],
    },
    Table {
        constant: "MPOL_MODE_FLAGS",
        prefix: "MPOL_",
        header: MEMPOLICY,
        names: &[
            "MPOL_F_STATIC_NODES",
            "MPOL_F_RELATIVE_NODES",
            "MPOL_F_NUMA_BALANCING",
        ],
    },
    Table {
        constant: "MBIND_FLAGS",
        prefix: "MPOL_",
        header: MEMPOLICY,
        names: &["MPOL_MF_STRICT", "MPOL_MF_MOVE", "MPOL_MF_MOVE_ALL"],
    },
    Table {
        constant: "MOVE_PAGES_FLAGS",
        prefix: "MPOL_",
        header: MEMPOLICY,
        names: &["MPOL_MF_MOVE", "MPOL_MF_MOVE_ALL"],
    },
    Table {
        constant: "GET_MEMPOLICY_FLAGS",
        prefix: "MPOL_",
        header: MEMPOLICY,
        names: &["MPOL_F_NODE", "MPOL_F_ADDR", "MPOL_F_MEMS_ALLOWED"],
    },
    Table {
        constant: "SYNC_FILE_RANGE_FLAGS",
        prefix: "SYNC_FILE_RANGE_",
        header: "linux/fs.h",
        names: &[
            "SYNC_FILE_RANGE_WAIT_BEFORE",
            "SYNC_FILE_RANGE_WRITE",
            "SYNC_FILE_RANGE_WAIT_AFTER",
        ],
    },
    Table {
        constant: "KCMP_TYPES",
        prefix: "KCMP_",
        header: "linux/kcmp.h",
        names: &[
            "KCMP_FILE",
            "KCMP_VM",
            "KCMP_FILES",
            "KCMP_FS",
            "KCMP_SIGHAND",
            "KCMP_IO",
            "KCMP_SYSVSEM",
            "KCMP_EPOLL_TFD",
        ],
    },
    Table {
        constant: "UFFD_FLAGS",
        prefix: "UFFD_",
        header: "linux/userfaultfd.h",
        names: &["UFFD_USER_MODE_ONLY", "O_NONBLOCK", "O_CLOEXEC"],
    },
    Table {
        constant: "SETNS_TYPES",
        prefix: "CLONE_NEW",
        header: SCHED,
        names: &[
            "CLONE_NEWTIME",
            "CLONE_NEWNS",
            "CLONE_NEWCGROUP",
            "CLONE_NEWUTS",
            "CLONE_NEWIPC",
            "CLONE_NEWUSER",
            "CLONE_NEWPID",
            "CLONE_NEWNET",
        ],
    },
    Table {
        constant: "UNSHARE_FLAGS",
        prefix: "CLONE_",
        header: SCHED,
        names: &[
            "CLONE_NEWTIME",
            "CLONE_VM",
            "CLONE_FS",
            "CLONE_FILES",
            "CLONE_SIGHAND",
            "CLONE_THREAD",
            "CLONE_NEWNS",
            "CLONE_SYSVSEM",
            "CLONE_NEWCGROUP",
            "CLONE_NEWUTS",
            "CLONE_NEWIPC",
            "CLONE_NEWUSER",
            "CLONE_NEWPID",
            "CLONE_NEWNET",
        ],
    },
    Table {
        constant: "NAME_TO_HANDLE_AT_FLAGS",
        prefix: "AT_",
        header: FCNTL,
        names: &["AT_SYMLINK_FOLLOW", "AT_EMPTY_PATH"],
    },
    // strace 6.1 knows no RWF_NOAPPEND, RWF_ATOMIC, RWF_DONTCACHE.
    Table {
        constant: "RWF_FLAGS",
        prefix: "RWF_",
        header: "linux/fs.h",
        names: &[
            "RWF_HIPRI",
            "RWF_DSYNC",
            "RWF_SYNC",
            "RWF_NOWAIT",
            "RWF_APPEND",
        ],
    },
    Table {
        constant: "MEMBARRIER_FLAGS",
        prefix: "MEMBARRIER_CMD_FLAG_",
        header: "linux/membarrier.h",
        names: &["MEMBARRIER_CMD_FLAG_CPU"],
    },
    Table {
        constant: "MEMFD_SECRET_FLAGS",
        prefix: "O_",
        header: FCNTL,
        names: &["O_CLOEXEC"],
    },
];

/// The generated `longtail_gen.rs`.
pub fn tables() -> Result<String> {
    render("The long tail's flags and values", TABLES)
}
