//! tracer's reader gone (`tracer ... | head -1`), with real processes: tracing stops cleanly,
//! the tracees run on untouched, and a launched command is still waited for.

mod common;

use std::{
    fs,
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Duration,
};

use common::*;

/// Runs `t` with its output in a pipe whose reader takes the first line and leaves (`| head
/// -1`); returns that line, tracer's exit status and its stderr.
fn first_line_then_close(t: &mut Command) -> (String, std::process::ExitStatus, String) {
    let mut t = t
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let mut line = String::new();
    BufReader::new(t.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("one line");
    let status = t.wait().expect("tracer exits");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut t.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    (line, status, stderr)
}

#[test]
fn root_a_closed_pipe_ends_tracer_cleanly_and_the_tracee_runs_on() {
    require_root();
    let dir = scratch("pipe");
    let (missing, counter) = (dir.join("missing"), dir.join("counter"));
    let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    for json in [false, true] {
        // `tracer -p PID | head -1`: the reader takes one line and leaves.
        let mut t = tracer();
        t.args(["-p", &opener.0.id().to_string()]);
        if json {
            t.arg("--json");
        }
        let (line, status, stderr) = first_line_then_close(&mut t);
        assert!(!line.is_empty());
        assert_eq!(status.code(), Some(0), "json {json}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let before = read_counter(&counter);
    wait_for(&counter, Duration::from_secs(10), |t| {
        t.trim().parse::<u64>().unwrap_or(0) > before + 2
    });
    assert!(alive(opener.0.id()) && read_counter(&counter) > before + 2);
    drop(opener);
    let _ = fs::remove_dir_all(&dir);
}

/// `tracer COMMAND | head -1` with either backend: tracing stops when the reader leaves, the
/// command runs on untouched to its end, and tracer waits for it and exits with its status.
/// (The ptrace backend returned 0 at once and left the command running on its own.) Then a
/// command detached by `-b execve`, waited for as strace waits.
#[test]
fn root_a_closed_pipe_waits_for_the_launched_command_and_passes_its_status() {
    require_root();
    let dir = scratch("pipe-launched");
    let done = dir.join("done");
    let script = format!(
        "for i in 1 2 3 4 5; do /bin/true; done; sleep 1; echo end > {}; exit 3",
        done.display()
    );
    for backend in ["ebpf", "ptrace"] {
        let _ = fs::remove_file(&done);
        let mut t = tracer();
        t.arg(format!("--backend={backend}"))
            .args(["-f", "sh", "-c", &script]);
        let (line, status, stderr) = first_line_then_close(&mut t);
        assert!(line.starts_with("execve("), "{backend}: {line}");
        assert_eq!(status.code(), Some(3), "{backend}: {stderr}");
        assert!(done.exists(), "{backend}: tracer ended before the command");
        assert!(!stderr.contains("panicked"), "{backend}: {stderr}");
    }
    // `-b execve`: the command, detached at its exec, is waited for too, as strace waits
    // (the ptrace backend's wait ended at its first 100 ms tick).
    let late = format!("exec sh -c 'sleep 0.5; echo end > {}'", done.display());
    for backend in ["strace", "ebpf", "ptrace"] {
        let _ = fs::remove_file(&done);
        let mut t = match backend {
            "strace" => Command::new("strace"),
            _ => {
                let mut t = tracer();
                t.arg(format!("--backend={backend}"));
                t
            }
        };
        let status = t
            .args(["-o", "/dev/null", "-b", "execve", "sh", "-c", &late])
            .status()
            .expect("run the tracer");
        assert!(status.success(), "{backend}");
        assert!(
            done.exists(),
            "{backend}: the detached command was not waited for"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}
