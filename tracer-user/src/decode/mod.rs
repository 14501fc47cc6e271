//! RawSyscall + argument table → `Syscall`, the typed model both formatters render.
//!
//! The syscall's row (`tables::SyscallDef`) gives each argument a kind; `render` turns a kind
//! into an `Arg`. Syscalls whose rendering depends on other arguments (open's mode, fcntl's
//! third argument, clone's flags, ...) name a decoder in their row (`tables::Decoder`, by
//! variant, never by the syscall's name); `finish` runs its function from the topic module,
//! which reuses `render` for the ordinary arguments.

pub mod abbrev;
pub mod aio;
pub mod bpf;
pub mod bytes;
mod caps;
pub(crate) mod cmsg;
mod fallback;
mod fcntl;
pub mod flags;
mod fs;
mod io_uring;
pub mod io_uring_register;
pub(crate) mod ioctl;
mod ioctl_blk;
mod ioctl_chardev;
mod ioctl_dev;
mod ioctl_dm;
mod ioctl_evdev;
mod ioctl_fdreq;
mod ioctl_fsx;
pub mod ioctl_kvm;
mod ioctl_mtd;
mod ioctl_number;
mod ioctl_scsi;
mod ioctl_shape;
mod ioctl_sock;
mod ioctl_uffd;
mod ioctl_v4l2;
mod ipc;
mod ipc_ds;
mod keyctl;
mod landlock;
mod longtail;
mod mem;
mod misc;
pub mod mmsg;
pub mod model;
mod mount;
mod mq;
mod net;
mod netlink;
mod netlink_diag;
mod netlink_diag_reply;
mod netlink_families;
mod netlink_genl;
mod netlink_link;
mod netlink_route;
mod notify;
pub mod perf;
mod pids;
mod prctl;
pub(crate) mod process;
mod ptrace;
mod quota;
mod sched;
pub mod seccomp;
pub mod siginfo;
mod signal;
mod sockaddr;
mod sockaddr_more;
mod sockopt;
mod sockopt_structs;
mod stat;
mod structs;
mod structs_info;
mod system;
mod termios;
mod time;
mod values;

pub use model::{Arg, Ret, Syscall};
pub use values::octal;

use std::borrow::Cow;

use crate::{
    event::{Blob, RawSyscall},
    tables::{
        self, Decoder, SyscallDef,
        args::{ArgKind, StructKind},
        errno,
        row::behaviour::{RET_ADDR, RET_FD, RET_PID},
        signals,
    },
};

/// Decoding options (strace's `-s`, `-e raw=`, `-v`, `-e abbrev=`, `-e verbose=`).
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// `-s`: bytes of strings and buffers printed before `...`.
    pub strsize: usize,
    /// `-e raw=SET`: these syscalls' arguments and return value undecoded, in hex.
    pub raw: RawSet,
    /// `-v`, `-e abbrev=SET`, `-e verbose=SET`: per syscall, how much of what its arguments
    /// point to is printed.
    pub verbosity: abbrev::Verbosity,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            strsize: 32,
            raw: RawSet::default(),
            verbosity: abbrev::Verbosity::default(),
        }
    }
}

/// A set of syscall numbers (below 512), for `-e raw=`, `-e abbrev=`, `-e verbose=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawSet([u64; 8]);

impl RawSet {
    /// From a table indexed by syscall number.
    pub fn from_flags(flags: &[bool]) -> Self {
        let mut set = Self::default();
        for (nr, _) in flags
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .take_while(|(nr, _)| *nr < 512)
        {
            set.0[nr / 64] |= 1 << (nr % 64);
        }
        set
    }

    pub fn contains(&self, nr: u32) -> bool {
        let nr = nr as usize;
        nr < 512 && self.0[nr / 64] & (1 << (nr % 64)) != 0
    }
}

/// One raw syscall being decoded, with the options.
pub struct Ctx<'a> {
    pub raw: &'a RawSyscall,
    pub opts: &'a DecodeOptions,
}

