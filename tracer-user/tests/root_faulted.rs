//! A failed call's buffer in a page the process never touched: the kernel refuses the call
//! before it reads the buffer, so the eBPF capture faults, and the eBPF source reads it again
//! from the live process (a read-only file mapping cannot have changed). Printed as strace
//! prints it, with both backends.

mod common;

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use common::*;

/// The lines of the failing calls on `-1`.
fn failing(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains("(-1, "))
        .map(str::to_string)
        .collect()
}

#[test]
fn root_faulted_rodata_buffers_print_as_strace() {
    require_root();
    let dir = scratch("faulted");
    let program = cc("faulted_rodata", &dir);
    let strace_out = dir.join("strace.txt");
    let status = Command::new("strace")
        .arg("-o")
        .arg(&strace_out)
        .arg(&program)
        .stdin(Stdio::null())
        .status()
        .expect("run strace");
    assert!(status.success());
    let theirs = failing(&std::fs::read_to_string(&strace_out).expect("strace output"));
    assert_eq!(theirs.len(), 4, "{theirs:?}");
    assert!(
        theirs[0].starts_with("write(-1, \"written to no fd\", 16)"),
        "{theirs:?}"
    );

    // ptrace reads at the call's end, as strace.
    let ptrace_out = dir.join("ptrace.txt");
    let status = tracer()
        .args(["--backend=ptrace", "-o"])
        .arg(&ptrace_out)
        .arg(&program)
        .stdin(Stdio::null())
        .status()
        .expect("run tracer");
    assert!(status.success());
    let ours = failing(&std::fs::read_to_string(&ptrace_out).expect("trace"));
    assert_eq!(ours, theirs, "ptrace");

    // eBPF: the program waits for stdin's end until its last failing call is in the trace,
    // so it is alive when its records are read.
    let ebpf_out = dir.join("ebpf.txt");
    let mut t = tracer()
        .args(["--backend=ebpf", "-o"])
        .arg(&ebpf_out)
        .arg(&program)
        .stdin(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let stdin = t.stdin.take().expect("stdin");
    let text = wait_for(&ebpf_out, Duration::from_secs(60), |t| {
        t.contains("openat(-1, ")
    });
    drop(stdin);
    assert!(t.wait().expect("wait tracer").success());
    assert!(text.contains("openat(-1, "), "{text}");
    let ours = failing(&std::fs::read_to_string(&ebpf_out).expect("trace"));
    assert_eq!(ours, theirs, "eBPF");
    let _ = std::fs::remove_dir_all(&dir);
}
