//! The capture table the kernel interprets: for each syscall, which arguments to fetch, how,
//! and when. Built from the argument table (`tables::args`), the same table the decoders
//! read, so capture and decoding cannot disagree.

use tracer_common::{
    ArgCapture, CAP_AT_OFFSET, CAP_BUF_ARG, CAP_BUF_RET, CAP_CSTR, CAP_EXEC_AREA, CAP_FD_INODE,
    CAP_FIXED, CAP_IOVEC, CAP_MMSGHDR, CAP_MSGHDR, CAP_NONE, CAP_PTRV_COUNT, CAP_SOCKADDR_PLEN,
    CAP_STRV, CAP_U32_INOUT, CAPF_BITS, CAPF_BY_RET, CAPF_IOCBS, CAPF_ON_SUCCESS, IOCB_SIZE,
    MAX_ARGS, MSGHDR_SIZE, PATH_CAP, PHASE_ENTER, PHASE_EXIT, SOCKADDR_CAP, SPEC_ARG0_SP,
    SPEC_CAPTURE_ENTER, SPEC_CAPTURE_EXIT, SPEC_EXIT_ONLY, SPEC_NO_REBUILD, SPEC_NO_RETURN,
    SPEC_SAVE_U32, SPEC_SENDS_SIGNAL, SPEC_SOCK_AT_ENTER, SPEC_TRACED, SyscallSpec,
};

mod calls;

pub use calls::CLONE_PIDFD_SLOT;
pub use calls::IOCTL_ARG_MAX;
use calls::{
    bpf_captures, clone_pidfd_capture, ioctl_capture, perf_capture, returns_socket,
    seccomp_captures, socket_kind, socket_state,
};

use crate::{
    decode::RawSet,
    tables::{
        self, SyscallDef,
        args::{ArgKind, StructKind},
        row::{
            Decoder, FdEffect,
            behaviour::{DATA_OUT, RET_FD},
        },
    },
};

/// The free argument slot a new socket's inode is read into (for -y, which names sockets by
/// inode): socket, accept and accept4 take at most four arguments.
const SOCKET_INODE_SLOT: usize = 5;

/// `-yy`: the free argument slot the endpoints of a new socket are read into (`CAP_SOCK`).
/// Calls that change a socket's endpoints (binding, connecting, listening, sending to an
/// address, which binds an unbound socket) read them into slot 0, from the fd in argument 0.
/// A connected socket's sends and receives cost nothing more: its description is known from
/// its connect or accept. (sendmsg and sendmmsg to an address on an unbound socket are left
/// to /proc, as before.)
const NEW_SOCKET_STATE_SLOT: usize = 4;

/// What the user asked to see, as far as capture is concerned.
#[derive(Debug, Clone, Copy)]
pub struct CaptureOptions {
    /// `-s`: bytes of each string or buffer printed.
    pub strsize: usize,
    /// Report the start of calls that may block (`SyscallDef::blocks`), with their input, so
    /// their line shows while they wait.
    pub blocking_starts: bool,
    /// With `blocking_starts`, report every call's start, not only those that may block. The
    /// ptrace backend sees calls enter in the order they ran, but their exits in the order
    /// waitpid hands them over: a call's start, written at its entry, keeps lines in causal
    /// order (a read that a write woke is cut before the write, as strace cuts it).
    pub every_start: bool,
    /// Entry times are wanted (`-t`, `-r`, `-T`, `-c`, `--json`): every call goes through
    /// sys_enter. Without, calls that need nothing there are handled at exit only.
    pub entry_times: bool,
    /// Most bytes of a buffer whatever `-s` says: what one kernel record holds, for the eBPF
    /// backend; `UNBOUNDED` for ptrace, which reads `-s` bytes however many that is.
    pub buf_limit: usize,
    /// `-yy`: read sockets' endpoints when they are created or change (`FdEffect`).
    pub sockets: bool,
    /// `-e read=`/`-e write=`: buffers are captured up to `buf_limit` whatever `-s` says, to
    /// be dumped whole.
    pub whole_buffers: bool,
    /// Calls printed unabbreviated (`-v`, outside `-e abbrev=`): an exec's environment is
    /// captured as its strings, not only counted.
    pub unabbreviated: RawSet,
    /// Redaction is on: calls that move a connection's bytes carry `SPEC_STREAM`.
    pub redact_streams: bool,
    /// Fds are followed (`-y`, `-P`, `--annotate`): calls that free fd numbers (`close`,
    /// `close_range`) keep their entry time, so an fd another thread opened with the number
    /// after the close began is not forgotten when the close's record comes after its open's.
    pub follows_fds: bool,
}