impl Ctx<'_> {
    /// Raw register value of argument `i`.
    pub fn arg(&self, i: usize) -> u64 {
        self.raw.args.get(i).copied().unwrap_or(0)
    }

    /// Argument `i` as a C int.
    pub fn int(&self, i: usize) -> i64 {
        i64::from(self.arg(i) as i32)
    }

    /// The call failed (returned -errno, not as an injected success).
    pub fn failed(&self) -> bool {
        is_error(self.raw.ret) && !self.raw.tampered.succeeded
    }

    /// Data captured for argument `i` at exit (or, if none, at enter).
    pub fn blob(&self, i: usize) -> Option<&Blob> {
        let mut found = None;
        for b in self.raw.blobs.iter().filter(|b| usize::from(b.arg) == i) {
            if !b.at_enter {
                return Some(b);
            }
            found = Some(b);
        }
        found
    }

    /// Data captured for argument `i` at enter.
    pub fn blob_at_enter(&self, i: usize) -> Option<&Blob> {
        self.raw
            .blobs
            .iter()
            .find(|b| usize::from(b.arg) == i && b.at_enter)
    }

    /// A sub-blob of argument `i` with the given capture kind (msghdr parts), from exit if
    /// there is one, else from enter.
    pub fn blob_kind(&self, i: usize, kind: u8) -> Option<&Blob> {
        self.raw.blob_kind(i, kind)
    }

    /// Readable data of argument `i`, or None (not captured, or the read faulted).
    pub fn data(&self, i: usize) -> Option<&[u8]> {
        self.blob(i)
            .filter(|b| !b.faulted)
            .map(|b| b.data.as_slice())
    }

    /// strace's `abbrev(tcp)`: this call's structures are printed abbreviated, its arrays
    /// cut after `-s` entries and execve's environment counted (not `-v`, or in `-e abbrev=`).
    pub fn abbrev(&self) -> bool {
        !self.opts.verbosity.full.contains(self.raw.nr)
    }

    /// strace's `verbose(tcp)`: what this call's arguments point to is read and printed (not
    /// left out of `-e verbose=`).
    pub fn verbose(&self) -> bool {
        !self.opts.verbosity.addresses.contains(self.raw.nr)
    }

    /// Most entries of an array printed before `...`: `-s`, unless the call is unabbreviated.
    pub fn array_limit(&self) -> usize {
        match self.abbrev() {
            true => self.opts.strsize,
            false => usize::MAX,
        }
    }

    /// Bytes as a string argument, cut at `-s`.
    pub fn bytes_arg(&self, data: &[u8], truncated: bool) -> Arg {
        let limit = self.opts.strsize;
        let cut = data.len() > limit;
        Arg::str(&data[..data.len().min(limit)], truncated || cut)
    }

    /// The data a call transfers (`Arg::data`: a buffer, not a name), cut at `-s`.
    pub fn data_arg(&self, data: &[u8], truncated: bool) -> Arg {
        let limit = self.opts.strsize;
        let cut = data.len() > limit;
        Arg::data(&data[..data.len().min(limit)], truncated || cut)
    }
}

/// A return value that is `-errno` (tracer-common's rule, as the kernel's status filter).
pub fn is_error(ret: i64) -> bool {
    tracer_common::is_error_return(ret)
}

