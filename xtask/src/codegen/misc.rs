//! Flags and values of the sweep's odd syscalls (personality, ioprio_*, pkey_alloc, mount,
//! syslog): the names strace 6.1 prints, in its order (its xlat/*.in files and what it printed
//! for tests/workloads/sweep.c and sweep_tail.c), valued by compiling the UAPI headers. The
//! few names no x86_64 UAPI header defines carry strace's own values (`FIXED`).

use std::fmt::Write as _;

use anyhow::Result;

use super::headers::{Table, render};

const PERSONALITY: &str = "linux/personality.h";
const IOPRIO: &str = "linux/ioprio.h";

const TABLES: &[Table] = &[
    // xlat/personality_types.in: only the low byte (PER_MASK) is looked up.
    Table {
        constant: "PERSONALITY_TYPES",
        prefix: "PER_",
        header: PERSONALITY,
        names: &[
            "PER_LINUX",
            "PER_LINUX_32BIT",
            "PER_LINUX_FDPIC",
            "PER_SVR4",
            "PER_SVR3",
            "PER_SCOSVR3",
            "PER_OSR5",
            "PER_WYSEV386",
            "PER_ISCR4",
            "PER_BSD",
            "PER_SUNOS",
            "PER_XENIX",
            "PER_LINUX32",
            "PER_LINUX32_3GB",
            "PER_IRIX32",
            "PER_IRIXN32",
            "PER_IRIX64",
            "PER_RISCOS",
            "PER_SOLARIS",
            "PER_UW7",
            "PER_OSF4",
            "PER_HPUX",
            "PER_MASK",
        ],
    },
    Table {
        constant: "PERSONALITY_FLAGS",
        prefix: "",
        header: PERSONALITY,
        names: &[
            "UNAME26",
            "ADDR_NO_RANDOMIZE",
            "FDPIC_FUNCPTRS",
            "MMAP_PAGE_ZERO",
            "ADDR_COMPAT_LAYOUT",
            "READ_IMPLIES_EXEC",
            "ADDR_LIMIT_32BIT",
            "SHORT_INODE",
            "WHOLE_SECONDS",
            "STICKY_TIMEOUTS",
            "ADDR_LIMIT_3GB",
        ],
    },
    Table {
        constant: "IOPRIO_WHO",
        prefix: "IOPRIO_WHO_",
        header: IOPRIO,
        names: &["IOPRIO_WHO_PROCESS", "IOPRIO_WHO_PGRP", "IOPRIO_WHO_USER"],
    },
    // strace 6.1 knows no IOPRIO_CLASS_INVALID.
    Table {
        constant: "IOPRIO_CLASSES",
        prefix: "IOPRIO_CLASS_",
        header: IOPRIO,
        names: &[
            "IOPRIO_CLASS_NONE",
            "IOPRIO_CLASS_RT",
            "IOPRIO_CLASS_BE",
            "IOPRIO_CLASS_IDLE",
        ],
    },
    Table {
        constant: "MOUNT_FLAGS",
        prefix: "MS_",
        header: "linux/mount.h",
        names: &[
            "MS_RDONLY",
            "MS_NOSUID",
            "MS_NODEV",
            "MS_NOEXEC",
            "MS_SYNCHRONOUS",
            "MS_REMOUNT",
            "MS_MANDLOCK",
            "MS_DIRSYNC",
            "MS_NOSYMFOLLOW",
            "MS_NOATIME",
            "MS_NODIRATIME",
            "MS_BIND",
            "MS_MOVE",
            "MS_REC",
            "MS_SILENT",
            "MS_POSIXACL",
            "MS_UNBINDABLE",
            "MS_PRIVATE",
            "MS_SLAVE",
            "MS_SHARED",
            "MS_RELATIME",
            "MS_KERNMOUNT",
            "MS_I_VERSION",
            "MS_STRICTATIME",
            "MS_LAZYTIME",
            "MS_SUBMOUNT",
            "MS_NOREMOTELOCK",
            "MS_NOSEC",
            "MS_BORN",
            "MS_ACTIVE",
            "MS_NOUSER",
        ],
    },
    Table {
        constant: "MOUNT_MAGIC",
        prefix: "MS_",
        header: "linux/mount.h",
        names: &["MS_MGC_VAL", "MS_MGC_MSK"],
    },
];

