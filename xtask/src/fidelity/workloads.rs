//! The corpus: varied programs a tracer user traces. Each runs the same way under strace and
//! under tracer; `before` puts the world back in the same state before each run.

use std::{fs, path::PathBuf};

use anyhow::{Context, Result};

use super::broad;
use crate::pg;

pub struct Workload {
    pub name: &'static str,
    pub argv: Vec<String>,
    pub cwd: PathBuf,
    pub before: Box<dyn Fn() -> Result<()>>,
}

/// Files and services the workloads use.
pub struct Env {
    dir: PathBuf,
    pg_socket: PathBuf,
}

const TCP_SCRIPT: &str = r#"
import socket, threading
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
def serve():
    conn, _ = srv.accept()
    data = conn.recv(100)
    conn.sendall(data.upper())
    conn.close()
t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(("127.0.0.1", port))
c.sendall(b"hello over loopback")
print(c.recv(100))
c.close()
t.join()
"#;

/// Short TCP connections, pgBouncer's pattern: each lives a few microseconds. One thread plays
/// both ends (the kernel completes the handshake before accept), so the trace does not depend
/// on scheduling.
const TCP_LOOP_SCRIPT: &str = r#"
import socket
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(8)
addr = srv.getsockname()
for i in range(5):
    c = socket.create_connection(addr)
    c.send(b"ping")
    conn, _ = srv.accept()
    conn.sendall(conn.recv(64))
    c.recv(64)
    conn.close()
    c.close()
"#;

/// The C workloads of tracer-user's root tests, built into the corpus: short-lived sockets of
/// every kind, execs of strings never touched (system(), posix_spawn), arguments the kernel
/// rewrites (pselect6, ppoll, socklen, msghdr lengths); the decoder programs (ioctl, numbers,
/// longtail, sockopt, sockaddr, cmsg, netlink, netlink_link, termios, mount_api, quota, bpf, handed_fds, keyctl, sysv_ipc, perf_event, seccomp, landlock_calls, mq, fdnotify, fanotify, io_uring, ioctl_dev, ioctl_plain, ioctl_struct, proc_sched, timers_xattr, fcntl, sigcalls, splice, prctl, timex_aio, sockproto, proc_tail, dev_ioctl, net_tail, ioctl_more, ioctl_devreq, net_more, misc_tail, fdnames2, fdnames3, arrays, t11_uring, t11_decoders, t14_decoders, t15_decoders: valid, invalid and NULL arguments) and a child
/// that traces itself (PTRACE_TRACEME); the sweep: every syscall number with zeros and -1.
const C_WORKLOADS: [&str; 52] = [
    "sockets",
    "prctl",
    "exec_strings",
    "in_out",
    "ioctl",
    "numbers",
    "longtail",
    "traceme",
    "sockopt",
    "sockaddr",
    "cmsg",
    "netlink",
    "netlink_link",
    "termios",
    "mount_api",
    "quota",
    "bpf",
    "handed_fds",
    "keyctl",
    "sysv_ipc",
    "sweep",
    "perf_event",
    "seccomp",
    "landlock_calls",
    "mq",
    "fdnotify",
    "fanotify",
    "io_uring",
    "ioctl_dev",
    "ioctl_plain",
    "ioctl_struct",
    "proc_sched",
    "timers_xattr",
    "fcntl",
    "sigcalls",
    "splice",
    "timex_aio",
    "sockproto",
    "proc_tail",
    "dev_ioctl",
    "net_tail",
    "ioctl_more",
    "ioctl_devreq",
    "net_more",
    "misc_tail",
    "fdnames2",
    "fdnames3",
    "arrays",
    "t11_uring",
    "t11_decoders",
    "t14_decoders",
    "t15_decoders",
];

const POLL_SCRIPT: &str = r#"
import os, select, selectors, time
r, w = os.pipe()
os.write(w, b"ping")
p = select.poll(); p.register(r, select.POLLIN); print(p.poll(100))
print(select.select([r], [], [], 0.1))
sel = selectors.EpollSelector(); sel.register(r, selectors.EVENT_READ); print(sel.select(0.1))
os.read(r, 4)
time.sleep(0.01)
"#;

