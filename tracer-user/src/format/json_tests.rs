//! Unit tests of the JSON records.
use super::*;
use crate::{event::Part, format::text_options::TextOptions};
use serde_json::{Value, json};

/// 2026-11-26T09:30:00.123456789Z.
fn stamp() -> Rfc3339 {
    use crate::format::stamp::{Clock, StampMode};
    Clock::with_offset(StampMode::None, 1_795_685_400_123_456_789).rfc3339(0)
}

fn env(message: &str) -> Envelope<'_> {
    Envelope {
        timestamp: stamp(),
        action: "syscall",
        outcome: "failure",
        task: Some(Task {
            pid: 7,
            tid: 8,
            name: Some("cat".into()),
            ..Task::default()
        }),
        message,
        max_line: MAX_LINE,
    }
}

/// A syscall's line with `message` (its arguments' texts at `marks`) and `stack`.
fn line_with(
    e: &Envelope<'_>,
    sc: &Syscall,
    raw: &RawSyscall,
    marks: &[Range<usize>],
    stack: &[crate::stack::Frame],
) -> String {
    let mut out = String::new();
    let call = Call {
        sc,
        raw,
        marks,
        fds: None,
        notes: None,
        stack,
        members: None,
    };
    syscall(&mut out, e, &call);
    out
}

/// A syscall's line, its `message` written as the emitter writes it.
fn line_of(sc: &Syscall, raw: &RawSyscall, stack: &[crate::stack::Frame]) -> String {
    let (mut message, mut marks) = (String::new(), Vec::new());
    let text = TextOptions::default();
    crate::format::strace::call_line_marked(sc, &text, None, &mut message, &mut marks);
    line_with(&env(&message), sc, raw, &marks, stack)
}

