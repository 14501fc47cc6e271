//! The capture table: for each syscall number, what the kernel fetches for each argument.
//!
//! Userspace fills the `SPECS` array map from its syscall table at startup; the kernel program
//! interprets it, so supporting a new pointer argument is a table row, not kernel code.

/// Nothing to fetch: the raw register value is enough.
pub const CAP_NONE: u8 = 0;
/// A NUL-terminated string, up to `max` bytes including the NUL.
pub const CAP_CSTR: u8 = 1;
/// Bytes whose count is argument `size_arg` (times `scale`), up to `max`.
pub const CAP_BUF_ARG: u8 = 2;
/// Bytes whose count is the return value (times `scale`), when it is positive; up to `max`.
pub const CAP_BUF_RET: u8 = 3;
/// Exactly `max` bytes (a fixed-size struct).
pub const CAP_FIXED: u8 = 4;
/// A sockaddr whose length is the u32 that argument `size_arg` points to, up to `max`.
pub const CAP_SOCKADDR_PLEN: u8 = 5;
/// A u32 the kernel reads and writes (a socklen_t): its value at enter, kept in the per-thread
/// state, and at exit. Blob: two u32s, in then out.
pub const CAP_U32_INOUT: u8 = 6;
/// An iovec array of argument `size_arg` entries and the data it points to.
/// Blob: `ArrayHeader`, an `IovecEntry` per captured entry, then per entry a slot of
/// `ArrayHeader::slot` bytes holding its captured data.
pub const CAP_IOVEC: u8 = 7;
/// A `struct msghdr`: the struct (blob of this kind), then sub-blobs for the same argument:
/// `CAP_SUB_NAME`, `CAP_IOVEC` (its iovecs and data) and `CAP_SUB_CONTROL`.
pub const CAP_MSGHDR: u8 = 8;
/// A NULL-terminated array of strings (execve's argv), each up to `max` bytes, at most
/// `STRV_MAX_ITEMS` of them. Blob: `ArrayHeader`, then per string a `StrvItem` and a slot of
/// `ArrayHeader::slot` bytes holding it.
pub const CAP_STRV: u8 = 9;
/// A NULL-terminated array of pointers, counted only (execve's envp). Blob: one
/// `ArrayHeader` whose `count` is the number of pointers.
pub const CAP_PTRV_COUNT: u8 = 10;
/// Sub-blob of `CAP_MSGHDR`: the address `msg_name` points to.
pub const CAP_SUB_NAME: u8 = 11;
/// Sub-blob of `CAP_MSGHDR`: the control data `msg_control` points to.
pub const CAP_SUB_CONTROL: u8 = 12;
/// Exactly `max` bytes at the argument's value plus `scale * 8` (a field inside a frame the
/// argument points to).
pub const CAP_AT_OFFSET: u8 = 13;
/// The inode numbers of new fds, read from the process's fd table in the kernel (so pipes and
/// sockets are named even when the process closes them before userspace looks): the return
/// value's fd when `scale` is 0, else the `scale` ints the argument points to.
/// Blob: a `FdInode` per fd.
pub const CAP_FD_INODE: u8 = 14;
/// `-yy`: a socket's endpoints, read from its `struct sock` in the kernel while the call runs
/// (so a connection closed before userspace looks is still named): the socket of the return
/// value's fd when `scale` is 0, else of argument 0's fd. Blob: one `SockInfo`.
pub const CAP_SOCK: u8 = 15;
/// A successful exec's program path and argv, read back from the new image (the strings the
/// kernel copied to its stack), for when the caller's memory could not be read at sys_enter
/// (a page never touched: system()'s command, posix_spawn's argv). Blob: an `ExecArea`, the
/// path in a slot of `EXEC_PATH_CAP` bytes, then `argv_len` bytes of NUL-separated argv.
pub const CAP_EXEC_AREA: u8 = 16;
/// A struct of `scale` 8-byte words whose first word points to `max` more bytes (pselect6's
/// `{const sigset_t *ss; size_t ss_len}`). Blob: the words, then the bytes pointed to (absent
/// when the pointer is NULL or could not be read).
pub const CAP_DEREF: u8 = 17;
/// What kind of socket the fd in argument 0 is (family, protocol, type; a netlink socket's
/// binding), read at sys_exit for the calls whose data strace decodes by socket kind
/// (netlink messages). Blob: one `SockProto`.
pub const CAP_SOCK_PROTO: u8 = 18;

