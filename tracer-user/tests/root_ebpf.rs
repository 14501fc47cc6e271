//! End-to-end tests with the real eBPF programs: need root (`cargo xtask test` runs them).
//! Test names start with `root_` so `cargo xtask test --no-root` can skip them.

mod common;

use std::{
    fs,
    io::{BufRead, BufReader, Write},
    os::unix::process::ExitStatusExt,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::*;

const ENOENT_LINE: &str =
    r#"openat(AT_FDCWD, "/nonexistent/file", O_RDONLY) = -1 ENOENT (No such file or directory)"#;

#[test]
fn root_launched_command_shows_its_failed_open_and_exit_status() {
    require_root();
    let out = tracer()
        .args(["--", "cat", "/nonexistent/file"])
        .output()
        .expect("run tracer");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l == ENOENT_LINE),
        "no ENOENT line in:\n{text}"
    );
    // The first traced syscall is the command's own execve, as with strace.
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(r#"execve("/usr/bin/cat", "#),
        "first line: {first}"
    );
    assert!(first.ends_with(") = 0"), "first line: {first}");
    // It ends as strace ends it.
    let tail: Vec<&str> = text.lines().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            "+++ exited with 1 +++",
            "exit_group(1)                           = ?"
        ]
    );
    // cat's own exit status, and its own stderr untouched.
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cat: /nonexistent/file"));
}

#[test]
fn root_exit_status_and_death_by_signal_are_passed_on() {
    require_root();
    let status = tracer()
        .args(["-o", "/dev/null", "--", "sh", "-c", "exit 7"])
        .status()
        .expect("run tracer");
    assert_eq!(status.code(), Some(7));
    let status = tracer()
        .args(["-o", "/dev/null", "--", "sh", "-c", "kill -TERM $$"])
        .status()
        .expect("run tracer");
    assert_eq!(status.signal(), Some(libc::SIGTERM));
}