fn raw(ret: i64, args: [u64; 6]) -> RawSyscall {
    RawSyscall {
        part: Part::Complete,
        no_enter: false,
        no_return: false,
        has_enter_record: false,
        restarted: false,
        ts_enter: 100,
        ts_exit: 350,
        tgid: 7,
        tid: 8,
        nr: 257,
        ret,
        args,
        off_cpu: 0,
        ip: None,
        blobs: vec![],
        tampered: Default::default(),
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
    let line = line_of(
        &sc,
        &raw(-2, [(-100i64) as u64, 0x7ffd0000, 0x80000, 0, 0, 0]),
        &[],
    );
    assert!(line.ends_with('\n'));
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(v["@timestamp"], "2026-11-26T09:30:00.123456789Z");
    assert_eq!(v["tracer"]["schema_version"], 4);
    assert_eq!(
        v["message"],
        "openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)"
    );
    assert_eq!(v["ecs"]["version"], ECS_VERSION);
    assert_eq!(v["event"]["duration"], 250);
    assert_eq!(v["process"]["thread"]["id"], 8);
    let s = &v["syscall"];
    assert_eq!(s["name"], "openat");
    assert_eq!(s["args"][0]["name"], "dfd");
    assert_eq!(s["args"][0]["raw"], "0xffffffffffffff9c");
    assert_eq!(s["args"][1]["name"], "filename");
    assert_eq!(s["args"][0]["string"], "AT_FDCWD");
    assert_eq!(s["args"][1]["string"], "/nonexistent/file");
    // Schema 3: captured strings have no text (message has them as strace prints them).
    assert!(s["args"][1].get("text").is_none(), "{}", s["args"][1]);
    assert_eq!(s["args"][0]["text"], "AT_FDCWD");
    assert_eq!(s["args"][2]["text"], "O_RDONLY|O_CLOEXEC");
    assert_eq!(s["args"][2]["flags"], json!(["O_RDONLY", "O_CLOEXEC"]));
    assert_eq!(s["ret"]["errno"], "ENOENT");
    assert_eq!(s["ret"]["text"], "No such file or directory");
    assert_eq!(s["ret"]["raw"], "0xfffffffffffffffe");
}

#[test]
fn k_adds_the_stack_as_an_array_of_frames() {
    use crate::stack::Frame;
    let sc = Syscall::new(8, "getppid", vec![], Ret::Value(1));
    let stack = [
        Frame::File {
            path: "/usr/lib/x86_64-linux-gnu/libc.so.6".into(),
            function: Some(("getppid".into(), 7)),
            offset: 0xd54f7,
        },
        Frame::File {
            path: "/tmp/t".into(),
            function: None,
            offset: 0x115f,
        },
        Frame::Error {
            what: "unexpected_backtracing_error",
            addr: 0x7f00,
        },
    ];
    let line = line_of(&sc, &raw(1, [0; 6]), &stack);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(
        v["syscall"]["stack"],
        json!([
            {"binary": "/usr/lib/x86_64-linux-gnu/libc.so.6", "function": "getppid",
             "function_offset": "0x7", "offset": "0xd54f7"},
            {"binary": "/tmp/t", "offset": "0x115f"},
            {"error": "unexpected_backtracing_error", "address": "0x7f00"},
        ])
    );
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
    let line = line_of(&sc, &r, &[]);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    let a = &v["syscall"]["args"][1];
    assert_eq!(
        (a["raw"].as_str(), a["text"].as_str()),
        (Some("0x7ffd0000"), Some("0x7ffd0000"))
    );
    assert_eq!(a["fault"], true);
    assert!(a.get("string").is_none() && a.get("int").is_none(), "{a}");
    assert!(v["syscall"]["args"][0].get("fault").is_none());
}

#[test]
fn huge_captures_are_cut_to_the_line_limit_and_say_how_much() {
    let big = vec![0u8; 60_000];
    let sc = Syscall::new(
        8,
        "write",
        vec![Arg::Fd(1), Arg::str(&big, false)],
        Ret::Value(60_000),
    );
    let message = "w".repeat(70_000);
    for max_line in [MAX_LINE, MIN_LINE, 100_000] {
        let e = Envelope {
            max_line,
            ..env(&message)
        };
        let line = line_with(&e, &sc, &raw(60_000, [1, 0, 60_000, 0, 0, 0]), &[], &[]);
        assert!(line.len() <= max_line, "{} > {max_line}", line.len());
        let v: Value = serde_json::from_str(&line).expect("valid JSON");
        let data = &v["syscall"]["args"][1];
        let kept = data["string"].as_str().expect("string").chars().count() as u64;
        assert_eq!(data["len"], 60_000);
        assert_eq!(data["cut"].as_u64(), Some(60_000 - kept), "{data}");
        assert_eq!(v["tracer"]["truncated"], true);
        let cut = v["tracer"]["cut"].as_u64().expect("cut");
        let message_kept = v["message"].as_str().expect("message").len() as u64;
        assert!(cut >= (60_000 - kept) + (70_000 - message_kept), "{cut}");
    }
    // Data is in `message` only (schema 4): only `message` is cut, the argument says how
    // long the capture was.
    let sc = Syscall::new(
        8,
        "write",
        vec![Arg::Fd(1), Arg::data(&big, false)],
        Ret::Value(60_000),
    );
    let line = line_with(
        &env(&message),
        &sc,
        &raw(60_000, [1, 0, 60_000, 0, 0, 0]),
        &[],
        &[],
    );
    assert!(line.len() <= MAX_LINE, "{}", line.len());
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(
        v["syscall"]["args"][1],
        json!({"name": "buf", "raw": "0x0", "len": 60_000})
    );
    let message_kept = v["message"].as_str().expect("message").len() as u64;
    assert_eq!(v["tracer"]["cut"].as_u64(), Some(70_000 - message_kept));
}

#[test]
fn an_exit_with_a_status_is_a_failure_with_ecs_exit_code() {
    let mut e = env("+++ exited with 2 +++");
    e.action = "exit";
    e.outcome = exit_outcome(2 << 8, None);
    let v: Value = serde_json::from_str(&exit(&e, 2 << 8, None)).expect("JSON");
    assert_eq!(v["process"]["exit_code"], 2);
    assert_eq!(v["event"]["outcome"], "failure");
    assert_eq!(exit_outcome(0, None), "success");
    assert_eq!(exit_outcome(9, None), "failure");
    let v: Value = serde_json::from_str(&exit(&e, 9, None)).expect("JSON");
    assert_eq!(v["process"]["exit"]["signal"], "SIGKILL");
    assert!(v["process"].get("exit_code").is_none());
}

#[test]
fn records_about_tracer_name_it_as_agent_and_observer() {
    let mut e = env("stats");
    e.task = None;
    e.action = "stats";
    let v: Value = serde_json::from_str(&plain(&e)).expect("JSON");
    assert!(v.get("process").is_none(), "{v}");
    assert_eq!(v["agent"]["name"], "tracer");
    assert_eq!(v["observer"]["product"], "tracer");
    assert_eq!(v["event"]["kind"], "metric");
}

/// Schema 4: a captured buffer is in `message` only (exact bytes, as strace prints them),
/// not again in its argument's `string` (schema 3) or `text` (schema 2); the other
/// arguments' `text` is their piece of `message`, as strace renders them alone.
#[test]
fn a_buffer_is_written_once_in_message() {
    let sc = Syscall::new(
        8,
        "write",
        vec![
            Arg::Fd(1),
            Arg::data(b"hello\0\"world\"\xff", false),
            Arg::Named("count", Box::new(Arg::UInt(14))),
        ],
        Ret::Value(14),
    );
    let line = line_of(&sc, &raw(14, [1, 0x7ffd0000, 14, 0, 0, 0]), &[]);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    let message = v["message"].as_str().expect("message");
    assert_eq!(
        message,
        r#"write(1, "hello\0\"world\"\377", count=14) = 14"#
    );
    let args = &v["syscall"]["args"];
    assert!(args[1].get("text").is_none(), "{}", args[1]);
    assert_eq!(
        args[1],
        json!({"name": "buf", "raw": "0x7ffd0000", "len": 14})
    );
    let text = TextOptions::default();
    for (i, arg) in [(0, &sc.args[0]), (2, &Arg::UInt(14))] {
        let alone = crate::format::strace::arg_text(arg, &text, None, 7);
        assert_eq!(args[i]["text"], alone, "{}", args[i]);
        assert!(message.contains(&alone));
    }
    assert_eq!(line.matches("world").count(), 1, "{line}");
    // A path or name keeps its `string` beside `message` (shippers filter on it).
    let mut sc = sc;
    sc.args[1] = Arg::str(b"hello\0\"world\"\xff", false);
    let line = line_of(&sc, &raw(14, [1, 0x7ffd0000, 14, 0, 0, 0]), &[]);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(
        v["syscall"]["args"][1],
        json!({"name": "buf", "raw": "0x7ffd0000", "string": "hello\u{fffd}\"world\"\u{fffd}",
               "len": 14, "utf8": false})
    );
    assert_eq!(line.matches("world").count(), 2, "{line}");
}

/// A struct or array holding captured data has no text either; one without has it.
#[test]
fn values_holding_data_have_no_text() {
    let iov = |data: Arg| Arg::Array {
        items: vec![Arg::Struct {
            fields: vec![("iov_base", data), ("iov_len", Arg::UInt(3))],
            more: false,
        }],
        more: false,
    };
    let sc = Syscall::new(
        8,
        "writev",
        vec![Arg::Fd(1), iov(Arg::data(b"abc", false)), Arg::Int(1)],
        Ret::Value(3),
    );
    let line = line_of(&sc, &raw(3, [1, 0x7ffd0000, 1, 0, 0, 0]), &[]);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    let a = &v["syscall"]["args"][1];
    assert!(a.get("text").is_none(), "{a}");
    assert_eq!(a["items"][0]["fields"]["iov_base"], json!({"len": 3}));
    let sc = Syscall::new(
        8,
        "writev",
        vec![Arg::Fd(1), iov(Arg::Ptr(0x10)), Arg::Int(1)],
        Ret::Value(3),
    );
    let line = line_of(&sc, &raw(3, [1, 0x7ffd0000, 1, 0, 0, 0]), &[]);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(
        v["syscall"]["args"][1]["text"],
        "[{iov_base=0x10, iov_len=3}]"
    );
}

/// The task's members kept from the record before are the ones written afresh, and a new
/// name (a new `Rc`) writes them again.
#[test]
fn kept_task_members_are_the_fresh_ones() {
    let sc = Syscall::new(8, "getppid", vec![], Ret::Value(1));
    let r = raw(1, [0; 6]);
    let mut kept = TaskMembers::default();
    let mut e = env("getppid() = 1");
    let cat: Rc<str> = "cat".into();
    for name in [cat.clone(), cat, "dog".into()] {
        e.task.as_mut().expect("task").name = Some(name.clone());
        let task = e.task.as_ref().expect("task");
        let members = kept.of(task).to_string();
        let mut cached = String::new();
        let call = Call {
            sc: &sc,
            raw: &r,
            marks: &[],
            fds: None,
            notes: None,
            stack: &[],
            members: Some(&members),
        };
        syscall(&mut cached, &e, &call);
        assert_eq!(cached, line_with(&e, &sc, &r, &[], &[]));
        assert!(cached.contains(&format!(r#""name":"{name}""#)), "{cached}");
    }
}

/// A deep `-k` stack (172 frames of ~90 bytes: the tester's recursion 200 deep) passed the
/// line limit untouched: only texts were cut.
#[test]
fn a_deep_stack_is_cut_from_its_outer_end_to_the_line_limit() {
    use crate::stack::Frame;
    let sc = Syscall::new(110, "getppid", vec![], Ret::Value(1));
    let stack: Vec<Frame> = (0..172u64)
        .map(|i| Frame::File {
            path: "/usr/lib/x86_64-linux-gnu/libexample.so.1".into(),
            function: Some((format!("recurse_{i}"), i)),
            offset: 0x1000 + i,
        })
        .collect();
    let message = "getppid() = 1".to_string();
    for max_line in [MAX_LINE, MIN_LINE] {
        let e = Envelope {
            max_line,
            ..env(&message)
        };
        let line = line_with(&e, &sc, &raw(1, [0; 6]), &[], &stack);
        assert!(line.len() <= max_line, "{} > {max_line}", line.len());
        let v: Value = serde_json::from_str(&line).expect("valid JSON");
        let shown = v["syscall"]["stack"].as_array().expect("stack");
        assert!(!shown.is_empty(), "some frames kept: {line}");
        assert_eq!(shown[0]["function"], "recurse_0", "innermost first");
        let cut = v["syscall"]["stack_cut"].as_u64().expect("stack_cut");
        assert_eq!(shown.len() as u64 + cut, 172);
        assert_eq!(v["tracer"]["items_cut"].as_u64(), Some(cut));
        assert_eq!(v["tracer"]["truncated"], true);
    }
}

/// An argument of many short items (an argv of 3000 words) is cut by count as well.
#[test]
fn a_long_array_is_cut_by_count_to_the_line_limit() {
    let items: Vec<Arg> = (0..3000).map(|_| Arg::str(b"word", false)).collect();
    let sc = Syscall::new(
        59,
        "execve",
        vec![
            Arg::str(b"/bin/true", false),
            Arg::Array { items, more: false },
            Arg::Ptr(0),
        ],
        Ret::Value(0),
    );
    let message = "execve(\"/bin/true\", [...], NULL) = 0".to_string();
    let e = Envelope {
        max_line: MIN_LINE,
        ..env(&message)
    };
    let line = line_with(&e, &sc, &raw(0, [0; 6]), &[], &[]);
    assert!(line.len() <= MIN_LINE, "{} > {MIN_LINE}", line.len());
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    let argv = &v["syscall"]["args"][1];
    let kept = argv["items"].as_array().expect("items").len() as u64;
    assert_eq!(argv["items_cut"].as_u64(), Some(3000 - kept), "{argv}");
    assert_eq!(v["tracer"]["items_cut"].as_u64(), Some(3000 - kept));
}

/// A record that fits is written whole: no item count, no cut.
#[test]
fn a_short_array_and_stack_are_whole() {
    let sc = Syscall::new(
        59,
        "execve",
        vec![Arg::Array {
            items: vec![Arg::str(b"a", false)],
            more: false,
        }],
        Ret::Value(0),
    );
    let line = line_of(&sc, &raw(0, [0; 6]), &[]);
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert!(v["syscall"]["args"][0].get("items_cut").is_none(), "{line}");
    assert!(v["tracer"].get("items_cut").is_none(), "{line}");
    assert!(v["tracer"].get("truncated").is_none(), "{line}");
}

/// An exec's `process.args` (299 arguments of 39 bytes: `xargs`, `find -exec +`) is cut by
/// count like the arguments: the line kept 36 KB of it past any limit (t13 item 6).
#[test]
fn an_execs_process_args_are_cut_to_the_line_limit() {
    let argv: Vec<String> = (0..299).map(|i| format!("{i:039}")).collect();
    let sc = Syscall::new(59, "execve", vec![], Ret::Value(0));
    let message = "execve(\"/bin/true\", [...], NULL) = 0".to_string();
    for max_line in [MAX_LINE, MIN_LINE] {
        let mut e = Envelope {
            max_line,
            ..env(&message)
        };
        e.task.as_mut().expect("task").exec = Some(("/bin/true".into(), Some(argv.clone())));
        let line = line_with(&e, &sc, &raw(0, [0; 6]), &[], &[]);
        assert!(line.len() <= max_line, "{} > {max_line}", line.len());
        let v: Value = serde_json::from_str(&line).expect("valid JSON");
        let kept = v["process"]["args"].as_array().expect("args").len() as u64;
        assert_eq!(
            v["process"]["args_cut"].as_u64(),
            Some(299 - kept),
            "{line}"
        );
        assert_eq!(v["tracer"]["items_cut"].as_u64(), Some(299 - kept));
    }
}

/// `tls.data` with a NUL or invalid UTF-8 says so (`utf8: false`), as an argument's `string`
/// does; exact text has no `utf8`.
#[test]
fn tls_data_with_replaced_bytes_is_marked() {
    let e = Envelope {
        action: "tls",
        outcome: "success",
        ..env("SSL_write@libssl(3, ...) = 4")
    };
    for (data, marked) in [
        (&b"p\0\0\x08"[..], true),
        (b"caf\xe9", true),
        (b"SELE", false),
    ] {
        let call = crate::event::TlsCall {
            ts_enter: 1,
            ts_exit: 2,
            tgid: 7,
            tid: 8,
            func: tracer_common::TLS_SSL_WRITE,
            fd: Some(3),
            ssl: 0x10,
            buf: 0x20,
            num: 4,
            ret: 4,
            done: 4,
            data: data.to_vec(),
            truncated: false,
            faulted: false,
        };
        let t = Tls {
            call: &call,
            function: "SSL_write",
            fd: Some(3),
            peer: None,
            notes: None,
        };
        let v: Value = serde_json::from_str(&tls(&e, &t)).expect("valid JSON");
        let expected = String::from_utf8_lossy(data).replace('\0', "\u{fffd}");
        assert_eq!(v["tls"]["data"], json!(expected));
        assert_eq!(v["tls"].get("utf8"), marked.then_some(&json!(false)));
    }
}
