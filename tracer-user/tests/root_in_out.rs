//! Arguments the kernel rewrites, against real strace with both backends
//! (tests/workloads/in_out.c): inputs as the call got them (`{tv_sec=5, tv_nsec=0}`, not what
//! is left at exit), outputs as the kernel left them (`left {...}`, `[128 => 16]`,
//! `msg_namelen=128 => 16`), pselect6's `{sigmask=[USR1], sigsetsize=8}`, and nanosleep's
//! `rem` only when a signal cut the sleep short.

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{fs, process::Command};

use common::*;

const CALLS: &str = "trace=select,pselect6,ppoll,getsockopt,getsockname,wait4,nanosleep,\
                     clock_nanosleep,recvfrom,recvmsg";

#[test]
fn root_rewritten_arguments_print_as_strace_prints_them() {
    require_root();
    let dir = scratch("in-out");
    let bin = cc("in_out", &dir);
    // The raw text and its normalised lines (which hide times: the inputs are checked raw).
    let run = |program: &mut Command, out: &str| -> (String, Vec<String>) {
        let file = dir.join(out);
        let status = program
            .args(["-e", CALLS, "-o"])
            .arg(&file)
            .arg(&bin)
            .status()
            .expect("run the workload");
        assert!(status.success(), "{program:?} failed: {status}");
        let text = fs::read_to_string(&file).expect("trace");
        // The child's SIGCHLD lands before or after wait4's line, as the scheduler decides.
        let lines = normalize::file(&text)
            .into_iter()
            .filter(|l| !l.starts_with("--- SIGCHLD"))
            .collect();
        (text, lines)
    };
    let (strace_text, strace) = run(&mut Command::new("strace"), "strace.txt");
    // The timeouts passed in: three 5 s ones (select's timeval, pselect6, ppoll), two 20 ms.
    let inputs = |t: &str| {
        (
            t.matches("{tv_sec=5, tv_nsec=0}, ").count()
                + t.matches("{tv_sec=5, tv_usec=0}, ").count(),
            t.matches("{tv_sec=0, tv_nsec=20000000}, ").count(),
        )
    };
    assert_eq!(inputs(&strace_text), (4, 2), "{strace_text}");
    for needle in [
        "{sigmask=[USR1], sigsetsize=8}) = 1 (in [3], left {",
        "msg_namelen=128 => 16",
        "ERESTART_RESTARTBLOCK",
    ] {
        assert!(
            strace_text.contains(needle),
            "{needle} not in {strace_text}"
        );
    }
    for backend in ["ebpf", "ptrace"] {
        let mut t = tracer();
        t.arg(format!("--backend={backend}"));
        let (text, ours) = run(&mut t, &format!("{backend}.txt"));
        assert_eq!(inputs(&text), inputs(&strace_text), "{backend}: {text}");
        assert_eq!(ours, strace, "{backend}");
    }
    // With -z every line is printed whole from the finished call (no start printed first):
    // a select whose sets the kernel rewrote still shows them as passed in (`[3]`, not
    // `[3] => []` after a timeout).
    let (_, strace) = run(Command::new("strace").arg("-z"), "strace-z.txt");
    assert!(
        strace
            .iter()
            .any(|l| l.starts_with("pselect6(4, [3], NULL, NULL, {") && l.ends_with("(Timeout)")),
        "{strace:?}"
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = tracer();
        t.args([&format!("--backend={backend}"), "-z"]);
        let (_, ours) = run(&mut t, &format!("{backend}-z.txt"));
        assert_eq!(ours, strace, "{backend} -z");
    }
    let _ = fs::remove_dir_all(&dir);
}
