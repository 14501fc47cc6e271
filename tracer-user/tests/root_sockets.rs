//! `-yy` socket endpoints against real strace, with both backends, for sockets that live a
//! few microseconds: the eBPF backend reads them in the kernel while the call runs, the
//! ptrace backend while the tracee is stopped, so the text is strace's however soon the
//! process closes them (tests/workloads/sockets.c, and a Python client loop in the shape of
//! pgBouncer's short client connections).

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{
    fs,
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
};

use common::*;

/// Start-up noise neither trace needs (the loader's, Python's).
const NOISE: &str = "!execve,brk,mmap,mprotect,arch_prctl,access,openat,fstat,newfstatat,\
                     pread64,set_tid_address,set_robust_list,rseq,prlimit64,getrandom,munmap,\
                     exit_group,ioctl,lseek,readlink,getdents64,futex,rt_sigaction,\
                     rt_sigprocmask,sysinfo,getuid,geteuid,getgid,getegid,dup,fcntl,statx,\
                     getcwd,uname";

/// Runs `program flags -o OUT -- cmd` and returns OUT's normalised lines.
fn trace(program: &mut Command, flags: &[&str], out: &Path, cmd: &[&str]) -> Vec<String> {
    let status = program
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg("--")
        .args(cmd)
        .status()
        .expect("run the workload");
    assert!(status.success(), "{program:?} failed: {status}");
    normalize::file(&fs::read_to_string(out).expect("trace file"))
}

/// strace's lines and tracer's, with each backend, for the same command, with `-yy`.
fn compare(name: &str, cmd: &[&str], dir: &Path) -> String {
    compare_with(name, &["-yy"], 20, cmd, dir)
}

/// The same with `options` for `-yy`; strace shows more than `least` lines.
fn compare_with(name: &str, options: &[&str], least: usize, cmd: &[&str], dir: &Path) -> String {
    compare_as(name, tracer, options, least, cmd, dir)
}

/// tracer and the command it runs on one CPU: the command runs ahead of tracer's reader.
fn pinned_tracer() -> Command {
    let mut c = Command::new("taskset");
    c.args(["-c", "0", env!("CARGO_BIN_EXE_tracer")]);
    c
}

/// `compare_with`, tracer run by `program`.
fn compare_as(
    name: &str,
    program: fn() -> Command,
    options: &[&str],
    least: usize,
    cmd: &[&str],
    dir: &Path,
) -> String {
    let flags = [options, &["-e", NOISE]].concat();
    let strace = trace(
        &mut Command::new("strace"),
        &flags,
        &dir.join("strace.txt"),
        cmd,
    );
    assert!(
        strace.len() > least,
        "{name}: strace saw too little: {strace:#?}"
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = program();
        t.arg(format!("--backend={backend}"));
        let out = dir.join(format!("{backend}.txt"));
        let ours = trace(&mut t, &flags, &out, cmd);
        let diff: Vec<String> = strace
            .iter()
            .zip(&ours)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("strace: {a}\ntracer: {b}"))
            .collect();
        assert!(
            diff.is_empty() && strace.len() == ours.len(),
            "{name} with {backend}: {} lines against strace's {}; first differences:\n{}",
            ours.len(),
            strace.len(),
            diff.iter().take(8).cloned().collect::<Vec<_>>().join("\n")
        );
    }
    fs::read_to_string(dir.join("ebpf.txt")).expect("trace")
}

/// Each connected unix stream socket shown with a peer (`[a->b`) has that peer shown
/// pointing back (`[b->a`): the normalised comparison hides inode numbers, this checks they
/// are the right ones.
fn peers_agree(text: &str) {
    let re = regex::Regex::new(r"UNIX-STREAM:\[(\d+)->(\d+)").expect("regex");
    let pairs: Vec<(String, String)> = re
        .captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    assert!(pairs.len() >= 4, "no unix peers in:\n{text}");
    for (a, b) in &pairs {
        assert!(
            pairs.iter().any(|(x, y)| x == b && y == a),
            "{a}->{b} has no {b}->{a} in:\n{text}"
        );
    }
}

