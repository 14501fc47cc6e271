//! aio tables: the `struct iocb` opcodes (`IOCB_CMD_*`) and flags (`IOCB_FLAG_*`) strace 6.1
//! prints (its xlat/aio_cmds.in and aio_iocb_flags.in), in its order, valued by compiling
//! `linux/aio_abi.h`. strace's `IOCB_CMD_PREADX` (4), only a comment in the header, is
//! `decode::aio`'s.

use anyhow::Result;

use super::headers::{Table, render};

const AIO_ABI: &str = "linux/aio_abi.h";

const TABLES: &[Table] = &[
    Table {
        constant: "IOCB_CMDS",
        prefix: "IOCB_CMD_",
        header: AIO_ABI,
        names: &[
            "IOCB_CMD_PREAD",
            "IOCB_CMD_PWRITE",
            "IOCB_CMD_FSYNC",
            "IOCB_CMD_FDSYNC",
            "IOCB_CMD_POLL",
            "IOCB_CMD_NOOP",
            "IOCB_CMD_PREADV",
            "IOCB_CMD_PWRITEV",
        ],
    },
    Table {
        constant: "IOCB_FLAGS",
        prefix: "IOCB_FLAG_",
        header: AIO_ABI,
        names: &["IOCB_FLAG_RESFD", "IOCB_FLAG_IOPRIO"],
    },
];

/// The generated `aio_gen.rs`.
pub fn tables() -> Result<String> {
    render("aio's iocb opcodes and flags", TABLES)
}
