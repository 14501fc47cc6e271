//! POSIX message queues' values: `struct mq_attr`'s `mq_flags` (strace's mq_attr_flags: the
//! one flag the kernel keeps there) from `linux/fcntl.h`, and `struct sigevent`'s
//! `sigev_notify` kinds from `asm-generic/siginfo.h` (strace's sigev_value), valued by
//! compiling the headers.

use anyhow::Result;

use super::headers::{Table, render};

const TABLES: &[Table] = &[
    Table {
        constant: "MQ_ATTR_FLAGS",
        prefix: "O_",
        header: "linux/fcntl.h",
        names: &["O_NONBLOCK"],
    },
    Table {
        constant: "SIGEV_NOTIFY",
        prefix: "SIGEV_",
        header: "asm-generic/siginfo.h",
        names: &[
            "SIGEV_SIGNAL",
            "SIGEV_NONE",
            "SIGEV_THREAD",
            "SIGEV_THREAD_ID",
        ],
    },
];

/// The generated `mq_gen.rs`.
pub fn tables() -> Result<String> {
    render("mq_attr's flags and sigevent's notification kinds", TABLES)
}
