//! How a task's last call and its end read, as strace prints them with both backends: a call
//! cut short by SIGKILL never returns (`= ?`), and a process's leader replaced by another
//! thread's execve ends as `+++ superseded by execve in pid N +++`, the execve finishing under
//! the leader's id.

mod common;

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

/// The leader waits in pause(); a second thread execs /bin/true.
const EXEC_IN_THREAD: &str = r#"
#include <pthread.h>
#include <unistd.h>
static void *run(void *arg) {
    (void)arg;
    usleep(100000);
    char *argv[] = {"/bin/true", NULL};
    char *envp[] = {NULL};
    execve("/bin/true", argv, envp);
    return NULL;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pause();
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
    let mut out = vec![("strace", String::from_utf8_lossy(&strace.stderr).into_owned())];
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
            ["+++ killed by SIGKILL +++", "pause()                                 = ?"],
            "{who}:\n{trace}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

/// The lines from the thread's execve to the first line of the new program, with the pids
/// named by role (the leader L, the exec'ing thread T) and the execve's arguments left out.
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
    let head = execve.split("execve(").next().unwrap_or_default();
    let tail = if execve.ends_with(" <unfinished ...>") {
        "<unfinished ...>"
    } else {
        "complete"
    };
    let mut window = vec![format!("{head}execve(...) {tail}")];
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
            "[pid T] execve(...) <unfinished ...>",
            "[pid L] <... pause resumed>) = ?",
            "+++ superseded by execve in pid T +++",
            "<... execve resumed>) = 0",
        ]
    );
    for (who, trace) in &all[1..] {
        assert_eq!(exec_window(who, trace), reference, "{who}:\n{trace}");
        assert!(trace.ends_with("+++ exited with 0 +++\n"), "{who}:\n{trace}");
    }
    let _ = fs::remove_dir_all(&dir);
}
