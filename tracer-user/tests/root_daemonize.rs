//! strace's `-D`, `-DD`, `-DDD` (`--daemonize=...`), against real strace 6.1 with both
//! backends: the command keeps the pid the test forked and the test as its parent, the tracer
//! is in the process group or session each mode says, the trace is the whole of it (from the
//! command's execve, after `Process N attached`), and a Ctrl-C sent to the command's process
//! group ends the command, not the trace.

mod common;

use std::{
    fs,
    io::Read,
    os::unix::process::{CommandExt, ExitStatusExt},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::*;

/// Writes to `seen` its pid, parent, group, session, and its tracer's pid, group and session (0 0 0
/// when no ptrace tracer: eBPF); a child that exits 7 is reaped; then with an argument it
/// waits in pause() for a signal, else it exits 5.
const WORKLOAD: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static int tracer_pid(void) {
    char line[256];
    int pid = 0;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "TracerPid:", 10) == 0)
            pid = atoi(line + 10);
    if (f)
        fclose(f);
    return pid;
}
int main(int argc, char **argv) {
    (void)argv;
    int t = tracer_pid();
    pid_t c = fork();
    if (c == 0)
        _exit(7);
    waitpid(c, 0, 0);
    FILE *seen = fopen("seen", "w");
    fprintf(seen, "%d %d %d %d %d %d %d %d\n", getpid(), getppid(),
                     getpgid(0), getsid(0), c, t, t ? getpgid(t) : 0, t ? getsid(t) : 0);
    fclose(seen);
    if (argc > 1)
        pause();
    return 5;
}
"#;

/// What the workload printed about itself.
#[derive(Debug)]
struct Seen {
    pid: u32,
    ppid: u32,
    pgid: u32,
    sid: u32,
    child: u32,
    tracer: u32,
    tracer_pgid: u32,
    tracer_sid: u32,
}

impl Seen {
    fn parse(line: &str) -> Self {
        let n: Vec<u32> = line
            .split_whitespace()
            .map(|w| {
                w.parse()
                    .unwrap_or_else(|_| panic!("not a number: {line:?}"))
            })
            .collect();
        assert_eq!(n.len(), 8, "{line}");
        Self {
            pid: n[0],
            ppid: n[1],
            pgid: n[2],
            sid: n[3],
            child: n[4],
            tracer: n[5],
            tracer_pgid: n[6],
            tracer_sid: n[7],
        }
    }
}

/// The trace with the command's and its child's pids as `P` and `C`, pointers as `0xADDR`,
/// and the tracer's name as `TRACER`.
fn masked(text: &str, seen: &Seen) -> String {
    let text = text
        .replace("strace", "TRACER")
        .replace("tracer: process", "TRACER: Process")
        .replace(&seen.pid.to_string(), "P")
        .replace(&seen.child.to_string(), "C");
    let addr = regex::Regex::new(r"0x[0-9a-f]{9,}").expect("regex");
    let text = addr.replace_all(&text, "0xADDR");
    // The masks differ in width from what they replaced, and any line may hold one (`P` and
    // `C` are not told from other capitals): every line's padding goes.
    unpad_masked(&text, &[""])
}

