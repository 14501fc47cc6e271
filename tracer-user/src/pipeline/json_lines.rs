//! The JSON emitter (`--json`): the pipeline's events as JSON lines (see `format::json`).
//! Every record also carries strace's text of the event in `message`.

use std::ops::Range;

use crate::{
    decode::{Arg, Ret, Syscall},
    event::{Exit, RawSyscall, Signal, TlsCall, monotonic_now},
    format::{
        json::{self, Envelope, Task},
        strace,
        text_options::{Prefix, TextOptions},
    },
    pipeline::{
        emit::{Ctx, Emitter, Table},
        tls::function_name,
    },
    sink::SinkError,
    summary::stats::Stats,
};

/// Writes JSON lines.
#[derive(Debug)]
pub struct Json {
    /// The longest line (`--json-max-line`).
    max_line: usize,
    /// A call's line, its `message` and where its arguments are in it: kept to reuse their
    /// buffers (no allocation per call).
    line: String,
    message: String,
    marks: Vec<Range<usize>>,
    /// The latest task's members.
    members: json::TaskMembers,
}

impl Json {
    /// Lines of at most `max_line` bytes (default `json::MAX_LINE`).
    pub fn new(max_line: Option<usize>) -> Self {
        Self {
            max_line: max_line.unwrap_or(json::MAX_LINE),
            line: String::with_capacity(1024),
            message: String::with_capacity(512),
            marks: Vec::with_capacity(6),
            members: json::TaskMembers::default(),
        }
    }

    /// The envelope of a record about a traced task.
    fn envelope<'a>(
        &self,
        cx: &mut Ctx<'_>,
        action: &'static str,
        outcome: &'static str,
        at: (u32, u32, u64),
        message: &'a str,
    ) -> Envelope<'a> {
        envelope(cx, self.max_line, action, outcome, at, message)
    }

    /// The envelope of a record about tracer itself (stats, summary) or about no task (lost
    /// events): now, no `process`.
    fn own_envelope<'a>(
        &self,
        cx: &Ctx<'_>,
        action: &'static str,
        outcome: &'static str,
        message: &'a str,
    ) -> Envelope<'a> {
        Envelope {
            timestamp: cx.clock.rfc3339(monotonic_now()),
            action,
            outcome,
            task: None,
            message: message.trim_end(),
            max_line: self.max_line,
        }
    }
}

/// The envelope of a record about a traced task.
fn envelope<'a>(
    cx: &mut Ctx<'_>,
    max_line: usize,
    action: &'static str,
    outcome: &'static str,
    (tgid, tid, ts): (u32, u32, u64),
    message: &'a str,
) -> Envelope<'a> {
    Envelope {
        timestamp: cx.clock.rfc3339(ts),
        action,
        outcome,
        task: Some(Task {
            pid: tgid,
            tid,
            name: cx.tasks.process_name(tgid),
            context: cx.tasks.context(tgid),
            host: cx.tasks.host_name(),
            ..Task::default()
        }),
        message,
        max_line,
    }
}

/// Text options for `message`: strace's line without a pid prefix (the pid has its own
/// fields).
fn message_options(cx: &Ctx<'_>) -> TextOptions {
    TextOptions {
        prefix: Prefix::None,
        quote: cx.opts.quote,
        ..TextOptions::default()
    }
}

/// A call's `message` (strace's line without the pid prefix) into `message`, where each
/// argument is in it into `marks`, and its `--annotate` notes without the comment marks
/// (empty when there are none).
fn message_and_notes(
    cx: &Ctx<'_>,
    sc: &Syscall,
    message: &mut String,
    marks: &mut Vec<Range<usize>>,
) -> String {
    message.clear();
    marks.clear();
    strace::call_line_marked(sc, &message_options(cx), cx.shown_fds(), message, marks);
    cx.notes(sc).join("; ")
}

/// A successful exec's program and arguments, as the call gave them (`process.executable`,
/// `process.args`).
fn exec_of(sc: &Syscall) -> Option<(String, Option<Vec<String>>)> {
    let def = sc.def.filter(|d| d.is_exec())?;
    if sc.ret != Ret::Value(0) {
        return None;
    }
    let at = *def.path_args().first()?;
    let text = |a: &Arg| match a {
        Arg::Str { bytes, .. } => Some(String::from_utf8_lossy(bytes).into_owned()),
        _ => None,
    };
    let path = text(sc.args.get(at)?)?;
    let args = match sc.args.get(at + 1) {
        Some(Arg::Array { items, .. }) => Some(items.iter().filter_map(text).collect()),
        _ => None,
    };
    Some((path, args))
}

