//! ptrace as strace's process.c prints it: the request by name (from the UAPI headers), then
//! per request the pid (signed), the address (in hex; `8*R14` for PEEKUSER/POKEUSER's
//! register offsets, `NT_*` for the regset requests, `{off=0, flags=..., nr=1}` for
//! PEEKSIGINFO, a number for the requests whose address is a size) and the data (a signal
//! for the resuming requests, `PTRACE_O_*` options for SETOPTIONS/SEIZE, a siginfo for
//! SETSIGINFO, a sigset for SETSIGMASK, the regset's iovec, `{filter_off=N}`, what the
//! kernel wrote once the call succeeded for the reading requests). `PTRACE_TRACEME` has no
//! further argument; ATTACH/INTERRUPT/KILL/LISTEN stop after the pid; x86_64's GETREGS/
//! SETREGS/GETFPREGS/SETFPREGS leave the address out.

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{u32_at, u64_at},
        flags,
        siginfo::siginfo_arg,
        signal,
        signal::sigset_arg,
    },
    tables::{
        flags::Xlat,
        ioctl_args_gen::{PTRACE_REQUESTS, PTRACE_REQUESTS_X86_64},
        proc_tail_gen::{
            NT_TYPES, NT_TYPES_GLIBC, PTRACE_PEEKSIGINFO_FLAGS, PTRACE_SETOPTIONS_FLAGS,
        },
        seccomp_gen::SECCOMP_FILTER_FLAGS,
    },
};

// Request numbers (linux/ptrace.h, asm/ptrace-abi.h: the kernel's ABI).
const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const POKEUSER: u64 = 6;
const CONT: u64 = 7;
const KILL: u64 = 8;
const SINGLESTEP: u64 = 9;
const GETREGS: u64 = 12;
const SETREGS: u64 = 13;
const SETFPREGS: u64 = 15;
const ATTACH: u64 = 16;
const DETACH: u64 = 17;
const OLDSETOPTIONS: u64 = 21;
const SYSCALL: u64 = 24;
const SYSEMU: u64 = 31;
const SYSEMU_SINGLESTEP: u64 = 32;
const SINGLEBLOCK: u64 = 33;
const SETOPTIONS: u64 = 0x4200;
const GETEVENTMSG: u64 = 0x4201;
const GETSIGINFO: u64 = 0x4202;
const SETSIGINFO: u64 = 0x4203;
const SEIZE: u64 = 0x4206;
const INTERRUPT: u64 = 0x4207;
const LISTEN: u64 = 0x4208;
const GETREGSET: u64 = 0x4204;
const SETREGSET: u64 = 0x4205;
const PEEKSIGINFO: u64 = 0x4209;
const GETSIGMASK: u64 = 0x420a;
const SETSIGMASK: u64 = 0x420b;
const SECCOMP_GET_FILTER: u64 = 0x420c;
const SECCOMP_GET_METADATA: u64 = 0x420d;
const GET_SYSCALL_INFO: u64 = 0x420e;

/// The request's name, or `0x... /* PTRACE_??? */`, and its other arguments as strace
/// prints them.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let request = ctx.arg(0);
    // strace's names for 3 and 6 (the header's are PTRACE_PEEKUSR/POKEUSR).
    let name = match request {
        PEEKUSER => Some("PTRACE_PEEKUSER"),
        POKEUSER => Some("PTRACE_POKEUSER"),
        _ => PTRACE_REQUESTS
            .name(request)
            .or_else(|| PTRACE_REQUESTS_X86_64.name(request)),
    };
    let mut args = vec![match name {
        Some(n) => flags::constant(Arg::Hex(request), n),
        None => Arg::Commented(Box::new(Arg::Hex(request)), "PTRACE_???".into()),
    }];
    if request != TRACEME {
        args.push(Arg::Pid(ctx.int(1)));
        if !matches!(request, ATTACH | INTERRUPT | KILL | LISTEN) {
            // x86_64: the register requests take no address.
            if !(GETREGS..=SETFPREGS).contains(&request) {
                args.push(address(ctx, request));
            }
            // PEEKSIGINFO's unreadable struct: the data's address, whatever it is.
            let unread = request == PEEKSIGINFO && peeksiginfo(ctx).is_none();
            args.push(match unread {
                true => Arg::Ptr(ctx.arg(3)),
                false => data(ctx, request),
            });
        }
    }
    sc.args = args;
}

/// The address argument.
fn address(ctx: &Ctx<'_>, request: u64) -> Arg {
    let addr = ctx.arg(2);
    match request {
        GETSIGMASK | SETSIGMASK | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => {
            Arg::UInt(addr)
        }
        PEEKUSER | POKEUSER => user_offset(addr),
        GETREGSET | SETREGSET => {
            let v = u64::from(addr as u32);
            match NT_TYPES.name(v).or_else(|| NT_TYPES_GLIBC.name(v)) {
                Some(name) => flags::constant(Arg::Hex(v), name),
                None => crate::decode::enum_value(Xlat::new("NT_", &[]), v),
            }
        }
        PEEKSIGINFO => peeksiginfo(ctx).unwrap_or(Arg::Ptr(addr)),
        _ => Arg::Ptr(addr),
    }
}

/// x86_64's registers in `struct user` (strace's userent.h, `8*R15` ...: `<sys/reg.h>`'s
/// indexes, which no UAPI header gives as names).
const USER_REGS: [&str; 27] = [
    "R15", "R14", "R13", "R12", "RBP", "RBX", "R11", "R10", "R9", "R8", "RAX", "RCX", "RDX", "RSI",
    "RDI", "ORIG_RAX", "RIP", "CS", "EFLAGS", "RSP", "SS", "FS_BASE", "GS_BASE", "DS", "ES", "FS",
    "GS",
];

