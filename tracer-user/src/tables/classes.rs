//! strace's syscall classes for `-e trace=%CLASS`: which x86_64 syscalls each class holds, as
//! strace 6.x assigns them (its syscallent tables' TD, TF, TN, ... bits).

/// One class: its `%name`s (the first is the canonical one) and its members.
pub struct Class {
    pub names: &'static [&'static str],
    pub members: &'static [&'static str],
}

/// `%desc`: syscalls taking or returning a file descriptor.
const DESC: &[&str] = &[
    "read",
    "write",
    "open",
    "close",
    "fstat",
    "poll",
    "lseek",
    "mmap",
    "ioctl",
    "pread64",
    "pwrite64",
    "readv",
    "writev",
    "pipe",
    "select",
    "dup",
    "dup2",
    "sendfile",
    "fcntl",
    "flock",
    "fsync",
    "fdatasync",
    "ftruncate",
    "getdents",
    "fchdir",
    "creat",
    "fchmod",
    "fchown",
    "fstatfs",
    "readahead",
    "fsetxattr",
    "fgetxattr",
    "flistxattr",
    "fremovexattr",
    "epoll_create",
    "getdents64",
    "fadvise64",
    "epoll_wait",
    "epoll_ctl",
    "mq_open",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
    "inotify_init",
    "inotify_add_watch",
    "inotify_rm_watch",
    "openat",
    "mkdirat",
    "mknodat",
    "fchownat",
    "futimesat",
    "newfstatat",
    "unlinkat",
    "renameat",
    "linkat",
    "symlinkat",
    "readlinkat",
    "fchmodat",
    "faccessat",
    "pselect6",
    "ppoll",
    "splice",
    "tee",
    "sync_file_range",
    "vmsplice",
    "utimensat",
    "epoll_pwait",
    "signalfd",
    "timerfd_create",
    "eventfd",
    "fallocate",
    "timerfd_settime",
    "timerfd_gettime",
    "signalfd4",
    "eventfd2",
    "epoll_create1",
    "dup3",
    "pipe2",
    "inotify_init1",
    "preadv",
    "pwritev",
    "perf_event_open",
    "fanotify_init",
    "fanotify_mark",
    "name_to_handle_at",
    "open_by_handle_at",
    "syncfs",
    "setns",
    "finit_module",
    "renameat2",
    "memfd_create",
    "kexec_file_load",
    "bpf",
    "execveat",
    "userfaultfd",
    "copy_file_range",
    "preadv2",
    "pwritev2",
    "statx",
    "pidfd_send_signal",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "pidfd_open",
    "openat2",
    "pidfd_getfd",
    "faccessat2",
    "process_madvise",
    "epoll_pwait2",
    "mount_setattr",
    "quotactl_fd",
    "landlock_create_ruleset",
    "landlock_add_rule",
    "landlock_restrict_self",
    "memfd_secret",
    "process_mrelease",
    "cachestat",
    "fchmodat2",
    "setxattrat",
    "getxattrat",
];

/// `%file`: syscalls taking a file name.
const FILE: &[&str] = &[
    "open",
    "stat",
    "lstat",
    "access",
    "execve",
    "truncate",
    "getcwd",
    "chdir",
    "rename",
    "mkdir",
    "rmdir",
    "creat",
    "link",
    "unlink",
    "symlink",
    "readlink",
    "chmod",
    "chown",
    "lchown",
    "utime",
    "mknod",
    "uselib",
    "statfs",
    "pivot_root",
    "chroot",
    "acct",
    "mount",
    "umount2",
    "swapon",
    "swapoff",
    "quotactl",
    "setxattr",
    "lsetxattr",
    "getxattr",
    "lgetxattr",
    "listxattr",
    "llistxattr",
    "removexattr",
    "lremovexattr",
    "utimes",
    "inotify_add_watch",
    "openat",
    "mkdirat",
    "mknodat",
    "fchownat",
    "futimesat",
    "newfstatat",
    "unlinkat",
    "renameat",
    "linkat",
    "symlinkat",
    "readlinkat",
    "fchmodat",
    "faccessat",
    "utimensat",
    "fanotify_mark",
    "name_to_handle_at",
    "renameat2",
    "execveat",
    "statx",
    "open_tree",
    "move_mount",
    "fsconfig",
    "fspick",
    "openat2",
    "faccessat2",
    "mount_setattr",
    "fchmodat2",
    "setxattrat",
    "getxattrat",
];

/// `%network`: network related syscalls.
const NETWORK: &[&str] = &[
    "sendfile",
    "socket",
    "connect",
    "accept",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "shutdown",
    "bind",
    "listen",
    "getsockname",
    "getpeername",
    "socketpair",
    "setsockopt",
    "getsockopt",
    "getpmsg",
    "putpmsg",
    "accept4",
    "recvmmsg",
    "sendmmsg",
];

