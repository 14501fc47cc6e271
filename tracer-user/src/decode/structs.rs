//! Structs behind pointer arguments, rendered as strace renders them (abbreviated where
//! strace abbreviates without -v).

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{i32_at, i64_at, u64_at},
        fs, ipc_ds, mq, net, process, signal, sockaddr,
        structs_info::{rlimit, rusage, statfs, sysinfo, tms, utsname},
        values::{TV_NSEC, TV_SEC, bits, fd_set, timespec, timeval, utc_date, utc_date_usec},
    },
    tables::args::StructKind,
};

/// Renders argument `i` as struct kind `s`; `out`: the kernel wrote it.
pub fn render(ctx: &Ctx<'_>, i: usize, s: StructKind, out: bool) -> Arg {
    let ptr = ctx.arg(i);
    if ptr == 0 {
        return Arg::Ptr(0);
    }
    match s {
        StructKind::Socklen => return net::socklen(ctx, i),
        StructKind::Sockaddr(n) => return sockaddr::input(ctx, i, usize::from(n)),
        StructKind::SockaddrOut(n) => {
            return sockaddr::output(ctx, i, usize::from(n)).unwrap_or(Arg::Ptr(ptr));
        }
        StructKind::Envp => return process::envp(ctx, i),
        StructKind::Dirents => return fs::dirents(ctx, i, false),
        StructKind::OldDirents => return fs::dirents(ctx, i, true),
        StructKind::Iov(n) => return net::iovec_arg(ctx, i, ctx.arg(usize::from(n)), out),
        StructKind::IovAddrs(n) => return net::iovec_addrs(ctx, i, ctx.arg(usize::from(n))),
        StructKind::Msghdr => return net::msghdr(ctx, i, out),
        StructKind::Mmsghdr(count) => return super::mmsg::mmsghdr(ctx, i, count),
        StructKind::Argv => return process::argv(ctx, i),
        StructKind::Iocbs(n) => return super::aio::iocbs(ctx, i, ctx.arg(usize::from(n))),
        StructKind::Loff | StructKind::FdSet(_) => return in_out(ctx, i, s),
        _ => {}
    }
    // The kernel writes the time left only when a signal interrupted the sleep (the call
    // ends with an ERESTART* code), and never for clock_nanosleep's TIMER_ABSTIME (its rem
    // is argument 3, its flags argument 1).
    let abstime = i == 3 && ctx.arg(1) & 1 != 0;
    if s == StructKind::Remaining && (!matches!(ctx.raw.ret, -516 | -514..=-512) || abstime) {
        return Arg::Ptr(ptr);
    }
    if matches!(s, StructKind::Gids | StructKind::IoEvents) && out && ctx.raw.ret == 0 {
        return Arg::Array {
            items: Vec::new(),
            more: false,
        };
    }
    // What the call was given: the value at enter (the kernel may rewrite it, as select's
    // and ppoll's timeouts), else the one read at exit.
    let input = ctx
        .blob_at_enter(i)
        .filter(|b| !out && !b.faulted)
        .map(|b| b.data.as_slice());
    let Some(data) = input.or_else(|| ctx.data(i)) else {
        return readable_part(ctx, i, s, out).unwrap_or(Arg::Ptr(ptr));
    };
    decode_struct(ctx, s, data).unwrap_or(Arg::Ptr(ptr))
}

/// An array whose read faulted after some elements (`CAPF_PREFIX`), as strace's print_array
/// prints it: the elements read, then `... /* 0xADDR */` at the first unreadable one. It
/// fetches an element before checking `-s`, so an unreadable one at index `-s` still shows
/// so; more readable elements than `-s` abbreviate as usual. None when none was readable
/// (the address is printed).
fn readable_part(ctx: &Ctx<'_>, i: usize, s: StructKind, out: bool) -> Option<Arg> {
    let elem = s.array_elem()?;
    let blob = match out {
        true => ctx.blob(i),
        false => ctx.blob_at_enter(i).or_else(|| ctx.blob(i)),
    }
    .filter(|b| b.faulted)?;
    let n = blob.data.len() / elem;
    if n == 0 {
        return None;
    }
    match decode_struct(ctx, s, &blob.data[..n * elem])? {
        // `more`: the array goes on past what was read.
        Arg::Array {
            mut items,
            more: true,
        } if n <= ctx.array_limit() => {
            items.push(Arg::unreadable_from(ctx.arg(i) + (n * elem) as u64));
            Some(Arg::Array { items, more: false })
        }
        whole => Some(whole),
    }
}

