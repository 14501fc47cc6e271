//! ptrace as strace's process.c prints it: the request by name (from the UAPI headers), then
//! per request the pid (signed), the address (in hex, as a number for the requests whose
//! address is a size) and the data (a signal for the resuming requests, `PTRACE_O_*` options
//! for SETOPTIONS/SEIZE, a siginfo for SETSIGINFO, what the kernel wrote once the call
//! succeeded for the reading requests). `PTRACE_TRACEME` has no further argument;
//! ATTACH/INTERRUPT/KILL/LISTEN stop after the pid; x86_64's GETREGS/SETREGS/GETFPREGS/
//! SETFPREGS leave the address out.

use crate::{
    decode::{Arg, Ctx, Syscall, bytes::u64_at, flags, siginfo::siginfo_arg, signal},
    tables::{
        ioctl_args_gen::{PTRACE_REQUESTS, PTRACE_REQUESTS_X86_64},
        proc_tail_gen::PTRACE_SETOPTIONS_FLAGS,
    },
};

// Request numbers (linux/ptrace.h, asm/ptrace-abi.h: the kernel's ABI).
const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const CONT: u64 = 7;
const KILL: u64 = 8;
const SINGLESTEP: u64 = 9;
const GETREGS: u64 = 12;
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
const GETSIGMASK: u64 = 0x420a;
const SECCOMP_GET_FILTER: u64 = 0x420c;
const SECCOMP_GET_METADATA: u64 = 0x420d;
const GET_SYSCALL_INFO: u64 = 0x420e;

/// The request's name, or `0x... /* PTRACE_??? */`, and its other arguments as strace
/// prints them.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let request = ctx.arg(0);
    let name = PTRACE_REQUESTS
        .name(request)
        .or_else(|| PTRACE_REQUESTS_X86_64.name(request));
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
            args.push(data(ctx, request));
        }
    }
    sc.args = args;
}

/// The address argument.
fn address(ctx: &Ctx<'_>, request: u64) -> Arg {
    let addr = ctx.arg(2);
    match request {
        GETSIGMASK | 0x420b | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => {
            Arg::UInt(addr)
        }
        _ => Arg::Ptr(addr),
    }
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
