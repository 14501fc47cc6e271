//! Calls that change the machine, as strace prints them: reboot's command string (only for
//! `LINUX_REBOOT_CMD_RESTART2`), sethostname/setdomainname's name (the address when the
//! length is past the kernel's `__NEW_UTS_LEN`), kexec_load's architecture and flags and its
//! segments.

use crate::{
    decode::{Arg, Ctx, Syscall, bytes::u64_at, enum_value, flags::flags},
    tables::proc_tail_gen::{KEXEC_ARCHES, KEXEC_LOAD_FLAGS},
};

/// kexec_load's architecture bits (linux/kexec.h's KEXEC_ARCH_MASK).
const KEXEC_ARCH_MASK: u64 = 0xffff_0000;
/// The most segments kexec_load takes (KEXEC_SEGMENT_MAX): strace prints more as an address.
pub const KEXEC_SEGMENT_MAX: u64 = 16;

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
        "kexec_load" => sc.args[3] = kexec_flags(ctx.arg(3)),
        _ => {}
    }
}

/// kexec_load's flags: the architecture (`KEXEC_ARCH_DEFAULT`, `0xdead0000 /*
/// KEXEC_ARCH_??? */`), then the flags when any is set (`|KEXEC_ON_CRASH`).
fn kexec_flags(v: u64) -> Arg {
    let arch = enum_value(KEXEC_ARCHES, v & KEXEC_ARCH_MASK);
    match v & !KEXEC_ARCH_MASK {
        0 => arch,
        rest => Arg::Or(vec![arch, flags(KEXEC_LOAD_FLAGS, rest)]),
    }
}

/// kexec_load's `struct kexec_segment` array: `[{buf=0x..., bufsz=4096, mem=0x..., memsz=4096},
/// ...]`, at most `-s` of them.
pub fn kexec_segments(limit: usize, d: &[u8], count: u64) -> Option<Arg> {
    if count > KEXEC_SEGMENT_MAX {
        return None;
    }
    let mut items = Vec::new();
    for seg in d.as_chunks::<32>().0.iter().take(limit) {
        items.push(Arg::Struct {
            fields: vec![
                ("buf", Arg::Ptr(u64_at(seg, 0)?)),
                ("bufsz", Arg::UInt(u64_at(seg, 8)?)),
                ("mem", Arg::Ptr(u64_at(seg, 16)?)),
                ("memsz", Arg::UInt(u64_at(seg, 24)?)),
            ],
            more: false,
        });
    }
    let more = (items.len() as u64) < count;
    Some(Arg::Array { items, more })
}
