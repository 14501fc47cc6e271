//! JSON lines (`--json`): one object per event for log shippers, with Elastic Common Schema
//! names where ECS has them and a `syscall` object for the rest. The schema is
//! `schema/tracer-event.schema.json`; every record carries `tracer.schema_version`.
//!
//! Raw register values are hex strings: JSON numbers lose precision above 2^53.

use crate::{
    decode::{Arg, Ret, Syscall},
    event::RawSyscall,
    fdtable::FdNames,
    format::{
        json_value::{has_value, typed_into, value_into},
        jsonw::Obj,
        strace::TextOptions,
    },
    tables::errno,
};

/// Bumped when a field changes meaning or goes away (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;
/// No line is longer than this (bytes, newline included).
pub const MAX_LINE: usize = 32 * 1024;
/// Captured strings longer than this are cut in `value` (the strace text has its own `-s`).
pub(super) const MAX_VALUE: usize = 8 * 1024;
/// When a record would pass `MAX_LINE`, texts are cut to these lengths and values dropped.
const CUT_TEXT: usize = 512;
const CUT_MESSAGE: usize = 4096;

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
    pub name: Option<std::rc::Rc<str>>,
    /// The same event as strace's text line.
    pub message: &'a str,
}

/// Writes a record: the envelope, then `body` (the record's own members). `cut`: the record
/// is being written again, shorter, because it was over `MAX_LINE`.
fn record(
    e: &Envelope<'_>,
    duration: Option<u64>,
    exit: Option<&dyn Fn(&mut Obj<'_>)>,
    cut: bool,
    body: &dyn Fn(&mut Obj<'_>, bool),
) -> String {
    let mut out = String::with_capacity(1024);
    let mut o = Obj::open(&mut out);
    o.str("@timestamp", &e.timestamp);
    o.obj("tracer", |t| {
        t.int("schema_version", i64::from(SCHEMA_VERSION));
        if cut {
            t.bool("truncated", true);
        }
    });
    // ECS: periodic measurements are metrics, everything else an event.
    let kind = if matches!(e.action, "stats" | "summary") {
        "metric"
    } else {
        "event"
    };
    o.obj("event", |ev| {
        ev.str("kind", kind)
            .str("action", e.action)
            .str("outcome", e.outcome);
        if let Some(d) = duration {
            ev.int("duration", d as i64);
        }
    });
    o.obj("process", |p| {
        p.int("pid", i64::from(e.pid));
        if let Some(name) = &e.name {
            p.str("name", name);
        }
        p.obj("thread", |t| {
            t.int("id", i64::from(e.tid));
        });
        if let Some(exit) = exit {
            p.obj("exit", |x| exit(x));
        }
    });
    if cut {
        o.str("message", cut_str(e.message, CUT_MESSAGE));
    } else {
        o.str("message", e.message);
    }
    body(&mut o, cut);
    o.close();
    out.push('\n');
    out
}

/// Writes the record, and again shorter if it passes `MAX_LINE`.
fn bounded(
    e: &Envelope<'_>,
    duration: Option<u64>,
    exit: Option<&dyn Fn(&mut Obj<'_>)>,
    body: &dyn Fn(&mut Obj<'_>, bool),
) -> String {
    let line = record(e, duration, exit, false, body);
    if line.len() <= MAX_LINE {
        return line;
    }
    record(e, duration, exit, true, body)
}

/// At most `max` bytes of `s`, cut on a character boundary.
fn cut_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut at = max;
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[..at]
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
    let duration = super::stamp::duration_ns(raw.ts_enter, raw.ts_exit, raw.no_return);
    let params = sc.def.and_then(|d| d.params).unwrap_or_default();
    bounded(e, duration, None, &|o, cut| {
        o.obj("syscall", |s| {
            s.str("name", &sc.name)
                .int("nr", i64::from(sc.nr))
                .str("arch", "x86_64");
            s.arr("args", |a| {
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
                        let t = super::strace::arg_text(inner, text, fds, sc.tgid);
                        ao.str("text", if cut { cut_str(&t, CUT_TEXT) } else { &t });
                        // Memory that could not be read: the raw value stands, marked.
                        if raw.blob(i).is_some_and(|b| b.faulted) {
                            ao.bool("fault", true);
                        }
                        if !cut {
                            typed_into(inner, fds, sc.tgid, ao);
                        }
                    });
                }
            });
            s.obj("ret", |r| ret_into(sc.ret, raw.ret, fds, sc.tgid, r));
            if sc.resumed {
                s.bool("resumed", true);
            }
            if let Some(n) = notes {
                s.str("annotations", n);
            }
        });
    })
}

