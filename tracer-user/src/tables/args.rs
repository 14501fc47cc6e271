//! The argument table: for each syscall, the kind of each argument. One kind says both how
//! strace renders the argument and what the kernel side must fetch for it (and when), so
//! capture and decoding cannot disagree. Syscalls not listed fall back to the declared C types
//! of the generated table.

use super::xlat::*;
use crate::tables::flags::Xlat;

/// A struct (or array) the kernel reads or writes through a pointer argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S {
    Stat,
    Statx,
    Timespec,
    Timeval,
    Rlimit,
    Sigaction,
    Sigset,
    Utsname,
    Sysinfo,
    /// Two ints (pipe and socketpair fds).
    IntPair,
    /// One int, printed `[N]`.
    IntVal,
    /// One 64-bit offset (loff_t), printed `[N]`.
    Loff,
    Rusage,
    Itimerspec,
    Itimerval,
    StackT,
    EpollEvent,
    /// pollfd array; the argument at this index is the count.
    Pollfds(u8),
    /// epoll_event array; the return value is the count.
    EpollEvents,
    /// fd_set; the argument at this index is nfds.
    FdSet(u8),
    /// sockaddr; the argument at this index is its length.
    Sockaddr(u8),
    /// sockaddr written by the kernel; the argument at this index points to its length.
    SockaddrOut(u8),
    /// socklen_t the kernel reads and updates: `[16]` or `[128 => 16]`.
    Socklen,
    /// iovec array; the argument at this index is the count.
    Iov(u8),
    Msghdr,
    Argv,
    Envp,
    /// getdents64 buffer; the return value is its length.
    Dirents,
    /// CPU mask; the return value is its length.
    CpuSet,
    /// clone3 args; the argument at this index is the struct size.
    CloneArgs(u8),
    /// gid_t array: the return value (getgroups) or the first argument (setgroups) counts it.
    Gids,
    /// The signal mask saved in the signal frame at the stack pointer (rt_sigreturn).
    SigframeMask,
    /// Two timespecs (utimensat), printed with their dates.
    Utimes,
    Statfs,
    /// A timespec the kernel writes only when the call is interrupted (nanosleep's `rem`):
    /// printed then, else as its address, as strace does.
    Remaining,
    /// pselect6's sixth argument, `{sigmask=[USR1], sigsetsize=8}`: a sigset pointer and its
    /// size.
    SigmaskPair,
}

/// How one argument renders and what is fetched for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum A {
    /// 32-bit signed.
    Int,
    /// 32-bit unsigned.
    UInt,
    /// 64-bit signed.
    Long,
    /// 64-bit unsigned.
    ULong,
    Hex,
    Ptr,
    Fd,
    /// A directory fd: `AT_FDCWD` or the fd.
    DirFd,
    /// Octal mode.
    Mode,
    /// A path: no `-s` limit.
    Path,
    /// A NUL-terminated string, `-s` applies.
    Str,
    /// Bytes the caller passes; the argument at this index is their length.
    InBuf(u8),
    /// Bytes the kernel wrote; the return value is their length.
    OutBuf,
    /// Bits of a flag table (`0` when none).
    Flags(Xlat),
    /// One value of a table (the number when unknown).
    Enum(Xlat),
    /// A signal number.
    Sig,
    /// A struct the kernel reads.
    In(S),
    /// A struct the kernel writes (printed only when the call succeeded).
    Out(S),
    /// A struct the kernel reads and writes (fetched at enter and at exit).
    InOut(S),
    /// Rendered by the syscall's own decoder; fetches nothing.
    Custom,
    /// Rendered by the syscall's own decoder, from this many bytes fetched at exit.
    CustomIn(u16),
    /// Rendered by the syscall's own decoder, from the bytes the return value counts.
    CustomOutBuf,
    /// Rendered by the syscall's own decoder, from a string fetched at exit.
    CustomStr,
}

use A::*;
use S::*;

