//! The maps shared with userspace, the kernel-private per-thread state, and the globals
//! userspace sets at load time.

use aya_ebpf::{
    Global,
    macros::map,
    maps::{Array, HashMap, LruHashMap, PerCpuArray, ProgramArray, RingBuf},
};
pub use tracer_common::Inflight;
use tracer_common::{
    COMM_LEN, LossCounters, MmOffsets, SCRATCH_SIZE, SYSCALL_TABLE_LEN, SignalRecord, SockOffsets,
    SyscallSpec, TracedProc,
};

/// Traced processes by tgid (and, under -f, new threads by tid until they exit). Filled by
/// userspace and, under -f, by the fork program.
#[map]
pub static TRACED: HashMap<u32, TracedProc> = HashMap::with_max_entries(65536, 0);

/// One bit per pid, set for traced processes: the first check of every syscall on the host.
/// An array lookup the verifier inlines, much cheaper than the hash lookup it spares the
/// processes that are not traced. Userspace sizes it from pid_max and sets bits before the
/// programs are attached; the fork and exit programs set and clear bits atomically.
#[map]
pub static TRACED_BITS: Array<u64> = Array::with_max_entries(1, 0);

/// One bit per pid, set while the process's `TRACED` flags may be other than 0 (the launched
/// command before its exec, `-b execve`'s startup exec): only then do the syscall programs look
/// its flags up in the hash; a traced process whose bit is clear has flags 0. Set before
/// nonzero flags are written, cleared after they are back to 0 (a stale bit costs only the
/// lookup). Sized as TRACED_BITS.
#[map]
pub static TRACED_FLAGGED: Array<u64> = Array::with_max_entries(1, 0);

/// `--comm`: the names whose processes are picked up when they appear, NUL-padded as the
/// kernel keeps them. Filled by userspace.
#[map]
pub static COMMS: HashMap<[u8; COMM_LEN], u8> = HashMap::with_max_entries(64, 0);

/// `--comm` patterns `PREFIX*`: the prefixes, NUL-padded. Filled by userspace.
#[map]
pub static COMM_PREFIXES: HashMap<[u8; COMM_LEN], u8> = HashMap::with_max_entries(64, 0);

/// Bit N set: some prefix in COMM_PREFIXES is N bytes long.
#[unsafe(no_mangle)]
pub static COMM_PREFIX_LENS: Global<u16> = Global::new(0);

/// `tracer_common::WATCH_*` bits: which new processes are picked up. With none, forks and
/// execs of untraced processes are not looked at.
#[unsafe(no_mangle)]
pub static WATCH: Global<u8> = Global::new(0);

/// `--uid`: the real uid wanted.
#[unsafe(no_mangle)]
pub static WATCH_UID_VALUE: Global<u32> = Global::new(0);

/// `--cgroup`: the cgroup v2 id wanted and its depth below the root.
#[unsafe(no_mangle)]
pub static WATCH_CGROUP_ID: Global<u64> = Global::new(0);
#[unsafe(no_mangle)]
pub static WATCH_CGROUP_LEVEL: Global<u32> = Global::new(0);

/// tracer's own process, never picked up.
#[unsafe(no_mangle)]
pub static SELF_TGID: Global<u32> = Global::new(0);

/// What sys_enter saw, per thread, until sys_exit (userspace only counts the entries).
#[map]
pub static INFLIGHT: HashMap<u32, Inflight> = HashMap::with_max_entries(65536, 0);

/// The last signal sent to each traced process and not yet delivered, by tgid (see
/// `signal::fatal_before_exit`).
#[map]
pub static SENT_SIGNALS: LruHashMap<u32, SignalRecord> = LruHashMap::with_max_entries(4096, 0);

/// The capture table, indexed by `tracer_common::spec_row`: read it through [`spec`]. Filled
/// by userspace.
#[map]
static SPECS: Array<SyscallSpec> = Array::with_max_entries(SYSCALL_TABLE_LEN, 0);

/// The capture row of syscall number `nr` (numbers past the table share one row).
#[inline(always)]
pub fn spec(nr: u32) -> Option<&'static SyscallSpec> {
    SPECS.get(tracer_common::spec_row(nr))
}

/// Records for userspace. Userspace sets the size (`--ring-size`).
#[map]
pub static EVENTS: RingBuf = RingBuf::with_byte_size(8 << 20, 0);

/// Ring-buffer write failures, one value for all CPUs (see `LossCounters`).
#[map]
pub static LOSSES: Array<LossCounters> = Array::with_max_entries(1, 0);

/// Where records are assembled before one copy into the ring buffer (too big for the stack).
/// The first half holds the record; the second is room for temporary reads.
#[map]
pub static SCRATCH: PerCpuArray<[u8; SCRATCH_SIZE]> = PerCpuArray::with_max_entries(1, 0);

/// The capture programs, tail-called by sys_enter / sys_exit (indices: `tracer_common::PROG_*`).
/// Userspace fills it after loading them.
#[map]
pub static CAPTURE_PROGS: ProgramArray = ProgramArray::with_max_entries(8, 0);

/// `-f`: follow new processes of traced ones.
#[unsafe(no_mangle)]
pub static FOLLOW_FORKS: Global<u8> = Global::new(0);

/// `-b execve`: 1 when a traced process is detached at its successful exec.
#[unsafe(no_mangle)]
pub static DETACH_ON_EXEC: Global<u8> = Global::new(0);

