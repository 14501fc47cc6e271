//! tracer feeding logs (root, real eBPF): passwords kept out of both formats on a real
//! pgBouncer login, SIGHUP reopening the output after a rotation, and rsyslog (Debian's)
//! ingesting the JSON lines with its own JSON parser.

mod common;
#[path = "support/pg.rs"]
mod pg;

use std::{
    fs,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::Duration,
};

use common::*;
use regex::Regex;
use serde_json::Value;

fn stories() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stories.py")
}

/// Starts `tracer ARGS -o TRACE`, waits until it is attached, returns it.
fn attach(args: &[String], trace: &Path) -> std::process::Child {
    let mut child = tracer()
        .args(args)
        .arg("-o")
        .arg(trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    assert!(first.contains("attached"), "tracer said: {first}");
    thread::spawn(move || lines.for_each(drop));
    child
}

fn stop(mut tracer: std::process::Child) {
    signal(tracer.id(), libc::SIGINT);
    let _ = tracer.wait();
}

#[test]
fn root_password_messages_are_redacted_unless_asked() {
    require_root();
    let bouncer = pg::ensure_bouncer().expect("PostgreSQL and pgBouncer");
    let dir = scratch("redact");
    let digest = Regex::new(r"md5[0-9a-f]{32}").expect("re");
    for (name, extra) in [
        ("text", &[][..]),
        ("json", &["--json"][..]),
        ("shown", &["--no-redact"][..]),
    ] {
        let trace = dir.join(name);
        let mut args: Vec<String> = ["-p", &bouncer.to_string(), "-f", "-e", "trace=recvfrom"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(["-s", "256"].map(String::from));
        args.extend(extra.iter().map(|s| s.to_string()));
        let tracer = attach(&args, &trace);
        let client = Command::new("/usr/bin/python3")
            .arg(stories())
            .args([
                "pg-client",
                &pg::BOUNCER_PORT.to_string(),
                pg::BOUNCER_PASSWORD,
            ])
            .output()
            .expect("run the client");
        assert!(
            client.status.success(),
            "{}",
            String::from_utf8_lossy(&client.stderr)
        );
        wait_for(&trace, Duration::from_secs(10), |t| t.contains("READ ONLY"));
        stop(tracer);
        let text = fs::read_to_string(&trace).expect("trace");
        match name {
            "text" => {
                assert!(!digest.is_match(&text), "{text}");
                assert!(text.contains(r#""p\0\0\0(****"#), "{text}");
            }
            "json" => {
                assert!(!digest.is_match(&text), "{text}");
                let masked = text
                    .lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                    .filter_map(|v| v["syscall"]["args"][1]["string"].as_str().map(String::from))
                    .any(|v| v.starts_with("p\0\0\0(****"));
                assert!(masked, "{text}");
            }
            _ => assert!(digest.is_match(&text), "{text}"),
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_sighup_reopens_the_output_after_rotation() {
    sighup_reopens("ebpf");
}

#[test]
fn root_sighup_reopens_the_output_after_rotation_with_ptrace() {
    sighup_reopens("ptrace");
}

fn sighup_reopens(backend: &str) {
    require_root();
    let dir = scratch(&format!("sighup-{backend}"));
    let (missing, counter, trace) = (dir.join("missing"), dir.join("counter"), dir.join("trace"));
    let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    let pid = opener.0.id().to_string();
    let tracer = attach(
        &[
            format!("--backend={backend}"),
            "-p".to_string(),
            pid,
            "-e".into(),
            "trace=openat".into(),
        ],
        &trace,
    );
    wait_for(&trace, Duration::from_secs(10), |t| t.contains("ENOENT"));
    let rotated = dir.join("trace.1");
    fs::rename(&trace, &rotated).expect("rotate");
    signal(tracer.id(), libc::SIGHUP);
    let fresh = wait_for(&trace, Duration::from_secs(10), |t| t.contains("ENOENT"));
    stop(tracer);
    let old = fs::read_to_string(&rotated).expect("rotated file");
    let _ = fs::remove_dir_all(&dir);
    assert!(old.contains("ENOENT"), "{old}");
    assert!(fresh.contains("ENOENT"), "nothing in the new file");
}

/// rsyslog reading `input` with imfile, parsing each line with mmjsonparse, and writing the
/// parsed tree (`$!`) as JSON to `output`.
fn rsyslog_config(dir: &Path, input: &Path, output: &Path) -> String {
    format!(
        r#"global(workDirectory="{work}" maxMessageSize="64k")
module(load="imfile")
module(load="mmjsonparse")
template(name="parsed" type="list") {{ property(name="$!") constant(value="\n") }}
ruleset(name="tracer") {{
  action(type="mmjsonparse" cookie="")
  action(type="omfile" file="{out}" template="parsed")
}}
input(type="imfile" file="{input}" tag="tracer" ruleset="tracer")
"#,
        work = dir.display(),
        input = input.display(),
        out = output.display(),
    )
}

#[test]
fn root_rsyslog_parses_the_json_lines_intact() {
    require_root();
    let dir = scratch("rsyslog");
    let (json, parsed, conf) = (
        dir.join("trace.json"),
        dir.join("parsed.json"),
        dir.join("rsyslog.conf"),
    );
    fs::write(&conf, rsyslog_config(&dir, &json, &parsed)).expect("config");
    let status = tracer()
        .args(["--json", "-e", "trace=openat", "-o"])
        .arg(&json)
        .args(["--", "cat", "/nonexistent/for-rsyslog"])
        .stderr(Stdio::null())
        .status()
        .expect("run tracer");
    assert_eq!(status.code(), Some(1));
    let rsyslog = KillOnDrop(
        Command::new("/usr/sbin/rsyslogd")
            .args(["-n", "-iNONE", "-f"])
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("rsyslogd (apt-get install rsyslog)"),
    );
    let text = wait_for(&parsed, Duration::from_secs(20), |t| {
        t.contains("for-rsyslog")
    });
    drop(rsyslog);
    let ours: Vec<Value> = fs::read_to_string(&json)
        .expect("trace")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let _ = fs::remove_dir_all(&dir);
    let theirs: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let find = |records: &[Value]| -> Option<Value> {
        records
            .iter()
            .find(|v| v["syscall"]["args"][1]["string"] == "/nonexistent/for-rsyslog")
            .cloned()
    };
    let sent = find(&ours).expect("the failed open in tracer's output");
    let got = find(&theirs).unwrap_or_else(|| panic!("rsyslog did not parse it:\n{text}"));
    for field in [
        &["syscall", "name"][..],
        &["process", "pid"],
        &["syscall", "ret", "errno"],
        &["syscall", "ret", "raw"],
        &["@timestamp"],
        &["message"],
    ] {
        let pick = |v: &Value| field.iter().fold(v.clone(), |v, k| v[*k].clone());
        assert_eq!(pick(&got), pick(&sent), "{field:?}");
    }
    assert_eq!(got["syscall"]["ret"]["errno"], "ENOENT");
}
