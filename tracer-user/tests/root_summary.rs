//! `-c` beyond strace, on real processes with both backends: `-c -Z`'s breakdown of failures
//! by errno (strace 6.1's table unchanged above it, the breakdown equal to what strace's own
//! `-Z` trace of the same program shows), percentiles and errnos in JSON summaries (valid
//! against the schema), and a table per `--stats-interval` whose counts add up to the whole
//! run's. Root tests: they load real eBPF.

mod common;

#[path = "support/json_types.rs"]
mod json_types;

use std::{
    collections::BTreeMap,
    ffi::OsStr,
    path::{Path, PathBuf},
    process::Command,
    sync::LazyLock,
};

use common::*;
use serde_json::Value;

/// Per round (argv[1] rounds, argv[2] ms apart): 3 opens failing with ENOENT, 2 with ENOTDIR,
/// 2 closes with EBADF, 1 read of an empty non-blocking pipe (EAGAIN), and one open and close
/// that succeed.
const WORKLOAD: &str = r#"
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    long ms = argc > 2 ? atol(argv[2]) : 0;
    int p[2];
    char c;
    if (pipe2(p, O_NONBLOCK))
        return 2;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < 3; i++)
            open("/nonexistent-tr18c", O_RDONLY);
        for (int i = 0; i < 2; i++)
            open("/etc/hostname/tr18c", O_RDONLY);
        close(-1);
        close(1000);
        read(p[0], &c, 1);
        int fd = open("/etc/hostname", O_RDONLY);
        close(fd);
        if (ms) {
            struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
            nanosleep(&ts, 0);
        }
    }
    return 0;
}
"#;

const CALLS: &str = "trace=openat,close,read,access";

static PROGRAM: LazyLock<PathBuf> =
    LazyLock::new(|| compile_c(&scratch("summary-errnos"), "errnos", WORKLOAD));

/// `program OPTIONS -o FILE -e CALLS PROGRAM ARGS` in `dir`: the file's text.
fn traced(program: Command, options: &[&str], dir: &Path, args: &[&str]) -> String {
    let mut all: Vec<&OsStr> = vec!["-e".as_ref(), CALLS.as_ref(), "--".as_ref()];
    all.push(PROGRAM.as_os_str());
    all.extend(args.iter().map(OsStr::new));
    let (text, status) = trace_to_file(program, options, dir, &all);
    assert_eq!(status, Some(0), "{options:?}: {text}");
    text
}

/// Where the breakdown by errno starts in a text table.
const BREAKDOWN: &str = "   errors errno            syscall\n";

/// The errnos of this test's program, for the breakdown's order (count, then number).
fn errno_number(name: &str) -> u32 {
    match name {
        "ENOENT" => 2,
        "EBADF" => 9,
        "EAGAIN" => 11,
        "ENOTDIR" => 20,
        other => panic!("unexpected errno {other}"),
    }
}

/// The breakdown rows strace's own `-Z` trace implies, in the order of `table`'s rows.
fn breakdown_of(trace: &str, table: &str) -> Vec<String> {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for line in trace.lines() {
        let Some((call, _)) = line.split_once('(') else {
            continue;
        };
        // strace aligns the return value at column 40: `close(-1)      = -1 EBADF (...)`.
        let Some((args, ret)) = line.rsplit_once(" = -1 ") else {
            continue;
        };
        if !args.trim_end().ends_with(')') {
            continue;
        }
        let errno = ret.split_whitespace().next().expect("errno name");
        *counts.entry((call.into(), errno.into())).or_default() += 1;
    }
    let rows = table
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with('-'))
        .map(|l| l.split_whitespace().last().expect("name"));
    let mut out = Vec::new();
    for call in rows {
        let mut of: Vec<(&str, u64)> = (counts.iter())
            .filter(|((c, _), _)| c == call)
            .map(|((_, e), n)| (e.as_str(), *n))
            .collect();
        of.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), errno_number(e)));
        out.extend(of.iter().map(|(e, n)| format!("{n:9} {e:<16} {call}")));
    }
    out
}

