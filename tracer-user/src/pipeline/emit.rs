//! One emitter per output format (`text::Text`: strace's lines, `json_lines::Json`: JSON
//! lines), behind one trait the pipeline calls once it has decided what is shown. The
//! pipeline filters, pairs and keeps the books; an emitter only writes.

use crate::{
    decode::{Arg, Syscall},
    event::{Exit, RawSyscall, Signal, TlsCall},
    fdtable::{FdNames, FdTable},
    format::{
        stamp::Clock,
        strace::Split,
        text_options::{Prefix, TextOptions},
    },
    pipeline::{Output, OutputOptions, annotate, comms::Names, tasks::Tasks},
    sink::SinkError,
    summary::stats::Stats,
    summary::{SortBy, Summary},
};

/// A `-c` / `-C` table to write.
pub struct Table<'a> {
    pub summary: &'a Summary,
    pub sort: SortBy,
    /// strace's table.
    pub text: &'a str,
    /// The interval's length for a `--stats-interval` table; `None` for the whole run's.
    pub interval_s: Option<f64>,
    /// Events the ring buffer lost so far: the table is partial.
    pub lost: u64,
}

/// What an emitter writes with and to: the options, the output, the clock, what the fd table
/// and the task books know now.
pub struct Ctx<'a> {
    /// What the user asked for.
    pub opts: &'a OutputOptions,
    /// Where lines go (and the open line of a call still running).
    pub out: &'a mut Output,
    /// Timestamps (`-t`, `-r`, JSON's `@timestamp`).
    pub clock: &'a mut Clock,
    /// What fds refer to, when it is kept.
    pub fdtable: Option<&'a FdTable>,
    /// The task books: prefixes, names, `-n`.
    pub tasks: &'a mut Tasks,
    /// `-k`: the stack trace of the call being written (empty otherwise).
    pub stack: &'a [crate::stack::Frame],
}

impl Ctx<'_> {
    /// strace's text options for a line written now: `[pid N]` while more than one task is
    /// live and lines share one output.
    pub fn text_options(&self) -> TextOptions {
        let prefix = if self.opts.always_prefix {
            Prefix::Plain
        } else if self.out.splits_lines() && self.tasks.threads() > 1 {
            Prefix::Bracket
        } else {
            Prefix::None
        };
        TextOptions {
            prefix,
            quote: self.opts.quote,
            column: self.opts.column,
            comms: self.opts.comms,
            pidns: self.opts.pidns,
            consts: self.opts.consts,
        }
    }

    /// What a text line names: fds when they are shown (`-y`), processes with `-Y`.
    pub fn names(&self) -> Names<'_> {
        self.tasks.names(self.opts.fds.and(self.fdtable))
    }

    /// The fd namer for formatting, when fds are shown.
    pub fn shown_fds(&self) -> Option<&dyn FdNames> {
        if self.opts.fds.is_some() {
            self.fdtable.map(|t| t as &dyn FdNames)
        } else {
            None
        }
    }

    /// `--annotate`'s notes on `sc`, when asked for (` /* ... */`).
    pub fn annotations(&self, sc: &Syscall, out: &mut String) {
        if self.opts.annotates() {
            annotate::annotations(sc, self.fdtable, self.clock, self.tasks.host(), out);
        }
    }

    /// `--annotate`'s notes on `sc`, one by one (none without `--annotate`).
    pub fn notes(&self, sc: &Syscall) -> Vec<String> {
        if !self.opts.annotates() {
            return Vec::new();
        }
        annotate::notes(sc, self.fdtable, self.clock, self.tasks.host())
    }
}

/// Writes what the pipeline shows, in one output format.
pub trait Emitter {
    /// The start of a call that may block, printed before it ends (`accept(3, `), begun at
    /// `at`'s time and instruction pointer. Only with text output (see
    /// `OutputOptions::shows_starts`): other formats write calls whole.
    fn call_start(
        &mut self,
        _cx: &mut Ctx<'_>,
        _sc: &Syscall,
        _split: Split,
        _at: (u64, Option<u64>),
    ) -> Result<(), SinkError> {
        Ok(())
    }

    /// A finished call (`raw` as recorded, `sc` as shown).
    fn call(&mut self, cx: &mut Ctx<'_>, sc: &Syscall, raw: &RawSyscall) -> Result<(), SinkError>;

    /// A `--tls` library call, as the model `sc`.
    fn tls(&mut self, cx: &mut Ctx<'_>, sc: &Syscall, t: &TlsCall) -> Result<(), SinkError>;

    /// A signal delivered, with its siginfo decoded.
    fn signal(&mut self, cx: &mut Ctx<'_>, s: &Signal, info: &Arg) -> Result<(), SinkError>;

    /// A task entered a group stop (`--- stopped by SIGSTOP ---`).
    fn stopped(&mut self, cx: &mut Ctx<'_>, s: &Signal) -> Result<(), SinkError>;

    /// A task exited (`+++ exited with 0 +++`).
    fn exit(&mut self, cx: &mut Ctx<'_>, e: &Exit) -> Result<(), SinkError>;

    /// Events the ring buffer lost.
    fn lost(&mut self, cx: &mut Ctx<'_>, count: u64) -> Result<(), SinkError>;

    /// A stats record (`--stats-interval`).
    fn stats(&mut self, cx: &mut Ctx<'_>, s: &Stats) -> Result<(), SinkError>;

    /// The `-c` / `-C` table.
    fn summary(&mut self, cx: &mut Ctx<'_>, table: &Table<'_>) -> Result<(), SinkError>;

    /// A process attached or detached (`action`). Text output says this on stderr only
    /// (`Tasks::announce`), so by default nothing is written.
    fn process(
        &mut self,
        _cx: &mut Ctx<'_>,
        _action: &'static str,
        _pid: u32,
    ) -> Result<(), SinkError> {
        Ok(())
    }
}
