//! Calls that change the machine, as strace prints them: reboot's command string (only for
//! `LINUX_REBOOT_CMD_RESTART2`), sethostname/setdomainname's name (the address when the
//! length is past the kernel's `__NEW_UTS_LEN`).

use crate::decode::{Arg, Ctx, Syscall};

const LINUX_REBOOT_CMD_RESTART2: u32 = 0xa1b2_c3d4;
/// The longest host or domain name the kernel takes (linux/utsname.h).
const NEW_UTS_LEN: u32 = 64;

/// Runs the decoder of the call `sc` is.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    match &*sc.name {
        "reboot" if ctx.arg(2) as u32 != LINUX_REBOOT_CMD_RESTART2 => sc.args.truncate(3),
        "sethostname" | "setdomainname" if ctx.arg(1) as u32 > NEW_UTS_LEN => {
            sc.args[0] = Arg::Ptr(ctx.arg(0));
        }
        _ => {}
    }
}
