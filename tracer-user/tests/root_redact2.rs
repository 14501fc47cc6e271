//! Secrets stay masked under the filters the eBPF backend applies in the kernel: with
//! `--match` and `--min-duration` a PostgreSQL password message whose header and body go in
//! separate calls (the header not selected, the body selected) shows no password byte, with
//! either backend, and both backends print the same lines.

mod common;

use std::{fs, path::Path, process::Stdio};

use common::*;

/// Runs the `pg_filtered` workload under tracer; returns the trace.
fn trace(bin: &Path, out: &Path, flags: &[&str]) -> String {
    let status = tracer()
        .args(["-f", "-s", "64", "-e", "trace=sendto,read"])
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg("--")
        .arg(bin)
        .stderr(Stdio::null())
        .status()
        .expect("run tracer");
    assert!(status.success(), "{flags:?}");
    fs::read_to_string(out).expect("trace")
}

/// The sending thread's lines (the first column is the pid, padded to 5 places), without it:
/// which of the reader's reads a filter selects depends on how its bytes were queued.
fn sends(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once(' ').map(|(_, rest)| rest.trim_start()))
        .filter(|l| l.starts_with("sendto("))
        .map(|l| match l.rfind(" <") {
            // `-T`'s time differs by run.
            Some(at) if l.ends_with('>') => l[..at].to_string(),
            _ => l.to_string(),
        })
        .collect()
}

#[test]
fn root_a_password_split_over_calls_stays_masked_under_kernel_filters() {
    require_root();
    let dir = scratch("redact-filtered");
    let bin = cc("pg_filtered", &dir);
    let mut by_backend = Vec::new();
    for backend in ["ebpf", "ptrace"] {
        let matched = trace(
            &bin,
            &dir.join("m"),
            &["--backend", backend, "--match", "tpw"],
        );
        assert!(!matched.contains("3cr3"), "{backend} --match:\n{matched}");
        // An ordinary query that matches is shown, unmasked.
        let query = r#"sendto(3, "Q\0\0\0\24SELECT 'tpw-ok'\0", 21, 0, NULL, 0) = 21"#;
        assert_eq!(sends(&matched), [query], "{backend} --match:\n{matched}");
        let slow = trace(
            &bin,
            &dir.join("d"),
            &["--backend", backend, "-T", "--min-duration", "50ms"],
        );
        assert!(!slow.contains("3cr3"), "{backend} --min-duration:\n{slow}");
        // The body waited for the reader (150 ms); its header went at once.
        let body = r#"sendto(5, "*********", 9, 0, NULL, 0) = 9"#;
        assert!(sends(&slow).iter().any(|l| l == body), "{backend}:\n{slow}");
        assert!(!slow.contains(r#""p\0"#), "{backend}:\n{slow}");
        by_backend.push(sends(&matched));
        // The check sees what it checks: without redaction the bodies show.
        let clear = trace(
            &bin,
            &dir.join("c"),
            &["--backend", backend, "--match", "tpw", "--no-redact"],
        );
        assert!(clear.contains("tpw3cr3v"), "{backend}:\n{clear}");
    }
    assert_eq!(by_backend[0], by_backend[1]);
    let _ = fs::remove_dir_all(&dir);
}