/// (syscall, argument kinds).
pub static ARGS: &[(&str, &[A])] = &[
    // I/O
    ("read", &[Fd, OutBuf, ULong]),
    ("write", &[Fd, InBuf(2), ULong]),
    ("pread64", &[Fd, OutBuf, ULong, Long]),
    ("pwrite64", &[Fd, InBuf(2), ULong, Long]),
    ("readv", &[Fd, Out(Iov(2)), Int]),
    ("writev", &[Fd, In(Iov(2)), Int]),
    ("sendfile", &[Fd, Fd, InOut(Loff), ULong]),
    (
        "splice",
        &[Fd, InOut(Loff), Fd, InOut(Loff), ULong, Flags(SPLICE_FLAGS)],
    ),
    ("close", &[Fd]),
    ("close_range", &[UInt, UInt, Flags(CLOSE_RANGE_FLAGS)]),
    ("dup", &[Fd]),
    ("dup2", &[Fd, Fd]),
    ("dup3", &[Fd, Fd, Flags(PIPE_FLAGS)]),
    ("pipe", &[Out(IntPair)]),
    ("pipe2", &[Out(IntPair), Flags(PIPE_FLAGS)]),
    ("lseek", &[Fd, Long, Enum(WHENCE)]),
    // strace prints the lengths unsigned (18446744073709551615 for -1).
    ("fadvise64", &[Fd, Long, ULong, Enum(FADVISE)]),
    ("fsync", &[Fd]),
    ("fdatasync", &[Fd]),
    ("ftruncate", &[Fd, ULong]),
    ("truncate", &[Path, ULong]),
    ("fallocate", &[Fd, Flags(FALLOC_FLAGS), Long, Long]),
    ("flock", &[Fd, Flags(FLOCK_OPS)]),
    ("fcntl", &[Fd, Custom, CustomIn(32)]),
    ("ioctl", &[Fd, Custom, CustomIn(36)]),
    ("getdents64", &[Fd, Out(Dirents), UInt]),
    ("eventfd2", &[UInt, Flags(EFD_FLAGS)]),
    ("memfd_create", &[Str, Flags(MEMFD_FLAGS)]),
    // files and paths
    ("open", &[Path, Custom, Custom]),
    ("openat", &[DirFd, Path, Custom, Custom]),
    ("creat", &[Path, Mode]),
    ("stat", &[Path, Out(Stat)]),
    ("lstat", &[Path, Out(Stat)]),
    ("fstat", &[Fd, Out(Stat)]),
    ("newfstatat", &[DirFd, Path, Out(Stat), Flags(AT_FLAGS)]),
    (
        "statx",
        &[DirFd, Path, Custom, Flags(STATX_MASKS), Out(Statx)],
    ),
    ("access", &[Path, Custom]),
    ("faccessat", &[DirFd, Path, Custom]),
    ("faccessat2", &[DirFd, Path, Custom, Flags(FACCESSAT_FLAGS)]),
    ("getcwd", &[CustomOutBuf, ULong]),
    ("chdir", &[Path]),
    ("fchdir", &[Fd]),
    ("chroot", &[Path]),
    ("mkdir", &[Path, Mode]),
    ("mkdirat", &[DirFd, Path, Mode]),
    ("rmdir", &[Path]),
    ("unlink", &[Path]),
    ("unlinkat", &[DirFd, Path, Flags(AT_FLAGS)]),
    ("rename", &[Path, Path]),
    ("renameat", &[DirFd, Path, DirFd, Path]),
    (
        "renameat2",
        &[DirFd, Path, DirFd, Path, Flags(RENAME_FLAGS)],
    ),
    ("link", &[Path, Path]),
    ("linkat", &[DirFd, Path, DirFd, Path, Flags(AT_FLAGS)]),
    ("symlink", &[Path, Path]),
    ("symlinkat", &[Path, DirFd, Path]),
    ("readlink", &[Path, OutBuf, ULong]),
    ("readlinkat", &[DirFd, Path, OutBuf, ULong]),
    ("chmod", &[Path, Mode]),
    ("fchmod", &[Fd, Mode]),
    ("fchmodat", &[DirFd, Path, Mode]),
    ("chown", &[Path, Int, Int]),
    ("lchown", &[Path, Int, Int]),
    ("fchown", &[Fd, Int, Int]),
    ("fchownat", &[DirFd, Path, Int, Int, Flags(AT_FLAGS)]),
    ("umask", &[Mode]),
    ("getxattr", &[Path, Str, OutBuf, ULong]),
    (
        "setxattr",
        &[Path, Str, InBuf(3), ULong, Flags(XATTR_FLAGS)],
    ),
    (
        "lsetxattr",
        &[Path, Str, InBuf(3), ULong, Flags(XATTR_FLAGS)],
    ),
    ("fsetxattr", &[Fd, Str, InBuf(3), ULong, Flags(XATTR_FLAGS)]),
    ("utimensat", &[DirFd, Path, In(Utimes), Flags(AT_FLAGS)]),
    ("statfs", &[Path, Out(Statfs)]),
    ("fstatfs", &[Fd, Out(Statfs)]),
    ("lgetxattr", &[Path, Str, OutBuf, ULong]),
    ("fgetxattr", &[Fd, Str, OutBuf, ULong]),
    ("inotify_init1", &[Flags(IN_INIT_FLAGS)]),
    ("inotify_add_watch", &[Fd, Path, Flags(IN_MASK)]),
    ("inotify_rm_watch", &[Fd, Int]),
    // memory
    ("mmap", &[Ptr, ULong, Flags(MMAP_PROT), Custom, Fd, Hex]),
    ("mprotect", &[Ptr, ULong, Flags(MMAP_PROT)]),
    ("munmap", &[Ptr, ULong]),
    ("mremap", &[Ptr, ULong, ULong, Flags(MREMAP_FLAGS), Ptr]),
    ("brk", &[Ptr]),
    ("madvise", &[Ptr, ULong, Enum(MADVISE)]),
    ("msync", &[Ptr, ULong, Flags(MSYNC_FLAGS)]),
    ("mlock", &[Ptr, ULong]),
    ("munlock", &[Ptr, ULong]),
    ("mlockall", &[Flags(MLOCK_FLAGS)]),
    ("membarrier", &[Enum(MEMBARRIER_CMDS), UInt]),
    // network
    ("socket", &[Enum(ADDR_FAMILIES), Custom, Custom]),
    (
        "socketpair",
        &[Enum(ADDR_FAMILIES), Custom, Int, Out(IntPair)],
    ),
    ("connect", &[Fd, In(Sockaddr(2)), UInt]),
    ("bind", &[Fd, In(Sockaddr(2)), UInt]),
    ("listen", &[Fd, Int]),
    ("accept", &[Fd, Out(SockaddrOut(2)), InOut(Socklen)]),
    (
        "accept4",
        &[
            Fd,
            Out(SockaddrOut(2)),
            InOut(Socklen),
            Flags(SOCK_TYPE_FLAGS),
        ],
    ),
    ("getsockname", &[Fd, Out(SockaddrOut(2)), InOut(Socklen)]),
    ("getpeername", &[Fd, Out(SockaddrOut(2)), InOut(Socklen)]),
    ("setsockopt", &[Fd, Custom, Custom, In(Sockaddr(4)), UInt]),
    (
        "getsockopt",
        &[Fd, Custom, Custom, Out(SockaddrOut(4)), InOut(Socklen)],
    ),
    (
        "sendto",
        &[Fd, InBuf(2), ULong, Flags(MSG_FLAGS), In(Sockaddr(5)), UInt],
    ),
    (
        "recvfrom",
        &[
            Fd,
            OutBuf,
            ULong,
            Flags(MSG_FLAGS),
            Out(SockaddrOut(5)),
            InOut(Socklen),
        ],
    ),
    ("sendmsg", &[Fd, In(Msghdr), Flags(MSG_FLAGS)]),
    ("recvmsg", &[Fd, InOut(Msghdr), Flags(MSG_FLAGS)]),
    ("shutdown", &[Fd, Enum(SHUTDOWN_MODES)]),
    // polling
    ("poll", &[InOut(Pollfds(1)), UInt, Int]),
    (
        "ppoll",
        &[InOut(Pollfds(1)), UInt, InOut(Timespec), In(Sigset), ULong],
    ),
    (
        "select",
        &[
            Int,
            InOut(FdSet(0)),
            InOut(FdSet(0)),
            InOut(FdSet(0)),
            InOut(Timeval),
        ],
    ),
    (
        "pselect6",
        &[
            Int,
            InOut(FdSet(0)),
            InOut(FdSet(0)),
            InOut(FdSet(0)),
            InOut(Timespec),
            In(SigmaskPair),
        ],
    ),
    ("epoll_create", &[Int]),
    ("epoll_create1", &[Flags(EPOLL_CREATE_FLAGS)]),
    ("epoll_ctl", &[Fd, Enum(EPOLL_CTL_OPS), Fd, In(EpollEvent)]),
    ("epoll_wait", &[Fd, Out(EpollEvents), Int, Int]),
    (
        "epoll_pwait",
        &[Fd, Out(EpollEvents), Int, Int, In(Sigset), ULong],
    ),
    (
        "epoll_pwait2",
        &[Fd, Out(EpollEvents), Int, In(Timespec), In(Sigset), ULong],
    ),
    // processes
    ("clone", &[Custom, Ptr, Ptr, Ptr, Hex]),
    ("clone3", &[In(CloneArgs(1)), ULong]),
    ("execve", &[Path, In(Argv), In(Envp)]),
    (
        "execveat",
        &[DirFd, Path, In(Argv), In(Envp), Flags(AT_FLAGS)],
    ),
    (
        "wait4",
        &[Int, Out(IntVal), Flags(WAIT_OPTIONS), Out(Rusage)],
    ),
    ("exit", &[Int]),
    ("exit_group", &[Int]),
    ("sched_get_priority_max", &[Enum(SCHED_POLICIES)]),
    ("sched_get_priority_min", &[Enum(SCHED_POLICIES)]),
    ("unshare", &[Flags(CLONE_FLAGS)]),
    ("kill", &[Int, Sig]),
    ("tkill", &[Int, Sig]),
    ("tgkill", &[Int, Int, Sig]),
    (
        "prlimit64",
        &[Int, Enum(RLIMIT_RESOURCES), In(Rlimit), Out(Rlimit)],
    ),
    ("getrlimit", &[Enum(RLIMIT_RESOURCES), Out(Rlimit)]),
    ("setrlimit", &[Enum(RLIMIT_RESOURCES), In(Rlimit)]),
    ("arch_prctl", &[Enum(ARCH_PRCTL_CODES), Ptr]),
    ("set_tid_address", &[Ptr]),
    ("set_robust_list", &[Ptr, ULong]),
    ("rseq", &[Ptr, Hex, Flags(RSEQ_FLAGS), Hex]),
    ("prctl", &[Custom, CustomStr, Custom, Custom, Custom]),
    ("sched_getaffinity", &[Int, UInt, Out(CpuSet)]),
    ("getpriority", &[Enum(PRIO_WHICH), Int]),
    ("setpriority", &[Enum(PRIO_WHICH), Int, Int]),
    ("setpgid", &[Int, Int]),
    ("getpgid", &[Int]),
    ("getsid", &[Int]),
    ("setuid", &[Int]),
    ("setgid", &[Int]),
    ("setreuid", &[Int, Int]),
    ("setregid", &[Int, Int]),
    ("setresuid", &[Int, Int, Int]),
    ("setresgid", &[Int, Int, Int]),
    ("getgroups", &[Int, Out(Gids)]),
    ("setgroups", &[Int, In(Gids)]),
    ("getresuid", &[Out(IntVal), Out(IntVal), Out(IntVal)]),
    ("getresgid", &[Out(IntVal), Out(IntVal), Out(IntVal)]),
    ("uname", &[Out(Utsname)]),
    ("sysinfo", &[Out(Sysinfo)]),
    // signals
    ("rt_sigaction", &[Sig, In(Sigaction), Out(Sigaction), ULong]),
    (
        "rt_sigprocmask",
        &[Enum(SIGPROCMASK_HOW), In(Sigset), Out(Sigset), ULong],
    ),
    ("rt_sigreturn", &[In(SigframeMask)]),
    ("rt_sigsuspend", &[In(Sigset), ULong]),
    ("rt_sigpending", &[Out(Sigset), ULong]),
    ("sigaltstack", &[In(StackT), Out(StackT)]),
    ("signalfd4", &[Fd, In(Sigset), ULong, Flags(SFD_FLAGS)]),
    // time
    ("nanosleep", &[In(Timespec), Out(Remaining)]),
    (
        "clock_nanosleep",
        &[
            Enum(CLOCK_IDS),
            Flags(TIMER_FLAGS),
            In(Timespec),
            Out(Remaining),
        ],
    ),
    ("clock_gettime", &[Enum(CLOCK_IDS), Out(Timespec)]),
    ("clock_getres", &[Enum(CLOCK_IDS), Out(Timespec)]),
    ("gettimeofday", &[Out(Timeval), Ptr]),
    ("alarm", &[UInt]),
    (
        "setitimer",
        &[Enum(ITIMER_WHICH), In(Itimerval), Out(Itimerval)],
    ),
    ("getitimer", &[Enum(ITIMER_WHICH), Out(Itimerval)]),
    (
        "timerfd_create",
        &[Enum(CLOCK_IDS), Flags(TFD_CREATE_FLAGS)],
    ),
    (
        "timerfd_settime",
        &[
            Fd,
            Flags(TFD_SETTIME_FLAGS),
            In(Itimerspec),
            Out(Itimerspec),
        ],
    ),
    ("timerfd_gettime", &[Fd, Out(Itimerspec)]),
    ("futex", &[Ptr, Custom, Custom, CustomIn(16), Ptr, Custom]),
    ("getrandom", &[CustomOutBuf, ULong, Flags(GRND_FLAGS)]),
];

