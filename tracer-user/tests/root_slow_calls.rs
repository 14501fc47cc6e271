//! `--min-duration`: only calls that took at least TIME, decided in the kernel at sys_exit
//! (with the ptrace backend, in userspace), with -c, --json and --match. Root tests: they load
//! real eBPF.

mod common;

use std::{fs, path::PathBuf, process::Output, sync::LazyLock};

use common::*;

/// Two reads that block 150 ms each (a child writes `needle-slow`, then `other-slow`), a read
/// that returns at once with `needle-fast`, five 1 ms sleeps and one of 150 ms.
const WORKLOAD: &str = r#"
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static void nap(long ms) {
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, 0);
}

int main(void) {
    int slow[2], fast[2];
    char buf[64];
    if (pipe(slow) || pipe(fast))
        return 2;
    pid_t child = fork();
    if (child == 0) {
        nap(150);
        write(slow[1], "needle-slow", 11);
        nap(150);
        write(slow[1], "other-slow", 10);
        _exit(0);
    }
    read(slow[0], buf, sizeof buf);
    read(slow[0], buf, sizeof buf);
    write(fast[1], "needle-fast", 11);
    read(fast[0], buf, sizeof buf);
    for (int i = 0; i < 5; i++)
        nap(1);
    nap(150);
    waitpid(child, 0, 0);
    return 0;
}
"#;

/// The threshold: far above the fast calls (even on a loaded machine), far below the slow.
const MIN: &str = "50ms";

const SLOW_READ: &str = r#"read(3, "needle-slow", 64)"#;
const OTHER_READ: &str = r#"read(3, "other-slow", 64)"#;
const FAST_READ: &str = r#"read(5, "needle-fast", 64)"#;
const LONG_NAP: &str = "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=150000000}, NULL)";
const SHORT_NAP: &str = "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL)";

static PROGRAM: LazyLock<PathBuf> =
    LazyLock::new(|| compile_c(&scratch("slow-calls"), "slow", WORKLOAD));

fn run(args: &[&str]) -> Output {
    require_root();
    let out = tracer()
        .args(args)
        .arg("--")
        .arg(&*PROGRAM)
        .output()
        .expect("run tracer");
    assert!(
        out.status.success(),
        "tracer {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The syscall lines (not signals, not the exit).
fn calls(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with("---") && !l.starts_with("+++"))
        .collect()
}

#[test]
fn root_min_duration_shows_only_the_slow_calls_with_both_backends() {
    for backend in ["ebpf", "ptrace"] {
        let out = run(&[
            "--backend",
            backend,
            "-T",
            "--min-duration",
            MIN,
            "-e",
            "trace=read,clock_nanosleep,write",
        ]);
        let text = stdout(&out);
        let lines = calls(&text);
        let starts: Vec<&str> = lines
            .iter()
            .map(|l| l.split_once(" = ").map_or(*l, |(call, _)| call.trim_end()))
            .collect();
        assert_eq!(
            starts,
            [SLOW_READ, OTHER_READ, LONG_NAP],
            "{backend}:\n{text}"
        );
        for line in lines {
            assert!(took(line) >= 0.05, "{backend}: too fast: {line}");
        }
        // Without the option the same run shows the fast calls: the filter made the difference.
        let all = stdout(&run(&[
            "--backend",
            backend,
            "-e",
            "trace=read,clock_nanosleep",
        ]));
        assert!(all.contains(FAST_READ) && all.contains(SHORT_NAP), "{all}");
    }
}

#[test]
fn root_min_duration_drops_fast_calls_in_the_kernel() {
    let dir = scratch("slow-calls-record");
    // (min, redact, fast read recorded, short naps recorded): with redaction on, the data
    // calls reach userspace whatever the filter says (the redactor follows every stream:
    // `tests/root_redact2.rs`); the naps are dropped in the kernel either way.
    for (min, redact, fast_read, short_naps) in [
        (Some(MIN), false, false, false),
        (Some(MIN), true, true, false),
        (None, true, true, true),
    ] {
        let recording = dir.join("rec");
        let mut args = vec!["--backend", "ebpf", "-o", "/dev/null", "--record"];
        let path = recording.display().to_string();
        args.push(&path);
        if let Some(min) = min {
            args.extend(["--min-duration", min]);
        }
        if !redact {
            args.push("--no-redact");
        }
        run(&args);
        // The recording holds what the kernel wrote; replayed unfiltered, it shows it all.
        let replay = tracer()
            .arg("--replay")
            .arg(&recording)
            .output()
            .expect("run tracer --replay");
        let text = stdout(&replay);
        assert!(
            text.contains(SLOW_READ) && text.contains(LONG_NAP),
            "{text}"
        );
        assert_eq!(text.contains(FAST_READ), fast_read, "{text}");
        assert_eq!(
            text.matches(SHORT_NAP).count(),
            if short_naps { 5 } else { 0 },
            "{text}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_min_duration_counts_only_slow_calls_with_c() {
    let text = stdout(&run(&["-c", "--min-duration", MIN]));
    let calls_of = |name: &str| {
        text.lines()
            .find(|l| l.ends_with(&format!(" {name}")))
            .and_then(|l| l.split_whitespace().nth(3))
            .map(|n| n.to_string())
    };
    assert_eq!(calls_of("read").as_deref(), Some("2"), "{text}");
    assert_eq!(calls_of("clock_nanosleep").as_deref(), Some("1"), "{text}");
    // The fast calls (the loader's opens and maps, the write, pipe, clone) are not counted.
    for fast in ["openat", "mmap", "write", "pipe2", "clone"] {
        assert_eq!(calls_of(fast), None, "{fast} counted:\n{text}");
    }
    // -U's percentile columns (beyond strace), wall-clock times: both reads took ~150 ms.
    let text = stdout(&run(&[
        "-c",
        "-w",
        "-U",
        "calls,p50,p99,name",
        "--min-duration",
        MIN,
    ]));
    let read: Vec<&str> = text
        .lines()
        .find(|l| l.ends_with(" read"))
        .map(|l| l.split_whitespace().collect())
        .unwrap_or_default();
    assert_eq!(read.first(), Some(&"2"), "{text}");
    for cell in &read[1..3] {
        let secs: f64 = cell.parse().expect("seconds");
        assert!((0.14..1.0).contains(&secs), "{cell}:\n{text}");
    }
}

#[test]
fn root_min_duration_with_json_and_match() {
    let text = stdout(&run(&["--json", "--min-duration", MIN]));
    let mut names = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if let Some(name) = v["syscall"]["name"].as_str() {
            // exit_group does not return: it has no length, and is shown.
            if name != "exit_group" {
                let duration = v["event"]["duration"].as_u64().expect("a duration");
                assert!(duration >= 50_000_000, "{line}");
            }
            names.push(name.to_string());
        }
    }
    assert_eq!(
        names,
        ["read", "read", "clock_nanosleep", "exit_group"],
        "{text}"
    );

    let text = stdout(&run(&["--match", "needle", "--min-duration", MIN]));
    let shown = calls(&text);
    assert_eq!(shown.len(), 1, "{text}");
    assert!(shown[0].starts_with(SLOW_READ), "{text}");
}
