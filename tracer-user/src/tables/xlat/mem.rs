//! Memory: mmap, mremap, madvise, mlock, msync, membarrier.
//! Transcribed from the kernel's uapi headers; the print order follows strace's xlat files.

use crate::tables::flags::Xlat;

/// Mmap/mprotect protections.
pub const MMAP_PROT: Xlat = Xlat::new(
    "PROT_",
    &[
        ("PROT_NONE", 0),
        ("PROT_READ", 1),
        ("PROT_WRITE", 2),
        ("PROT_EXEC", 4),
        ("PROT_SEM", 8),
        ("PROT_GROWSDOWN", 0x1000000),
        ("PROT_GROWSUP", 0x2000000),
    ],
);

/// Mmap map types (flags & MAP_TYPE), as strace 6.1 names them (no MAP_DROPPABLE).
pub const MMAP_TYPES: Xlat = Xlat::new(
    "MAP_",
    &[
        ("MAP_FILE", 0),
        ("MAP_SHARED", 1),
        ("MAP_PRIVATE", 2),
        ("MAP_SHARED_VALIDATE", 3),
    ],
);

/// Mmap flags other than the type, x86_64, as strace 6.1 names them (no MAP_ABOVE4G; the huge
/// page size bits, where MAP_UNINITIALIZED lies, print as `N<<MAP_HUGE_SHIFT`).
pub const MMAP_FLAGS: Xlat = Xlat::new(
    "MAP_",
    &[
        ("MAP_FIXED", 0x10),
        ("MAP_ANONYMOUS", 0x20),
        ("MAP_32BIT", 0x40),
        ("MAP_NORESERVE", 0x4000),
        ("MAP_POPULATE", 0x8000),
        ("MAP_NONBLOCK", 0x10000),
        ("MAP_GROWSDOWN", 0x100),
        ("MAP_DENYWRITE", 0x800),
        ("MAP_EXECUTABLE", 0x1000),
        ("MAP_LOCKED", 0x2000),
        ("MAP_STACK", 0x20000),
        ("MAP_HUGETLB", 0x40000),
        ("MAP_SYNC", 0x80000),
        ("MAP_FIXED_NOREPLACE", 0x100000),
    ],
);

/// Mremap flags.
pub const MREMAP_FLAGS: Xlat = Xlat::new(
    "MREMAP_",
    &[
        ("MREMAP_MAYMOVE", 1),
        ("MREMAP_FIXED", 2),
        ("MREMAP_DONTUNMAP", 4),
    ],
);

/// Madvise advice.
pub const MADVISE: Xlat = Xlat::new(
    "MADV_",
    &[
        ("MADV_NORMAL", 0),
        ("MADV_RANDOM", 1),
        ("MADV_SEQUENTIAL", 2),
        ("MADV_WILLNEED", 3),
        ("MADV_DONTNEED", 4),
        ("MADV_FREE", 8),
        ("MADV_REMOVE", 9),
        ("MADV_DONTFORK", 10),
        ("MADV_DOFORK", 11),
        ("MADV_MERGEABLE", 12),
        ("MADV_UNMERGEABLE", 13),
        ("MADV_HUGEPAGE", 14),
        ("MADV_NOHUGEPAGE", 15),
        ("MADV_DONTDUMP", 0x10),
        ("MADV_DODUMP", 0x11),
        ("MADV_WIPEONFORK", 0x12),
        ("MADV_KEEPONFORK", 0x13),
        ("MADV_COLD", 0x14),
        ("MADV_PAGEOUT", 0x15),
        ("MADV_POPULATE_READ", 0x16),
        ("MADV_POPULATE_WRITE", 0x17),
        ("MADV_DONTNEED_LOCKED", 0x18),
        ("MADV_COLLAPSE", 0x19),
        ("MADV_HWPOISON", 0x64),
        ("MADV_SOFT_OFFLINE", 0x65),
        // MADV_GUARD_INSTALL (0x66) and MADV_GUARD_REMOVE (0x67) are newer than strace 6.1,
        // which prints them `0x67 /* MADV_??? */` (README: names newer than strace 6.1).
    ],
);

/// Mlockall flags.
pub const MLOCK_FLAGS: Xlat = Xlat::new(
    "MCL_",
    &[("MCL_CURRENT", 1), ("MCL_FUTURE", 2), ("MCL_ONFAULT", 4)],
);

/// Msync flags.
pub const MSYNC_FLAGS: Xlat = Xlat::new(
    "MS_",
    &[("MS_SYNC", 4), ("MS_ASYNC", 1), ("MS_INVALIDATE", 2)],
);

/// Membarrier commands.
pub const MEMBARRIER_CMDS: Xlat = Xlat::new(
    "MEMBARRIER_CMD_",
    &[
        ("MEMBARRIER_CMD_QUERY", 0),
        ("MEMBARRIER_CMD_GLOBAL", 1),
        ("MEMBARRIER_CMD_GLOBAL_EXPEDITED", 2),
        ("MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", 4),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED", 8),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED", 0x10),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE", 0x20),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE", 0x40),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ", 0x80),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ", 0x100),
    ],
);
