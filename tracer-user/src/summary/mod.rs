//! `-c` / `-C`: per-syscall counts, errors and time, printed as strace's table, with
//! strace's `-S` orders and `-U` columns.

pub mod latency;
pub mod stats;

use std::{cmp::Reverse, collections::HashMap, fmt::Write as _};

use crate::{summary::latency::Histogram, tables};

/// `-S`: the order of the table's rows: by a column (largest first, names alphabetically;
/// equal rows in syscall number order, as strace's stable sort leaves them), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    By(Column),
    /// Syscall number order.
    Nothing,
}

impl Default for SortBy {
    fn default() -> Self {
        Self::By(Column::TotalTime)
    }
}

impl SortBy {
    /// strace's spellings: a column's name (`-U`'s: `time`, `min-time`, `calls`, `errors`,
    /// `name`, ...), or `nothing`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "nothing" | "none" => Some(Self::Nothing),
            _ => Column::parse(text).map(Self::By),
        }
    }
}

/// `-U`: one column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    TimePercent,
    TotalTime,
    MinTime,
    MaxTime,
    AvgTime,
    Calls,
    Errors,
    Name,
    /// Beyond strace: the median call time.
    P50,
    /// Beyond strace: the time 99% of the calls stayed under.
    P99,
}

impl Column {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "time-percent" | "time_percent" | "time" => Self::TimePercent,
            "total-time" | "total_time" | "time_total" => Self::TotalTime,
            "min-time" | "min_time" | "shortest" => Self::MinTime,
            "max-time" | "max_time" | "longest" => Self::MaxTime,
            "avg-time" | "avg_time" => Self::AvgTime,
            "calls" | "count" => Self::Calls,
            "errors" | "error" => Self::Errors,
            "name" | "syscall" | "syscall_name" => Self::Name,
            "p50" | "median" => Self::P50,
            "p99" => Self::P99,
            _ => return None,
        })
    }

    /// The header, as wide as the column.
    fn header(self) -> &'static str {
        match self {
            Self::TimePercent => "% time",
            Self::TotalTime => "    seconds",
            Self::MinTime => "shortest",
            Self::MaxTime => " longest",
            Self::AvgTime => " usecs/call",
            Self::Calls => "    calls",
            Self::Errors => "   errors",
            Self::Name => "syscall",
            Self::P50 => "     p50",
            Self::P99 => "     p99",
        }
    }

    /// What rows are sorted on by this column (not the name's).
    fn key(self, r: &Row) -> u64 {
        match self {
            Self::TimePercent | Self::TotalTime => r.nanos,
            Self::MinTime => r.min,
            Self::MaxTime => r.max,
            Self::AvgTime => r.avg(),
            Self::Calls => r.calls,
            Self::Errors => r.errors,
            Self::Name => 0,
            Self::P50 => r.p50,
            Self::P99 => r.p99,
        }
    }

    fn width(self) -> usize {
        match self {
            Self::Name => 16,
            other => other.header().len(),
        }
    }
}

/// `-U`'s columns in order (strace's default: time-percent, total-time, avg-time, calls,
/// errors, name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    order: [Column; 10],
    len: usize,
}

impl Default for Columns {
    fn default() -> Self {
        use Column::*;
        Self {
            order: [
                TimePercent,
                TotalTime,
                AvgTime,
                Calls,
                Errors,
                Name,
                Name,
                Name,
                Name,
                Name,
            ],
            len: 6,
        }
    }
}

impl Columns {
    /// `-U a,b,...` with strace's checks; the name column is added at the end when missing.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut order = [Column::Name; 10];
        let mut len = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let (item, after) = rest.split_once(',').unwrap_or((rest, ""));
            let column =
                Column::parse(item).ok_or_else(|| format!("unknown column name: '{item}'"))?;
            if order[..len].contains(&column) {
                return Err(format!(
                    "call summary column has been provided more than once: '{item}' \
                     (-U option residual: '{rest}')"
                ));
            }
            order[len] = column;
            len += 1;
            rest = after;
        }
        if !order[..len].contains(&Column::Name) {
            order[len] = Column::Name;
            len += 1;
        }
        Ok(Self { order, len })
    }

    fn iter(&self) -> impl Iterator<Item = Column> + '_ {
        self.order[..self.len].iter().copied()
    }

    /// Whether a percentile column is shown (call times are then kept per syscall).
    pub fn percentiles(&self) -> bool {
        self.iter().any(|c| matches!(c, Column::P50 | Column::P99))
    }
}

/// One syscall's row of the table (or the total row).
#[derive(Debug, Default, Clone, Copy)]
pub struct Row {
    pub calls: u64,
    pub errors: u64,
    /// Time in the calls, in nanoseconds.
    pub nanos: u64,
    pub min: u64,
    pub max: u64,
    /// Filled in from the histograms when the table is printed.
    pub p50: u64,
    pub p99: u64,
}

