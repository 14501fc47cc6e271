//! How a task's last call, its end and its stops read, as strace prints them with both
//! backends: a call cut short by SIGKILL never returns (`= ?`), a process's leader replaced by
//! another thread's execve ends as `+++ superseded by execve in pid N +++`, the execve finishing
//! under the leader's id (with `-ff`, in the leader's file after its earlier lines, the
//! thread's file ending with the execve's start), and a stop signal is followed by
//! `--- stopped by SIGSTOP ---`; a signal one process sends another comes after the call
//! that sent it.
//! Lines keep causal order: a blocked read that another process's call woke ends after that
//! call started. A clone3 with CLONE_VFORK (waiting for its child) is split where strace
//! splits it.

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{fs, path::Path, process::Command};

use common::*;

/// The parent waits in pause(); its child kills it with SIGKILL.
const KILLED: &str = r#"
#include <signal.h>
#include <unistd.h>
int main(void) {
    if (fork() == 0) {
        usleep(100000);
        kill(getppid(), SIGKILL);
        _exit(0);
    }
    pause();
    return 0;
}
"#;

/// The leader waits in pause(); a second thread execs /bin/true. The path and the argument
/// are string literals on pages nothing touched before (padding keeps the kernel's
/// fault-around away): the eBPF programs cannot read them when the execve starts. With
/// `ON_STACK` defined they are on the thread's stack, read at once by both backends.
const EXEC_IN_THREAD: &str = r#"
#include <pthread.h>
#include <unistd.h>
#ifdef ON_STACK
#define STRINGS char path[] = "/bin/true", word[] = "from-a-thread";
#else
#define STRINGS
__attribute__((aligned(65536))) static const char pad1[1 << 20] = "a";
__attribute__((aligned(65536))) static const char path[4096] = "/bin/true";
__attribute__((aligned(65536))) static const char pad2[1 << 20] = "b";
__attribute__((aligned(65536))) static const char word[4096] = "from-a-thread";
__attribute__((aligned(65536))) static const char pad3[1 << 20] = "c";
#endif
static void *run(void *arg) {
    (void)arg;
    usleep(100000);
    STRINGS
    char *argv[] = {(char *)path, (char *)word, NULL};
    char *envp[] = {NULL};
    execve(path, argv, envp);
    return NULL;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pause();
#ifdef ON_STACK
    return 0;
#else
    return pad1[0] + pad2[0] + pad3[0];
#endif
}
"#;

/// The child (in a process group of its own, so that SIGTSTP stops it) is stopped with
/// SIGSTOP, continued, stopped with SIGTSTP, continued.
const STOP_CONT: &str = r#"
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
    pid_t child = fork();
    if (child == 0) {
        setpgid(0, 0);
        for (int i = 0; i < 8; i++) { getppid(); usleep(50000); }
        _exit(0);
    }
    int stops[] = {SIGSTOP, SIGTSTP};
    for (int i = 0; i < 2; i++) {
        usleep(60000);
        kill(child, stops[i]);
        usleep(60000);
        kill(child, SIGCONT);
    }
    waitpid(child, NULL, 0);
    return 0;
}
"#;

/// The parent blocks in read() on a pipe until its child closes the pipe's write end.
const CLOSE_WAKES_READ: &str = r#"
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
    int p[2];
    char buf[8];
    pipe(p);
    if (fork() == 0) {
        close(p[0]);
        usleep(100000);
        close(p[1]);
        _exit(0);
    }
    close(p[1]);
    read(p[0], buf, sizeof buf);
    wait(NULL);
    return 0;
}
"#;

