//! Errors reported before anything is loaded: no root needed.

mod common;

use common::tracer;

#[test]
fn a_missing_pid_is_named_and_fails() {
    let out = tracer()
        .args(["-p", "99999999"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: pid 99999999: no such process\n"
    );
    assert!(out.stdout.is_empty());
}

/// strace's `must have PROG [ARGS] or -p PID` and its pointer to -h (tracer's also names
/// --comm); `-p ''` names no process, as strace's.
#[test]
fn nothing_to_trace_is_an_error() {
    for args in [&[][..], &["-p", ""], &["-f"]] {
        let out = tracer().args(args).output().expect("run tracer");
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "tracer: must have COMMAND [ARGS], -p PID or --comm NAME\nTry 'tracer -h' for more \
             information.\n",
            "{args:?}"
        );
    }
}

#[test]
fn an_empty_process_name_is_refused() {
    let out = tracer().args(["--comm", ""]).output().expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: --comm '': a process name cannot be empty\n"
    );
}

#[test]
fn an_unknown_command_is_named() {
    let out = tracer()
        .args(["--", "no-such-command-xyz"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: Can't stat 'no-such-command-xyz': No such file or directory\n"
    );
}

/// A path that does not exist: strace's `Can't stat '/nonexist/cmd': No such file or
/// directory`, exit 1; a hostile name is escaped.
#[test]
fn a_command_path_that_does_not_exist_says_why() {
    let out = tracer()
        .args(["--", "/nonexist/cmd\n+++ exited with 0 +++"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: Can't stat '/nonexist/cmd\\n+++ exited with 0 +++': No such file or directory\n"
    );
}

#[test]
fn an_output_file_that_cannot_be_created_is_named_with_its_cause_once() {
    let out = tracer()
        .args(["-o", "/nonexistent-tracer-dir/trace", "true"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: /nonexistent-tracer-dir/trace: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_bad_ring_size_is_refused() {
    let out = tracer()
        .args(["--ring-size", "1000", "--", "true"])
        .output()
        .expect("run tracer");
    // A bad value is a bad command line: exit 1, as strace's.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--ring-size 1000: smaller than 4K: a ring buffer is a power of two")
    );
}

/// Runs `strace ARGS` and `tracer ARGS`: the same exit status, and the same message with the
/// program's name changed.
fn same_refusal_as_strace(args: &[&str]) {
    let theirs = std::process::Command::new("strace")
        .args(args)
        .output()
        .expect("run strace");
    let ours = tracer().args(args).output().expect("run tracer");
    assert_eq!(ours.status.code(), theirs.status.code(), "{args:?}");
    assert_eq!(
        String::from_utf8_lossy(&ours.stderr),
        String::from_utf8_lossy(&theirs.stderr).replace("strace", "tracer"),
        "{args:?}"
    );
    assert!(ours.stdout.is_empty());
}

#[test]
fn unknown_options_and_missing_values_are_refused_as_strace_refuses_them() {
    for args in [
        &["-Q", "true"][..],
        &["-fQ", "true"],
        &["--bogus", "true"],
        &["--bogus=1", "true"],
        &["-s"],
        &["-p"],
        &["-fttTo"],
        &["--output"],
        &["--follow-forks=1", "true"],
        &["--summary-only=yes", "true"],
        &["-c", "-ff", "true"],
        &["-C", "--output-separately", "true"],
        &["--pidns-translation=1", "true"],
    ] {
        same_refusal_as_strace(args);
    }
}

/// `-p` lists and commands that cannot be run, as strace 6.1 words them (t13 item 9): an
/// empty pid in a list (`-p ,` was taken as no pid at all), a command not in PATH or not
/// there (`command X: not found in PATH`, lowercase errno texts).
#[test]
fn bad_pid_lists_and_missing_commands_are_refused_as_strace_refuses_them() {
    for args in [
        &["-p", ","][..],
        &["-p", ",", "true"],
        &["-p", ",1"],
        &["-p", "1,,2"],
        &["-p", " 1"],
        &["-p", "x1"],
        &["-p", "0"],
        &["no-such-command-xyz"],
        &["-f", "--", "no-such-command-xyz", "-Q"],
        &["/nonexistent-dir/cmd"],
        &["./no-such-command-xyz"],
    ] {
        same_refusal_as_strace(args);
    }
}

#[test]
fn options_c_leaves_nothing_to_do_are_named_as_strace_names_them() {
    let args = ["-c", "-y", "-T", "-t", "-r", "-n", "-k", "-i", "true"];
    let notes = |stderr: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(stderr)
            .lines()
            .filter(|l| l.contains("has no effect"))
            .map(|l| l.replace("strace:", "tracer:"))
            .collect()
    };
    let theirs = std::process::Command::new("strace")
        .args(args)
        .output()
        .expect("run strace");
    let ours = tracer()
        .arg("--backend=ptrace")
        .args(args)
        .output()
        .expect("run tracer");
    let expected = notes(&theirs.stderr);
    assert_eq!(expected.len(), 7, "{expected:?}");
    assert_eq!(notes(&ours.stderr), expected);
}

#[test]
fn a_command_s_own_options_are_not_tracer_s() {
    // `tracer true -Q`: -Q is true's, not an unknown option of tracer's.
    let out = tracer()
        .args(["--", "no-such-command-xyz", "-Q"])
        .output()
        .expect("run tracer");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: Can't stat 'no-such-command-xyz': No such file or directory\n"
    );
    let out = tracer().args(["-p1", "-Q"]).output().expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tracer: invalid option -- 'Q'\nTry 'tracer -h' for more information.\n"
    );
}

#[test]
fn options_tracer_does_not_do_are_refused_saying_why() {
    for (args, message) in [
        (
            &["--backend=ebpf", "-e", "inject=openat:error=ENOENT", "true"][..],
            "-e inject=/-e fault= is not supported by the eBPF backend: its programs watch \
             syscalls from tracepoints and cannot change them; use --backend ptrace",
        ),
        (
            &["--backend", "ebpf", "--fault=openat", "true"],
            "-e inject=/-e fault= is not supported by the eBPF backend",
        ),
        (
            &["-I", "2", "true"],
            "-I/--interruptible: not supported: tracer blocks no signals",
        ),
        (
            &["-I", "never_tstp", "true"],
            "-I/--interruptible: not supported",
        ),
        (&["--tips", "true"], "--tips: not supported"),
    ] {
        let out = tracer().args(args).output().expect("run tracer");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("tracer: {message}")),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn bad_option_values_are_refused_as_strace_refuses_them() {
    for args in [
        &["-X", "bogus", "true"][..],
        &["-w", "true"],
        &["-c", "-C", "true"],
        &["--syscall-times=foo", "true"],
        &["--absolute-timestamps=bad", "true"],
        &["-t", "--timestamps=unix", "true"],
        &["-x", "--strings-in-hex", "true"],
        &["-y", "--decode-fds", "true"],
        &["-q", "-e", "quiet=exit", "true"],
        &["-e", "quiet=bogus", "true"],
        &["-ff", "-o", "|cat", "true"],
        &["-U", "calls", "true"],
        &["-c", "-U", "calls,bogus", "true"],
        &["-c", "-O", "1x", "true"],
        &["-e", "read=x", "true"],
        &["--write=3,-1", "true"],
        &["--decode-pids=bogus", "true"],
        &["-e", "decode-pids=comm,bogus", "true"],
        &["-e", "decode-pid=", "true"],
        &["-e", "trace=%bogus", "true"],
        &["-e", "status=bogus", "true"],
        &["-e", "signal=bogus", "true"],
        &["-S", "bogus", "-c", "true"],
        &["-b", "bogus", "true"],
        &["--detach-on=fork", "true"],
        &["-DDDD", "true"],
        &["--daemonize=sid", "true"],
        &["-D", "--daemonize", "true"],
        &["--daemonize=pgrp", "-D", "true"],
        &["-D", "-p", "1"],
        &["-DD", "-p1", "-p2"],
        &["-I", "5", "true"],
        &["-I", "foo", "true"],
    ] {
        let theirs = std::process::Command::new("strace")
            .args(args)
            .output()
            .expect("run strace");
        let ours = tracer().args(args).output().expect("run tracer");
        assert_eq!(ours.status.code(), Some(1), "{args:?}");
        assert_eq!(theirs.status.code(), Some(1), "{args:?}");
        // strace's message, with its pointer to -h where it gives one.
        let text = |o: &std::process::Output| {
            String::from_utf8_lossy(&o.stderr).replace("strace", "tracer")
        };
        assert_eq!(text(&ours), text(&theirs), "{args:?}");
    }
}

#[test]
fn the_deprecated_f_option_warns_as_strace_warns() {
    for args in [
        &["-F", "--", "no-such-command-xyz"][..],
        &["-fF", "--", "no-such-command-xyz"],
    ] {
        let theirs = std::process::Command::new("strace")
            .args(args)
            .output()
            .expect("run strace");
        let ours = tracer().args(args).output().expect("run tracer");
        let first = |o: &std::process::Output| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .next()
                .unwrap_or_default()
                .replace("strace", "tracer")
        };
        assert_eq!(first(&ours), first(&theirs), "{args:?}");
    }
}

/// A bad number for one of strace's options reads as strace's `invalid -s argument: '-1'`.
#[test]
fn bad_numbers_are_refused_as_strace_refuses_them() {
    for args in [
        &["-s", "-1", "true"][..],
        &["-s", "x", "true"],
        &["-s", "1073741824", "true"],
        &["-a", "x", "true"],
    ] {
        same_refusal_as_strace(args);
    }
}

/// An empty `-e` set (``, `,`, `!`) is refused with strace's words and exit status 1, not
/// taken as "trace nothing".
#[test]
fn an_empty_expression_set_is_refused() {
    for (expr, want) in [
        ("trace=", "invalid system call ''"),
        ("trace=!", "invalid system call '!'"),
        ("signal=,", "invalid signal ','"),
    ] {
        let theirs = std::process::Command::new("strace")
            .args(["-e", expr, "true"])
            .output()
            .expect("run strace");
        assert!(
            String::from_utf8_lossy(&theirs.stderr).contains(want),
            "strace {expr}"
        );
        let ours = tracer()
            .args(["-e", expr, "true"])
            .output()
            .expect("run tracer");
        assert_eq!(ours.status.code(), theirs.status.code(), "{expr}");
        assert!(
            String::from_utf8_lossy(&ours.stderr).contains(want),
            "{expr}"
        );
        assert!(ours.stdout.is_empty());
    }
}
