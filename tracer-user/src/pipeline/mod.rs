//! The userspace stages after the source: pair → decode → fdtable → format → sink, plus the
//! filters that decide what is shown and the summary (`-c`).
//!
//! `Pipeline` takes each `RawEvent`, keeps the books (`tasks`), pairs and decodes calls, keeps
//! the fd table, filters, counts, and hands what is shown to the emitter of the output format
//! (`text`, `json_lines`) behind `emit::Emitter`. It is configured by `options` and asks the
//! running system through `host::Host` (the session's /proc), never /proc itself.

mod annotate;
mod comms;
mod detach;
mod emit;
mod host;
mod json_lines;
mod launch_exec;
mod leader_exit;
mod options;
mod output;
mod pidns;
mod sender_wait;
mod signals;
mod summary_tables;
mod tasks;
mod text;
mod thread_exec;
mod tls;
mod waits;

use std::collections::{HashMap, HashSet};

pub use host::{FdLimits, Host, Identity, NsPid, SystemFiles, Unknown, User};
pub use options::{OutputOptions, SummaryOptions};
pub use output::{Open, Output, Sinks};

use crate::{
    decode::{self, Syscall},
    event::{Exit, Fork, Part, RawEvent, RawSyscall, Signal},
    fdtable::{Detail, FdTable},
    format::stamp::{self, Clock},
    pair::Pairer,
    sink::SinkError,
    summary::Summary,
    summary::stats::{Held, Stats},
    tables::{self, SyscallDef},
};

/// A new task "returning" 0 from the fork that created it: it never entered the call, and
/// strace does not show it. Known by its value, not by a missing enter: a call recorded at
/// its exit only (`SPEC_EXIT_ONLY`, e.g. under `-z`) has no enter to miss, and a fork's
/// caller never gets 0 back (it gets the child's id or an error) unless `-e inject=` gave it.
fn is_child_return(raw: &RawSyscall) -> bool {
    raw.ret == 0 && !raw.tampered.injected && tables::by_nr(raw.nr).is_some_and(SyscallDef::is_fork)
}

/// Time spent in a call, when both ends were seen.
fn duration(raw: &RawSyscall) -> Option<u64> {
    stamp::duration_ns(raw.ts_enter, raw.ts_exit, raw.no_return)
}

/// Whether any captured data of the call contains `needle`.
fn data_contains(raw: &RawSyscall, needle: &[u8]) -> bool {
    needle.is_empty() || raw.blobs.iter().any(|b| bytes_contain(&b.data, needle))
}

/// Whether `data` contains `needle`.
fn bytes_contain(data: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || data.windows(needle.len()).any(|w| w == needle)
}

/// `restart_syscall(<... resuming interrupted nanosleep ...>)`: what strace writes for the call
/// the kernel resumes, named after the task's previous call; `read` when none was seen (strace's
/// text for a call that was running when it attached).
fn resuming(tasks: &tasks::Tasks, sc: &mut Syscall) {
    if i64::from(sc.nr) != libc::SYS_restart_syscall {
        return;
    }
    let name = tasks
        .previous_call(sc.tid)
        .and_then(tables::by_nr)
        .map_or("read", |d| d.name);
    sc.args = vec![decode::model::Arg::sym(format!(
        "<... resuming interrupted {name} ...>"
    ))];
}

/// The stages after the source, for one output (see the module docs).
pub struct Pipeline {
    /// Events the ring buffer lost in the whole run (`-c` says its table is partial).
    lost_events: u64,
    pairer: Pairer,
    out: Output,
    opts: OutputOptions,
    fdtable: Option<FdTable>,
    clock: Clock,
    summary: Option<Summary>,
    /// The calls since the last stats record, with `-c` and `--stats-interval`.
    interval: Option<Summary>,
    /// Threads and processes, and what is kept for each.
    tasks: tasks::Tasks,
    /// Writes what is shown, in the output format asked for.
    emitter: Box<dyn emit::Emitter>,
    /// `--tls`: the socket fd each SSL object used last.
    ssl_sockets: tls::SslSockets,
    /// Masks secrets in every event first (None with `--no-redact`).
    redactor: Option<crate::redact::Redactor>,
    /// A held execve start of a non-leader thread and the events after it (`thread_exec`).
    exec_wait: Option<thread_exec::Waiting>,
    /// A signal held until the call that sent it is shown (effect after cause).
    senders: sender_wait::Senders,
    /// `-k`: the stacks of calls in progress (None without `-k`).
    stacks: Option<crate::stack::Stacks>,
    /// The frames of the call being written (empty but for that moment).
    shown_stack: Vec<crate::stack::Frame>,
    /// The launched command (`-b execve` detaches it).
    launched: detach::Launched,
    /// Leaders' ends held until their process's last thread ends (`leader_exit`).
    leader_exits: HashMap<u32, Exit>,
}

