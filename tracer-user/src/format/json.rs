//! JSON lines (`--json`): one object per event for log shippers, with Elastic Common Schema
//! names where ECS has them and a `syscall` object for the rest. The schema is
//! `schema/tracer-event.schema.json`; every record carries `tracer.schema_version`.
//!
//! Raw register values are hex strings: JSON numbers lose precision above 2^53.

use std::{ops::Range, rc::Rc};

use crate::{
    decode::{Arg, Ret, Syscall},
    event::{ProcessContext, RawSyscall, User},
    fdtable::FdNames,
    format::{
        json_value::{Fit, Typed, has_value, holds_data, typed_into},
        jsonw::{Arr, Obj, escape_into, escape_lossy_into, hex_into, int_into, put},
        stamp::Rfc3339,
    },
    tables::errno,
};

#[path = "json_events.rs"]
mod events;

pub use events::{
    SummaryRecord, Tls, exit, exit_outcome, lost, plain, signal, stats, stopped, summary, tls,
};

/// The schema version, as a literal for the records' fixed text.
macro_rules! schema_version {
    () => {
        4
    };
}
/// Bumped when a field changes meaning or goes away (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = schema_version!();
/// The ECS version, as a literal for the records' fixed text.
macro_rules! ecs_version {
    () => {
        "8.11.0"
    };
}
/// The Elastic Common Schema version whose names the records use (`ecs.version`).
pub const ECS_VERSION: &str = ecs_version!();
/// No line is longer than this by default (bytes, newline included): rsyslog's default
/// message size (8 KiB) less room for its own header.
pub const MAX_LINE: usize = 8000;
/// The smallest `--json-max-line`: room for a record's fixed fields.
pub const MIN_LINE: usize = 2048;

/// What every record has.
pub struct Envelope<'a> {
    /// RFC 3339 UTC with nanoseconds.
    pub timestamp: Rfc3339,
    /// `syscall`, `signal`, `exit`, `lost`, `attach`, `detach`.
    pub action: &'static str,
    /// `success`, `failure` or `unknown` (ECS's `event.outcome`).
    pub outcome: &'static str,
    /// The traced task the event is about; None for records about tracer itself (stats,
    /// summary) and for lost events.
    pub task: Option<Task>,
    /// The same event as strace's text line.
    pub message: &'a str,
    /// The longest line to write (bytes, newline included).
    pub max_line: usize,
}

/// The task a record is about.
#[derive(Default)]
pub struct Task {
    pub pid: u32,
    pub tid: u32,
    /// The process's command name, when known.
    pub name: Option<Rc<str>>,
    /// Its parent, users, container and program, when known.
    pub context: Option<Rc<ProcessContext>>,
    /// An exec's program and arguments (`process.executable`, `process.args`).
    pub exec: Option<(String, Option<Vec<String>>)>,
    /// The host's name.
    pub host: Option<Rc<str>>,
    /// A call's exit (`event.end`), when both ends were seen: `event.start` is the
    /// record's `@timestamp`.
    pub end: Option<Rfc3339>,
}

/// How a task's end reads: `process.exit_code`, or the signal that killed it, or the thread
/// that took over (`superseded_by`).
struct End {
    code: u32,
    superseded_by: Option<u32>,
}

/// A task's `process`, `host`, `user` and `container` members, written once and kept while
/// the task, its name, context and host stay the same (`Tasks` replaces their `Rc`s, never
/// changes them in place, so the same pointers mean the same values): a run of records about
/// one task writes them once.
#[derive(Debug, Default)]
pub struct TaskMembers {
    of: Option<TaskKey>,
    json: String,
}

type TaskKey = (
    u32,
    u32,
    Option<Rc<str>>,
    Option<Rc<ProcessContext>>,
    Option<Rc<str>>,
);

/// The same `Rc`, or both none.
fn same<T: ?Sized>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