#[test]
fn root_short_lived_sockets_are_named_as_strace_names_them() {
    require_root();
    let dir = scratch("sockets-yy");
    let bin = cc("sockets", &dir);
    let ours = compare(
        "sockets.c",
        &[bin.to_str().expect("utf-8"), dir.to_str().expect("utf-8")],
        &dir,
    );
    peers_agree(&ours);
    let _ = fs::remove_dir_all(&dir);
}

/// A unix client written to before its server accepts shows no peer, and its peer once
/// accepted, as strace shows them, whether the server is traced (a tight loop, tracer pinned
/// to the command's CPU so that its reader runs behind) or not (a child, without -f): tracer
/// asked the kernel for the peer when it read the record, and with eBPF named the peer
/// accepted after the write (`write(4<UNIX-STREAM:[a->b]>` where strace shows `[a]`).
#[test]
fn root_a_unix_client_shows_its_peer_from_the_accept_on() {
    require_root();
    let dir = scratch("sockets-pending");
    let bin = cc("peer_pending", &dir);
    let cmd = [bin.to_str().expect("utf-8"), dir.to_str().expect("utf-8")];
    let ours = compare_as("peer_pending.c", pinned_tracer, &["-yy"], 200, &cmd, &dir);
    let before_accept = ours
        .lines()
        .filter(|l| l.starts_with("write(") && l.contains("UNIX-STREAM") && !l.contains("->"));
    assert_eq!(before_accept.count(), 101, "{ours}");
    let after_accept = |l: &&str| l.contains("->") && l.ends_with(", \"b\", 1) = 1");
    assert_eq!(ours.lines().filter(after_accept).count(), 1, "{ours}");
    let _ = fs::remove_dir_all(&dir);
}

/// `-e decode-fds=SET` shows each class of fd only when SET has it (a socket's endpoints
/// with `socket`, a device's numbers with `dev`, a pidfd's process with `pidfd`, the rest by
/// path with `path`, else the bare number), as strace 6.1: tracer showed `-yy`'s whole
/// description for any set but `path`.
#[test]
fn root_decode_fds_sets_as_strace() {
    require_root();
    let dir = scratch("sockets-decode-fds");
    let bin = cc("decode_fds", &dir);
    let cmd = [bin.to_str().expect("utf-8")];
    for set in [
        "socket",
        "dev",
        "pidfd",
        "path,pidfd",
        "socket,dev",
        "!socket",
    ] {
        let option = format!("--decode-fds={set}");
        let ours = compare_with(&option, &[&option], 10, &cmd, &dir);
        let bare = ours
            .lines()
            .filter(|l| l.starts_with("close(") && !l.contains('<'));
        let has_path = set.contains("path") || set.starts_with('!');
        assert!(has_path || bare.count() > 0, "{set}: {ours}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A TCP echo server (not traced) on an ephemeral port; the port is its first line.
fn echo_server() -> (KillOnDrop, u16) {
    let script = r#"
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    c.sendall(c.recv(64))
    c.close()
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the echo server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("port");
    let port = line.trim().parse().expect("a port number");
    (KillOnDrop(child), port)
}

#[test]
fn root_a_python_connect_send_recv_close_loop_shows_each_connection() {
    require_root();
    let dir = scratch("sockets-loop");
    let (_server, port) = echo_server();
    let client = format!(
        r#"
import socket
for i in range(5):
    s = socket.create_connection(("127.0.0.1", {port}))
    s.send(b"ping")
    s.recv(64)
    s.close()
"#
    );
    let ours = compare(
        "the python loop",
        &["/usr/bin/python3", "-c", &client],
        &dir,
    );
    let connected = format!("->127.0.0.1:{port}]>");
    assert_eq!(ours.matches(&connected).count(), 5 * 3, "{ours}");
    let _ = fs::remove_dir_all(&dir);
}