/// `CaptureOptions::buf_limit` without a limit: buffer rows carry `u16::MAX` as their `max`,
/// which the ptrace backend reads as "`-s` bytes".
pub const UNBOUNDED: usize = u16::MAX as usize;

impl Default for CaptureOptions {
    fn default() -> Self {
        Self {
            strsize: 32,
            blocking_starts: true,
            every_start: false,
            entry_times: true,
            buf_limit: tracer_common::MAX_RECORD / 2,
            sockets: false,
            whole_buffers: false,
            unabbreviated: RawSet::default(),
            redact_streams: false,
            follows_fds: false,
        }
    }
}

/// Bytes of an fd_set captured (8192 fds): see `StructKind::FdSet`.
const FD_SET_CAP: usize = 1024;

fn cap(kind: u8, phase: u8, max: usize) -> ArgCapture {
    ArgCapture {
        kind,
        phase,
        size_arg: 0,
        scale: 0,
        max: max.min(usize::from(u16::MAX)) as u16,
        flags: 0,
    }
}

/// Most bytes of a read or written buffer: `-s`, or all a record holds for hex dumps.
fn buf_max(opts: &CaptureOptions) -> usize {
    match opts.whole_buffers {
        true => opts.buf_limit.min(UNBOUNDED),
        false => opts.strsize.min(opts.buf_limit).min(UNBOUNDED),
    }
}

/// Most bytes of a msghdr's iovecs (at least the struct itself): `-s`, or all a record holds
/// for hex dumps.
fn msg_max(opts: &CaptureOptions) -> usize {
    let data = match opts.whole_buffers {
        true => buf_max(opts),
        false => opts.strsize,
    };
    data.max(usize::from(MSGHDR_SIZE))
}

/// The capture for one argument kind; `phase` is when input is read.
fn for_kind(kind: ArgKind, phase: u8, opts: &CaptureOptions) -> ArgCapture {
    // Strings keep two bytes more than -s: enough to tell "exactly -s" from "longer".
    let str_max = (opts.strsize + 2).min(usize::from(PATH_CAP));
    let buf_max = buf_max(opts);
    match kind {
        ArgKind::Path => cap(CAP_CSTR, phase, usize::from(PATH_CAP)),
        ArgKind::Str | ArgKind::CustomStr => cap(CAP_CSTR, phase, str_max),
        ArgKind::InBuf(len) => ArgCapture {
            size_arg: len,
            ..cap(CAP_BUF_ARG, phase, buf_max)
        },
        // A string for some commands: as many bytes as a string keeps.
        ArgKind::CustomBuf(len) => ArgCapture {
            size_arg: len,
            ..cap(CAP_BUF_ARG, phase, buf_max.max(str_max))
        },
        ArgKind::OutBuf => ArgCapture {
            flags: CAPF_ON_SUCCESS,
            ..cap(CAP_BUF_RET, PHASE_EXIT, buf_max)
        },
        ArgKind::CustomOutBuf => ArgCapture {
            flags: CAPF_ON_SUCCESS,
            ..cap(CAP_BUF_RET, PHASE_EXIT, usize::from(PATH_CAP))
        },
        ArgKind::CustomIn(size) => cap(CAP_FIXED, phase, usize::from(size)),
        // Up to a page: strace reads the bytes past the known struct up to that.
        ArgKind::CustomSized(len) => ArgCapture {
            size_arg: len,
            ..cap(CAP_BUF_ARG, phase, 4096)
        },
        ArgKind::In(s) => for_struct(s, phase, false, opts),
        // The time left is written only when the call fails (interrupted).
        ArgKind::Out(StructKind::Remaining) => {
            for_struct(StructKind::Remaining, PHASE_EXIT, true, opts)
        }
        // A failed readv's array too (strace prints its buffers' addresses then); its data
        // is what the call returned (CAPF_BY_RET), none when it failed.
        ArgKind::Out(s @ StructKind::Iov(_)) => for_struct(s, PHASE_EXIT, true, opts),
        ArgKind::Out(s) => {
            // On success only, keeping the struct's own flags (CAPF_BY_RET: a readv's data
            // is what it returned, not the whole buffers).
            let inner = for_struct(s, PHASE_EXIT, true, opts);
            ArgCapture {
                flags: inner.flags | CAPF_ON_SUCCESS,
                ..inner
            }
        }
        ArgKind::InOut(s) => for_struct(s, PHASE_ENTER | PHASE_EXIT, true, opts),
        _ => ArgCapture::default(),
    }
}