/// sendmmsg/recvmmsg's `struct mmsghdr` array, as the call ends: its first `MMSG_MAX_ITEMS`
/// entries, no more than argument `size_arg` (sendmmsg's vlen: every entry given), or with
/// `size_arg` 0 the return value (recvmmsg: the messages received), each as a
/// `CAP_MSGHDR` blob of the whole `mmsghdr` (`MMSGHDR_SIZE` bytes: the msghdr, then
/// `msg_len`) followed by that msghdr's sub-blobs, its data cut at `msg_len`.
pub const CAP_MMSGHDR: u8 = 19;
/// Data a pointer field of a struct argument points to (bpf's `union bpf_attr`: the license,
/// a pinned path, a tracepoint name): the pointer is the u64 at argument `size_arg`'s value
/// plus `scale * 8`; from it a NUL-terminated string of at most `max` bytes (NUL included),
/// or with `CAPF_FIELD_BYTES` exactly `max` bytes. Blob: those bytes.
pub const CAP_PTR_FIELD: u8 = 20;
/// A struct that states its own size (perf_event_open's `struct perf_event_attr`): as many
/// bytes as the u32 at byte `size_arg` of it says, `scale * 8` when that is 0, up to `max`
/// (`ArgCapture::stated_size`). Blob: those bytes; faulted when the size cannot be read.
pub const CAP_SIZED: u8 = 21;
/// Most entries of a `CAP_MMSGHDR` array captured.
pub const MMSG_MAX_ITEMS: u64 = 4;

/// Fetch at sys_enter (input data that may be gone or changed at exit).
pub const PHASE_ENTER: u8 = 1 << 0;
/// Fetch at sys_exit from the pointer saved at enter (output data, or input still valid).
pub const PHASE_EXIT: u8 = 1 << 1;

/// `size_arg` counts bits (an fd_set's nfds): bytes are whole longs, as the kernel copies.
pub const CAPF_BITS: u16 = 1 << 0;
/// For `CAP_IOVEC` and `CAP_MSGHDR`: the data was written by the kernel; the return value
/// says how much of it is valid.
pub const CAPF_BY_RET: u16 = 1 << 1;
/// Only capture when the syscall succeeded (output that a failed call did not write).
pub const CAPF_ON_SUCCESS: u16 = 1 << 2;
/// Only capture when argument `size_arg` is not 0 (sendto's socket is read only when it names
/// a destination: only then can the call bind the socket).
pub const CAPF_IF_ARG: u16 = 1 << 3;
/// For buffers and msghdr data: when the fd in argument 0 is a netlink socket, capture up to
/// `NETLINK_CAP` bytes whatever `max` (`-s`) says: strace decodes netlink messages whole.
pub const CAPF_NETLINK_WHOLE: u16 = 1 << 4;
/// For `CAP_PTR_FIELD`: `max` bytes rather than a NUL-terminated string.
pub const CAPF_FIELD_BYTES: u16 = 1 << 5;
/// For `CAP_PTR_FIELD` with `CAPF_FIELD_BYTES`: as many bytes as the u16 at the struct's
/// start counts 8-byte entries (a `struct sock_fprog`'s `len` of `struct sock_filter`), up to
/// `max` (`ArgCapture::counted_bytes`).
pub const CAPF_FIELD_COUNTED: u16 = 1 << 6;
/// For `CAP_FIXED`: the bytes are as many as ioctl request argument `size_arg` takes
/// (`ArgCapture::ioctl_arg_size`), up to `max`: a loop device's status structs are larger
/// than what the other requests need.
pub const CAPF_IOCTL_SIZE: u16 = 1 << 7;
/// For `CAP_IOVEC`: io_submit's `struct iocb *` array. Its entries are bare 8-byte pointers,
/// each to an iocb (`IOCB_SIZE` bytes), followed in its slot by an `IOCB_CMD_PWRITE`'s
/// buffer, up to `max - IOCB_SIZE` bytes. The blob is an iovec blob whose entries' `len` is
/// `IOCB_SIZE` and `captured` counts both.
pub const CAPF_IOCBS: u16 = 1 << 8;
/// For `CAP_SOCK` from argument 0 (`scale` 1): also, or only (without `CAPF_IF_ARG`), when
/// the fd is a unix stream client whose peer was not accepted yet (`SOCK_PEER_EMBRYO` the
/// last time it was read): strace shows `[client]` until the server accepts, then
/// `[client->accepted]`, and only a read while the call runs tells which.
pub const CAPF_IF_PEER_PENDING: u16 = 1 << 9;
/// For `CAP_BUF_ARG` arrays strace prints element by element (its print_array): when the read
/// faults, keep the bytes before the fault (`readable_prefix`) in the faulted blob, so the
/// elements that could be read print before `... /* 0xADDR */`.
pub const CAPF_PREFIX: u16 = 1 << 10;
/// io_uring_register's argument (`uring`): for `CAP_FIXED`, as many bytes as its opcode
/// (argument 1) and `nr_args` (argument 3) say (`uring_arg_size`), up to `max`; for
/// `CAP_PTR_FIELD` with `CAPF_FIELD_BYTES`, the array the struct in argument `size_arg`
/// points to (`scale` 0: its data, 1: its tags; `uring_field`), none for opcodes without.
pub const CAPF_URING: u16 = 1 << 11;
/// Bytes of a `struct iocb`.
pub const IOCB_SIZE: usize = 64;
/// Most bytes of a netlink buffer captured (`CAPF_NETLINK_WHOLE`): one iovec slot.
pub const NETLINK_CAP: u16 = 4095;

