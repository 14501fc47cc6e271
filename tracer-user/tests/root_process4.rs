//! Trust and strace compatibility, both backends (root; session 15's items from the t13
//! tester): `--annotate` on a connection accepted with `accept(fd, NULL, NULL)` names the
//! peer its socket has (the line's own `-yy` name), and without `-yy`, where the peer is not
//! known, claims none (it said "accepted from an unnamed peer", a unix word, for TCP).
//! JSON's `process.executable` is absolute (ECS) for a command run by a relative path.

mod common;

use std::fs;

use common::*;
use regex::Regex;

/// `tracer --backend=BACKEND OPTIONS -o TRACE PROGRAM`: the trace.
fn traced(
    backend: &str,
    options: &[&str],
    dir: &std::path::Path,
    program: &std::path::Path,
) -> String {
    let out = dir.join(format!("trace.{backend}"));
    let status = tracer()
        .arg(format!("--backend={backend}"))
        .args(options)
        .arg("-o")
        .arg(&out)
        .arg("--")
        .arg(program)
        .status()
        .expect("run tracer");
    assert!(status.success(), "{backend} {options:?}");
    fs::read_to_string(&out).expect("the trace")
}

#[test]
fn root_annotate_names_the_peer_of_a_connection_accepted_without_an_address() {
    require_root();
    let dir = scratch("annotate-accept-null");
    let program = cc("accept_null", &dir);
    let named = Regex::new(
        r#"(?m)^read\(4<TCP:\[127\.0\.0\.1:\d+->(127\.0\.0\.1:\d+)\]>, "hey", 8\) = 3 /\* fd 4: accepted from (\S+) by accept\(3\) at "#,
    )
    .expect("regex");
    let bare =
        Regex::new(r#"(?m)^read\(4, "hey", 8\) +\= 3 /\* fd 4: accepted by accept\(3\) at "#)
            .expect("regex");
    for backend in ["ebpf", "ptrace"] {
        let options = ["--annotate", "-yy", "-e", "trace=accept,read"];
        let trace = traced(backend, &options, &dir, &program);
        let found = named.captures(&trace);
        let found = found.unwrap_or_else(|| panic!("{backend}: {trace}"));
        assert_eq!(&found[1], &found[2], "{backend}: {trace}");
        let options = ["--annotate", "-e", "trace=accept,read"];
        let trace = traced(backend, &options, &dir, &program);
        assert!(bare.is_match(&trace), "{backend}: {trace}");
        assert!(!trace.contains("unnamed"), "{backend}: {trace}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `tracer --json ./PROGRAM` from PROGRAM's directory: every record's `process.executable`
/// is the absolute path (it was `./accept_null`, as the exec was given it).
#[test]
fn root_json_executable_is_absolute_for_a_relative_exec() {
    require_root();
    let dir = scratch("json-executable");
    let program = cc("accept_null", &dir);
    let want = format!("\"executable\":\"{}\"", program.display());
    for backend in ["ebpf", "ptrace"] {
        let out = dir.join(format!("json.{backend}"));
        let status = tracer()
            .current_dir(&dir)
            .arg(format!("--backend={backend}"))
            .args(["--json", "-e", "trace=execve,read", "-o"])
            .arg(&out)
            .args(["--", "./accept_null"])
            .status()
            .expect("run tracer");
        assert!(status.success(), "{backend}");
        let text = fs::read_to_string(&out).expect("the records");
        let execs: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("\"executable\""))
            .collect();
        assert!(execs.len() >= 3, "{backend}: {text}");
        for line in execs {
            assert!(line.contains(&want), "{backend}: {want} in {line}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
