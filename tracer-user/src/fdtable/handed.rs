//! Fds a call hands the process without its row saying it returns one: the peer of a
//! pseudo-terminal (`ioctl(TIOCGPTPEER)`, which strace prints as a bare `= 4`), a socket's
//! network namespace (`SIOCGSKNS`), a namespace's owner or parent (`NS_GET_USERNS`), and the
//! fds a message brought in `SCM_RIGHTS` (`recvmsg`, `recvmmsg`). strace names them in the
//! calls that follow (`close(4</dev/pts/0>)`), and the received ones in the receiving call's
//! own `cmsg_data`, so the table learns them before that call is formatted.

use crate::{
    decode::{Arg, Ret, Syscall, ioctl},
    event::RawSyscall,
};

/// The new fds `sc` handed over besides a returned fd the row already marks (`Ret::Fd` of a
/// `RET_FD` row is learnt by `FdTable::created`).
pub(super) fn fds(sc: &Syscall, raw: &RawSyscall) -> Vec<i32> {
    if crate::decode::is_error(raw.ret) {
        return Vec::new();
    }
    match sc.def.map(|d| d.name) {
        Some("ioctl") if ioctl::returns_fd(raw.args[1] as u32) => match sc.ret {
            // Shown as an fd: `created` names it.
            Ret::Fd(_) => Vec::new(),
            _ if raw.ret >= 0 => vec![raw.ret as i32],
            _ => Vec::new(),
        },
        Some("recvmsg" | "recvmmsg") => {
            let mut out = Vec::new();
            sc.args.iter().for_each(|a| received(a, &mut out));
            out
        }
        _ => Vec::new(),
    }
}

/// The fds in the `cmsg_data` of control messages within a received message (only
/// `SCM_RIGHTS` data holds fds).
fn received(arg: &Arg, out: &mut Vec<i32>) {
    match arg {
        Arg::Struct { fields, .. } => {
            for (name, value) in fields {
                match (*name, value) {
                    ("cmsg_data", Arg::Array { items, .. }) => {
                        out.extend(items.iter().filter_map(|i| match i {
                            Arg::Fd(fd) if *fd >= 0 => Some(*fd),
                            _ => None,
                        }))
                    }
                    _ => received(value, out),
                }
            }
        }
        Arg::Array { items, .. } | Arg::Seq(items) => items.iter().for_each(|a| received(a, out)),
        Arg::Changed(_, after) => received(after, out),
        Arg::Commented(a, _) | Arg::Boxed(a) | Arg::Labeled(_, a) | Arg::Named(_, a) => {
            received(a, out)
        }
        _ => {}
    }
}
