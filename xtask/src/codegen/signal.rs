//! Signal-call tables: sigaltstack's `SS_*` flags, the names strace 6.1 prints (its
//! xlat/sigaltstack_flags.in), in its order, valued by compiling `linux/signal.h`.

use anyhow::Result;

use super::headers::{Table, render};

const TABLES: &[Table] = &[Table {
    constant: "SS_FLAGS",
    prefix: "SS_",
    header: "linux/signal.h",
    names: &["SS_ONSTACK", "SS_DISABLE", "SS_AUTODISARM"],
}];

/// The generated `signal_gen.rs`.
pub fn tables() -> Result<String> {
    render("sigaltstack's flags", TABLES)
}
