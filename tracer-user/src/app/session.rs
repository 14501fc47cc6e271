//! One tracing session, whatever the backend: it owns the pipeline, the recording, the stats
//! records, tracer's messages about processes and the end (what is printed at the detach,
//! and the exit status). A `Source` only delivers events into it (`Downstream`).

use std::{collections::HashSet, time::Duration};

use anyhow::{Context, Result};

use super::Outcome;
use crate::{
    error::PreflightError,
    event::RawEvent,
    pipeline::Pipeline,
    sink::SinkError,
    source::{CommandEnd, Counts, Downstream, End, Halt, Source, record::Recorder},
    summary::stats::{Held, Ticker},
};

pub struct Session {
    pipeline: Pipeline,
    /// `--record FILE`.
    recorder: Option<Recorder>,
    /// Writing the recording failed: tracing stops, as when the trace cannot be written (a
    /// recording cut short must not pass for whole).
    record_failure: Option<anyhow::Error>,
    /// `--stats-interval`.
    stats_every: Option<Duration>,
    ticker: Ticker,
    /// The output went away or failed: events are still recorded, no longer written.
    stopped: bool,
    /// Processes found by daemon mode's scan of /proc (not named with -p).
    scanned: HashSet<u32>,
}

impl Session {
    pub fn new(pipeline: Pipeline, recorder: Option<Recorder>, stats: Option<Duration>) -> Self {
        Self {
            pipeline,
            recorder,
            record_failure: None,
            stats_every: stats,
            ticker: Ticker::default(),
            stopped: false,
            scanned: HashSet::new(),
        }
    }

    /// The processes daemon mode found running at start: one of them that ends before its
    /// tracing begins is a race of the scan, not said (a `-p PID` that is gone is an error).
    pub fn with_scanned(mut self, scanned: HashSet<u32>) -> Self {
        self.scanned = scanned;
        self
    }

    /// Starts `source` on what was asked for; false: nothing is left to trace.
    pub fn start(
        &mut self,
        source: &mut dyn Source,
        targets: Vec<crate::target::preflight::Target>,
        command: Option<crate::source::Command<'_>>,
    ) -> Result<bool> {
        source.start(targets, command, self)
    }

    /// Runs `source` to its end, then says what is left to say; tracer's exit status.
    pub fn run(mut self, source: &mut dyn Source) -> Result<Outcome> {
        self.ticker.start();
        let end = source.run(&mut self)?;
        self.finish(source, &end)?;
        // strace's status is the launched command's only while it is traced to its end.
        let command = end.command.filter(|_| !self.pipeline.launched_detached());
        Ok(match (command, end.signal) {
            (Some(CommandEnd::Exited(code)), _) => Outcome::Exit(code),
            (Some(CommandEnd::Killed(sig)), _) => Outcome::Signal(sig),
            (None, Some(sig)) => Outcome::Signal(sig),
            (None, None) => Outcome::Exit(0),
        })
    }

    /// Tracing stopped (the source is detached and drained): losses not reported yet, calls
    /// still running (` <detached ...>`), the last stats record, `process N detached`, the
    /// `-c` table, and the loss totals on stderr.
    fn finish(&mut self, source: &mut dyn Source, end: &End) -> Result<()> {
        let mut closed = self.stopped || end.output_closed;
        let unreported = source.unreported_losses();
        if unreported != 0 && !closed {
            let _ = self.pipeline.handle(RawEvent::Lost { count: unreported });
        }
        if !closed {
            let _ = self.pipeline.detached();
        }
        if self.stats_every.is_some() && !closed {
            // The last word on what was read, lost and left held.
            let counts = source.counts();
            if let Err(err) = self.write_stats(&counts) {
                match self.halt(err) {
                    Halt::OutputClosed => closed = true,
                    Halt::Failed(err) => return Err(err),
                }
            }
        }
        for pid in &end.detached {
            self.pipeline
                .announce(format_args!("process {pid} detached"));
            if !closed {
                let _ = self.pipeline.json_process("detach", *pid);
            }
        }
        if !closed {
            let _ = self.pipeline.finish_summary();
            let _ = self.pipeline.flush();
        }
        if let Some(recorder) = self.recorder.as_mut()
            && let Err(err) = recorder.flush()
        {
            return Err(recorder.failed(&err));
        }
        if let Some(err) = self.record_failure.take() {
            return Err(err);
        }
        let lost = source.lost_total();
        if lost != 0 {
            crate::note!(
                "tracer: lost {lost} events in total (ring buffer full); a larger --ring-size helps"
            );
        }
        if source.malformed() != 0 {
            crate::note!("tracer: dropped {} malformed records", source.malformed());
        }
        Ok(())
    }