/// An exec's program as an absolute path (ECS `process.executable`), as the kernel resolved
/// it: a relative path from the directory it was relative to (execveat's dirfd, else the
/// current directory; `""` with `AT_EMPTY_PATH` is that fd's file), which the fd table knows
/// under `-y`, else /proc says now; as given when neither knows (a replay).
fn absolute(cx: &Ctx<'_>, sc: &Syscall, path: String) -> String {
    if path.starts_with('/') {
        return path;
    }
    let dirfd = match (sc.def.map(|d| d.name), sc.args.first()) {
        (Some("execveat"), Some(Arg::Fd(fd))) => *fd,
        _ => crate::tables::flags::AT_FDCWD,
    };
    let known = cx.fdtable.and_then(|t| t.known(sc.tgid, dirfd));
    let base = known.as_ref().and_then(|n| n.as_path()).map(<[u8]>::to_vec);
    let base = base.or_else(|| {
        (dirfd == crate::tables::flags::AT_FDCWD)
            .then(|| cx.tasks.host().cwd(sc.tgid))
            .flatten()
    });
    let Some(base) = base else {
        return path;
    };
    let mut out = String::from_utf8_lossy(&base).into_owned();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(part);
    }
    out
}

impl Emitter for Json {
    fn call(&mut self, cx: &mut Ctx<'_>, sc: &Syscall, raw: &RawSyscall) -> Result<(), SinkError> {
        let exec = exec_of(sc).map(|(path, args)| (absolute(cx, sc, path), args));
        if let Some((path, _)) = &exec {
            // The process has a new name and program from now on.
            cx.tasks.renamed(sc.tgid);
            cx.tasks.exec(sc.tgid, path);
        }
        let notes = message_and_notes(cx, sc, &mut self.message, &mut self.marks);
        let outcome = match sc.ret {
            Ret::Error(_) | Ret::Restart(_) | Ret::ValueError(..) => "failure",
            Ret::Unknown => "unknown",
            _ => "success",
        };
        let ts = if raw.ts_enter != 0 {
            raw.ts_enter
        } else {
            raw.ts_exit
        };
        let end = (raw.ts_enter != 0 && raw.ts_exit >= raw.ts_enter && !raw.no_return)
            .then(|| cx.clock.rfc3339(raw.ts_exit));
        let max_line = self.max_line;
        let mut env = envelope(
            cx,
            max_line,
            "syscall",
            outcome,
            (sc.tgid, sc.tid, ts),
            &self.message,
        );
        let mut members = None;
        if let Some(task) = env.task.as_mut() {
            if exec.is_none() {
                members = Some(self.members.of(task));
            }
            task.exec = exec;
            task.end = end;
        }
        let call = json::Call {
            members,
            sc,
            raw,
            marks: &self.marks,
            fds: cx.shown_fds(),
            notes: (!notes.is_empty()).then_some(notes.as_str()),
            stack: cx.stack,
        };
        json::syscall(&mut self.line, &env, &call);
        cx.out.line(Some(sc.tid), &self.line)
    }

    fn tls(&mut self, cx: &mut Ctx<'_>, sc: &Syscall, t: &TlsCall) -> Result<(), SinkError> {
        let notes = message_and_notes(cx, sc, &mut self.message, &mut self.marks);
        let message = self.message.as_str();
        let fd = match sc.args.first() {
            Some(Arg::Fd(fd)) => Some(*fd),
            _ => None,
        };
        let peer = fd
            .and_then(|fd| cx.shown_fds().and_then(|f| f.describe(t.tgid, fd)))
            .map(|name| name.text().into_owned());
        let outcome = if t.succeeded() { "success" } else { "failure" };
        let env = self.envelope(cx, "tls", outcome, (t.tgid, t.tid, t.ts_enter), message);
        let line = json::tls(
            &env,
            &json::Tls {
                call: t,
                function: function_name(t.func).trim_end_matches("@libssl"),
                fd,
                peer: peer.as_deref(),
                notes: (!notes.is_empty()).then_some(notes.as_str()),
            },
        );
        cx.out.line(Some(t.tid), &line)
    }

