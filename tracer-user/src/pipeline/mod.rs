//! The userspace stages after the source: pair → decode → fdtable → format → sink, plus the
//! filters that decide what is shown and the summary (`-c`).

mod annotate;
mod comms;
mod json_lines;
mod output;
mod tls;

use std::collections::{HashMap, HashSet};

pub use output::{Open, Output, Sinks};

use crate::{
    decode::{self, DecodeOptions, Syscall},
    event::{Exit, Fork, Part, RawEvent, RawSyscall, Signal},
    fdtable::{Detail, FdNames, FdTable},
    filter::{Filter, expr::QuietSet},
    format::{
        dump::{self, Dumps},
        quote::Style,
        stamp::{self, Clock, StampMode},
        strace::{self, Column, Prefix, Split, TextOptions},
    },
    pair::Pairer,
    sink::SinkError,
    stats::{Held, Stats},
    summary::{Columns, SortBy, Summary},
    tables::args,
};

/// `-c` / `-C`.
#[derive(Debug, Clone, Copy)]
pub struct SummaryOptions {
    pub sort: SortBy,
    /// `-c`: the summary instead of the trace.
    pub only: bool,
    /// `-w`: count the time from entry to exit, not only the time on CPU.
    pub wall_clock: bool,
    /// `-U`.
    pub columns: Columns,
    /// `-O`: nanoseconds taken off each call's time.
    pub overhead: u64,
}

/// What the user asked for, as far as the output is concerned.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub decode: DecodeOptions,
    /// `-x` / `-xx`.
    pub quote: Style,
    /// `-y` / `-yy`: fds are shown with what they refer to.
    pub fds: Option<Detail>,
    /// Every line carries its pid (strace does this with `-f -o FILE`).
    pub always_prefix: bool,
    pub filter: Filter,
    /// `-t`, `-tt`, `-ttt`, `-r`.
    pub stamps: StampMode,
    /// `-a`: where the return value is aligned.
    pub column: Column,
    /// `-n`: `[  59] ` before each line, the task's syscall number.
    pub syscall_number: bool,
    /// `-q`, `-e quiet=`: which informational messages are left out.
    pub quiet_set: QuietSet,
    /// `-T`, at its precision.
    pub durations: Option<stamp::Precision>,
    pub summary: Option<SummaryOptions>,
    /// `--annotate`: notes on fd origins and fd limits after lines.
    pub annotate: bool,
    /// `--match`: only calls whose captured data contains these bytes (annotated).
    pub match_bytes: Option<Vec<u8>>,
    /// `--json`: JSON lines instead of strace's text.
    pub json: bool,
    /// Mask secrets (PostgreSQL password messages) in captured data; `--no-redact` clears it.
    pub redact: bool,
    /// Every call's start may be shown (the source reports them all: see
    /// `CaptureOptions::every_start`), not only those of calls that may block.
    pub every_start: bool,
    /// `-e read=`, `-e write=`: hex dumps of the data after the line.
    pub dumps: Dumps,
    /// `-Y`: pids are followed by the process's name.
    pub comms: bool,
}

impl OutputOptions {
    /// What the kernel should record. With -c/-C every outcome is counted (strace 6.1 counts
    /// the calls -z/-Z leave out of the trace), so none is dropped there.
    pub fn kernel_selection(&self) -> crate::filter::KernelSelection {
        let mut selection = self.filter.kernel_selection(self.follows_fds());
        if self.summary.is_some() {
            selection.status_drop = 0;
        }
        if self.comms {
            selection.keep_syscalls(comms::RENAMING);
        }
        selection
    }

    /// Whether the fd table must be kept (to show fds, or to match them against `-P`).
    pub fn follows_fds(&self) -> bool {
        self.fds.is_some() || self.filter.by_path() || self.annotates()
    }

    /// Whether lines get tracer's notes.
    pub fn annotates(&self) -> bool {
        self.annotate || self.match_bytes.is_some()
    }

    /// Whether the kernel must account the time syscalls spend off CPU (`-c` without `-w`).
    pub fn needs_cpu_time(&self) -> bool {
        self.summary.is_some_and(|s| !s.wall_clock)
    }

    /// Whether calls need their entry time (and so a visit at sys_enter).
    pub fn needs_entry_times(&self) -> bool {
        self.json
            || self.durations.is_some()
            || self.summary.is_some()
            || self.stamps != StampMode::None
            || self.filter.min_duration > 0
    }

