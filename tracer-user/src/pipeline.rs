//! The userspace stages after the source: pair → decode → format → sink.

use std::collections::HashSet;

use crate::{
    decode,
    event::RawEvent,
    format::strace::{self, TextOptions},
    pair::Pairer,
    sink::{Sink, SinkError},
};

pub struct Pipeline {
    pairer: Pairer,
    sink: Sink,
    line: String,
    threads: HashSet<u32>,
    opts: TextOptions,
    /// Syscall lines written.
    pub written: u64,
}

impl Pipeline {
    /// `processes`: how many processes are traced from the start; with more than one, lines
    /// carry `[pid N]` from the first, as strace does.
    pub fn new(sink: Sink, processes: usize) -> Self {
        Self {
            pairer: Pairer::default(),
            sink,
            line: String::with_capacity(512),
            threads: HashSet::new(),
            opts: TextOptions {
                pid_prefix: processes > 1,
            },
            written: 0,
        }
    }

    /// Starts prefixing lines with `[pid N]` (a second process or thread appeared).
    pub fn set_multi(&mut self) {
        self.opts.pid_prefix = true;
    }

    pub fn handle(&mut self, event: RawEvent) -> Result<(), SinkError> {
        self.line.clear();
        match event {
            RawEvent::Lost { count } => strace::lost_line(count, &mut self.line),
            RawEvent::Syscall(raw) => {
                let Some(raw) = self.pairer.push(raw) else {
                    return Ok(());
                };
                if self.threads.insert(raw.tid) && self.threads.len() > 1 {
                    self.opts.pid_prefix = true;
                }
                let sc = decode::decode(&raw);
                strace::syscall_line(&sc, &self.opts, &mut self.line);
                self.written += 1;
            }
        }
        self.sink.write(&self.line)
    }

    pub fn flush(&mut self) -> Result<(), SinkError> {
        self.sink.flush()
    }
}
