//! Tracer against real strace on the same workload (root: real eBPF). The syscall zoo makes
//! most of the syscalls tracer decodes; both traces are normalised (pids, addresses, times)
//! and tracer must reproduce strace's lines.

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{fs, path::PathBuf, process::Command};

use common::*;

fn zoo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/zoo.py")
}

/// Runs the zoo under `program flags -o OUT` and returns OUT's normalised lines.
fn trace(program: &mut Command, flags: &[&str], dir: &std::path::Path, out: &str) -> Vec<String> {
    // The same working directory for both runs: its path is in the trace.
    let work = dir.join("work");
    let _ = fs::remove_dir_all(&work);
    let file = dir.join(out);
    let status = program
        .args(flags)
        .arg("-o")
        .arg(&file)
        .args(["--", "/usr/bin/python3"])
        .arg(zoo())
        .arg(&work)
        .status()
        .expect("run the workload");
    assert!(status.success(), "{program:?} failed: {status}");
    normalize::file(&fs::read_to_string(&file).expect("trace file"))
}

fn compare(flags: &[&str], name: &str) {
    require_root();
    let dir = scratch(name);
    let strace = trace(&mut Command::new("strace"), flags, &dir, "strace.txt");
    let ours = trace(&mut tracer(), flags, &dir, "tracer.txt");
    let (matched, total, misses) = normalize::score(&strace, &ours);
    // Signals are printed by the process model (a later issue); thread scheduling makes a few
    // futex/mmap lines differ between any two runs.
    let share = matched as f64 / total as f64;
    let _ = fs::remove_dir_all(&dir);
    assert!(
        share >= 0.97,
        "{matched}/{total} of strace's lines reproduced; missing:\n{misses:#?}"
    );
}

#[test]
fn root_matches_strace_with_f_s64() {
    compare(&["-f", "-s", "64"], "fid-s64");
}

#[test]
fn root_matches_strace_with_f_yy() {
    compare(&["-f", "-yy"], "fid-yy");
}

#[test]
fn root_matches_strace_with_xx() {
    compare(&["-f", "-xx"], "fid-xx");
}
