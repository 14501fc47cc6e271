//! The `-c`/`-C` tables the pipeline writes: one per stats interval (`--stats-interval`) and
//! the whole run's at the end.

use super::*;

impl Pipeline {
    /// A stats record (`--stats-interval`), then the table of the interval's calls when
    /// there were any (`-c`/`-C`), which starts the next interval.
    pub fn stats(&mut self, s: &Stats) -> Result<(), SinkError> {
        self.emit(|e, cx| e.stats(cx, s))?;
        let Some(interval) = self.interval.as_mut().filter(|i| !i.is_empty()) else {
            return Ok(());
        };
        let next = interval.fresh();
        let done = std::mem::replace(interval, next);
        self.write_summary(&done, Some(s.interval_s))
    }

    /// Prints the `-c` / `-C` table, if one was asked for.
    pub fn finish_summary(&mut self) -> Result<(), SinkError> {
        let Some(summary) = self.summary.take() else {
            return Ok(());
        };
        let result = self.write_summary(&summary, None);
        self.summary = Some(summary);
        result
    }

    /// Writes `summary`'s table: the whole run's, or an interval's that lasted `interval_s`.
    pub(super) fn write_summary(
        &mut self,
        summary: &Summary,
        interval_s: Option<f64>,
    ) -> Result<(), SinkError> {
        let Some(opts) = self.opts.summary else {
            return Ok(());
        };
        let mut text = String::new();
        summary.render(opts.sort, &opts.columns, &mut text);
        let table = emit::Table {
            summary,
            sort: opts.sort,
            text: &text,
            interval_s,
            lost: self.lost_events,
        };
        self.emit(|e, cx| e.summary(cx, &table))
    }
}