/// Decodes one complete syscall.
pub fn decode(raw: &RawSyscall, opts: &DecodeOptions) -> Syscall {
    let def = tables::by_nr(raw.nr);
    let name: Cow<'static, str> = match def {
        Some(d) => Cow::Borrowed(d.name),
        None => Cow::Owned(tables::unknown_name(raw.nr)),
    };
    let ctx = Ctx { raw, opts };
    let mut sc = Syscall {
        tgid: raw.tgid,
        tid: raw.tid,
        ts_enter: raw.ts_enter,
        ts_exit: raw.ts_exit,
        nr: raw.nr,
        def,
        name,
        args: Vec::new(),
        ret: default_ret(raw),
        ret_extra: None,
        resumed: raw.no_enter,
        tampered: raw.tampered,
    };
    if raw.no_enter {
        return sc;
    }
    match def {
        Some(def) => decode_known(def, &ctx, &mut sc),
        None => sc.args = raw.args.iter().map(|&v| Arg::Hex(v)).collect(),
    }
    pids::mark(def, &mut sc);
    // strace's default return format is unsigned: an injected success below 0 (`retval=-1`)
    // prints `18446744073709551615` (fds, pids, addresses and modes as their own).
    if let Ret::Value(v) = sc.ret
        && raw.tampered.succeeded
        && v < 0
    {
        sc.ret = match def.is_some_and(|d| d.has(RET_PID)) {
            true => Ret::Pid(v),
            false => Ret::Unsigned(v as u64),
        };
    }
    sc
}

/// Whether the call is printed otherwise than decoded (`-e raw=`, `-e verbose=`), so the fd
/// table and `-P` learn from the decoded call and `as_shown` gives the printed one.
pub fn shown_apart(nr: u32, opts: &DecodeOptions) -> bool {
    opts.raw.contains(nr) || opts.verbosity.addresses.contains(nr)
}

/// The call as printed: for `-e raw=`, as many arguments as the syscall has and a
/// successful return value, in hex; outside `-e verbose=`, decoded without what its
/// arguments point to (their addresses instead). Applied after the fd table has learnt from
/// the decoded call (a raw openat still names its fd for `-y`).
pub fn as_shown(raw: &RawSyscall, opts: &DecodeOptions, sc: &mut Syscall) {
    if opts.verbosity.addresses.contains(raw.nr) && !opts.raw.contains(raw.nr) {
        if let Some(bare) = abbrev::without_pointees(raw) {
            let shown = decode(&bare, opts);
            (sc.args, sc.ret, sc.ret_extra) = (shown.args, shown.ret, shown.ret_extra);
        }
        return;
    }
    if !opts.raw.contains(raw.nr) || raw.no_enter {
        return;
    }
    let count = tables::by_nr(raw.nr)
        .and_then(|d| d.params)
        .map_or(raw.args.len(), <[_]>::len);
    sc.args = raw.args.iter().take(count).map(|&v| Arg::Hex(v)).collect();
    sc.ret_extra = None;
    if !raw.no_return && !is_error(raw.ret) {
        sc.ret = Ret::Hex(raw.ret as u64);
    }
}

fn decode_known(def: &SyscallDef, ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args = match def.args {
        None => fallback::by_declared_types(def, ctx),
        Some(kinds) => kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| render(ctx, i, *kind))
            .collect(),
    };
    // A new fd (`-y` names it), an address in hex, however the arguments were decoded.
    match sc.ret {
        Ret::Value(fd) if def.has(RET_FD) => sc.ret = Ret::Fd(fd as i32),
        Ret::Value(v) if def.has(RET_ADDR) => sc.ret = Ret::Hex(v as u64),
        _ => {}
    }
    // The row's decoder fixes up what depends on other arguments or on the outcome.
    finish(def.decoder, ctx, sc);
}

