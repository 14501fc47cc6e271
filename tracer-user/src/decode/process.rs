//! Processes: clone/clone3, execve's argv and envp, wait status, prctl, arch_prctl.

use tracer_common::{
    ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, CAP_PTRV_COUNT, CAP_STRV,
    wire::{read, read_at},
};

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{i32_at, u32_at, u64_at},
        enum_value, flags,
        model::Flag,
    },
    tables::{
        longtail_gen::PTRACE_EVENTS,
        proc_tail_gen::{CLONE_FLAGS, CLONE3_FLAGS},
        signals,
    },
};

const CLONE_PARENT_SETTID: u64 = 0x100000;
const CLONE_CHILD_CLEARTID: u64 = 0x200000;
const CLONE_CHILD_SETTID: u64 = 0x1000000;
const CLONE_SETTLS: u64 = 0x80000;
const CLONE_PIDFD: u64 = 0x1000;
const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// Whether clone3's struct (argument 0 of `raw`) asks the kernel to write something back
/// (a pidfd, the parent's tid): strace then prints the size at the call's end, after
/// ` => {...}`; otherwise with the struct, at its start.
pub fn clone3_writes_back(raw: &crate::event::RawSyscall) -> bool {
    let flags = raw.blob(0).and_then(|b| u64_at(&b.data, 0)).unwrap_or(0);
    flags & (CLONE_PIDFD | CLONE_PARENT_SETTID) != 0
}

/// clone: flags with the exit signal, and the labelled arguments the flags use.
pub fn clone(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args = clone_labelled(ctx);
}

/// clone3: what the kernel stored is known once the call returned: the pidfd (read from
/// where `clone_args.pidfd` points) and the child's tid (the return value).
pub fn clone3(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.raw.part != crate::event::Part::Complete
        || !sc
            .args
            .first()
            .is_some_and(|a| matches!(a, Arg::Struct { .. }))
        || ctx.failed()
    {
        return;
    }
    let flags = ctx.blob(0).and_then(|b| u64_at(&b.data, 0)).unwrap_or(0);
    let mut fields = Vec::new();
    if flags & CLONE_PIDFD != 0 {
        // strace prints the field's address when it cannot read it.
        let stored = pidfd_stored(ctx.raw, true).map_or_else(
            || Arg::Ptr(ctx.blob(0).and_then(|b| u64_at(&b.data, 8)).unwrap_or(0)),
            |fd| Arg::boxed(Arg::Fd(fd)),
        );
        fields.push(("pidfd", stored));
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        // A tid: `-Y` names it.
        fields.push(("parent_tid", Arg::boxed(Arg::Pid(ctx.raw.ret))));
    }
    if fields.is_empty() {
        return;
    }
    let after = Arg::Struct {
        fields,
        more: false,
    };
    let before = sc.args.remove(0);
    sc.args
        .insert(0, Arg::Changed(Box::new(before), Box::new(after)));
}

/// The pidfd a successful clone or clone3 (`clone3`) with `CLONE_PIDFD` stored (`spec`'s
/// `CLONE_PIDFD_SLOT` capture), in the parent (the child's return is 0).
pub fn pidfd_stored(raw: &crate::event::RawSyscall, clone3: bool) -> Option<i32> {
    let flags = match clone3 {
        true => raw.blob(0).and_then(|b| u64_at(&b.data, 0))?,
        false => raw.args[0],
    };
    if flags & CLONE_PIDFD == 0 || crate::decode::is_error(raw.ret) || raw.ret <= 0 {
        return None;
    }
    raw.blob_kind(crate::spec::CLONE_PIDFD_SLOT, tracer_common::CAP_FIXED)
        .or_else(|| raw.blob_kind(crate::spec::CLONE_PIDFD_SLOT, tracer_common::CAP_PTR_FIELD))
        .and_then(|b| i32_at(&b.data, 0))
}

/// The child a successful wait4 or waitid reaped: wait4's return value (not for a stopped
/// or continued child), waitid's `si_pid`
/// of an exited, killed or dumped child unless `WNOWAIT` left it waitable.
pub fn reaped(sc: &Syscall, raw: &crate::event::RawSyscall) -> Option<i64> {
    const WNOWAIT: u64 = 0x0100_0000;
    match sc.def?.decoder {
        crate::tables::Decoder::Wait4 if raw.ret > 0 => {
            // A stopped or continued child (WUNTRACED, WCONTINUED) is not reaped.
            let status = raw
                .blob(1)
                .filter(|b| !b.faulted)
                .and_then(|b| Some(i32::from_le_bytes(b.data.get(..4)?.try_into().ok()?)));
            let gone = match status {
                Some(st) => st & 0xff != 0x7f && st & 0xffff != 0xffff,
                None => raw.args[2] & (libc::WUNTRACED | libc::WCONTINUED) as u64 == 0,
            };
            gone.then_some(raw.ret)
        }
        crate::tables::Decoder::Waitid if raw.args[3] & WNOWAIT == 0 => {
            let si = raw.blob(2).filter(|b| !b.faulted)?;
            let word = |at: usize| {
                let b = si.data.get(at..at + 4)?;
                Some(i32::from_le_bytes(b.try_into().ok()?))
            };
            // si_signo SIGCHLD, si_code CLD_EXITED, CLD_KILLED or CLD_DUMPED, si_pid.
            let exited = word(0)? == libc::SIGCHLD && (1..=3).contains(&word(8)?);
            exited.then(|| word(16).map(i64::from)).flatten()
        }
        _ => None,
    }
}