/// The capture for a struct kind: an array strace prints element by element keeps what
/// could be read before a fault (`CAPF_PREFIX`).
fn for_struct(s: StructKind, phase: u8, written: bool, opts: &CaptureOptions) -> ArgCapture {
    let c = struct_capture(s, phase, written, opts);
    match s.array_elem() {
        Some(_) if c.kind == CAP_BUF_ARG => ArgCapture {
            flags: c.flags | tracer_common::CAPF_PREFIX,
            ..c
        },
        _ => c,
    }
}

/// The capture for a struct kind, as its bytes are laid out.
fn struct_capture(s: StructKind, phase: u8, written: bool, opts: &CaptureOptions) -> ArgCapture {
    let fixed = |size: usize| cap(CAP_FIXED, phase, size);
    let by_arg = |arg: u8, scale: u8, max: usize| ArgCapture {
        size_arg: arg,
        scale,
        ..cap(CAP_BUF_ARG, phase, max)
    };
    let by_ret = |scale: u8, max: usize| ArgCapture {
        scale,
        ..cap(CAP_BUF_RET, PHASE_EXIT, max)
    };
    let data_flags = if written { CAPF_BY_RET } else { 0 };
    match s {
        StructKind::Stat => fixed(144),
        StructKind::Statx => fixed(256),
        StructKind::Timespec | StructKind::Timeval | StructKind::Rlimit => fixed(16),
        StructKind::Sigaction | StructKind::Itimerspec | StructKind::Itimerval => fixed(32),
        StructKind::Sigset | StructKind::Loff => fixed(8),
        StructKind::Remaining => fixed(16),
        StructKind::CapHeader => fixed(8),
        StructKind::CapData => fixed(24),
        StructKind::SigmaskPair => ArgCapture {
            scale: 2,
            ..cap(tracer_common::CAP_DEREF, phase, 8)
        },
        // The two fds, with their inodes from the kernel's fd table (for -y).
        StructKind::IntPair => ArgCapture {
            scale: 2,
            ..cap(CAP_FD_INODE, PHASE_EXIT, 32)
        },
        StructKind::IntVal => fixed(4),
        StructKind::Utsname => fixed(390),
        StructKind::Sysinfo => fixed(112),
        StructKind::Tms => fixed(32),
        StructKind::Rusage => fixed(144),
        StructKind::StackT => fixed(24),
        StructKind::Siginfo => fixed(128),
        StructKind::Timex => fixed(208),
        StructKind::PtrVal | StructKind::Timezone => fixed(8),
        // The pointers, the iocbs they point to and a write's -s bytes (the iovec capture,
        // its entries bare pointers).
        StructKind::Iocbs(n) => ArgCapture {
            size_arg: n,
            flags: CAPF_IOCBS,
            ..cap(CAP_IOVEC, phase, IOCB_SIZE + buf_max(opts))
        },
        StructKind::IocbHeader => fixed(IOCB_SIZE),
        StructKind::IoEvent => fixed(crate::decode::aio::IO_EVENT_SIZE),
        StructKind::IoEvents => by_ret(32, 32 * 64),
        StructKind::EpollEvent => fixed(12),
        // 256 entries: enough for the -s ready ones strace prints in the usual densities.
        StructKind::Pollfds(n) => by_arg(n, 8, 8 * 256),
        StructKind::Sembufs(n) => by_arg(n, 6, 6 * 256),
        // FUTEX_WAITV_MAX entries.
        StructKind::Waitv(n) => by_arg(n, 24, 24 * 128),
        StructKind::IntArray(n) | StructKind::PageStatus(n) => by_arg(n, 4, 4 * 256),
        StructKind::PtrArray(n) => by_arg(n, 8, 8 * 256),
        StructKind::KexecSegments(n) => by_arg(n, 32, 32 * 16),
        // mtype and `-s` bytes of text and one more (to tell "exactly -s" from longer).
        StructKind::Msgbuf(_) => fixed((9 + opts.strsize).min(usize::from(PATH_CAP))),
        StructKind::EpollEvents => by_ret(12, 12 * 64),
        // Up to fd 8191: hosts run databases with RLIMIT_NOFILE far above FD_SETSIZE (1024),
        // and select takes any nfds. A larger set ends in `...`.
        StructKind::FdSet(n) => ArgCapture {
            flags: CAPF_BITS,
            ..by_arg(n, 1, FD_SET_CAP)
        },
        StructKind::Sockaddr(n) => by_arg(n, 1, usize::from(SOCKADDR_CAP)),
        StructKind::SockaddrOut(n) => ArgCapture {
            size_arg: n,
            ..cap(CAP_SOCKADDR_PLEN, PHASE_EXIT, usize::from(SOCKADDR_CAP))
        },
        StructKind::Socklen => cap(CAP_U32_INOUT, PHASE_EXIT, 4),
        StructKind::Iov(n) => ArgCapture {
            size_arg: n,
            flags: data_flags,
            ..cap(CAP_IOVEC, phase, buf_max(opts))
        },
        StructKind::Mmsghdr(count) => ArgCapture {
            size_arg: count,
            ..cap(CAP_MMSGHDR, phase, msg_max(opts))
        },
        StructKind::Msghdr => ArgCapture {
            flags: data_flags,
            ..cap(CAP_MSGHDR, phase, msg_max(opts))
        },
        StructKind::Argv => cap(
            CAP_STRV,
            phase,
            (opts.strsize + 2)
                .max(tracer_common::STRV_MIN_SLOT)
                .min(usize::from(PATH_CAP)),
        ),
        StructKind::Envp => cap(CAP_PTRV_COUNT, phase, 0),
        StructKind::Dirents | StructKind::OldDirents => by_ret(1, 16000),
        StructKind::CpuSet => by_ret(1, 128),
        StructKind::CpuSetOf(n) => by_arg(n, 1, 128),
        StructKind::CloneArgs(n) => by_arg(n, 1, 88),
        StructKind::SigframeMask => ArgCapture {
            // uc_sigmask: after uc_flags, uc_link, uc_stack (24) and uc_mcontext (256).
            scale: (296 / 8) as u8,
            ..cap(CAP_AT_OFFSET, PHASE_ENTER, 8)
        },
        StructKind::Utimes | StructKind::Timevals => fixed(32),
        StructKind::Utimbuf => fixed(16),
        StructKind::SchedAttr(_) => fixed(56),
        StructKind::FileHandle => fixed(8 + 128),
        // The words strace prints (-s of them) and one more, to tell "exactly" from "longer".
        StructKind::Nodemask(n) => ArgCapture {
            flags: CAPF_BITS,
            ..by_arg(n, 1, ((opts.strsize + 1) * 8).min(usize::from(PATH_CAP)))
        },
        // One byte per page: the length in bytes over-counts them, so the capture stops at
        // -s entries and one more (a vector shorter than that at the very end of a mapping
        // cannot be read whole and prints as its address).
        StructKind::Mincore(n) => by_arg(n, 1, (opts.strsize + 1).min(usize::from(PATH_CAP))),
        // The array alone: the buffers are another process's memory.
        StructKind::IovAddrs(n) => ArgCapture {
            size_arg: n,
            ..cap(CAP_IOVEC, phase, 0)
        },
        // Whole, as strace reads them: a struct not all readable prints as its address.
        StructKind::MqAttr(_) | StructKind::Sigevent => fixed(64),
        StructKind::Statfs => fixed(120),
        StructKind::Gids if written => by_ret(4, 4 * 256),
        StructKind::Gids => by_arg(0, 4, 4 * 256),
    }
}

