//! Errors reported before anything is loaded: no root needed.

mod common;

use common::tracer;

#[test]
fn a_missing_pid_is_named_and_fails() {
    let out = tracer()
        .args(["-p", "99999999"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: pid 99999999: no such process\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn nothing_to_trace_is_an_error() {
    let out = tracer().output().expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: must have COMMAND [ARGS], -p PID or --comm NAME\n"
    );
}

#[test]
fn an_empty_process_name_is_refused() {
    let out = tracer().args(["--comm", ""]).output().expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: --comm '': a process name cannot be empty\n"
    );
}

#[test]
fn an_unknown_command_is_named() {
    let out = tracer()
        .args(["--", "no-such-command-xyz"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: command no-such-command-xyz: not found in PATH\n"
    );
}

#[test]
fn a_bad_ring_size_is_refused() {
    let out = tracer()
        .args(["--ring-size", "1000", "--", "true"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--ring-size 1000: must be a power of two")
    );
}
