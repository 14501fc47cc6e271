//! Flag and value tables (name, value), in the order strace prints them; `decode::flags`
//! turns a word into the model's names and leftover bits.

/// A table of named values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Xlat {
    /// The names' common prefix: strace marks unknown values `0x… /* PREFIX??? */`.
    pub prefix: &'static str,
    pub entries: &'static [(&'static str, u64)],
    /// The marker strace gives unknown bits when it is not `PREFIX???` (renameat2's
    /// `RENAME_??`, access's `?_OK`).
    pub unknown: Option<&'static str>,
}

impl Xlat {
    pub const fn new(prefix: &'static str, entries: &'static [(&'static str, u64)]) -> Self {
        Self {
            prefix,
            entries,
            unknown: None,
        }
    }

    /// The same table whose unknown bits strace marks `/* MARKER */`.
    pub const fn marked(self, marker: &'static str) -> Self {
        Self {
            unknown: Some(marker),
            ..self
        }
    }

    /// How strace marks a value no name covers: `PREFIX???`, or the table's own marker.
    pub fn unknown_marker(&self) -> String {
        self.unknown
            .map_or_else(|| format!("{}???", self.prefix), str::to_string)
    }

    /// The name of exactly `value`, if it has one.
    pub fn name(&self, value: u64) -> Option<&'static str> {
        self.entries
            .iter()
            .find(|(_, v)| *v == value)
            .map(|(n, _)| *n)
    }

    /// The value named `name` (a table's entry used as a constant).
    pub fn value(&self, name: &str) -> Option<u64> {
        self.entries
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The names of `value`'s bits in table order, each consuming its bits, and the bits no
    /// name covers.
    pub fn split(&self, value: u64) -> (Vec<&'static str>, u64) {
        let mut rest = value;
        let mut names = Vec::new();
        for &(name, bits) in self.entries {
            if bits != 0 && rest & bits == bits {
                names.push(name);
                rest &= !bits;
            }
        }
        (names, rest)
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

/// The `dirfd` value meaning "relative to the current directory".
pub const AT_FDCWD: i32 = -100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_consume_their_bits_in_table_order() {
        assert_eq!(
            OPEN_MODE_FLAGS.split(0o4010000 | 0o2000000 | 0x8000_0000),
            (vec!["O_SYNC", "O_CLOEXEC"], 0x8000_0000)
        );
        assert_eq!(OPEN_MODE_FLAGS.split(0), (vec![], 0));
    }
}