impl TaskMembers {
    /// `task`'s members as JSON (for a record without `exec` or an end, which add to them).
    pub fn of(&mut self, task: &Task) -> &str {
        let fresh = self
            .of
            .as_ref()
            .is_some_and(|(pid, tid, name, context, host)| {
                (*pid, *tid) == (task.pid, task.tid)
                    && same(name, &task.name)
                    && same(context, &task.context)
                    && same(host, &task.host)
            });
        if !fresh {
            self.json.clear();
            let mut o = Obj::bare(&mut self.json);
            o.obj("process", |p| process_into(task, None, p, &Fit::whole()));
            context_into(task, &mut o);
            self.of = Some((
                task.pid,
                task.tid,
                task.name.clone(),
                task.context.clone(),
                task.host.clone(),
            ));
        }
        &self.json
    }
}

/// Writes a record into `out` (cleared first): the envelope, then `body` (the record's own
/// members), strings cut to fit. `members`: the task's members, written before.
fn record(
    out: &mut String,
    e: &Envelope<'_>,
    members: Option<&str>,
    duration: Option<u64>,
    end: Option<&End>,
    fit: &Fit,
    body: &dyn Fn(&mut Obj<'_>, &Fit),
) {
    // ECS: periodic measurements are metrics, everything else an event.
    let kind = if matches!(e.action, "stats" | "summary") {
        "metric"
    } else {
        "event"
    };
    // The fixed start of every record in a few copies (a flood writes millions).
    out.clear();
    for piece in [
        r#"{"@timestamp":""#,
        e.timestamp.as_str(),
        concat!(
            r#"","ecs":{"version":""#,
            ecs_version!(),
            r#""},"event":{"kind":""#
        ),
        kind,
        r#"","action":""#,
        e.action,
        r#"","outcome":""#,
        e.outcome,
        "\"",
    ] {
        put(out, piece);
    }
    let mut ev = Obj::after(out);
    if let Some(d) = duration {
        ev.int("duration", d as i64);
    }
    if let Some(end) = e.task.as_ref().and_then(|t| t.end.as_ref()) {
        ev.plain("start", e.timestamp.as_str())
            .plain("end", end.as_str());
    }
    out.push('}');
    let mut o = Obj::after(out);
    match (&e.task, members) {
        (Some(_), Some(json)) => {
            o.members(json);
        }
        (Some(task), None) => {
            o.obj("process", |p| process_into(task, end, p, fit));
            context_into(task, &mut o);
        }
        (None, _) => observer_into(&mut o),
    }
    o.str("message", fit.str(e.message));
    body(&mut o, fit);
    if fit.cutting() {
        o.obj("tracer", |t| {
            t.int("schema_version", i64::from(SCHEMA_VERSION))
                .bool("truncated", true)
                .int("cut", fit.cut() as i64);
            if fit.items_cut() > 0 {
                t.int("items_cut", fit.items_cut() as i64);
            }
        });
        o.close();
        out.push('\n');
    } else {
        o.members(concat!(
            r#""tracer":{"schema_version":"#,
            schema_version!(),
            "}}\n"
        ));
    }
}

/// `process.*`: the task, and how it ended.
/// An exec's argv (`process.args`) is cut as the record's other arrays are, by count and
/// each string by length, the items left out in `process.args_cut`.
fn process_into(task: &Task, end: Option<&End>, p: &mut Obj<'_>, fit: &Fit) {
    p.int("pid", i64::from(task.pid));
    if let Some(name) = &task.name {
        p.str("name", name);
    }
    p.obj("thread", |t| {
        t.int("id", i64::from(task.tid));
    });
    let c = task.context.as_deref();
    if let Some(ppid) = c.and_then(|c| c.identity.ppid) {
        p.obj("parent", |x| {
            x.int("pid", i64::from(ppid));
        });
    }
    match (&task.exec, c.and_then(|c| c.executable.as_deref())) {
        (Some((path, args)), _) => {
            p.str("executable", path);
            if let Some(args) = args {
                let shown = fit.items(args);
                p.arr("args", |a| {
                    for arg in shown {
                        escape_into(fit.str(arg), a.item());
                    }
                });
                if shown.len() < args.len() {
                    p.int("args_cut", (args.len() - shown.len()) as i64);
                }
            }
        }
        (None, Some(path)) => {
            p.str("executable", path);
        }
        (None, None) => {}
    }
    let Some(end) = end else { return };
    let sig = end.code & 0x7f;
    if let Some(pid) = end.superseded_by {
        p.obj("exit", |x| {
            x.int("superseded_by", i64::from(pid));
        });
    } else if sig == 0 {
        p.int("exit_code", i64::from((end.code >> 8) & 0xff));
    } else {
        p.obj("exit", |x| {
            x.str("signal", &crate::tables::signals::name(u64::from(sig)))
                .bool("core_dumped", end.code & 0x80 != 0);
        });
    }
}

/// `host.name`, `user.*` (real, and `user.effective` when it differs) and `container.id`.
fn context_into(task: &Task, o: &mut Obj<'_>) {
    if let Some(host) = &task.host {
        o.obj("host", |h| {
            h.str("name", host);
        });
    }
    let Some(identity) = task.context.as_deref().map(|c| &c.identity) else {
        return;
    };
    // ECS's user.id is a keyword: a string.
    let user = |u: &User, x: &mut Obj<'_>| {
        x.str("id", &u.id.to_string());
        if let Some(name) = &u.name {
            x.str("name", name);
        }
    };
    if let Some(u) = &identity.user {
        o.obj("user", |x| {
            user(u, x);
            if let Some(e) = &identity.effective {
                x.obj("effective", |x| user(e, x));
            }
        });
    }
    if let Some(id) = &identity.container {
        o.obj("container", |x| {
            x.str("id", id);
        });
    }
}