/// Runs `decoder`: its function in the topic modules.
fn finish(decoder: Decoder, ctx: &Ctx<'_>, sc: &mut Syscall) {
    let run: fn(&Ctx<'_>, &mut Syscall) = match decoder {
        Decoder::Generic => return,
        Decoder::Open => fs::open,
        Decoder::Openat => fs::openat,
        Decoder::Access => fs::access,
        Decoder::Faccessat => fs::faccessat,
        Decoder::Statx => fs::statx,
        Decoder::Umask => fs::umask,
        Decoder::Getcwd => fs::getcwd,
        Decoder::Getrandom => fs::getrandom,
        Decoder::Fcntl => fcntl::fcntl,
        Decoder::Openat2 => fs::openat2,
        Decoder::Fsconfig => mount::fsconfig,
        Decoder::MountSetattr => mount::mount_setattr,
        Decoder::Quotactl => quota::quotactl,
        Decoder::Bpf => bpf::bpf,
        Decoder::PerfEventOpen => perf::perf_event_open,
        Decoder::Seccomp => seccomp::seccomp,
        Decoder::LandlockCreateRuleset => landlock::create_ruleset,
        Decoder::LandlockAddRule => landlock::add_rule,
        Decoder::Keyctl => keyctl::keyctl,
        Decoder::AddKey => keyctl::add_key,
        Decoder::RequestKey => keyctl::request_key,
        Decoder::MqOpen => mq::mq_open,
        Decoder::Mmap => mem::mmap,
        Decoder::Mremap => mem::mremap,
        Decoder::Membarrier => mem::membarrier,
        Decoder::Socket => net::socket,
        Decoder::Socketpair => net::socketpair,
        Decoder::Setsockopt => sockopt::setsockopt,
        Decoder::Getsockopt => sockopt::getsockopt,
        Decoder::Poll => net::poll,
        Decoder::Ppoll => net::ppoll,
        Decoder::Recvmmsg => mmsg::recvmmsg,
        Decoder::Select => net::select,
        Decoder::Pselect6 => net::pselect6,
        Decoder::EpollCtl => net::epoll_ctl,
        Decoder::EpollWait => net::epoll_wait,
        Decoder::Clone => process::clone,
        Decoder::Clone3 => process::clone3,
        Decoder::Wait4 => process::wait4,
        Decoder::Waitid => process::waitid,
        Decoder::Prctl => prctl::prctl,
        Decoder::Capget => caps::capget,
        Decoder::Capset => caps::capset,
        Decoder::Futex => time::futex,
        Decoder::Ioctl => ioctl::finish,
        Decoder::Ptrace => ptrace::finish,
        Decoder::Shmget => ipc::shmget,
        Decoder::Shmctl => ipc::shmctl,
        Decoder::Msgget => ipc::msgget,
        Decoder::Msgctl => ipc::msgctl,
        Decoder::Semget => ipc::semget,
        Decoder::Semctl => ipc::semctl,
        Decoder::LongTail => longtail::finish,
        Decoder::Signals => signal::finish,
        Decoder::Offsets => structs::offsets,
        Decoder::Signalfd4 => notify::signalfd4,
        Decoder::FanotifyInit => notify::fanotify_init,
        Decoder::FanotifyMark => notify::fanotify_mark,
        Decoder::IoUringSetup => io_uring::setup,
        Decoder::IoUringEnter => io_uring::enter,
        Decoder::IoUringRegister => io_uring_register::register,
        Decoder::Misc => misc::finish,
        Decoder::System => system::finish,
        Decoder::Adjtimex => time::adjtimex,
    };
    run(ctx, sc);
}

fn default_ret(raw: &RawSyscall) -> Ret {
    if raw.no_return {
        return Ret::Unknown;
    }
    if is_error(raw.ret) && !raw.tampered.succeeded {
        let code = (-raw.ret) as u32;
        return if errno::is_restart(code) {
            Ret::Restart(code)
        } else {
            Ret::Error(code)
        };
    }
    Ret::Value(raw.ret)
}

