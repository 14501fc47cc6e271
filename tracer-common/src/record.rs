//! Ring-buffer records: a fixed header followed by bounded, length-prefixed blobs.

/// A complete syscall: enter and exit seen, arguments and return value filled.
pub const KIND_SYSCALL: u16 = 1;
/// The enter half of a syscall whose input data had to be captured at sys_enter (execve's
/// argv is gone once the new image runs). The matching `KIND_SYSCALL` for the same thread
/// follows and carries `FLAG_HAS_ENTER_RECORD`.
pub const KIND_SYSCALL_ENTER: u16 = 2;

/// A traced task created a task (`ProcRecord`: `tgid`/`tid` the parent, `child_*` the new one).
pub const KIND_FORK: u16 = 3;
/// A traced task exited (`ProcRecord`; `PROC_GROUP_DEAD` when it was the process's last).
pub const KIND_EXIT: u16 = 4;

/// A signal reached a traced task (`SignalRecord`).
pub const KIND_SIGNAL: u16 = 5;

/// `--comm`: a process with a wanted name appeared (it exec'd the program, or a process of
/// that name forked it) and is traced from now on (`AdoptRecord`).
pub const KIND_ADOPT: u16 = 6;

/// Length of a task's name (`TASK_COMM_LEN`, with its NUL).
pub const COMM_LEN: usize = 16;

/// The exit was seen without its enter (tracing began while the thread was inside the call).
pub const FLAG_NO_ENTER: u16 = 1 << 0;
/// The syscall does not return (exit, exit_group): emitted at enter, `ret` is meaningless.
pub const FLAG_NO_RETURN: u16 = 1 << 1;
/// A `KIND_SYSCALL_ENTER` record for this call precedes this one.
pub const FLAG_HAS_ENTER_RECORD: u16 = 1 << 2;
/// With `FLAG_NO_ENTER`: `args` were read at sys_exit from the registers the task entered the
/// call with (pt_regs keeps them), so the call can be printed whole; `ts_enter` is unknown (0).
pub const FLAG_ARGS_AT_EXIT: u16 = 1 << 3;
/// The call's `KIND_SYSCALL_ENTER` record could not be written (ring buffer full): this exit
/// record carries the whole call, with the enter's arguments and time and its inputs read at
/// exit (blobs tagged as with `FLAG_ARGS_AT_EXIT`). The call is not lost, so the failed enter
/// is not counted as a loss.
pub const FLAG_ENTER_LOST: u16 = 1 << 4;
/// Any record kind: the user instruction pointer of the task (`-i`), a `u64`, follows the
/// record's fixed body (`SyscallRecord`, `SignalRecord`), before any blobs. Only written when
/// asked for, so records without it keep their size (and older recordings stay readable).
pub const FLAG_IP: u16 = 1 << 5;
/// Size of the instruction pointer that `FLAG_IP` appends.
pub const IP_SIZE: usize = 8;
/// The exit of a successful exec with `-b execve`: the process is no longer traced from here
/// on (strace detaches from it); the record carries no result.
pub const FLAG_DETACHED: u16 = 1 << 6;

/// Every record starts with this header.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordHeader {
    /// One of the `KIND_*` constants.
    pub kind: u16,
    /// `FLAG_*` bits.
    pub flags: u16,
    /// Size of the whole record in bytes: header, body and blobs (a multiple of 8).
    pub size: u32,
    /// Records the kernel failed to write (ring buffer full, any CPU) that no earlier record
    /// reported: the losses happened before this record was written, so userspace puts the
    /// loss marker in front of it (see `LossCounters`).
    pub lost_before: u32,
    /// CPU that produced the record.
    pub cpu: u32,
}