/// A value the kernel reads and rewrites: `before => after` when it changed.
fn in_out(ctx: &Ctx<'_>, i: usize, s: StructKind) -> Arg {
    let ptr = ctx.arg(i);
    let before = ctx
        .blob_at_enter(i)
        .filter(|b| !b.faulted)
        .and_then(|b| decode_struct(ctx, s, &b.data));
    let after = ctx
        .raw
        .blobs
        .iter()
        .find(|b| usize::from(b.arg) == i && !b.at_enter && !b.faulted)
        .and_then(|b| decode_struct(ctx, s, &b.data));
    // select's sets print as passed in; what the kernel left in them is its result
    // (`= 1 (in [3], ...)`, nothing after a timeout), which its decoder prints.
    let changes_shown = !matches!(s, StructKind::FdSet(_));
    match (before, after) {
        (Some(b), Some(a)) if b != a && changes_shown && !ctx.failed() => {
            Arg::Changed(Box::new(b), Box::new(a))
        }
        (Some(b), _) => b,
        (None, Some(a)) => a,
        (None, None) => Arg::Ptr(ptr),
    }
}

/// The splice family's offsets as strace 6.1 prints them. splice, copy_file_range: as the
/// call was given them (`[0]`, when the call starts; the kernel's update is not shown: they
/// are read at both ends, `InOut`, so that the value given is there whichever backend).
/// sendfile: `[0] => [4]`, unsigned (`%PRIu64`), the offset after any call that sent
/// something even when it did not move (`[0] => [0]`: /dev/zero's).
pub fn offsets(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if &*sc.name == "sendfile" {
        if let Some(arg) = sc.args.get_mut(2) {
            let unmoved = ctx.raw.ret > 0
                && matches!(arg, Arg::Boxed(_))
                && ctx
                    .raw
                    .blobs
                    .iter()
                    .any(|b| b.arg == 2 && !b.at_enter && !b.faulted);
            if unmoved {
                *arg = Arg::Changed(Box::new(arg.clone()), Box::new(arg.clone()));
            }
            unsigned(arg);
        }
        return;
    }
    for i in [1, 3] {
        if let Some(arg) = sc.args.get_mut(i)
            && let Arg::Changed(before, _) = arg
        {
            *arg = std::mem::replace(before.as_mut(), Arg::Ptr(0));
        }
    }
}

/// `[-1]` as `[18446744073709551615]`, before and after.
fn unsigned(arg: &mut Arg) {
    match arg {
        Arg::Boxed(inner) => unsigned(inner),
        Arg::Changed(before, after) => {
            unsigned(before);
            unsigned(after);
        }
        Arg::Int(v) => *arg = Arg::UInt(*v as u64),
        _ => {}
    }
}

/// pselect6's `{sigmask=[USR1], sigsetsize=8}`: the pointer's sigset when it was read, else
/// the pointer (NULL or an address).
fn sigmask_pair(d: &[u8]) -> Option<Arg> {
    let (ptr, size) = (u64_at(d, 0)?, u64_at(d, 8)?);
    let mask = match d.get(16..) {
        // strace reads a sigset of the kernel's size only (8 bytes): any other size prints
        // the address.
        Some(set) if !set.is_empty() && size == 8 => {
            signal::sigset_arg(&set[..set.len().min(size as usize)])
        }
        _ => Arg::Ptr(ptr),
    };
    Some(Arg::Struct {
        fields: vec![("sigmask", mask), ("sigsetsize", Arg::UInt(size))],
        more: false,
    })
}

