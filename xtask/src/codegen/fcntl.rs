//! fcntl's argument tables: `F_NOTIFY`'s `DN_*` flags and `F_[GS]ETOWN_EX`'s `F_OWNER_*`
//! types, the names strace 6.1 prints (its xlat/notifyflags.in and xlat/f_owner_types.in), in
//! its order, valued by compiling `linux/fcntl.h`.

use anyhow::Result;

use super::headers::{Table, render};

const TABLES: &[Table] = &[
    Table::defines("DN_FLAGS", "DN_", "linux/fcntl.h"),
    Table {
        constant: "F_OWNER_TYPES",
        prefix: "F_OWNER_",
        header: "linux/fcntl.h",
        names: &["F_OWNER_TID", "F_OWNER_PID", "F_OWNER_PGRP"],
    },
];

/// The generated `fcntl_gen.rs`.
pub fn tables() -> Result<String> {
    render("fcntl's argument tables", TABLES)
}