#[test]
fn root_attach_traces_a_running_process_and_leaves_it_working() {
    require_root();
    let dir = scratch("attach");
    let (missing, counter, trace) = (dir.join("missing"), dir.join("counter"), dir.join("trace"));
    let mut opener = spawn_opener(&missing, &counter, false);
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    let mut tracer = tracer()
        .args(["-p", &opener.id().to_string(), "-o"])
        .arg(&trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let expected = format!(
        r#"openat(AT_FDCWD, "{}", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)"#,
        missing.display()
    );
    let text = wait_for(&trace, Duration::from_secs(10), |t| t.contains(&expected));
    assert!(text.contains(&expected), "no line {expected:?} in:\n{text}");
    signal(tracer.id(), libc::SIGINT);
    let status = tracer.wait().expect("tracer exits");
    // Like strace: detach, then die by the signal we were sent.
    assert_eq!(status.signal(), Some(libc::SIGINT));
    let mut stderr = String::new();
    if let Some(mut e) = tracer.stderr.take() {
        std::io::Read::read_to_string(&mut e, &mut stderr).expect("stderr");
    }
    let pid = opener.id();
    assert_eq!(
        stderr,
        format!("tracer: process {pid} attached\ntracer: process {pid} detached\n")
    );
    // The traced process is alive and still making progress after the tracer left.
    let before = read_counter(&counter);
    wait_for(&counter, Duration::from_secs(10), |t| {
        t.trim().parse::<u64>().unwrap_or(0) > before + 2
    });
    assert!(alive(pid) && read_counter(&counter) > before + 2);
    opener.kill().expect("kill opener");
    let _ = opener.wait();
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_the_trace_ends_with_status_0_when_the_process_exits() {
    require_root();
    let dir = scratch("exit");
    let trace = dir.join("trace");
    // A process that waits for a line on stdin, then exits on its own.
    let mut short = Command::new("sh")
        .args(["-c", "read x; cat /nonexistent/gone 2>/dev/null; exit 0"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let mut tracer = tracer()
        .args(["-p", &short.id().to_string(), "-o"])
        .arg(&trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let mut said = String::new();
    BufReader::new(tracer.stderr.take().expect("stderr"))
        .read_line(&mut said)
        .expect("tracer's stderr");
    assert!(said.contains("attached"), "{said}");
    // Now let it go.
    short
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"go\n")
        .expect("write");
    let status = tracer.wait().expect("wait for tracer");
    // The tracee exiting ends the trace with status 0.
    assert_eq!(status.code(), Some(0));
    let text = fs::read_to_string(&trace).expect("trace file");
    assert!(text.contains("exit_group(0)"), "trace:\n{text}");
    let _ = short.wait();
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_thread_id_attaches_its_whole_process() {
    require_root();
    let dir = scratch("thread");
    let (missing, counter, trace) = (dir.join("missing"), dir.join("counter"), dir.join("trace"));
    let mut opener = spawn_opener(&missing, &counter, true);
    let mut ids = String::new();
    BufReader::new(opener.stdout.take().expect("stdout"))
        .read_line(&mut ids)
        .expect("ids");
    let tids: Vec<u32> = ids
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    assert_eq!(tids.len(), 2, "ids: {ids}");
    let mut tracer = tracer()
        .args(["-p", &tids[1].to_string(), "-o"])
        .arg(&trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    // Both threads' lines appear, prefixed with their thread ids.
    let text = wait_for(&trace, Duration::from_secs(10), |t| {
        tids.iter()
            .all(|tid| t.contains(&format!("[pid {tid:>5}] openat(")))
    });
    signal(tracer.id(), libc::SIGTERM);
    let status = tracer.wait().expect("tracer exits");
    assert_eq!(status.signal(), Some(libc::SIGTERM));
    for tid in &tids {
        assert!(
            text.contains(&format!("[pid {tid:>5}] openat(")),
            "tid {tid} in:\n{text}"
        );
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut tracer.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert!(stderr.starts_with(&format!("tracer: process {} attached", opener.id())));
    opener.kill().expect("kill");
    let _ = opener.wait();
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_an_untraced_process_produces_no_lines() {
    require_root();
    let dir = scratch("untraced");
    let traced_missing = dir.join("traced-missing");
    let untraced_missing = dir.join("untraced-missing");
    let trace = dir.join("trace");
    // Killed when the test ends, pass or fail: a failed assertion leaves nothing running.
    let traced = KillOnDrop(spawn_opener(&traced_missing, &dir.join("c1"), false));
    let untraced = KillOnDrop(spawn_opener(&untraced_missing, &dir.join("c2"), false));
    let mut tracer = KillOnDrop(
        tracer()
            .args(["-p", &traced.0.id().to_string(), "-o"])
            .arg(&trace)
            .stderr(Stdio::null())
            .spawn()
            .expect("run tracer"),
    );
    let needle = traced_missing.display().to_string();
    let mut text = wait_for(&trace, Duration::from_secs(10), |t| {
        t.matches(&needle).count() >= 5
    });
    // Both processes run the same loop; only one is traced. The untraced one started second
    // and may lag on a busy machine: wait until it too has opened its file five times, then
    // look at the trace again.
    let deadline = Instant::now() + Duration::from_secs(10);
    while read_counter(&dir.join("c2")) < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        read_counter(&dir.join("c2")) >= 5,
        "the untraced loop did not run"
    );
    signal(tracer.0.id(), libc::SIGINT);
    let _ = tracer.0.wait();
    text = fs::read_to_string(&trace).unwrap_or(text);
    assert!(text.matches(&needle).count() >= 5, "trace:\n{text}");
    assert!(
        !text.contains("untraced-missing"),
        "untraced lines in:\n{text}"
    );
    drop((traced, untraced));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_full_ring_buffer_is_reported_as_lost_events() {
    require_root();
    // ~400k syscalls into a one-page ring buffer: the consumer cannot keep up.
    let out = tracer()
        .args([
            "--ring-size",
            "4096",
            "--",
            "dd",
            "if=/dev/zero",
            "of=/dev/null",
            "bs=1",
        ])
        .arg("count=200000")
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lost_in_stream: u64 = text
        .lines()
        .filter_map(|l| l.strip_prefix("!!! lost "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    assert!(lost_in_stream > 0, "no loss marker in the output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let total: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("tracer: lost "))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .expect("a loss total on stderr");
    // Every loss is accounted for in the stream: markers add up to the total.
    assert_eq!(lost_in_stream, total);
    // And what was not lost is there: the copy loop's reads, in order.
    assert!(text.contains("read(0, "));
}

#[test]
fn root_missing_privileges_name_the_capability() {
    require_root();
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
        ])
        .arg(env!("CARGO_BIN_EXE_tracer"))
        // Asked for eBPF explicitly (auto would fall back to ptrace: root_ptrace.rs).
        .args(["--backend=ebpf", "--", "true"])
        .output()
        .expect("run setpriv");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("tracer: missing capability CAP_BPF"),
        "stderr: {stderr}"
    );
}

/// iovecs (writev, and inside sendmsg and recvmsg, whose data the return value bounds) and
/// execve's argv and envp count, as strace prints them: the looping capture programs, each
/// entry checked by the verifier in a function of its own.
const IOVECS: &str = r#"
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
    struct iovec w[3] = {{"hello ", 6}, {"iovec ", 6}, {"world\n", 6}};
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    writev(sv[0], w, 3);
    char a[4], b[8], c[32];
    struct iovec r[3] = {{a, 4}, {b, 8}, {c, 32}};
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = r;
    m.msg_iovlen = 3;
    recvmsg(sv[1], &m, 0);
    m.msg_iov = w;
    sendmsg(sv[0], &m, 0);
    char *envp[] = {"A=1", "B=2", "C=3", NULL};
    char *argv[] = {"/bin/true", "x", NULL};
    execve("/bin/true", argv, envp);
    return 1;
}
"#;

#[test]
fn root_iovecs_msghdrs_and_exec_arrays_read_as_strace_prints_them() {
    require_root();
    let dir = scratch("iovecs");
    let bin = compile_c(&dir, "iovecs", IOVECS);
    let addr = regex::Regex::new(r"0x[0-9a-f]+").expect("regex");
    let pick = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                ["writev(", "recvmsg(", "sendmsg(", "execve(\"/bin/true\""]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            // The envp address differs between the runs.
            .map(|l| addr.replace_all(l, "0x...").into_owned())
            .collect()
    };
    let strace = Command::new("strace").arg(&bin).output().expect("strace");
    let reference = pick(&String::from_utf8_lossy(&strace.stderr));
    assert_eq!(reference.len(), 4, "{reference:?}");
    let ours = tracer().arg(&bin).output().expect("tracer");
    assert_eq!(pick(&String::from_utf8_lossy(&ours.stdout)), reference);
    let _ = fs::remove_dir_all(&dir);
}
