//! JSON lines (`--json`): one object per event for log shippers, with Elastic Common Schema
//! names where ECS has them and a `syscall` object for the rest. The schema is
//! `schema/tracer-event.schema.json`; every record carries `tracer.schema_version`.
//!
//! Raw register values are hex strings: JSON numbers lose precision above 2^53.

use serde_json::{Map, Value, json};

use crate::{
    decode::{Arg, Ret, Syscall},
    event::RawSyscall,
    format::strace::{FdNames, TextOptions},
    tables::{self, errno},
};

/// Bumped when a field changes meaning or goes away (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;
/// No line is longer than this (bytes, newline included).
pub const MAX_LINE: usize = 32 * 1024;
/// Captured strings longer than this are cut in `value` (the strace text has its own `-s`).
const MAX_VALUE: usize = 8 * 1024;

/// What every record has.
pub struct Envelope<'a> {
    /// RFC 3339 UTC with nanoseconds.
    pub timestamp: String,
    /// `syscall`, `signal`, `exit`, `lost`, `attach`, `detach`.
    pub action: &'static str,
    /// `success`, `failure` or `unknown` (ECS's `event.outcome`).
    pub outcome: &'static str,
    pub pid: u32,
    pub tid: u32,
    /// The process's command name, when known.
    pub name: Option<String>,
    /// The same event as strace's text line.
    pub message: &'a str,
}

fn envelope(e: &Envelope<'_>) -> Map<String, Value> {
    let mut process = Map::new();
    process.insert("pid".into(), json!(e.pid));
    process.insert("thread".into(), json!({ "id": e.tid }));
    if let Some(name) = &e.name {
        process.insert("name".into(), json!(name));
    }
    let mut m = Map::new();
    m.insert("@timestamp".into(), json!(e.timestamp));
    m.insert("tracer".into(), json!({ "schema_version": SCHEMA_VERSION }));
    m.insert(
        "event".into(),
        json!({ "kind": "event", "action": e.action, "outcome": e.outcome }),
    );
    m.insert("process".into(), Value::Object(process));
    m.insert("message".into(), json!(e.message));
    m
}

/// A whole syscall.
pub fn syscall(
    e: &Envelope<'_>,
    sc: &Syscall,
    raw: &RawSyscall,
    text: &TextOptions,
    fds: Option<&dyn FdNames>,
    notes: Option<&str>,
) -> String {
    let mut m = envelope(e);
    if let Some(d) = super::stamp::duration_ns(raw.ts_enter, raw.ts_exit, raw.no_return)
        && let Some(Value::Object(ev)) = m.get_mut("event")
    {
        ev.insert("duration".into(), json!(d));
    }
    let params = tables::by_nr(sc.nr)
        .and_then(|d| d.params)
        .unwrap_or_default();
    let args: Vec<Value> = sc
        .args
        .iter()
        .enumerate()
        .map(|(i, arg)| {
            let mut a = Map::new();
            let (label, inner) = match arg {
                Arg::Labeled(l, v) if l.ends_with('=') => (Some(l.trim_end_matches('=')), &**v),
                _ => (None, arg),
            };
            if let Some(name) = label.or_else(|| params.get(i).map(|p| p.name)) {
                a.insert("name".into(), json!(name));
            }
            if label.is_none()
                && let Some(r) = raw.args.get(i)
            {
                a.insert("raw".into(), json!(format!("{r:#x}")));
            }
            a.insert(
                "text".into(),
                json!(super::strace::arg_text(inner, text, fds, sc.tgid)),
            );
            typed_into(inner, fds, sc.tgid, &mut a);
            Value::Object(a)
        })
        .collect();
    let mut s = Map::new();
    s.insert("name".into(), json!(sc.name));
    s.insert("nr".into(), json!(sc.nr));
    s.insert("arch".into(), json!("x86_64"));
    s.insert("args".into(), Value::Array(args));
    s.insert("ret".into(), ret(sc.ret, raw.ret, fds, sc.tgid));
    if sc.resumed {
        s.insert("resumed".into(), json!(true));
    }
    if let Some(n) = notes {
        s.insert("annotations".into(), json!(n));
    }
    m.insert("syscall".into(), Value::Object(s));
    finish(m)
}

/// The return value: raw, and what it means.
fn ret(ret: Ret, raw: i64, fds: Option<&dyn FdNames>, tgid: u32) -> Value {
    let mut r = Map::new();
    r.insert("raw".into(), json!(format!("{:#x}", raw as u64)));
    match ret {
        Ret::Error(code) | Ret::Restart(code) => {
            r.insert("value".into(), json!(-1));
            if let Some((name, text)) = errno::lookup(code) {
                r.insert("errno".into(), json!(name));
                r.insert("text".into(), json!(text));
            }
            r.insert("errno_number".into(), json!(code));
        }
        Ret::Unknown => {}
        Ret::Fd(fd) => {
            r.insert("value".into(), json!(fd));
            if let Some(d) = fds.and_then(|f| f.describe_ret(tgid, fd)) {
                r.insert("fd".into(), json!({ "path": d }));
            }
        }
        Ret::Value(v) => {
            r.insert("value".into(), number(v));
        }
        Ret::Hex(v) | Ret::Octal(v) => {
            r.insert("value".into(), number(v as i64));
        }
    }
    Value::Object(r)
}