/// `count` fds as C ints, cut after `-s` of them (`...`).
/// At most `-s` of `items` (strace's print_array), `...` when `count` has more.
fn limited(ctx: &Ctx<'_>, items: impl Iterator<Item = Arg>, count: u64) -> Arg {
    let items: Vec<Arg> = items.take(ctx.array_limit()).collect();
    let more = (items.len() as u64) < count;
    Arg::Array { items, more }
}

/// The kernel's NGROUPS_MAX (strace's sysconf(_SC_NGROUPS_MAX)).
const NGROUPS_MAX: u64 = 65536;

/// One page's move_pages status: its node, or `-ENOENT` (strace's print_err).
fn page_status(v: i32) -> Arg {
    match crate::tables::errno::lookup(v.unsigned_abs()) {
        Some((name, _)) if v < 0 => {
            super::flags::constant(Arg::Int(i64::from(v)), format!("-{name}"))
        }
        _ => Arg::Int(i64::from(v)),
    }
}

/// Decodes `data` as struct kind `s`.
pub fn decode_struct(ctx: &Ctx<'_>, s: StructKind, data: &[u8]) -> Option<Arg> {
    Some(match s {
        StructKind::Mmsghdr(_) => return None,
        StructKind::Stat => super::stat::stat(data, ctx.abbrev())?,
        StructKind::Statx => super::stat::statx(data, ctx.abbrev())?,
        StructKind::Timespec | StructKind::Remaining => timespec(data, 0)?,
        // Their decoder reads them (the version says how many sets there are).
        StructKind::CapHeader | StructKind::CapData => return None,
        StructKind::SigmaskPair => sigmask_pair(data)?,
        StructKind::Timeval => timeval(data, 0)?,
        StructKind::Rlimit => rlimit(data)?,
        StructKind::Sigaction => signal::sigaction(data)?,
        StructKind::Sigset => signal::sigset_arg(data),
        StructKind::Utsname => utsname(data, ctx.abbrev()),
        StructKind::Sysinfo => sysinfo(data)?,
        StructKind::Tms => tms(data)?,
        // Two `FdInode` entries (pipe's, socketpair's fds and their inodes), an array of two
        // cut at `-s` as any (`[4, ...]` with `-s 1`).
        StructKind::IntPair => {
            let fds: Vec<Arg> = tracer_common::wire::fd_inodes(data)
                .map(|e| Arg::Fd(e.fd))
                .take(2)
                .collect();
            if fds.len() < 2 {
                return None;
            }
            limited(ctx, fds.into_iter(), 2)
        }
        StructKind::IntVal => Arg::boxed(Arg::Int(i64::from(i32_at(data, 0)?))),
        StructKind::Loff => Arg::boxed(Arg::Int(i64_at(data, 0)?)),
        StructKind::Rusage => rusage(data, ctx.abbrev())?,
        StructKind::Itimerspec => Arg::Struct {
            fields: vec![
                ("it_interval", timespec(data, 0)?),
                ("it_value", timespec(data, 16)?),
            ],
            more: false,
        },
        StructKind::Itimerval => Arg::Struct {
            fields: vec![
                ("it_interval", timeval(data, 0)?),
                ("it_value", timeval(data, 16)?),
            ],
            more: false,
        },
        StructKind::StackT => signal::stack_t(data)?,
        StructKind::Siginfo => super::siginfo::siginfo_arg(data)?,
        StructKind::Timex => super::time::timex(data)?,
        StructKind::PtrVal => Arg::boxed(Arg::Ptr(u64_at(data, 0)?)),
        StructKind::IocbHeader => super::aio::iocb(data, None)?,
        StructKind::IoEvent => super::aio::io_event(data, 0)?,
        StructKind::IoEvents => {
            super::aio::io_events(data, ctx.array_limit(), ctx.raw.ret.max(0) as u64)
        }
        StructKind::EpollEvent => net::epoll_event(data, 0)?,
        StructKind::Pollfds(n) => net::pollfds(data, ctx.array_limit(), ctx.arg(usize::from(n))),
        StructKind::Sembufs(n) => ipc_ds::sembufs(ctx, data, ctx.arg(usize::from(n))),
        StructKind::Waitv(n) => super::time::waiters(ctx, data, ctx.arg(usize::from(n))),
        StructKind::Timezone => Arg::Struct {
            fields: vec![
                ("tz_minuteswest", Arg::Int(i64::from(i32_at(data, 0)?))),
                ("tz_dsttime", Arg::Int(i64::from(i32_at(data, 4)?))),
            ],
            more: false,
        },
        StructKind::KexecSegments(n) => {
            super::system::kexec_segments(ctx.array_limit(), data, ctx.arg(usize::from(n)))?
        }
        StructKind::PtrArray(n) => {
            let items = data.as_chunks::<8>().0.iter();
            let items = items.map(|p| Arg::Ptr(u64::from_le_bytes(*p)));
            limited(ctx, items, ctx.arg(usize::from(n)))
        }
        StructKind::IntArray(n) => {
            let items = data.as_chunks::<4>().0.iter();
            let items = items.map(|v| Arg::Int(i64::from(i32::from_le_bytes(*v))));
            limited(ctx, items, ctx.arg(usize::from(n)))
        }
        StructKind::PageStatus(n) => {
            let items = data.as_chunks::<4>().0.iter();
            let items = items.map(|v| page_status(i32::from_le_bytes(*v)));
            limited(ctx, items, ctx.arg(usize::from(n)))
        }
        StructKind::Msgbuf(n) => ipc_ds::msgbuf(ctx, data, ctx.arg(usize::from(n)))?,
        StructKind::MqAttr(named) => mq::mq_attr(data, named)?,
        StructKind::Sigevent => mq::sigevent(data)?,
        StructKind::EpollEvents => {
            net::epoll_events(data, ctx.array_limit(), ctx.raw.ret.max(0) as u64)
        }
        StructKind::FdSet(n) => fd_set(data, ctx.arg(usize::from(n))),
        // Nothing written (a stream socket has no peer address to report).
        StructKind::SockaddrOut(_) if data.is_empty() => return None,
        StructKind::Sockaddr(_) | StructKind::SockaddrOut(_) => sockaddr::sockaddr(data),
        StructKind::CpuSet | StructKind::CpuSetOf(_) => cpu_set(data),
        StructKind::CloneArgs(_) => process::clone_args(data)?,
        StructKind::Utimes => Arg::Array {
            items: vec![utime(data, 0)?, utime(data, 16)?],
            more: false,
        },
        StructKind::Timevals => Arg::Array {
            items: vec![dated_timeval(data, 0)?, dated_timeval(data, 16)?],
            more: false,
        },
        StructKind::Utimbuf => {
            let time = |at| {
                i64_at(data, at).map(|t| Arg::Commented(Box::new(Arg::Int(t)), utc_date(t, 0)))
            };
            Arg::Struct {
                fields: vec![("actime", time(0)?), ("modtime", time(8)?)],
                more: false,
            }
        }
        StructKind::Nodemask(n) => {
            super::mem::nodemask(ctx.array_limit(), data, ctx.arg(usize::from(n)))?
        }
        StructKind::Mincore(n) => {
            super::mem::mincore_vec(ctx.array_limit(), data, ctx.arg(usize::from(n)))?
        }
        StructKind::SchedAttr(set) => super::sched::sched_attr(data, set, ctx.arg(2) as u32)?,
        StructKind::Statfs => statfs(data)?,
        StructKind::SigframeMask => Arg::Struct {
            fields: vec![("mask", signal::sigset_arg(data))],
            more: false,
        },
        // strace's print_groups: getgroups' entries are as many as it returned, setgroups'
        // as its size says (it returns 0); more than NGROUPS_MAX print the address.
        StructKind::Gids => {
            let count = match ctx.raw.ret {
                n if n > 0 => n as u64,
                _ => u64::from(ctx.arg(0) as u32),
            };
            if count > NGROUPS_MAX {
                return None;
            }
            let items = data.as_chunks::<4>().0.iter();
            limited(ctx, items.map(|c| super::id(u32::from_le_bytes(*c))), count)
        }
        StructKind::Socklen
        | StructKind::Iov(_)
        | StructKind::Iocbs(_)
        | StructKind::IovAddrs(_)
        | StructKind::FileHandle
        | StructKind::Msghdr
        | StructKind::Argv
        | StructKind::Envp
        | StructKind::Dirents
        | StructKind::OldDirents => return None,
    })
}