/// How to capture one argument.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArgCapture {
    /// One of the `CAP_*` kinds.
    pub kind: u8,
    /// `PHASE_*` bits: when to fetch (both for data the kernel reads and rewrites).
    pub phase: u8,
    /// The argument that gives the size or count, for the kinds that use one.
    pub size_arg: u8,
    /// Bytes per counted element (pollfd 8, epoll_event 12); 0 means 1.
    pub scale: u8,
    /// Most bytes to copy (for `CAP_STRV` and iovecs: per string / per buffer).
    pub max: u16,
    /// `CAPF_*` bits.
    pub flags: u16,
}

/// The syscall does not return to the caller (exit, exit_group): report it at enter.
pub const SPEC_NO_RETURN: u32 = 1 << 0;
/// The syscall is selected for tracing (cleared for syscalls a `-e trace=` filter drops).
pub const SPEC_TRACED: u32 = 1 << 1;
/// Some argument is fetched at sys_enter: emit a `KIND_SYSCALL_ENTER` record there.
pub const SPEC_CAPTURE_ENTER: u32 = 1 << 2;
/// Some argument is fetched at sys_exit.
pub const SPEC_CAPTURE_EXIT: u32 = 1 << 3;
/// Some argument is a `CAP_U32_INOUT`: save its value at enter.
pub const SPEC_SAVE_U32: u32 = 1 << 4;
/// Argument 0 is the user stack pointer, not a register argument (rt_sigreturn: the signal
/// frame, whose saved mask strace prints, sits there).
pub const SPEC_ARG0_SP: u32 = 1 << 5;
/// Recorded whatever the status filter says: userspace follows file descriptors through it
/// (an fd-creating or -closing call) even when its line is not shown.
pub const SPEC_KEEP: u32 = 1 << 6;
/// Nothing is needed from sys_enter (no entry time wanted, no input read there): sys_enter
/// skips the call and sys_exit takes the arguments from the saved registers. Saves the
/// per-thread state's insert and delete, the largest part of a traced call's cost.
pub const SPEC_EXIT_ONLY: u32 = 1 << 7;
/// The registers at sys_exit no longer hold the call's arguments as the caller passed them (an
/// exec: they point into the image that is gone): an exit seen without its enter is reported
/// as resumed, never rebuilt from them.
pub const SPEC_NO_REBUILD: u32 = 1 << 8;
/// A send whose socket kind (`CAP_SOCK_PROTO`) is read as the call ends: sys_enter notes a
/// netlink socket that is not bound yet (the send binds it), so that the exit reads it as
/// strace does at the call's start, unbound (its first message undecoded), without an enter
/// record or state for any other send.
pub const SPEC_SOCK_AT_ENTER: u32 = 1 << 9;
/// Sends a signal (kill, tkill, tgkill, ...): a caller that sent itself SIGKILL dies before
/// returning, so its successful end is checked for a pending SIGKILL as an interrupted
/// call's is (strace, through ptrace, never sees such a call end: `= ?`).
pub const SPEC_SENDS_SIGNAL: u32 = 1 << 10;
/// May move a connection's bytes (the read/write/send/recv families, preadv2/pwritev2), set
/// only with redaction on: such a call is never dropped by the kernel's `--match` or
/// `--min-duration` test. The redactor follows each connection's stream through
/// every call: a password message's header dropped there would leave its body, if shown,
/// unmasked. Userspace applies those filters to it after masking, as the ptrace backend does.
pub const SPEC_STREAM: u32 = 1 << 11;

