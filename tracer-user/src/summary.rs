//! `-c` / `-C`: per-syscall counts, errors and time, printed as strace's table.

use std::{cmp::Reverse, collections::HashMap, fmt::Write as _};

use crate::tables;

/// `-S`: the order of the table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Time,
    Calls,
    Errors,
    Name,
    /// Syscall number order.
    Nothing,
}

impl SortBy {
    /// strace's spellings (`time`, `min-time`, `calls`, `errors`, `name`, `nothing`, ...).
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "time" | "time_total" | "total_time" => Self::Time,
            "calls" | "count" => Self::Calls,
            "errors" | "error" => Self::Errors,
            "name" | "syscall" | "syscall_name" => Self::Name,
            "nothing" | "none" => Self::Nothing,
            _ => return None,
        })
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Row {
    calls: u64,
    errors: u64,
    nanos: u64,
}

#[derive(Debug, Default)]
pub struct Summary {
    rows: HashMap<u32, Row>,
}

impl Summary {
    /// One finished call of syscall `nr` that took `nanos`.
    pub fn add(&mut self, nr: u32, failed: bool, nanos: u64) {
        let row = self.rows.entry(nr).or_default();
        row.calls += 1;
        row.errors += u64::from(failed);
        row.nanos += nanos;
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table, as strace prints it.
    pub fn render(&self, sort: SortBy, out: &mut String) {
        let name = |nr: u32| match tables::by_nr(nr) {
            Some(d) => d.name.to_string(),
            None => format!("syscall_{nr:#x}"),
        };
        let mut rows: Vec<(String, u32, Row)> = self
            .rows
            .iter()
            .map(|(&nr, &r)| (name(nr), nr, r))
            .collect();
        match sort {
            SortBy::Time => rows.sort_by_key(|(n, _, r)| (Reverse(r.nanos), n.clone())),
            SortBy::Calls => rows.sort_by_key(|(n, _, r)| (Reverse(r.calls), n.clone())),
            SortBy::Errors => rows.sort_by_key(|(n, _, r)| (Reverse(r.errors), n.clone())),
            SortBy::Name => rows.sort_by(|a, b| a.0.cmp(&b.0)),
            SortBy::Nothing => rows.sort_by_key(|(_, nr, _)| *nr),
        }
        let total = rows.iter().fold(Row::default(), |t, (_, _, r)| Row {
            calls: t.calls + r.calls,
            errors: t.errors + r.errors,
            nanos: t.nanos + r.nanos,
        });
        let dashes = "------ ----------- ----------- --------- --------- ----------------";
        out.push_str("% time     seconds  usecs/call     calls    errors syscall\n");
        out.push_str(dashes);
        out.push('\n');
        for (n, _, r) in &rows {
            let share = if total.nanos == 0 {
                0.0
            } else {
                r.nanos as f64 * 100.0 / total.nanos as f64
            };
            row_into(share, r, n, out);
        }
        out.push_str(dashes);
        out.push('\n');
        row_into(100.0, &total, "total", out);
    }
}

/// ` 30.35    0.000397          10        39        19 openat`: usecs/call truncated, the
/// errors column blank when there are none.
fn row_into(share: f64, r: &Row, name: &str, out: &mut String) {
    let seconds = r.nanos as f64 / 1e9;
    let per_call = (r.nanos / 1000).checked_div(r.calls).unwrap_or(0);
    let _ = write!(
        out,
        "{share:6.2} {seconds:11.6} {per_call:11} {:9} ",
        r.calls
    );
    if r.errors == 0 {
        out.push_str("         ");
    } else {
        let _ = write!(out, "{:9}", r.errors);
    }
    let _ = writeln!(out, " {name}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strace_layout() {
        let mut s = Summary::default();
        // openat 31 calls (13 failed) for 116 us; close 20 for 75 us; read 3 for 10 us.
        for i in 0..31 {
            s.add(
                257,
                i < 13,
                if i == 0 { 116_000 - 30 * 3_700 } else { 3_700 },
            );
        }
        for i in 0..20 {
            s.add(3, false, if i == 0 { 75_000 - 19 * 3_700 } else { 3_700 });
        }
        for i in 0..3 {
            s.add(0, false, if i == 0 { 3_334 } else { 3_333 });
        }
        let mut out = String::new();
        s.render(SortBy::Calls, &mut out);
        // As `strace -c -S calls -e trace=openat,close,read cat /etc/hostname` printed it.
        assert_eq!(
            out,
            "% time     seconds  usecs/call     calls    errors syscall\n\
             ------ ----------- ----------- --------- --------- ----------------\n \
             57.71    0.000116           3        31        13 openat\n \
             37.31    0.000075           3        20           close\n  \
             4.98    0.000010           3         3           read\n\
             ------ ----------- ----------- --------- --------- ----------------\n\
             100.00    0.000201           3        54        13 total\n"
        );
    }

    #[test]
    fn sort_orders() {
        assert_eq!(SortBy::parse("calls"), Some(SortBy::Calls));
        assert_eq!(SortBy::parse("bogus"), None);
        let mut s = Summary::default();
        s.add(3, false, 10);
        s.add(0, true, 5);
        let mut out = String::new();
        s.render(SortBy::Name, &mut out);
        let close = out.find(" close").expect("close row");
        let read = out.find(" read").expect("read row");
        assert!(close < read);
    }
}
