//! Files and descriptors: access modes, AT_ flags, statx, fcntl, locks, seals, pipes, eventfd, signalfd, inotify, xattrs, statfs.
//! Transcribed from the kernel's uapi headers; the print order follows strace's xlat files.

use crate::tables::flags::Xlat;

/// Access(2) modes (F_OK is 0).
pub const ACCESS_MODES: Xlat =
    Xlat::new("", &[("R_OK", 4), ("W_OK", 2), ("X_OK", 1)]).marked("?_OK");

/// AT_* flags.
pub const AT_FLAGS: Xlat = Xlat::new(
    "AT_",
    &[
        ("AT_SYMLINK_NOFOLLOW", 0x100),
        ("AT_REMOVEDIR", 0x200),
        ("AT_SYMLINK_FOLLOW", 0x400),
        ("AT_NO_AUTOMOUNT", 0x800),
        ("AT_EMPTY_PATH", 0x1000),
        ("AT_RECURSIVE", 0x8000),
    ],
);

/// Faccessat2 flags.
pub const FACCESSAT_FLAGS: Xlat = Xlat::new(
    "AT_",
    &[
        ("AT_SYMLINK_NOFOLLOW", 0x100),
        ("AT_EACCESS", 0x200),
        ("AT_EMPTY_PATH", 0x1000),
    ],
);

/// Statx sync type (flags & AT_STATX_SYNC_TYPE).
pub const STATX_SYNC: Xlat = Xlat::new(
    "AT_STATX_",
    &[
        ("AT_STATX_SYNC_AS_STAT", 0),
        ("AT_STATX_FORCE_SYNC", 0x2000),
        ("AT_STATX_DONT_SYNC", 0x4000),
    ],
);

/// Statx AT_* flags besides the sync type.
pub const STATX_FLAGS: Xlat = Xlat::new(
    "AT_",
    &[
        ("AT_SYMLINK_NOFOLLOW", 0x100),
        ("AT_REMOVEDIR", 0x200),
        ("AT_SYMLINK_FOLLOW", 0x400),
        ("AT_NO_AUTOMOUNT", 0x800),
        ("AT_EMPTY_PATH", 0x1000),
        ("AT_RECURSIVE", 0x8000),
    ],
);

/// Statx masks.
pub const STATX_MASKS: Xlat = Xlat::new(
    "STATX_",
    &[
        ("STATX_ALL", 0xfff),
        ("STATX_BASIC_STATS", 0x7ff),
        ("STATX_TYPE", 1),
        ("STATX_MODE", 2),
        ("STATX_NLINK", 4),
        ("STATX_UID", 8),
        ("STATX_GID", 0x10),
        ("STATX_ATIME", 0x20),
        ("STATX_MTIME", 0x40),
        ("STATX_CTIME", 0x80),
        ("STATX_INO", 0x100),
        ("STATX_SIZE", 0x200),
        ("STATX_BLOCKS", 0x400),
        ("STATX_BTIME", 0x800),
        ("STATX_MNT_ID", 0x1000),
        ("STATX_DIOALIGN", 0x2000),
    ],
);

/// Statx attributes.
pub const STATX_ATTRS: Xlat = Xlat::new(
    "STATX_ATTR_",
    &[
        ("STATX_ATTR_COMPRESSED", 4),
        ("STATX_ATTR_IMMUTABLE", 0x10),
        ("STATX_ATTR_APPEND", 0x20),
        ("STATX_ATTR_NODUMP", 0x40),
        ("STATX_ATTR_ENCRYPTED", 0x800),
        ("STATX_ATTR_AUTOMOUNT", 0x1000),
        ("STATX_ATTR_MOUNT_ROOT", 0x2000),
        ("STATX_ATTR_VERITY", 0x100000),
        ("STATX_ATTR_DAX", 0x200000),
        ("STATX_ATTR_WRITE_ATOMIC", 0x400000),
    ],
);

/// S_IF* file types (mode & S_IFMT).
pub const FILE_TYPES: Xlat = Xlat::new(
    "S_",
    &[
        ("S_IFSOCK", 0xc000),
        ("S_IFLNK", 0xa000),
        ("S_IFREG", 0x8000),
        ("S_IFBLK", 0x6000),
        ("S_IFDIR", 0x4000),
        ("S_IFCHR", 0x2000),
        ("S_IFIFO", 0x1000),
    ],
);

/// Lseek whence.
pub const WHENCE: Xlat = Xlat::new(
    "SEEK_",
    &[
        ("SEEK_SET", 0),
        ("SEEK_CUR", 1),
        ("SEEK_END", 2),
        ("SEEK_DATA", 3),
        ("SEEK_HOLE", 4),
    ],
);