#[test]
fn root_failures_by_errno_under_strace_s_table() {
    require_root();
    let dir = scratch("summary-errnos-text");
    // Times made 0 by an overhead larger than any call, so the tables compare exactly.
    let options = ["-c", "-Z", "-O", "1s", "-S", "calls", "-U", "calls,errors"];
    let theirs = traced(Command::new("strace"), &options, &dir, &["2"]);
    let trace = traced(Command::new("strace"), &["-Z"], &dir, &["2"]);
    let expected = breakdown_of(&trace, &theirs);
    let failures = trace.lines().filter(|l| l.contains(" = -1 E")).count() as u64;
    assert!(failures >= 16, "strace saw the program's failures: {trace}");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut tracer = tracer();
        tracer.arg(backend);
        let ours = traced(tracer, &options, &dir, &["2"]);
        let (table, breakdown) = ours
            .split_once(BREAKDOWN)
            .unwrap_or_else(|| panic!("{backend}: no breakdown: {ours}"));
        assert_eq!(table, theirs, "{backend}: strace's table, unchanged");
        let lines: Vec<&str> = breakdown.lines().collect();
        let dashes = "--------- ---------------- ----------------";
        assert_eq!(lines[0], dashes);
        assert_eq!(lines[1..lines.len() - 2], expected, "{backend}: {ours}");
        assert_eq!(lines[lines.len() - 2], dashes);
        assert_eq!(
            lines[lines.len() - 1],
            format!("{failures:9} {:<16} total", ""),
            "{backend}"
        );
    }
    // strace's column names that tracer took late (time-min, time_max, ...) print the same
    // table as strace's.
    let options = [
        "-c",
        "-O",
        "1s",
        "-S",
        "time-min",
        "-U",
        "time-min,time_max,time-avg,time-total,calls,syscall-name",
    ];
    let theirs = traced(Command::new("strace"), &options, &dir, &[]);
    assert_eq!(traced(tracer(), &options, &dir, &[]), theirs);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `summary` records of JSON lines, by syscall name (`total` for the total).
fn summary_records(lines: &str) -> Vec<(String, Value)> {
    let mut records = Vec::new();
    for line in lines.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        let summary = &v["summary"];
        if summary.is_null() {
            continue;
        }
        match summary["syscall"]["name"].as_str() {
            Some(name) => records.push((name.to_string(), summary.clone())),
            None => records.push(("total".to_string(), summary.clone())),
        }
    }
    records
}