    /// Writes a stats record and flushes.
    fn write_stats(&mut self, counts: &Counts) -> Result<(), SinkError> {
        let held = Held {
            kernel_traced: counts.kernel_traced,
            kernel_inflight: counts.kernel_inflight,
            ..self.pipeline.held()
        };
        let stats = self.ticker.record(counts.read, counts.lost, held);
        self.pipeline.stats(&stats)?;
        self.pipeline.flush()
    }

    /// A write failed: a closed output stops tracing cleanly, anything else ends tracer.
    /// Writes to the recording, if there is one. A failure (now or before) ends tracing.
    fn record(
        &mut self,
        write: impl FnOnce(&mut Recorder) -> std::io::Result<()>,
    ) -> Result<(), Halt> {
        if let Some(recorder) = self.recorder.as_mut()
            && let Err(err) = write(recorder)
        {
            self.record_failure = Some(recorder.failed(&err));
            self.recorder = None;
        }
        match self.record_failure.take() {
            Some(err) => {
                self.stopped = true;
                Err(Halt::Failed(err))
            }
            None => Ok(()),
        }
    }

    fn halt(&mut self, err: SinkError) -> Halt {
        self.stopped = true;
        match err {
            SinkError::Closed(_) => Halt::OutputClosed,
            SinkError::Io(err) => {
                Halt::Failed(anyhow::Error::new(err).context("failed to write the trace"))
            }
        }
    }
}

impl Downstream for Session {
    fn starting(&mut self, tgid: u32, launched: bool) {
        match launched {
            true => self.pipeline.start_launched(tgid),
            false => self.pipeline.start(tgid),
        }
    }

    fn attached(&mut self, tgid: u32) -> Result<()> {
        self.pipeline
            .announce(format_args!("process {tgid} attached"));
        self.pipeline
            .json_process("attach", tgid)
            .context("failed to write the trace")
    }

    fn gone(&mut self, tgid: u32) {
        match self.scanned.contains(&tgid) {
            true => log::debug!("process {tgid} found at start ended before tracing began"),
            false => eprintln!("tracer: {}", PreflightError::NoSuchProcess(tgid as i32)),
        }
        self.pipeline.forget(tgid);
    }

    fn event(&mut self, event: RawEvent, wire: Option<&[u8]>) -> Result<(), Halt> {
        self.record(|r| r.event(&event, wire))?;
        if self.stopped {
            return Ok(());
        }
        self.pipeline.handle(event).map_err(|e| self.halt(e))
    }

    fn malformed(&mut self, wire: &[u8]) {
        // The failure, if any, stops tracing at the next event or flush.
        let _ = self.record(|r| r.write(wire));
    }

    fn idle(&mut self) -> Result<(), Halt> {
        self.record(|_| Ok(()))?;
        if self.stopped {
            return Ok(());
        }
        self.pipeline.flush().map_err(|e| self.halt(e))
    }

    fn stats_every(&self) -> Option<Duration> {
        self.stats_every
    }

    fn stats(&mut self, counts: &Counts) -> Result<(), Halt> {
        if self.stopped {
            return Ok(());
        }
        self.write_stats(counts).map_err(|e| self.halt(e))
    }

    fn reopen(&mut self) -> Result<(), Halt> {
        self.pipeline
            .flush()
            .and_then(|()| self.pipeline.reopen())
            .map_err(|e| Halt::Failed(anyhow::anyhow!("failed to reopen the output: {e}")))
    }

    fn live(&self) -> &HashSet<u32> {
        self.pipeline.live()
    }

    fn forget(&mut self, tgid: u32) {
        self.pipeline.forget(tgid);
    }

    fn announce(&self, message: std::fmt::Arguments<'_>) {
        self.pipeline.announce(message);
    }

    fn mapped(&mut self, change: crate::event::MapEvent) {
        self.pipeline.mapped(change);
    }
}