/// The argument kinds of `name`, if the table lists it. Looked up once per event, so by hash
/// rather than by walking the table.
pub fn kinds(name: &str) -> Option<&'static [A]> {
    static BY_NAME: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static [A]>> =
        std::sync::LazyLock::new(|| ARGS.iter().map(|(n, k)| (*n, *k)).collect());
    BY_NAME.get(name).copied()
}

/// Calls that can wait for a long time, or during which another task runs first (fork): the
/// kernel reports their start too, so their line can show while they wait and be cut like
/// strace's when another task prints meanwhile.
pub const BLOCKING: &[&str] = &[
    "read",
    "readv",
    "recvfrom",
    "recvmsg",
    "recvmmsg",
    "accept",
    "accept4",
    "connect",
    "wait4",
    "waitid",
    "poll",
    "ppoll",
    "select",
    "pselect6",
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "futex",
    "nanosleep",
    "clock_nanosleep",
    "pause",
    "rt_sigsuspend",
    "rt_sigtimedwait",
    "msgrcv",
    "semop",
    "semtimedop",
    "flock",
    "io_getevents",
    "clone",
    "clone3",
    "fork",
    "vfork",
    "execve",
    "execveat",
];

/// The index of the first argument the kernel writes (strace prints the arguments before it
/// when the call starts, the rest when it ends); None when all are input.
pub fn first_output(name: &str) -> Option<usize> {
    kinds(name)?.iter().position(|k| {
        matches!(
            k,
            Out(_) | OutBuf | CustomOutBuf | InOut(Msghdr | Socklen | SockaddrOut(_))
        )
    })
}

/// The indices of `name`'s path arguments (for `-P`): from the table, or for syscalls it does
/// not list, the declared `const char *` parameters.
pub fn path_args(name: &str) -> Vec<usize> {
    match kinds(name) {
        Some(k) => k
            .iter()
            .enumerate()
            .filter(|(_, a)| matches!(a, Path))
            .map(|(i, _)| i)
            .collect(),
        None => super::by_name(name)
            .and_then(|d| d.params)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, p)| crate::capture::is_input_string(p))
            .map(|(i, _)| i)
            .collect(),
    }
}