#[test]
fn root_percentiles_and_errnos_in_json_summaries() {
    require_root();
    let dir = scratch("summary-errnos-json");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut tracer = tracer();
        tracer.arg(backend);
        let options = ["--json", "-c", "-Z", "-U", "calls,errors,p50,p99"];
        let lines = traced(tracer, &options, &dir, &["3"]);
        let counts = json_types::validate(&lines);
        assert!(counts["summary"].as_u64() >= Some(4), "{counts}");
        json_types::assert_one_type_per_path(&lines);
        let records = summary_records(&lines);
        let row = |name: &str| {
            let (_, r) = (records.iter())
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{backend}: no {name} record: {lines}"));
            let key = if name == "total" { "total" } else { "syscall" };
            r[key].clone()
        };
        for name in ["openat", "close", "read", "total"] {
            let r = row(name);
            let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{name}.{k}: {r}"));
            assert!(
                n("min_ns") <= n("p50_ns") && n("p50_ns") <= n("p99_ns"),
                "{backend}: {r}"
            );
            assert!(n("p99_ns") <= n("max_ns"), "{backend}: {r}");
            let errnos = r["errnos"].as_array().expect("errnos");
            let sum: u64 = errnos.iter().map(|e| e["errors"].as_u64().unwrap()).sum();
            assert_eq!(sum, n("errors"), "{backend}: {r}");
        }
        let errnos = |name: &str| -> Vec<(String, u64)> {
            (row(name)["errnos"].as_array().expect("errnos").iter())
                .map(|e| {
                    (
                        e["errno"].as_str().unwrap().into(),
                        e["errors"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        // The loader's failed openat calls (if any) are ENOENT too, so ENOENT stays first.
        let openat = errnos("openat");
        assert_eq!(openat[0].0, "ENOENT", "{backend}: {openat:?}");
        assert!(openat[0].1 >= 9, "{backend}: {openat:?}");
        assert!(
            openat.contains(&("ENOTDIR".into(), 6)),
            "{backend}: {openat:?}"
        );
        assert_eq!(errnos("close"), [("EBADF".into(), 6)], "{backend}");
        assert_eq!(errnos("read"), [("EAGAIN".into(), 3)], "{backend}");
        assert!(
            records.iter().all(|(_, r)| r.get("interval_ms").is_none()),
            "no interval without --stats-interval"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The (calls, errors) of `name`'s row in each table of `text`, in order.
fn rows_of(text: &str, name: &str) -> Vec<(u64, u64)> {
    text.lines()
        .filter(|l| l.ends_with(&format!(" {name}")) && !l.contains(" E"))
        .map(|l| {
            let w: Vec<u64> = (l.split_whitespace())
                .filter_map(|w| w.parse().ok())
                .collect();
            // The errors cell is blank when there are none.
            (w[0], w.get(1).copied().unwrap_or(0))
        })
        .collect()
}

#[test]
fn root_a_table_per_stats_interval() {
    require_root();
    let dir = scratch("summary-intervals");
    // 30 rounds 100 ms apart: over 3 s, so over 1 s intervals at least two tables come
    // before the end (more on a slow machine, never fewer).
    let rounds = 30u64;
    let options = [
        "-c",
        "-Z",
        "-U",
        "calls,errors,p99",
        "--stats-interval",
        "1",
    ];
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut tracer = tracer();
        tracer.arg(backend);
        let text = traced(tracer, &options, &dir, &["30", "100"]);
        let stats = text
            .lines()
            .filter(|l| l.starts_with("--- stats {"))
            .count();
        assert!(stats >= 3, "{backend}: {text}");
        let reads = rows_of(&text, "read");
        // One table per interval with calls (the last interval's after the last stats record),
        // then the whole run's.
        let (whole, intervals) = reads.split_last().expect("tables");
        assert!(intervals.len() >= 2, "{backend}: {text}");
        assert_eq!(
            whole.1, rounds,
            "{backend}: every EAGAIN read counted: {text}"
        );
        let sum = intervals
            .iter()
            .fold((0, 0), |(c, e), (ic, ie)| (c + ic, e + ie));
        assert_eq!(
            sum, *whole,
            "{backend}: the intervals add up to the run: {text}"
        );
        // Each table is followed by its breakdown; the intervals' EAGAIN counts add up too.
        let eagain: Vec<u64> = (text.lines())
            .filter(|l| l.contains(" EAGAIN ") && l.ends_with(" read"))
            .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
            .collect();
        let (last, each) = eagain.split_last().expect("breakdowns");
        assert_eq!(*last, rounds);
        assert_eq!(each.iter().sum::<u64>(), rounds, "{backend}: {text}");
    }
    // JSON: the intervals' summary records carry interval_ms; the run's do not.
    let options = ["--json", "-c", "--stats-interval", "1"];
    let lines = traced(tracer(), &options, &dir, &["30", "100"]);
    json_types::validate(&lines);
    let reads: Vec<(Option<u64>, u64)> = summary_records(&lines)
        .into_iter()
        .filter(|(n, _)| n == "read")
        .map(|(_, r)| {
            (
                r["interval_ms"].as_u64(),
                r["syscall"]["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    let (whole, intervals) = reads.split_last().expect("records");
    assert_eq!(whole.0, None);
    assert!(intervals.len() >= 2 && intervals.iter().all(|(ms, _)| ms.is_some()));
    assert_eq!(intervals.iter().map(|(_, c)| c).sum::<u64>(), whole.1);
    let _ = std::fs::remove_dir_all(&dir);
}
