//! The harness of the output-format tests (root_cli_output.rs, root_cli_consts.rs): builds a
//! small C program, traces it with strace 6.1 and with tracer (each backend) and masks what
//! differs between two runs (pointers, pids, the launched command's first name). A test file
//! includes it next to `mod common;`: `#[path = "support/cli_traces.rs"] mod cli_traces;`.
#![allow(
    dead_code,
    reason = "included by several test binaries, each using part of it"
)]

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use crate::common::*;

/// Builds `source` into a scratch directory as `w`; returns (directory, program).
pub fn compile(name: &str, source: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let program = compile_c(&dir, "w", source);
    (dir, program)
}

/// Runs `program OPTIONS -o OUT -- WORKLOAD`; returns OUT's text.
pub fn trace(program: Command, options: &[&str], dir: &Path, workload: &Path) -> String {
    let (text, status) = trace_to_file(
        program,
        options,
        dir,
        &["--".as_ref(), workload.as_os_str()],
    );
    assert!(status.is_some(), "{options:?}: killed");
    text
}

/// The trace with pointers (ASLR) and pids made equal, and the name the launched command
/// has before its execve (the tracer's own: `strace`, `tracer`).
pub fn mask(text: &str) -> String {
    let mut text = text.to_string();
    for (re, to) in [
        (r"0x[0-9a-f]{9,}", "0xADDR"),
        // The pid column is padded to 5: a pid of another width changes the padding.
        (r"^\d+ +", "PID "),
        (r"\b\d+<", "PID<"),
        (r"(si_pid=|wait4\(|kill\()\d+", "${1}PID"),
        (r"= \d+$", "= PID"),
        (r"^PID<[^>]*> execve\(", "PID<TRACER> execve("),
        // -i: the launched command's execve runs from the tracer's own code.
        (
            r"^([^\[]*(?:\[ *\d+\] )?)\[[0-9a-f]{16}\] execve\(",
            "${1}[TRACER] execve(",
        ),
    ] {
        let re = regex::Regex::new(&format!("(?m){re}")).expect("regex");
        text = re.replace_all(&text, to).into_owned();
    }
    unpad_masked(&text, &["PID", "ADDR"])
}

/// strace's and each backend's trace of `workload` with `options`, masked.
pub fn traces(options: &[&str], dir: &Path, workload: &Path) -> (String, Vec<(String, String)>) {
    traces_launched(options, dir, workload, |program| Command::new(program))
}

/// As `traces`, each tracer started by `launch` (given its path).
pub fn traces_launched(
    options: &[&str],
    dir: &Path,
    workload: &Path,
    launch: fn(&str) -> Command,
) -> (String, Vec<(String, String)>) {
    let theirs = mask(&trace(launch("strace"), options, dir, workload));
    let ours = ["ebpf", "ptrace"]
        .into_iter()
        .map(|backend| {
            let mut cmd = launch(env!("CARGO_BIN_EXE_tracer"));
            cmd.arg(format!("--backend={backend}"));
            (
                backend.to_string(),
                mask(&trace(cmd, options, dir, workload)),
            )
        })
        .collect();
    (theirs, ours)
}
