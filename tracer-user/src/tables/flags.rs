//! Flag and value tables (name, value), in the order strace prints them, and the two ways
//! strace renders them.

use std::fmt::Write as _;

/// A table of named values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Xlat {
    /// The names' common prefix: strace marks unknown values `0x… /* PREFIX??? */`.
    pub prefix: &'static str,
    pub entries: &'static [(&'static str, u64)],
}

impl Xlat {
    pub const fn new(prefix: &'static str, entries: &'static [(&'static str, u64)]) -> Self {
        Self { prefix, entries }
    }

    /// The name of exactly `value`, if it has one.
    pub fn name(&self, value: u64) -> Option<&'static str> {
        self.entries
            .iter()
            .find(|(_, v)| *v == value)
            .map(|(n, _)| *n)
    }

    /// Renders a bit set as strace does: known names joined by `|` in table order, each
    /// consuming its bits, then any bits left over as one `0x…`; when empty, the table's name
    /// for 0 (`PROT_NONE`) or `0`.
    pub fn flags(&self, value: u64) -> String {
        let mut out = String::new();
        self.flags_into(value, &mut out);
        if out.is_empty() {
            out.push_str(self.name(0).unwrap_or("0"));
        }
        out
    }

    /// Appends the `|`-joined names and leftover hex of `value` to `out` (nothing for 0).
    pub fn flags_into(&self, value: u64, out: &mut String) {
        let mut rest = value;
        for &(name, bits) in self.entries {
            if bits != 0 && rest & bits == bits {
                if !out.is_empty() {
                    out.push('|');
                }
                out.push_str(name);
                rest &= !bits;
            }
        }
        if rest != 0 {
            if !out.is_empty() {
                out.push('|');
            }
            let _ = write!(out, "{rest:#x}");
        }
    }
}

/// `O_ACCMODE` values (include/uapi/asm-generic/fcntl.h).
pub const OPEN_ACCESS_MODES: Xlat = Xlat::new(
    "O_",
    &[
        ("O_RDONLY", 0),
        ("O_WRONLY", 0o1),
        ("O_RDWR", 0o2),
        ("O_ACCMODE", 0o3),
    ],
);

/// The bits of a mode strace prints (`umode_t`, an unsigned short: 0xffffffff prints
/// `0177777`).
pub const MODE_MASK: u64 = 0xffff;

pub const O_ACCMODE: u64 = 0o3;
pub const O_CREAT: u64 = 0o100;
pub const O_TMPFILE_BIT: u64 = 0o20000000;

/// open(2) flags other than the access mode, in strace's print order (O_SYNC before its parts,
/// O_TMPFILE before O_DIRECTORY).
pub const OPEN_MODE_FLAGS: Xlat = Xlat::new(
    "O_",
    &[
        ("O_CREAT", 0o100),
        ("O_EXCL", 0o200),
        ("O_NOCTTY", 0o400),
        ("O_TRUNC", 0o1000),
        ("O_APPEND", 0o2000),
        ("O_NONBLOCK", 0o4000),
        ("O_SYNC", 0o4010000),
        ("__O_SYNC", 0o4000000),
        ("O_DSYNC", 0o10000),
        ("O_DIRECT", 0o40000),
        ("O_LARGEFILE", 0o100000),
        ("O_NOFOLLOW", 0o400000),
        ("O_NOATIME", 0o1000000),
        ("O_CLOEXEC", 0o2000000),
        ("O_PATH", 0o10000000),
        ("O_TMPFILE", 0o20200000),
        ("__O_TMPFILE", 0o20000000),
        ("O_DIRECTORY", 0o200000),
        ("FASYNC", 0o20000),
    ],
);

/// Renders open(2)/openat(2) flags: the access mode, then the other flags.
pub fn open_flags(value: u64) -> String {
    let mut out = match OPEN_ACCESS_MODES.name(value & O_ACCMODE) {
        Some(name) => name.to_string(),
        None => format!("{:#x}", value & O_ACCMODE),
    };
    let mut rest = String::new();
    OPEN_MODE_FLAGS.flags_into(value & !O_ACCMODE, &mut rest);
    if !rest.is_empty() {
        out.push('|');
        out.push_str(&rest);
    }
    out
}

/// The `dirfd` value meaning "relative to the current directory".
pub const AT_FDCWD: i32 = -100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_print_in_straces_order() {
        assert_eq!(open_flags(0), "O_RDONLY");
        assert_eq!(open_flags(0o2000000), "O_RDONLY|O_CLOEXEC");
        // What strace 6.1 printed for Python's os.open with these flags.
        let all = 0o1 | 0o100 | 0o1000 | 0o2000 | 0o4000 | 0o4010000 | 0o2000000 | 0o200000;
        assert_eq!(
            open_flags(all),
            "O_WRONLY|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_CLOEXEC|O_DIRECTORY"
        );
        assert_eq!(open_flags(0o20200002), "O_RDWR|O_TMPFILE");
        assert_eq!(open_flags(0x8000_0000), "O_RDONLY|0x80000000");
    }

    #[test]
    fn empty_flags_print_zero_or_its_name() {
        assert_eq!(OPEN_MODE_FLAGS.flags(0), "0");
        assert_eq!(crate::tables::xlat::MMAP_PROT.flags(0), "PROT_NONE");
        assert_eq!(
            crate::tables::xlat::MMAP_PROT.flags(3),
            "PROT_READ|PROT_WRITE"
        );
    }
}