/// Body of `KIND_SYSCALL` and `KIND_SYSCALL_ENTER` records; `nblobs` blobs follow it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallRecord {
    pub hdr: RecordHeader,
    /// CLOCK_MONOTONIC nanoseconds at sys_enter (0 with `FLAG_NO_ENTER`).
    pub ts_enter: u64,
    /// CLOCK_MONOTONIC nanoseconds at sys_exit (0 for enter records and `FLAG_NO_RETURN`).
    pub ts_exit: u64,
    /// Process id (kernel tgid).
    pub tgid: u32,
    /// Thread id (kernel pid).
    pub tid: u32,
    /// Syscall number as the kernel saw it (`orig_ax` on x86_64).
    pub nr: u32,
    /// Number of blobs following this body.
    pub nblobs: u16,
    pub _pad0: u16,
    /// Raw return value (negative errno on failure).
    pub ret: i64,
    /// Raw argument registers.
    pub args: [u64; crate::MAX_ARGS],
    /// Nanoseconds the thread spent off CPU (waiting, preempted) during the call, when the
    /// scheduler is watched (`-c` without `-w`); 0 otherwise.
    pub off_cpu: u64,
}

/// `KIND_EXIT`: the whole process is gone, not just this thread.
pub const PROC_GROUP_DEAD: u32 = 1 << 0;
/// `KIND_EXIT` of a process's leader replaced by another thread's execve (strace's
/// `+++ superseded by execve in pid N +++`): `child_tid` is that thread's id before the exec.
pub const PROC_SUPERSEDED: u32 = 1 << 1;
/// `KIND_FORK`: the new task shares its parent's open file table (`files_struct`: a thread,
/// or `clone(CLONE_FILES)`); without it, it has a copy of its own.
pub const PROC_SHARES_FILES: u32 = 1 << 2;
/// `KIND_FORK`: the new task shares its parent's current directory and root (`fs_struct`:
/// a thread, or `clone(CLONE_FS)`); without it, it has a copy of its own.
pub const PROC_SHARES_FS: u32 = 1 << 3;
/// `KIND_FORK`: `PROC_SHARES_*` were read (a recording made before they were has none: a
/// thread then counts as sharing both, a process as sharing neither).
pub const PROC_SHARING_KNOWN: u32 = 1 << 4;

/// Body of `KIND_FORK` and `KIND_EXIT` records.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcRecord {
    pub hdr: RecordHeader,
    /// CLOCK_MONOTONIC nanoseconds.
    pub ts: u64,
    /// The task the event happened in (the parent, for forks).
    pub tgid: u32,
    pub tid: u32,
    /// `KIND_FORK`: the new task.
    pub child_tgid: u32,
    pub child_tid: u32,
    /// `PROC_*` bits.
    pub flags: u32,
    /// `KIND_EXIT`: the task's exit code as wait(2) would see it (0 if unknown).
    pub exit_code: u32,
}

/// Body of `KIND_ADOPT` records.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AdoptRecord {
    /// `tgid`/`tid`: the process picked up.
    pub proc: ProcRecord,
    /// Its name, NUL-padded (it may be gone before userspace could read /proc).
    pub comm: [u8; COMM_LEN],
}

/// Size of the kernel's `struct kernel_siginfo` on x86_64.
pub const SIGINFO_SIZE: usize = 48;

/// `SignalRecord::flags`: the signal came without a siginfo (sent by the kernel itself).
pub const SIGNAL_NO_INFO: u32 = 1 << 0;
/// `SignalRecord::flags`: the signal was discarded when sent, as ignored; the record was
/// written then, by the sender (a ptrace tracer like strace would have seen it delivered).
pub const SIGNAL_IGNORED: u32 = 1 << 1;
/// `SignalRecord::flags`, with `SIGNAL_IGNORED`: the task was inside a syscall when the signal
/// came; a tracer like strace shows the signal once that call returns.
pub const SIGNAL_IN_SYSCALL: u32 = 1 << 2;
/// `SignalRecord::flags`: not a delivery, the task stopping on the stop signal just delivered
/// to it (strace's `--- stopped by SIGSTOP ---`); no siginfo.
pub const SIGNAL_GROUP_STOP: u32 = 1 << 3;

