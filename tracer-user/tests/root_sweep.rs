//! Every syscall of the x86_64 table, called with all arguments 0 and then all -1
//! (tests/workloads/sweep.c, `./sweep 0 450`: strace 6.1 knows no number above 450), under
//! real strace 6.1 and under tracer with both backends. What differs between two runs (pids,
//! addresses, times) is masked; the lines are then compared per syscall.
//!
//! The syscalls tracer does not print as strace does yet are listed, each with its reason, in
//! tests/golden/sweep-known.txt. The test fails when a syscall differs that is not listed, and
//! when a listed one matches with both backends now (so the list only shrinks).

mod common;

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
    process::Command,
    sync::LazyLock,
};

use common::*;
use regex::Regex;

/// The numbers the sweep calls: strace 6.1 knows none above 450.
const LAST: &str = "450";

/// Mapping and heap addresses (ASLR).
static ADDRESSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"0x(?:5[5-6]|7[ef])[0-9a-f]{10}").expect("regex"));

/// Calls that return a pid, a process group, clock ticks or the time: their values.
static PER_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^((?:getpid|getppid|getpgrp|setsid|getpgid|getsid|gettid|set_tid_address|times|time)\(.*\)) += \d+(?: \(\d{4}-[^)]*\))?$",
    )
    .expect("regex")
});

/// What time(NULL) returned and its date: `= N (DATE)` stays distinct from a bare `= N`.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" = \d+( \(\d{4}-[^)]*\))?$").expect("regex"));

/// A trace with what differs between two runs masked.
fn mask(text: &str) -> String {
    let text = ADDRESSES.replace_all(text, "ADDR");
    PER_RUN
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let dated = DATE
                .captures(&c[0])
                .and_then(|d| d.get(1))
                .is_some_and(|d| !d.is_empty());
            format!("{} = N{}", &c[1], if dated { " (DATE)" } else { "" })
        })
        .into_owned()
}

/// Runs `program OPTIONS ./sweep 0 LAST` in `dir`; returns its masked trace.
fn trace(program: Command, options: &[&str], dir: &Path) -> String {
    let sweep = dir.join("sweep");
    let (text, code) = trace_to_file(
        program,
        options,
        dir,
        &[
            "--".as_ref(),
            sweep.as_os_str(),
            "0".as_ref(),
            LAST.as_ref(),
        ],
    );
    assert_eq!(code, Some(0), "sweep with {options:?}");
    mask(&text)
}

/// The syscall a line is a call of (strace's name: `syscall_0x150` for one it does not know).
fn name(line: &str) -> &str {
    line.split('(').next().unwrap_or(line)
}

/// The kept list: syscall name -> reason.
fn known() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sweep-known.txt");
    let text = fs::read_to_string(&path).expect("read sweep-known.txt");
    let mut known = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line.split_once(':').expect("NAME: reason");
        assert!(!reason.trim().is_empty(), "{name}: no reason given");
        let again = known.insert(name.trim().to_string(), reason.trim().to_string());
        assert!(again.is_none(), "{name} listed twice");
    }
    known
}

/// The syscalls whose lines differ between strace's trace and ours, each with its first
/// differing pair of lines. The traces have one line per call, in the same order.
fn differing(theirs: &str, ours: &str) -> BTreeMap<String, (String, String)> {
    let (t, o): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
    assert_eq!(
        t.len(),
        o.len(),
        "line counts differ:\n{ours}\n--- strace:\n{theirs}"
    );
    let mut differ = BTreeMap::new();
    for (t, o) in t.iter().zip(&o) {
        if t != o {
            differ
                .entry(name(t).to_string())
                .or_insert_with(|| (t.to_string(), o.to_string()));
        }
    }
    differ
}

#[test]
fn root_every_syscall_as_strace_or_listed() {
    require_root();
    let dir = scratch("sweep");
    cc("sweep", &dir);
    let theirs = trace(Command::new("strace"), &[], &dir);
    assert!(
        theirs.lines().count() > 700,
        "strace printed too little:\n{theirs}"
    );
    let known = known();
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut tracer = tracer();
        tracer.arg(backend);
        let ours = trace(tracer, &[], &dir);
        let differ = differing(&theirs, &ours);
        let equal = theirs.lines().zip(ours.lines()).filter(|(t, o)| t == o);
        eprintln!(
            "{backend}: {} of {} lines as strace's, {} syscalls differ",
            equal.count(),
            theirs.lines().count(),
            differ.len()
        );
        for (name, (t, o)) in &differ {
            seen.insert(name.clone());
            if !known.contains_key(name) {
                failures.push(format!("{backend}: {name} differs:\n  {o}\n  strace: {t}"));
            }
        }
    }
    for name in known.keys() {
        if !seen.contains(name) {
            failures.push(format!(
                "{name} prints as strace's now with both backends: drop it from sweep-known.txt"
            ));
        }
    }
    let _ = fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn masks_what_differs_between_runs() {
    let a = "time(NULL)                              = 1796074171 (2026-11-30T21:29:31+0000)\n\
             getpid()                                = 9198\n\
             brk(NULL)                               = 0x5627cb9ae000\n\
             time(0xffffffffffffffff)                = -1 EFAULT (Bad address)\n";
    assert_eq!(
        mask(a),
        "time(NULL) = N (DATE)\ngetpid() = N\nbrk(NULL)                               = ADDR\n\
         time(0xffffffffffffffff)                = -1 EFAULT (Bad address)\n"
    );
    assert_eq!(mask("time(NULL) = 1796074171\n"), "time(NULL) = N\n");
}