    /// Whether no trace lines are printed (`-c`).
    pub fn quiet(&self) -> bool {
        self.summary.is_some_and(|s| s.only)
    }

    /// Whether a blocking call's line is printed when it starts (and so may be cut by other
    /// tasks' lines). Not when lines are filtered on their outcome or their fds, which are
    /// only known at the end: strace also holds such lines back whole.
    pub fn shows_starts(&self) -> bool {
        !self.quiet()
            && !self.json
            && self.filter.status.is_all()
            && self.filter.min_duration == 0
            && !self.filter.by_path()
            && self.match_bytes.is_none()
    }
}

/// x86_64 numbers of clone, fork, vfork and clone3.
const FORKS: [u32; 4] = [56, 57, 58, 435];

/// A new task "returning" 0 from the fork that created it: it never entered the call, and
/// strace does not show it.
fn is_child_return(raw: &RawSyscall) -> bool {
    raw.no_enter && raw.ret == 0 && FORKS.contains(&raw.nr)
}

/// Where strace splits `name`'s line when it is cut (computed once per syscall number).
/// How `raw`'s line splits. clone3's depends on its flags (see `clone3_writes_back`).
fn split_of(name: &str, raw: &RawSyscall) -> Split {
    if name == "clone3" && !decode::process::clone3_writes_back(raw) {
        return Split {
            at_entry: 2,
            comma_at_exit: false,
        };
    }
    split_for(name)
}

fn split_for(name: &str) -> Split {
    static SPLITS: std::sync::LazyLock<HashMap<&'static str, Split>> =
        std::sync::LazyLock::new(|| {
            crate::tables::all()
                .iter()
                .map(|d| (d.name, compute_split(d.name)))
                .collect()
        });
    SPLITS.get(name).copied().unwrap_or(Split::ALL)
}

fn compute_split(name: &str) -> Split {
    match name {
        // The labelled arguments after the flags are printed when the call returns.
        "clone" => Split {
            at_entry: 2,
            comma_at_exit: true,
        },
        "clone3" => Split {
            at_entry: 1,
            comma_at_exit: true,
        },
        _ => match args::first_output(name) {
            Some(i) => Split {
                at_entry: i,
                comma_at_exit: false,
            },
            None => Split::ALL,
        },
    }
}

/// What a text line names: fds when they are shown (`-y`), processes with `-Y`.
fn names<'a>(
    opts: &OutputOptions,
    table: Option<&'a FdTable>,
    tasks: Option<&'a comms::TaskNames>,
) -> comms::Names<'a> {
    comms::Names {
        fds: opts.fds.and(table),
        tasks,
    }
}

/// The fd namer for formatting, when fds are shown.
fn shown_fds<'a>(opts: &OutputOptions, table: Option<&'a FdTable>) -> Option<&'a dyn FdNames> {
    if opts.fds.is_some() {
        table.map(|t| t as &dyn FdNames)
    } else {
        None
    }
}

/// Time spent in a call, when both ends were seen.
fn duration(raw: &RawSyscall) -> Option<u64> {
    stamp::duration_ns(raw.ts_enter, raw.ts_exit, raw.no_return)
}

/// What ends a call's line: `-T`, the annotations, the newline.
struct LineEnd<'a> {
    opts: &'a OutputOptions,
    table: Option<&'a FdTable>,
    clock: &'a Clock,
}

impl LineEnd<'_> {
    fn write(&self, sc: &Syscall, raw: &RawSyscall, line: &mut String) {
        if let Some(precision) = self.opts.durations
            && let Some(d) = duration(raw)
        {
            stamp::duration_into(d, precision, line);
        }
        if self.opts.annotates() {
            annotate::annotations(sc, self.table, self.clock, line);
        }
        line.push('\n');
        dump::io_into(raw, &self.opts.dumps, line);
    }
}

/// Whether any captured data of the call contains `needle`.
fn data_contains(raw: &RawSyscall, needle: &[u8]) -> bool {
    needle.is_empty() || raw.blobs.iter().any(|b| bytes_contain(&b.data, needle))
}

/// Whether `data` contains `needle`.
fn bytes_contain(data: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || data.windows(needle.len()).any(|w| w == needle)
}

