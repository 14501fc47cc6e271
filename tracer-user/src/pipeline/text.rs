//! The text emitter: strace's lines. A line starts with the pid prefix, the timestamp and
//! with `-n` the syscall number; a call cut by another task's line ends later as
//! `<... name resumed>` (see `output`); `-T`, the annotations and `-e read=`/`write=` dumps
//! follow the call.

use crate::{
    decode::{self, Arg, Syscall},
    event::{Exit, RawSyscall, Signal, TlsCall},
    fdtable::FdNames,
    format::{
        dump, stamp,
        strace::{self, Split},
        text_options::TextOptions,
    },
    pipeline::{
        Open,
        emit::{Ctx, Emitter, Table},
    },
    sink::SinkError,
    summary::stats::Stats,
    tables::{
        self,
        args::{ArgKind, StructKind},
    },
};

/// Whose line, when, and where its task was (`-i`; None: unknown, as for an exit).
struct At {
    tid: u32,
    ts: u64,
    ip: Option<u64>,
}

/// Writes strace's text.
#[derive(Debug)]
pub struct Text {
    /// The line being built (kept to reuse its buffer).
    line: String,
}

impl Default for Text {
    fn default() -> Self {
        Self {
            line: String::with_capacity(512),
        }
    }
}

/// Where strace splits `raw`'s line when it is cut: before the first argument the kernel
/// writes, or where the row says (clone's labelled arguments after the flags are printed when
/// it returns). clone3's depends on its flags (see `clone3_writes_back`).
pub fn split_of(raw: &RawSyscall) -> Split {
    let Some(def) = tables::by_nr(raw.nr) else {
        return Split::ALL;
    };
    if let Some(at_entry) = def.split_at {
        let clone_args = matches!(def.arg(0), Some(ArgKind::In(StructKind::CloneArgs(_))));
        if clone_args && !decode::process::clone3_writes_back(raw) {
            return Split {
                at_entry: 2,
                comma_at_exit: false,
            };
        }
        return Split {
            at_entry: usize::from(at_entry),
            comma_at_exit: true,
        };
    }
    match def.first_output() {
        Some(i) => Split {
            at_entry: i,
            comma_at_exit: false,
        },
        None => Split::ALL,
    }
}

/// A call's line from `split` on: the arguments printed at the end, `)` and the return value;
/// for a call its task died inside (`unfinished`), strace's ` <unfinished ...>) = ?`.
fn call_end(
    (sc, split, unfinished): (&Syscall, Split, bool),
    text: &TextOptions,
    fds: Option<&dyn FdNames>,
    line: &mut String,
) {
    if unfinished {
        strace::call_end_unfinished(sc, split, text, fds, 0, line);
    } else {
        strace::call_end(sc, split, text, fds, 0, line);
    }
}

/// The whole line of a call, from its name on (see `call_end`).
fn whole_call(
    (sc, split, unfinished): (&Syscall, Split, bool),
    text: &TextOptions,
    fds: Option<&dyn FdNames>,
    line: &mut String,
) {
    let split = if unfinished { split } else { Split::ALL };
    strace::call_start(sc, split, text, fds, line);
    call_end((sc, split, unfinished), text, fds, line);
}

/// What ends a call's line: `-T`, the annotations, the newline, the dumps.
fn end_line(cx: &Ctx<'_>, sc: &Syscall, raw: &RawSyscall, line: &mut String) {
    if let Some(precision) = cx.opts.durations
        && let Some(d) = super::duration(raw)
    {
        stamp::duration_into(d, precision, line);
    }
    cx.annotations(sc, line);
    line.push('\n');
    dump::io_into(raw, &cx.opts.dumps, line);
    // strace prints the stack after the dumps.
    for frame in cx.stack {
        frame.text_into(line);
    }
}

impl Text {
    /// Starts a line: the pid prefix, the timestamp, with `-n` the syscall number (`nr`, or
    /// for a signal or exit line the task's latest) and with `-i` the instruction pointer.
    fn lead(&mut self, cx: &mut Ctx<'_>, at: At, nr: Option<u32>, text: &TextOptions) {
        let At { tid, ts, ip } = at;
        self.line.clear();
        let comm = cx.tasks.comm(tid);
        strace::prefix_comm_into(text.prefix, tid, comm, text.quote, &mut self.line);
        cx.clock.stamp_into(ts, &mut self.line);
        if cx.opts.syscall_number {
            let shown = cx.tasks.syscall_number(tid, nr);
            self.line.push_str(&crate::tables::number_shown(shown));
            self.line.push(' ');
        }
        if cx.opts.instruction_pointer {
            stamp::instruction_pointer_into(ip, &mut self.line);
        }
    }

    /// Writes the line built, for `tid` (None: about no task).
    fn write(&mut self, cx: &mut Ctx<'_>, tid: Option<u32>) -> Result<(), SinkError> {
        cx.out.line(tid, &self.line)
    }
}

impl Emitter for Text {
    fn call_start(
        &mut self,
        cx: &mut Ctx<'_>,
        sc: &Syscall,
        split: Split,
        (ts, ip): (u64, Option<u64>),
    ) -> Result<(), SinkError> {
        let text = cx.text_options();
        let tid = sc.tid;
        self.lead(cx, At { tid, ts, ip }, Some(sc.nr), &text);
        let lead = self.line.len();
        let names = cx.names();
        let fds = Some(&names as &dyn FdNames);
        strace::call_start(sc, split, &text, fds, &mut self.line);
        cx.out.start(Open {
            tid,
            text: self.line.clone(),
            lead,
            written: false,
        })
    }

