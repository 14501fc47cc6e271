//! Memory syscalls: mmap's type-and-flags word and address return values.

use crate::{
    decode::{Arg, Ctx, Ret, Syscall, flags, model::Flag},
    tables::xlat::{MEMBARRIER_CMDS, MMAP_FLAGS, MMAP_TYPES},
};

/// The map type bits (`MAP_TYPE`).
const MAP_TYPE: u64 = 0xf;

/// mmap and remap_file_pages: the map type and flags.
pub fn mmap(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let i = if sc.name == "remap_file_pages" { 4 } else { 3 };
    sc.args[i] = mmap_flags(ctx.arg(i));
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

/// The huge page size bits (`MAP_HUGE_MASK << MAP_HUGE_SHIFT`).
const MAP_HUGE_SHIFT: u32 = 26;
const MAP_HUGE_MASK: u64 = 0x3f;

/// `MAP_PRIVATE|MAP_ANONYMOUS|21<<MAP_HUGE_SHIFT`: the map type (`MAP_FILE` for 0, `0xf /*
/// MAP_??? */` unknown), the flags, the huge page size, as strace 6.1's print_mmap_flags
/// (which clears the size bits with a 32-bit mask: the upper half of the word goes too; the
/// number it stands for keeps all 64 bits).
fn mmap_flags(v: u64) -> Arg {
    let huge_bits = MAP_HUGE_MASK << MAP_HUGE_SHIFT;
    let kind = v & MAP_TYPE;
    let mut parts = vec![match MMAP_TYPES.name(kind) {
        Some(name) => Flag::name(name),
        None => Flag::name(format!("{kind:#x} /* MAP_??? */")),
    }];
    flags::push_bits(
        MMAP_FLAGS,
        v & !MAP_TYPE & !huge_bits & 0xffff_ffff,
        &mut parts,
    );
    let huge = (v & huge_bits) >> MAP_HUGE_SHIFT;
    if huge != 0 {
        parts.push(Flag::name(format!("{huge}<<MAP_HUGE_SHIFT")));
    }
    Arg::constant(Arg::Hex(v), Arg::Flags(parts))
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
        // What strace 6.1 printed for the sweep's 0 and -1.
        assert_eq!(shown(0), "MAP_FILE");
        assert_eq!(
            shown(u64::MAX),
            "0xf /* MAP_??? */|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|\
             MAP_NONBLOCK|MAP_GROWSDOWN|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|\
             MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|0x3e00680|63<<MAP_HUGE_SHIFT"
        );
    }
}
