//! The syscall row: everything tracer knows about one syscall, in one place. The number, name
//! and declared parameters come from the generated table (`syscalls_gen`), the argument kinds,
//! classes, behaviour flags and decoder from the hand-written one (`syscallent`); other
//! modules ask the row (`def.is_fork()`) instead of keeping lists of names.

use super::{Param, args::ArgKind};

/// strace's syscall classes for `-e trace=%CLASS`, as bits (its syscallent's TD, TF, ...).
pub mod class {
    /// `%desc`: takes or returns a file descriptor.
    pub const TD: u32 = 1 << 0;
    /// `%file`: takes a file name.
    pub const TF: u32 = 1 << 1;
    /// `%network` (`%net`).
    pub const TN: u32 = 1 << 2;
    /// `%process`: process management.
    pub const TP: u32 = 1 << 3;
    /// `%signal`.
    pub const TS: u32 = 1 << 4;
    /// `%memory`: memory mapping.
    pub const TM: u32 = 1 << 5;
    /// `%ipc`: System V IPC.
    pub const TI: u32 = 1 << 6;
    /// `%creds`: user and group ids, capabilities.
    pub const TC: u32 = 1 << 7;
    /// `%clock`: reading or changing clocks.
    pub const TCL: u32 = 1 << 8;
    /// `%pure`: always succeeds, takes no arguments.
    pub const PU: u32 = 1 << 9;
    /// `%stat`.
    pub const TSTA: u32 = 1 << 10;
    /// `%lstat`.
    pub const TLST: u32 = 1 << 11;
    /// `%fstat`.
    pub const TFST: u32 = 1 << 12;
    /// `%%stat`: every stat variant.
    pub const TSTAT_LIKE: u32 = 1 << 13;
    /// `%statfs`.
    pub const TSF: u32 = 1 << 14;
    /// `%fstatfs`.
    pub const TFSF: u32 = 1 << 15;
    /// `%%statfs`: every statfs variant.
    pub const TSFA: u32 = 1 << 16;
}

/// What a syscall does that the tracer must know about, as bits.
pub mod behaviour {
    /// Can wait for a long time, or another task runs first (fork): the kernel reports its
    /// start too, so its line can show while it waits and be cut like strace's.
    pub const BLOCKS: u32 = 1 << 0;
    /// Never returns to the caller: reported at enter.
    pub const NO_RETURN: u32 = 1 << 1;
    /// Creates a task (clone, fork, vfork, clone3).
    pub const FORK: u32 = 1 << 2;
    /// Replaces the process image: its input is read at enter, since after a successful exec
    /// the memory its pointers point into is gone.
    pub const EXEC: u32 = 1 << 3;
    /// Returns a new file descriptor.
    pub const RET_FD: u32 = 1 << 4;
    /// Returns an address, printed in hex.
    pub const RET_ADDR: u32 = 1 << 5;
    /// Returns a process id (`-Y` names it). Not wait4: the child it returns is reaped by
    /// then, and strace prints it bare.
    pub const RET_PID: u32 = 1 << 6;
    /// Creates, duplicates or closes descriptors, moves the current directory, removes or
    /// renames a path an fd may name, or reaps a child a pidfd names (`-yy`): recorded even
    /// when not shown whenever fds are followed, so a filtered trace names its fds.
    pub const FD_BOOK: u32 = 1 << 7;
    /// Renames a task (an exec, prctl's PR_SET_NAME): with `-Y`, recorded whatever `-e
    /// trace=` says, to keep each task's name (as are the `REAPS` calls).
    pub const TASK_NAME: u32 = 1 << 11;
    /// Reaps a child (wait4 returns its pid, waitid's siginfo holds it): with `-Y` the
    /// child's name is forgotten then, and with `-yy` a pidfd of it is named by path.
    pub const REAPS: u32 = 1 << 12;
    /// Reads data into argument 1 (a buffer, an iovec array, a msghdr).
    pub const DATA_IN: u32 = 1 << 14;
    /// Writes data from argument 1 (a buffer, an iovec array, a msghdr).
    pub const DATA_OUT: u32 = 1 << 15;
    /// Argument 1 is an iovec array.
    pub const VECTORED: u32 = 1 << 16;
    /// Argument 1 is a msghdr.
    pub const MSG: u32 = 1 << 17;
    /// Reads or writes at an offset of a file, not a stream (pread64, preadv, ...).
    pub const AT_OFFSET: u32 = 1 << 18;
    /// Argument 1 is an mmsghdr array (sendmmsg, recvmmsg), with `DATA_OUT` or `DATA_IN`:
    /// the return value counts messages, each entry's `msg_len` its bytes.
    pub const MMSG: u32 = 1 << 19;
    /// Sends a signal whose siginfo names the caller (kill, tkill, tgkill, rt_sigqueueinfo,
    /// rt_tgsigqueueinfo, pidfd_send_signal): its delivery to another traced process waits
    /// for the call's line (`pipeline::sender_wait`).
    pub const SENDS_SIGNAL: u32 = 1 << 20;
}