    /// The end of its open line, a resumed line if its line was cut, or a whole line.
    fn call(&mut self, cx: &mut Ctx<'_>, sc: &Syscall, raw: &RawSyscall) -> Result<(), SinkError> {
        let text = cx.text_options();
        let tid = sc.tid;
        let split = split_of(raw);
        // Killed inside a call that has arguments to print at its end (exit_group and the
        // like have none).
        let unfinished = raw.no_return && split != Split::ALL;
        if let Some(open) = cx.out.take_open(tid) {
            let names = cx.names();
            let fds = Some(&names as &dyn FdNames);
            let mut line = open.text;
            if open.written {
                // The start is out: complete it.
                let started = line.len();
                call_end((sc, split, unfinished), &text, fds, &mut line);
                end_line(cx, sc, raw, &mut line);
                return cx.out.line(Some(tid), &line[started..]);
            }
            // It ended in the same batch: one whole line, from the complete record.
            line.truncate(open.lead);
            whole_call((sc, split, unfinished), &text, fds, &mut line);
            end_line(cx, sc, raw, &mut line);
            return cx.out.line(Some(tid), &line);
        }
        let resumed = cx.out.take_cut(tid) || sc.resumed;
        let ts = if resumed || raw.ts_enter == 0 {
            raw.ts_exit
        } else {
            raw.ts_enter
        };
        let ip = raw.ip;
        self.lead(cx, At { tid, ts, ip }, Some(raw.nr), &text);
        let names = cx.names();
        let fds = Some(&names as &dyn FdNames);
        if resumed {
            strace::resumed_into(&sc.name, &mut self.line);
            let cut = match sc.resumed {
                true => (sc, Split::ALL, false),
                false => (sc, split, unfinished),
            };
            call_end(cut, &text, fds, &mut self.line);
        } else {
            whole_call((sc, split, unfinished), &text, fds, &mut self.line);
        }
        end_line(cx, sc, raw, &mut self.line);
        self.write(cx, Some(tid))
    }

    fn tls(&mut self, cx: &mut Ctx<'_>, sc: &Syscall, t: &TlsCall) -> Result<(), SinkError> {
        let text = cx.text_options();
        let at = At {
            tid: t.tid,
            ts: t.ts_enter,
            ip: None,
        };
        self.lead(cx, at, None, &text);
        let fds = cx.shown_fds();
        strace::call_start(sc, Split::ALL, &text, fds, &mut self.line);
        strace::call_end(sc, Split::ALL, &text, fds, 0, &mut self.line);
        if let Some(precision) = cx.opts.durations {
            let took = t.ts_exit.saturating_sub(t.ts_enter);
            stamp::duration_into(took, precision, &mut self.line);
        }
        cx.annotations(sc, &mut self.line);
        self.line.push('\n');
        self.write(cx, Some(t.tid))
    }

    fn signal(&mut self, cx: &mut Ctx<'_>, s: &Signal, info: &Arg) -> Result<(), SinkError> {
        let text = cx.text_options();
        let at = At {
            tid: s.tid,
            ts: s.ts,
            ip: s.ip,
        };
        self.lead(cx, at, None, &text);
        let names = cx.names();
        strace::signal_line((info, s.sig, s.tgid), &text, Some(&names), &mut self.line);
        self.write(cx, Some(s.tid))
    }

    fn stopped(&mut self, cx: &mut Ctx<'_>, s: &Signal) -> Result<(), SinkError> {
        let text = cx.text_options();
        let at = At {
            tid: s.tid,
            ts: s.ts,
            ip: s.ip,
        };
        self.lead(cx, at, None, &text);
        strace::stopped_line(s.sig, &mut self.line);
        self.write(cx, Some(s.tid))
    }

    fn exit(&mut self, cx: &mut Ctx<'_>, e: &Exit) -> Result<(), SinkError> {
        let text = cx.text_options();
        let at = At {
            tid: e.tid,
            ts: e.ts,
            ip: None,
        };
        // An exit (not a kill): the call was exit or exit_group, though a filter hid it.
        let nr = (e.code & 0x7f == 0 && e.superseded_by.is_none() && cx.opts.syscall_number)
            .then(|| cx.tasks.exit_number(e.tid));
        self.lead(cx, at, nr, &text);
        strace::exit_line(e.code, e.superseded_by, &mut self.line);
        self.write(cx, Some(e.tid))
    }

    fn lost(&mut self, cx: &mut Ctx<'_>, count: u64) -> Result<(), SinkError> {
        self.line.clear();
        strace::lost_line(count, &mut self.line);
        cx.out.line_everywhere(&self.line)
    }

    fn stats(&mut self, cx: &mut Ctx<'_>, s: &Stats) -> Result<(), SinkError> {
        self.line.clear();
        s.text_into(&mut self.line);
        self.write(cx, None)
    }

    /// strace's table, then `-Z`'s breakdown by errno.
    fn summary(&mut self, cx: &mut Ctx<'_>, t: &Table<'_>) -> Result<(), SinkError> {
        let mut text = t.text.to_string();
        if t.lost > 0 {
            text.push_str(&format!(
                "(partial: {} events lost, ring buffer full)\n",
                t.lost
            ));
        }
        t.summary.render_errnos(t.sort, &mut text);
        cx.out.line(None, &text)
    }
}