/// Fcntl commands.
pub const FCNTL_CMDS: Xlat = Xlat::new(
    "F_",
    &[
        ("F_DUPFD", 0),
        ("F_GETFD", 1),
        ("F_SETFD", 2),
        ("F_GETFL", 3),
        ("F_SETFL", 4),
        ("F_GETLK", 5),
        ("F_SETLK", 6),
        ("F_SETLKW", 7),
        ("F_SETOWN", 8),
        ("F_GETOWN", 9),
        ("F_SETSIG", 10),
        ("F_GETSIG", 11),
        // strace's names on x86_64 too (its fcntl.c defines them when the UAPI header, which
        // has them only for 32-bit ABIs, does not).
        ("F_GETLK64", 12),
        ("F_SETLK64", 13),
        ("F_SETLKW64", 14),
        ("F_SETOWN_EX", 15),
        ("F_GETOWN_EX", 0x10),
        ("F_GETOWNER_UIDS", 0x11),
        ("F_OFD_GETLK", 0x24),
        ("F_OFD_SETLK", 0x25),
        ("F_OFD_SETLKW", 0x26),
        ("F_SETLEASE", 0x400),
        ("F_GETLEASE", 0x401),
        ("F_NOTIFY", 0x402),
        // F_DUPFD_QUERY (0x403) and F_CREATED_QUERY (0x404) are newer than strace 6.1, which
        // prints them as `0x403 /* F_??? */`.
        ("F_CANCELLK", 0x405),
        ("F_DUPFD_CLOEXEC", 0x406),
        ("F_SETPIPE_SZ", 0x407),
        ("F_GETPIPE_SZ", 0x408),
        ("F_ADD_SEALS", 0x409),
        ("F_GET_SEALS", 0x40a),
    ],
);

/// Fd flags.
pub const FD_FLAGS: Xlat = Xlat::new("FD_", &[("FD_CLOEXEC", 1)]);

/// Struct flock l_type.
pub const LOCK_TYPES: Xlat = Xlat::new("F_", &[("F_RDLCK", 0), ("F_WRLCK", 1), ("F_UNLCK", 2)]);

/// Memfd seals.
pub const SEALS: Xlat = Xlat::new(
    "F_SEAL_",
    &[
        ("F_SEAL_SEAL", 1),
        ("F_SEAL_SHRINK", 2),
        ("F_SEAL_GROW", 4),
        ("F_SEAL_WRITE", 8),
        ("F_SEAL_FUTURE_WRITE", 0x10),
        // F_SEAL_EXEC (0x20) is newer than strace 6.1: a bit in hex there.
    ],
);

/// Flock operations.
pub const FLOCK_OPS: Xlat = Xlat::new(
    "LOCK_",
    &[
        ("LOCK_SH", 1),
        ("LOCK_EX", 2),
        ("LOCK_NB", 4),
        ("LOCK_UN", 8),
        ("LOCK_MAND", 0x20),
        ("LOCK_RW", 0xc0),
        ("LOCK_READ", 0x40),
        ("LOCK_WRITE", 0x80),
    ],
);

/// Pipe2/dup3 flags.
pub const PIPE_FLAGS: Xlat = Xlat::new(
    "O_",
    &[
        ("O_NOTIFICATION_PIPE", 0x200000),
        ("O_CLOEXEC", 0x80000),
        ("O_DIRECT", 0x4000),
        ("O_NONBLOCK", 0x800),
    ],
);

/// Renameat2 flags.
pub const RENAME_FLAGS: Xlat = Xlat::new(
    "RENAME_",
    &[
        ("RENAME_NOREPLACE", 1),
        ("RENAME_EXCHANGE", 2),
        ("RENAME_WHITEOUT", 4),
    ],
)
.marked("RENAME_??");

/// Close_range flags.
pub const CLOSE_RANGE_FLAGS: Xlat = Xlat::new(
    "CLOSE_RANGE_",
    &[("CLOSE_RANGE_UNSHARE", 2), ("CLOSE_RANGE_CLOEXEC", 4)],
);

/// Fallocate modes.
pub const FALLOC_FLAGS: Xlat = Xlat::new(
    "FALLOC_FL_",
    &[
        ("FALLOC_FL_KEEP_SIZE", 1),
        ("FALLOC_FL_PUNCH_HOLE", 2),
        ("FALLOC_FL_NO_HIDE_STALE", 4),
        ("FALLOC_FL_COLLAPSE_RANGE", 8),
        ("FALLOC_FL_ZERO_RANGE", 0x10),
        ("FALLOC_FL_INSERT_RANGE", 0x20),
        ("FALLOC_FL_UNSHARE_RANGE", 0x40),
    ],
);

/// Memfd_create flags.
pub const MEMFD_FLAGS: Xlat = Xlat::new(
    "MFD_",
    &[
        ("MFD_CLOEXEC", 1),
        ("MFD_ALLOW_SEALING", 2),
        ("MFD_HUGETLB", 4),
    ],
);

/// swapon flags above the priority, as strace's xlat/swap_flags.in: glibc's sys/swap.h has
/// the first two, the kernel's private linux/swap.h the discard kinds.
pub const SWAP_FLAGS: Xlat = Xlat::new(
    "SWAP_FLAG_",
    &[
        ("SWAP_FLAG_PREFER", 0x8000),
        ("SWAP_FLAG_DISCARD", 0x10000),
        ("SWAP_FLAG_DISCARD_ONCE", 0x20000),
        ("SWAP_FLAG_DISCARD_PAGES", 0x40000),
    ],
);