const FILES_SCRIPT: &str = r#"
import os, shutil
d = "fidelity-files"
shutil.rmtree(d, ignore_errors=True)
os.mkdir(d, 0o750)
with open(os.path.join(d, "a.txt"), "w") as f:
    f.write("some text\n" * 10)
os.rename(os.path.join(d, "a.txt"), os.path.join(d, "b.txt"))
os.symlink("b.txt", os.path.join(d, "link"))
print(os.readlink(os.path.join(d, "link")), os.stat(os.path.join(d, "b.txt")).st_size)
os.chmod(os.path.join(d, "b.txt"), 0o600)
os.truncate(os.path.join(d, "b.txt"), 5)
print(sorted(os.listdir(d)))
os.unlink(os.path.join(d, "link"))
os.unlink(os.path.join(d, "b.txt"))
os.rmdir(d)
"#;

const PROC_SCRIPT: &str = r#"
import os, signal, subprocess
pid = os.fork()
if pid == 0:
    os._exit(3)
print(os.waitpid(pid, 0))
print(subprocess.run(["true"]).returncode)
r, w = os.pipe()
os.dup2(w, 9); os.close(w); os.close(9); os.close(r)
print(os.getpid() > 0, os.getuid(), os.getgid())
"#;

/// A thread other than the leader execs: the leader's call never returns, the leader is
/// superseded, the execve ends under the leader's id.
const EXEC_THREAD_SCRIPT: &str = r#"
import os, threading, time
def run():
    time.sleep(0.05)
    os.execv("/bin/true", ["true"])
threading.Thread(target=run).start()
time.sleep(5)
"#;

/// A child stopped (SIGSTOP, then SIGTSTP in a process group of its own) and continued.
const STOP_CONT_SCRIPT: &str = r#"
import os, signal, time
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    for _ in range(8):
        os.getppid()
        time.sleep(0.03)
    os._exit(0)
for sig in (signal.SIGSTOP, signal.SIGTSTP):
    time.sleep(0.04)
    os.kill(pid, sig)
    time.sleep(0.04)
    os.kill(pid, signal.SIGCONT)
os.waitpid(pid, 0)
"#;

/// `with_pg`: the psql workloads will run, so the shared PostgreSQL cluster is started (run
/// under `flock /tmp/tracer-pg.lock` then); without, it is left alone.
pub fn prepare(work: &std::path::Path, with_pg: bool) -> Result<Env> {
    let dir = work.join("corpus");
    fs::create_dir_all(&dir)?;
    for (name, text) in [
        ("tcp.py", TCP_SCRIPT),
        ("poll.py", POLL_SCRIPT),
        ("files.py", FILES_SCRIPT),
        ("procs.py", PROC_SCRIPT),
        ("exec_thread.py", EXEC_THREAD_SCRIPT),
        ("stop_cont.py", STOP_CONT_SCRIPT),
        ("tcp_loop.py", TCP_LOOP_SCRIPT),
    ] {
        fs::write(dir.join(name), text).with_context(|| format!("failed to write {name}"))?;
    }
    let sources = crate::pins::workspace_root().join("tracer-user/tests/workloads");
    for name in C_WORKLOADS {
        cc(&sources.join(format!("{name}.c")), &dir.join(name))?;
    }
    broad::build(&sources, &dir, cc)?;
    let pg_socket = match with_pg {
        true => pg::ensure_running()?,
        false => PathBuf::new(),
    };
    Ok(Env { dir, pg_socket })
}

/// `cc -o BIN SRC`.
fn cc(src: &std::path::Path, bin: &std::path::Path) -> Result<()> {
    let status = std::process::Command::new("cc")
        .arg("-o")
        .arg(bin)
        .arg(src)
        .status()
        .with_context(|| format!("failed to run cc on {}", src.display()))?;
    anyhow::ensure!(status.success(), "cc failed on {}", src.display());
    Ok(())
}

