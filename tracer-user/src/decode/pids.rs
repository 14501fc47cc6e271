//! Which values are process ids (`-Y` prints the process name after them): the return value
//! of the calls that return a pid, and the pid arguments of the calls that take one, as
//! strace 6.1 marks them.

use super::{Arg, Ret, Syscall};

/// Calls whose successful return value is a pid (not wait4's: the child it returns is
/// reaped by then, and strace prints it bare).
const RETURN_PIDS: &[&str] = &[
    "getpid", "getppid", "gettid", "fork", "vfork", "clone", "clone3", "getpgid", "getpgrp",
    "getsid", "setsid",
];

/// Calls and the indices of their pid arguments.
const ARG_PIDS: &[(&str, &[usize])] = &[
    ("kill", &[0]),
    ("tkill", &[0]),
    ("tgkill", &[0, 1]),
    ("wait4", &[0]),
    ("setpgid", &[0, 1]),
    ("getpgid", &[0]),
    ("getsid", &[0]),
];

/// Marks `sc`'s pid values as [`Arg::Pid`] / [`Ret::Pid`].
pub fn mark(sc: &mut Syscall) {
    if let Ret::Value(v) = sc.ret
        && v > 0
        && RETURN_PIDS.contains(&sc.name.as_ref())
    {
        sc.ret = Ret::Pid(v);
    }
    let Some((_, at)) = ARG_PIDS.iter().find(|(n, _)| *n == sc.name) else {
        return;
    };
    for &i in *at {
        if let Some(arg) = sc.args.get_mut(i)
            && let Arg::Int(v) = *arg
        {
            *arg = Arg::Pid(v);
        }
    }
}