impl Row {
    fn merge(self, r: &Row) -> Row {
        Row {
            calls: self.calls + r.calls,
            errors: self.errors + r.errors,
            nanos: self.nanos + r.nanos,
            min: if self.calls == 0 {
                r.min
            } else {
                self.min.min(r.min)
            },
            max: self.max.max(r.max),
            ..Row::default()
        }
    }

    fn avg(&self) -> u64 {
        self.nanos.checked_div(self.calls).unwrap_or(0)
    }
}

#[derive(Debug, Default)]
pub struct Summary {
    rows: HashMap<u32, Row>,
    /// Call times by syscall, kept only for the percentile columns.
    times: Option<HashMap<u32, Histogram>>,
}

impl Summary {
    /// A summary that keeps call times for `-U p50,p99` when `percentiles`.
    pub fn new(percentiles: bool) -> Self {
        Self {
            times: percentiles.then(HashMap::new),
            ..Self::default()
        }
    }

    /// The row of syscall `nr` with its percentiles, and its histogram merged into `all`.
    fn row_with_percentiles(&self, nr: u32, mut r: Row, all: &mut Histogram) -> Row {
        if let Some(h) = self.times.as_ref().and_then(|t| t.get(&nr)) {
            r.p50 = h.quantile(0.5, (r.min, r.max));
            r.p99 = h.quantile(0.99, (r.min, r.max));
            all.merge(h);
        }
        r
    }

