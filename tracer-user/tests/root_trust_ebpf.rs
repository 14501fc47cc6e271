//! Tracing must never change what the traced program does: programs that do what a traced
//! program rarely does (make their parent their ptracer, ...) run to the same end under
//! tracer as under strace 6.1. Need root (`cargo xtask test` runs them).

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{
    fs,
    path::Path,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use common::*;

/// Runs `program` (stdout piped) and gives up after `limit`: returns its stdout and exit
/// code, or None when it had to be killed (a traced process that hangs).
fn run_for(mut program: Command, limit: Duration) -> Option<(String, Option<i32>)> {
    let mut child = program
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the program");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            use std::io::Read;
            let _ = child
                .stdout
                .take()
                .expect("stdout")
                .read_to_string(&mut out);
            return Some((out, status.code()));
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The `ptrace(` lines of a trace, pids dropped.
fn ptrace_lines(trace: &Path) -> Vec<String> {
    let text = fs::read_to_string(trace).unwrap_or_default();
    text.lines()
        .map(|l| l.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' '))
        .filter(|l| l.starts_with("ptrace("))
        .map(str::to_owned)
        .collect()
}

/// workloads/traceme_self.c calls PTRACE_TRACEME, then takes a signal, forks a child that does the
/// same, and execs. Under strace the calls fail (EPERM): the program ends with status 5.
/// eBPF: the call succeeds (tracer is the parent, no ptracer yet), and the kernel then
/// stops the program at its signal for a ptracer that never came: it must be let go, with
/// its signal, and not killed by the SIGTRAP after its exec; its grandchild's TRACEME (its
/// parent is the program) is left alone. ptrace: the call fails as under strace.
#[test]
fn root_traceme_runs_to_its_end() {
    require_root();
    let dir = scratch("trust-traceme");
    let program = cc("traceme_self", &dir);
    let trace = dir.join("trace");
    let limit = Duration::from_secs(10);
    for follow in [&[][..], &["-f"][..]] {
        let mut strace = Command::new("strace");
        strace.args(follow).arg("-o").arg(&trace).arg(&program);
        let theirs = run_for(strace, limit).expect("strace finishes");
        assert_eq!(theirs, ("handled 1\nchild 3\n".to_owned(), Some(5)));
        let their_lines = ptrace_lines(&trace);
        assert!(!their_lines.is_empty(), "strace printed no ptrace line");
        for backend in ["--backend=ebpf", "--backend=ptrace"] {
            let mut ours = tracer();
            ours.arg(backend)
                .args(follow)
                .arg("-o")
                .arg(&trace)
                .arg(&program);
            let ended = run_for(ours, limit);
            assert_eq!(
                ended.as_ref(),
                Some(&theirs),
                "{backend} {follow:?}: the program's output and status (None: it hung)"
            );
            if backend == "--backend=ptrace" {
                assert_eq!(ptrace_lines(&trace), their_lines, "{follow:?}");
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A trace with pids (3 digits and more) masked and the padding before ` = ` they moved.
fn pids_masked(trace: &Path) -> String {
    let text = fs::read_to_string(trace).unwrap_or_default();
    let pids = regex::Regex::new(r"\d{3,}").expect("regex");
    unpad_masked(&pids.replace_all(&text, "PID"), &["PID"])
}

/// workloads/sigpipe.c: signals the kernel sends as if the task sent them itself
/// (`send_sig(sig, current, 0)`): SIGPIPE ignored, handled and fatal, SIGXFSZ ignored. strace
/// shows each as `si_code=SI_USER, si_pid=<the task>`; an ignored or fatal one is never queued,
/// so eBPF sees no siginfo of the kernel's and builds it as the kernel would.
#[test]
fn root_self_sent_signals_are_si_user() {
    require_root();
    let dir = scratch("trust-sigpipe");
    let program = cc("sigpipe", &dir);
    let trace = dir.join("trace");
    let options = ["-f", "-e", "trace=write"];
    let limit = Duration::from_secs(20);
    let mut strace = Command::new("strace");
    strace.args(options).arg("-o").arg(&trace).arg(&program);
    assert_eq!(run_for(strace, limit).map(|r| r.1), Some(Some(0)));
    let theirs = pids_masked(&trace);
    assert_eq!(theirs.matches("si_code=SI_USER, si_pid=PID").count(), 4);
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend)
            .args(options)
            .arg("-o")
            .arg(&trace)
            .arg(&program);
        assert_eq!(run_for(ours, limit).map(|r| r.1), Some(Some(0)));
        assert_eq!(pids_masked(&trace), theirs, "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// workloads/execveat_ok.c: successful execveat calls (from the cwd, of an fd, relative to a
/// directory fd) print as strace prints them: the kernel makes an exec's number at its exit
/// execve's, which eBPF printed as `execve(0xffffff9c, 0x55.., 0x7ff..) = 0`.
#[test]
fn root_successful_execveat_is_execveat() {
    require_root();
    let dir = scratch("trust-execveat");
    let program = cc("execveat_ok", &dir);
    let options = ["-f", "-e", "trace=execve,execveat"];
    let stack = regex::Regex::new(r"0x7[ef][0-9a-f]{10}").expect("regex");
    let run = |cmd: Command| {
        let (text, code) = trace_to_file(cmd, &options, &dir, &[program.as_os_str()]);
        assert_eq!(code, Some(0));
        let text = stack.replace_all(&text, "0xSTACK");
        let pids = regex::Regex::new(r"(?m)^\d+ +").expect("regex");
        let senders = regex::Regex::new(r"si_pid=\d+").expect("regex");
        let text = pids.replace_all(&text, "").into_owned();
        unpad_masked(&senders.replace_all(&text, "si_pid=PID"), &[""])
    };
    let theirs = run(Command::new("strace"));
    assert_eq!(theirs.matches("execveat(").count(), 3, "{theirs}");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend);
        assert_eq!(run(ours), theirs, "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// workloads/self_kill.c: a child that raises SIGKILL never ends its call for a ptrace
/// tracer (strace: `tgkill(...) = ?`; eBPF saw the kernel return 0 first and printed `= 0`),
/// and a fork's child side is no line, also with `-z`/`--status=` (eBPF records the call at
/// its exit only there, and printed the child's `clone(...) = 0`, a line strace never
/// prints). Lines compared sorted: the parent's and the children's interleave by timing.
#[test]
fn root_self_killed_calls_and_fork_children_as_strace() {
    require_root();
    let dir = scratch("trust-self-kill");
    let program = cc("self_kill", &dir);
    let trace = dir.join("trace");
    let limit = Duration::from_secs(20);
    let calls = ["-e", "trace=clone,kill,tgkill", "-e", "signal=!SIGCHLD"];
    // A call cut by another task's line is joined with its end; pids and addresses masked.
    let sorted = |trace: &Path| {
        let mut lines = normalize::file(&fs::read_to_string(trace).unwrap_or_default());
        lines.sort();
        lines
    };
    for status in [
        &[][..],
        &["-z"][..],
        &["--status=successful,unfinished"][..],
    ] {
        let mut strace = Command::new("strace");
        strace
            .arg("-f")
            .args(calls)
            .args(status)
            .arg("-o")
            .arg(&trace)
            .arg(&program);
        assert_eq!(run_for(strace, limit).map(|r| r.1), Some(Some(0)));
        let theirs = sorted(&trace);
        let joined = theirs.join("\n");
        // `-z` leaves out unfinished calls (`= ?`).
        let unfinished = status != ["-z"];
        assert_eq!(joined.contains("SIGKILL) = ?"), unfinished, "{joined}");
        assert!(joined.contains("SIGTERM) = 0"), "{joined}");
        assert_eq!(joined.matches("clone(").count(), 2, "{joined}");
        for backend in ["--backend=ebpf", "--backend=ptrace"] {
            let mut ours = tracer();
            ours.arg(backend)
                .arg("-f")
                .args(calls)
                .args(status)
                .arg("-o")
                .arg(&trace)
                .arg(&program);
            assert_eq!(run_for(ours, limit).map(|r| r.1), Some(Some(0)));
            assert_eq!(sorted(&trace), theirs, "{backend} {status:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// workloads/std_fds.c started with fds 0 and 2 closed (`<&- 2>&-`): Rust's runtime gives
/// tracer /dev/null there, which the command inherited (its first open returned 3, and every
/// fd number after it moved); under strace, and untraced, they stay closed.
#[test]
fn root_closed_standard_fds_stay_closed_for_the_command() {
    require_root();
    let dir = scratch("trust-std-fds");
    let program = cc("std_fds", &dir);
    let (trace, report) = (dir.join("trace"), dir.join("report"));
    // `exec "$@" <&- 2>&-`: the tracer (or the program) runs with fds 0 and 2 closed.
    let closed = |args: &[&std::ffi::OsStr]| {
        let status = Command::new("/bin/sh")
            .arg("-c")
            .arg("exec \"$@\" <&- 2>&-")
            .arg("sh")
            .args(args)
            .status()
            .expect("run");
        assert!(status.success());
        fs::read_to_string(&report).expect("the program's report")
    };
    let bare = closed(&[program.as_os_str(), report.as_os_str()]);
    assert_eq!(bare, "0 0 0 -1\n");
    let strace = closed(&[
        "strace".as_ref(),
        "-o".as_ref(),
        trace.as_os_str(),
        program.as_os_str(),
        report.as_os_str(),
    ]);
    assert_eq!(strace, bare);
    let tracer_bin = tracer().get_program().to_owned();
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let ours = closed(&[
            tracer_bin.as_os_str(),
            backend.as_ref(),
            "-o".as_ref(),
            trace.as_os_str(),
            program.as_os_str(),
            report.as_os_str(),
        ]);
        assert_eq!(ours, bare, "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// workloads/recv_trunc.c: a recv with MSG_TRUNC returns the datagram's length (4), more than
/// its buffer holds (2). strace shows the 2 bytes; tracer read and showed 4, the bytes after
/// the buffer (the program's other data) included, with both backends. With `-e read=`
/// strace's dump shows all 4 (tracer's as strace's).
#[test]
fn root_recv_trunc_shows_only_the_buffer() {
    require_root();
    let dir = scratch("trust-recv-trunc");
    let program = cc("recv_trunc", &dir);
    for extra in [&[][..], &["-e", "read=4"][..]] {
        let mut options = vec!["-e", "trace=recvfrom"];
        options.extend_from_slice(extra);
        let run = |cmd: Command| {
            let (text, code) = trace_to_file(cmd, &options, &dir, &[program.as_os_str()]);
            assert_eq!(code, Some(0));
            text
        };
        let theirs = run(Command::new("strace"));
        assert!(
            theirs.contains("recvfrom(4, \"xy\", 2, MSG_TRUNC, NULL, NULL) = 4"),
            "{theirs}"
        );
        // strace's `-e read=` dump shows all the call returned, past the buffer too.
        assert_eq!(theirs.contains("SE"), !extra.is_empty(), "{theirs}");
        for backend in ["--backend=ebpf", "--backend=ptrace"] {
            let mut ours = tracer();
            ours.arg(backend);
            assert_eq!(run(ours), theirs, "{backend} {extra:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
