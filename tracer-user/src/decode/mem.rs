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

/// mremap: the new address only counts with MREMAP_MAYMOVE and MREMAP_FIXED.
pub fn mremap(ctx: &Ctx<'_>, sc: &mut Syscall) {
    // strace 6.1 prints the new address only with both MREMAP_MAYMOVE and MREMAP_FIXED.
    if ctx.arg(3) & 3 != 3 {
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

/// Bits of one node mask word.
const NODE_WORD_BITS: u64 = 64;

/// A NUMA node mask of `maxnode` bits (mbind, set_mempolicy, get_mempolicy), as strace's
/// print_nodemask: one fewer bit than `maxnode` counted in words, each word `%#016lx`
/// (`0x00000000000001`, and `0000000000000000` for 0, C's `#` giving no prefix to a zero),
/// cut after `limit` words; an impossible count as the address, `[]` for none. None: the
/// first word was not read.
pub fn nodemask(limit: usize, data: &[u8], maxnode: u64) -> Option<Arg> {
    let words = (maxnode.wrapping_add(NODE_WORD_BITS - 2)) / NODE_WORD_BITS;
    if words < maxnode / NODE_WORD_BITS || (maxnode != 0 && words == 0) {
        return None;
    }
    let shown = words.min(limit as u64) as usize;
    let mut items = Vec::new();
    for chunk in data.as_chunks::<8>().0.iter().take(shown) {
        let word = u64::from_le_bytes(*chunk);
        items.push(Arg::Raw(match word {
            0 => "0".repeat(16),
            _ => format!("{word:#016x}"),
        }));
    }
    if items.is_empty() && shown != 0 {
        return None;
    }
    Some(Arg::Array {
        more: words > items.len() as u64,
        items,
    })
}

/// The page size strace divides mincore's length by.
const PAGE_SIZE: u64 = 4096;

/// mincore's vector: each page's residency bit, `[1, 0, 0]`, cut after `limit` entries.
pub fn mincore_vec(limit: usize, data: &[u8], len: u64) -> Option<Arg> {
    let pages = len.div_ceil(PAGE_SIZE);
    let shown = pages.min(limit as u64) as usize;
    let bytes = data.get(..shown)?;
    Some(Arg::Array {
        items: bytes.iter().map(|b| Arg::UInt(u64::from(b & 1))).collect(),
        more: pages > shown as u64,
    })
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

    #[test]
    fn node_masks_as_strace_prints_them() {
        let shown = |limit, data: &[u8], maxnode| {
            nodemask(limit, data, maxnode).map(|a| crate::decode::shown(&a))
        };
        let one = 1u64.to_le_bytes();
        assert_eq!(shown(32, &one, 64).as_deref(), Some("[0x00000000000001]"));
        assert_eq!(
            shown(32, &[0; 16], 129).as_deref(),
            Some("[0000000000000000, 0000000000000000]")
        );
        assert_eq!(
            shown(1, &[0; 16], 129).as_deref(),
            Some("[0000000000000000, ...]")
        );
        assert_eq!(shown(32, &[], 0).as_deref(), Some("[]"));
        // One bit, or a count that wraps: the address.
        assert_eq!(shown(32, &one, 1), None);
        assert_eq!(shown(32, &one, u64::MAX), None);
    }

    #[test]
    fn mincore_vectors_cut_at_the_limit() {
        let shown = |limit, data: &[u8], len| {
            mincore_vec(limit, data, len).map(|a| crate::decode::shown(&a))
        };
        assert_eq!(shown(32, &[1, 0, 3], 12188).as_deref(), Some("[1, 0, 1]"));
        assert_eq!(shown(2, &[1, 0, 3], 12288).as_deref(), Some("[1, 0, ...]"));
        assert_eq!(shown(32, &[1], 12288), None);
    }
}