/// clone3 with CLONE_VFORK: the parent waits in the call until its child exits.
const CLONE3_VFORK: &str = r#"
#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_VFORK;
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) {
        usleep(50000);
        syscall(SYS_exit, 0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
"#;

/// strace's trace of `args` (stderr), then tracer's with each backend (stdout).
fn traces(args: &[&Path], flags: &[&str]) -> Vec<(&'static str, String)> {
    let strace = Command::new("strace")
        .args(flags)
        .args(args)
        .output()
        .expect("run strace");
    let mut out = vec![(
        "strace",
        String::from_utf8_lossy(&strace.stderr).into_owned(),
    )];
    for backend in ["ebpf", "ptrace"] {
        let ours = tracer()
            .args(["--backend", backend])
            .args(flags)
            .args(args)
            .output()
            .expect("run tracer");
        out.push((backend, String::from_utf8_lossy(&ours.stdout).into_owned()));
    }
    out
}

#[test]
fn root_a_call_cut_short_by_sigkill_never_returns() {
    require_root();
    let dir = scratch("killed");
    let bin = compile_c(&dir, "killed", KILLED);
    for (who, trace) in traces(&[&bin], &[]) {
        let tail: Vec<&str> = trace.lines().rev().take(2).collect();
        assert_eq!(
            tail,
            [
                "+++ killed by SIGKILL +++",
                "pause()                                 = ?"
            ],
            "{who}:\n{trace}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

/// The lines from the thread's execve to the first line of the new program, with the pids
/// named by role (the leader L, the exec'ing thread T) and the environment's address hidden.
fn exec_window(who: &str, trace: &str) -> Vec<String> {
    let lines: Vec<&str> = trace.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("+++ superseded by execve in pid "))
        .unwrap_or_else(|| panic!("{who}: no superseded line:\n{trace}"));
    let thread = lines[at]
        .trim_start_matches("+++ superseded by execve in pid ")
        .trim_end_matches(" +++");
    let leader = lines[at - 1]
        .trim_start_matches("[pid ")
        .split(']')
        .next()
        .unwrap_or_default()
        .trim();
    let execve = lines[at - 2];
    let envp = execve
        .split(", ")
        .find(|a| a.starts_with("0x"))
        .and_then(|a| a.split(' ').next())
        .unwrap_or("0x");
    let mut window = vec![execve.replace(envp, "ENVP")];
    window.extend(lines[at - 1..=at + 1].iter().map(|l| l.to_string()));
    window
        .into_iter()
        .map(|l| l.replace(thread, "T").replace(leader, "L"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn root_exec_from_a_thread_supersedes_the_leader() {
    require_root();
    let dir = scratch("exec-thread");
    let bin = compile_c(&dir, "exec_in_thread", EXEC_IN_THREAD);
    let all = traces(&[&bin], &["-f"]);
    let reference = exec_window("strace", &all[0].1);
    assert_eq!(
        reference,
        [
            "[pid T] execve(\"/bin/true\", [\"/bin/true\", \"from-a-thread\"], ENVP /* 0 vars */ \
             <unfinished ...>",
            "[pid L] <... pause resumed>) = ?",
            "+++ superseded by execve in pid T +++",
            "<... execve resumed>) = 0",
        ]
    );
    for (who, trace) in &all[1..] {
        assert_eq!(exec_window(who, trace), reference, "{who}:\n{trace}");
        assert!(
            trace.ends_with("+++ exited with 0 +++\n"),
            "{who}:\n{trace}"
        );
    }
    // In JSON (one event per call) the execve is whole: its start, made by the thread, ends
    // in the leader, the event of the task that returns.
    for backend in ["ebpf", "ptrace"] {
        let out = tracer()
            .args(["--backend", backend, "--json", "-f", "-e", "trace=execve"])
            .arg(&bin)
            .output()
            .expect("run tracer");
        let text = String::from_utf8_lossy(&out.stdout);
        let events: Vec<serde_json::Value> = (text.lines())
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        let exec = (events.iter())
            .find(|e| {
                e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("/bin/true"))
            })
            .unwrap_or_else(|| panic!("{backend}: no execve of /bin/true in\n{text}"));
        let message = exec["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(r#"execve("/bin/true", ["/bin/true", "from-a-thread"], 0x"#)
                && message.ends_with("= 0"),
            "{backend}: {exec}"
        );
        assert!(
            exec["syscall"].get("resumed").is_none(),
            "{backend}: {exec}"
        );
        assert_eq!(
            exec["process"]["thread"]["id"], exec["process"]["pid"],
            "{backend}"
        );
    }
    // strace's -qq keeps the line, -e quiet=thread-execve (and -qqq) drops it.
    for (flag, kept) in [
        ("-qq", true),
        ("-qqq", false),
        ("--quiet=thread-execve", false),
    ] {
        for (who, trace) in traces(&[&bin], &["-f", flag]) {
            assert_eq!(
                trace.contains("+++ superseded by"),
                kept,
                "{who} {flag}:\n{trace}"
            );
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_stop_signal_is_followed_by_the_group_stop() {
    require_root();
    let dir = scratch("stop-cont");
    let bin = compile_c(&dir, "stop_cont", STOP_CONT);
    for (who, trace) in traces(&[&bin], &["-f"]) {
        // Each stop signal's delivery, then the stop, for the same task.
        let lines: Vec<&str> = trace.lines().collect();
        let mut stops = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some(at) = line.find("--- stopped by ") {
                let prefix = &line[..at];
                let sig = line[at..]
                    .trim_start_matches("--- stopped by ")
                    .trim_end_matches(" ---");
                let before = lines[..i]
                    .iter()
                    .rev()
                    .find(|l| l.starts_with(prefix))
                    .copied()
                    .unwrap_or_default();
                assert!(
                    before.starts_with(&format!("{prefix}--- {sig} {{si_signo={sig},")),
                    "{who}: {line} after {before}:\n{trace}"
                );
                stops.push(sig.to_string());
            }
        }
        assert_eq!(stops, ["SIGSTOP", "SIGTSTP"], "{who}:\n{trace}");
        // Each SIGCONT after the kill that sent it (eBPF printed the delivery first: the
        // receiver's record is written when it runs, the call's when the call returns).
        let at = |what: &str| -> Vec<usize> {
            (0..lines.len())
                .filter(|&i| lines[i].contains(what))
                .collect()
        };
        let (kills, conts) = (at(", SIGCONT)"), at("--- SIGCONT {"));
        assert_eq!((kills.len(), conts.len()), (2, 2), "{who}:\n{trace}");
        for (kill, cont) in kills.iter().zip(&conts) {
            assert!(kill < cont, "{who}: SIGCONT before its kill:\n{trace}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Whether the child's close of the write end (fd 4) starts before the parent's read of the
/// pipe ends: the cause before its effect.
fn close_before_read_ends(who: &str, trace: &str) {
    let lines: Vec<String> = trace
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let ended = lines
        .iter()
        .position(|l| l.contains("read resumed>\"\", 8) = 0") || l.contains("read(3, \"\", 8) = 0"))
        .unwrap_or_else(|| panic!("{who}: the read's end is missing:\n{trace}"));
    // The parent closes its own copy of fd 4 before reading: the child's close is the one
    // under another pid.
    let reader = lines[ended].split(']').next().unwrap_or_default();
    assert!(
        lines[..ended]
            .iter()
            .any(|l| l.contains("] close(4") && !l.starts_with(reader)),
        "{who}: the read ended before the close that woke it:\n{trace}"
    );
}

#[test]
fn root_ptrace_a_woken_read_ends_after_the_call_that_woke_it() {
    require_root();
    let dir = scratch("close-wakes-read");
    let bin = compile_c(&dir, "close_wakes_read", CLOSE_WAKES_READ);
    let flags = ["-f", "-e", "trace=read,close"];
    let strace = Command::new("strace")
        .args(flags)
        .arg(&bin)
        .output()
        .expect("run strace");
    close_before_read_ends("strace", &String::from_utf8_lossy(&strace.stderr));
    // The order in which waitpid hands over the two tasks' stops decides it: a few runs.
    for _ in 0..4 {
        let ours = tracer()
            .args(["--backend", "ptrace"])
            .args(flags)
            .arg(&bin)
            .output()
            .expect("run tracer");
        close_before_read_ends("ptrace", &String::from_utf8_lossy(&ours.stdout));
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_clone3_with_clone_vfork_is_split_as_strace_splits_it() {
    require_root();
    let dir = scratch("clone3-vfork");
    let bin = compile_c(&dir, "clone3_vfork", CLONE3_VFORK);
    let mut seen = Vec::new();
    for (who, trace) in traces(&[&bin], &["-f"]) {
        // The call's start and its end, without pids.
        let parts: Vec<String> = trace
            .lines()
            .filter(|l| l.contains("clone3(") || l.contains("clone3 resumed"))
            .map(|l| {
                let l = l.split_once("] ").map_or(l, |(_, rest)| rest);
                let l = l.split(" = ").next().unwrap_or_default();
                // strace writes the child's "attached" message into the line.
                let l = l.split("strace: ").next().unwrap_or_default();
                l.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        seen.push((who, parts));
    }
    let (_, reference) = &seen[0];
    assert_eq!(
        reference[0],
        "clone3({flags=CLONE_VFORK, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88"
    );
    for (who, parts) in &seen[1..] {
        assert_eq!(
            parts[0].trim_end_matches(" <unfinished ...>"),
            reference[0],
            "{who}"
        );
        assert_eq!(parts[1..], reference[1..], "{who}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `-ff -o PREFIX` files of `program` running `bin`: (the leader's, the thread's), each
/// normalised, with the two ids named L and T.
fn ff_files(
    mut program: Command,
    dir: &Path,
    name: &str,
    bin: &Path,
) -> (Vec<String>, Vec<String>) {
    let status = program
        .args(["-ff", "-o"])
        .arg(dir.join(name))
        .arg(bin)
        .status()
        .expect("run the tracer");
    assert!(status.success(), "{name}: {status}");
    let mut files: Vec<(u32, String)> = fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let pid = file.strip_prefix(&format!("{name}."))?.parse().ok()?;
            Some((pid, fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{name}: {files:#?}");
    let (leader, thread) = (files[0].0.to_string(), files[1].0.to_string());
    // Whole numbers only: a pid's digits also occur inside other numbers (`24576`).
    let pid = |id: &str| regex::Regex::new(&format!(r"\b{id}\b")).expect("regex");
    let (thread_re, leader_re) = (pid(&thread), pid(&leader));
    let named = |text: &str| {
        let text = thread_re.replace_all(text, "T");
        normalize::file(&leader_re.replace_all(&text, "L"))
    };
    (named(&files[0].1), named(&files[1].1))
}

/// `-ff`: the leader's file keeps its lines from before another thread's execve (tracer
/// truncated it when the leader's id came back with the exec: its 40 first lines and the
/// superseded line were lost), and the thread's file ends with the execve's start and
/// `<pid changed to L ...>` (tracer wrote no execve there), as strace's files read.
#[test]
fn root_ff_files_across_an_exec_from_a_thread_are_straces() {
    require_root();
    let dir = scratch("exec-thread-ff");
    let source = format!("#define ON_STACK\n{EXEC_IN_THREAD}");
    let bin = compile_c(&dir, "exec_in_thread_stack", &source);
    let out = dir.join("out");
    fs::create_dir_all(&out).expect("mkdir");
    let (leader, thread) = ff_files(Command::new("strace"), &out, "strace", &bin);
    assert!(
        leader
            .iter()
            .any(|l| l.contains("superseded by execve in pid T")),
        "{leader:#?}"
    );
    assert!(
        thread
            .last()
            .is_some_and(|l| l.contains("<pid changed to L ...>")),
        "{thread:#?}"
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = tracer();
        t.args(["--backend", backend]);
        let (l, t) = ff_files(t, &out, backend, &bin);
        assert_eq!(l, leader, "{backend}: the leader's file");
        assert_eq!(t, thread, "{backend}: the thread's file");
    }
    let _ = fs::remove_dir_all(&dir);
}