/// The spec row for one syscall.
pub fn spec_for(def: &SyscallDef, opts: &CaptureOptions) -> SyscallSpec {
    let mut spec = SyscallSpec {
        flags: SPEC_TRACED,
        ..SyscallSpec::default()
    };
    let kinds = def.args.unwrap_or_default();
    if def.never_returns() {
        spec.flags |= SPEC_NO_RETURN;
    }
    if def.has(crate::tables::row::behaviour::SENDS_SIGNAL) {
        spec.flags |= SPEC_SENDS_SIGNAL;
    }
    // The signal frame is found from the stack pointer.
    if kinds.contains(&ArgKind::In(StructKind::SigframeMask)) {
        spec.flags |= SPEC_ARG0_SP;
    }
    // A `CustomIn`/`CustomBuf` argument (ioctl's, fcntl's, keyctl's) is input or output by the command: read at
    // exit, so those calls report no start unless they may block.
    let by_command = kinds
        .iter()
        .any(|k| matches!(k, ArgKind::CustomIn(_) | ArgKind::CustomBuf(_)));
    let starts = opts.blocking_starts && ((opts.every_start && !by_command) || def.blocks());
    // An exec's input is read at enter: after a successful exec the old image is gone.
    let at_enter = starts || def.is_exec() || spec.flags & SPEC_NO_RETURN != 0;
    if starts {
        spec.flags |= SPEC_CAPTURE_ENTER;
    }
    let phase = if at_enter { PHASE_ENTER } else { PHASE_EXIT };
    match def.args {
        Some(kinds) => {
            for (slot, kind) in spec.args.iter_mut().zip(kinds) {
                *slot = match kind {
                    // Its strings, read as argv's are.
                    ArgKind::In(StructKind::Envp) if opts.unabbreviated.contains(def.nr) => {
                        for_kind(ArgKind::In(StructKind::Argv), phase, opts)
                    }
                    _ => for_kind(*kind, phase, opts),
                };
            }
        }
        None => {
            let params = def.params.unwrap_or_default().iter().take(MAX_ARGS);
            for (slot, param) in spec.args.iter_mut().zip(params) {
                if param.is_input_string() {
                    *slot = cap(CAP_CSTR, phase, usize::from(PATH_CAP));
                }
            }
        }
    }
    if def.decoder == Decoder::Bpf {
        bpf_captures(&mut spec, phase, opts);
    }
    if matches!(def.decoder, Decoder::Seccomp | Decoder::Prctl) {
        seccomp_captures(&mut spec, opts.unabbreviated.contains(def.nr));
    }
    // fsconfig's value is a path for FSCONFIG_SET_PATH(_EMPTY), never cut by -s: read as much
    // as a path (the decoder cuts a string at -s).
    if def.decoder == Decoder::Fsconfig {
        spec.args[3].max = PATH_CAP;
    }
    if def.decoder == Decoder::IoUringRegister {
        calls::uring_captures(&mut spec, phase);
    }
    if def.decoder == Decoder::Ioctl {
        spec.args[2] = ioctl_capture(spec.args[2]);
    }
    if matches!(def.decoder, Decoder::Clone | Decoder::Clone3) {
        spec.args[CLONE_PIDFD_SLOT] = clone_pidfd_capture(def.decoder == Decoder::Clone3);
    }
    if def.decoder == Decoder::PerfEventOpen {
        spec.args[0] = perf_capture(opts.unabbreviated.contains(def.nr));
    }
    // The inode of a new fd whose name is asked of /proc later (pidfd_getfd's, the pty peer
    // an ioctl returns, a pinned bpf object, seccomp's listener): with eBPF the number may be
    // another file by then, and a name is given only when /proc shows the same inode.
    let named_later = def.has(RET_FD) && def.fd == FdEffect::None
        || matches!(def.name, "ioctl" | "bpf" | "seccomp");
    // An open's: an `O_TMPFILE` file is named by its inode (`/tmp/#1234 (deleted)`).
    let opens = def.fd == FdEffect::Open && spec.args[SOCKET_INODE_SLOT].kind == CAP_NONE;
    if returns_socket(def) || opens || named_later && spec.args[SOCKET_INODE_SLOT].kind == CAP_NONE
    {
        spec.args[SOCKET_INODE_SLOT] = ArgCapture {
            flags: CAPF_ON_SUCCESS,
            ..cap(CAP_FD_INODE, PHASE_EXIT, 16)
        };
    }
    if opts.sockets
        && let Some(sock) = socket_state(def)
        && spec.args[sock.slot].kind == CAP_NONE
    {
        spec.args[sock.slot] = sock.capture;
    }
    if def.socket_data() {
        socket_kind(&mut spec, phase);
        // strace reads the socket's kind as a send begins: the first send on an unbound
        // netlink socket binds it.
        if phase == PHASE_EXIT && def.has(DATA_OUT) {
            spec.flags |= SPEC_SOCK_AT_ENTER;
        }
    }
    // What the caller passed to an exec, read at exit into the first free slot, for when its
    // memory could not be read at enter.
    if def.is_exec() {
        spec.flags |= SPEC_NO_REBUILD;
        spec.args[kinds.len()] = ArgCapture {
            flags: CAPF_ON_SUCCESS,
            ..cap(CAP_EXEC_AREA, PHASE_EXIT, 0)
        };
    }
    for a in spec.args.iter().filter(|a| a.kind != CAP_NONE) {
        if a.phase & PHASE_ENTER != 0 && a.kind != CAP_U32_INOUT {
            spec.flags |= SPEC_CAPTURE_ENTER;
        }
        if a.phase & PHASE_EXIT != 0 {
            spec.flags |= SPEC_CAPTURE_EXIT;
        }
        if a.kind == CAP_U32_INOUT {
            spec.flags |= SPEC_SAVE_U32;
        }
    }
    if opts.redact_streams && crate::redact::follows(def) {
        spec.flags |= tracer_common::SPEC_STREAM;
    }
    let needs_enter = SPEC_CAPTURE_ENTER | SPEC_SAVE_U32 | SPEC_NO_RETURN | SPEC_ARG0_SP;
    let frees_fds = matches!(def.fd, FdEffect::Close | FdEffect::CloseRange);
    if !opts.entry_times && spec.flags & needs_enter == 0 && !(opts.follows_fds && frees_fds) {
        spec.flags |= SPEC_EXIT_ONLY;
    }
    spec
}