/// `--match`: the multiplier of the rolling hash the kernel scans records with.
pub const MATCH_BASE: u32 = 257;
/// Longest `--match` pattern.
pub const MATCH_MAX: usize = 256;

/// `--match`: the rolling hash of `pattern` and `MATCH_BASE` to the power of its length, both
/// modulo 2^32 (what the kernel compares each window of a record against).
pub fn match_hash(pattern: &[u8]) -> (u32, u32) {
    let mut hash: u32 = 0;
    let mut pow: u32 = 1;
    for &b in pattern {
        hash = hash.wrapping_mul(MATCH_BASE).wrapping_add(u32::from(b));
        pow = pow.wrapping_mul(MATCH_BASE);
    }
    (hash, pow)
}

/// Bits of the kernel's `STATUS_FILTER` global (`-z`, `-Z`, `-e status=`): outcomes whose
/// records are not written.
pub const STATUS_DROP_SUCCESSFUL: u8 = 1 << 0;
pub const STATUS_DROP_FAILED: u8 = 1 << 1;

/// One row of the capture table.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallSpec {
    /// `SPEC_*` bits.
    pub flags: u32,
    pub _pad0: u32,
    pub args: [ArgCapture; crate::MAX_ARGS],
}

/// Indices in the kernel's `CAPTURE_PROGS` program array, and the programs' names.
pub const PROG_STEP: u32 = 0;
pub const PROG_IOVEC: u32 = 1;
pub const PROG_MSGHDR: u32 = 2;
pub const PROG_STRV: u32 = 3;
pub const PROG_PTRV: u32 = 4;
/// `--match`: scans the finished record in chunks, then writes or drops it.
pub const PROG_MATCH: u32 = 5;
pub const PROG_MMSGHDR: u32 = 6;
pub const CAPTURE_PROGRAMS: [(u32, &str); 7] = [
    (PROG_STEP, "capture_step"),
    (PROG_IOVEC, "capture_iovec"),
    (PROG_MSGHDR, "capture_msghdr"),
    (PROG_STRV, "capture_strv"),
    (PROG_PTRV, "capture_ptrv"),
    (PROG_MATCH, "match_scan"),
    (PROG_MMSGHDR, "capture_mmsghdr"),
];

/// The capture program (its `CAPTURE_PROGS` index) that fetches arguments of a looping `kind`;
/// None for the kinds `capture_step` fetches itself.
pub const fn heavy_program(kind: u8) -> Option<u32> {
    match kind {
        CAP_IOVEC => Some(PROG_IOVEC),
        CAP_MSGHDR => Some(PROG_MSGHDR),
        CAP_MMSGHDR => Some(PROG_MMSGHDR),
        CAP_STRV => Some(PROG_STRV),
        CAP_PTRV_COUNT => Some(PROG_PTRV),
        _ => None,
    }
}