/// An integer as a JSON number when exact, else as a decimal string.
fn number(v: i64) -> Value {
    if v.unsigned_abs() < (1 << 53) {
        json!(v)
    } else {
        json!(v.to_string())
    }
}

/// Adds the natural typed form of `arg`, if it has one: `value` (numbers, strings, structs),
/// `flags` (flag names), `fd` (what an fd refers to).
fn typed_into(arg: &Arg, fds: Option<&dyn FdNames>, tgid: u32, out: &mut Map<String, Value>) {
    match arg {
        Arg::Str {
            bytes, truncated, ..
        } => {
            let cut = bytes.len() > MAX_VALUE;
            let shown = &bytes[..bytes.len().min(MAX_VALUE)];
            out.insert("value".into(), json!(String::from_utf8_lossy(shown)));
            out.insert("len".into(), json!(bytes.len()));
            if *truncated || cut {
                out.insert("truncated".into(), json!(true));
            }
            if std::str::from_utf8(shown).is_err() {
                out.insert("utf8".into(), json!(false));
            }
        }
        Arg::Sym(s) if is_flag_list(s) => {
            out.insert("flags".into(), json!(s.split('|').collect::<Vec<_>>()));
        }
        Arg::Fd(fd) => {
            out.insert("value".into(), json!(fd));
            if let Some(d) = fds.and_then(|f| f.describe(tgid, *fd)) {
                out.insert("fd".into(), json!({ "path": d }));
            }
        }
        _ => {
            if let Some(v) = value(arg) {
                out.insert("value".into(), v);
            }
        }
    }
}

