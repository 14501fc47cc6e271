//! Unit tests of the JSON records.
use super::*;
use crate::event::Part;
use serde_json::{Value, json};

fn env(message: &str) -> Envelope<'_> {
    Envelope {
        timestamp: "2026-11-26T09:30:00.123456789Z".into(),
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
        &[],
    );
    assert!(line.ends_with('\n'));
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(v["@timestamp"], "2026-11-26T09:30:00.123456789Z");
    assert_eq!(v["tracer"]["schema_version"], 2);
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
    assert_eq!(s["args"][1]["text"], "\"/nonexistent/file\"");
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
    let line = syscall(
        &env("getppid() = 1"),
        &sc,
        &raw(1, [0; 6]),
        &TextOptions::default(),
        None,
        None,
        &stack,
    );
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
    let line = syscall(
        &env("openat(...)"),
        &sc,
        &r,
        &TextOptions::default(),
        None,
        None,
        &[],
    );
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
        let line = syscall(
            &e,
            &sc,
            &raw(60_000, [1, 0, 60_000, 0, 0, 0]),
            &TextOptions::default(),
            None,
            None,
            &[],
        );
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
