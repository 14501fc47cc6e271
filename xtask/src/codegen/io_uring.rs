//! io_uring's tables from `linux/io_uring.h` of Debian's linux-libc-dev, with the names
//! strace 6.1 knows, in its order (the kernel's newer ones print as numbers there too):
//! io_uring_setup's `IORING_SETUP_*` flags and `IORING_FEAT_*` features, io_uring_enter's
//! `IORING_ENTER_*` flags, io_uring_register's opcodes (checked against strace 6.1's output
//! for every opcode below 40), and what io_uring_register's arguments hold: the request
//! opcodes (`IORING_OP_*`, strace 6.1 knows them up to `IORING_OP_URING_CMD`), the probe's op
//! flags, the restriction opcodes, the `IOSQE_*` flags, the rsrc register flags and the
//! io-wq worker kinds.

use anyhow::Result;

use super::seccomp::named_tables;

const IO_URING: &str = "linux/io_uring.h";

/// (constant, strace's prefix for unknown values, header, names in strace 6.1's order).
const TABLES: &[(&str, &str, &str, &[&str])] = &[
    (
        "IORING_SETUP_FLAGS",
        "IORING_SETUP_",
        IO_URING,
        &[
            "IORING_SETUP_IOPOLL",
            "IORING_SETUP_SQPOLL",
            "IORING_SETUP_SQ_AFF",
            "IORING_SETUP_CQSIZE",
            "IORING_SETUP_CLAMP",
            "IORING_SETUP_ATTACH_WQ",
            "IORING_SETUP_R_DISABLED",
            "IORING_SETUP_SUBMIT_ALL",
            "IORING_SETUP_COOP_TASKRUN",
            "IORING_SETUP_TASKRUN_FLAG",
            "IORING_SETUP_SQE128",
            "IORING_SETUP_CQE32",
        ],
    ),
    (
        "IORING_FEATURES",
        "IORING_FEAT_",
        IO_URING,
        &[
            "IORING_FEAT_SINGLE_MMAP",
            "IORING_FEAT_NODROP",
            "IORING_FEAT_SUBMIT_STABLE",
            "IORING_FEAT_RW_CUR_POS",
            "IORING_FEAT_CUR_PERSONALITY",
            "IORING_FEAT_FAST_POLL",
            "IORING_FEAT_POLL_32BITS",
            "IORING_FEAT_SQPOLL_NONFIXED",
            "IORING_FEAT_EXT_ARG",
            "IORING_FEAT_NATIVE_WORKERS",
            "IORING_FEAT_RSRC_TAGS",
            "IORING_FEAT_CQE_SKIP",
            "IORING_FEAT_LINKED_FILE",
        ],
    ),
    (
        "IORING_ENTER_FLAGS",
        "IORING_ENTER_",
        IO_URING,
        &[
            "IORING_ENTER_GETEVENTS",
            "IORING_ENTER_SQ_WAKEUP",
            "IORING_ENTER_SQ_WAIT",
            "IORING_ENTER_EXT_ARG",
            "IORING_ENTER_REGISTERED_RING",
        ],
    ),
    (
        "IORING_REGISTER_OPCODES",
        "IORING_REGISTER_",
        IO_URING,
        &[
            "IORING_REGISTER_BUFFERS",
            "IORING_UNREGISTER_BUFFERS",
            "IORING_REGISTER_FILES",
            "IORING_UNREGISTER_FILES",
            "IORING_REGISTER_EVENTFD",
            "IORING_UNREGISTER_EVENTFD",
            "IORING_REGISTER_FILES_UPDATE",
            "IORING_REGISTER_EVENTFD_ASYNC",
            "IORING_REGISTER_PROBE",
            "IORING_REGISTER_PERSONALITY",
            "IORING_UNREGISTER_PERSONALITY",
            "IORING_REGISTER_RESTRICTIONS",
            "IORING_REGISTER_ENABLE_RINGS",
            "IORING_REGISTER_FILES2",
            "IORING_REGISTER_FILES_UPDATE2",
            "IORING_REGISTER_BUFFERS2",
            "IORING_REGISTER_BUFFERS_UPDATE",
            "IORING_REGISTER_IOWQ_AFF",
            "IORING_UNREGISTER_IOWQ_AFF",
            "IORING_REGISTER_IOWQ_MAX_WORKERS",
            "IORING_REGISTER_RING_FDS",
            "IORING_UNREGISTER_RING_FDS",
            "IORING_REGISTER_PBUF_RING",
            "IORING_UNREGISTER_PBUF_RING",
        ],
    ),
    (
        "IORING_OPS",
        "IORING_OP_",
        IO_URING,
        &[
            "IORING_OP_NOP",
            "IORING_OP_READV",
            "IORING_OP_WRITEV",
            "IORING_OP_FSYNC",
            "IORING_OP_READ_FIXED",
            "IORING_OP_WRITE_FIXED",
            "IORING_OP_POLL_ADD",
            "IORING_OP_POLL_REMOVE",
            "IORING_OP_SYNC_FILE_RANGE",
            "IORING_OP_SENDMSG",
            "IORING_OP_RECVMSG",
            "IORING_OP_TIMEOUT",
            "IORING_OP_TIMEOUT_REMOVE",
            "IORING_OP_ACCEPT",
            "IORING_OP_ASYNC_CANCEL",
            "IORING_OP_LINK_TIMEOUT",
            "IORING_OP_CONNECT",
            "IORING_OP_FALLOCATE",
            "IORING_OP_OPENAT",
            "IORING_OP_CLOSE",
            "IORING_OP_FILES_UPDATE",
            "IORING_OP_STATX",
            "IORING_OP_READ",
            "IORING_OP_WRITE",
            "IORING_OP_FADVISE",
            "IORING_OP_MADVISE",
            "IORING_OP_SEND",
            "IORING_OP_RECV",
            "IORING_OP_OPENAT2",
            "IORING_OP_EPOLL_CTL",
            "IORING_OP_SPLICE",
            "IORING_OP_PROVIDE_BUFFERS",
            "IORING_OP_REMOVE_BUFFERS",
            "IORING_OP_TEE",
            "IORING_OP_SHUTDOWN",
            "IORING_OP_RENAMEAT",
            "IORING_OP_UNLINKAT",
            "IORING_OP_MKDIRAT",
            "IORING_OP_SYMLINKAT",
            "IORING_OP_LINKAT",
            "IORING_OP_MSG_RING",
            "IORING_OP_FSETXATTR",
            "IORING_OP_SETXATTR",
            "IORING_OP_FGETXATTR",
            "IORING_OP_GETXATTR",
            "IORING_OP_SOCKET",
            "IORING_OP_URING_CMD",
        ],
    ),
    (
        "IORING_OP_FLAGS",
        "IO_URING_OP_",
        IO_URING,
        &["IO_URING_OP_SUPPORTED"],
    ),
    (
        "IORING_RESTRICTION_OPCODES",
        "IORING_RESTRICTION_",
        IO_URING,
        &[
            "IORING_RESTRICTION_REGISTER_OP",
            "IORING_RESTRICTION_SQE_OP",
            "IORING_RESTRICTION_SQE_FLAGS_ALLOWED",
            "IORING_RESTRICTION_SQE_FLAGS_REQUIRED",
        ],
    ),
    (
        "IOSQE_FLAGS",
        "IOSQE_",
        IO_URING,
        &[
            "IOSQE_FIXED_FILE",
            "IOSQE_IO_DRAIN",
            "IOSQE_IO_LINK",
            "IOSQE_IO_HARDLINK",
            "IOSQE_ASYNC",
            "IOSQE_BUFFER_SELECT",
            "IOSQE_CQE_SKIP_SUCCESS",
        ],
    ),
    (
        "IORING_RSRC_REGISTER_FLAGS",
        "IORING_RSRC_REGISTER_",
        IO_URING,
        &["IORING_RSRC_REGISTER_SPARSE"],
    ),
    (
        "IO_WQ_ACCT",
        "IO_WQ_",
        IO_URING,
        &["IO_WQ_BOUND", "IO_WQ_UNBOUND"],
    ),
];

/// The generated `io_uring_gen.rs`.
pub fn tables() -> Result<String> {
    named_tables(
        "io_uring",
        "//! io_uring's setup flags, features, enter flags, register opcodes and the names in\n\
         //! io_uring_register's arguments, valued from linux/io_uring.h of Debian's\n\
         //! linux-libc-dev.\n",
        TABLES,
    )
}
