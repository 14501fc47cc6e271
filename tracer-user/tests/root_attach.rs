//! "attached" is a promise: from that line on, every call of the process is traced. A process
//! gone before tracer could attach, or one the kernel will not let anyone trace, gets strace's
//! error and exit status 1, never an "attached" followed by nothing. Each case is compared with
//! real strace on the same process.

mod common;

use std::{
    fs,
    path::Path,
    process::{Command, Output, Stdio},
    time::Duration,
};

use common::*;

/// Runs `cmd` (tracer or strace, given `-p PID`) to its end.
fn run(mut cmd: Command) -> Output {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run the tracer")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines from the first one starting with `from` on, without tracer's and strace's own
/// messages, with addresses (which ASLR moves between runs), getpid's value and alignment
/// taken out.
fn from_line(text: &str, from: &str) -> Vec<String> {
    let addr = regex::Regex::new(r"0x[0-9a-f]{6,}").expect("regex");
    let pid = regex::Regex::new(r"^getpid\(\)\s+= \d+").expect("regex");
    let time = regex::Regex::new(r"tv_sec=\d+, tv_nsec=\d+").expect("regex");
    text.lines()
        .filter(|l| !l.starts_with("strace: ") && !l.starts_with("tracer: "))
        .skip_while(|l| !l.starts_with(from))
        .map(|l| pid.replace(l, "getpid() = N").into_owned())
        .map(|l| time.replace_all(&l, "tv_sec=N, tv_nsec=N").into_owned())
        .map(|l| addr.replace_all(&l, "0x...").into_owned())
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn root_kernel_threads_and_zombies_are_refused_as_strace_refuses_them() {
    require_root();
    // A zombie: a child that has exited and that its parent has not reaped.
    let parent = KillOnDrop(
        python()
            .args([
                "-c",
                "import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\n\
                 print(pid, flush=True)\ntime.sleep(30)",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn python3"),
    );
    let mut first = String::new();
    let mut parent = parent;
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(parent.0.stdout.take().expect("stdout")),
        &mut first,
    )
    .expect("the zombie's pid");
    let zombie: u32 = first.trim().parse().expect("a pid");
    let status = format!("/proc/{zombie}/status");
    wait_for(Path::new(&status), Duration::from_secs(5), |s| {
        s.contains("State:\tZ")
    });
    for pid in [2, zombie] {
        let mut strace = Command::new("strace");
        strace.args(["-p", &pid.to_string()]);
        let strace = run(strace);
        let strace_err = text(&strace.stderr);
        assert_eq!(strace.status.code(), Some(1), "{strace_err}");
        assert!(
            strace_err.contains("Operation not permitted"),
            "{strace_err}"
        );
        for backend in ["ebpf", "ptrace"] {
            let mut t = tracer();
            t.args(["--backend", backend, "-p", &pid.to_string()]);
            let out = run(t);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{backend}, pid {pid}: {err}");
            assert!(
                err.contains(&format!("attach: pid {pid}: Operation not permitted")),
                "{backend}, pid {pid}: {err}"
            );
            assert!(!err.contains("attached"), "{backend}, pid {pid}: {err}");
            assert!(out.stdout.is_empty(), "{backend}, pid {pid}");
        }
    }
}

/// The issue's example: `python3 -c "...sleep(0.3)..." & tracer -p $!`. Whether tracer attaches
/// before the process ends depends on the machine; either way it says what happened: the
/// calls from the attach on, ending as strace's do with `+++ exited with 0 +++`, or strace's
/// error and status 1. Never "attached" and an empty trace with status 0.
#[test]
fn root_a_short_lived_process_is_traced_to_its_exit_or_reported_gone() {
    require_root();
    let script = "import time, os; time.sleep(0.3); os.getpid()";
    let mut strace = Command::new("strace");
    let first = python()
        .args(["-c", script])
        .spawn()
        .expect("spawn python3");
    strace.args(["-p", &first.id().to_string()]);
    // strace attaches at once: from its first line after the attach message.
    let reference = from_line(&text(&run(strace).stderr), "");
    let _ = KillOnDrop(first).0.wait();
    assert_eq!(
        reference.last().map(String::as_str),
        Some("+++ exited with 0 +++"),
        "strace: {reference:?}"
    );
    for backend in ["ebpf", "ptrace"] {
        let mut traced = KillOnDrop(
            python()
                .args(["-c", script])
                .spawn()
                .expect("spawn python3"),
        );
        let pid = traced.0.id();
        let mut t = tracer();
        t.args(["--backend", backend, "-p", &pid.to_string()]);
        let out = run(t);
        let _ = traced.0.wait();
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        if stderr.contains(&format!("process {pid} attached")) {
            assert_eq!(out.status.code(), Some(0), "{backend}: {stderr}");
            // Every line from the attach on, as strace printed the same calls: the end of
            // strace's trace (a call the attach came in the middle of ends as resumed).
            let ours = from_line(&stdout, "");
            let whole: Vec<String> = ours
                .iter()
                .skip_while(|l| l.starts_with("<... "))
                .cloned()
                .collect();
            // Compared from the sleep on: the start-up before it differs from run to run.
            let from_sleep = |v: &[String]| -> Vec<String> {
                let at = v.iter().rposition(|l| l.starts_with("clock_nanosleep("));
                v[at.unwrap_or(0)..].to_vec()
            };
            let mut ours_tail = from_sleep(&whole);
            let theirs = from_sleep(&reference);
            assert!(
                !ours_tail.is_empty() && ours_tail.len() <= theirs.len(),
                "{backend}: {ours_tail:?} against {theirs:?}"
            );
            // Python frees its arenas in no fixed order: the same lines, in any order.
            let mut theirs_tail = theirs[theirs.len() - ours_tail.len()..].to_vec();
            ours_tail.sort();
            theirs_tail.sort();
            assert_eq!(ours_tail, theirs_tail, "{backend}");
            assert_eq!(
                whole.last().map(String::as_str),
                Some("+++ exited with 0 +++")
            );
        } else {
            assert_eq!(out.status.code(), Some(1), "{backend}: {stderr}");
            assert!(
                stderr.contains(&format!("pid {pid}: no such process")),
                "{backend}: {stderr}"
            );
            assert!(stdout.is_empty(), "{backend}: {stdout}");
        }
    }
}

/// Gone while the programs load (a process that lives 50 ms): strace's error, status 1. With
/// several targets, the others are traced as strace traces them.
/// Whether tracer told that `pid` is gone: when it looked, the process had ended (`no such
/// process`) or was a zombie not yet reaped (strace's `Operation not permitted`); which one
/// depends on timing.
fn told_gone(err: &str, pid: u32) -> bool {
    err.contains(&format!("pid {pid}: no such process"))
        || err.contains(&format!("pid {pid}: Operation not permitted (a zombie"))
}

/// As strace: of several `-p`, one that cannot be attached (here a zombie) is told and the
/// others are traced (tracer stopped at the first one and traced nothing, exit 1).
#[test]
fn root_a_zombie_among_several_pids_leaves_the_others_traced() {
    require_root();
    let zombie = Command::new("true").spawn().expect("true");
    let z = zombie.id();
    let stat = format!("/proc/{z}/stat");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !std::fs::read_to_string(&stat).is_ok_and(|s| s.contains(") Z ")) {
        assert!(
            std::time::Instant::now() < deadline,
            "{z} never became a zombie"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    for backend in ["ebpf", "ptrace"] {
        let mut long = KillOnDrop(Command::new("sleep").arg("30").spawn().expect("sleep"));
        let stays = long.0.id();
        let mut t = tracer()
            .args([
                "--backend",
                backend,
                "-p",
                &z.to_string(),
                "-p",
                &stays.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tracer");
        let err = wait_attached(&mut t);
        signal(stays, libc::SIGTERM);
        let out = t.wait_with_output().expect("tracer ends");
        let _ = long.0.wait();
        let err = err.finish();
        assert_eq!(out.status.code(), Some(0), "{backend}: {err}");
        assert!(
            err.contains(&format!("pid {z}: Operation not permitted (a zombie")),
            "{backend}: {err}"
        );
        assert!(
            err.contains(&format!("process {stays} attached")),
            "{backend}: {err}"
        );
    }
    let mut zombie = zombie;
    let _ = zombie.wait();
}

#[test]
fn root_a_process_gone_before_the_attach_is_an_error() {
    require_root();
    let mut short = KillOnDrop(Command::new("sleep").arg("0.05").spawn().expect("sleep"));
    let mut long = KillOnDrop(Command::new("sleep").arg("30").spawn().expect("sleep"));
    let (gone, stays) = (short.0.id(), long.0.id());
    let t = tracer()
        .args(["--backend", "ebpf", "-p", &gone.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let _ = short.0.wait();
    let out = t.wait_with_output().expect("tracer ends");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(told_gone(&err, gone), "{err}");
    assert!(!err.contains("attached"), "{err}");
    assert!(out.stdout.is_empty());
    // One of two gone: the other is attached and traced until tracer is stopped.
    let mut short = KillOnDrop(Command::new("sleep").arg("0.05").spawn().expect("sleep"));
    let gone = short.0.id();
    let mut t = tracer()
        .args(["--backend", "ebpf", "-p", &gone.to_string()])
        .args(["-p", &stays.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let _ = short.0.wait();
    let err = wait_attached(&mut t);
    signal(stays, libc::SIGTERM);
    let out = t.wait_with_output().expect("tracer ends");
    let _ = long.0.wait();
    let err = err.finish();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(told_gone(&err, gone), "{err}");
    assert!(err.contains(&format!("process {stays} attached")), "{err}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("--- SIGTERM {si_signo=SIGTERM")
            && stdout.ends_with("+++ killed by SIGTERM +++\n"),
        "{stdout}"
    );
}

/// A process that ends after the attach: its calls up to its exit, as strace prints them, with
/// both backends. The process waits for a file the test creates once tracer says "attached".
/// Starts `who` (strace, or tracer with backend `who`) on `-p PID`, output piped; returns once
/// it says it attached.
fn attach(who: &str, pid: &str, flags: &[&str]) -> (std::process::Child, Stderr) {
    let mut cmd = match who {
        "strace" => Command::new("strace"),
        backend => {
            let mut t = tracer();
            t.args(["--backend", backend]);
            t
        }
    };
    let mut t = cmd
        .args(flags)
        .args(["-p", pid])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the tracer");
    let err = wait_attached(&mut t);
    (t, err)
}

/// The trace `who` (started by `attach`) printed, once it ended: strace writes it to stderr,
/// tracer to stdout (and must exit 0).
fn trace_of(who: &str, t: std::process::Child, err: Stderr) -> String {
    let out = t.wait_with_output().expect("the tracer ends");
    let err = err.finish();
    if who == "strace" {
        err
    } else {
        assert_eq!(out.status.code(), Some(0), "{who}: {err}");
        text(&out.stdout)
    }
}

#[test]
fn root_a_process_ending_after_the_attach_is_traced_to_its_exit() {
    require_root();
    let dir = scratch("attach-exit");
    let script = "import os, sys, time\n\
                  while not os.path.exists(sys.argv[1]): time.sleep(0.02)\n\
                  for _ in range(3): os.getppid()\n\
                  os._exit(3)";
    let mut traces = Vec::new();
    for who in ["strace", "ebpf", "ptrace"] {
        let go = dir.join(format!("go-{who}"));
        let mut traced = KillOnDrop(
            python()
                .args(["-c", script])
                .arg(&go)
                .spawn()
                .expect("spawn python3"),
        );
        let pid = traced.0.id().to_string();
        let (t, err) = attach(who, &pid, &[]);
        fs::write(&go, "").expect("create the go file");
        let trace = trace_of(who, t, err);
        let _ = traced.0.wait();
        traces.push((who, from_line(&trace, "getppid(")));
    }
    let (_, reference) = &traces[0];
    assert_eq!(reference.len(), 5, "strace: {reference:?}");
    assert_eq!(reference[4], "+++ exited with 3 +++");
    for (who, ours) in &traces[1..] {
        assert_eq!(ours, reference, "{who}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A program that blocks in one call (`read` of stdin, `accept`, `nanosleep`) chosen by its
/// argument, then writes `done` and exits; it prints its pid and the port it listens on first.
const BLOCKED: &str = r#"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 1);
    getsockname(s, (struct sockaddr *)&a, &len);
    printf("%d %d\n", getpid(), ntohs(a.sin_port));
    fflush(stdout);
    if (strcmp(argv[1], "read") == 0) {
        char buf[1024];
        read(0, buf, sizeof buf);
    } else if (strcmp(argv[1], "accept") == 0) {
        len = sizeof a;
        accept(s, (struct sockaddr *)&a, &len);
    } else {
        /* Long enough for a tracer started under load (CI's parallel tests: a debug build
           loading its programs took over 3 s) to attach before it ends. */
        struct timespec t = {8, 0};
        nanosleep(&t, NULL);
    }
    write(1, "done\n", 5);
    return 0;
}
"#;

/// Waits until `pid` is inside syscall `nr` (/proc/PID/syscall), so the attach finds it
/// blocked there.
fn wait_in_syscall(pid: &str, nr: u32) {
    let path = format!("/proc/{pid}/syscall");
    let want = format!("{nr} ");
    let t = wait_for(Path::new(&path), Duration::from_secs(10), |s| {
        s.starts_with(&want)
    });
    assert!(t.starts_with(&want), "{path}: {t}");
}

#[test]
fn root_a_call_blocked_at_the_attach_prints_whole_as_strace_prints_it() {
    use std::io::{BufRead, BufReader, Write};
    require_root();
    let dir = scratch("attach-blocked");
    let bin = compile_c(&dir, "blocked", BLOCKED);
    let port = regex::Regex::new(r"htons\(\d+\)").expect("regex");
    // -T: the time each call took (checked apart: it varies).
    let took = regex::Regex::new(r" <\d+\.\d{6}>$").expect("regex");
    // (mode, the syscall it blocks in, the first line of the trace)
    for (mode, nr, first) in [
        ("read", 0, "read("),
        ("accept", 43, "accept("),
        ("sleep", 230, "restart_syscall("),
    ] {
        let mut traces = Vec::new();
        for who in ["strace", "ebpf", "ptrace"] {
            let mut traced = KillOnDrop(
                Command::new(&bin)
                    .arg(mode)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("spawn the blocked program"),
            );
            let mut line = String::new();
            BufReader::new(traced.0.stdout.as_mut().expect("piped"))
                .read_line(&mut line)
                .expect("read the pid");
            let (pid, listen_port) = line.trim().split_once(' ').expect("pid and port");
            let pid = pid.to_string();
            wait_in_syscall(&pid, nr);
            let (t, err) = attach(who, &pid, &["-T"]);
            if who == "strace" {
                // strace says "attached" when it has seized the process, before its interrupt
                // has restarted the call under it: the reference needs a moment (tracer's
                // "attached" needs none).
                std::thread::sleep(Duration::from_millis(500));
            }
            match mode {
                "read" => {
                    let mut stdin = traced.0.stdin.take().expect("piped");
                    stdin.write_all(b"x\n").expect("feed the read");
                }
                "accept" => {
                    let _peer = std::net::TcpStream::connect((
                        "127.0.0.1",
                        listen_port.parse::<u16>().expect("port"),
                    ))
                    .expect("connect");
                    let _ = traced.0.wait();
                }
                _ => {}
            }
            let trace = trace_of(who, t, err);
            let _ = traced.0.wait();
            let lines = from_line(&trace, first);
            // The call restarted at the attach took the time from the attach to its end, as
            // strace counts it: never 0 (its start is not its end).
            assert!(
                lines
                    .first()
                    .is_some_and(|l| took.is_match(l) && !l.ends_with("<0.000000>")),
                "{mode}: {who}: {trace}"
            );
            let lines: Vec<String> = lines
                .iter()
                .map(|l| port.replace_all(l, "htons(N)").into_owned())
                .map(|l| took.replace(&l, "").into_owned())
                .collect();
            traces.push((who, lines, trace));
        }
        let (_, reference, full) = &traces[0];
        assert_eq!(reference.len(), 4, "{mode}: strace: {full}");
        for (who, ours, full) in &traces[1..] {
            assert_eq!(ours, reference, "{mode}: {who}: {full}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
