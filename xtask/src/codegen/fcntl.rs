//! fcntl's argument tables: `F_NOTIFY`'s `DN_*` flags and `F_[GS]ETOWN_EX`'s `F_OWNER_*`
//! types, the names strace 6.1 prints (its xlat/notifyflags.in and xlat/f_owner_types.in), in
//! its order, valued by compiling `linux/fcntl.h`.

use anyhow::Result;

use super::headers::{Table, render};

const TABLES: &[Table] = &[
    Table {
        constant: "DN_FLAGS",
        prefix: "DN_",
        header: "linux/fcntl.h",
        names: &[
            "DN_ACCESS",
            "DN_MODIFY",
            "DN_CREATE",
            "DN_DELETE",
            "DN_RENAME",
            "DN_ATTRIB",
            "DN_MULTISHOT",
        ],
    },
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
