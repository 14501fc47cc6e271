//! Argument kinds: one kind says both how strace renders an argument and what the kernel side
//! must fetch for it (and when), so capture and decoding cannot disagree. Each syscall's kinds
//! are in its row (`tables::syscallent`); syscalls without them fall back to the declared C
//! types of the generated table.

use super::flags::Xlat;

/// A struct (or array) the kernel reads or writes through a pointer argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructKind {
    Stat,
    Statx,
    Timespec,
    Timeval,
    Rlimit,
    Sigaction,
    Sigset,
    Utsname,
    Sysinfo,
    /// struct tms (times).
    Tms,
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
    /// siginfo_t the caller passes or the kernel fills: read whole (128 bytes), as strace
    /// reads it, so one not all readable prints as its address.
    Siginfo,
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
    /// sendmmsg/recvmmsg's `struct mmsghdr` array. sendmmsg: every entry it was given, whose
    /// count is the argument at this index (`msg_len` shown for those sent); recvmmsg (0):
    /// the entries the call received, the return value's count.
    Mmsghdr(u8),
    Argv,
    Envp,
    /// getdents64 buffer; the return value is its length.
    Dirents,
    /// getdents's buffer of `struct linux_dirent` (`d_type` in its last byte); the return
    /// value is its length.
    OldDirents,
    /// CPU mask; the return value is its length.
    CpuSet,
    /// CPU mask the caller passes; the argument at this index is its length.
    CpuSetOf(u8),
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
    /// capget/capset's `__user_cap_header_struct` (version, pid); `decode::caps` prints it.
    CapHeader,
    /// capget/capset's two `__user_cap_data_struct`s; `decode::caps` prints them.
    CapData,
    /// semop's `struct sembuf` array; the argument at this index is the count.
    Sembufs(u8),
    /// futex_waitv's `struct futex_waitv` array; the argument at this index is the count.
    Waitv(u8),
    /// msgsnd/msgrcv's `struct msgbuf` (`{mtype=1, mtext="..."}`); the argument at this index
    /// is the text's length.
    Msgbuf(u8),
    /// POSIX message queue's `struct mq_attr`; `true`: `mq_flags` by name (mq_getsetattr),
    /// else in hex (mq_open), as strace's printmqattr.
    MqAttr(bool),
    /// `struct sigevent` (mq_notify).
    Sigevent,
    /// An array of pointers (move_pages' pages): `[0x7f..., NULL]`; the argument at this
    /// index is the count.
    PtrArray(u8),
    /// An array of C ints (move_pages' nodes): `[0, 1]`; the argument at this index is the
    /// count.
    IntArray(u8),
    /// kexec_load's `struct kexec_segment` array; the argument at this index is the count.
    KexecSegments(u8),
    /// move_pages' status array: each page's node, or the error it got (`-ENOENT`); the
    /// argument at this index is the count.
    PageStatus(u8),
    /// utimes/futimesat's two timevals, printed with their dates.
    Timevals,
    /// utime's `struct utimbuf`: `{actime=N /* date */, modtime=N /* date */}`.
    Utimbuf,
    /// A NUMA node mask of as many bits as the argument at this index says (less one, as
    /// strace counts them): `[0x00000000000001]`.
    Nodemask(u8),
    /// mincore's vector: one byte per page of the length at this index, `[1, 0, 0]`.
    Mincore(u8),
    /// An iovec array of another process (process_vm_readv/writev's remote side): the
    /// addresses and lengths only; the argument at this index is the count.
    IovAddrs(u8),
    /// `struct sched_attr`: `true` sched_setattr's (its own size says how long it is), else
    /// sched_getattr's (the argument after it).
    SchedAttr(bool),
    /// name_to_handle_at's `struct file_handle` (its 8-byte header and up to 128 bytes of
    /// handle), read before and after the call; `decode::longtail` prints it.
    FileHandle,
    /// adjtimex/clock_adjtime's `struct timex` (208 bytes), read as the call ends (what the
    /// kernel wrote back); `decode::time` prints it.
    Timex,
    /// `struct timezone` (gettimeofday, settimeofday): `{tz_minuteswest=0, tz_dsttime=0}`.
    Timezone,
    /// A pointer the kernel writes (io_setup's context): `[0x7f...]`.
    PtrVal,
    /// io_submit's `struct iocb *` array and the iocbs; the argument at this index is the
    /// count. `decode::aio` prints it.
    Iocbs(u8),
    /// io_cancel's `struct iocb`: strace prints its header only.
    IocbHeader,
    /// A `struct io_event` (io_cancel's result).
    IoEvent,
    /// io_getevents/io_pgetevents' `struct io_event` array; the return value is the count.
    IoEvents,
}

