//! `RawEvent`: what every source (eBPF today, ptrace later) produces, before decoding.

/// Which half of a syscall a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Enter and exit (or a syscall that never returns, reported at enter).
    Complete,
    /// Only the enter: input data captured at sys_enter; the exit follows.
    Enter,
}

/// One argument's captured data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Argument index (0..6).
    pub arg: u8,
    /// Capture kind (`tracer_common::CAP_*`).
    pub kind: u8,
    /// The data is a prefix of a longer value.
    pub truncated: bool,
    /// Reading the memory faulted: the argument prints as its address, and `data` is empty
    /// but for a `CAPF_PREFIX` array's readable elements (`decode::structs` prints them).
    pub faulted: bool,
    /// Captured at sys_enter (input the kernel may rewrite before exit).
    pub at_enter: bool,
    pub data: Vec<u8>,
}

/// One syscall (or its enter half) as a source saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSyscall {
    pub part: Part,
    /// The exit was seen without the enter: arguments are unknown.
    pub no_enter: bool,
    /// The syscall does not return (exit_group): `ret` is meaningless.
    pub no_return: bool,
    /// An `Part::Enter` record for this call came before this one.
    pub has_enter_record: bool,
    /// A call that was running when tracing began, seen at its end and rebuilt from the
    /// registers (eBPF): its start is when tracing of its process began.
    pub restarted: bool,
    /// CLOCK_MONOTONIC ns.
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub tgid: u32,
    pub tid: u32,
    pub nr: u32,
    pub ret: i64,
    pub args: [u64; 6],
    /// ns spent off CPU during the call (when the scheduler was watched).
    pub off_cpu: u64,
    /// The user instruction pointer at the call's entry (`-i`), when recorded.
    pub ip: Option<u64>,
    pub blobs: Vec<Blob>,
    /// What `-e inject=` changed in the call (ptrace only).
    pub tampered: Tampered,
}

/// What tracer changed in a call (`-e inject=`, `-e fault=`): strace's `(INJECTED)` and
/// `(DELAYED)` after the return value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tampered {
    /// Its return value is the injected one (the call was not made, or another was).
    pub injected: bool,
    /// The injected value is a success (`retval=`), even one in `-errno`'s range: strace
    /// prints `= 18446744073709551615 (INJECTED)` for `retval=-1`, and decodes the call as
    /// one that succeeded.
    pub succeeded: bool,
    /// `poke_enter=`/`poke_exit=` wrote into its arguments' memory: strace's
    /// `(INJECTED: args)`, `(INJECTED: args, retval)` with an injected return.
    pub poked: bool,
    /// Its entry or exit was delayed.
    pub delayed: bool,
}

#[cfg(test)]
impl Blob {
    /// Whole, readable data of argument `arg` captured at the call's exit, for tests.
    pub fn at_exit(arg: u8, kind: u8, data: Vec<u8>) -> Self {
        Self {
            arg,
            kind,
            truncated: false,
            faulted: false,
            at_enter: false,
            data,
        }
    }
}

impl RawSyscall {
    /// The captured data of argument `arg`, if any.
    pub fn blob(&self, arg: usize) -> Option<&Blob> {
        self.blobs.iter().find(|b| usize::from(b.arg) == arg)
    }

    /// A readable blob of argument `arg` with capture kind `kind` (a msghdr's parts): the one
    /// read at exit if there is one, else the last read at enter.
    pub fn blob_kind(&self, arg: usize, kind: u8) -> Option<&Blob> {
        let mut found = None;
        for b in self.blobs.iter() {
            if usize::from(b.arg) == arg && b.kind == kind && !b.faulted {
                if !b.at_enter {
                    return Some(b);
                }
                found = Some(b);
            }
        }
        found
    }

    /// A whole call of task `tid` (also its process) that began at 1 and ended at 2, for
    /// tests and for calls whose halves were not seen.
    pub fn whole(tid: u32, nr: u32, args: [u64; 6], ret: i64, blobs: Vec<Blob>) -> Self {
        Self {
            part: Part::Complete,
            no_enter: false,
            no_return: false,
            has_enter_record: false,
            restarted: false,
            ts_enter: 1,
            ts_exit: 2,
            tgid: tid,
            tid,
            nr,
            ret,
            args,
            off_cpu: 0,
            ip: None,
            blobs,
            tampered: Default::default(),
        }
    }
}