/// The distribution's python3, not a version manager's shim (whose shell scripts would swamp
/// the corpus).
fn python3() -> String {
    let system = "/usr/bin/python3";
    if std::path::Path::new(system).exists() {
        system.to_string()
    } else {
        "python3".to_string()
    }
}

fn sh(cmd: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), cmd.into()]
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

pub fn all(env: &Env) -> Vec<Workload> {
    let dir = env.dir.clone();
    let python = python3();
    let py = |script: &str| vec![python.clone(), env.dir.join(script).display().to_string()];
    let c_program = |name: &str| vec![env.dir.join(name).display().to_string()];
    let nothing = || -> Box<dyn Fn() -> Result<()>> { Box::new(|| Ok(())) };
    let clean = |path: PathBuf| -> Box<dyn Fn() -> Result<()>> {
        Box::new(move || {
            let _ = fs::remove_dir_all(&path);
            let _ = fs::remove_file(&path);
            Ok(())
        })
    };
    let socket = env.pg_socket.display().to_string();
    let port = pg::PORT.to_string();
    let w = |name: &'static str, argv: Vec<String>, before: Box<dyn Fn() -> Result<()>>| Workload {
        name,
        argv,
        cwd: dir.clone(),
        before,
    };
    let broad = broad::PROGRAMS.into_iter().map(|(workload, name)| {
        let program = c_program(&format!("broad-{name}"));
        w(workload, program, Box::new(broad::clean))
    });
    let mut all = vec![
        w("ls", argv(&["ls", "-la", "/etc/ssl"]), nothing()),
        w(
            "cat-missing",
            argv(&["cat", "/etc/hostname", "/nonexistent/file"]),
            nothing(),
        ),
        w(
            "shell-pipeline",
            sh("grep -c root /etc/passwd | tr 0-9 a-j; echo done"),
            nothing(),
        ),
        w(
            "sort-uniq",
            sh("sort /etc/services | uniq -c | sort -rn | head -3"),
            nothing(),
        ),
        w(
            "find",
            argv(&[
                "find",
                "/usr/share/doc/bash",
                "-maxdepth",
                "1",
                "-name",
                "*.gz",
            ]),
            nothing(),
        ),
        w(
            "tar-gzip",
            argv(&[
                "tar",
                "czf",
                "fidelity.tgz",
                "/etc/ssl/certs/ca-certificates.crt",
            ]),
            clean(dir.join("fidelity.tgz")),
        ),
        w(
            "cp-tree",
            argv(&["cp", "-r", "/etc/default", "fidelity-cp"]),
            clean(dir.join("fidelity-cp")),
        ),
        w(
            "dd",
            argv(&["dd", "if=/dev/zero", "of=/dev/null", "bs=4096", "count=64"]),
            nothing(),
        ),
        w(
            "stat-touch-rm",
            sh("stat /etc/hostname >/dev/null; touch f1; mkdir -p d1; mv f1 d1/; rm -r d1"),
            clean(dir.join("d1")),
        ),
        w("id-uname", sh("id; uname -a; env | wc -l"), nothing()),
        w("sleep", argv(&["sleep", "0.05"]), nothing()),
        w(
            "python-startup",
            argv(&["python3", "-c", "print(42)"]),
            nothing(),
        ),
        w(
            "python-files",
            py("files.py"),
            clean(dir.join("fidelity-files")),
        ),
        w("python-procs", py("procs.py"), nothing()),
        w("python-poll", py("poll.py"), nothing()),
        w("python-tcp", py("tcp.py"), nothing()),
        w("python-exec-thread", py("exec_thread.py"), nothing()),
        w("python-stop-cont", py("stop_cont.py"), nothing()),
        w("python-tcp-loop", py("tcp_loop.py"), nothing()),
        w(
            "c-sockets",
            vec![
                dir.join("sockets").display().to_string(),
                dir.display().to_string(),
            ],
            clean(dir.join("s.sock")),
        ),
        w("c-exec-strings", c_program("exec_strings"), nothing()),
        w("c-in-out", c_program("in_out"), nothing()),
        w(
            "syscall-zoo",
            vec![
                python.clone(),
                crate::pins::workspace_root()
                    .join("tracer-user/tests/workloads/zoo.py")
                    .display()
                    .to_string(),
                dir.join("zoo").display().to_string(),
            ],
            clean(dir.join("zoo")),
        ),
        w("c-ioctl", c_program("ioctl"), clean(dir.join("ioctl-file"))),
        w("c-numbers", c_program("numbers"), nothing()),
        w("c-longtail", c_program("longtail"), nothing()),
        w("c-prctl", c_program("prctl"), nothing()),
        w("c-traceme", c_program("traceme"), nothing()),
        w("c-sockopt", c_program("sockopt"), nothing()),
        w("c-sockaddr", c_program("sockaddr"), nothing()),
        w("c-cmsg", c_program("cmsg"), nothing()),
        w("c-netlink", c_program("netlink"), nothing()),
        w("c-netlink-link", c_program("netlink_link"), nothing()),
        w("c-termios", c_program("termios"), nothing()),
        w("c-mount-api", c_program("mount_api"), nothing()),
        w("c-bpf", c_program("bpf"), nothing()),
        w("c-quota", c_program("quota"), nothing()),
        w("c-handed-fds", c_program("handed_fds"), nothing()),
        w("c-keyctl", c_program("keyctl"), nothing()),
        w("c-sysv-ipc", c_program("sysv_ipc"), nothing()),
        w("c-perf-event", c_program("perf_event"), nothing()),
        w("c-seccomp", c_program("seccomp"), nothing()),
        w("c-landlock", c_program("landlock_calls"), nothing()),
        // Numbers above 450 strace 6.1 does not know (tracer names them: README).
        w(
            "c-sweep",
            [c_program("sweep"), argv(&["0", "450"])].concat(),
            clean(dir.join("sweep.scratch")),
        ),
        w("c-mq", c_program("mq"), nothing()),
        w("c-fdnotify", c_program("fdnotify"), nothing()),
        w("c-fanotify", c_program("fanotify"), nothing()),
        w("c-io-uring", c_program("io_uring"), nothing()),
        w("c-t11-uring", c_program("t11_uring"), nothing()),
        w("c-t11-decoders", c_program("t11_decoders"), nothing()),
        w("c-t14-decoders", c_program("t14_decoders"), nothing()),
        w("c-t15-decoders", c_program("t15_decoders"), nothing()),
        w("c-ioctl-dev", c_program("ioctl_dev"), nothing()),
        w("c-ioctl-plain", c_program("ioctl_plain"), nothing()),
        w("c-ioctl-struct", c_program("ioctl_struct"), nothing()),
        w("c-ioctl-devreq", c_program("ioctl_devreq"), nothing()),
        w("c-proc-sched", c_program("proc_sched"), nothing()),
        w("c-timers-xattr", c_program("timers_xattr"), nothing()),
        w("c-fcntl", c_program("fcntl"), nothing()),
        w("c-sigcalls", c_program("sigcalls"), nothing()),
        w("c-splice", c_program("splice"), nothing()),
        w("c-timex-aio", c_program("timex_aio"), nothing()),
        w("c-sockproto", c_program("sockproto"), nothing()),
        w("c-proc-tail", c_program("proc_tail"), nothing()),
        w("c-dev-ioctl", c_program("dev_ioctl"), nothing()),
        w("c-net-tail", c_program("net_tail"), nothing()),
        w("c-ioctl-more", c_program("ioctl_more"), nothing()),
        w("c-net-more", c_program("net_more"), nothing()),
        w("c-misc-tail", c_program("misc_tail"), nothing()),
        w("c-arrays", c_program("arrays"), nothing()),
        w(
            "psql-tcp",
            argv(&[
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-c",
                "select 1",
            ]),
            nothing(),
        ),
        w(
            "psql-unix",
            argv(&[
                "psql",
                "-h",
                &socket,
                "-p",
                &port,
                "-U",
                "postgres",
                "-Atc",
                "select count(*) from pg_class",
            ]),
            nothing(),
        ),
    ];
    all.extend(broad);
    all
}