impl StructKind {
    /// Bytes of one element of the arrays strace prints element by element (its
    /// print_array): the elements before an unreadable one print, then `... /* 0xADDR */`
    /// (`decode::structs`). None for the other kinds.
    pub const fn array_elem(self) -> Option<usize> {
        match self {
            StructKind::Pollfds(_) | StructKind::PtrArray(_) | StructKind::Nodemask(_) => Some(8),
            StructKind::Sembufs(_) => Some(6),
            StructKind::Gids | StructKind::IntArray(_) | StructKind::PageStatus(_) => Some(4),
            StructKind::Waitv(_) => Some(24),
            StructKind::KexecSegments(_) => Some(32),
            _ => None,
        }
    }
}

/// How one argument renders and what is fetched for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// 32-bit signed.
    Int,
    /// 32-bit unsigned.
    UInt,
    /// 64-bit signed.
    Long,
    /// A uid_t or gid_t as strace's printuid: `-1` for (uid_t) -1, else unsigned.
    Id,
    /// 64-bit unsigned.
    ULong,
    Hex,
    /// 32-bit unsigned in hex (`0`, `0xffffffff`): strace's `%#x` for an unsigned int.
    Hex32,
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
    /// Bits of a flag table in a long: unknown bits keep all 64 (`mprotect`'s
    /// `0xfffffffffcfffff0`).
    LongFlags(Xlat),
    /// One value of a table (the number when unknown).
    Enum(Xlat),
    /// A signal number.
    Sig,
    /// A process id (32-bit signed; `-Y` names the process).
    Pid,
    /// A struct the kernel reads.
    In(StructKind),
    /// A struct the kernel writes (printed only when the call succeeded).
    Out(StructKind),
    /// A struct the kernel reads and writes (fetched at enter and at exit).
    InOut(StructKind),
    /// Rendered by the syscall's own decoder; fetches nothing.
    Custom,
    /// Rendered by the syscall's own decoder, from this many bytes fetched at exit.
    CustomIn(u16),
    /// Rendered by the syscall's own decoder, from the bytes the return value counts.
    CustomOutBuf,
    /// Rendered by the syscall's own decoder, from a string fetched at exit.
    CustomStr,
    /// Rendered by the syscall's own decoder, from as many bytes as the argument at this index
    /// says, fetched at exit: input or output by the command (keyctl's buffers).
    CustomBuf(u8),
    /// Rendered by the syscall's own decoder, from as many bytes as the argument at this
    /// index says, up to a page (a struct that states its size, openat2's and mount_setattr's:
    /// strace shows the bytes past its known end that are not all zero).
    CustomSized(u8),
    /// Rendered by the syscall's own decoder, from what its own capture reads as the call
    /// starts and as it ends (io_uring_register's argument): printed as the call ends.
    CustomInOut,
}

impl ArgKind {
    /// Whether the kernel writes this argument: strace prints the arguments before the first
    /// such one when the call starts, the rest when it ends.
    pub fn is_output(self) -> bool {
        use StructKind::{FileHandle, Msghdr, SchedAttr, SockaddrOut, Socklen};
        matches!(
            self,
            ArgKind::Out(_)
                | ArgKind::OutBuf
                | ArgKind::CustomOutBuf
                | ArgKind::CustomInOut
                | ArgKind::InOut(Msghdr | Socklen | SockaddrOut(_) | SchedAttr(_) | FileHandle)
        )
    }
}