/// A table no x86_64 UAPI header defines: strace's own values, from the xlat file named.
pub(super) struct Fixed {
    pub constant: &'static str,
    pub prefix: &'static str,
    pub source: &'static str,
    pub entries: &'static [(&'static str, u64)],
}

const FIXED: &[Fixed] = &[
    // The kernel's include/linux/syslog.h, not exported to user space.
    Fixed {
        constant: "SYSLOG_ACTIONS",
        prefix: "SYSLOG_ACTION_",
        source: "xlat/syslog_action_type.in",
        entries: &[
            ("SYSLOG_ACTION_CLOSE", 0),
            ("SYSLOG_ACTION_OPEN", 1),
            ("SYSLOG_ACTION_READ", 2),
            ("SYSLOG_ACTION_READ_ALL", 3),
            ("SYSLOG_ACTION_READ_CLEAR", 4),
            ("SYSLOG_ACTION_CLEAR", 5),
            ("SYSLOG_ACTION_CONSOLE_OFF", 6),
            ("SYSLOG_ACTION_CONSOLE_ON", 7),
            ("SYSLOG_ACTION_CONSOLE_LEVEL", 8),
            ("SYSLOG_ACTION_SIZE_UNREAD", 9),
            ("SYSLOG_ACTION_SIZE_BUFFER", 10),
        ],
    },
    // The kernel's include/linux/kern_levels.h; 8 is strace's `LOGLEVEL_DEBUG+1`.
    Fixed {
        constant: "SYSLOG_CONSOLE_LEVELS",
        prefix: "LOGLEVEL_",
        source: "xlat/syslog_console_levels.in",
        entries: &[
            ("LOGLEVEL_EMERG", 0),
            ("LOGLEVEL_ALERT", 1),
            ("LOGLEVEL_CRIT", 2),
            ("LOGLEVEL_ERR", 3),
            ("LOGLEVEL_WARNING", 4),
            ("LOGLEVEL_NOTICE", 5),
            ("LOGLEVEL_INFO", 6),
            ("LOGLEVEL_DEBUG", 7),
            ("LOGLEVEL_DEBUG+1", 8),
        ],
    },
    // PKEY_DISABLE_EXECUTE is powerpc's (x86_64's asm-generic/mman-common.h has the other two);
    // strace 6.1 names it on every architecture.
    Fixed {
        constant: "PKEY_ACCESS",
        prefix: "PKEY_",
        source: "xlat/pkey_access.in",
        entries: &[
            ("PKEY_DISABLE_ACCESS", 0x1),
            ("PKEY_DISABLE_WRITE", 0x2),
            ("PKEY_DISABLE_EXECUTE", 0x4),
        ],
    },
];

/// The generated `misc_gen.rs`.
pub fn tables() -> Result<String> {
    let mut out = render("The sweep's odd syscalls' flags and values", TABLES)?;
    render_fixed(&mut out, FIXED);
    Ok(out)
}

/// Appends `tables` (strace's own values) to a generated file.
pub(super) fn render_fixed(out: &mut String, tables: &[Fixed]) {
    for table in tables {
        let _ = writeln!(
            out,
            "\n/// strace 6.1's {} (no x86_64 UAPI header defines them all).\n\
             pub const {}: Xlat = Xlat::new(\n    {:?},\n    &[",
            table.source, table.constant, table.prefix
        );
        for (name, value) in table.entries {
            let _ = writeln!(out, "        ({name:?}, {value:#x}),");
        }
        out.push_str("    ],\n);\n");
    }
}