/// The decoder that finishes a syscall's arguments where they depend on other arguments or on
/// the outcome (strace's `SEN`): `decode` resolves each to its function in the topic modules
/// of `decode` (named in brackets), without looking at the syscall's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    /// The argument kinds (or the declared types) say it all.
    Generic,
    /// open's flags and mode (`decode::fs`).
    Open,
    /// openat's flags and mode (`decode::fs`).
    Openat,
    /// access's mode (`decode::fs`).
    Access,
    /// faccessat's and faccessat2's mode (`decode::fs`).
    Faccessat,
    /// statx's `AT_*` flags (`decode::fs`).
    Statx,
    /// umask's old mask in octal (`decode::fs`).
    Umask,
    /// getcwd's directory (`decode::fs`).
    Getcwd,
    /// getrandom's bytes in hex (`decode::fs`).
    Getrandom,
    /// fcntl's command and its argument (`decode::fs`).
    Fcntl,
    /// openat2's struct open_how (`decode::fs`).
    Openat2,
    /// fsconfig's value and aux by command (`decode::mount`).
    Fsconfig,
    /// mount_setattr's struct mount_attr (`decode::mount`).
    MountSetattr,
    /// bpf's command and its attr (`decode::bpf`; captured by `spec::bpf_captures`).
    Bpf,
    /// perf_event_open's attr (`decode::perf`; captured by `spec::perf_captures`).
    PerfEventOpen,
    /// seccomp's operation and what it takes (`decode::seccomp`; `spec::seccomp_captures`).
    Seccomp,
    /// landlock_create_ruleset's attr and flags (`decode::landlock`).
    LandlockCreateRuleset,
    /// landlock_add_rule's rule (`decode::landlock`).
    LandlockAddRule,
    /// quotactl's command and what it takes (`decode::quota`).
    Quotactl,
    /// keyctl's command and what it takes (`decode::keyctl`).
    Keyctl,
    /// add_key's keyring (`decode::keyctl`).
    AddKey,
    /// request_key's keyring (`decode::keyctl`).
    RequestKey,
    /// mq_open's flags, and its mode and attr with O_CREAT only (`decode::mq`).
    MqOpen,
    /// mmap's flags (`decode::mem`).
    Mmap,
    /// mremap's new address with MREMAP_FIXED only (`decode::mem`).
    Mremap,
    /// membarrier's answer to MEMBARRIER_CMD_QUERY (`decode::mem`).
    Membarrier,
    /// socket's type and protocol (`decode::net`).
    Socket,
    /// socketpair's type (`decode::net`).
    Socketpair,
    /// setsockopt's level, name and value (`decode::net`).
    Setsockopt,
    /// getsockopt's level, name and value (`decode::net`).
    Getsockopt,
    /// poll's ready fds (`decode::net`).
    Poll,
    /// ppoll's ready fds and time left (`decode::net`).
    Ppoll,
    /// recvmmsg's time left (`decode::mmsg`).
    Recvmmsg,
    /// select's ready sets and time left, a timeval (`decode::net`).
    Select,
    /// pselect6's ready sets and time left, a timespec (`decode::net`).
    Pselect6,
    /// epoll_ctl's event, ignored for EPOLL_CTL_DEL (`decode::net`).
    EpollCtl,
    /// epoll_wait's (and epoll_pwait's, epoll_pwait2's) events (`decode::net`).
    EpollWait,
    /// clone's flags and labelled arguments (`decode::process`).
    Clone,
    /// clone3's parent tid once it returned (`decode::process`).
    Clone3,
    /// wait4's status (`decode::process`).
    Wait4,
    /// waitid's id: a pid, a process group or a pidfd by its idtype (`decode::process`).
    Waitid,
    /// prctl's option and its arguments (`decode::process`).
    Prctl,
    /// capget's header, and the sets the kernel wrote (`decode::caps`).
    Capget,
    /// capset's header and sets (`decode::caps`).
    Capset,
    /// futex's operation and its arguments (`decode::time`).
    Futex,
    /// ioctl requests (`decode::ioctl`).
    Ioctl,
    /// ptrace requests (`decode::ptrace`).
    Ptrace,
    /// shmget's key and flags (`decode::ipc`).
    Shmget,
    /// shmctl's command (`decode::ipc`).
    Shmctl,
    /// msgget's key and flags (`decode::ipc`).
    Msgget,
    /// msgctl's command (`decode::ipc`).
    Msgctl,
    /// semget's key and flags (`decode::ipc`).
    Semget,
    /// semctl's command (`decode::ipc`).
    Semctl,
    /// The long tail's fix-ups by syscall name (`decode::longtail`).
    LongTail,
    /// The splice family's offsets: splice's and copy_file_range's as they were given,
    /// sendfile's unsigned (`decode::structs`).
    Offsets,
    /// The rt_sig* calls' sigsets (addresses unless their size is 8) and rt_sigtimedwait's
    /// signal returned (`decode::signal`).
    Signals,
    /// signalfd4's sigset, an address unless its size is 8 (`decode::notify`).
    Signalfd4,
    /// fanotify_init's class and flags, its event files' `O_*` flags (`decode::notify`).
    FanotifyInit,
    /// fanotify_mark's dirfd `FAN_NOFD` (`decode::notify`).
    FanotifyMark,
    /// io_uring_setup's params (`decode::io_uring`).
    IoUringSetup,
    /// io_uring_enter's sigset, an address unless its size is 8 (`decode::io_uring`).
    IoUringEnter,
    /// io_uring_register's argument by opcode (`decode::io_uring`).
    IoUringRegister,
    /// The sweep's odd syscalls by name (`decode::misc`).
    Misc,
    /// reboot's RESTART2 string, sethostname/setdomainname's name (`decode::system`).
    System,
    /// adjtimex/clock_adjtime's clock state returned by name (`decode::time`).
    Adjtimex,
}

