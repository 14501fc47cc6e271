//! `-c -Z`, beyond strace: which errno each syscall failed with (as `perf trace
//! --errno-summary`). strace 6.1 prints its table unchanged under `-c -Z`; tracer prints that
//! table, then this breakdown under it, in the table's row order.

use std::{
    collections::{BTreeMap, HashMap},
    fmt::Write as _,
};

use crate::tables::errno;

/// Failed calls counted by syscall and errno.
#[derive(Debug, Default, Clone)]
pub struct Errnos {
    by_call: HashMap<u32, BTreeMap<u32, u64>>,
}

/// An errno's name as strace prints it (`ENOENT`), or its number when it has none.
pub fn name(errno: u32) -> String {
    match errno::lookup(errno) {
        Some((name, _)) => name.to_string(),
        None => errno.to_string(),
    }
}

/// Most frequent first, then by errno number.
fn ranked(counts: &BTreeMap<u32, u64>) -> Vec<(u32, u64)> {
    let mut v: Vec<(u32, u64)> = counts.iter().map(|(&e, &n)| (e, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

impl Errnos {
    /// One call of syscall `nr` that failed with `errno`.
    pub fn add(&mut self, nr: u32, errno: u32) {
        *self
            .by_call
            .entry(nr)
            .or_default()
            .entry(errno)
            .or_default() += 1;
    }

    /// Syscall `nr`'s failures by errno, most frequent first.
    pub fn of(&self, nr: u32) -> Vec<(u32, u64)> {
        self.by_call.get(&nr).map(ranked).unwrap_or_default()
    }

    /// Every syscall's failures by errno, most frequent first.
    pub fn total(&self) -> Vec<(u32, u64)> {
        let mut all = BTreeMap::new();
        for counts in self.by_call.values() {
            for (&e, &n) in counts {
                *all.entry(e).or_default() += n;
            }
        }
        ranked(&all)
    }

    /// The breakdown in the layout of strace's table: an errors column, the errno, the
    /// syscall; `rows` are the table's (name, syscall number) in its order.
    pub fn render(&self, rows: &[(&str, u32)], out: &mut String) {
        const DASHES: &str = "--------- ---------------- ----------------";
        let _ = writeln!(out, "   errors errno            syscall\n{DASHES}");
        let mut sum = 0;
        for &(call, nr) in rows {
            for (e, n) in self.of(nr) {
                let _ = writeln!(out, "{n:9} {:<16} {call}", name(e));
                sum += n;
            }
        }
        let _ = writeln!(out, "{DASHES}\n{sum:9} {:<16} total", "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_errno_in_the_tables_order() {
        let mut e = Errnos::default();
        for (nr, errno) in [
            (257, 2),
            (257, 20),
            (257, 2),
            (3, 9),
            (21, 2),
            (257, 2),
            (3, 9),
        ] {
            e.add(nr, errno);
        }
        e.add(257, 20);
        e.add(0, 4095);
        assert_eq!(e.of(257), [(2, 3), (20, 2)]);
        assert_eq!(e.of(1), []);
        assert_eq!(e.total(), [(2, 4), (9, 2), (20, 2), (4095, 1)]);
        let mut out = String::new();
        e.render(
            &[("openat", 257), ("close", 3), ("access", 21), ("read", 0)],
            &mut out,
        );
        assert_eq!(
            out,
            "   errors errno            syscall\n\
             --------- ---------------- ----------------\n        \
             3 ENOENT           openat\n        \
             2 ENOTDIR          openat\n        \
             2 EBADF            close\n        \
             1 ENOENT           access\n        \
             1 4095             read\n\
             --------- ---------------- ----------------\n        \
             9                  total\n"
        );
    }
}