/// A traced task created another (fork, vfork, clone, a new thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fork {
    pub ts: u64,
    pub tgid: u32,
    pub tid: u32,
    pub child_tgid: u32,
    pub child_tid: u32,
    /// The new task shares its parent's fd table (a thread, `clone(CLONE_FILES)`), and its
    /// current directory (`CLONE_FS`); otherwise it has a copy.
    pub shares_files: bool,
    pub shares_fs: bool,
}

impl Fork {
    /// What a fork record's `PROC_SHARES_*` flags say is shared; a record without them (an
    /// older recording) as a thread or a process is most often made.
    pub fn sharing_from(flags: u32, thread: bool) -> (bool, bool) {
        use tracer_common::{PROC_SHARES_FILES, PROC_SHARES_FS, PROC_SHARING_KNOWN};
        if flags & PROC_SHARING_KNOWN == 0 {
            return (thread, thread);
        }
        (flags & PROC_SHARES_FILES != 0, flags & PROC_SHARES_FS != 0)
    }

    /// The `PROC_SHARES_*` flags of a fork record for this fork.
    pub fn sharing_flags(&self) -> u32 {
        use tracer_common::{PROC_SHARES_FILES, PROC_SHARES_FS, PROC_SHARING_KNOWN};
        let mut flags = PROC_SHARING_KNOWN;
        if self.shares_files {
            flags |= PROC_SHARES_FILES;
        }
        if self.shares_fs {
            flags |= PROC_SHARES_FS;
        }
        flags
    }
}

/// A traced task exited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    pub ts: u64,
    pub tgid: u32,
    pub tid: u32,
    /// It was the process's last task.
    pub group_dead: bool,
    /// The exit code as a wait status: `(code << 8)` for an exit, the signal for a kill.
    pub code: u32,
    /// A process's leader replaced by this thread's execve (its id before the exec).
    pub superseded_by: Option<u32>,
}

/// A signal reached a traced task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal {
    pub ts: u64,
    pub tgid: u32,
    pub tid: u32,
    pub sig: u32,
    /// Discarded when sent (ignored), and the task was then inside a syscall: strace would
    /// show it when that call returns.
    pub after_call: bool,
    /// The kernel's siginfo (x86_64 layout), when the signal came with one.
    pub info: Option<[u8; tracer_common::SIGINFO_SIZE]>,
    /// Not a delivery: the task stops on `sig` (strace's `--- stopped by SIGSTOP ---`).
    pub group_stop: bool,
    /// The task's user instruction pointer when the signal came (`-i`), when recorded.
    pub ip: Option<u64>,
}

/// One `SSL_read`/`SSL_write`/`SSL_read_ex`/`SSL_write_ex` call (`--tls`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsCall {
    /// CLOCK_MONOTONIC ns at the call and at its return.
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub tgid: u32,
    pub tid: u32,
    /// `tracer_common::TLS_SSL_*`.
    pub func: u32,
    /// The socket fd of a read/write syscall made inside the call, when one was seen.
    pub fd: Option<i32>,
    /// The arguments: the `SSL *`, the buffer, its size.
    pub ssl: u64,
    pub buf: u64,
    pub num: u64,
    pub ret: i64,
    /// Bytes the call moved.
    pub done: u64,
    /// The plaintext moved, as far as captured.
    pub data: Vec<u8>,
    /// `data` is a prefix (cut at `-s`).
    pub truncated: bool,
    /// Reading the plaintext faulted.
    pub faulted: bool,
}

impl TlsCall {
    /// Whether the call moved data: `SSL_read`/`SSL_write` returned more than 0, an `_ex` call
    /// 1 (JSON's `event.outcome`; `-z`/`-Z` select lines by it).
    pub fn succeeded(&self) -> bool {
        if tracer_common::tls_is_ex(self.func) {
            self.ret == 1
        } else {
            self.ret > 0
        }
    }
}