/// `-i`: 1 when records carry the user instruction pointer (`FLAG_IP`).
#[unsafe(no_mangle)]
pub static WANT_IP: Global<u8> = Global::new(0);

/// Unread bytes in the ring buffer from which a write wakes the reader at once (below it the
/// reader finds records on its poll timer). Userspace sets it from the ring size.
#[unsafe(no_mangle)]
pub static WAKEUP_BYTES: Global<u64> = Global::new(0);

/// `STATUS_DROP_*` bits: outcomes not recorded (`-z`, `-Z`).
#[unsafe(no_mangle)]
pub static STATUS_FILTER: Global<u8> = Global::new(0);

/// `-k`: 1 to write a `KIND_STACK` record at each traced call's entry.
#[unsafe(no_mangle)]
pub static STACK_TRACES: Global<u8> = Global::new(0);

/// `--min-duration`: calls that took less (nanoseconds from sys_enter to sys_exit) are not
/// recorded; 0: off.
#[unsafe(no_mangle)]
pub static MIN_DURATION_NS: Global<u64> = Global::new(0);

/// The state of the `--match` scan of the record being built.
#[repr(C)]
pub struct Scan {
    /// Next byte of the record to hash.
    pub pos: u32,
    pub end: u32,
    pub hash: u32,
    pub found: u32,
}

#[map]
pub static MATCH_SCAN: PerCpuArray<Scan> = PerCpuArray::with_max_entries(1, 0);

/// `--match`: pattern length (0: off), its rolling hash and `MATCH_BASE` to the power of its
/// length (see `tracer_common::match_hash`).
#[unsafe(no_mangle)]
pub static MATCH_LEN: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static MATCH_HASH: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static MATCH_POW: Global<u32> = Global::new(0);

/// Offsets in `struct task_struct`, from the kernel's BTF (userspace reads them at load).
#[unsafe(no_mangle)]
pub static TASK_PID_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static TASK_TGID_OFF: Global<u32> = Global::new(0);
/// `task_struct.thread_pid` and `.group_leader`, `pid.level` and `.numbers`,
/// `pid_namespace.ns` and `ns_common.inum`: a task's number in tracer's pid namespace.
#[unsafe(no_mangle)]
pub static TASK_THREAD_PID_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static TASK_GROUP_LEADER_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static PID_LEVEL_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static PID_NUMBERS_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static PIDNS_NS_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static NS_INUM_OFF: Global<u32> = Global::new(0);
/// `task_struct.stack`: a task's saved user registers sit at the same place in every task's
/// kernel stack (see `regs::of_task`).
#[unsafe(no_mangle)]
pub static TASK_STACK_OFF: Global<u32> = Global::new(0);
/// `-i`: the offset of a task's saved user registers in its kernel stack (0: not known yet).
#[map]
pub static REGS_AT: Array<u64> = Array::with_max_entries(1, 0);
/// `task_struct.signal` and `.pending` (its `sigset_t` at `sigpending.signal`);
/// `signal_struct.group_exit_code` and `.group_exec_task`: whether a task dies before its
/// call returns, and which thread's execve replaces its process.
#[unsafe(no_mangle)]
pub static TASK_SIGNAL_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static TASK_PENDING_SET_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static SIGNAL_EXIT_CODE_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static SIGNAL_EXEC_TASK_OFF: Global<u32> = Global::new(0);
/// Tracer's pid namespace (device and inode of `/proc/self/ns/pid`) when it is not the
/// host's; 0: ids are the host's.
#[unsafe(no_mangle)]
pub static PIDNS_DEV: Global<u64> = Global::new(0);
#[unsafe(no_mangle)]
pub static PIDNS_INO: Global<u64> = Global::new(0);
#[unsafe(no_mangle)]
pub static TASK_EXIT_CODE_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static TASK_FILES_OFF: Global<u32> = Global::new(0);
/// `task_struct.fs`: whether a new task shares its parent's current directory.
#[unsafe(no_mangle)]
pub static TASK_FS_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static FILES_FDT_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static FDT_MAX_FDS_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static FDT_FD_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static FILE_INODE_OFF: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static INODE_INO_OFF: Global<u32> = Global::new(0);

/// `-yy`: offsets in the socket structs (`SockOffsets`), from the kernel's BTF.
#[unsafe(no_mangle)]
pub static SOCK_OFFSETS: Global<SockOffsets> = Global::new(SockOffsets {
    file_private: 0,
    inode_mode: 0,
    socket_sk: 0,
    socket_inode: 0,
    family: 0,
    num: 0,
    dport: 0,
    daddr: 0,
    rcv_saddr: 0,
    v6_daddr: 0,
    v6_rcv_saddr: 0,
    prot: 0,
    sk_socket: 0,
    proto_name: 0,
    unix_addr: 0,
    unix_peer: 0,
    unix_addr_len: 0,
    unix_addr_name: 0,
    sk_protocol: 0,
    sk_type: 0,
    nl_portid: 0,
    _pad0: 0,
});

/// Offsets for reading a new image's argv and path (`MmOffsets`), from the kernel's BTF.
#[unsafe(no_mangle)]
pub static MM_OFFSETS: Global<MmOffsets> = Global::new(MmOffsets {
    task_mm: 0,
    arg_start: 0,
    arg_end: 0,
    env_end: 0,
});
