//! The userspace stages after the source: pair → decode → fdtable → format → sink.

use std::collections::HashSet;

use crate::{
    decode::{self, DecodeOptions},
    event::{Exit, Fork, RawEvent},
    fdtable::{Detail, FdTable},
    format::{
        quote::Style,
        strace::{self, FdNames, Prefix, TextOptions},
    },
    pair::Pairer,
    sink::{Sink, SinkError},
};

/// What the user asked for, as far as the output is concerned.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputOptions {
    pub decode: DecodeOptions,
    /// `-x` / `-xx`.
    pub quote: Style,
    /// `-y` / `-yy`.
    pub fds: Option<Detail>,
    /// Every line carries its pid (strace does this with `-f -o FILE`).
    pub always_prefix: bool,
}

pub struct Pipeline {
    pairer: Pairer,
    sink: Sink,
    line: String,
    opts: OutputOptions,
    text: TextOptions,
    fdtable: Option<FdTable>,
    /// Tasks seen, to start `[pid N]` prefixes once there is more than one.
    tasks: HashSet<u32>,
    /// Traced processes that have not exited.
    live: HashSet<u32>,
    /// Syscall lines written.
    pub written: u64,
}

impl Pipeline {
    /// `processes`: the processes traced from the start.
    pub fn new(sink: Sink, opts: OutputOptions, processes: &[u32]) -> Self {
        let prefix = if opts.always_prefix {
            Prefix::Plain
        } else if processes.len() > 1 {
            Prefix::Bracket
        } else {
            Prefix::None
        };
        Self {
            pairer: Pairer::default(),
            sink,
            line: String::with_capacity(512),
            opts,
            text: TextOptions {
                prefix,
                quote: opts.quote,
            },
            fdtable: opts.fds.map(FdTable::new),
            tasks: processes.iter().copied().collect(),
            live: processes.iter().copied().collect(),
            written: 0,
        }
    }

    /// Traced processes still alive, as far as the trace says.
    pub fn live(&self) -> &HashSet<u32> {
        &self.live
    }

    /// A process is known to be gone (its exit record may have been lost).
    pub fn forget(&mut self, tgid: u32) {
        self.live.remove(&tgid);
    }

    fn saw_task(&mut self, tid: u32) {
        if self.tasks.insert(tid) && self.tasks.len() > 1 && self.text.prefix == Prefix::None {
            self.text.prefix = Prefix::Bracket;
        }
    }

    pub fn handle(&mut self, event: RawEvent) -> Result<(), SinkError> {
        self.line.clear();
        match event {
            RawEvent::Lost { count } => strace::lost_line(count, &mut self.line),
            RawEvent::Syscall(raw) => {
                let Some(raw) = self.pairer.push(raw) else {
                    return Ok(());
                };
                self.saw_task(raw.tid);
                let sc = decode::decode(&raw, &self.opts.decode);
                if let Some(t) = self.fdtable.as_mut() {
                    t.prepare(&sc);
                }
                let fds = self.fdtable.as_ref().map(|t| t as &dyn FdNames);
                strace::syscall_line(&sc, &self.text, fds, &mut self.line);
                if let Some(t) = self.fdtable.as_mut() {
                    t.commit(&sc, &raw);
                }
                self.written += 1;
            }
            RawEvent::Fork(f) => {
                self.fork(f);
                return Ok(());
            }
            RawEvent::Exit(e) => self.exit(e),
        }
        self.sink.write(&self.line)
    }

    fn fork(&mut self, f: Fork) {
        self.saw_task(f.child_tid);
        if f.child_tgid != f.tgid {
            self.live.insert(f.child_tgid);
        }
        if let Some(t) = self.fdtable.as_mut() {
            t.fork(f.tgid, f.child_tgid);
        }
    }

    fn exit(&mut self, e: Exit) {
        strace::exit_line(self.text.prefix, e.tid, e.code, &mut self.line);
        if e.group_dead {
            self.live.remove(&e.tgid);
            if let Some(t) = self.fdtable.as_mut() {
                t.exit(e.tgid);
            }
        }
    }

    pub fn flush(&mut self) -> Result<(), SinkError> {
        self.sink.flush()
    }
}
