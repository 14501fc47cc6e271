//! tracer inside a pid namespace (a container; here `unshare --pid --fork --mount-proc`): `-p N`
//! is the process the namespace calls N, and lines carry the namespace's pids, as strace run
//! in the same place prints them. A host process deliberately given the same number as the
//! target must stay out of the trace.

mod common;

use std::{fs, path::Path, process::Command};

use common::*;

/// Forks a child that opens `DIR/LABEL-child-PID` and exits, opens `DIR/LABEL-parent-PID`,
/// and again, every 50 ms (PID: the process's own pid as it sees it).
const TARGET: &str = r#"
import os, sys, time
d, label = sys.argv[1], sys.argv[2]
def touch(kind):
    try:
        os.open(f"{d}/{label}-{kind}-{os.getpid()}", os.O_RDONLY)
    except OSError:
        pass
while True:
    pid = os.fork()
    if pid == 0:
        touch("child")
        os._exit(0)
    os.waitpid(pid, 0)
    touch("parent")
    time.sleep(0.05)
"#;

/// Runs as pid 1 of the new namespace: starts the target as pid `number` (through
/// ns_last_pid), the tracer on it with `-f -o TRACE -p number`, lets it trace until its
/// output shows a few rounds, then stops it (SIGINT) and the target.
const DRIVER: &str = r#"
import os, signal, subprocess, sys, time
number, trace, d = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tracer = sys.argv[4:]
with open("/proc/sys/kernel/ns_last_pid", "w") as f:
    f.write(str(number - 1))
target = subprocess.Popen([sys.executable, "-c", os.environ["TARGET"], d, "ns"])
assert target.pid == number, target.pid
t = subprocess.Popen(tracer + ["-f", "-o", trace, "-p", str(number)], stderr=subprocess.PIPE)
line = t.stderr.readline().decode()
assert "ttached" in line, line
deadline = time.time() + 20
while time.time() < deadline:
    try:
        text = open(trace).read()
    except OSError:
        text = ""
    if text.count("ns-parent-") >= 5:
        break
    time.sleep(0.05)
t.send_signal(signal.SIGINT)
t.wait()
target.kill()
target.wait()
"#;

/// The trace of `tracer` (argv) run in a new pid namespace on a target numbered as the host
/// process `host_pid`.
fn trace_in_namespace(dir: &Path, tracer: &[&str], host_pid: u32, name: &str) -> String {
    let trace = dir.join(format!("trace-{name}"));
    let status = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc"])
        .arg(python().get_program())
        .args(["-c", DRIVER, &host_pid.to_string()])
        .arg(&trace)
        .arg(dir)
        .args(tracer)
        .env("TARGET", TARGET)
        .status()
        .expect("run unshare");
    assert!(status.success(), "{name}: the driver failed");
    fs::read_to_string(&trace).unwrap_or_default()
}

/// Every line about a file `LABEL-KIND-PID` is printed with that pid, the namespace's.
fn check(name: &str, trace: &str, host_pid: u32) {
    assert!(
        !trace.contains("/host-"),
        "{name}: the host process is in the trace:\n{trace}"
    );
    let parent = format!("ns-parent-{host_pid}\"");
    let mut parents = 0;
    let mut children = 0;
    for line in trace.lines().filter(|l| l.contains("/ns-")) {
        let (pid, rest) = line.split_once(' ').unwrap_or_default();
        let file = rest
            .split("/ns-")
            .nth(1)
            .and_then(|f| f.split('"').next())
            .unwrap_or_default();
        let named = file.rsplit('-').next().unwrap_or_default();
        assert_eq!(pid, named, "{name}: {line}");
        parents += usize::from(line.contains(&parent));
        children += usize::from(file.starts_with("child-"));
    }
    assert!(parents >= 3 && children >= 3, "{name}:\n{trace}");
}

#[test]
fn root_in_a_pid_namespace_pids_are_the_namespace_s_with_both_backends() {
    require_root();
    let dir = scratch("pidns");
    // The host's process with the number the namespace's target will get.
    let host = KillOnDrop(
        python()
            .args(["-c", TARGET])
            .arg(&dir)
            .arg("host")
            .spawn()
            .expect("spawn the host process"),
    );
    let host_pid = host.0.id();
    let strace = trace_in_namespace(&dir, &["strace"], host_pid, "strace");
    check("strace", &strace, host_pid);
    let bin = env!("CARGO_BIN_EXE_tracer");
    for backend in ["ebpf", "ptrace"] {
        let flag = format!("--backend={backend}");
        let ours = trace_in_namespace(&dir, &[bin, &flag], host_pid, backend);
        check(backend, &ours, host_pid);
    }
    drop(host);
    let _ = fs::remove_dir_all(&dir);
}