/// wait4: the status, when a child was reaped. A child only stopped or continued is still
/// there: strace names it with `-Y` (a reaped one is gone when it asks, and printed bare).
pub fn wait4(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if !ctx.failed() && ctx.raw.ret != 0 {
        if let Some(status) = ctx.data(1).and_then(|d| i32_at(d, 0)) {
            sc.args[1] = Arg::boxed(wait_status(status));
            if status & 0xff == 0x7f || status & 0xffff == 0xffff {
                sc.ret = crate::decode::Ret::Pid(ctx.raw.ret);
            }
        }
    } else {
        sc.args[1] = Arg::Ptr(ctx.arg(1));
    }
}

/// waitid: the id is a pid for P_PID and P_PGID (`-Y` names it), an fd for P_PIDFD; the
/// siginfo the kernel wrote, `{}` when it found no child to report (WNOHANG: all zeros), as
/// strace's printsiginfo.
pub fn waitid(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let id = ctx.int(1);
    match ctx.arg(0) as u32 {
        1 | 2 => sc.args[1] = Arg::Pid(id),
        3 => sc.args[1] = Arg::Fd(id as i32),
        _ => {}
    }
    if !ctx.failed() && ctx.data(2).and_then(|d| u32_at(d, 0)) == Some(0) {
        sc.args[2] = Arg::Struct {
            fields: Vec::new(),
            more: false,
        };
    }
    // A child the call reaped is gone when strace prints the line: `-Y` cannot name it.
    if reaped(sc, ctx.raw).is_some()
        && let Some(Arg::Struct { fields, .. }) = sc.args.get_mut(2)
        && let Some((_, pid)) = fields.iter_mut().find(|(name, _)| *name == "si_pid")
        && let Arg::Pid(p) = *pid
    {
        *pid = Arg::Int(p);
    }
}

/// `{flags|SIGCHLD}`: clone flags with the exit signal in the low byte.
fn clone_flags(v: u64) -> Arg {
    let mut parts = Vec::new();
    flags::push_bits(CLONE_FLAGS, v & !0xff, &mut parts);
    let sig = v & 0xff;
    if sig == 0 {
        return Arg::constant(Arg::Hex(v), Arg::Flags(parts));
    }
    // strace prints the flags and the signal as two numbers: `0x1200000|17` with -X raw.
    let number = Arg::Or(vec![
        flags::flags(CLONE_FLAGS, v & !0xff),
        super::signal(sig),
    ]);
    parts.push(Flag::name(signals::name(sig)));
    Arg::constant(number, Arg::Flags(parts))
}

/// x86_64 clone(flags, stack, parent_tid, child_tid, tls), as strace labels it.
fn clone_labelled(ctx: &Ctx<'_>) -> Vec<Arg> {
    let flags = ctx.arg(0);
    let mut args = vec![
        Arg::Named("child_stack", Box::new(Arg::Ptr(ctx.arg(1)))),
        Arg::Named("flags", Box::new(clone_flags(flags))),
    ];
    // strace prints parent_tid for CLONE_PIDFD too (the pidfd is stored there, and named
    // as an fd): its address when the call failed or it cannot be read.
    if flags & (CLONE_PARENT_SETTID | CLONE_PIDFD) != 0 {
        // With CLONE_PARENT_SETTID the kernel stores the child's tid: the return value.
        let tid = match pidfd_stored(ctx.raw, false) {
            Some(fd) if flags & CLONE_PIDFD != 0 => Arg::boxed(Arg::Fd(fd)),
            _ if ctx.failed() || flags & CLONE_PARENT_SETTID == 0 => Arg::Ptr(ctx.arg(2)),
            _ => Arg::boxed(Arg::Pid(ctx.raw.ret)),
        };
        args.push(Arg::Named("parent_tid", Box::new(tid)));
    }
    if flags & CLONE_SETTLS != 0 {
        args.push(Arg::Named("tls", Box::new(Arg::Ptr(ctx.arg(4)))));
    }
    if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
        args.push(Arg::Named("child_tidptr", Box::new(Arg::Ptr(ctx.arg(3)))));
    }
    args
}

