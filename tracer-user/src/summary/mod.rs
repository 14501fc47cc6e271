//! `-c` / `-C`: per-syscall counts, errors and time, printed as strace's table, with
//! strace's `-S` orders and `-U` columns; beyond strace, percentiles (`-U p50,p99`) and the
//! failures by errno (`-Z`), for the whole run and per `--stats-interval`.

pub mod columns;
pub mod errnos;
pub mod latency;
pub mod stats;

use std::{cmp::Reverse, collections::HashMap, fmt::Write as _};

pub use columns::{Column, Columns, SortBy};

use crate::{
    summary::{errnos::Errnos, latency::Histogram},
    tables,
};

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

/// One row of the table: the syscall's name, its number and its counts.
pub type TableRow = (String, u32, Row);

#[derive(Debug, Default)]
pub struct Summary {
    rows: HashMap<u32, Row>,
    /// Call times by syscall, kept only for the percentile columns.
    times: Option<HashMap<u32, Histogram>>,
    /// Failures by errno, kept only with `-Z`.
    errnos: Option<Errnos>,
}

impl Summary {
    /// A summary that keeps call times for `-U p50,p99` when `percentiles`, and failures by
    /// errno when `errnos` (`-Z`).
    pub fn new(percentiles: bool, errnos: bool) -> Self {
        Self {
            times: percentiles.then(HashMap::new),
            errnos: errnos.then(Errnos::default),
            ..Self::default()
        }
    }

    /// An empty summary that keeps what this one keeps (the next interval's).
    pub fn fresh(&self) -> Self {
        Self::new(self.times.is_some(), self.errnos.is_some())
    }

    /// Whether the rows carry percentiles.
    pub fn percentiles(&self) -> bool {
        self.times.is_some()
    }

    /// Syscall `nr`'s failures by errno (all syscalls' when `None`), most frequent first;
    /// `None` when they are not kept (no `-Z`).
    pub fn errnos_of(&self, nr: Option<u32>) -> Option<Vec<(u32, u64)>> {
        let e = self.errnos.as_ref()?;
        Some(nr.map_or_else(|| e.total(), |nr| e.of(nr)))
    }

    /// One finished call of syscall `nr` that returned `ret` after `nanos`.
    pub fn count(&mut self, nr: u32, ret: i64, nanos: u64) {
        let failed = crate::decode::is_error(ret);
        self.add(nr, failed, nanos);
        if let Some(e) = self.errnos.as_mut()
            && failed
        {
            e.add(nr, ret.unsigned_abs() as u32);
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

    /// The rows in `sort` order, and the total row.
    pub fn table(&self, sort: SortBy) -> (Vec<TableRow>, Row) {
        let name = |nr: u32| match tables::by_nr(nr) {
            Some(d) => d.name.to_string(),
            None => tables::unknown_name(nr),
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
        (rows, total)
    }

    /// `-Z`'s breakdown of failures by errno under the table, in its row order; nothing when
    /// not kept or when nothing failed (an interval without failures printed an empty table
    /// and `0 total`).
    pub fn render_errnos(&self, sort: SortBy, out: &mut String) {
        if let Some(e) = self.errnos.as_ref().filter(|e| !e.total().is_empty()) {
            let (rows, _) = self.table(sort);
            let rows: Vec<(&str, u32)> = rows.iter().map(|(n, nr, _)| (n.as_str(), *nr)).collect();
            e.render(&rows, out);
        }
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
        for (n, _, r) in &rows {
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
mod tests;