impl Pipeline {
    /// A pipeline that asks nothing of the running system (`Unknown`): for recordings and
    /// tests. A tracing session gives it the system with `with_host`.
    pub fn new(sinks: Sinks, opts: OutputOptions) -> Self {
        let detail = opts.fds.unwrap_or(Detail::PATHS);
        let redactor = opts.redact.then(Default::default);
        let fdtable = opts.follows_fds().then(|| {
            let mut t = FdTable::new(detail);
            if opts.annotates() {
                t.track_origins();
            }
            t
        });
        let emitter: Box<dyn emit::Emitter> = if opts.json {
            Box::new(json_lines::Json::new(opts.json_max_line))
        } else {
            Box::new(text::Text::default())
        };
        Self {
            pairer: Pairer::default(),
            out: Output::new(sinks),
            fdtable,
            clock: Clock::new(opts.stamps),
            summary: opts
                .summary
                .map(|s| Summary::new(s.columns.percentiles(), s.errnos)),
            interval: (opts.summary)
                .filter(|s| s.per_interval)
                .map(|s| Summary::new(s.columns.percentiles(), s.errnos)),
            tasks: tasks::Tasks::new(&opts, Box::new(Unknown)),
            emitter,
            stacks: opts.stack_traces.then(Default::default),
            opts,
            ssl_sockets: tls::SslSockets::default(),
            redactor,
            exec_wait: None,
            senders: sender_wait::Senders::default(),
            lost_events: 0,
            shown_stack: Vec::new(),
            launched: detach::Launched::default(),
            leader_exits: HashMap::new(),
        }
    }

    /// The running system the traced tasks live on: names and threads of processes, fd
    /// limits for `--annotate`.
    pub fn with_host(mut self, host: Box<dyn Host>) -> Self {
        self.tasks.set_host(host);
        self
    }

