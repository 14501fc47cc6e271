//! The landlock_* calls' tables from `linux/landlock.h` of Debian's linux-libc-dev (the 6.1
//! header, what strace 6.1 knows: no network rules yet): filesystem access rights, rule
//! types and landlock_create_ruleset's flags, by the names strace 6.1 prints.

use anyhow::Result;

use super::seccomp::named_tables;

const LANDLOCK: &str = "linux/landlock.h";

/// (constant, strace's prefix for unknown values, header, names in strace 6.1's order).
const TABLES: &[(&str, &str, &str, &[&str])] = &[
    (
        "LANDLOCK_ACCESS_FS",
        "LANDLOCK_ACCESS_FS_",
        LANDLOCK,
        &[
            "LANDLOCK_ACCESS_FS_EXECUTE",
            "LANDLOCK_ACCESS_FS_WRITE_FILE",
            "LANDLOCK_ACCESS_FS_READ_FILE",
            "LANDLOCK_ACCESS_FS_READ_DIR",
            "LANDLOCK_ACCESS_FS_REMOVE_DIR",
            "LANDLOCK_ACCESS_FS_REMOVE_FILE",
            "LANDLOCK_ACCESS_FS_MAKE_CHAR",
            "LANDLOCK_ACCESS_FS_MAKE_DIR",
            "LANDLOCK_ACCESS_FS_MAKE_REG",
            "LANDLOCK_ACCESS_FS_MAKE_SOCK",
            "LANDLOCK_ACCESS_FS_MAKE_FIFO",
            "LANDLOCK_ACCESS_FS_MAKE_BLOCK",
            "LANDLOCK_ACCESS_FS_MAKE_SYM",
            "LANDLOCK_ACCESS_FS_REFER",
        ],
    ),
    (
        "LANDLOCK_RULE_TYPES",
        "LANDLOCK_RULE_",
        LANDLOCK,
        &["LANDLOCK_RULE_PATH_BENEATH"],
    ),
    (
        "LANDLOCK_CREATE_RULESET_FLAGS",
        "LANDLOCK_CREATE_RULESET_",
        LANDLOCK,
        &["LANDLOCK_CREATE_RULESET_VERSION"],
    ),
];

/// The generated `landlock_gen.rs`.
pub fn tables() -> Result<String> {
    named_tables(
        "landlock",
        "//! landlock_*'s access rights, rule types and flags, valued from linux/landlock.h of\n\
         //! Debian's linux-libc-dev.\n",
        TABLES,
    )
}
