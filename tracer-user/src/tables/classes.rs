//! strace's syscall classes for `-e trace=%CLASS`: their names and bits. Which syscalls each
//! class holds is in the syscalls' rows (`syscallent`), as strace 6.x assigns them (its
//! syscallent tables' TD, TF, TN, ... bits).

use super::row::class::{
    PU, TC, TCL, TD, TF, TFSF, TFST, TI, TLST, TM, TN, TP, TS, TSF, TSFA, TSTA, TSTAT_LIKE,
};

/// One class: its `%name`s (the first is the canonical one) and its bit in the rows.
pub struct Class {
    pub names: &'static [&'static str],
    pub bit: u32,
}

impl Class {
    /// The numbers of the syscalls in the class.
    pub fn members(&self) -> impl Iterator<Item = u32> + '_ {
        super::all()
            .iter()
            .filter(|d| d.in_class(self.bit))
            .map(|d| d.nr)
    }
}

const fn class(names: &'static [&'static str], bit: u32) -> Class {
    Class { names, bit }
}

pub static CLASSES: &[Class] = &[
    class(&["desc"], TD),
    class(&["file"], TF),
    class(&["network", "net"], TN),
    class(&["process"], TP),
    class(&["signal"], TS),
    class(&["memory"], TM),
    class(&["ipc"], TI),
    class(&["creds"], TC),
    class(&["clock"], TCL),
    class(&["pure"], PU),
    class(&["stat"], TSTA),
    class(&["lstat"], TLST),
    class(&["fstat"], TFST),
    class(&["%stat"], TSTAT_LIKE),
    class(&["statfs"], TSF),
    class(&["fstatfs"], TFSF),
    class(&["%statfs"], TSFA),
];

/// The class called `name` (without its leading `%`).
pub fn by_name(name: &str) -> Option<&'static Class> {
    CLASSES.iter().find(|c| c.names.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(class: &str) -> Vec<&'static str> {
        let class = by_name(class).expect("class");
        class
            .members()
            .filter_map(crate::tables::by_nr)
            .map(|d| d.name)
            .collect()
    }

    #[test]
    fn classes_by_name() {
        assert!(names("net").contains(&"accept4"));
        assert!(names("file").contains(&"openat"));
        assert!(by_name("nosuch").is_none());
    }

    #[test]
    fn classes_hold_what_strace_puts_in_them() {
        assert_eq!(
            names("%stat"),
            ["stat", "fstat", "lstat", "newfstatat", "statx"]
        );
        assert_eq!(names("%statfs"), ["ustat", "statfs", "fstatfs"]);
        assert_eq!(
            names("pure"),
            [
                "getpid", "getuid", "getgid", "geteuid", "getegid", "getppid", "getpgrp", "gettid"
            ]
        );
        assert_eq!(names("desc").len(), 127);
        assert_eq!(names("file").len(), 70);
        assert_eq!(names("network").len(), 21);
        assert_eq!(names("memory").len(), 28);
    }
}
