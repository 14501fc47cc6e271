//! `-e inject=` / `-e fault=` with the ptrace backend against real strace 6.1: a C program
//! built here makes numbered calls and prints what each returned; strace and tracer must
//! print the same trace lines (`(INJECTED)`, `(DELAYED)`, the injected signal) and the program
//! must see the same values under both. With eBPF the options are refused, saying why, and bad
//! expressions get strace's messages.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::LazyLock,
};

use common::*;
use regex::Regex;

/// Five getpid, three getppid, a chdir, a getuid; each result printed (pids as `pid`).
const PROGRAM: &str = r#"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr1(int s) { (void)s; got++; }

static void call(const char *name, long nr, const char *arg) {
    errno = 0;
    long r = syscall(nr, arg);
    if (r >= 100)
        printf("%s=pid errno=%d\n", name, errno);
    else
        printf("%s=%ld errno=%d\n", name, r, errno);
}

int main(void) {
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 5; i++) call("getpid", SYS_getpid, 0);
    for (int i = 0; i < 3; i++) call("getppid", SYS_getppid, 0);
    call("chdir", SYS_chdir, "/");
    call("getuid", SYS_getuid, 0);
    printf("signals=%d\n", (int)got);
    return 0;
}
"#;

const CALLS: &str = "trace=getpid,getppid,chdir,getuid";

/// Pids in return values and `-f`'s prefixes (they differ between the two runs), and the
/// padding before ` = ` their width moves.
static PIDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\d+ | +(= )\d{3,}\b| +(= )").expect("regex"));

/// A scratch directory `name` with the program built in it (root needed).
fn setup(name: &str) -> PathBuf {
    require_root();
    let dir = scratch(name);
    compile_c(&dir, "inject", PROGRAM);
    dir
}