/// Runs `program ARGS -- workload [wait]` in `dir`, the command in a process group of its own
/// when `wait`; `during` runs once the workload wrote what it saw. Returns that, the trace
/// (stdout and stderr read to their end: the tracer's too, which outlives the command), the
/// trace's lines apart from tracer's messages on stderr (strace writes both there, tracer
/// the trace on stdout), and the command's exit status.
fn run(
    mut program: Command,
    args: &[&str],
    (dir, workload): (&Path, &Path),
    wait: bool,
    during: impl FnOnce(&Seen),
) -> (Seen, Vec<String>, std::process::ExitStatus) {
    let seen_file = dir.join("seen");
    let _ = fs::remove_file(&seen_file);
    program
        .current_dir(dir)
        .args(args)
        .arg("--")
        .arg(workload)
        .args(wait.then_some("wait"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if wait {
        program.process_group(0);
        // The command takes a Ctrl-C's SIGINT as a terminal's foreground group does, also
        // when the tests run in a background job, whose SIGINT is ignored (inherited through
        // the tracer, the command would wait in pause() forever).
        // SAFETY: signal(2) is async-signal-safe; nothing else runs in the child.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut program, || {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    let mut child = program.spawn().expect("spawn");
    let readers = [
        read_all(child.stdout.take().expect("stdout")),
        read_all(child.stderr.take().expect("stderr")),
    ];
    let line = wait_for(&seen_file, Duration::from_secs(60), |s| s.ends_with('\n'));
    let seen = Seen::parse(&line);
    assert_eq!(
        seen.pid,
        child.id(),
        "the command is the process the test forked"
    );
    during(&seen);
    let status = child.wait().expect("wait");
    let text: String = readers
        .into_iter()
        .map(|r| r.join().expect("reader"))
        .collect();
    let masked = masked(&text, &seen);
    let (mut messages, trace): (Vec<String>, Vec<String>) = masked
        .lines()
        .map(str::to_string)
        .partition(|l| l.starts_with("TRACER: "));
    messages.extend(trace);
    (seen, messages, status)
}

/// Reads `from` to its end on a thread.
fn read_all(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        from.read_to_string(&mut text).expect("read the trace");
        text
    })
}

/// Waits until `pid` is blocked in pause().
fn wait_in_pause(pid: u32) {
    let start = Instant::now();
    let pause = format!("{} ", libc::SYS_pause);
    while !fs::read_to_string(format!("/proc/{pid}/syscall")).is_ok_and(|s| s.starts_with(&pause)) {
        assert!(start.elapsed() < Duration::from_secs(30), "never paused");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn compile(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let workload = compile_c(&dir, "w", WORKLOAD);
    (dir, workload)
}

/// The tracers, each a command line start: strace, then tracer with each backend.
fn tracers() -> Vec<(&'static str, Command)> {
    let mut all = vec![("strace", Command::new("strace"))];
    for backend in ["ebpf", "ptrace"] {
        let mut cmd = tracer();
        cmd.arg(format!("--backend={backend}"));
        all.push((backend, cmd));
    }
    all
}

/// Checks the trace's last line, then that it is strace's (`theirs`: the first one seen).
fn same_as_strace(theirs: &mut Option<Vec<String>>, trace: Vec<String>, last: &str, what: &str) {
    assert_eq!(trace.last().map(String::as_str), Some(last), "{what}");
    match theirs {
        None => *theirs = Some(trace),
        Some(theirs) => assert_eq!(&trace, theirs, "{what}"),
    }
}

#[test]
fn root_daemonized_tracer_leaves_the_command_to_its_parent_as_strace() {
    require_root();
    let (dir, workload) = compile("daemonize");
    let test = std::process::id();
    for mode in ["-D", "-DD", "-DDD", "--daemonize=pgrp"] {
        let args = [mode, "-f", "-e", "trace=execve,exit_group"];
        let mut theirs = None;
        for (name, program) in tracers() {
            let (seen, trace, status) = run(program, &args, (&dir, &workload), false, |_| {});
            let what = format!("{name} {mode}: {trace:#?}");
            assert_eq!(seen.ppid, test, "{what}");
            assert_eq!(status.code(), Some(5), "{what}");
            // The group and session the test gave it, whatever the tracer's.
            // SAFETY: getpgid/getsid of ourselves.
            let (pgid, sid) = unsafe { (libc::getpgid(0), libc::getsid(0)) };
            assert_eq!((seen.pgid, seen.sid), (pgid as u32, sid as u32), "{what}");
            if seen.tracer != 0 {
                // A ptrace tracer: never the command's parent, and where the mode puts it.
                assert_ne!(seen.tracer, test, "{what}");
                let (pgid, sid) = match mode {
                    "-D" => (seen.pgid, seen.sid),
                    "-DD" | "--daemonize=pgrp" => (seen.tracer, seen.sid),
                    _ => (seen.tracer, seen.tracer),
                };
                assert_eq!((seen.tracer_pgid, seen.tracer_sid), (pgid, sid), "{what}");
            } else {
                assert_eq!(name, "ebpf");
            }
            assert_eq!(trace[0], "TRACER: Process P attached", "{what}");
            let first = trace.iter().find(|l| !l.starts_with("TRACER: "));
            assert!(first.is_some_and(|l| l.starts_with("execve(\"")), "{what}");
            same_as_strace(&mut theirs, trace, "+++ exited with 5 +++", &what);
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_ctrl_c_to_the_command_s_group_ends_the_command_not_the_trace() {
    require_root();
    let (dir, workload) = compile("daemonize-ctrl-c");
    let test = std::process::id().to_string();
    for mode in ["-D", "-DD"] {
        let args = [mode, "-e", "trace=pause"];
        let mut theirs = None;
        for (name, program) in tracers() {
            let (_, trace, status) = run(program, &args, (&dir, &workload), true, |seen| {
                wait_in_pause(seen.pid);
                // SAFETY: a signal to the command's process group (its own).
                unsafe { libc::kill(-(seen.pid as i32), libc::SIGINT) };
            });
            let trace: Vec<String> = trace.iter().map(|l| l.replace(&test, "TEST")).collect();
            let what = format!("{name} {mode}: {trace:#?}");
            assert_eq!(status.signal(), Some(libc::SIGINT), "{what}");
            same_as_strace(&mut theirs, trace, "+++ killed by SIGINT +++", &what);
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A command that cannot be executed (a file without x bits), launched or daemonized, both
/// backends, as strace 6.1: its failed execve, then nothing of tracer's own code the child
/// runs after it (reporting the errno: a write, a SIGPIPE, exit_group, shown before), tracer's
/// `exec: Permission denied` and `+++ exited with 1 +++`, exit status 1 (was 127). With `-e
/// trace=write` the exec is still seen (the hiding needs it) but not shown. (Under ptrace
/// nobody reads the errno the command reports before exiting: that write once killed it by
/// SIGPIPE.)
#[test]
fn root_a_command_that_fails_to_exec_ends_as_strace() {
    require_root();
    let dir = scratch("daemonize-noexec");
    let program = dir.join("not-executable");
    fs::write(&program, "#!/bin/sh\n").expect("write");
    let strace_out = dir.join("strace.out");
    let theirs = Command::new("strace")
        .arg("-o")
        .arg(&strace_out)
        .arg(&program)
        .output()
        .expect("run strace");
    assert_eq!(theirs.status.code(), Some(1), "{theirs:?}");
    assert!(String::from_utf8_lossy(&theirs.stderr).contains("strace: exec: Permission denied"));
    let strace_lines = fs::read_to_string(&strace_out).expect("strace's trace");
    assert_eq!(strace_lines.lines().count(), 2, "{strace_lines}");
    for backend in ["ebpf", "ptrace"] {
        for daemonize in [&[][..], &["-D"]] {
            for calls in [&[][..], &["-e", "trace=write,exit_group"]] {
                let out = tracer()
                    .arg(format!("--backend={backend}"))
                    .args(daemonize)
                    .args(calls)
                    .arg("--")
                    .arg(&program)
                    .output()
                    .expect("run tracer");
                let trace = String::from_utf8_lossy(&out.stdout);
                let what = format!("{backend} {daemonize:?} {calls:?}: {out:?}");
                assert_eq!(out.status.code(), Some(1), "{what}");
                let lines: Vec<&str> = trace.lines().collect();
                if calls.is_empty() {
                    assert_eq!(lines.len(), 2, "{what}");
                    assert!(
                        lines[0].ends_with(") = -1 EACCES (Permission denied)"),
                        "{what}"
                    );
                } else {
                    assert_eq!(lines.len(), 1, "{what}");
                }
                assert_eq!(lines.last(), Some(&"+++ exited with 1 +++"), "{what}");
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    stderr.contains("tracer: exec: Permission denied\n"),
                    "{what}"
                );
            }
        }
        // The trace and tracer's word in one file (`2>&1`): the word after the exec's line,
        // as strace's (it came before the line with eBPF, inside it with ptrace).
        let both = dir.join(format!("both.{backend}"));
        let file = fs::File::create(&both).expect("create");
        let status = tracer()
            .args([&format!("--backend={backend}"), "-q", "--"])
            .arg(&program)
            .stdout(file.try_clone().expect("dup"))
            .stderr(file)
            .status()
            .expect("run tracer");
        assert_eq!(status.code(), Some(1), "{backend}");
        let text = fs::read_to_string(&both).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() == 3, "{backend}: {text}");
        assert!(lines[0].starts_with("execve("), "{backend}: {text}");
        assert_eq!(
            lines[1], "tracer: exec: Permission denied",
            "{backend}: {text}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}
