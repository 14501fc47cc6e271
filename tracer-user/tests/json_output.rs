//! `--json` without root: real kernel records (the golden recording) replayed as JSON lines,
//! validated against the schema in the repository, and a closed pipe ending tracer cleanly.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Command, Stdio},
};

use serde_json::Value;

#[path = "support/json_types.rs"]
mod json_types;

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
    json_types::validate(lines)
}

#[test]
fn every_record_follows_the_schema() {
    let counts = validate(&replay_json(&[]));
    assert!(counts["syscall"].as_u64() > Some(1000), "{counts}");
    assert!(counts["signal"].as_u64() >= Some(1), "{counts}");
    assert!(counts["exit"].as_u64() >= Some(1), "{counts}");
}

/// `-c` and `-C` with `--json`: the table comes as a `summary` record per syscall, then its
/// total with strace's whole table, every line JSON.
#[test]
fn the_summary_is_json_records() {
    for (flag, traced) in [("-c", false), ("-C", true)] {
        let lines = replay_json(&[flag]);
        let counts = validate(&lines);
        assert_eq!(
            counts["syscall"].as_u64().is_some(),
            traced,
            "{flag}: {counts}"
        );
        let records: Vec<Value> = lines
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .filter(|v: &Value| v["event"]["action"] == "summary")
            .collect();
        assert_eq!(counts["summary"].as_u64(), Some(records.len() as u64));
        let (last, rows) = records.split_last().expect("a summary");
        assert!(rows.len() > 5, "{flag}: {} rows", rows.len());
        assert!(rows.iter().all(|r| r["event"]["kind"] == "metric"));
        let calls: u64 = rows
            .iter()
            .map(|r| r["summary"]["syscall"]["calls"].as_u64().expect("calls"))
            .sum();
        assert_eq!(
            last["summary"]["total"]["calls"].as_u64(),
            Some(calls),
            "{flag}"
        );
        let open = rows
            .iter()
            .find(|r| r["summary"]["syscall"]["name"] == "openat")
            .expect("openat's row");
        assert!(open["summary"]["syscall"]["errors"].as_u64() > Some(0));
        let row_line = open["message"].as_str().expect("message");
        assert!(row_line.ends_with(" openat"), "{row_line}");
        let message = last["message"].as_str().expect("message");
        assert!(
            message.contains("% time") && message.contains("total"),
            "{message}"
        );
    }
}

/// Every field path has one JSON type over the whole recording (with `-yy` fd paths and
/// `--annotate` notes), and every line fits in rsyslog's default message size.
#[test]
fn every_field_path_has_one_type() {
    for extra in [&[][..], &["--annotate", "-s", "4096"], &["-e", "raw=all"]] {
        let lines = replay_json(extra);
        validate(&lines);
        let paths = json_types::assert_one_type_per_path(&lines);
        assert!(paths > 50, "{extra:?}: {paths} paths");
        assert!(lines.lines().all(|l| l.len() < 8000), "{extra:?}");
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
    assert_eq!(s["args"][0]["int"], -100);
    assert_eq!(s["args"][0]["text"], "AT_FDCWD");
    assert!(s["args"][1]["string"].is_string());
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

/// A replay asks nothing of the system it runs on: a recorded pid that is a live process here
/// (a `sleep` the test starts) is not named, credited or placed after that process.
#[test]
fn a_replay_does_not_describe_recorded_pids_by_this_systems_processes() {
    use tracer::{
        event::{Part, RawEvent, RawSyscall},
        source::record,
    };
    let mut sleeper = Command::new("sleep").arg("30").spawn().expect("run sleep");
    let pid = sleeper.id();
    let call = RawSyscall {
        part: Part::Complete,
        no_enter: false,
        no_return: false,
        has_enter_record: false,
        restarted: false,
        ts_enter: 1,
        ts_exit: 2,
        tgid: pid,
        tid: pid,
        nr: libc::SYS_getpid as u32,
        ret: i64::from(pid),
        args: [0; 6],
        off_cpu: 0,
        ip: None,
        blobs: Vec::new(),
        tampered: Default::default(),
    };
    let encoded = record::encode_event(0, &RawEvent::Syscall(call)).expect("encodable");
    let mut data = (encoded.len() as u32).to_le_bytes().to_vec();
    data.extend(encoded);
    let path = std::env::temp_dir().join(format!("tracer-replay-host-{}", std::process::id()));
    std::fs::write(&path, data).expect("write the recording");
    let out = Command::new(env!("CARGO_BIN_EXE_tracer"))
        .args(["--json", "--replay"])
        .arg(&path)
        .output()
        .expect("run tracer");
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout);
    let first: Value = serde_json::from_str(text.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(first["syscall"]["name"], "getpid", "{text}");
    assert!(!text.contains("\"sleep\""), "{text}");
}

/// Whether a typed value holds a captured string or data somewhere (a `len`).
fn holds_data(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("len") || m.values().any(holds_data),
        Value::Array(items) => items.iter().any(holds_data),
        _ => false,
    }
}

/// How many captured values (`len`) of `v`, at any depth, have a `string` and how many not.
fn strings_and_data(v: &Value) -> (usize, usize) {
    let mut n = match v.get("len") {
        Some(_) if v.get("string").is_some() => (1, 0),
        Some(_) => (0, 1),
        None => (0, 0),
    };
    let inner: Vec<&Value> = match v {
        Value::Object(m) => m.values().collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    for i in inner {
        let (s, d) = strings_and_data(i);
        (n.0, n.1) = (n.0 + s, n.1 + d);
    }
    n
}

/// Schema 3: an argument's `text` is its piece of `message`, and an argument holding a
/// captured string or data has none. Schema 4: data (a read's or write's buffer, an iovec's)
/// is in `message` only, without `string`; a path keeps its `string`.
#[test]
fn argument_texts_are_pieces_of_message_and_data_is_not_repeated() {
    let lines = replay_json(&["-s", "4096"]);
    let (mut texts, mut data) = (0, 0);
    let (mut paths, mut buffers) = (0, 0);
    for line in lines.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        let message = v["message"].as_str().unwrap_or_default();
        let name = v["syscall"]["name"].as_str().unwrap_or_default();
        for arg in v["syscall"]["args"].as_array().into_iter().flatten() {
            let (strings, bytes) = strings_and_data(arg);
            match (name, arg["name"].as_str().unwrap_or_default()) {
                ("read" | "write" | "pread64" | "pwrite64" | "readv" | "writev", "buf" | "vec") => {
                    assert_eq!(strings, 0, "{name}: {arg}");
                    buffers += bytes;
                }
                ("openat" | "execve" | "stat" | "newfstatat" | "access", "filename") => {
                    assert_eq!((strings, bytes), (1, 0), "{name}: {arg}");
                    paths += 1;
                }
                _ => {}
            }
            if holds_data(arg) {
                assert!(arg.get("text").is_none(), "{arg}");
                data += 1;
            } else {
                let text = arg["text"].as_str().unwrap_or_else(|| panic!("{arg}"));
                assert!(message.contains(text), "{text:?} not in {message:?}");
                texts += 1;
            }
        }
    }
    assert!(
        texts > 1000 && data > 100,
        "{texts} texts, {data} with data"
    );
    assert!(
        paths > 50 && buffers > 50,
        "{paths} paths, {buffers} buffers"
    );
}