/// The return value: raw, and what it means.
fn ret_into(ret: Ret, raw: i64, fds: Option<&dyn FdNames>, tgid: u32, r: &mut Obj<'_>) {
    r.hex("raw", raw as u64);
    match ret {
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
                    f.str("path", &d.text());
                });
            }
        }
        Ret::Value(v) | Ret::Pid(v) => {
            r.int("value", v);
        }
        Ret::Hex(v) | Ret::Octal(v) => {
            r.int("value", v as i64);
        }
    }
}

/// A signal.
pub fn signal(e: &Envelope<'_>, sig: u32, info: &Arg) -> String {
    bounded(e, None, None, &|o, _| {
        o.obj("signal", |s| {
            s.int("number", i64::from(sig))
                .str("name", &crate::tables::signals::name(u64::from(sig)));
            if has_value(info) {
                value_into(info, s.key("info"));
            }
        });
    })
}

/// A task entering a group stop on `sig` (strace's `--- stopped by SIGSTOP ---`).
pub fn stopped(e: &Envelope<'_>, sig: u32) -> String {
    bounded(e, None, None, &|o, _| {
        o.obj("signal", |s| {
            s.int("number", i64::from(sig))
                .str("name", &crate::tables::signals::name(u64::from(sig)))
                .bool("stopped", true);
        });
    })
}

/// A task's end, from its wait status.
pub fn exit(e: &Envelope<'_>, code: u32, superseded_by: Option<u32>) -> String {
    let sig = code & 0x7f;
    let end = |x: &mut Obj<'_>| {
        if let Some(pid) = superseded_by {
            x.int("superseded_by", i64::from(pid));
        } else if sig == 0 {
            x.int("code", i64::from((code >> 8) & 0xff));
        } else {
            x.str("signal", &crate::tables::signals::name(u64::from(sig)))
                .bool("core_dumped", code & 0x80 != 0);
        }
    };
    bounded(e, None, Some(&end), &|_, _| {})
}

/// Events lost in the kernel.
pub fn lost(e: &Envelope<'_>, count: u64) -> String {
    bounded(e, None, None, &|o, _| {
        o.obj("lost", |l| {
            l.int("count", count as i64);
        });
    })
}

/// A stats record: tracer's counters and the state it holds.
pub fn stats(e: &Envelope<'_>, s: &crate::stats::Stats) -> String {
    let h = &s.held;
    bounded(e, None, None, &|o, _| {
        o.obj("stats", |t| {
            t.int("events", s.events as i64)
                .int("lost", s.lost as i64)
                .int("rate", s.rate.round() as i64)
                .int("interval_ms", (s.interval_s * 1000.0).round() as i64)
                .int("processes", h.processes as i64)
                .int("tasks", h.tasks as i64)
                .int("fds", h.fds as i64)
                .int("pending", h.pending as i64)
                .int("kernel_traced", h.kernel_traced as i64)
                .int("kernel_inflight", h.kernel_inflight as i64);
        });
    })
}

/// What a `tls` record says beyond the envelope.
pub struct Tls<'a> {
    pub call: &'a crate::event::TlsCall,
    /// `SSL_read`, `SSL_write`, `SSL_read_ex`, `SSL_write_ex`.
    pub function: &'a str,
    /// The socket fd, when known.
    pub fd: Option<i32>,
    /// What the fd refers to (`-y`/`-yy`).
    pub peer: Option<&'a str>,
    /// `--annotate`'s note on where the fd came from.
    pub notes: Option<&'a str>,
}