/// What a syscall does to the descriptors a process holds (followed by `fdtable`, and for
/// sockets read in the kernel by `capture`), besides a new fd it returns (`RET_FD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FdEffect {
    None,
    /// Opens its path argument, relative to the directory fd before it if there is one.
    Open,
    /// Duplicates the fd in argument 0 (fcntl: with F_DUPFD).
    Dup,
    /// Closes the fd in argument 0.
    Close,
    /// Closes the fds from argument 0 to argument 1 (close_range).
    CloseRange,
    /// Creates a socket (its inode is read in the kernel: `-y` names sockets by it).
    Socket,
    /// Accepts a connection on the socket in argument 0: a new socket.
    Accept,
    /// Connects the socket in argument 0 (its endpoints change).
    Connect,
    /// Binds or listens on the socket in argument 0 (its endpoints change).
    Bind,
    /// Sends on the socket in argument 0, which binds it if unbound.
    Send,
    /// Returns two new pipe fds in an array.
    Pipe,
    /// Returns two new connected sockets in an array.
    SocketPair,
    /// Moves the current directory to the path in argument 0.
    Chdir,
    /// Moves the current directory to the fd in argument 0.
    Fchdir,
    /// Changes the root directory: paths relative to the old directory no longer resolve.
    Chroot,
    /// Creates a memfd named by argument 0.
    Memfd,
    /// Opens the POSIX message queue named by argument 0: `/NAME` in the mqueue file system,
    /// as /proc names it.
    MqOpen,
    /// Creates an anonymous inode, named as /proc names it (`[eventfd]`): known from the
    /// call, for when the fd is gone before it could be asked.
    Anon(&'static str),
}