/// One of utimensat's times: `{tv_sec=1, tv_nsec=0} /* 1970-01-01T00:00:01+0000 */`, or
/// `UTIME_NOW` / `UTIME_OMIT` in tv_nsec.
fn utime(d: &[u8], at: usize) -> Option<Arg> {
    const UTIME_NOW: i64 = (1 << 30) - 1;
    const UTIME_OMIT: i64 = (1 << 30) - 2;
    let (sec, nsec) = (i64_at(d, at + TV_SEC)?, i64_at(d, at + TV_NSEC)?);
    let special = match nsec {
        UTIME_NOW => Some("UTIME_NOW"),
        UTIME_OMIT => Some("UTIME_OMIT"),
        _ => None,
    };
    let ts = Arg::Struct {
        // strace zero-extends tv_nsec (`tv_nsec=18446744073709551615`).
        fields: vec![
            ("tv_sec", Arg::Int(sec)),
            ("tv_nsec", Arg::UInt(nsec as u64)),
        ],
        more: false,
    };
    Some(match special {
        // The whole time by name; -X raw prints the struct.
        Some(name) => super::flags::constant(ts, name),
        // No date for nanoseconds out of range (strace's sprinttime_nsec gives none).
        None if !(0..1_000_000_000).contains(&nsec) => ts,
        None => Arg::Commented(Box::new(ts), utc_date(sec, nsec)),
    })
}

