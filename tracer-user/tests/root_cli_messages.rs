//! tracer's own messages against strace 6.1's, with both backends: `-d`'s debug lines, the
//! attach and detach messages of `-p` (dropped by `-q`, said once for a request sent twice),
//! the warnings for options that do less than they seem to, a gone pid beside a command.

mod common;

use std::{fs, process::Command};

use common::*;

#[test]
fn root_debug_messages_with_d() {
    require_root();
    let out = tracer()
        .args(["-d", "--backend=ptrace", "-o", "/dev/null", "--", "true"])
        .output()
        .expect("run tracer");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tracer: debug: "), "{stderr}");
    let out = tracer()
        .args(["--backend=ptrace", "-o", "/dev/null", "--", "true"])
        .output()
        .expect("run tracer");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("debug"));
}

/// `-q` (and `-e quiet=attach`) drop the attach and detach messages of `-p`, as strace's.
#[test]
fn root_quiet_drops_attach_messages() {
    require_root();
    let sleeper = KillOnDrop(Command::new("sleep").arg("30").spawn().expect("sleep"));
    let pid = sleeper.0.id().to_string();
    let stderr = |program: &str, options: &[&str]| -> String {
        let out = Command::new("timeout")
            .args(["-s", "INT", "3", program])
            .args(options)
            .args(["-e", "trace=none", "-p", &pid])
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let ours = env!("CARGO_BIN_EXE_tracer");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let loud = stderr(ours, &[backend]);
        assert!(loud.contains(&format!("process {pid} attached")), "{loud}");
        assert!(loud.contains(&format!("process {pid} detached")), "{loud}");
        for quiet in [&["-q"][..], &["-e", "quiet=attach"], &["--quiet"]] {
            let theirs = stderr("strace", quiet);
            assert!(!theirs.contains("attached"), "strace {quiet:?}: {theirs}");
            let options = [&[backend][..], quiet].concat();
            let text = stderr(ours, &options);
            assert!(
                !text.contains("attached") && !text.contains("detached"),
                "{options:?}: {text}"
            );
        }
    }
    assert!(alive(sleeper.0.id()));
}

/// `timeout 10 tracer -p PID` sends its SIGINT to tracer and then to tracer's whole process
/// group, so tracer often gets the one request twice at once. It must still detach and say
/// so (ptrace `_exit`ed on the second signal, half-way through `process N detached`; CI saw
/// `tracer: ` alone), and leave the process running, with both backends.
#[test]
fn root_one_request_sent_twice_still_detaches() {
    use std::io::{BufRead, BufReader, Read};
    require_root();
    // Many threads: ptrace's detach takes a while, and the second signal comes meanwhile.
    let threads = "import threading, time\n\
        [threading.Thread(target=time.sleep, args=(60,), daemon=True).start() for _ in range(400)]\n\
        print(flush=True)\ntime.sleep(60)";
    let mut sleeper = KillOnDrop(
        Command::new("python3")
            .args(["-c", threads])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3"),
    );
    let mut started = String::new();
    BufReader::new(sleeper.0.stdout.take().expect("stdout"))
        .read_line(&mut started)
        .expect("read");
    let pid = sleeper.0.id();
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = KillOnDrop(
            Command::new(env!("CARGO_BIN_EXE_tracer"))
                .args([backend, "-e", "trace=none", "-p", &pid.to_string()])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("tracer"),
        );
        let mut stderr = BufReader::new(ours.0.stderr.take().expect("stderr"));
        let mut first = String::new();
        stderr.read_line(&mut first).expect("read");
        assert_eq!(
            first,
            format!("tracer: process {pid} attached\n"),
            "{backend}"
        );
        // The second signal after the first was handled, well within a second of it.
        for _ in 0..2 {
            // SAFETY: a signal to the tracer we started.
            unsafe { libc::kill(ours.0.id() as i32, libc::SIGINT) };
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let mut rest = String::new();
        stderr.read_to_string(&mut rest).expect("read");
        let _ = ours.0.wait();
        assert_eq!(
            rest,
            format!("tracer: process {pid} detached\n"),
            "{backend}"
        );
        assert!(alive(pid), "{backend}");
    }
}

/// strace 6.1's warnings for options that do less than they seem to: a second -z/-Z (any
/// spelling), -A without -o; the same words on stderr (tracer's name for strace's), both
/// backends, and the trace goes on.
#[test]
fn root_warnings_of_useless_options_as_strace() {
    require_root();
    for options in [
        &["-z", "-Z"][..],
        &["-Z", "--successful-only"],
        &["-zz"],
        &["-A"],
        &["-A", "-z", "-Z"],
    ] {
        let words = |out: &std::process::Output, name: &str| -> Vec<String> {
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .filter(|l| l.contains("Only the last") || l.contains("has no effect"))
                .map(|l| l.replacen(name, "NAME:", 1))
                .collect()
        };
        let theirs = Command::new("strace")
            .args(options)
            .args(["-e", "trace=none", "true"])
            .output()
            .expect("run strace");
        let expected = words(&theirs, "strace:");
        assert!(!expected.is_empty(), "strace {options:?}: {theirs:?}");
        for backend in ["--backend=ebpf", "--backend=ptrace"] {
            let ours = tracer()
                .arg(backend)
                .args(options)
                .args(["-e", "trace=none", "true"])
                .output()
                .expect("run tracer");
            assert_eq!(ours.status.code(), theirs.status.code(), "{options:?}");
            assert_eq!(words(&ours, "tracer:"), expected, "{backend} {options:?}");
        }
    }
}

/// `-p GONE COMMAND`: strace says it cannot attach the pid and traces the command; tracer
/// refused the whole run (exit 1, the command never ran). Both backends, the same status and
/// trace as strace's.
#[test]
fn root_a_gone_pid_beside_a_command_still_runs_the_command() {
    require_root();
    // A process that has ended and been reaped.
    let gone = {
        let mut child = Command::new("true").spawn().expect("run true");
        child.wait().expect("wait");
        child.id()
    };
    let dir = scratch("cli-gone-pid");
    let theirs = Command::new("strace")
        .args(["-p", &gone.to_string(), "-e", "trace=getppid", "-o"])
        .arg(dir.join("strace.out"))
        .args(["sh", "-c", "/usr/bin/test -d /"])
        .output()
        .expect("run strace");
    assert_eq!(theirs.status.code(), Some(0), "{theirs:?}");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let out = dir.join("tracer.out");
        let ours = tracer()
            .arg(backend)
            .args(["-p", &gone.to_string(), "-e", "trace=execve", "-o"])
            .arg(&out)
            .args(["sh", "-c", "/usr/bin/test -d /"])
            .output()
            .expect("run tracer");
        assert_eq!(ours.status.code(), Some(0), "{backend}: {ours:?}");
        let stderr = String::from_utf8_lossy(&ours.stderr);
        assert!(
            stderr.contains(&format!("pid {gone}: no such process")),
            "{backend}: {stderr}"
        );
        let trace = fs::read_to_string(&out).expect("the trace");
        assert!(
            trace.contains("execve(\"/usr/bin/sh\""),
            "{backend}: {trace}"
        );
        assert!(
            trace.ends_with("+++ exited with 0 +++\n"),
            "{backend}: {trace}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}
