//! tracer feeding logs (root, real eBPF): passwords kept out of both formats on a real
//! pgBouncer login, SIGHUP reopening the output after a rotation, and Debian's rsyslog (imfile +
//! mmjsonparse) and syslog-ng (json-parser), each with its default settings and started by the
//! test, ingesting a real trace of the pgBouncer story: every record arrives, field by field.

mod common;
#[path = "support/pg.rs"]
mod pg;

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use common::*;
use regex::Regex;
use serde_json::Value;

/// Starts `tracer ARGS -o TRACE`, waits until it is attached, returns it.
fn attach(args: &[String], trace: &Path) -> std::process::Child {
    let mut t = tracer();
    t.args(args);
    attach_to_file(t, trace)
}

/// The story's client logs in through pgBouncer (MD5) and queries; once `trace` shows the
/// answer, `tracer` is stopped.
fn login_and_query(tracer: std::process::Child, trace: &Path) {
    pg::story_client();
    wait_for(trace, Duration::from_secs(10), |t| t.contains("READ ONLY"));
    stop(tracer);
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
        login_and_query(tracer, &trace);
        let text = fs::read_to_string(&trace).expect("trace");
        match name {
            "text" => {
                assert!(!digest.is_match(&text), "{text}");
                assert!(text.contains(r#""p\0\0\0(****"#), "{text}");
            }
            "json" => {
                assert!(!digest.is_match(&text), "{text}");
                // The data is in `message` only (schema 4), masked there.
                let masked = text
                    .lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                    .filter(|v| v["syscall"]["args"][1].get("string").is_none())
                    .filter_map(|v| v["message"].as_str().map(String::from))
                    .any(|m| m.contains(r#", "p\0\0\0(****"#));
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

/// A real trace of the pgBouncer story as JSON lines (eBPF, `-f -yy -s 8192`: pgBouncer's
/// every call while a client logs in and queries, with the wire messages as captured data).
fn story_trace(dir: &Path) -> PathBuf {
    let bouncer = pg::ensure_bouncer().expect("PostgreSQL and pgBouncer");
    let trace = dir.join("trace.json");
    let args: Vec<String> = [
        "-p",
        &bouncer.to_string(),
        "-f",
        "-yy",
        "-s",
        "8192",
        "--json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let tracer = attach(&args, &trace);
    login_and_query(tracer, &trace);
    trace
}

/// tracer's records, parsed.
fn records(trace: &Path) -> Vec<Value> {
    fs::read_to_string(trace)
        .expect("trace")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Compares `ours` with `theirs` leaf by leaf (`as_text`: as text, for a shipper that keeps
/// values as text and an array as its JSON text); returns how many leaves were compared.
fn same(ours: &Value, theirs: &Value, path: &str, as_text: bool, shipper: &str) -> usize {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .map(|(k, x)| {
                let far = b
                    .get(k)
                    .unwrap_or_else(|| panic!("{shipper}: {path}.{k} missing from {theirs}"));
                same(x, far, &format!("{path}.{k}"), as_text, shipper)
            })
            .sum(),
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{shipper}: {path}");
            a.iter()
                .zip(b)
                .enumerate()
                .map(|(i, (x, y))| same(x, y, &format!("{path}[{i}]"), as_text, shipper))
                .sum()
        }
        // syslog-ng 3.38 writes an empty list as an empty string.
        (Value::Array(a), Value::String(s)) if as_text && a.is_empty() && s.is_empty() => 1,
        (Value::Array(_), Value::String(s)) if as_text => {
            let parsed: Value = serde_json::from_str(s)
                .unwrap_or_else(|e| panic!("{shipper}: {path} is not an array: {e}: {s}"));
            same(ours, &parsed, path, as_text, shipper)
        }
        _ if as_text => {
            assert_eq!(text(theirs), text(ours), "{shipper}: {path}");
            1
        }
        _ => {
            assert_eq!(theirs, ours, "{shipper}: {path}");
            1
        }
    }
}

/// Checks that the far side has each of tracer's records, field by field, found by the
/// record's `@timestamp`, thread, action, duration and message (two calls in pgBouncer's
/// thread once carried the same `@timestamp`: the key must tell them apart).
fn same_records(sent: &[Value], got: &[Value], as_text: bool, shipper: &str) {
    let key = |v: &Value| {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        (
            text(&v["@timestamp"]),
            text(&v["process"]["thread"]["id"]),
            text(&v["event"]["action"]),
            text(&v["event"]["duration"]),
            text(&v["message"]),
        )
    };
    let theirs: std::collections::HashMap<_, _> = got.iter().map(|v| (key(v), v)).collect();
    let mut fields = 0;
    for ours in sent {
        let Some(their) = theirs.get(&key(ours)) else {
            panic!(
                "{shipper} lost a record: {ours}\n{} sent, {} received, the first: {}",
                sent.len(),
                got.len(),
                got.first().map(Value::to_string).unwrap_or_default()
            );
        };
        fields += same(ours, their, "", as_text, shipper);
    }
    assert!(fields > 1000, "{shipper}: only {fields} fields");
}

/// Reads `output` until it has `lines` lines (or 30 s pass).
fn wait_lines(output: &Path, lines: usize) -> String {
    wait_for(output, Duration::from_secs(30), |t| {
        t.lines().count() >= lines
    })
}

/// rsyslog with Debian's default settings (8 KiB messages): imfile reads the trace,
/// mmjsonparse parses each line, omfile writes the parsed tree (`$!`) as JSON.
fn rsyslog_config(dir: &Path, input: &Path, output: &Path) -> String {
    format!(
        r#"global(workDirectory="{work}")
module(load="imfile")
module(load="mmjsonparse")
template(name="parsed" type="list") {{ property(name="$!") constant(value="\n") }}
ruleset(name="tracer") {{
  action(type="mmjsonparse" cookie="")
  if $parsesuccess == "OK" then {{
    action(type="omfile" file="{out}" template="parsed")
  }} else {{
    action(type="omfile" file="{out}.failed")
  }}
}}
input(type="imfile" file="{input}" tag="tracer" ruleset="tracer")
"#,
        work = dir.display(),
        input = input.display(),
        out = output.display(),
    )
}

#[test]
fn root_rsyslog_with_default_settings_parses_every_record_of_a_story_intact() {
    require_root();
    let dir = scratch("rsyslog");
    let (parsed, conf) = (dir.join("parsed.json"), dir.join("rsyslog.conf"));
    let trace = story_trace(&dir);
    let sent = records(&trace);
    fs::write(&conf, rsyslog_config(&dir, &trace, &parsed)).expect("config");
    let rsyslog = KillOnDrop(
        Command::new("/usr/sbin/rsyslogd")
            .args(["-n", "-iNONE", "-f"])
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("rsyslogd (apt-get install rsyslog)"),
    );
    let text = wait_lines(&parsed, sent.len());
    drop(rsyslog);
    let failed = fs::read_to_string(dir.join("parsed.json.failed")).unwrap_or_default();
    let _ = fs::remove_dir_all(&dir);
    assert!(failed.is_empty(), "rsyslog could not parse:\n{failed}");
    let got: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("rsyslog wrote JSON"))
        .collect();
    assert_eq!(got.len(), sent.len());
    same_records(&sent, &got, false, "rsyslog");
}

/// syslog-ng with its default settings: a file source (one message per line), json-parser, and
/// a file destination writing the parsed fields back as JSON (`format-json`, which in syslog-ng
/// 3.38 writes every value as a string).
fn syslog_ng_config(input: &Path, output: &Path) -> String {
    format!(
        r#"@version: 3.35
source s_trace {{ file("{input}" flags(no-parse) follow-freq(0.2)); }};
parser p_json {{ json-parser(prefix(".t.")); }};
destination d_out {{ file("{out}" template("$(format-json --scope none --key .t.* --shift 3)\n")); }};
log {{ source(s_trace); parser(p_json); destination(d_out); }};
"#,
        input = input.display(),
        out = output.display(),
    )
}

/// Debian's syslog-ng: the installed one, or the package unpacked into /opt/syslog-ng
/// (`.ci/run` does that: syslog-ng-core conflicts with rsyslog, which the other test uses).
fn syslog_ng() -> Command {
    if Path::new("/usr/sbin/syslog-ng").exists() {
        return Command::new("/usr/sbin/syslog-ng");
    }
    let root = Path::new("/opt/syslog-ng/usr");
    let mut cmd = Command::new(root.join("sbin/syslog-ng"));
    cmd.env("LD_LIBRARY_PATH", root.join("lib/syslog-ng"))
        .arg(format!(
            "--module-path={}",
            root.join("lib/syslog-ng/3.38").display()
        ));
    cmd
}

#[test]
fn root_syslog_ng_with_default_settings_parses_every_record_of_a_story_intact() {
    require_root();
    let dir = scratch("syslog-ng");
    let (parsed, conf) = (dir.join("parsed.json"), dir.join("syslog-ng.conf"));
    let trace = story_trace(&dir);
    let sent = records(&trace);
    fs::write(&conf, syslog_ng_config(&trace, &parsed)).expect("config");
    let syslog_ng = KillOnDrop(
        syslog_ng()
            .args(["-F", "--no-caps", "-f"])
            .arg(&conf)
            .arg("-R")
            .arg(dir.join("persist"))
            .arg("-p")
            .arg(dir.join("pid"))
            .arg("-c")
            .arg(dir.join("ctl"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("syslog-ng (.ci/run unpacks syslog-ng-core into /opt/syslog-ng)"),
    );
    let text = wait_lines(&parsed, sent.len());
    drop(syslog_ng);
    let _ = fs::remove_dir_all(&dir);
    let got: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("syslog-ng wrote JSON"))
        .collect();
    assert_eq!(got.len(), sent.len());
    same_records(&sent, &got, true, "syslog-ng");
}