/// A timeval with its date in microseconds, as strace's utimes prints each one:
/// `{tv_sec=1, tv_usec=2} /* 1970-01-01T00:00:01.000002+0000 */`.
fn dated_timeval(d: &[u8], at: usize) -> Option<Arg> {
    let (sec, usec) = (i64_at(d, at)?, i64_at(d, at + 8)?);
    // No date for microseconds out of range (strace's sprinttime_usec gives none).
    if !(0..1_000_000).contains(&usec) {
        return timeval(d, at);
    }
    Some(Arg::Commented(
        Box::new(timeval(d, at)?),
        utc_date_usec(sec, usec),
    ))
}

/// strace's print_nonzero_bytes: the bytes from `start` to `size` (at most a page), when not
/// all zero, in hex and cut at `-s`: `/* bytes 32..47 */ "\x00..."`.
pub(crate) fn nonzero_tail(ctx: &Ctx<'_>, d: &[u8], start: usize, size: u64) -> Option<Arg> {
    let end = usize::try_from(size.min(4096)).unwrap_or(4096);
    let rest = d.get(start..end.min(d.len()))?;
    if end <= start || rest.iter().all(|&b| b == 0) {
        return None;
    }
    let mut value = ctx.bytes_arg(rest, false);
    if let Arg::Str { hex, .. } = &mut value {
        *hex = true;
    }
    Some(Arg::Prefixed(
        format!("bytes {}..{}", start, end - 1),
        Box::new(value),
    ))
}

/// `[0 1]`: the CPUs in a mask.
pub(super) fn cpu_set(d: &[u8]) -> Arg {
    let items = bits(d).map(|b| Arg::UInt(b as u64)).collect();
    Arg::Set {
        items,
        complement: false,
    }
}