/// Setxattr flags.
pub const XATTR_FLAGS: Xlat = Xlat::new("XATTR_", &[("XATTR_CREATE", 1), ("XATTR_REPLACE", 2)]);

/// Umount2 flags.
pub const UMOUNT_FLAGS: Xlat = Xlat::new(
    "",
    &[
        ("MNT_FORCE", 1),
        ("MNT_DETACH", 2),
        ("MNT_EXPIRE", 4),
        ("UMOUNT_NOFOLLOW", 8),
    ],
);

/// Splice flags.
pub const SPLICE_FLAGS: Xlat = Xlat::new(
    "SPLICE_F_",
    &[
        ("SPLICE_F_MOVE", 1),
        ("SPLICE_F_NONBLOCK", 2),
        ("SPLICE_F_MORE", 4),
        ("SPLICE_F_GIFT", 8),
    ],
);

/// posix_fadvise advice.
pub const FADVISE: Xlat = Xlat::new(
    "POSIX_FADV_",
    &[
        ("POSIX_FADV_NORMAL", 0),
        ("POSIX_FADV_RANDOM", 1),
        ("POSIX_FADV_SEQUENTIAL", 2),
        ("POSIX_FADV_WILLNEED", 3),
        ("POSIX_FADV_DONTNEED", 4),
        ("POSIX_FADV_NOREUSE", 5),
    ],
);

/// Filesystem magic numbers (statfs f_type).
pub const FS_MAGICS: Xlat = Xlat::new(
    "",
    &[
        ("EXT2_SUPER_MAGIC", 0xef53),
        ("TMPFS_MAGIC", 0x1021994),
        ("PROC_SUPER_MAGIC", 0x9fa0),
        ("SYSFS_MAGIC", 0x62656572),
        ("BTRFS_SUPER_MAGIC", 0x9123683e),
        ("XFS_SUPER_MAGIC", 0x58465342),
        ("OVERLAYFS_SUPER_MAGIC", 0x794c7630),
        ("NFS_SUPER_MAGIC", 0x6969),
        ("CGROUP2_SUPER_MAGIC", 0x63677270),
        ("DEVPTS_SUPER_MAGIC", 0x1cd1),
        ("SQUASHFS_MAGIC", 0x73717368),
        ("FUSE_SUPER_MAGIC", 0x65735546),
        ("BPF_FS_MAGIC", 0xcafe4a11),
        ("TRACEFS_MAGIC", 0x74726163),
        ("DEBUGFS_MAGIC", 0x64626720),
        ("SECURITYFS_MAGIC", 0x73636673),
        ("RAMFS_MAGIC", 0x858458f6),
        ("V9FS_MAGIC", 0x1021997),
        ("ZFS_SUPER_MAGIC", 0x2fc12fc1),
        // More of strace's xlat/fsmagic.in, names from linux/magic.h.
        ("PIPEFS_MAGIC", 0x50495045),
        ("ANON_INODE_FS_MAGIC", 0x09041934),
        ("SOCKFS_MAGIC", 0x534f434b),
        ("NSFS_MAGIC", 0x6e736673),
        ("CGROUP_SUPER_MAGIC", 0x0027e0eb),
        ("HUGETLBFS_MAGIC", 0x958458f6),
        ("BINFMTFS_MAGIC", 0x42494e4d),
        ("CONFIGFS_MAGIC", 0x62656570),
        ("EFIVARFS_MAGIC", 0xde5e81e4),
        ("PSTOREFS_MAGIC", 0x6165676c),
        ("SELINUX_MAGIC", 0xf97cff8c),
        ("F2FS_SUPER_MAGIC", 0xf2f52010),
        ("ISOFS_SUPER_MAGIC", 0x9660),
        ("MSDOS_SUPER_MAGIC", 0x4d44),
        ("AUTOFS_SUPER_MAGIC", 0x0187),
        ("FUSE_CTL_SUPER_MAGIC", 0x65735543),
        ("DMA_BUF_MAGIC", 0x444d4142),
        ("BDEVFS_MAGIC", 0x62646576),
    ],
);

/// statfs f_flags.
pub const STATFS_FLAGS: Xlat = Xlat::new(
    "ST_",
    &[
        ("ST_VALID", 0x20),
        ("ST_RDONLY", 1),
        ("ST_NOSUID", 2),
        ("ST_NODEV", 4),
        ("ST_NOEXEC", 8),
        ("ST_SYNCHRONOUS", 0x10),
        ("ST_MANDLOCK", 0x40),
        ("ST_WRITE", 0x80),
        ("ST_APPEND", 0x100),
        ("ST_IMMUTABLE", 0x200),
        ("ST_NOATIME", 0x400),
        ("ST_NODIRATIME", 0x800),
        ("ST_RELATIME", 0x1000),
        ("ST_NOSYMFOLLOW", 0x2000),
    ],
);