/// `struct clone_args`, as strace prints it: the flags with clone3's own
/// (`CLONE_CLEAR_SIGHAND`, `CLONE_INTO_CGROUP`), the exit signal by name below `INT_MAX` and
/// as the unsigned 64-bit number above it, `set_tid` and `cgroup` when set (`d` holds as
/// many bytes as the size said, at most 88).
pub fn clone_args(d: &[u8]) -> Option<Arg> {
    let flags = u64_at(d, 0)?;
    let mut fields = vec![(
        "flags",
        flags::flags_ex(&[CLONE_FLAGS, CLONE3_FLAGS], flags),
    )];
    let pidfd = u64_at(d, 8)?;
    if flags & CLONE_PIDFD != 0 {
        fields.push(("pidfd", Arg::Ptr(pidfd)));
    }
    if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
        fields.push(("child_tid", Arg::Ptr(u64_at(d, 16)?)));
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        fields.push(("parent_tid", Arg::Ptr(u64_at(d, 24)?)));
    }
    let exit_signal = u64_at(d, 32)?;
    fields.push((
        "exit_signal",
        match exit_signal {
            0 => Arg::UInt(0),
            s if s < i32::MAX as u64 => super::signal(s),
            s => Arg::UInt(s),
        },
    ));
    fields.push(("stack", Arg::Ptr(u64_at(d, 40)?)));
    fields.push(("stack_size", Arg::Hex(u64_at(d, 48)?)));
    if flags & CLONE_SETTLS != 0 {
        fields.push(("tls", Arg::Ptr(u64_at(d, 56)?)));
    }
    // Past the 64 bytes of the first version: the tids to use and the cgroup.
    let (set_tid, set_tid_size) = (u64_at(d, 64).unwrap_or(0), u64_at(d, 72).unwrap_or(0));
    if set_tid != 0 || set_tid_size != 0 {
        fields.push(("set_tid", Arg::Ptr(set_tid)));
        fields.push(("set_tid_size", Arg::UInt(set_tid_size)));
    }
    if let Some(cgroup) = u64_at(d, 80).filter(|&c| c != 0 || flags & CLONE_INTO_CGROUP != 0) {
        fields.push(("cgroup", Arg::UInt(cgroup)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// execve's argv: `["sh", "-c", ...]`, at most `-s` strings (all with `-v`).
pub fn argv(ctx: &Ctx<'_>, i: usize) -> Arg {
    let ptr = ctx.arg(i);
    let Some(b) = ctx.blob_kind(i, CAP_STRV) else {
        return Arg::Ptr(ptr);
    };
    let d = &b.data;
    let Some(ArrayHeader { count, flags, .. }) = read(d) else {
        return Arg::Ptr(ptr);
    };
    // An array that could not be read is its address, never an empty one.
    if count == 0 && flags & u32::from(BLOB_FAULTED) != 0 {
        return Arg::Ptr(ptr);
    }
    let limit = ctx.array_limit();
    let mut items = Vec::new();
    for (sflags, range) in crate::decode::bytes::strv_items(d) {
        if items.len() == limit {
            break;
        }
        // A string that could not be read prints as its address, as strace prints it (the
        // caller's pointer sits in its slot).
        if sflags & u32::from(BLOB_FAULTED) != 0 {
            items.push(Arg::Ptr(read_at(d, range.start).unwrap_or(0)));
            continue;
        }
        let bytes = &d[range];
        let truncated = sflags & u32::from(BLOB_TRUNCATED) != 0;
        items.push(ctx.bytes_arg(bytes, truncated));
    }
    let more = count as usize > limit || flags & u32::from(BLOB_TRUNCATED) != 0;
    Arg::Array { items, more }
}

/// execve's envp: `0x7ffe... /* 39 vars */`, `/* 1 var */` as strace says it; with `-v` its
/// strings, as argv's (captured so, their values masked unless `--no-redact`).
pub fn envp(ctx: &Ctx<'_>, i: usize) -> Arg {
    if !ctx.abbrev() && ctx.blob_kind(i, CAP_STRV).is_some() {
        return argv(ctx, i);
    }
    let ptr = Arg::Ptr(ctx.arg(i));
    match ctx
        .blob_kind(i, CAP_PTRV_COUNT)
        .and_then(|b| read::<ArrayHeader>(&b.data))
    {
        // Not a count of 0 when the array could not be read: strace prints the address.
        Some(ArrayHeader {
            count: 0, flags, ..
        }) if flags & u32::from(BLOB_FAULTED) != 0 => ptr,
        Some(ArrayHeader { count: n, .. }) => {
            let s = if n == 1 { "" } else { "s" };
            Arg::Commented(Box::new(ptr), format!("{n} var{s}"))
        }
        None => ptr,
    }
}

/// A wait status as strace 6.1's printstatus: `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`, a
/// stop's `| 0x80` (a syscall stop under PTRACE_O_TRACESYSGOOD), then what the macros left:
/// a ptrace event `{...}|PTRACE_EVENT_EXEC<<16` and other bits `|0x80` (6.1 spaces none of
/// these); a status no
/// macro reads is its number (`0x12ff`). The caller boxes it: `[...]`.
pub fn wait_status(status: i32) -> Arg {
    let s = status as u32;
    let low = s & 0x7f;
    let (text, rest) = if s & 0xff == 0x7f {
        let sig = (s >> 8) & 0xff;
        let sysgood = if sig & 0x80 != 0 { " | 0x80" } else { "" };
        let name = signals::name(u64::from(sig & 0x7f));
        (
            format!("WIFSTOPPED(s) && WSTOPSIG(s) == {name}{sysgood}"),
            s & !((sig << 8) | 0x7f),
        )
    } else if low != 0 && low != 0x7f {
        let core = if s & 0x80 != 0 {
            " && WCOREDUMP(s)"
        } else {
            ""
        };
        let name = signals::name(u64::from(low));
        (
            format!("WIFSIGNALED(s) && WTERMSIG(s) == {name}{core}"),
            s & !(low | 0x80),
        )
    } else if low == 0 {
        let code = (s >> 8) & 0xff;
        (
            format!("WIFEXITED(s) && WEXITSTATUS(s) == {code}"),
            s & !(code << 8),
        )
    } else if s == 0xffff {
        ("WIFCONTINUED(s)".to_string(), 0)
    } else {
        return Arg::Raw(format!("{s:#x}"));
    };
    let mut parts = vec![Arg::Raw(format!("{{{text}}}"))];
    let event = rest >> 16;
    if event != 0 {
        let name = enum_value(PTRACE_EVENTS, u64::from(event));
        parts.push(Arg::Shift(Box::new(name), Box::new(Arg::Raw("16".into()))));
    }
    if rest & 0xffff != 0 {
        parts.push(Arg::Hex(u64::from(rest & 0xffff)));
    }
    match parts.len() {
        1 => parts.remove(0),
        _ => Arg::Or(parts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_statuses() {
        assert_eq!(
            wait_status(0),
            Arg::Raw("{WIFEXITED(s) && WEXITSTATUS(s) == 0}".into())
        );
        assert_eq!(
            wait_status(9),
            Arg::Raw("{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}".into())
        );
        assert_eq!(
            wait_status(0x8b),
            Arg::Raw("{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}".into())
        );
        assert_eq!(
            wait_status(0x137f),
            Arg::Raw("{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}".into())
        );
        let shown = |s| crate::decode::shown(&wait_status(s));
        // What strace 6.1 prints for a ptracer's wait: syscall stops, events, odd bits.
        assert_eq!(
            shown(0x857f),
            "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}"
        );
        assert_eq!(
            shown(0x4057f),
            "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_EXEC<<16"
        );
        assert_eq!(
            shown(0x63_057f),
            "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|0x63 /* PTRACE_EVENT_??? */<<16"
        );
        assert_eq!(shown(0x80), "{WIFEXITED(s) && WEXITSTATUS(s) == 0}|0x80");
        assert_eq!(shown(0x12ff), "0x12ff");
        assert_eq!(
            shown(0x1_0009),
            "{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}|PTRACE_EVENT_FORK<<16"
        );
    }

    #[test]
    fn one_environment_variable_is_a_var() {
        use crate::event::{Blob, RawSyscall};
        let envp = |n: u32| {
            let mut data = Vec::new();
            tracer_common::wire::push(
                &mut data,
                &ArrayHeader {
                    count: n,
                    ..Default::default()
                },
            );
            let blobs = vec![Blob::at_exit(2, CAP_PTRV_COUNT, data)];
            let raw = RawSyscall::whole(1, 59, [0, 0, 0x7ffe_0000, 0, 0, 0], 0, blobs);
            let ctx = Ctx {
                raw: &raw,
                opts: &crate::decode::DecodeOptions::default(),
            };
            crate::decode::shown(&super::envp(&ctx, 2))
        };
        assert_eq!(envp(1), "0x7ffe0000 /* 1 var */");
        assert_eq!(envp(0), "0x7ffe0000 /* 0 vars */");
        assert_eq!(envp(35), "0x7ffe0000 /* 35 vars */");
    }

    #[test]
    fn clone_flags_end_with_the_exit_signal() {
        let shown = |v| crate::decode::shown(&clone_flags(v));
        assert_eq!(
            shown(0x1200011),
            "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"
        );
        assert_eq!(shown(0), "0");
    }
}
