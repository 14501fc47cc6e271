//! Tables of the ioctl structs strace 6.1 decodes in userfaultfd.c, kvm.c, v4l2.c and btrfs.c:
//! userfaultfd's features, modes and request numbers (linux/userfaultfd.h), kvm's memory
//! region flags (linux/kvm.h), V4L2's buffer types and memory kinds (linux/videodev2.h) and
//! btrfs's quota commands (linux/btrfs.h), device mapper's flags (linux/dm-ioctl.h).

use anyhow::Result;

use super::headers::{ValueTable, render_value_tables};

const UFFD: &str = "linux/userfaultfd.h";

/// A flag table of `header`'s names matching `names`, valued by compiling the header (they
/// are written `(1<<0)`, `((__u64)1<<1)`).
const fn bits(
    constant: &'static str,
    prefix: &'static str,
    header: &'static str,
    names: &'static str,
) -> ValueTable {
    super::netlink::table(constant, prefix, header, names, true, "^$")
}

const TABLES: &[ValueTable] = &[
    bits(
        "UFFD_FEATURES",
        "UFFD_FEATURE_",
        UFFD,
        "UFFD_FEATURE_[A-Z_]+",
    ),
    bits(
        "UFFD_REGISTER_MODES",
        "UFFDIO_REGISTER_MODE_",
        UFFD,
        "UFFDIO_REGISTER_MODE_[A-Z]+",
    ),
    // strace 6.1 marks an unknown copy or zeropage mode `UFFDIO_COPY_???`,
    // `UFFDIO_ZEROPAGE_???`.
    bits(
        "UFFD_COPY_MODES",
        "UFFDIO_COPY_",
        UFFD,
        "UFFDIO_COPY_MODE_[A-Z]+",
    ),
    bits(
        "UFFD_ZEROPAGE_MODES",
        "UFFDIO_ZEROPAGE_",
        UFFD,
        "UFFDIO_ZEROPAGE_MODE_[A-Z]+",
    ),
    // The request numbers, for the `1<<_UFFDIO_WAKE` bits of the ioctls the kernel offers.
    ValueTable {
        constant: "UFFDIO_NRS",
        prefix: "_UFFDIO_",
        header: UFFD,
        names: "_UFFDIO_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    // strace 6.1's kvm_mem_flags: the two flags of its time (not KVM_MEM_GUEST_MEMFD).
    bits(
        "KVM_MEM_FLAGS",
        "KVM_MEM_",
        "linux/kvm.h",
        "KVM_MEM_(LOG_DIRTY_PAGES|READONLY)",
    ),
    // The header's flags of `struct dm_ioctl` (strace adds lvm2's DM_EXISTS_FLAG).
    bits(
        "DM_FLAGS",
        "DM_",
        "linux/dm-ioctl.h",
        "DM_[A-Z_]+_FLAG|DM_DEFERRED_REMOVE",
    ),
    ValueTable {
        constant: "V4L2_BUF_TYPES",
        prefix: "V4L2_BUF_TYPE_",
        header: "linux/videodev2.h",
        names: "V4L2_BUF_TYPE_[A-Z_]+",
        bits: false,
        // strace 6.1 does not name V4L2_BUF_TYPE_PRIVATE.
        exclude: "^V4L2_BUF_TYPE_PRIVATE$",
        probe: true,
    },
    ValueTable {
        constant: "V4L2_MEMORIES",
        prefix: "V4L2_MEMORY_",
        header: "linux/videodev2.h",
        names: "V4L2_MEMORY_(MMAP|USERPTR|OVERLAY|DMABUF)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "BTRFS_QUOTA_CTL_CMDS",
        prefix: "BTRFS_QUOTA_CTL_",
        header: "linux/btrfs.h",
        names: "BTRFS_QUOTA_CTL_[A-Z_]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
];

/// The generated file `ioctl_more_gen.rs`.
pub fn tables() -> Result<String> {
    render_value_tables("userfaultfd, kvm, V4L2 and btrfs ioctl values", TABLES)
}