/// One x86_64 syscall: its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallDef {
    pub nr: u32,
    pub name: &'static str,
    /// None when the kernel has no tracepoint (and so no declared parameters) for it.
    pub params: Option<&'static [Param]>,
    /// The kind of each argument; None: decoded from the declared C types.
    pub args: Option<&'static [ArgKind]>,
    /// `class` bits.
    pub classes: u32,
    /// `behaviour` bits.
    pub flags: u32,
    pub decoder: Decoder,
    pub fd: FdEffect,
    /// Arguments printed when a cut line starts, when not the ones before the first output
    /// (clone's labelled arguments after the flags are printed when it returns).
    pub split_at: Option<u8>,
}

impl SyscallDef {
    /// A syscall tracer knows nothing about beyond its declaration.
    pub const fn bare(name: &'static str) -> Self {
        Self {
            nr: 0,
            name,
            params: None,
            args: None,
            classes: 0,
            flags: 0,
            decoder: Decoder::Generic,
            fd: FdEffect::None,
            split_at: None,
        }
    }

    /// Whether it belongs to any of the `class` bits in `classes`.
    pub fn in_class(&self, classes: u32) -> bool {
        self.classes & classes != 0
    }

    /// Whether it has every `behaviour` bit in `flags`.
    pub fn has(&self, flags: u32) -> bool {
        self.flags & flags == flags
    }

    /// See [`behaviour::BLOCKS`].
    pub fn blocks(&self) -> bool {
        self.has(behaviour::BLOCKS)
    }

    /// See [`behaviour::NO_RETURN`].
    pub fn never_returns(&self) -> bool {
        self.has(behaviour::NO_RETURN)
    }

    /// See [`behaviour::FORK`].
    pub fn is_fork(&self) -> bool {
        self.has(behaviour::FORK)
    }

    /// See [`behaviour::EXEC`].
    pub fn is_exec(&self) -> bool {
        self.has(behaviour::EXEC)
    }

    /// See [`behaviour::FD_BOOK`].
    pub fn keeps_fd_book(&self) -> bool {
        self.has(behaviour::FD_BOOK)
    }

    /// Sends or receives data through the socket in argument 0 (sendto, recvfrom, sendmsg,
    /// recvmsg): strace prints that data by the socket's kind (netlink messages).
    pub fn socket_data(&self) -> bool {
        self.classes & class::TN != 0
            && self.flags & (behaviour::DATA_IN | behaviour::DATA_OUT) != 0
            && self.flags & behaviour::MMSG == 0
            && self.arg(0) == Some(ArgKind::Fd)
    }

    /// The kind of argument `i`, if the row gives kinds.
    pub fn arg(&self, i: usize) -> Option<ArgKind> {
        self.args.and_then(|a| a.get(i)).copied()
    }

    /// The index of the first argument the kernel writes (strace prints the arguments before
    /// it when the call starts, the rest when it ends); None when all are input.
    pub fn first_output(&self) -> Option<usize> {
        self.args?.iter().position(|k| k.is_output())
    }

    /// The indices of the path arguments (for `-P`): from the kinds, or without them, the
    /// declared `const char *` parameters.
    pub fn path_args(&self) -> Vec<usize> {
        match self.args {
            Some(k) => k
                .iter()
                .enumerate()
                .filter(|(_, a)| matches!(a, ArgKind::Path))
                .map(|(i, _)| i)
                .collect(),
            None => self
                .params
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_input_string())
                .map(|(i, _)| i)
                .collect(),
        }
    }
}