/// `-k`: a task's user registers and the top of its stack as it entered a call; the call's
/// own event follows for the same thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    pub tgid: u32,
    pub tid: u32,
    pub ip: u64,
    /// The stack pointer: the address of `data[0]`.
    pub sp: u64,
    pub bp: u64,
    /// When it was taken (CLOCK_MONOTONIC ns): `-k` with eBPF names its frames with the
    /// mappings the process had then (`MapEvent`).
    pub ts: u64,
    /// The stack from `sp` up, as far as it was read.
    pub data: Vec<u8>,
}

/// `-k` with eBPF: a change to a process's code mappings as the kernel reported it when it
/// happened (a perf event's `PERF_RECORD_MMAP2` / exec `PERF_RECORD_COMM`), so that its stacks
/// are named after it is gone. Handed over beside the stream (`Downstream::mapped`), ordered
/// by `ts` against the stacks' own times rather than by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEvent {
    /// CLOCK_MONOTONIC ns, the clock of `Stack::ts`.
    pub ts: u64,
    pub tgid: u32,
    pub change: MapChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapChange {
    /// An executable mapping of `len` bytes at `start` of `path` from `offset` on (an
    /// anonymous one has no path: it only hides what it covers).
    Mapped {
        start: u64,
        len: u64,
        offset: u64,
        /// The file's device (`maj:min` in hex, as `/proc/PID/maps`) and inode.
        dev: String,
        inode: u64,
        path: Option<String>,
    },
    /// The process exec'd: every mapping it had is gone.
    Exec,
    /// From now on every change of the process and of its children is reported (the kernel
    /// follows it).
    Followed,
}

/// Everything a source reports, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawEvent {
    Syscall(RawSyscall),
    Fork(Fork),
    Exit(Exit),
    Signal(Signal),
    Tls(TlsCall),
    /// `-k`: the stack of the call `tid` enters.
    Stack(Stack),
    /// `count` events were dropped at this point in the stream (ring buffer full).
    Lost {
        count: u64,
    },
    /// `-b execve`: the process succeeded in this exec (its exit half: the enter half came
    /// before) and is no longer traced.
    Detached(RawSyscall),
    /// `--comm`: process `tgid` got a wanted name and is traced from `ts` on.
    Adopt {
        ts: u64,
        tgid: u32,
        name: String,
    },
}

impl RawEvent {
    /// When the event's record was written (CLOCK_MONOTONIC ns, `bpf_ktime_get_ns`): a call's
    /// return, or its entry for an enter record; a stack's when it was taken. None for loss
    /// markers, which carry no time of their own.
    pub fn written_at(&self) -> Option<u64> {
        match self {
            RawEvent::Syscall(c) | RawEvent::Detached(c) => Some(c.ts_enter.max(c.ts_exit)),
            RawEvent::Tls(t) => Some(t.ts_enter.max(t.ts_exit)),
            RawEvent::Fork(f) => Some(f.ts),
            RawEvent::Exit(e) => Some(e.ts),
            RawEvent::Signal(s) => Some(s.ts),
            RawEvent::Adopt { ts, .. } => Some(*ts),
            RawEvent::Stack(s) => Some(s.ts),
            RawEvent::Lost { .. } => None,
        }
    }
}

/// A process's parent, users and container, for JSON's ECS context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The parent's pid.
    pub ppid: Option<u32>,
    /// The real user.
    pub user: Option<User>,
    /// The effective user, when it differs from the real one.
    pub effective: Option<User>,
    /// The container the process runs in (its id, from the cgroup path).
    pub container: Option<String>,
}

/// A user id and, when the system knows it, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: u32,
    pub name: Option<String>,
}

/// What JSON says about a process besides its pid and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessContext {
    /// Parent, users, container.
    pub identity: Identity,
    /// The program it runs (the path its latest exec was given).
    pub executable: Option<std::rc::Rc<str>>,
}

/// CLOCK_MONOTONIC now, in ns: the clock of the kernel's record timestamps (`bpf_ktime_get_ns`)
/// and of ptrace's, so events of both backends and the session's own times compare.
pub fn monotonic_now() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the local timespec; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    u64::try_from(ts.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(ts.tv_nsec).unwrap_or(0)
}