pub struct Pipeline {
    pairer: Pairer,
    out: Output,
    line: String,
    opts: OutputOptions,
    quote: Style,
    fdtable: Option<FdTable>,
    clock: Clock,
    summary: Option<Summary>,
    /// Live tasks (threads): strace prefixes lines with `[pid N]` while there is more than one.
    tasks: HashSet<u32>,
    /// Traced processes that have not exited.
    live: HashSet<u32>,
    /// Signals held until their task's current call ends.
    deferred: HashMap<u32, Vec<Signal>>,
    /// Command names by process, for JSON.
    names: HashMap<u32, std::rc::Rc<str>>,
    /// `-n`: each task's latest syscall number (strace shows it on signal and exit lines too).
    last_nr: HashMap<u32, u32>,
    /// `-Y`: each task's name, from the trace.
    task_names: Option<comms::TaskNames>,
    /// `--tls`: the socket fd each SSL object used last, by process and `SSL *`.
    tls_fds: HashMap<(u32, u64), i32>,
    /// Syscall lines written.
    pub written: u64,
    /// Masks secrets in every event first (None with `--no-redact`).
    redactor: Option<crate::redact::Redactor>,
}

impl Pipeline {
    pub fn new(sinks: Sinks, opts: OutputOptions) -> Self {
        let detail = opts.fds.unwrap_or(Detail::Paths);
        let redactor = opts.redact.then(Default::default);
        let fdtable = opts.follows_fds().then(|| {
            let mut t = FdTable::new(detail);
            if opts.annotates() {
                t.track_origins();
            }
            t
        });
        Self {
            pairer: Pairer::default(),
            out: Output::new(sinks),
            line: String::with_capacity(512),
            quote: opts.quote,
            fdtable,
            clock: Clock::new(opts.stamps),
            deferred: HashMap::new(),
            names: HashMap::new(),
            last_nr: HashMap::new(),
            task_names: opts.comms.then(Default::default),
            summary: opts.summary.map(|s| Summary::new(s.columns.percentiles())),
            opts,
            tasks: HashSet::new(),
            live: HashSet::new(),
            tls_fds: HashMap::new(),
            written: 0,
            redactor,
        }
    }

    /// `tracer: process N attached` / `detached` on stderr, unless `-q` / `-e quiet=attach`.
    pub fn announce(&self, message: std::fmt::Arguments<'_>) {
        if !self.opts.quiet_set.attach {
            crate::note!("tracer: {message}");
        }
    }

    /// Tracing of process `tgid` starts: it and its threads count as live, and its
    /// descriptors are recorded as they are now.
    pub fn start(&mut self, tgid: u32) {
        self.start_with(tgid, false);
    }

    /// Tracing of a launched command held before its exec starts: as `start`, without the
    /// descriptors its exec closes.
    pub fn start_launched(&mut self, pid: u32) {
        self.start_with(pid, true);
    }

