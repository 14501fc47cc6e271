//! `--json` without root: real kernel records (the golden recording) replayed as JSON lines,
//! validated against the schema in the repository, and a closed pipe ending tracer cleanly.

use std::{
    io::{BufRead, BufReader, Write},
    path::PathBuf,
    process::{Command, Stdio},
};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn replay_json(extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tracer"))
        .args(["--json", "-f", "-yy", "--replay"])
        .arg(root().join("tests/golden/zoo.events"))
        .args(extra)
        .output()
        .expect("run tracer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The schema validator's counts by `event.action`; panics on the first invalid line.
fn validate(lines: &str) -> Value {
    let mut check = Command::new("/usr/bin/python3")
        .arg(root().join("tests/support/validate_json.py"))
        .arg(root().join("../schema/tracer-event.schema.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with jsonschema (apt-get install python3-jsonschema)");
    check
        .stdin
        .take()
        .expect("stdin")
        .write_all(lines.as_bytes())
        .expect("write");
    let out = check.wait_with_output().expect("validator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("counts")
}

#[test]
fn every_record_follows_the_schema() {
    let counts = validate(&replay_json(&[]));
    assert!(counts["syscall"].as_u64() > Some(1000), "{counts}");
    assert!(counts["signal"].as_u64() >= Some(1), "{counts}");
    assert!(counts["exit"].as_u64() >= Some(1), "{counts}");
}

/// `-c` and `-C` with `--json`: the table comes as one `summary` record, every line JSON.
#[test]
fn the_summary_is_a_json_record() {
    for (flag, traced) in [("-c", false), ("-C", true)] {
        let lines = replay_json(&[flag]);
        let counts = validate(&lines);
        assert_eq!(counts["summary"], 1, "{flag}: {counts}");
        assert_eq!(
            counts["syscall"].as_u64().is_some(),
            traced,
            "{flag}: {counts}"
        );
        let last: Value =
            serde_json::from_str(lines.lines().last().expect("a line")).expect("JSON");
        assert_eq!(last["event"]["kind"], "metric");
        let s = &last["summary"];
        let rows = s["syscalls"].as_array().expect("syscalls");
        let calls: u64 = rows
            .iter()
            .map(|r| r["calls"].as_u64().expect("calls"))
            .sum();
        assert_eq!(s["total"]["calls"].as_u64(), Some(calls), "{flag}");
        assert!(
            rows.iter()
                .any(|r| r["name"] == "openat" && r["errors"].as_u64() > Some(0))
        );
        let message = last["message"].as_str().expect("message");
        assert!(
            message.contains("% time") && message.contains("total"),
            "{message}"
        );
    }
}

#[test]
fn a_failed_open_has_its_fields() {
    let lines = replay_json(&[]);
    let record = lines
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .find(|v| v["syscall"]["name"] == "openat" && v["syscall"]["ret"]["errno"] == "ENOENT")
        .expect("a failed openat in the zoo");
    let s = &record["syscall"];
    assert_eq!(s["nr"], 257);
    assert_eq!(s["args"][1]["name"], "filename");
    assert!(s["args"][1]["value"].is_string());
    assert_eq!(s["ret"]["raw"], "0xfffffffffffffffe");
    assert_eq!(s["ret"]["text"], "No such file or directory");
    assert_eq!(record["event"]["outcome"], "failure");
    assert!(record["process"]["pid"].as_u64().is_some());
    let message = record["message"].as_str().expect("message");
    assert!(message.starts_with("openat(") && message.ends_with("(No such file or directory)"));
}

#[test]
fn a_closed_pipe_ends_tracer_cleanly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracer"))
        .args(["--json", "--replay"])
        .arg(root().join("tests/golden/zoo.events"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("one line");
    // The reader is gone (like `| head -1`).
    let out = child.wait_with_output().expect("wait");
    assert!(first.starts_with("{\"@timestamp\""), "{first}");
    assert!(out.status.success(), "{:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