/// Renders argument `i` by its kind.
pub fn render(ctx: &Ctx<'_>, i: usize, kind: ArgKind) -> Arg {
    let value = ctx.arg(i);
    match kind {
        ArgKind::Int => Arg::Int(i64::from(value as i32)),
        ArgKind::Id => id(value as u32),
        ArgKind::UInt => Arg::UInt(u64::from(value as u32)),
        ArgKind::Long => Arg::Int(value as i64),
        ArgKind::ULong => Arg::UInt(value),
        ArgKind::Hex => Arg::Hex(value),
        ArgKind::Hex32 => Arg::Hex(u64::from(value as u32)),
        ArgKind::Ptr
        | ArgKind::Custom
        | ArgKind::CustomIn(_)
        | ArgKind::CustomOutBuf
        | ArgKind::CustomStr
        | ArgKind::CustomBuf(_)
        | ArgKind::CustomInOut
        | ArgKind::CustomSized(_) => Arg::Ptr(value),
        ArgKind::Fd => Arg::Fd(value as i32),
        ArgKind::DirFd => dirfd(value),
        ArgKind::Mode => Arg::Octal(value & tables::flags::MODE_MASK),
        ArgKind::Path => path(ctx, i),
        ArgKind::Str => string(ctx, i),
        ArgKind::InBuf(len) => socket_buffer(ctx, i, ctx.arg(usize::from(len)))
            .unwrap_or_else(|| buffer(ctx, i, value)),
        ArgKind::OutBuf => {
            // A NULL buffer is NULL whatever the call returned (strace: `read(3, NULL, 0)`).
            if ctx.failed() || value == 0 {
                Arg::Ptr(value)
            } else if ctx.raw.ret == 0 {
                // Nothing was written: strace shows the empty string.
                Arg::data(b"", false)
            } else {
                // Every row's output buffer is followed by its size. A recv with MSG_TRUNC
                // returns the datagram's length, more than the buffer holds: the bytes after
                // it (captured, as strace's `-e read=` dump shows them) are not shown.
                let held = (ctx.raw.ret as u64).min(ctx.arg(i + 1));
                socket_buffer(ctx, i, held).unwrap_or_else(|| held_buffer(ctx, i, value, held))
            }
        }
        ArgKind::Flags(table) => flags::flags(table, u64::from(value as u32)),
        ArgKind::LongFlags(table) => flags::flags(table, value),
        ArgKind::Enum(table) => enum_value(table, u64::from(value as u32)),
        ArgKind::Sig => signal(u64::from(value as u32)),
        ArgKind::Pid => Arg::Pid(i64::from(value as i32)),
        // The kernel fills a msghdr: a failed call shows only the name length it was given.
        ArgKind::InOut(StructKind::Msghdr) if ctx.failed() => {
            structs::render(ctx, i, StructKind::Msghdr, true)
        }
        ArgKind::In(s) | ArgKind::InOut(s) => structs::render(ctx, i, s, false),
        ArgKind::Out(s) => {
            // A failed readv's array is still shown (its buffers' addresses), as strace does;
            // a failed sendmmsg's vector too (without msg_len: `sendmmsg(-1, [], 0, 0)`; with
            // entries the address: their data is captured by msg_len, none when it failed).
            let shown = matches!(
                s,
                StructKind::Socklen | StructKind::Remaining | StructKind::Iov(_)
            ) || matches!(s, StructKind::Mmsghdr(n) if n != 0);
            if ctx.failed() && !shown {
                Arg::Ptr(value)
            } else {
                structs::render(ctx, i, s, true)
            }
        }
    }
}

/// `arg` as strace prints it (with no fd names), for tests.
#[cfg(test)]
pub(crate) fn shown(arg: &Arg) -> String {
    crate::format::strace::arg_text(arg, &Default::default(), None, 0)
}

/// A value of a table: its name, or `0x63 /* RLIMIT_??? */` as strace marks unknown values
/// (`-X raw`: the bare number).
pub fn enum_value(table: tables::flags::Xlat, value: u64) -> Arg {
    flags::named(table, value).unwrap_or_else(|| {
        let marked = Arg::Commented(Box::new(Arg::Hex(value)), format!("{}???", table.prefix));
        Arg::constant(Arg::Hex(value), marked)
    })
}

/// A uid_t or gid_t as strace's printuid: `-1` for (uid_t) -1, any other value unsigned
/// (`4294967294`).
pub fn id(value: u32) -> Arg {
    match value {
        u32::MAX => Arg::Int(-1),
        v => Arg::UInt(u64::from(v)),
    }
}