    fn signal(&mut self, cx: &mut Ctx<'_>, s: &Signal, info: &Arg) -> Result<(), SinkError> {
        let text = cx.text_options();
        let mut message = String::new();
        strace::signal_line((info, s.sig, s.tgid), &text, None, &mut message);
        let message = message.trim_end();
        let env = self.envelope(cx, "signal", "success", (s.tgid, s.tid, s.ts), message);
        let line = json::signal(&env, s.sig, info);
        cx.out.line(Some(s.tid), &line)
    }

    /// A group stop: a signal event whose `signal.stopped` is true.
    fn stopped(&mut self, cx: &mut Ctx<'_>, s: &Signal) -> Result<(), SinkError> {
        let mut message = String::new();
        strace::stopped_line(s.sig, &mut message);
        let message = message.trim_end();
        let env = self.envelope(cx, "signal", "success", (s.tgid, s.tid, s.ts), message);
        let line = json::stopped(&env, s.sig);
        cx.out.line(Some(s.tid), &line)
    }

    fn exit(&mut self, cx: &mut Ctx<'_>, e: &Exit) -> Result<(), SinkError> {
        let mut message = String::new();
        strace::exit_line(e.code, e.superseded_by, &mut message);
        let message = message.trim_end();
        let outcome = json::exit_outcome(e.code, e.superseded_by);
        let env = self.envelope(cx, "exit", outcome, (e.tgid, e.tid, e.ts), message);
        let line = json::exit(&env, e.code, e.superseded_by);
        cx.out.line(Some(e.tid), &line)
    }

    fn lost(&mut self, cx: &mut Ctx<'_>, count: u64) -> Result<(), SinkError> {
        let mut message = String::new();
        strace::lost_line(count, &mut message);
        let env = self.own_envelope(cx, "lost", "failure", &message);
        let line = json::lost(&env, count);
        cx.out.line_everywhere(&line)
    }

    fn stats(&mut self, cx: &mut Ctx<'_>, s: &Stats) -> Result<(), SinkError> {
        let mut message = String::new();
        s.text_into(&mut message);
        let env = self.own_envelope(cx, "stats", "success", &message);
        let line = json::stats(&env, s);
        cx.out.line(None, &line)
    }

    /// The `-c` / `-C` table: a `summary` record per row (`message`: the row's line of strace's
    /// table), then the total (`message`: the table's heading and total lines).
    fn summary(&mut self, cx: &mut Ctx<'_>, t: &Table<'_>) -> Result<(), SinkError> {
        let (rows, total) = t.summary.table(t.sort);
        let record = |name, nr, row| json::SummaryRecord {
            name,
            row,
            percentiles: t.summary.percentiles(),
            errnos: t.summary.errnos_of(nr),
            interval_ms: t.interval_s.map(|s| (s * 1000.0).round() as u64),
            lost: t.lost,
        };
        for (name, nr, row) in &rows {
            let line = t
                .text
                .lines()
                .find(|l| l.split_whitespace().last() == Some(name))
                .unwrap_or(name);
            let env = self.own_envelope(cx, "summary", "success", line);
            let r = record(Some(name.as_str()), Some(*nr), row);
            cx.out.line(None, &json::summary(&env, &r))?;
        }
        let lines: Vec<&str> = t.text.trim_end().lines().collect();
        let ends = if lines.len() > 4 {
            [&lines[..2], &lines[lines.len() - 2..]].concat().join("\n")
        } else {
            lines.join("\n")
        };
        let env = self.own_envelope(cx, "summary", "success", &ends);
        let line = json::summary(&env, &record(None, None, &total));
        cx.out.line(None, &line)
    }

    /// `attach` / `detach` records (text output says these on stderr only).
    fn process(
        &mut self,
        cx: &mut Ctx<'_>,
        action: &'static str,
        pid: u32,
    ) -> Result<(), SinkError> {
        let message = format!("process {pid} {action}ed");
        let now = monotonic_now();
        let env = self.envelope(cx, action, "success", (pid, pid, now), &message);
        let line = json::plain(&env);
        cx.out.line(Some(pid), &line)
    }
}