    /// One finished call of syscall `nr` that took `nanos`.
    pub fn add(&mut self, nr: u32, failed: bool, nanos: u64) {
        let row = self.rows.entry(nr).or_default();
        row.min = if row.calls == 0 {
            nanos
        } else {
            row.min.min(nanos)
        };
        row.max = row.max.max(nanos);
        row.calls += 1;
        row.errors += u64::from(failed);
        row.nanos += nanos;
        if let Some(times) = self.times.as_mut() {
            times.entry(nr).or_default().add(nanos);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows by name in `sort` order, and the total row.
    pub fn table(&self, sort: SortBy) -> (Vec<(String, Row)>, Row) {
        let name = |nr: u32| match tables::by_nr(nr) {
            Some(d) => d.name.to_string(),
            None => format!("syscall_{nr:#x}"),
        };
        let mut all = Histogram::default();
        let mut rows: Vec<(String, u32, Row)> = self
            .rows
            .iter()
            .map(|(&nr, &r)| (name(nr), nr, self.row_with_percentiles(nr, r, &mut all)))
            .collect();
        rows.sort_by_key(|(_, nr, _)| *nr);
        match sort {
            SortBy::By(Column::Name) => rows.sort_by(|a, b| a.0.cmp(&b.0)),
            SortBy::By(column) => rows.sort_by_key(|(_, _, r)| Reverse(column.key(r))),
            SortBy::Nothing => {}
        }
        let mut total = rows.iter().fold(Row::default(), |t, (_, _, r)| t.merge(r));
        let bounds = (total.min, total.max);
        (total.p50, total.p99) = (all.quantile(0.5, bounds), all.quantile(0.99, bounds));
        (rows.into_iter().map(|(n, _, r)| (n, r)).collect(), total)
    }

    /// The table, as strace prints it.
    pub fn render(&self, sort: SortBy, columns: &Columns, out: &mut String) {
        let (rows, total) = self.table(sort);
        let line = |cell: &dyn Fn(Column, &mut String), out: &mut String| {
            let mut cells: Vec<String> = Vec::new();
            for c in columns.iter() {
                let mut text = String::new();
                cell(c, &mut text);
                cells.push(text);
            }
            let _ = writeln!(out, "{}", cells.join(" "));
        };
        let last = columns.iter().last();
        let header = |c: Column, s: &mut String| match (c, Some(c) == last) {
            (Column::Name, false) => s.push_str(&format!("{:<16}", "syscall")),
            _ => s.push_str(c.header()),
        };
        let dashes = |c: Column, s: &mut String| s.push_str(&"-".repeat(c.width()));
        line(&header, out);
        line(&dashes, out);
        for (n, r) in &rows {
            line(&|c, s| cell_into(c, r, &total, n, Some(c) == last, s), out);
        }
        line(&dashes, out);
        line(
            &|c, s| cell_into(c, &total, &total, "total", Some(c) == last, s),
            out,
        );
    }
}

/// One cell of row `r`: seconds with microseconds, usecs/call truncated, the errors column
/// blank when there are none.
fn cell_into(c: Column, r: &Row, total: &Row, name: &str, last: bool, out: &mut String) {
    let secs = |nanos: u64| nanos as f64 / 1e9;
    let _ = match c {
        Column::TimePercent => {
            // The total row says 100 even when no time was counted, as strace's does.
            let share = match total.nanos {
                _ if std::ptr::eq(r, total) => 100.0,
                0 => 0.0,
                t => r.nanos as f64 * 100.0 / t as f64,
            };
            write!(out, "{share:6.2}")
        }
        Column::TotalTime => write!(out, "{:11.6}", secs(r.nanos)),
        Column::MinTime => write!(out, "{:8.6}", secs(r.min)),
        Column::MaxTime => write!(out, "{:8.6}", secs(r.max)),
        Column::P50 => write!(out, "{:8.6}", secs(r.p50)),
        Column::P99 => write!(out, "{:8.6}", secs(r.p99)),
        Column::AvgTime => write!(out, "{:11}", r.avg() / 1000),
        Column::Calls => write!(out, "{:9}", r.calls),
        Column::Errors if r.errors == 0 => write!(out, "{:9}", ""),
        Column::Errors => write!(out, "{:9}", r.errors),
        Column::Name if last => write!(out, "{name}"),
        Column::Name => write!(out, "{name:<16}"),
    };
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
        s.render(SortBy::By(Column::Calls), &Columns::default(), &mut out);
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
    fn columns_as_strace_prints_them() {
        let mut s = Summary::default();
        for nanos in [10_000, 24_000, 12_000] {
            s.add(257, nanos == 24_000, nanos);
        }
        s.add(3, false, 9_000);
        let mut out = String::new();
        let columns = Columns::parse("min-time,max-time,avg-time,total-time,time-percent,errors")
            .expect("valid");
        s.render(SortBy::By(Column::MaxTime), &columns, &mut out);
        // As `strace -c -w -U ...` lays it out (its figures, our calls).
        assert_eq!(
            out,
            "shortest  longest  usecs/call     seconds % time    errors syscall\n\
             -------- -------- ----------- ----------- ------ --------- ----------------\n\
             0.000010 0.000024          15    0.000046  83.64         1 openat\n\
             0.000009 0.000009           9    0.000009  16.36           close\n\
             -------- -------- ----------- ----------- ------ --------- ----------------\n\
             0.000009 0.000024          13    0.000055 100.00         1 total\n"
        );
        let mut out = String::new();
        s.render(
            SortBy::By(Column::Name),
            &Columns::parse("name,calls").expect("valid"),
            &mut out,
        );
        assert_eq!(
            out,
            "syscall              calls\n---------------- ---------\nclose                    1\n\
             openat                   3\n---------------- ---------\ntotal                    4\n"
        );
        assert_eq!(
            Columns::parse("calls,bogus"),
            Err("unknown column name: 'bogus'".into())
        );
        assert!(Columns::parse("calls,calls").is_err());
    }

    #[test]
    fn equal_rows_stay_in_syscall_number_order() {
        let mut s = Summary::default();
        for nr in [257, 3, 0] {
            s.add(nr, false, 0);
        }
        let mut out = String::new();
        s.render(SortBy::By(Column::TotalTime), &Columns::default(), &mut out);
        let at = |name: &str| out.find(&format!(" {name}\n")).expect("row");
        assert!(
            at("read") < at("close") && at("close") < at("openat"),
            "{out}"
        );
    }

    #[test]
    fn sort_orders() {
        assert_eq!(SortBy::parse("calls"), Some(SortBy::By(Column::Calls)));
        assert_eq!(SortBy::parse("bogus"), None);
        let mut s = Summary::default();
        s.add(3, false, 10);
        s.add(0, true, 5);
        let mut out = String::new();
        s.render(SortBy::By(Column::Name), &Columns::default(), &mut out);
        let close = out.find(" close").expect("close row");
        let read = out.find(" read").expect("read row");
        assert!(close < read);
    }

    #[test]
    fn percentile_columns_beyond_strace() {
        let columns = Columns::parse("calls,p50,p99,median").map(|c| c.percentiles());
        assert!(columns.is_err(), "p50 and median are one column");
        let columns = Columns::parse("calls,p50,p99").expect("valid");
        assert!(columns.percentiles() && !Columns::default().percentiles());
        let mut s = Summary::new(true);
        // read: 99 calls of 10 us and one of 5 ms.
        for i in 0..100 {
            s.add(0, false, if i == 0 { 5_000_000 } else { 10_000 });
        }
        let mut out = String::new();
        s.render(SortBy::By(Column::P99), &columns, &mut out);
        let read: Vec<&str> = out
            .lines()
            .find(|l| l.ends_with(" read"))
            .expect("read row")
            .split_whitespace()
            .collect();
        assert_eq!(read[..2], ["100", "0.000010"], "{out}");
        assert_eq!(
            read[2], "0.000010",
            "the 99th of 100 calls is a 10 us one: {out}"
        );
        assert!(
            out.starts_with("    calls      p50      p99 syscall\n"),
            "{out}"
        );
        // Without the columns no times are kept.
        let mut plain = Summary::default();
        plain.add(0, false, 1);
        assert!(plain.times.is_none());
    }
}
