//! Fd names against real strace 6.1 where the name is not the path an open was given: the
//! pidfd clone3 and clone store with `CLONE_PIDFD`, a socket whose protocol strace cannot
//! decode under `--decode-fds=socket`, files and directories removed while named, fds opened
//! through /proc links (tests/workloads/fdnames2.c), inet sockets the kernel bound to a port
//! of its choice (tests/workloads/autobind.c); strace and tracer (both backends) must print
//! the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::{process::Command, sync::LazyLock};

use common::*;
use decoders::*;
use regex::Regex;

/// The children's pids and times (each run's own), and the ids `run_ids` masks.
fn child_ids(text: &str) -> String {
    static IDS: LazyLock<[(Regex, &str); 4]> = LazyLock::new(|| {
        [
            // `-f`'s prefix: the pid, and its name with `-Y`.
            (r"(?m)^\d+(?:<[^>]*>)? +", ""),
            (r"(?m)^((?:clone3?|wait4)\(.*\) += )\d+", "${1}PID"),
            (r"(si_pid=|pid:|\[|wait4\(|kill\()\d+", "${1}N"),
            (r"(si_[us]time=)\d+( /\* [0-9.]+ s \*/)?", "${1}T"),
        ]
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
    });
    let text = replaced(text, &*IDS);
    run_ids(&text)
}

/// clone3's `=> {pidfd=[3<anon_inode:[pidfd]>]}` and clone's `parent_tid=[3<...>]` (tracer
/// printed neither: clone3 without its `=>` part, clone's pointer as an address), the pidfd
/// named in every later call (`3<pid:P>` with `-yy` while the child lives, by path once it is
/// reaped: tracer left it bare), the old signalfd's mask (`[]`, tracer: its address), and an
/// AF_PACKET socket with `--decode-fds=socket` (`socket:[INO]`; tracer left it bare); a
/// removed file's and directory's `close(3</d/x>(deleted))` and a removed current directory's
/// `AT_FDCWD</d/gone (deleted)>` (tracer printed no mark); `/proc/self/fd/0`, `/dev/stdin`
/// and `/proc/self/cwd/..` named by what they open (eBPF named the link, or a directory
/// /proc resolved later); with `-f -Y`, clone3's `parent_tid=[P<comm>]`, wait4's pid of a
/// stopped or continued child named (`= P<comm>`: it is still there; tracer left it bare) and
/// waitid's `si_pid` of the child it reaped bare (gone when strace names it; tracer named it).
#[test]
fn root_fd_names_from_the_call_as_strace() {
    require_root();
    let calls = "clone,clone3,fcntl,waitid,wait4,close,signalfd,socket,unlink,unlinkat,rmdir,\
                 chdir,openat,dup2,kill";
    // Signals are left out: SIGCHLD comes as the child exits, racing the parent's calls.
    for options in [
        &["-y"][..],
        &["-yy"],
        &["--decode-fds=socket"],
        &["-f", "-qq", "-Y"],
    ] {
        let options = [options, &["-e", "signal=none"]].concat();
        masked_as_strace(&options, "fdnames2", calls, child_ids, false);
    }
}

/// ptrace's `-e inject=...:retval=7 -y`: the injected fd is what fd 7 already is, as strace
/// names it (`landlock_create_ruleset(NULL, 0, 0) = 7</dev/null> (INJECTED)`); tracer named
/// it from the call (`anon_inode:[landlock-ruleset]`). eBPF refuses injection. Only closes
/// are shown besides: the pidfds clone3 and clone stored are named though those calls are
/// not (recorded for the fd table all the same).
#[test]
fn root_injected_fd_named_as_it_is() {
    require_root();
    let options = [
        "-y",
        "-e",
        "inject=landlock_create_ruleset:retval=7",
        "-e",
        "signal=none",
    ];
    let calls = "landlock_create_ruleset,close";
    let dir = build("fdnames2", "inject");
    let theirs = run_ids(&trace(
        Command::new("strace"),
        &options,
        &dir,
        "fdnames2",
        calls,
    ));
    let mut ours = tracer();
    ours.arg("--backend=ptrace");
    let ours = run_ids(&trace(ours, &options, &dir, "fdnames2", calls));
    assert!(
        theirs.contains("= 7</dev/null> (INJECTED)"),
        "strace:\n{theirs}"
    );
    assert_eq!(ours, theirs);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `-yy`: an inet socket bound by the kernel, at a send that failed with `EDESTADDRREQ`
/// (write, sendto, sendmsg without an address) or at listen, shows its port from the next
/// call on (`getsockname(3<UDPv6:[[::]:40790]>, ...)`, `close(3<UDP:[0.0.0.0:49705]>)`, as
/// strace 6.1); tracer kept the unbound `UDP:[INODE]` to the close (t13 item 11).
#[test]
fn root_autobound_sockets_named_as_strace() {
    require_root();
    static PORTS: LazyLock<[(Regex, &str); 2]> = LazyLock::new(|| {
        [
            (r"((?:UDP|TCP)(?:v6)?):\[\d+\]", "$1:[INODE]"),
            (r"(\]|0\.0\.0\.0):\d+\]", "$1:PORT]"),
        ]
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
    });
    let mask = |text: &str| replaced(text, &*PORTS);
    let calls = "socket,write,sendto,sendmsg,listen,getsockname,close";
    masked_as_strace(&["-yy"], "autobind", calls, |t| run_ids(&mask(t)), false);
}
