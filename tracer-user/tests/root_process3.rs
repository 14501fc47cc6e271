//! The process model as strace 6.1 shows it, with both backends (root): a thread killed
//! inside a blocked call (SIGKILL, another thread's exit_group) ends its call as
//! `<... read resumed> <unfinished ...>) = ?` (the call's outputs never came) and its
//! `+++ exited` comes before its leader's, launched or attached with `-p -f`. Detached
//! (Ctrl-C) from threads blocked since before the attach, each call's start is shown, the
//! last ended ` <detached ...>`; threads stopped at the attach say `--- stopped by SIGSTOP ---`.
//! A successful fexecve (`execveat(fd, "", ..., AT_EMPTY_PATH)`) prints its `""`.

#[path = "support/cli_traces.rs"]
mod cli_traces;
mod common;

use std::{
    ffi::OsStr,
    fs,
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Command, Stdio},
};

use common::*;
use regex::Regex;

/// strace's and each backend's trace of `program ARGS` with `options`.
fn traces(options: &[&str], dir: &Path, program: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut argv: Vec<&OsStr> = vec!["--".as_ref(), program.as_os_str()];
    argv.extend(args.iter().map(OsStr::new));
    let mut out = vec![(
        "strace".to_string(),
        trace_to_file(Command::new("strace"), options, dir, &argv).0,
    )];
    for backend in ["ebpf", "ptrace"] {
        let mut cmd = tracer();
        cmd.arg(format!("--backend={backend}"));
        out.push((
            backend.to_string(),
            trace_to_file(cmd, options, dir, &argv).0,
        ));
    }
    out
}

/// The pid a line starts with (`-o FILE` with `-f`: `1234  ...`), if any.
fn pid_of(line: &str) -> Option<&str> {
    let (pid, _) = line.split_once(' ')?;
    pid.bytes().all(|b| b.is_ascii_digit()).then_some(pid)
}

/// The reads the threads died in: each must be strace's ` <unfinished ...>) = ?`.
fn killed_reads(who: &str, trace: &str, expected: usize) {
    let killed =
        Regex::new(r"^\d+ +(read\(\d+, |<\.\.\. read resumed>) <unfinished \.\.\.>\) += \?$")
            .expect("regex");
    let ends: Vec<&str> = trace.lines().filter(|l| l.ends_with("= ?")).collect();
    let reads: Vec<&&str> = ends.iter().filter(|l| l.contains("read")).collect();
    assert_eq!(reads.len(), expected, "{who}: {ends:?}\n{trace}");
    for line in reads {
        assert!(killed.is_match(line), "{who}: {line}\n{trace}");
    }
}

/// `n` tasks end with `end`, the leader's (the first line's pid) the last line.
fn leader_ends_last(who: &str, trace: &str, n: usize, end: &str) {
    let lines: Vec<&str> = trace.lines().collect();
    let leader = lines.first().and_then(|l| pid_of(l)).expect("a first line");
    let ends: Vec<&&str> = lines.iter().filter(|l| l.ends_with(end)).collect();
    assert_eq!(ends.len(), n, "{who}:\n{trace}");
    let last = lines.last().expect("a last line");
    assert!(last.ends_with(end), "{who}:\n{trace}");
    assert_eq!(pid_of(last), Some(leader), "{who}:\n{trace}");
}

/// The program in "attach" mode, once its thread is blocked in read(3) (its leader about to
/// read stdin).
fn attach_mode(program: &Path) -> std::process::Child {
    let mut child = Command::new(program)
        .arg("attach")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the program");
    let mut ready = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut ready).expect("ready");
    assert_eq!(ready, "ready\n");
    child
}

