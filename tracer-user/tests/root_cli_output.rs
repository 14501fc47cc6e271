//! strace's output-format options that show more of each call (`-e read=`/`-e write=` hex
//! dumps, `-Y` process names), against real strace 6.1 on small C programs, with both
//! backends.

#[path = "support/cli_traces.rs"]
mod cli_traces;
mod common;

use std::{fs, process::Command};

use cli_traces::*;
use common::*;

/// Reads and writes with exact data on a pipe and a socket pair: a short write, a read of
/// it, 300 bytes of every value, a failed pread, a failed write, an empty write, a send and
/// a recv, a writev of two buffers and a readv of it into a short and a long one. fds: pipe 3
/// (read end) and 4, sockets 5 and 6.
const IO: &str = r#"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
    int p[2];
    pipe(p);
    char buf[300];
    for (int i = 0; i < 300; i++) buf[i] = (char)(i * 7);
    write(p[1], "hello world\n", 12);
    read(p[0], buf + 100, 100);
    write(p[1], buf, 300);
    pread(p[0], buf, 10, 0);
    read(p[0], buf, 300);
    write(99, "x", 1);
    write(p[1], "", 0);
    int s[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    send(s[0], "abcdefghijklmnopq", 17, 0);
    recv(s[1], buf, 64, 0);
    struct iovec v[3] = {{"hello ", 6}, {"", 0}, {"world, and more bytes\n", 22}};
    writev(p[1], v, 3);
    char a[4];
    struct iovec r[2] = {{a, 4}, {buf, 64}};
    readv(p[0], r, 2);
    return 0;
}
"#;

/// Data moved in messages: a sendmsg of two iovecs on a stream socket pair (3, 4) read back
/// by a recvmsg into a short and a long buffer; a sendmmsg of two datagrams on a datagram
/// pair (5, 6) received by one recvmmsg (not a failed sendmmsg: strace 6.1 dumps memory
/// past the array for it, until a read fails); a vmsplice of two buffers into a
/// pipe (7, 8), read back; a pwritev to /dev/null (20) and a preadv from /dev/zero (21).
const MESSAGES: &str = r#"
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
    int s[2], d[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, d);
    pipe(p);
    struct iovec v[2] = {{"hello ", 6}, {"world, and more\n", 16}};
    struct msghdr m = {0};
    m.msg_iov = v;
    m.msg_iovlen = 2;
    sendmsg(s[0], &m, 0);
    char a[4], b[64];
    struct iovec r[2] = {{a, 4}, {b, 64}};
    struct msghdr n = {0};
    n.msg_iov = r;
    n.msg_iovlen = 2;
    recvmsg(s[1], &n, 0);
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &v[0];
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = v;
    mm[1].msg_hdr.msg_iovlen = 2;
    sendmmsg(d[0], mm, 2, 0);
    struct mmsghdr rm[2];
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &r[1];
    rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = r;
    rm[1].msg_hdr.msg_iovlen = 2;
    recvmmsg(d[1], rm, 2, 0, NULL);
    vmsplice(p[1], v, 2, 0);
    read(p[0], b, 64);
    dup2(open("/dev/null", O_WRONLY), 20);
    dup2(open("/dev/zero", O_RDONLY), 21);
    pwritev(20, v, 2, 0);
    preadv(21, r, 2, 0);
    return 0;
}
"#;

/// One write of 20000 bytes to /dev/null (fd 3): more than an eBPF record holds.
const BIG: &str = r#"
#include <fcntl.h>
#include <unistd.h>
static char buf[20000];
int main(void) {
    for (int i = 0; i < 20000; i++) buf[i] = (char)i;
    int fd = open("/dev/null", O_WRONLY);
    write(fd, buf, sizeof buf);
    return 0;
}
"#;

/// A child that renames itself, asks for its pids and signals itself to death; the parent
/// takes the SIGCHLD while the child is a zombie (named), reaps it (then bare) and exits
/// with 3.
const NAMES: &str = r#"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_chld(int sig) { (void)sig; }
int main(void) {
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    signal(SIGCHLD, on_chld);
    sigprocmask(SIG_BLOCK, &chld, &old);
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_NAME, "kid<1>\n");
        getppid();
        kill(getpid(), SIGUSR1);
        pause();
    }
    sigsuspend(&old);
    waitpid(c, 0, 0);
    kill(c, 0);
    getpid();
    return 3;
}
"#;

