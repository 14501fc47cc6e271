//! `--decode-pids=pidns` against real strace 6.1, both backends: a program run as pid 1 of a
//! new pid namespace (`unshare --pid --fork`) forks a child that waits, then names itself and
//! the child to getpid, kill and tgkill: each value is followed by the pid tracer's namespace
//! gives it, `2 /* 7385 in tracer's PID NS */`. Every process stays alive until the trace shows
//! the last of those lines (tracing is asynchronous with eBPF; a value naming a task that
//! ended is printed bare, as strace prints it).

mod common;

use std::{
    fs,
    io::Write,
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use common::*;

/// As pid 1 of its namespace: forks a child that waits on a pipe, names both, then waits for
/// a byte on stdin (the test's go once the trace shows the tgkill line), lets the child exit
/// (3), takes its SIGCHLD in sigsuspend (the child a zombie still: its si_pid translated, as
/// strace's) and reaps it.
const WORKLOAD: &str = r#"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_signal(int sig) { (void)sig; }
int main(void) {
    int p[2];
    char b;
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    signal(SIGCHLD, on_signal);
    sigprocmask(SIG_BLOCK, &chld, &old);
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        read(p[0], &b, 1);
        _exit(3);
    }
    close(p[0]);
    pid_t me = getpid();
    kill(c, 0);
    syscall(SYS_tgkill, me, me, 0);
    read(0, &b, 1);
    close(p[1]);
    sigsuspend(&old);
    waitpid(c, 0, 0);
    return 0;
}
"#;

/// Runs `program OPTIONS -o TRACE -- unshare --pid --fork WORKLOAD`; returns the trace with
/// pids tracer's namespace gives (and CPU times) masked.
fn trace(mut program: Command, decode: &[&str], dir: &Path, workload: &Path) -> String {
    let out = dir.join("trace");
    let _ = fs::remove_file(&out);
    let mut child = program
        .arg("-f")
        .args(decode)
        .args(["-e", "trace=getpid,kill,tgkill", "-o"])
        .arg(&out)
        .args(["--", "unshare", "--pid", "--fork"])
        .arg(workload)
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    wait_for(&out, Duration::from_secs(60), |t| t.contains("tgkill("));
    stdin.write_all(b"x").expect("go");
    drop(stdin);
    assert!(child.wait().expect("wait").success());
    let text = fs::read_to_string(&out).expect("the trace");
    let mut text = text.replace("strace's PID NS", "tracer's PID NS");
    for (re, to) in [
        // The pid and the padding after it, whose width follows the pid's digits (a pid
        // wrapped past pid_max has fewer: CI printed `N  +++` beside strace's `N   +++`).
        (r"(?m)^\d+ +", "N   "),
        (r"(?m)^\d+", "N"),
        (r"/\* \d+ in tracer's", "/* N in tracer's"),
        (r"si_pid=\d{3,}", "si_pid=N"),
        // With its ` /* 0.01 s */` when a clock tick fell in the child's run.
        (
            r"si_utime=\d+(?: /\* [0-9.]+ s \*/)?, si_stime=\d+(?: /\* [0-9.]+ s \*/)?",
            "si_utime=T, si_stime=T",
        ),
    ] {
        let re = regex::Regex::new(re).expect("regex");
        text = re.replace_all(&text, to).into_owned();
    }
    text
}

#[test]
fn root_pids_in_a_child_namespace_are_translated_as_strace() {
    require_root();
    let dir = scratch("decode-pidns");
    let workload = compile_c(&dir, "w", WORKLOAD);
    // With -Y too, the name is the process's the value names: `2<w> /* ... */`; -Y alone
    // names it so too (`2<w>`, not the host's pid 2). strace 6.1's `--pidns-translation` is
    // `--decode-pids=pidns`, and each of these replaces the set before it (the last wins).
    let ns = " /* N in tracer's PID NS */";
    for (decode, name, comment) in [
        (&["--decode-pids=pidns"][..], "", ns),
        (&["--decode-pids=comm,pidns"], "<w>", ns),
        (&["-Y", "--pidns-translation"], "", ns),
        (&["--pidns-translation", "-Y"], "<w>", ""),
    ] {
        let theirs = trace(Command::new("strace"), decode, &dir, &workload);
        for line in [
            format!("= 1{name}{comment}\n"),
            format!("kill(2{name}{comment}, 0) "),
            format!("tgkill(1{name}{comment}, 1{name}{comment}, 0) "),
        ] {
            assert!(theirs.contains(&line), "{line}: {theirs}");
        }
        for backend in ["ebpf", "ptrace"] {
            let mut program = tracer();
            program.arg(format!("--backend={backend}"));
            let ours = trace(program, decode, &dir, &workload);
            assert_eq!(ours, theirs, "{backend} {decode:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