/// The process is registered but not traced until its next execve (a launched command is
/// registered between fork and exec; its setup syscalls are not the user's).
pub const TRACED_WAIT_EXEC: u32 = 1 << 0;
/// `-b execve`: the launched command is in the execve that starts it (set when
/// `TRACED_WAIT_EXEC` is cleared): that one exec does not detach it.
pub const TRACED_STARTUP_EXEC: u32 = 1 << 1;

/// Value of the `TRACED` map, keyed by tgid.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TracedProc {
    /// `TRACED_*` bits.
    pub flags: u32,
    pub _pad0: u32,
}

/// Value of the kernel's `INFLIGHT` map, keyed by tid: what sys_enter saw, until sys_exit.
/// A thread's entry is kept between its calls, marked `INFLIGHT_IDLE` (a hash insert and
/// delete per call cost more than the lookup that finds it again), and removed when the
/// thread exits. Userspace only counts the entries of threads inside a call
/// (`--stats-interval`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inflight {
    pub ts_enter: u64,
    pub nr: u32,
    pub flags: u32,
    pub args: [u64; 6],
    /// The value a `CAP_U32_INOUT` argument pointed to at enter.
    pub saved: u64,
    /// Time off CPU so far, and when the thread last left the CPU (0: it is running); kept
    /// by `sched_switch` when attached.
    pub off_cpu: u64,
    pub out_at: u64,
    /// The user instruction pointer at sys_enter (`-i`; 0 when not asked for).
    pub ip: u64,
}

/// `Inflight::flags`: the thread is between calls; the entry only waits for its next call.
pub const INFLIGHT_IDLE: u32 = 1 << 31;

impl Inflight {
    /// Whether the entry holds a call in progress (not `INFLIGHT_IDLE`).
    #[inline(always)]
    pub const fn in_call(&self) -> bool {
        self.flags & INFLIGHT_IDLE == 0
    }
}

/// Offsets of what `CAP_EXEC_AREA` reads: `task_struct.mm`, and `mm_struct`'s bounds of the
/// argv strings and the end of the environment strings (the path follows them).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MmOffsets {
    pub task_mm: u32,
    pub arg_start: u32,
    pub arg_end: u32,
    pub env_end: u32,
}

/// Byte offsets of the kernel struct members the `CAP_SOCK` capture reads, from the running
/// kernel's BTF (one global, set by userspace at load).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockOffsets {
    /// `file.private_data` (the `struct socket *` of a socket file), `inode.i_mode`.
    pub file_private: u32,
    pub inode_mode: u32,
    /// `socket.sk`; `socket_alloc.vfs_inode` (the socket's inode sits right after it).
    pub socket_sk: u32,
    pub socket_inode: u32,
    /// `sock_common` members (at the start of `struct sock`).
    pub family: u32,
    pub num: u32,
    pub dport: u32,
    pub daddr: u32,
    pub rcv_saddr: u32,
    pub v6_daddr: u32,
    pub v6_rcv_saddr: u32,
    pub prot: u32,
    /// `sock.sk_socket`; `proto.name`.
    pub sk_socket: u32,
    pub proto_name: u32,
    /// `unix_sock.addr`, `.peer`; `unix_address.len`, `.name`.
    pub unix_addr: u32,
    pub unix_peer: u32,
    pub unix_addr_len: u32,
    pub unix_addr_name: u32,
    /// `sock.sk_protocol`, `sock.sk_type` (`CAP_SOCK_PROTO`); `netlink_sock.portid`.
    pub sk_protocol: u32,
    pub sk_type: u32,
    pub nl_portid: u32,
    pub _pad0: u32,
}

const _: () = {
    assert!(size_of::<ArgCapture>() == 8);
    assert!(size_of::<SyscallSpec>() == 56);
    assert!(size_of::<TracedProc>() == 8);
    assert!(size_of::<Inflight>() == 96);
    assert!(size_of::<SockOffsets>() == 88);
    assert!(size_of::<MmOffsets>() == 16);
};
