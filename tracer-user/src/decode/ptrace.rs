//! ptrace's request by name (from the UAPI headers); PTRACE_TRACEME with no further
//! argument, as strace prints it. Other requests keep their declared-type arguments.

use crate::{
    decode::{Arg, Ctx, Syscall},
    tables::ioctl_args_gen::{PTRACE_REQUESTS, PTRACE_REQUESTS_X86_64},
};

/// The request's name, or `0x... /* PTRACE_??? */`.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let request = ctx.arg(0);
    let name = PTRACE_REQUESTS
        .name(request)
        .or_else(|| PTRACE_REQUESTS_X86_64.name(request));
    let Some(first) = sc.args.first_mut() else {
        return;
    };
    *first = match name {
        Some(n) => super::flags::constant(Arg::Hex(request), n),
        None => Arg::Commented(Box::new(Arg::Hex(request)), "PTRACE_???".into()),
    };
    if name == Some("PTRACE_TRACEME") {
        sc.args.truncate(1);
    }
}
