//! Signal-call tables: sigaltstack's `SS_*` flags, the names strace 6.1 prints (its
//! xlat/sigaltstack_flags.in), in its order, valued by compiling `linux/signal.h`; and the
//! `AUDIT_ARCH_*` architectures of a SIGSYS siginfo's `si_arch` (strace's xlat/audit_arch.in),
//! every one `linux/audit.h` defines.

use anyhow::Result;

use super::headers::{Table, render};

const TABLES: &[Table] = &[
    Table {
        constant: "SS_FLAGS",
        prefix: "SS_",
        header: "linux/signal.h",
        names: &["SS_ONSTACK", "SS_DISABLE", "SS_AUTODISARM"],
    },
    Table::defines("AUDIT_ARCHES", "AUDIT_ARCH_", "linux/audit.h"),
];

/// The generated `signal_gen.rs`.
pub fn tables() -> Result<String> {
    render("sigaltstack's flags and the audit architectures", TABLES)
}