/// One SSL_read/SSL_write call (`--tls`): the plaintext in `tls.data` (as text, invalid
/// UTF-8 replaced), how many bytes the call moved and how many were captured.
pub fn tls(e: &Envelope<'_>, t: &Tls<'_>) -> String {
    let c = t.call;
    let duration = c.ts_exit.checked_sub(c.ts_enter);
    bounded(e, duration, None, &|o, cut| {
        o.obj("tls", |x| {
            x.str("function", t.function);
            let direction = if tracer_common::tls_is_read(c.func) {
                "read"
            } else {
                "write"
            };
            x.str("direction", direction);
            if let Some(fd) = t.fd {
                x.int("fd", i64::from(fd));
            }
            if let Some(peer) = t.peer {
                x.str("peer", peer);
            }
            x.int("return", c.ret).int("length", c.done as i64);
            x.int("captured", c.data.len() as i64);
            if !cut {
                let shown = &c.data[..c.data.len().min(MAX_VALUE)];
                x.str("data", &String::from_utf8_lossy(shown));
            }
            if c.truncated || c.data.len() > MAX_VALUE || cut {
                x.bool("truncated", true);
            }
            if let Some(notes) = t.notes {
                x.str("annotation", notes);
            }
        });
    })
}

/// The `-c` / `-C` table at the end (`event.action` summary): one object per syscall, then the
/// total, with times in nanoseconds; `message` holds strace's text table.
pub fn summary(
    e: &Envelope<'_>,
    rows: &[(String, crate::summary::Row)],
    total: &crate::summary::Row,
) -> String {
    let row = |o: &mut Obj<'_>, r: &crate::summary::Row| {
        o.int("calls", r.calls as i64)
            .int("errors", r.errors as i64)
            .int("time_ns", r.nanos as i64)
            .int("min_ns", r.min as i64)
            .int("max_ns", r.max as i64);
    };
    bounded(e, None, None, &|o, _| {
        o.obj("summary", |t| {
            t.arr("syscalls", |a| {
                for (name, r) in rows {
                    a.obj(|o| {
                        o.str("name", name);
                        row(o, r);
                    });
                }
            })
            .obj("total", |o| row(o, total));
        });
    })
}

/// attach / detach and other records with nothing more than the envelope.
pub fn plain(e: &Envelope<'_>) -> String {
    bounded(e, None, None, &|_, _| {})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Part;
    use serde_json::{Value, json};

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
                crate::decode::flags::open_flags(0o2000000),
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
    fn an_unreadable_argument_is_its_raw_value_marked_as_a_fault() {
        let sc = Syscall::new(
            8,
            "openat",
            vec![Arg::sym("AT_FDCWD"), Arg::Ptr(0x7ffd0000)],
            Ret::Error(14),
        );
        let mut r = raw(-14, [(-100i64) as u64, 0x7ffd0000, 0, 0, 0, 0]);
        r.blobs.push(crate::event::Blob {
            arg: 1,
            kind: tracer_common::CAP_CSTR,
            truncated: false,
            faulted: true,
            at_enter: false,
            data: Vec::new(),
        });
        let line = syscall(
            &env("openat(...)"),
            &sc,
            &r,
            &TextOptions::default(),
            None,
            None,
        );
        let v: Value = serde_json::from_str(&line).expect("valid JSON");
        let a = &v["syscall"]["args"][1];
        assert_eq!(
            (a["raw"].as_str(), a["text"].as_str()),
            (Some("0x7ffd0000"), Some("0x7ffd0000"))
        );
        assert_eq!(a["fault"], true);
        assert!(a.get("value").is_none(), "{a}");
        assert!(v["syscall"]["args"][0].get("fault").is_none());
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
}