    /// Hands `f` the emitter and what it writes with.
    fn emit<R>(&mut self, f: impl FnOnce(&mut dyn emit::Emitter, &mut emit::Ctx<'_>) -> R) -> R {
        let mut cx = emit::Ctx {
            opts: &self.opts,
            out: &mut self.out,
            clock: &mut self.clock,
            fdtable: self.fdtable.as_ref(),
            tasks: &mut self.tasks,
            stack: &self.shown_stack,
        };
        f(self.emitter.as_mut(), &mut cx)
    }

    /// `tracer: process N attached` / `detached` on stderr, unless `-q` / `-e quiet=attach`.
    pub fn announce(&self, message: std::fmt::Arguments<'_>) {
        self.tasks.announce(message);
    }

    /// Tracing of process `tgid` starts: it and its threads count as live, and its
    /// descriptors are recorded as they are now.
    pub fn start(&mut self, tgid: u32) {
        self.start_with(tgid, false);
    }

    /// Tracing of a launched command held before its exec starts: as `start`, without the
    /// descriptors its exec closes.
    pub fn start_launched(&mut self, pid: u32) {
        self.launched.pid = Some(pid);
        self.start_with(pid, true);
    }

    fn start_with(&mut self, tgid: u32, before_exec: bool) {
        self.tasks.start(tgid);
        // A launched command still is tracer's own image, which its execve's stack is in.
        if let Some(s) = self.stacks.as_mut() {
            s.seen(tgid, self.tasks.host());
        }
        if let Some(t) = self.fdtable.as_mut() {
            t.snapshot(tgid, before_exec);
        }
    }

    /// `--comm` found process `tgid`: from now on it is traced as if attached.
    fn adopt(&mut self, tgid: u32, name: &str) -> Result<(), SinkError> {
        self.start(tgid);
        self.tasks.name_process(tgid, name);
        let shown = crate::format::quote::escaped(name.as_bytes());
        // Quiet with -q, as strace's `attached`.
        self.announce(format_args!("process {tgid} ({shown}) attached"));
        self.json_process("attach", tgid)
    }

    /// `-k`: a process's code mappings changed (its stacks from then on are named with them).
    pub fn mapped(&mut self, change: crate::event::MapEvent) {
        if let Some(s) = self.stacks.as_mut() {
            s.mapped(change);
        }
    }

    /// Traced processes still alive, as far as the trace says.
    pub fn live(&self) -> &HashSet<u32> {
        self.tasks.live()
    }

    /// A process is gone (its exit seen, or found missing when its exit record was lost):
    /// everything kept for it goes.
    pub fn forget(&mut self, tgid: u32) {
        self.release_leader_exit(tgid);
        self.tasks.forget(tgid);
        self.senders.forget(tgid);
        self.pairer.forget_process(tgid);
        self.ssl_sockets.forget(tgid);
        if let Some(s) = self.stacks.as_mut() {
            s.forget(tgid);
        }
        if let Some(t) = self.fdtable.as_mut() {
            t.exit(tgid);
        }
    }

    /// Takes one event from the source; what it shows is written (or held, for a call that
    /// may still be running) at once.
    pub fn handle(&mut self, mut event: RawEvent) -> Result<(), SinkError> {
        if let Some(r) = self.redactor.as_mut() {
            r.event(&mut event);
        }
        self.route(event)
    }

    fn dispatch(&mut self, event: RawEvent) -> Result<(), SinkError> {
        match &event {
            RawEvent::Syscall(raw) => self.tasks.seen(raw.tid, raw.tgid),
            RawEvent::Signal(sig) => self.tasks.seen(sig.tid, sig.tgid),
            _ => {}
        }
        match event {
            RawEvent::Lost { count } => {
                self.lost_events += count;
                if let Some(t) = self.fdtable.as_mut() {
                    t.lost();
                }
                self.emit(|e, cx| e.lost(cx, count))
            }
            RawEvent::Syscall(raw) if self.hidden_before_exec(&raw) => Ok(()),
            RawEvent::Syscall(raw) if raw.part == Part::Enter => self.call_started(raw),
            RawEvent::Syscall(raw) => match self.pairer.push(raw) {
                Some(mut raw) => {
                    self.tasks.date_restarted(&mut raw);
                    self.senders.ended(raw.tgid, raw.ts_exit);
                    let tid = raw.tid;
                    self.call_ended(&raw)?;
                    if let Some(errno) = self.launched.failed_errno.take() {
                        // After the exec's line, on a terminal too (stdout is buffered).
                        self.out.flush()?;
                        crate::note!("{}", launch_exec::failure_message(errno));
                    }
                    self.release_signals(tid)
                }
                None => Ok(()),
            },
            RawEvent::Fork(f) => {
                self.fork(f);
                Ok(())
            }
            RawEvent::Exit(e) => self.exit(e),
            RawEvent::Signal(s)
                if self.launched.pid == Some(s.tgid) && self.launched.exec.failed() =>
            {
                Ok(())
            }
            RawEvent::Signal(s) => self.signal(s),
            RawEvent::Adopt { tgid, name, .. } => self.adopt(tgid, &name),
            RawEvent::Tls(t) => self.tls(t),
            RawEvent::Stack(s) => {
                if let Some(stacks) = self.stacks.as_mut() {
                    stacks.sample(&s, self.tasks.host());
                }
                Ok(())
            }
            RawEvent::Detached(raw) => self.detached_at_exec(raw),
        }
    }

    /// A launched command's call after its exec failed: tracer's own code, hidden as strace
    /// hides it; the failure itself says `tracer: exec: ...` after the exec's line.
    fn hidden_before_exec(&mut self, raw: &RawSyscall) -> bool {
        if self.launched.pid != Some(raw.tgid) {
            return false;
        }
        let (hidden, failed) = self.launched.exec.step(raw);
        self.launched.failed_errno = failed.or(self.launched.failed_errno);
        hidden
    }

    /// The start of a call that may block (or whose input the kernel read at enter): printed
    /// now when starts are shown, so a waiting task shows what it waits in.
    fn call_started(&mut self, raw: RawSyscall) -> Result<(), SinkError> {
        let show = self.opts.shows_starts()
            && self.out.splits_lines()
            && self.opts.filter.shows_syscall(raw.nr)
            && (self.opts.every_start || tables::by_nr(raw.nr).is_some_and(SyscallDef::blocks));
        if show && thread_exec::Waiting::holds(&raw) {
            self.exec_wait = Some(thread_exec::Waiting::new(&raw));
            self.pairer.push(raw);
            return Ok(());
        }
        let tid = raw.tid;
        self.pairer.push(raw);
        if !show {
            return Ok(());
        }
        self.show_start(tid)
    }

    /// Prints the start of the call `tid` is in (its enter half, waiting in the pairer).
    fn show_start(&mut self, tid: u32) -> Result<(), SinkError> {
        let Some(enter) = self.pairer.pending_of(tid) else {
            return Ok(());
        };
        let mut sc = decode::decode(enter, &self.opts.decode);
        decode::as_shown(enter, &self.opts.decode, &mut sc);
        resuming(&self.tasks, &mut sc);
        let split = text::split_of(enter);
        let at = (enter.ts_enter, enter.ip);
        if let Some(t) = self.fdtable.as_mut() {
            t.started(&sc, enter);
            t.unname_foreign_fds(&mut sc);
        }
        self.emit(|e, cx| e.call_start(cx, &sc, split, at))
    }

    fn call_ended(&mut self, raw: &RawSyscall) -> Result<(), SinkError> {
        if is_child_return(raw) {
            return Ok(());
        }
        let selected = self.opts.filter.shows_syscall(raw.nr);
        // A call that never returns (exit_group) has no row, as in strace.
        if selected
            && !raw.no_return
            && self.opts.filter.long_enough(duration(raw))
            && let (Some(s), Some(o)) = (self.summary.as_mut(), self.opts.summary)
        {
            let took = duration(raw).unwrap_or(0);
            // strace's default: the time the call ran; -w: the time it took.
            let counted = if o.wall_clock {
                took
            } else {
                took.saturating_sub(raw.off_cpu)
            };
            let counted = counted.saturating_sub(o.overhead);
            s.count(raw.nr, raw.ret, counted);
            if let Some(i) = self.interval.as_mut() {
                i.count(raw.nr, raw.ret, counted);
            }
        }
        if let Some(stacks) = self.stacks.as_mut() {
            self.shown_stack = stacks.take(raw.tid).unwrap_or_default();
            let def = tables::by_nr(raw.nr);
            if let Some(def) = def {
                crate::stack::taken_at_entry(def, &mut self.shown_stack);
            }
            if crate::stack::changes_maps(raw) {
                stacks.changed(raw.tgid, def.is_some_and(SyscallDef::is_exec));
            }
        }
        if self.opts.quiet() && self.fdtable.is_none() {
            return Ok(());
        }
        let mut sc = decode::decode(raw, &self.opts.decode);
        resuming(&self.tasks, &mut sc);
        if let Some(t) = self.fdtable.as_mut() {
            t.prepare(&sc, raw);
            t.unname_foreign_fds(&mut sc);
        }
        let result = if selected && !self.opts.quiet() && self.wanted(&sc, raw) {
            if decode::shown_apart(raw.nr, &self.opts.decode) {
                // -e raw=, -e verbose=: printed otherwise; the fd table and -P used the
                // decoded call.
                let mut shown = sc.clone();
                decode::as_shown(raw, &self.opts.decode, &mut shown);
                self.emit(|e, cx| e.call(cx, &shown, raw))
            } else {
                self.emit(|e, cx| e.call(cx, &sc, raw))
            }
        } else {
            Ok(())
        };
        self.shown_stack.clear();
        if let Some(t) = self.fdtable.as_mut() {
            t.commit(&sc, raw);
        }
        self.tasks.learn(&sc, raw);
        result
    }

    /// The outcome, `--match` and `-P` filters.
    fn wanted(&self, sc: &Syscall, raw: &RawSyscall) -> bool {
        let f = &self.opts.filter;
        if !f.shows_outcome(&sc.ret) || !f.long_enough(duration(raw)) {
            return false;
        }
        if let Some(needle) = &self.opts.match_bytes
            && !data_contains(raw, needle)
        {
            return false;
        }
        if !f.by_path() {
            return true;
        }
        let table = self.fdtable.as_ref();
        let paths = tables::by_nr(sc.nr)
            .map(SyscallDef::path_args)
            .unwrap_or_default();
        f.touches_path(sc, &paths, |fd| table.and_then(|t| t.known(sc.tgid, fd)))
    }

    fn fork(&mut self, f: Fork) {
        self.tasks.fork(&f);
        if let Some(s) = self.stacks.as_mut().filter(|_| f.child_tgid != f.tgid) {
            s.fork(f.tgid, f.child_tgid, f.ts);
        }
        if let Some(t) = self.fdtable.as_mut() {
            t.fork(&f);
        }
    }

    /// Shows a task's end and forgets what was kept for it (`exit` decides when).
    fn exit_now(&mut self, e: Exit) -> Result<(), SinkError> {
        self.release_signals(e.tid)?;
        if let Some(s) = self.stacks.as_mut() {
            s.take(e.tid);
        }
        let mut shown_start = false;
        if let Some(old) = e.superseded_by {
            // The exec'ing thread goes on as the leader, under the leader's id: as in strace,
            // one task is left when the line is written. Its execve ends under the new id.
            let changed = format!(" <pid changed to {} ...>\n", e.tid);
            // With one file per task no start is shown before its end: the thread's file
            // still gets its execve's start, as strace's.
            if !self.out.splits_lines() {
                self.show_start(old)?;
            }
            shown_start = self.out.end_task_line(old, &changed)?;
            self.tasks.superseded(old);
            self.out.forget(old);
        }
        // strace's -e quiet=exit leaves the superseded line: quiet=thread-execve drops it.
        // As in strace, `-e signal=` decides the killed-by line, quiet=exit only the exited one.
        let sig = e.code & 0x7f;
        let quiet = match e.superseded_by {
            Some(_) => self.opts.quiet_set.thread_execve,
            None if sig == 0 => self.opts.quiet_set.exit,
            None => !self.opts.filter.shows_signal(sig),
        };
        let result = if self.opts.quiet() || quiet {
            Ok(())
        } else {
            self.emit(|em, cx| em.exit(cx, &e))
        };
        self.tasks.exited(&e);
        self.out.forget(e.tid);
        // A thread killed inside a call leaves its start behind; an exec's start made by
        // another thread goes on in this one.
        self.pairer.forget(e.tid);
        if let Some(old) = e.superseded_by {
            self.pairer.hand_over(old, e.tid);
            if shown_start {
                self.out.resume_in(e.tid);
            }
        }
        if e.group_dead {
            self.forget(e.tgid);
        }
        result
    }

    /// What the pipeline holds, for stats records.
    pub fn held(&self) -> Held {
        Held {
            processes: self.tasks.live().len(),
            tasks: self.tasks.threads(),
            fds: self.fdtable.as_ref().map_or(0, FdTable::fds),
            pending: self.pairer.pending(),
            ..Held::default()
        }
    }

    /// `attach` / `detach` records, for output formats that have them (JSON); text output
    /// says these on stderr only (`announce`).
    pub fn json_process(&mut self, action: &'static str, pid: u32) -> Result<(), SinkError> {
        self.emit(|e, cx| e.process(cx, action, pid))
    }

    /// The end of a batch of events: a started line still open is written out, the output
    /// flushed.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        if self
            .exec_wait
            .as_mut()
            .is_some_and(thread_exec::Waiting::overdue)
        {
            self.release_exec_wait()?;
        }
        if (self.senders.wait.as_mut()).is_some_and(sender_wait::SenderWait::overdue) {
            self.release_sender_wait()?;
        }
        self.out.flush()
    }

    /// Tracing stops: a call still running ends its line with ` <detached ...>`.
    pub fn detached(&mut self) -> Result<(), SinkError> {
        self.release_held()?;
        self.out.detach_open()
    }

    /// SIGHUP: writes on in freshly opened output files.
    pub fn reopen(&mut self) -> Result<(), SinkError> {
        self.out.reopen()
    }
}

#[cfg(test)]
mod tests;