/// Runs `tool OPTIONS -o DIR/trace ./inject`: the trace (pids masked) and the program's output.
fn run(mut tool: Command, options: &[&str], dir: &Path) -> (String, String) {
    let trace = dir.join("trace");
    let _ = std::fs::remove_file(&trace);
    let out = tool
        .current_dir(dir)
        .args(options)
        .arg("-o")
        .arg(&trace)
        .arg(dir.join("inject"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{options:?}: {out:?}");
    let text = std::fs::read_to_string(&trace).expect("the trace");
    (
        PIDS.replace_all(&text, |c: &regex::Captures<'_>| {
            match (c.get(1), c.get(2)) {
                (Some(_), _) => " = PID",
                (None, Some(_)) => " = ",
                _ => "",
            }
        })
        .into_owned(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// strace's and tracer's (ptrace) runs with `options`; returns tracer's trace and output.
fn same_as_strace(dir: &Path, options: &[&str]) -> (String, String) {
    let strace = run(Command::new("strace"), options, dir);
    let mut tracer = common::tracer();
    tracer.arg("--backend=ptrace");
    let ours = run(tracer, options, dir);
    assert_eq!(ours.0, strace.0, "trace with {options:?}");
    assert_eq!(ours.1, strace.1, "the program's view with {options:?}");
    ours
}

#[test]
fn root_injected_errors_values_signals_and_faults_are_as_strace_makes_them() {
    let dir = setup("inject");
    let (trace, seen) = same_as_strace(
        &dir,
        &["-e", CALLS, "-e", "inject=getpid:error=ENOENT:when=2"],
    );
    assert!(
        trace.contains("getpid() = -1 ENOENT (No such file or directory) (INJECTED)\n"),
        "{trace}"
    );
    assert_eq!(seen.matches("getpid=-1 errno=2").count(), 1, "{seen}");

    let (trace, seen) = same_as_strace(
        &dir,
        &["-e", CALLS, "-e", "inject=getpid:retval=42:when=2+2"],
    );
    assert_eq!(trace.matches("= 42 (INJECTED)").count(), 2, "{trace}");
    assert_eq!(seen.matches("getpid=42 errno=0").count(), 2, "{seen}");

    let (trace, seen) = same_as_strace(
        &dir,
        &["-e", CALLS, "-e", "inject=getpid:signal=SIGUSR1:when=3"],
    );
    assert!(
        trace.contains("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---"),
        "{trace}"
    );
    assert!(!trace.contains("INJECTED"), "{trace}");
    assert!(seen.contains("signals=1"), "{seen}");
    // -f with a narrowed trace: the entry is a seccomp stop, whose resume cannot carry a
    // signal; it goes with the exit stop's (t10 item 50: it was never delivered).
    let (trace, seen) = same_as_strace(
        &dir,
        &[
            "-f",
            "-e",
            CALLS,
            "-e",
            "inject=getpid:signal=SIGUSR1:when=3",
        ],
    );
    assert!(trace.contains("--- SIGUSR1 {si_signo=SIGUSR1"), "{trace}");
    assert!(seen.contains("signals=1"), "{seen}");

    let (trace, seen) = same_as_strace(&dir, &["-e", CALLS, "-e", "fault=getppid:when=2..3"]);
    assert_eq!(
        trace
            .matches("= -1 ENOSYS (Function not implemented) (INJECTED)")
            .count(),
        2
    );
    assert_eq!(seen.matches("getppid=-1 errno=38").count(), 2, "{seen}");

    // Several expressions; a replacement call; signal and error together; long options.
    same_as_strace(
        &dir,
        &[
            "-e",
            CALLS,
            "-e",
            "inject=getpid:error=EPERM:when=4",
            "-e",
            "inject=getppid:retval=7:when=1+2",
        ],
    );
    let (trace, _) = same_as_strace(
        &dir,
        &["-e", CALLS, "--inject=chdir:syscall=getuid:error=EACCES"],
    );
    assert!(
        trace.contains("chdir(\"/\") = -1 EACCES (Permission denied) (INJECTED)"),
        "{trace}"
    );
    same_as_strace(
        &dir,
        &["-e", CALLS, "-e", "inject=getuid:signal=USR1:error=ENOENT"],
    );
    same_as_strace(&dir, &["-e", CALLS, "--fault=getpid:error=EIO:when=5"]);
    let (trace, _) = same_as_strace(
        &dir,
        &[
            "-e",
            CALLS,
            "-e",
            "inject=getpid:delay_enter=1000:delay_exit=1ms:when=1",
        ],
    );
    assert_eq!(trace.matches("(DELAYED)").count(), 1, "{trace}");
}

#[test]
fn root_json_says_which_calls_were_injected() {
    let dir = setup("inject-json");
    let mut tracer = common::tracer();
    tracer.args(["--backend=ptrace", "--json"]);
    let (json, _) = run(
        tracer,
        &["-e", CALLS, "-e", "inject=getpid:error=ENOENT:when=2"],
        &dir,
    );
    let getpid: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
        .filter(|v| v["syscall"]["name"] == "getpid")
        .collect();
    assert_eq!(getpid.len(), 5, "{json}");
    let injected: Vec<bool> = getpid
        .iter()
        .map(|v| v["syscall"]["injected"] == true)
        .collect();
    assert_eq!(injected, [false, true, false, false, false], "{json}");
    assert_eq!(getpid[1]["syscall"]["ret"]["errno"], "ENOENT");
}

#[test]
fn root_only_traced_calls_are_changed_and_counted_as_strace_counts_them() {
    let dir = setup("inject-traced");
    // getpid is not traced: strace leaves it alone (and -f runs tracer's seccomp filter).
    let (_, seen) = same_as_strace(
        &dir,
        &["-f", "-e", "trace=getppid", "-e", "inject=getpid:retval=42"],
    );
    assert!(!seen.contains("getpid=42"), "{seen}");
    // -c: the injected failures are errors, as strace counts them.
    let options = [
        "-c",
        "-e",
        CALLS,
        "-e",
        "inject=getpid:error=ENOENT:when=2+",
    ];
    let row = |text: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.ends_with(" getpid"))
            .expect("a getpid row");
        // calls, errors and the name (the times differ).
        let words: Vec<&str> = line.split_whitespace().collect();
        words[words.len() - 3..]
            .iter()
            .map(|w| w.to_string())
            .collect()
    };
    let strace = run(Command::new("strace"), &options, &dir);
    let mut tracer = common::tracer();
    tracer.arg("--backend=ptrace");
    let ours = run(tracer, &options, &dir);
    assert_eq!(row(&ours.0), ["5", "4", "getpid"], "{}", ours.0);
    assert_eq!(row(&ours.0), row(&strace.0));
    assert_eq!(ours.1, strace.1);
}

#[test]
fn root_inject_is_refused_with_ebpf_and_bad_expressions_as_strace_refuses_them() {
    require_root();
    let out = common::tracer()
        .args(["--backend=ebpf", "-e", "inject=getpid:error=EPERM", "true"])
        .output()
        .expect("run tracer");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("eBPF backend")
            && err.contains("cannot change them")
            && err.contains("--backend ptrace"),
        "{err}"
    );
    for bad in [
        "inject=getpid",
        "inject=getpid:error=FOO",
        "inject=getpid:error=4096",
        "inject=getpid:when=0",
        "inject=getpid:when=3..2",
        "inject=getpid:when=1+0",
        "inject=getpid:signal=0",
        "inject=getpid:error=ENOENT:retval=1",
        "inject=chdir:syscall=getuid",
        "inject=nosuch:error=ENOENT",
        "fault=getpid:retval=1",
        "fault=getpid:signal=SIGUSR1",
    ] {
        let strace = Command::new("strace")
            .args(["-e", bad, "true"])
            .output()
            .expect("strace");
        let ours = common::tracer()
            .args(["--backend=ptrace", "-e", bad, "true"])
            .output()
            .expect("tracer");
        assert_eq!(ours.status.code(), Some(1), "{bad}");
        assert_eq!(strace.status.code(), Some(1), "{bad}");
        let first = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(
            first(&ours.stderr).replacen("tracer:", "", 1),
            first(&strace.stderr).replacen("strace:", "", 1),
            "{bad}"
        );
    }
}