/// What the kernel side records: the selection plus, when fds are followed, the bookkeeping
/// calls (`SyscallDef::keeps_fd_book`), which also bypass the status filter.
#[derive(Debug, Clone)]
pub struct KernelSelection {
    /// By syscall number: record it.
    pub record: Vec<bool>,
    /// By syscall number: record it whatever its outcome.
    pub keep: Vec<bool>,
    /// `STATUS_DROP_*` bits.
    pub status_drop: u8,
    /// `--min-duration` in nanoseconds (0: off): shorter calls are not recorded, except the
    /// kept ones.
    pub min_duration: u64,
    /// `-k`: the registers and the top of the stack at each recorded call's entry.
    pub stack_traces: bool,
}

impl KernelSelection {
    /// Records the syscalls whose row `which` picks whatever their outcome and `-e trace=`
    /// (the lines shown are still filtered).
    pub fn keep_syscalls(&mut self, which: impl Fn(&SyscallDef) -> bool) {
        for def in tables::all().iter().filter(|d| which(d)) {
            for v in [&mut self.record, &mut self.keep] {
                if let Some(b) = v.get_mut(def.nr as usize) {
                    *b = true;
                }
            }
        }
    }
}

/// Every (syscall number, spec) pair to load into the kernel's table: a number without a row
/// is traced too, capturing nothing (strace prints it as `syscall_0x1f4(...)`).
pub fn all_specs(opts: &CaptureOptions) -> impl Iterator<Item = (u32, SyscallSpec)> + '_ {
    (0..tracer_common::SYSCALL_TABLE_LEN).map(move |nr| {
        let spec = match tables::by_nr(nr) {
            Some(def) => spec_for(def, opts),
            None => SyscallSpec {
                flags: SPEC_TRACED,
                ..SyscallSpec::default()
            },
        };
        (nr, spec)
    })
}

/// The specs with `-e trace=` and the fd-following rule applied: what each backend records.
pub fn selected_specs<'a>(
    opts: &'a CaptureOptions,
    sel: &'a KernelSelection,
) -> impl Iterator<Item = (u32, SyscallSpec)> + 'a {
    all_specs(opts).map(|(nr, mut spec)| {
        if !sel.record.get(nr as usize).copied().unwrap_or(true) {
            spec.flags &= !SPEC_TRACED;
        }
        if sel.keep.get(nr as usize).copied().unwrap_or(false) {
            spec.flags |= tracer_common::SPEC_KEEP;
        }
        (nr, spec)
    })
}

#[cfg(test)]
mod tests;
