//! The ptrace backend traces only what it was asked to: without -f, a child of the traced
//! command is left alone, so a child that calls PTRACE_TRACEME (a debugger, a sandbox, a test
//! harness) works, as under strace. Compared with strace 6.1 on a C program built here.

mod common;

use std::{fs, path::Path, process::Command};

use common::*;
use regex::Regex;

/// Runs `program OPTIONS ./traceme` in `dir`: (exit code, the trace with pids and addresses
/// masked).
fn run(program: Command, options: &[&str], dir: &Path) -> (Option<i32>, String) {
    let (text, code) = trace_to_file(
        program,
        options,
        dir,
        &["--".as_ref(), dir.join("traceme").as_os_str()],
    );
    let text = [
        (r"(?m)= \d+$", "= PID"),
        (r"si_pid=\d+", "si_pid=PID"),
        (r"0x[0-9a-f]{9,}", "0xADDR"),
    ]
    .iter()
    .fold(text, |text, (re, to)| {
        Regex::new(re)
            .expect("regex")
            .replace_all(&text, *to)
            .into_owned()
    });
    (code, text)
}

#[test]
fn root_untraced_children_can_trace_themselves() {
    require_root();
    let dir = scratch("ptrace-children");
    cc("traceme", &dir);
    // Every trace set: the whole trace, and a narrowed one (which once put the launched
    // command under a seccomp filter that made tracer trace its children too).
    for options in [
        &["-e", "trace=clone,ptrace,exit_group"][..],
        &[][..],
        &["-e", "trace=exit_group"][..],
    ] {
        let (code, theirs) = run(Command::new("strace"), options, &dir);
        assert_eq!(code, Some(0), "under strace {options:?}: {theirs}");
        for backend in ["--backend=ptrace", "--backend=ebpf"] {
            let mut ours = tracer();
            ours.arg(backend);
            let (ours_code, text) = run(ours, options, &dir);
            assert_eq!(
                ours_code,
                Some(0),
                "{backend} {options:?}: a child's PTRACE_TRACEME failed"
            );
            if !options.is_empty() {
                assert_eq!(text, theirs, "{backend} {options:?}");
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// With -f the children are traced, by strace and by tracer's ptrace backend alike, so their
/// PTRACE_TRACEME fails under both; the request prints by name with no further argument.
#[test]
fn root_followed_children_trace_requests_as_strace() {
    require_root();
    let dir = scratch("ptrace-children-f");
    cc("traceme", &dir);
    let options = ["-f", "-e", "trace=ptrace,exit_group"];
    let (code, theirs) = run(Command::new("strace"), &options, &dir);
    assert!(theirs.contains("ptrace(PTRACE_TRACEME)"), "{theirs}");
    let mut ours = tracer();
    ours.arg("--backend=ptrace");
    let (ours_code, text) = run(ours, &options, &dir);
    assert_eq!(ours_code, code);
    assert_eq!(mask_pid_prefixes(&text), mask_pid_prefixes(&theirs));
    let _ = fs::remove_dir_all(&dir);
}

/// Pid prefixes (`[pid N]`, `N ` with -o), and the order in which the children's lines came (they run apart).
fn mask_pid_prefixes(text: &str) -> Vec<String> {
    let re = Regex::new(r"^(\[pid +\d+\] |\d+ +)").expect("regex");
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.contains("resumed>") && !l.ends_with("<unfinished ...>"))
        .map(|l| re.replace(l, "").into_owned())
        .collect();
    lines.sort();
    lines
}