#[test]
fn root_read_and_write_dumps_as_strace() {
    require_root();
    let (dir, program) = compile("cli-dumps", IO);
    let calls = "trace=read,write,pread64,sendto,recvfrom,readv,writev";
    for options in [
        &["-e", calls, "-e", "read=3,6", "-e", "write=4,5"][..],
        // Whole buffers whatever -s says; the long spellings; negation and all.
        &["-s", "4", "-e", calls, "--read=6", "--write=!3"],
        &["-e", calls, "-e", "reads=all", "-e", "w=none"],
    ] {
        let (theirs, ours) = traces(options, &dir, &program);
        assert!(
            theirs.contains(" | 00000  "),
            "strace dumped nothing: {theirs}"
        );
        for (backend, text) in ours {
            assert_eq!(text, theirs, "{backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_message_dumps_as_strace() {
    require_root();
    let (dir, program) = compile("cli-dump-messages", MESSAGES);
    let calls = "trace=sendmsg,recvmsg,sendmmsg,recvmmsg,vmsplice,read,preadv,pwritev";
    for options in [
        &["-e", calls, "-e", "read=4,6,7,21", "-e", "write=3,5,8,20"][..],
        // Whole messages whatever -s says.
        &["-s", "4", "-e", calls, "-e", "read=all", "-e", "write=all"],
    ] {
        let (theirs, ours) = traces(options, &dir, &program);
        // Both kinds of message dumps, and vmsplice's.
        for dumped in [" = 2 buffers in vector 1", " * 16 bytes in buffer 1"] {
            assert!(theirs.contains(dumped), "strace: {theirs}");
        }
        for (backend, text) in ours {
            assert_eq!(text, theirs, "{backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_dump_longer_than_the_capture_says_what_is_missing() {
    require_root();
    let (dir, program) = compile("cli-dump-big", BIG);
    let options = ["-e", "trace=write", "-e", "write=3"];
    let (theirs, ours) = traces(&options, &dir, &program);
    let lines: Vec<&str> = theirs.lines().collect();
    // The call, 20000 / 16 = 1250 dump lines, the exit.
    assert_eq!(lines.len(), 1252, "{theirs}");
    for (backend, text) in ours {
        if backend == "ptrace" {
            // ptrace reads up to 64 KiB of a buffer: all of it.
            assert_eq!(text, theirs, "{backend}");
            continue;
        }
        // eBPF: half a kernel record, 8192 bytes = 512 lines, then what is missing.
        let mine: Vec<&str> = text.lines().collect();
        assert_eq!(mine[..513], lines[..513], "{backend}");
        assert_eq!(mine[513], " * 11808 bytes not captured", "{backend}");
        assert_eq!(mine[514..], lines[1251..], "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_process_names_as_strace() {
    require_root();
    let (dir, program) = compile("cli-names", NAMES);
    let calls = "trace=execve,prctl,getpid,getppid,kill,wait4,exit_group";
    for (options, zombie, reaped) in [
        (
            &["-f", "-Y", "-e", calls][..],
            r"PID<w> wait4(PID<kid\0741\76>, NULL",
            r"PID<w> kill(PID, 0)",
        ),
        (
            &["-f", "-qq", "--decode-pids=comm", "-xx", "-e", calls],
            r"PID<\x77> wait4(PID<\x6b\x69\x64\x3c\x31\x3e>, NULL",
            r"PID<\x77> kill(PID, 0)",
        ),
    ] {
        let (theirs, ours) = traces(options, &dir, &program);
        // Named as the trace named it (execve, prctl), escaped; a zombie still, a reaped
        // process no more.
        assert!(
            theirs.contains(zombie) && theirs.contains(reaped),
            "{theirs}"
        );
        for (backend, text) in ours {
            assert_eq!(text, theirs, "{backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Handlers for SIGCHLD and SIGUSR1, SIGUSR2 ignored; a pipe written and read, SIGUSR1 and
/// SIGUSR2 sent to itself, a child that asks for its parent and exits while the parent waits
/// for its SIGCHLD in sigsuspend, then reaps it.
const IP: &str = r#"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_signal(int sig) { (void)sig; }
int main(void) {
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    signal(SIGCHLD, on_signal);
    signal(SIGUSR1, on_signal);
    signal(SIGUSR2, SIG_IGN);
    sigprocmask(SIG_BLOCK, &chld, &old);
    int p[2];
    pipe(p);
    write(p[1], "ip", 2);
    char b[2];
    read(p[0], b, 2);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    pid_t c = fork();
    if (c == 0) {
        getppid();
        _exit(0);
    }
    sigsuspend(&old);
    waitpid(c, 0, 0);
    return 0;
}
"#;

/// `tracer` run with address space randomisation off (`setarch -R`; the traced command
/// inherits it), so that the code addresses -i prints are the same in every run.
fn unrandomized(tracer: &str) -> Command {
    let mut cmd = Command::new("setarch");
    cmd.args(["x86_64", "-R", tracer]);
    cmd
}

/// `-i`: each line's instruction pointer, after the pid prefix, the timestamp and `-n`'s
/// number, as strace prints it: a call's (the one of a blocked call's start and its resumed
/// line), a signal's where the task was (an ignored one sent to itself after the call that
/// sent it), `[????????????????]` for an exit. The same addresses as strace, both backends.
#[test]
fn root_instruction_pointer_as_strace() {
    require_root();
    let (dir, program) = compile("cli-ip", IP);
    let calls = "trace=pipe2,write,read,kill,getppid,wait4,exit_group,rt_sigreturn";
    for options in [
        &["-f", "-i", "-e", calls][..],
        &["--instruction-pointer", "-f", "-e", "trace=wait4,kill"],
        &["-i", "-n", "-ttt"],
    ] {
        let (theirs, ours) = traces_launched(options, &dir, &program, unrandomized);
        let theirs = epoch_masked(&theirs);
        assert!(
            theirs.contains("] --- SIGUSR2 {") && theirs.contains("[????????????????] +++"),
            "{theirs}"
        );
        for (backend, text) in ours {
            assert_eq!(epoch_masked(&text), theirs, "{backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `-ttt`'s times as `TIME`.
fn epoch_masked(text: &str) -> String {
    let re = regex::Regex::new(r"(?m)^(PID )?\d+\.\d{6} ").expect("regex");
    re.replace_all(text, "${1}TIME ").into_owned()
}

/// A child that execs /bin/true while its parent waits for its SIGCHLD in sigsuspend; the
/// parent reaps it, writes, fails an exec, then execs `sh -c 'exit 3'`.
const DETACH: &str = r#"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_signal(int sig) { (void)sig; }
int main(void) {
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    signal(SIGCHLD, on_signal);
    sigprocmask(SIG_BLOCK, &chld, &old);
    pid_t c = fork();
    if (c == 0) {
        /* On the stack, which is mapped: the exec's start reads them (a literal's page may
           not be, and then only its exit, a moment later, has the strings). */
        char prog[] = "/bin/true", arg0[] = "true";
        execl(prog, arg0, (char *)0);
        _exit(1);
    }
    sigsuspend(&old);
    waitpid(c, 0, 0);
    write(1, "x\n", 2);
    execl("/nonexistent", "nonexistent", (char *)0);
    execl("/bin/sh", "sh", "-c", "exit 3", (char *)0);
    return 1;
}
"#;

/// `-b execve`: each process is detached at its successful exec, not at the launched
/// command's own; the exec's line ends ` <detached ...>`, nothing of the new image is shown,
/// a failed exec is a call like any other, and the exit status is 0, not the command's (the
/// command is still waited for), as strace 6.1. Both backends.
#[test]
fn root_detach_on_execve_as_strace() {
    require_root();
    let (dir, workload) = compile("cli-detach", DETACH);
    for (options, detached_lines) in [
        (
            &["-f", "-b", "execve", "-e", "trace=execve,write,wait4"][..],
            2,
        ),
        (
            &[
                "--detach-on=execve",
                "-f",
                "-e",
                "trace=execve,write,exit_group",
            ],
            2,
        ),
        (&["-b", "execve", "-e", "trace=write"], 0),
        // strace 6.1 drops --seccomp-bpf, and the -f it implies, with a warning.
        (
            &["-b", "execve", "--seccomp-bpf", "-e", "trace=execve,write"],
            1,
        ),
    ] {
        let run = |program: Command| {
            let (text, status) = trace_to_file(
                program,
                options,
                &dir,
                &["--".as_ref(), workload.as_os_str()],
            );
            (mask(&text), status)
        };
        let (theirs, their_status) = run(Command::new("strace"));
        assert_eq!(their_status, Some(0), "{options:?}");
        assert_eq!(
            theirs.matches(" <detached ...>\n").count(),
            detached_lines,
            "{theirs}"
        );
        assert!(
            theirs.contains("ENOENT") == (detached_lines > 0),
            "{theirs}"
        );
        for backend in ["ebpf", "ptrace"] {
            let mut cmd = tracer();
            cmd.arg(format!("--backend={backend}"));
            let (ours, status) = run(cmd);
            assert_eq!(ours, theirs, "{backend} {options:?}");
            assert_eq!(status, their_status, "{backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
