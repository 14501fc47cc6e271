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

/// x86_64 numbers of clone, fork, vfork and clone3.
const FORKS: [u32; 4] = [56, 57, 58, 435];

/// A new task "returning" 0 from the fork that created it: it never entered the call, and
/// strace does not show it.
fn is_child_return(raw: &crate::event::RawSyscall) -> bool {
    raw.no_enter && raw.ret == 0 && FORKS.contains(&raw.nr)
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
    /// `processes`: how many processes are traced from the start (each then `start`ed).
    pub fn new(sink: Sink, opts: OutputOptions, processes: usize) -> Self {
        let prefix = if opts.always_prefix {
            Prefix::Plain
        } else if processes > 1 {
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
            tasks: HashSet::new(),
            live: HashSet::new(),
            written: 0,
        }
    }

    /// Tracing of process `tgid` starts: it counts as live, and with `-y` its descriptors are
    /// recorded as they are now.
    pub fn start(&mut self, tgid: u32) {
        self.tasks.insert(tgid);
        self.live.insert(tgid);
        if let Some(t) = self.fdtable.as_mut() {
            t.snapshot(tgid);
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
                if is_child_return(&raw) {
                    return Ok(());
                }
                self.saw_task(raw.tid);
                let sc = decode::decode(&raw, &self.opts.decode);
                if let Some(t) = self.fdtable.as_mut() {
                    t.prepare(&sc, &raw);
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
