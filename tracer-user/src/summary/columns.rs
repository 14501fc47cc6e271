//! `-S` orders and `-U` columns: strace's spellings and tracer's own (percentiles).

use super::Row;

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

    /// Whether the table can sort so: tracer's own p50 and p99 only when `-U` shows them (they
    /// are not kept otherwise), strace's keys always.
    pub fn shown_by(self, columns: &Columns) -> bool {
        !matches!(self, Self::By(Column::P50 | Column::P99)) || columns.percentiles()
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
        // strace 6.1's spellings (its man page and its table of names), then tracer's own
        // in the same styles.
        Some(match text {
            "time-percent" | "time_percent" | "time" => Self::TimePercent,
            "total-time" | "total_time" | "time-total" | "time_total" => Self::TotalTime,
            "min-time" | "min_time" | "shortest" | "time-min" | "time_min" => Self::MinTime,
            "max-time" | "max_time" | "longest" | "time-max" | "time_max" => Self::MaxTime,
            "avg-time" | "avg_time" | "time-avg" | "time_avg" => Self::AvgTime,
            "calls" | "count" => Self::Calls,
            "errors" | "error" => Self::Errors,
            "name" | "syscall" | "syscall-name" | "syscall_name" => Self::Name,
            "p50" | "median" | "p50-time" | "p50_time" | "time-p50" | "time_p50" => Self::P50,
            "p99" | "p99-time" | "p99_time" | "time-p99" | "time_p99" => Self::P99,
            _ => return None,
        })
    }

    /// The header, as wide as the column.
    pub(super) fn header(self) -> &'static str {
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
    pub(super) fn key(self, r: &Row) -> u64 {
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

    pub(super) fn width(self) -> usize {
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

    pub(super) fn iter(&self) -> impl Iterator<Item = Column> + '_ {
        self.order[..self.len].iter().copied()
    }

    /// Whether a percentile column is shown (call times are then kept per syscall).
    pub fn percentiles(&self) -> bool {
        self.iter().any(|c| matches!(c, Column::P50 | Column::P99))
    }
}