#[test]
fn root_threads_killed_inside_a_read_end_as_strace_ends_them() {
    require_root();
    let dir = scratch("task-deaths");
    let program = cc("task_deaths", &dir);
    let options = ["-f", "-e", "trace=read,kill,exit_group"];
    for (who, trace) in traces(&options, &dir, &program, &["kill"]) {
        killed_reads(&who, &trace, 2);
        leader_ends_last(&who, &trace, 3, " +++ killed by SIGKILL +++");
    }
    for (who, trace) in traces(&options, &dir, &program, &["exit"]) {
        killed_reads(&who, &trace, 1);
        leader_ends_last(&who, &trace, 2, " +++ exited with 0 +++");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `-p PID -f` on a process whose thread is blocked in a read: after the leader's
/// exit_group the thread's end comes first and the leader's last.
#[test]
fn root_attached_threads_end_before_their_leader() {
    require_root();
    let dir = scratch("task-deaths-p");
    let program = cc("task_deaths", &dir);
    let mut tracers = vec![("strace".to_string(), Command::new("strace"))];
    for backend in ["ebpf", "ptrace"] {
        let mut cmd = tracer();
        cmd.arg(format!("--backend={backend}"));
        tracers.push((backend.to_string(), cmd));
    }
    let thread_end = Regex::new(r"^\d+ +\+\+\+ exited with 0 \+\+\+$").expect("regex");
    for (who, mut cmd) in tracers {
        let mut child = attach_mode(&program);
        let out = dir.join(format!("trace-{who}"));
        cmd.args(["-f", "-e", "trace=exit_group", "-p"])
            .arg(child.id().to_string());
        let mut t = attach_to_file(cmd, &out);
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"x")
            .expect("go");
        assert!(child.wait().expect("wait").success());
        let _ = t.wait();
        let trace = fs::read_to_string(&out).expect("trace");
        let leader = child.id().to_string();
        let lines: Vec<&str> = trace.lines().collect();
        let tail = &lines[lines.len().saturating_sub(2)..];
        let thread = tail.first().and_then(|l| pid_of(l)).unwrap_or("none");
        assert_ne!(thread, leader, "{who}:\n{trace}");
        assert!(thread_end.is_match(tail[0]), "{who}:\n{trace}");
        assert!(thread_end.is_match(tail[1]), "{who}:\n{trace}");
        assert_eq!(pid_of(tail[1]), Some(leader.as_str()), "{who}:\n{trace}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A tracer (strace, or tracer with a backend) attached with `-f -p` to the program in
/// "attach" mode, both its threads blocked in a read; `stop` first (SIGSTOP before the
/// attach, SIGCONT once the trace shows the stops). SIGINT ends it; returns its trace.
fn detached_trace(who: &str, program: &Path, dir: &Path, stop: bool) -> String {
    let mut cmd = match who {
        "strace" => Command::new("strace"),
        backend => {
            let mut t = tracer();
            t.arg(format!("--backend={backend}"));
            t
        }
    };
    let mut child = attach_mode(program);
    // The leader is inside its read(0) too (the thread's was waited for).
    let pid = child.id();
    let syscall = format!("/proc/{pid}/syscall");
    let started = std::time::Instant::now();
    while !fs::read_to_string(&syscall).is_ok_and(|s| s.starts_with("0 ")) {
        assert!(started.elapsed().as_secs() < 20, "{who}: no read(0)");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    if stop {
        signal(pid, libc::SIGSTOP);
        while !task_state(pid).starts_with('T') {
            assert!(started.elapsed().as_secs() < 20, "{who}: not stopped");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    let out = dir.join(format!("detached-{who}"));
    cmd.args(["-f", "-e", "trace=read", "-p"])
        .arg(pid.to_string());
    let mut t = attach_to_file(cmd, &out);
    if stop {
        wait_for(&out, std::time::Duration::from_secs(20), |text| {
            text.matches("--- stopped by SIGSTOP ---").count() == 2
        });
        signal(pid, libc::SIGCONT);
    }
    // Both reads shown as started (restarted after the attach or the SIGCONT; eBPF shows
    // the ones from before the attach only at the detach), then Ctrl-C.
    wait_for(&out, std::time::Duration::from_secs(20), |text| {
        let seen = (who == "ebpf" && !stop) || text.matches("read(").count() >= 2;
        seen && (!stop || text.contains("--- SIGCONT"))
    });
    signal(t.id(), libc::SIGINT);
    let _ = t.wait();
    let _ = child.kill();
    let _ = child.wait();
    fs::read_to_string(&out).expect("trace")
}

#[test]
fn root_detached_calls_blocked_since_before_the_attach_show_as_strace_shows_them() {
    require_root();
    let dir = scratch("detached-blocked");
    let program = cc("task_deaths", &dir);
    let call = Regex::new(r"^\d+ +(read\(\d, ) <(unfinished|detached) \.\.\.>$").expect("regex");
    for who in ["strace", "ebpf", "ptrace"] {
        for stop in [false, true] {
            let trace = detached_trace(who, &program, &dir, stop);
            let lines: Vec<&str> = trace.lines().collect();
            let stops = lines
                .iter()
                .take_while(|l| l.ends_with(" --- stopped by SIGSTOP ---"))
                .count();
            assert_eq!(stops, if stop { 2 } else { 0 }, "{who}:\n{trace}");
            let mut calls: Vec<&str> = lines
                .iter()
                .filter_map(|l| call.captures(l))
                .map(|c| c.get(1).map_or("", |m| m.as_str()))
                .collect();
            calls.sort_unstable();
            assert_eq!(calls, ["read(0, ", "read(3, "], "{who}:\n{trace}");
            let last = lines.last().copied().unwrap_or_default();
            assert!(last.ends_with("  <detached ...>"), "{who}:\n{trace}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_fexecve_prints_its_empty_path_as_strace_does() {
    require_root();
    let dir = scratch("fexec-memfd");
    let program = cc("fexec_memfd", &dir);
    let (theirs, ours) = cli_traces::traces(&["-f", "-y", "-e", "trace=execveat"], &dir, &program);
    let execs = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains("execveat("))
            .map(str::to_string)
            .collect()
    };
    let expected = execs(&theirs);
    assert_eq!(expected.len(), 2, "{theirs}");
    assert!(
        expected[0].contains(", \"\", [\"true\", \"x\"]"),
        "{theirs}"
    );
    for (backend, text) in ours {
        assert_eq!(execs(&text), expected, "{backend}:\n{text}");
    }
    let _ = fs::remove_dir_all(&dir);
}