/// `O_RDONLY|O_CLOEXEC`, `AT_FDCWD`: names only.
fn is_flag_list(s: &str) -> bool {
    !s.is_empty()
        && s.split('|').all(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Plain values of nested arguments (struct fields, array items).
fn value(arg: &Arg) -> Option<Value> {
    Some(match arg {
        Arg::Int(v) => number(*v),
        Arg::UInt(v) => number(*v as i64),
        Arg::Fd(v) => json!(v),
        Arg::Str { bytes, .. } => json!(String::from_utf8_lossy(
            &bytes[..bytes.len().min(MAX_VALUE)]
        )),
        Arg::Sym(s) => json!(s),
        Arg::Struct { fields, .. } => {
            let mut m = Map::new();
            for (name, v) in fields {
                if !name.is_empty()
                    && let Some(v) = value(v)
                {
                    m.insert((*name).to_string(), v);
                }
            }
            Value::Object(m)
        }
        Arg::Array { items, .. } | Arg::Set { items, .. } | Arg::Seq(items) => {
            Value::Array(items.iter().filter_map(value).collect())
        }
        // htons(5432), inet_addr("10.0.0.1"): the value inside.
        Arg::Call { args, .. } if args.len() == 1 => value(&args[0])?,
        Arg::Boxed(inner) | Arg::Labeled(_, inner) | Arg::Commented(inner, _) => value(inner)?,
        Arg::Changed(_, after) => value(after)?,
        Arg::Ptr(0) => Value::Null,
        _ => return None,
    })
}

/// A signal.
pub fn signal(e: &Envelope<'_>, sig: u32, info: &Arg) -> String {
    let mut m = envelope(e);
    let mut s = Map::new();
    s.insert("number".into(), json!(sig));
    s.insert(
        "name".into(),
        json!(crate::tables::signals::name(u64::from(sig))),
    );
    if let Some(v) = value(info) {
        s.insert("info".into(), v);
    }
    m.insert("signal".into(), Value::Object(s));
    finish(m)
}

/// A task's end, from its wait status.
pub fn exit(e: &Envelope<'_>, code: u32) -> String {
    let mut m = envelope(e);
    let sig = code & 0x7f;
    let end = if sig == 0 {
        json!({ "code": (code >> 8) & 0xff })
    } else {
        json!({
            "signal": crate::tables::signals::name(u64::from(sig)),
            "core_dumped": code & 0x80 != 0,
        })
    };
    if let Some(Value::Object(p)) = m.get_mut("process") {
        p.insert("exit".into(), end);
    }
    finish(m)
}

/// Events lost in the kernel.
pub fn lost(e: &Envelope<'_>, count: u64) -> String {
    let mut m = envelope(e);
    m.insert("lost".into(), json!({ "count": count }));
    finish(m)
}

/// attach / detach and other records with nothing more than the envelope.
pub fn plain(e: &Envelope<'_>) -> String {
    finish(envelope(e))
}

/// Serialises, keeping the line under `MAX_LINE`: if it is longer, captured values and then
/// the message are cut, and `tracer.truncated` says so.
fn finish(mut m: Map<String, Value>) -> String {
    let mut line = Value::Object(m.clone()).to_string();
    if line.len() + 1 > MAX_LINE {
        if let Some(Value::Object(s)) = m.get_mut("syscall")
            && let Some(Value::Array(args)) = s.get_mut("args")
        {
            for a in args.iter_mut().filter_map(|a| a.as_object_mut()) {
                a.remove("value");
                if let Some(Value::String(t)) = a.get_mut("text") {
                    cut(t, 512);
                }
            }
        }
        if let Some(Value::String(msg)) = m.get_mut("message") {
            cut(msg, 4096);
        }
        m.insert(
            "tracer".into(),
            json!({ "schema_version": SCHEMA_VERSION, "truncated": true }),
        );
        line = Value::Object(m).to_string();
    }
    line.push('\n');
    line
}

/// Cuts a string to at most `max` bytes on a character boundary, marking the cut.
fn cut(s: &mut String, max: usize) {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
        s.push_str("...");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Part;

    fn env(message: &str) -> Envelope<'_> {
        Envelope {
            timestamp: "2026-11-26T09:30:00.123456789Z".into(),
            action: "syscall",
            outcome: "failure",
            pid: 7,
            tid: 8,
            name: Some("cat".into()),
            message,
        }
    }

    fn raw(ret: i64, args: [u64; 6]) -> RawSyscall {
        RawSyscall {
            part: Part::Complete,
            no_enter: false,
            no_return: false,
            has_enter_record: false,
            ts_enter: 100,
            ts_exit: 350,
            tgid: 7,
            tid: 8,
            nr: 257,
            ret,
            args,
            off_cpu: 0,
            blobs: vec![],
        }
    }

    #[test]
    fn a_failed_open_reads_naturally() {
        let sc = Syscall::new(
            8,
            "openat",
            vec![
                Arg::sym("AT_FDCWD"),
                Arg::str(b"/nonexistent/file", false),
                Arg::sym("O_RDONLY|O_CLOEXEC"),
            ],
            Ret::Error(2),
        );
        let line = syscall(
            &env("openat(...) = -1 ENOENT"),
            &sc,
            &raw(-2, [(-100i64) as u64, 0x7ffd0000, 0x80000, 0, 0, 0]),
            &TextOptions::default(),
            None,
            None,
        );
        assert!(line.ends_with('\n'));
        let v: Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(v["@timestamp"], "2026-11-26T09:30:00.123456789Z");
        assert_eq!(v["tracer"]["schema_version"], 1);
        assert_eq!(v["event"]["duration"], 250);
        assert_eq!(v["process"]["thread"]["id"], 8);
        let s = &v["syscall"];
        assert_eq!(s["name"], "openat");
        assert_eq!(s["args"][0]["name"], "dfd");
        assert_eq!(s["args"][0]["raw"], "0xffffffffffffff9c");
        assert_eq!(s["args"][1]["name"], "filename");
        assert_eq!(s["args"][1]["value"], "/nonexistent/file");
        assert_eq!(s["args"][1]["text"], "\"/nonexistent/file\"");
        assert_eq!(s["args"][2]["flags"], json!(["O_RDONLY", "O_CLOEXEC"]));
        assert_eq!(s["ret"]["errno"], "ENOENT");
        assert_eq!(s["ret"]["text"], "No such file or directory");
        assert_eq!(s["ret"]["raw"], "0xfffffffffffffffe");
    }

    #[test]
    fn huge_captures_keep_the_line_under_32k() {
        let big = vec![b'x'; 60_000];
        let sc = Syscall::new(
            8,
            "write",
            vec![Arg::Fd(1), Arg::str(&big, false)],
            Ret::Value(60_000),
        );
        let message = "w".repeat(70_000);
        let line = syscall(
            &env(&message),
            &sc,
            &raw(60_000, [1, 0, 60_000, 0, 0, 0]),
            &TextOptions::default(),
            None,
            None,
        );
        assert!(line.len() <= MAX_LINE, "{}", line.len());
        let v: Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(v["tracer"]["truncated"], true);
    }

    #[test]
    fn structs_become_objects() {
        let sa = Arg::Struct {
            fields: vec![
                ("sa_family", Arg::sym("AF_INET")),
                (
                    "sin_port",
                    Arg::Call {
                        name: "htons",
                        args: vec![Arg::UInt(58952)],
                    },
                ),
                (
                    "sin_addr",
                    Arg::Call {
                        name: "inet_addr",
                        args: vec![Arg::str(b"192.168.10.1", false)],
                    },
                ),
            ],
            more: false,
        };
        assert_eq!(
            value(&sa),
            Some(json!({"sa_family": "AF_INET", "sin_port": 58952, "sin_addr": "192.168.10.1"}))
        );
    }
}