/// PEEKUSER/POKEUSER's offset: `8*R14` (`8*RIP+3` inside one), else the address (strace
/// also names the fields of `struct user` past the registers: not here).
fn user_offset(addr: u64) -> Arg {
    let Some(reg) = usize::try_from(addr / 8)
        .ok()
        .and_then(|i| USER_REGS.get(i))
    else {
        return Arg::Ptr(addr);
    };
    let name = match addr % 8 {
        0 => format!("8*{reg}"),
        off => format!("8*{reg}+{off}"),
    };
    flags::constant(Arg::Ptr(addr), name)
}

/// GETREGS/SETREGS' `struct user_regs_struct`, each register in hex by its lowercase name
/// (`{r15=0x2, r14=0, ..., gs=0}`), read whole as strace reads it.
fn user_regs(ctx: &Ctx<'_>) -> Option<Arg> {
    const NAMES: [&str; 27] = [
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
        "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds",
        "es", "fs", "gs",
    ];
    let d = ctx.data(3)?;
    let mut fields = Vec::new();
    for (i, name) in NAMES.into_iter().enumerate() {
        fields.push((name, Arg::Hex(u64_at(d, i * 8)?)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// PEEKSIGINFO's `struct ptrace_peeksiginfo_args` (the address argument):
/// `{off=0, flags=PTRACE_PEEKSIGINFO_SHARED, nr=1}`.
fn peeksiginfo(ctx: &Ctx<'_>) -> Option<Arg> {
    let d = ctx.data(2)?;
    Some(Arg::Struct {
        fields: vec![
            ("off", Arg::UInt(u64_at(d, 0)?)),
            (
                "flags",
                flags::flags(PTRACE_PEEKSIGINFO_FLAGS, u64::from(u32_at(d, 8)?)),
            ),
            ("nr", Arg::UInt(u64::from(u32_at(d, 12)?))),
        ],
        more: false,
    })
}

/// The regset requests' `struct iovec`: `{iov_base=0x..., iov_len=8}`.
fn regset_iovec(ctx: &Ctx<'_>) -> Option<Arg> {
    let d = ctx.data(3)?;
    Some(Arg::Struct {
        fields: vec![
            ("iov_base", Arg::Ptr(u64_at(d, 0)?)),
            ("iov_len", Arg::UInt(u64_at(d, 8)?)),
        ],
        more: false,
    })
}

/// SECCOMP_GET_METADATA's `struct seccomp_metadata`: `{filter_off=N}` as given (the size,
/// the address argument, must hold it), `, flags=...` once the kernel wrote them.
fn seccomp_metadata(ctx: &Ctx<'_>) -> Option<Arg> {
    let d = ctx.data(3).filter(|_| ctx.arg(2) >= 8)?;
    let mut fields = vec![("filter_off", Arg::UInt(u64_at(d, 0)?))];
    let written = ctx.raw.ret.max(0) as u64;
    let mut more = false;
    if !ctx.failed() && written > 8 {
        fields.push((
            "flags",
            flags::flags(SECCOMP_FILTER_FLAGS, u64_at(d, 8).unwrap_or(0)),
        ));
        more = written > 16;
    }
    Some(Arg::Struct { fields, more })
}

/// A sigset of the size the address argument says (8 on x86_64, else the address).
fn sigset(ctx: &Ctx<'_>) -> Option<Arg> {
    let d = ctx.data(3).filter(|_| ctx.arg(2) == 8)?;
    Some(sigset_arg(d.get(..8)?))
}

/// The data argument: by request, what the kernel wrote once it succeeded.
fn data(ctx: &Ctx<'_>, request: u64) -> Arg {
    let value = ctx.arg(3);
    match request {
        CONT | DETACH | SYSCALL | SINGLESTEP | SINGLEBLOCK | SYSEMU | SYSEMU_SINGLESTEP => {
            signal(value)
        }
        SEIZE | SETOPTIONS | OLDSETOPTIONS => flags::flags(PTRACE_SETOPTIONS_FLAGS, value),
        SETSIGINFO => ctx.data(3).and_then(siginfo_arg).unwrap_or(Arg::Ptr(value)),
        SETSIGMASK => sigset(ctx).unwrap_or(Arg::Ptr(value)),
        GETSIGMASK if !ctx.failed() => sigset(ctx).unwrap_or(Arg::Ptr(value)),
        GETREGSET | SETREGSET => regset_iovec(ctx).unwrap_or(Arg::Ptr(value)),
        SETREGS => user_regs(ctx).unwrap_or(Arg::Ptr(value)),
        GETREGS if !ctx.failed() => user_regs(ctx).unwrap_or(Arg::Ptr(value)),
        SECCOMP_GET_METADATA => seccomp_metadata(ctx).unwrap_or(Arg::Ptr(value)),
        PEEKTEXT | PEEKDATA | PEEKUSER | GETEVENTMSG | GETSIGINFO if !ctx.failed() => {
            let written = ctx.data(3);
            let word = written.and_then(|d| u64_at(d, 0));
            match (request, word) {
                (GETSIGINFO, _) => written.and_then(siginfo_arg),
                (GETEVENTMSG, Some(w)) => Some(Arg::boxed(Arg::UInt(w))),
                (_, Some(w)) => Some(Arg::boxed(Arg::Hex(w))),
                _ => None,
            }
            .unwrap_or(Arg::Ptr(value))
        }
        _ => Arg::Ptr(value),
    }
}
