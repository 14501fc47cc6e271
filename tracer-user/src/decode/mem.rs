//! Memory syscalls: mmap's type-and-flags word and address return values.

use crate::{
    decode::{Arg, Ctx, Ret, Syscall, flags},
    tables::xlat::{MEMBARRIER_CMDS, MMAP_FLAGS, MMAP_TYPES},
};

/// The map type bits (`MAP_TYPE`).
const MAP_TYPE: u64 = 0xf;

/// mmap: its map type and flags.
pub fn mmap(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args[3] = mmap_flags(ctx.arg(3));
}

/// mremap: the new address only counts with MREMAP_FIXED.
pub fn mremap(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.arg(3) & 2 == 0 {
        sc.args.truncate(4);
    }
}

/// membarrier: MEMBARRIER_CMD_QUERY answers with the commands the kernel supports.
pub fn membarrier(ctx: &Ctx<'_>, sc: &mut Syscall) {
    // The cpu only with MEMBARRIER_CMD_FLAG_CPU.
    if ctx.arg(1) & 1 == 0 {
        sc.args.truncate(2);
    }
    if ctx.arg(0) == 0
        && let Ret::Value(v) = sc.ret
    {
        sc.ret = Ret::Hex(v as u64);
        sc.ret_extra = Some(flags::flags(MEMBARRIER_CMDS, v as u64));
    }
}

/// `MAP_PRIVATE|MAP_ANONYMOUS`: the map type, then the flags.
fn mmap_flags(v: u64) -> Arg {
    flags::value_and_flags(MMAP_TYPES, MAP_TYPE, MMAP_FLAGS, u64::from(v as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mmap_flags_like_strace() {
        let shown = |v| crate::decode::shown(&mmap_flags(v));
        assert_eq!(shown(0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
        assert_eq!(shown(0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
        assert_eq!(shown(0x20022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK");
        assert_eq!(shown(1), "MAP_SHARED");
    }
}
