//! `-X raw` / `-X verbose` (`--const-print-style`) against real strace 6.1 on a C program whose
//! calls take named constants and flag words of every kind, with both backends.

#[path = "support/cli_traces.rs"]
mod cli_traces;
mod common;

use std::fs;

use cli_traces::*;
use common::*;

/// Calls whose arguments are named constants and flag words of every kind tracer names: an
/// fd's AT_FDCWD, open flags and a mode, a stat's st_mode, lseek's whence, access modes,
/// mmap/mprotect/madvise, socket family/type/protocol (type and flags apart), sockopt levels
/// and names, a sockaddr's port and address, signals, a sigset, a sigaction's handler and
/// flags, rlimits, clock ids, epoll, ioctl requests (a named one and `_IOC(...)`) and fcntl
/// commands, fcntl's returned flags (named whatever -X says), a lock, prctl, clone's flags
/// and exit signal, a killed child's status, an IPv6 sockaddr, utimensat's UTIME_NOW /
/// UTIME_OMIT, futex's op and bitset.
const CONSTS: &str = r#"
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    int fd = openat(AT_FDCWD, "lockf", O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    struct stat st;
    fstatat(AT_FDCWD, ".", &st, AT_SYMLINK_NOFOLLOW);
    lseek(fd, 0, SEEK_END);
    access("lockf", R_OK | W_OK);
    access("lockf", F_OK);
    void *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(p, 4096, PROT_NONE);
    madvise(p, 4096, MADV_DONTNEED);
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
    int t = socket(AF_INET6, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(t, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(5432)};
    a.sin_addr.s_addr = htonl(0x7f000001);
    bind(s, (struct sockaddr *)&a, sizeof a);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, 0);
    sigprocmask(SIG_UNBLOCK, &set, 0);
    struct sigaction sa = {.sa_handler = SIG_IGN, .sa_flags = SA_RESTART};
    sigaction(SIGUSR1, &sa, 0);
    kill(getpid(), 0);
    struct rlimit rl = {8192 * 1024, RLIM_INFINITY};
    prlimit(0, RLIMIT_STACK, &rl, 0);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    int n;
    ioctl(s, FIONREAD, &n);
    long unnamed;
    ioctl(fd, _IOR(0x12, 0x34, long), &unnamed);
    flock(fd, LOCK_EX | LOCK_NB);
    fcntl(fd, F_GETFD);
    fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    fcntl(fd, F_SETLK, &fl);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    sigprocmask(SIG_BLOCK, &(sigset_t){{1UL << (SIGCHLD - 1)}}, 0);
    pid_t c = fork();
    if (c == 0) _exit(3);
    int status;
    wait4(c, &status, 0, 0);
    c = fork();
    if (c == 0) kill(getpid(), SIGKILL);
    wait4(c, &status, 0, 0);
    int u = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(5432)};
    a6.sin6_addr.s6_addr[15] = 1;
    bind(u, (struct sockaddr *)&a6, sizeof a6);
    struct timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    utimensat(AT_FDCWD, "lockf", times, 0);
    int word = 0;
    struct timespec wait = {0, 1000};
    syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &wait, 0,
            FUTEX_BITSET_MATCH_ANY);
    return 0;
}
"#;

#[test]
fn root_constants_raw_and_verbose_as_strace() {
    require_root();
    let (dir, program) = compile("cli-consts", CONSTS);
    let calls = "trace=!brk,execve,arch_prctl,set_tid_address,set_robust_list,rseq,\
                 prlimit64,mprotect,mmap,munmap,openat,newfstatat,read,pread64,access,close";
    for options in [
        &["-X", "raw", "-e", calls][..],
        &["--const-print-style=verbose", "-e", calls],
        &[
            "-Xverbose",
            "-e",
            "trace=openat,lseek,socket,rt_sigaction,clone",
        ],
        &[
            "-X",
            "raw",
            "-e",
            "trace=openat,lseek,socket,rt_sigaction,clone",
        ],
    ] {
        let (theirs, ours) = traces(options, &dir, &program);
        for (backend, text) in ours {
            assert_eq!(text, theirs, "{backend} {options:?}");
        }
    }
    // The calls of the loader and libc that the -e list above leaves out, after main's
    // openat: they print the same with every -X.
    for style in ["raw", "verbose"] {
        let (theirs, ours) = traces(&["-X", style], &dir, &program);
        let main = |t: &str| t[t.find("\"lockf\"").expect("main's openat")..].to_string();
        assert!(theirs.contains("\"lockf\", 0x"), "{theirs}");
        for (backend, text) in ours {
            assert_eq!(main(&text), main(&theirs), "{backend} -X {style}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