/// Body of `KIND_SIGNAL` records.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalRecord {
    pub hdr: RecordHeader,
    /// CLOCK_MONOTONIC nanoseconds.
    pub ts: u64,
    /// The task that gets the signal.
    pub tgid: u32,
    pub tid: u32,
    pub sig: u32,
    /// `SIGNAL_*` bits.
    pub flags: u32,
    /// The siginfo, as the kernel holds it (zero with `SIGNAL_NO_INFO`).
    pub info: [u8; SIGINFO_SIZE],
}

impl Default for SignalRecord {
    fn default() -> Self {
        Self {
            hdr: RecordHeader::default(),
            ts: 0,
            tgid: 0,
            tid: 0,
            sig: 0,
            flags: 0,
            info: [0; SIGINFO_SIZE],
        }
    }
}

/// The data did not fit the capture limit; what follows is a prefix.
pub const BLOB_TRUNCATED: u16 = 1 << 0;
/// Reading user memory faulted; the blob carries no data and the address is in `args`, but
/// for a `CAPF_PREFIX` capture the bytes before the fault (`readable_prefix`), if any.
pub const BLOB_FAULTED: u16 = 1 << 1;
/// Captured at sys_enter (the same argument may also have a blob captured at exit).
pub const BLOB_AT_ENTER: u16 = 1 << 2;

/// Header of one captured argument; `len` data bytes follow, then padding to 8 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlobHeader {
    /// Index of the argument (0..6) the data was read from.
    pub arg: u8,
    /// The `CAP_*` kind that produced it.
    pub kind: u8,
    /// `BLOB_*` bits.
    pub flags: u16,
    /// Bytes of data that follow (for strings: without the terminating NUL).
    pub len: u32,
}

/// Blobs start on 8-byte boundaries.
pub const BLOB_ALIGN: usize = 8;

/// Rounds a length up to the blob alignment.
#[inline(always)]
pub const fn blob_padded(len: usize) -> usize {
    (len + BLOB_ALIGN - 1) & !(BLOB_ALIGN - 1)
}

/// Loss accounting shared by all CPUs (one value of the `LOSSES` array), updated atomically by
/// the kernel. A failed ring-buffer write adds one to `total`; the next record written on any
/// CPU claims `total - claimed` (a compare-and-swap on `claimed`, so two CPUs never report the
/// same losses) and carries it in its `lost_before`. Per-CPU counts would report a loss only
/// with that CPU's next record, which may come long after records of other CPUs written later
/// than the loss: the marker would land in the middle of unrelated lines.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LossCounters {
    /// Records lost since load.
    pub total: u64,
    /// Losses reported so far in some record's `lost_before`.
    pub claimed: u64,
}

/// Largest record the kernel will build; a record never exceeds this.
pub const MAX_RECORD: usize = 16 * 1024;
/// Size of the per-CPU scratch area records are built in: twice `MAX_RECORD`, so that a
/// bounded offset below `MAX_RECORD` plus a bounded copy always stays inside it, which is
/// what the verifier needs to see.
pub const SCRATCH_SIZE: usize = 2 * MAX_RECORD;

const _: () = {
    assert!(size_of::<RecordHeader>() == 16);
    assert!(size_of::<SyscallRecord>() == 112);
    assert!(core::mem::offset_of!(SyscallRecord, off_cpu) == 104);
    assert!(core::mem::offset_of!(SyscallRecord, ts_enter) == 16);
    assert!(core::mem::offset_of!(SyscallRecord, tgid) == 32);
    assert!(core::mem::offset_of!(SyscallRecord, nr) == 40);
    assert!(core::mem::offset_of!(SyscallRecord, ret) == 48);
    assert!(core::mem::offset_of!(SyscallRecord, args) == 56);
    assert!(size_of::<SyscallRecord>().is_multiple_of(BLOB_ALIGN));
    assert!(size_of::<BlobHeader>() == 8);
    assert!(size_of::<ProcRecord>() == 48);
    assert!(size_of::<AdoptRecord>() == 64);
    assert!(size_of::<LossCounters>() == 16);
    assert!(size_of::<SignalRecord>() == 88);
    assert!(core::mem::offset_of!(SignalRecord, info) == 40);
    assert!(MAX_RECORD.is_power_of_two());
};
