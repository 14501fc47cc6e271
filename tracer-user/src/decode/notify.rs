//! The fd-notification calls as strace 6.1 prints them where the argument kinds do not say
//! it all: signalfd4's sigset (its address unless the size is the kernel's 8 bytes),
//! fanotify_init's class and flags (two numbers with `-X raw`: `0x4|0x3`) and its event
//! files' `O_*` flags, fanotify_mark's `FAN_MARK_*` flags, 64-bit `FAN_*` mask, directory fd
//! (`AT_FDCWD`, `FAN_NOFD`) and path.

use super::{
    Arg, Ctx, Syscall,
    flags::{constant, flags, named, open_flags},
};
use crate::tables::notify_gen::{FAN_CLASSES, FAN_INIT_FLAGS};

/// The sigset size the kernel takes (and strace 6.1 decodes) on x86_64.
const SIGSET_SIZE: u64 = 8;
/// fanotify_init's class bits (FAN_ALL_CLASS_BITS).
const FAN_CLASS_BITS: u64 = 0xc;
/// fanotify_mark's "no directory fd".
const FAN_NOFD: i32 = -1;

/// signalfd4(fd, mask, sizemask, flags): the mask's address for any other size.
pub fn signalfd4(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sigset_by_size(ctx, sc, 1, 2);
}

/// The sigset in argument `set` as its address unless argument `size` is 8 (strace's
/// print_sigset_addr_len: signalfd4, io_uring_enter).
pub fn sigset_by_size(ctx: &Ctx<'_>, sc: &mut Syscall, set: usize, size: usize) {
    if ctx.arg(size) != SIGSET_SIZE
        && let Some(mask) = sc.args.get_mut(set)
    {
        *mask = Arg::Ptr(ctx.arg(set));
    }
}

/// fanotify_init(flags, event_f_flags).
pub fn fanotify_init(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let word = u64::from(ctx.arg(0) as u32);
    let (class, rest) = (word & FAN_CLASS_BITS, word & !FAN_CLASS_BITS);
    // An unknown class is one number (`0xc /* FAN_CLASS_??? */`), not the bits it has.
    let class = named(FAN_CLASSES, class).unwrap_or_else(|| {
        let unknown = Arg::Commented(Box::new(Arg::Hex(class)), "FAN_CLASS_???".into());
        Arg::constant(Arg::Hex(class), unknown)
    });
    let init = if rest == 0 {
        class
    } else {
        Arg::Or(vec![class, flags(FAN_INIT_FLAGS, rest)])
    };
    sc.args = vec![init, open_flags(u64::from(ctx.arg(1) as u32))];
}

/// fanotify_mark(fanotify_fd, flags, mask, dirfd, pathname): the row's kinds, with -1 as
/// dirfd named `FAN_NOFD`.
pub fn fanotify_mark(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.arg(3) as i32 == FAN_NOFD
        && let Some(dir) = sc.args.get_mut(3)
    {
        *dir = constant(Arg::Int(i64::from(FAN_NOFD)), "FAN_NOFD");
    }
}