    fn start_with(&mut self, tgid: u32, before_exec: bool) {
        self.live.insert(tgid);
        let mut tasks = vec![tgid];
        if let Ok(dir) = std::fs::read_dir(format!("/proc/{tgid}/task")) {
            tasks.extend(
                dir.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok()),
            );
        }
        if let Some(n) = self.task_names.as_mut() {
            tasks.iter().for_each(|&tid| n.seed(tid));
        }
        self.tasks.extend(tasks);
        if let Some(t) = self.fdtable.as_mut() {
            t.snapshot(tgid, before_exec);
        }
    }

    /// `--comm` found process `tgid`: from now on it is traced as if attached.
    fn adopt(&mut self, tgid: u32, name: &str) -> Result<(), SinkError> {
        self.start(tgid);
        self.names.insert(tgid, std::rc::Rc::from(name));
        let shown = crate::format::quote::escaped(name.as_bytes());
        crate::note!("tracer: process {tgid} ({shown}) attached");
        self.json_process("attach", tgid)
    }

    /// Traced processes still alive, as far as the trace says.
    pub fn live(&self) -> &HashSet<u32> {
        &self.live
    }

    /// A process is gone (its exit seen, or found missing when its exit record was lost):
    /// everything kept for it goes.
    pub fn forget(&mut self, tgid: u32) {
        self.live.remove(&tgid);
        self.names.remove(&tgid);
        self.tls_fds.retain(|(pid, _), _| *pid != tgid);
        if let Some(t) = self.fdtable.as_mut() {
            t.exit(tgid);
        }
    }

    fn text_options(&self) -> TextOptions {
        let prefix = if self.opts.always_prefix {
            Prefix::Plain
        } else if self.out.splits_lines() && self.tasks.len() > 1 {
            Prefix::Bracket
        } else {
            Prefix::None
        };
        TextOptions {
            prefix,
            quote: self.quote,
            column: self.opts.column,
            comms: self.opts.comms,
        }
    }

    /// Starts a line: the pid prefix, the timestamp, and with `-n` the syscall number (`nr`,
    /// or for a signal or exit line the task's latest).
    fn lead(&mut self, tid: u32, ts: u64, nr: Option<u32>, text: &TextOptions) {
        self.line.clear();
        let comm = self.task_names.as_ref().and_then(|n| n.of(tid));
        strace::prefix_comm_into(text.prefix, tid, comm, text.quote, &mut self.line);
        self.clock.stamp_into(ts, &mut self.line);
        if self.opts.syscall_number {
            if let Some(nr) = nr {
                self.last_nr.insert(tid, nr);
            }
            let shown = self.last_nr.get(&tid).copied().unwrap_or(0);
            self.line.push_str(&format!("[{shown:4}] "));
        }
    }

    pub fn handle(&mut self, mut event: RawEvent) -> Result<(), SinkError> {
        if let Some(r) = self.redactor.as_mut() {
            r.event(&mut event);
        }
        match event {
            RawEvent::Lost { count } => {
                self.line.clear();
                strace::lost_line(count, &mut self.line);
                if self.opts.json {
                    let message = std::mem::take(&mut self.line);
                    return self.json_lost(count, &message);
                }
                self.out.line(None, &self.line)
            }
            RawEvent::Syscall(raw) if raw.part == Part::Enter => self.call_started(raw),
            RawEvent::Syscall(raw) => match self.pairer.push(raw) {
                Some(raw) => {
                    let tid = raw.tid;
                    self.call_ended(&raw)?;
                    self.release_signals(tid)
                }
                None => Ok(()),
            },
            RawEvent::Fork(f) => {
                self.fork(f);
                Ok(())
            }
            RawEvent::Exit(e) => self.exit(e),
            RawEvent::Signal(s) => self.signal(s),
            RawEvent::Adopt { tgid, name, .. } => self.adopt(tgid, &name),
            RawEvent::Tls(t) => self.tls(t),
        }
    }

    /// `--- SIGCHLD {...} ---`, unless `-e signal=` leaves it out. An ignored signal that
    /// came while its task was in a syscall waits for that call's line (strace sees it then).
    fn signal(&mut self, s: Signal) -> Result<(), SinkError> {
        if self.opts.quiet() || !self.opts.filter.shows_signal(s.sig) {
            return Ok(());
        }
        if s.after_call {
            self.deferred.entry(s.tid).or_default().push(s);
            return Ok(());
        }
        self.signal_line(s)
    }

    /// `--- stopped by SIGSTOP ---`: the task entered a group stop.
    fn stopped_line(&mut self, s: Signal) -> Result<(), SinkError> {
        let text = self.text_options();
        if self.opts.json {
            let mut message = String::new();
            strace::stopped_line(s.sig, &mut message);
            return self.json_stopped(&s, &message);
        }
        self.lead(s.tid, s.ts, None, &text);
        strace::stopped_line(s.sig, &mut self.line);
        self.out.line(Some(s.tid), &self.line)
    }

    fn signal_line(&mut self, s: Signal) -> Result<(), SinkError> {
        if s.group_stop {
            return self.stopped_line(s);
        }
        let info = decode::siginfo::siginfo(s.sig, s.info.as_ref().map(|i| i.as_slice()));
        let text = self.text_options();
        if self.opts.json {
            let mut message = String::new();
            strace::signal_line(&info, s.sig, &text, None, &mut message);
            return self.json_signal(&s, &info, &message);
        }
        self.lead(s.tid, s.ts, None, &text);
        let names = names(&self.opts, self.fdtable.as_ref(), self.task_names.as_ref());
        strace::signal_line(&info, s.sig, &text, Some(&names), &mut self.line);
        self.out.line(Some(s.tid), &self.line)
    }

    /// The start of a call that may block (or whose input the kernel read at enter): printed
    /// now when starts are shown, so a waiting task shows what it waits in.
    fn call_started(&mut self, raw: RawSyscall) -> Result<(), SinkError> {
        let show = self.opts.shows_starts()
            && self.out.splits_lines()
            && self.opts.filter.shows_syscall(raw.nr)
            && (self.opts.every_start
                || crate::tables::by_nr(raw.nr).is_some_and(|d| args::BLOCKING.contains(&d.name)));
        let (tid, ts) = (raw.tid, raw.ts_enter);
        self.pairer.push(raw);
        if !show {
            return Ok(());
        }
        let Some((sc, split)) = self.pairer.pending_of(tid).map(|enter| {
            let mut sc = decode::decode(enter, &self.opts.decode);
            decode::undecode_if_raw(enter, &self.opts.decode, &mut sc);
            let split = split_of(&sc.name, enter);
            (sc, split)
        }) else {
            return Ok(());
        };
        let text = self.text_options();
        self.lead(tid, ts, Some(sc.nr), &text);
        let lead = self.line.len();
        let names = names(&self.opts, self.fdtable.as_ref(), self.task_names.as_ref());
        let fds = Some(&names as &dyn FdNames);
        strace::call_start(&sc, split, &text, fds, &mut self.line);
        self.out.start(Open {
            tid,
            text: self.line.clone(),
            lead,
            written: false,
        })
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
            let failed = decode::is_error(raw.ret);
            let took = duration(raw).unwrap_or(0);
            // strace's default: the time the call ran; -w: the time it took.
            let counted = if o.wall_clock {
                took
            } else {
                took.saturating_sub(raw.off_cpu)
            };
            s.add(raw.nr, failed, counted.saturating_sub(o.overhead));
        }
        if self.opts.quiet() && self.fdtable.is_none() {
            return Ok(());
        }
        let sc = decode::decode(raw, &self.opts.decode);
        if let Some(t) = self.fdtable.as_mut() {
            t.prepare(&sc, raw);
        }
        let result = if selected && !self.opts.quiet() && self.wanted(&sc, raw) {
            self.written += 1;
            if self.opts.decode.raw.contains(raw.nr) {
                // -e raw=: printed undecoded; the fd table and -P used the decoded call.
                let mut shown = sc.clone();
                decode::undecode_if_raw(raw, &self.opts.decode, &mut shown);
                self.write_call(&shown, raw)
            } else {
                self.write_call(&sc, raw)
            }
        } else {
            Ok(())
        };
        if let Some(t) = self.fdtable.as_mut() {
            t.commit(&sc, raw);
        }
        if let Some(n) = self.task_names.as_mut() {
            n.learn(&sc, raw);
        }
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
        let paths = args::path_args(&sc.name);
        f.touches_path(sc, &paths, |fd| table.and_then(|t| t.describe(sc.tgid, fd)))
    }

    /// Prints a finished call: the end of its open line, a resumed line if its line was cut,
    /// or a whole line.
    fn write_call(&mut self, sc: &Syscall, raw: &RawSyscall) -> Result<(), SinkError> {
        if self.opts.json {
            return self.json_call(sc, raw);
        }
        let text = self.text_options();
        let tid = sc.tid;
        let split = split_of(&sc.name, raw);
        if let Some(open) = self.out.take_open(tid) {
            let names = names(&self.opts, self.fdtable.as_ref(), self.task_names.as_ref());
            let fds = Some(&names as &dyn FdNames);
            let end = LineEnd {
                opts: &self.opts,
                table: self.fdtable.as_ref(),
                clock: &self.clock,
            };
            let mut line = open.text;
            if open.written {
                // The start is out: complete it.
                let started = line.len();
                strace::call_end(sc, split, &text, fds, 0, &mut line);
                end.write(sc, raw, &mut line);
                return self.out.line(Some(tid), &line[started..]);
            }
            // It ended in the same batch: one whole line, from the complete record.
            line.truncate(open.lead);
            strace::call_start(sc, Split::ALL, &text, fds, &mut line);
            strace::call_end(sc, Split::ALL, &text, fds, 0, &mut line);
            end.write(sc, raw, &mut line);
            return self.out.line(Some(tid), &line);
        }
        let resumed = self.out.take_cut(tid) || sc.resumed;
        let ts = if resumed || raw.ts_enter == 0 {
            raw.ts_exit
        } else {
            raw.ts_enter
        };
        self.lead(tid, ts, Some(raw.nr), &text);
        let mut line = std::mem::take(&mut self.line);
        let names = names(&self.opts, self.fdtable.as_ref(), self.task_names.as_ref());
        let fds = Some(&names as &dyn FdNames);
        if resumed {
            strace::resumed_into(&sc.name, &mut line);
            let split = if sc.resumed { Split::ALL } else { split };
            strace::call_end(sc, split, &text, fds, 0, &mut line);
        } else {
            strace::call_start(sc, Split::ALL, &text, fds, &mut line);
            strace::call_end(sc, Split::ALL, &text, fds, 0, &mut line);
        }
        let end = LineEnd {
            opts: &self.opts,
            table: self.fdtable.as_ref(),
            clock: &self.clock,
        };
        end.write(sc, raw, &mut line);
        let result = self.out.line(Some(tid), &line);
        self.line = line;
        result
    }

    fn fork(&mut self, f: Fork) {
        // strace -f says `Process N attached` for each new task it follows (threads too).
        if self.tasks.insert(f.child_tid) {
            self.announce(format_args!("process {} attached", f.child_tid));
        }
        if let Some(n) = self.task_names.as_mut() {
            n.fork(f.tid, f.child_tid);
        }
        if f.child_tgid != f.tgid {
            self.live.insert(f.child_tgid);
        }
        if let Some(t) = self.fdtable.as_mut() {
            t.fork(f.tgid, f.child_tgid);
        }
    }

    /// Prints the signals held for `tid`.
    fn release_signals(&mut self, tid: u32) -> Result<(), SinkError> {
        if self.deferred.is_empty() {
            return Ok(());
        }
        for s in self.deferred.remove(&tid).unwrap_or_default() {
            self.signal_line(s)?;
        }
        Ok(())
    }

    fn exit(&mut self, e: Exit) -> Result<(), SinkError> {
        self.release_signals(e.tid)?;
        if let Some(old) = e.superseded_by {
            // The exec'ing thread goes on as the leader, under the leader's id: as in strace,
            // one task is left when the line is written. Its execve ends under the new id.
            let changed = format!(" <pid changed to {} ...>\n", e.tid);
            self.out.end_open(Some(old), &changed)?;
            self.tasks.remove(&old);
            self.out.forget(old);
            self.pairer.forget(old);
            self.deferred.remove(&old);
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
        } else if self.opts.json {
            let mut message = String::new();
            strace::exit_line(e.code, e.superseded_by, &mut message);
            self.json_exit(&e, &message)
        } else {
            let text = self.text_options();
            self.lead(e.tid, e.ts, None, &text);
            strace::exit_line(e.code, e.superseded_by, &mut self.line);
            self.out.line(Some(e.tid), &self.line)
        };
        if e.superseded_by.is_none() {
            self.tasks.remove(&e.tid);
        }
        self.out.forget(e.tid);
        // A thread killed inside a call leaves its start and held signals behind.
        self.pairer.forget(e.tid);
        self.deferred.remove(&e.tid);
        self.last_nr.remove(&e.tid);
        if let Some(n) = self.task_names.as_mut() {
            n.exit(e.tid, e.tgid);
        }
        if e.group_dead {
            self.forget(e.tgid);
        }
        result
    }

    /// What the pipeline holds, for stats records.
    pub fn held(&self) -> Held {
        Held {
            processes: self.live.len(),
            tasks: self.tasks.len(),
            fds: self.fdtable.as_ref().map_or(0, FdTable::fds),
            pending: self.pairer.pending(),
            ..Held::default()
        }
    }

    /// A stats record (`--stats-interval`).
    pub fn stats(&mut self, s: &Stats) -> Result<(), SinkError> {
        if self.opts.json {
            return self.json_stats(s);
        }
        self.line.clear();
        s.text_into(&mut self.line);
        self.out.line(None, &self.line)
    }

    /// Prints the `-c` / `-C` table, if one was asked for.
    pub fn finish_summary(&mut self) -> Result<(), SinkError> {
        let (Some(summary), Some(opts)) = (self.summary.as_ref(), self.opts.summary) else {
            return Ok(());
        };
        let mut text = String::new();
        summary.render(opts.sort, &opts.columns, &mut text);
        if self.opts.json {
            let table = summary.table(opts.sort);
            return self.json_summary(&table, &text);
        }
        self.out.line(None, &text)
    }

    pub fn flush(&mut self) -> Result<(), SinkError> {
        self.out.flush()
    }

    /// Tracing stops: a call still running ends its line with ` <detached ...>`.
    pub fn detached(&mut self) -> Result<(), SinkError> {
        self.out.detach_open()
    }

    /// SIGHUP: writes on in freshly opened output files.
    pub fn reopen(&mut self) -> Result<(), SinkError> {
        self.out.reopen()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        event::Blob,
        sink::{Memory, Sink},
    };

    fn call(part: Part, tid: u32, nr: u32, ret: i64, blobs: Vec<Blob>) -> RawEvent {
        RawEvent::Syscall(RawSyscall {
            part,
            no_enter: false,
            no_return: false,
            has_enter_record: part == Part::Complete && nr == 0,
            ts_enter: 10,
            ts_exit: 20,
            tgid: 1,
            tid,
            nr,
            ret,
            args: [3, 0x1000, 16, 0, 0, 0],
            off_cpu: 0,
            blobs,
        })
    }

    fn pipeline(buf: &Memory) -> Pipeline {
        let mut p = Pipeline::new(
            Sinks::One(Sink::new(Box::new(buf.clone()))),
            OutputOptions::default(),
        );
        p.tasks.extend([1, 2]);
        p
    }

    #[test]
    fn a_blocked_call_is_cut_by_another_tasks_line_and_resumed() {
        let buf = Memory::default();
        let mut p = pipeline(&buf);
        let data = Blob {
            arg: 1,
            kind: tracer_common::CAP_BUF_RET,
            truncated: false,
            faulted: false,
            at_enter: false,
            data: b"hi".to_vec(),
        };
        p.handle(call(Part::Enter, 1, 0, 0, vec![])).expect("ok");
        // The batch ends with tid 1 still in read: its start is written.
        p.flush().expect("ok");
        p.handle(call(Part::Complete, 2, 3, 0, vec![])).expect("ok");
        p.handle(call(Part::Complete, 1, 0, 2, vec![data]))
            .expect("ok");
        p.flush().expect("ok");
        assert_eq!(
            buf.text(),
            "[pid     1] read(3,  <unfinished ...>\n\
             [pid     2] close(3)                    = 0\n\
             [pid     1] <... read resumed>\"hi\", 16) = 2\n"
        );
    }

    #[test]
    fn the_summary_counts_time_on_cpu_unless_wall_clock() {
        for (wall_clock, expected) in [(false, "0.000004"), (true, "0.000010")] {
            let buf = Memory::default();
            let opts = OutputOptions {
                summary: Some(SummaryOptions {
                    sort: SortBy::default(),
                    only: true,
                    wall_clock,
                    columns: Columns::default(),
                    overhead: 0,
                }),
                ..OutputOptions::default()
            };
            let mut p = Pipeline::new(Sinks::One(Sink::new(Box::new(buf.clone()))), opts);
            // 10 us from entry to exit, 6 of them off CPU.
            let mut read = call(Part::Complete, 1, 0, 0, vec![]);
            if let RawEvent::Syscall(raw) = &mut read {
                raw.has_enter_record = false;
                raw.ts_exit = raw.ts_enter + 10_000;
                raw.off_cpu = 6_000;
            }
            p.handle(read).expect("ok");
            p.finish_summary().expect("ok");
            p.flush().expect("ok");
            let text = buf.text();
            let row = text
                .lines()
                .find(|l| l.ends_with(" read"))
                .expect("read row");
            assert_eq!(row.split_whitespace().nth(1), Some(expected), "{text}");
        }
    }

    #[test]
    fn a_call_that_ends_in_the_same_batch_is_one_line() {
        let buf = Memory::default();
        let mut p = pipeline(&buf);
        p.handle(call(Part::Enter, 1, 0, 0, vec![])).expect("ok");
        p.handle(call(Part::Complete, 1, 0, 0, vec![])).expect("ok");
        p.flush().expect("ok");
        assert_eq!(
            buf.text(),
            "[pid     1] read(3, \"\", 16)             = 0\n"
        );
    }
}