/// `agent.*` and `observer.*`: tracer itself, in records about it (ECS puts the collector
/// there, not in `process.*`).
fn observer_into(o: &mut Obj<'_>) {
    let version = env!("CARGO_PKG_VERSION");
    o.obj("agent", |a| {
        a.str("name", "tracer")
            .str("type", "tracer")
            .str("version", version);
    });
    o.obj("observer", |a| {
        a.str("product", "tracer")
            .str("type", "tracer")
            .str("version", version);
    });
}

/// Writes the record into `out` whole, or with its texts cut (shorter and shorter) until the
/// line fits in `e.max_line`.
fn bounded_into(
    out: &mut String,
    e: &Envelope<'_>,
    members: Option<&str>,
    duration: Option<u64>,
    end: Option<&End>,
    body: &dyn Fn(&mut Obj<'_>, &Fit),
) {
    record(out, e, members, duration, end, &Fit::whole(), body);
    // Down to no text and no items: a record of many short items (a deep `-k` stack, a long
    // argv) must fit as well as one long string.
    let mut limit = e.max_line / 2;
    while out.len() > e.max_line {
        record(out, e, members, duration, end, &Fit::to(limit), body);
        if limit == 0 {
            break;
        }
        limit /= 2;
    }
}

/// `bounded_into` a new line (records that come seldom: signals, exits, stats).
fn bounded(
    e: &Envelope<'_>,
    duration: Option<u64>,
    end: Option<&End>,
    body: &dyn Fn(&mut Obj<'_>, &Fit),
) -> String {
    let mut out = String::new();
    bounded_into(&mut out, e, None, duration, end, body);
    out
}

/// What a syscall record says beyond the envelope: its `message` is the call's line, with
/// each argument's text at `marks` (`strace::call_line_marked`).
pub struct Call<'a> {
    pub sc: &'a Syscall,
    pub raw: &'a RawSyscall,
    pub marks: &'a [Range<usize>],
    pub fds: Option<&'a dyn FdNames>,
    /// `--annotate`'s notes.
    pub notes: Option<&'a str>,
    /// `-k`'s frames.
    pub stack: &'a [crate::stack::Frame],
    /// The task's members, when kept (`TaskMembers`).
    pub members: Option<&'a str>,
}

/// A whole syscall, into `out`. An argument's `text` is its piece of `message`; an argument
/// holding a captured string or data has none (schema 3): `message` has the exact bytes as
/// strace prints them, a string's `string` the value; data (a buffer) is written once, in
/// `message` (schema 4).
pub fn syscall(out: &mut String, e: &Envelope<'_>, c: &Call<'_>) {
    let (sc, raw, fds) = (c.sc, c.raw, c.fds);
    let duration = super::stamp::duration_ns(raw.ts_enter, raw.ts_exit, raw.no_return);
    let params = sc.def.and_then(|d| d.params).unwrap_or_default();
    bounded_into(out, e, c.members, duration, None, &|o, fit| {
        // The fixed members in a few copies rather than a key each (every record has them).
        debug_assert!(
            sc.name
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        );
        let out = o.key("syscall");
        out.push_str(r#"{"name":""#);
        put(out, &sc.name);
        out.push_str(r#"","nr":"#);
        int_into(crate::tables::signed_nr(sc.nr), out);
        out.push_str(r#","arch":"x86_64","args":"#);
        {
            let mut a = Arr::open(out);
            for (i, arg) in sc.args.iter().enumerate() {
                a.obj(|ao| {
                    let (label, inner) = match arg {
                        Arg::Named(name, v) => (Some(*name), &**v),
                        _ => (None, arg),
                    };
                    if let Some(name) = label.or_else(|| params.get(i).map(|p| p.name)) {
                        ao.str("name", name);
                    }
                    if label.is_none()
                        && let Some(r) = raw.args.get(i)
                    {
                        ao.hex("raw", *r);
                    }
                    if !holds_data(inner)
                        && let Some(text) = c.marks.get(i).and_then(|r| e.message.get(r.clone()))
                    {
                        ao.str("text", fit.str(text));
                    }
                    // Memory that could not be read: the raw value stands, marked.
                    if raw.blob(i).is_some_and(|b| b.faulted) {
                        ao.bool("fault", true);
                    }
                    let typed = Typed {
                        fds,
                        tgid: sc.tgid,
                        fit,
                    };
                    typed_into(inner, &typed, ao);
                });
            }
            a.close();
        }
        out.push_str(r#","ret":{"raw":"#);
        hex_into(raw.ret as u64, out);
        let mut r = Obj::after(out);
        ret_into(sc.ret, fds, sc.tgid, &mut r);
        r.close();
        {
            let s = &mut Obj::after(out);
            if sc.resumed {
                s.bool("resumed", true);
            }
            if sc.tampered.injected {
                s.bool("injected", true);
            }
            if sc.tampered.poked {
                s.bool("poked", true);
            }
            if sc.tampered.delayed {
                s.bool("delayed", true);
            }
            if let Some(n) = c.notes {
                s.str("annotations", fit.str(n));
            }
            if !c.stack.is_empty() {
                // The innermost frames, nearest the call, are kept.
                let shown = fit.items(c.stack);
                s.arr("stack", |a| {
                    for frame in shown {
                        a.obj(|o| frame.json_into(o));
                    }
                });
                if shown.len() < c.stack.len() {
                    s.int("stack_cut", (c.stack.len() - shown.len()) as i64);
                }
            }
        }
        out.push('}');
    })
}

/// What the return value means (after its `raw`).
fn ret_into(ret: Ret, fds: Option<&dyn FdNames>, tgid: u32, r: &mut Obj<'_>) {
    match ret {
        Ret::ValueError(v, code) => {
            r.int("value", v);
            if let Some((name, text)) = errno::lookup(code) {
                r.str("errno", name).str("text", text);
            }
            r.int("errno_number", i64::from(code));
        }
        Ret::Error(code) | Ret::Restart(code) => {
            r.int("value", -1);
            if let Some((name, text)) = errno::lookup(code) {
                r.str("errno", name).str("text", text);
            }
            r.int("errno_number", i64::from(code));
        }
        Ret::Unknown => {}
        Ret::Fd(fd) => {
            r.int("value", i64::from(fd));
            if let Some(d) = fds.and_then(|f| f.describe_ret(tgid, fd)) {
                r.obj("fd", |f| {
                    d.with_text(|text| f.str("path", text));
                });
            }
        }
        Ret::Value(v) | Ret::Pid(v) => {
            r.int("value", v);
        }
        Ret::Hex(v) | Ret::Octal(v) | Ret::Unsigned(v) => {
            r.int("value", v as i64);
        }
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
