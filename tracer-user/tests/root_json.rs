//! `--json` on a broad workload with both backends (root, real eBPF and ptrace): the zoo
//! (files, sockets, pipes, signals, threads, fork and exec) and the C workloads (exact
//! numbers, sockets, reads and writes, ioctls, exec strings), each record valid against the
//! schema, every field path with exactly one JSON type over all records, every line within the
//! default maximum, and every record about a process naming it.

mod common;
#[path = "support/json_types.rs"]
mod json_types;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Stdio,
};

use common::*;
use serde_json::Value;

fn workloads() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/workloads")
}

/// `tracer --backend BACKEND --json -f -yy -s 256 -o OUT -- PROGRAM ARGS`'s lines.
fn json_of(backend: &str, dir: &Path, program: &[&std::ffi::OsStr]) -> String {
    let out = dir.join("trace.json");
    let _ = fs::remove_file(&out);
    let status = tracer()
        .current_dir(dir)
        .args([
            "--backend",
            backend,
            "--json",
            "-f",
            "-yy",
            "-s",
            "256",
            "-o",
        ])
        .arg(&out)
        .arg("--")
        .args(program)
        .stderr(Stdio::null())
        .status()
        .expect("run tracer");
    assert!(status.code().is_some(), "{program:?}: {status}");
    fs::read_to_string(&out).expect("trace")
}

#[test]
fn root_every_field_path_has_one_type_over_a_broad_workload_with_both_backends() {
    require_root();
    let dir = scratch("json-types");
    let bins: Vec<PathBuf> = ["numbers", "sockets", "in_out", "ioctl", "exec_strings"]
        .iter()
        .map(|name| cc(name, &dir))
        .collect();
    let mut all = String::new();
    for backend in ["ebpf", "ptrace"] {
        let work = dir.join(format!("zoo-{backend}"));
        let _ = fs::remove_dir_all(&work);
        let zoo = workloads().join("zoo.py");
        let mut runs: Vec<Vec<&std::ffi::OsStr>> = vec![vec![
            "/usr/bin/python3".as_ref(),
            zoo.as_os_str(),
            work.as_os_str(),
        ]];
        for bin in &bins {
            runs.push(vec![bin.as_os_str(), dir.as_os_str()]);
        }
        for run in &runs {
            let lines = json_of(backend, &dir, run);
            assert!(lines.lines().count() > 5, "{backend} {run:?}: {lines}");
            for line in lines.lines() {
                let v: Value = serde_json::from_str(line).expect("JSON");
                if let Some(p) = v.get("process") {
                    assert!(p["name"].is_string(), "{backend}: no name: {line}");
                }
            }
            all.push_str(&lines);
        }
    }
    let _ = fs::remove_dir_all(&dir);
    json_types::validate(&all);
    let paths = json_types::assert_one_type_per_path(&all);
    assert!(paths > 100, "{paths} paths");
    let records: Vec<Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    // The context a shipper filters on.
    let exec = records
        .iter()
        .find(|v| v["syscall"]["name"] == "execve" && v["process"]["args"].is_array())
        .expect("an exec with its args");
    assert!(exec["process"]["executable"].is_string(), "{exec}");
    assert!(
        records
            .iter()
            .any(|v| v["process"]["parent"]["pid"].is_u64())
    );
    assert!(
        records
            .iter()
            .all(|v| v["host"]["name"].is_string() || v.get("process").is_none())
    );
    assert!(records.iter().any(|v| v["user"]["id"] == "0"));
    assert!(
        records
            .iter()
            .any(|v| v["event"]["end"].is_string() && v["event"]["start"] == v["@timestamp"])
    );
}