/// A `clock_t` as strace's print_clock_t prints it: unsigned, with the seconds it makes in
/// a comment when it is not 0 (`31 /* 0.31 s */`; `-X raw` leaves the comment out).
pub fn clock_t(ticks: i64) -> Arg {
    let value = Arg::UInt(ticks as u64);
    // SAFETY: sysconf reads a constant of the system; it takes no pointer.
    let hz = match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
        hz if hz > 0 => hz as u64,
        _ => return value,
    };
    let ticks = ticks as u64;
    if ticks == 0 {
        return value;
    }
    // As many decimals as the tick rate has digits after its first (two for 100 Hz).
    let width = (hz.ilog10() as usize).min(9);
    let fraction = format!("{:.width$}", (ticks % hz) as f64 / hz as f64);
    let decimals = fraction.split_once('.').map_or("", |(_, d)| d);
    let comment = match width {
        0 => format!("{} s", ticks / hz),
        _ => format!("{}.{decimals} s", ticks / hz),
    };
    ioctl_blk::commented(value, comment)
}

/// A signal by name, standing for its number in decimal (`-X raw` prints `rt_sigaction(10,`).
pub fn signal(sig: u64) -> Arg {
    // strace prints the number as a C int: 0xffffffff is -1.
    flags::constant(Arg::Int(i64::from(sig as u32 as i32)), signals::name(sig))
}

/// A directory fd: `AT_FDCWD` (which the formatter prints by name, and `-y` decorates with
/// the current directory) or the fd.
pub fn dirfd(value: u64) -> Arg {
    Arg::Fd(value as i32)
}

/// A path argument: the string, or the address when it could not be read.
pub fn path(ctx: &Ctx<'_>, i: usize) -> Arg {
    match ctx.blob(i) {
        Some(b) if !b.faulted => Arg::str(&b.data, b.truncated),
        _ => Arg::Ptr(ctx.arg(i)),
    }
}

/// A C string argument, cut at `-s`.
pub fn string(ctx: &Ctx<'_>, i: usize) -> Arg {
    match ctx.blob(i) {
        Some(b) if !b.faulted => ctx.bytes_arg(&b.data, b.truncated),
        _ => Arg::Ptr(ctx.arg(i)),
    }
}

/// The data of argument `i` sent or received through a netlink socket (`len` bytes of it), as
/// its messages; None for any other fd.
fn socket_buffer(ctx: &Ctx<'_>, i: usize, len: u64) -> Option<Arg> {
    let b = ctx.blob(i).filter(|b| !b.faulted)?;
    let nl = netlink::socket(ctx)?;
    Some(netlink::messages(ctx, &nl, &b.data, len as usize))
}

/// The bytes of one iovec buffer: netlink messages when `nl` says so, else a string cut at
/// `-s`.
fn iov_data(ctx: &Ctx<'_>, nl: Option<&netlink::Netlink>, bytes: &[u8], truncated: bool) -> Arg {
    match nl {
        Some(nl) => netlink::messages(ctx, nl, bytes, bytes.len()),
        None => ctx.data_arg(bytes, truncated),
    }
}

/// The first `held` bytes of a data buffer, cut at `-s`.
fn held_buffer(ctx: &Ctx<'_>, i: usize, value: u64, held: u64) -> Arg {
    match ctx.blob(i) {
        Some(b) if !b.faulted => {
            let n = b
                .data
                .len()
                .min(usize::try_from(held).unwrap_or(usize::MAX));
            // Captured short of what the buffer holds (a cap): still cut.
            let cut = b.truncated && (b.data.len() as u64) < held;
            ctx.data_arg(&b.data[..n], cut)
        }
        _ => Arg::Ptr(value),
    }
}

/// A data buffer, cut at `-s`.
pub fn buffer(ctx: &Ctx<'_>, i: usize, value: u64) -> Arg {
    match ctx.blob(i) {
        Some(b) if !b.faulted => ctx.data_arg(&b.data, b.truncated),
        _ => Arg::Ptr(value),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_proc;