/// `%process`: process management.
const PROCESS: &[&str] = &[
    "clone",
    "fork",
    "vfork",
    "execve",
    "exit",
    "wait4",
    "kill",
    "tkill",
    "exit_group",
    "tgkill",
    "waitid",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "execveat",
    "pidfd_send_signal",
    "clone3",
];

/// `%signal`: signal related syscalls.
const SIGNAL: &[&str] = &[
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "pause",
    "kill",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigqueueinfo",
    "rt_sigsuspend",
    "sigaltstack",
    "tkill",
    "tgkill",
    "signalfd",
    "signalfd4",
    "rt_tgsigqueueinfo",
    "pidfd_send_signal",
    "io_uring_enter",
];

/// `%memory`: memory mapping.
const MEMORY: &[&str] = &[
    "mmap",
    "mprotect",
    "munmap",
    "brk",
    "mremap",
    "msync",
    "mincore",
    "madvise",
    "shmat",
    "shmdt",
    "remap_file_pages",
    "mlock",
    "munlock",
    "mlockall",
    "munlockall",
    "io_setup",
    "io_destroy",
    "mbind",
    "set_mempolicy",
    "get_mempolicy",
    "migrate_pages",
    "move_pages",
    "mlock2",
    "pkey_mprotect",
    "io_uring_register",
    "set_mempolicy_home_node",
    "map_shadow_stack",
    "mseal",
];

/// `%ipc`: System V IPC.
const IPC: &[&str] = &[
    "shmget",
    "shmat",
    "shmctl",
    "semget",
    "semop",
    "semctl",
    "shmdt",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semtimedop",
];

/// `%creds`: user and group identifiers, capabilities.
const CREDS: &[&str] = &[
    "getuid",
    "getgid",
    "setuid",
    "setgid",
    "geteuid",
    "getegid",
    "setreuid",
    "setregid",
    "getgroups",
    "setgroups",
    "setresuid",
    "getresuid",
    "setresgid",
    "getresgid",
    "setfsuid",
    "setfsgid",
    "capget",
    "capset",
    "prctl",
];

/// `%clock`: reading or changing clocks.
const CLOCK: &[&str] = &[
    "gettimeofday",
    "adjtimex",
    "settimeofday",
    "time",
    "clock_settime",
    "clock_gettime",
    "clock_getres",
    "clock_adjtime",
];

/// `%pure`: syscalls that always succeed and take no arguments.
const PURE: &[&str] = &[
    "getpid", "getuid", "getgid", "geteuid", "getegid", "getppid", "getpgrp", "gettid",
];

pub static CLASSES: &[Class] = &[
    Class {
        names: &["desc"],
        members: DESC,
    },
    Class {
        names: &["file"],
        members: FILE,
    },
    Class {
        names: &["network", "net"],
        members: NETWORK,
    },
    Class {
        names: &["process"],
        members: PROCESS,
    },
    Class {
        names: &["signal"],
        members: SIGNAL,
    },
    Class {
        names: &["memory"],
        members: MEMORY,
    },
    Class {
        names: &["ipc"],
        members: IPC,
    },
    Class {
        names: &["creds"],
        members: CREDS,
    },
    Class {
        names: &["clock"],
        members: CLOCK,
    },
    Class {
        names: &["pure"],
        members: PURE,
    },
    Class {
        names: &["stat"],
        members: &["stat"],
    },
    Class {
        names: &["lstat"],
        members: &["lstat"],
    },
    Class {
        names: &["fstat"],
        members: &["fstat", "newfstatat", "statx"],
    },
    Class {
        names: &["%stat"],
        members: &["stat", "fstat", "lstat", "newfstatat", "statx"],
    },
    Class {
        names: &["statfs"],
        members: &["statfs"],
    },
    Class {
        names: &["fstatfs"],
        members: &["fstatfs"],
    },
    Class {
        names: &["%statfs"],
        members: &["ustat", "statfs", "fstatfs"],
    },
];

/// The class called `name` (without its leading `%`).
pub fn by_name(name: &str) -> Option<&'static Class> {
    CLASSES.iter().find(|c| c.names.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_is_a_known_syscall() {
        for class in CLASSES {
            for name in class.members {
                assert!(
                    crate::tables::by_name(name).is_some(),
                    "%{}: {name}",
                    class.names[0]
                );
            }
        }
    }

    #[test]
    fn classes_by_name() {
        let net = by_name("net").expect("alias");
        assert!(net.members.contains(&"accept4"));
        assert!(by_name("file").is_some_and(|c| c.members.contains(&"openat")));
        assert!(by_name("nosuch").is_none());
    }
}
