//! Decoder families against real strace 6.1: each family's C program (tests/workloads/NAME.c,
//! also `cargo xtask fidelity` workloads) calls its syscalls with valid, invalid and NULL
//! arguments; strace and tracer (both backends) must print the same lines, with only stack
//! addresses (ASLR) and pipe inodes masked.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::LazyLock,
};

use common::*;
use regex::Regex;

/// Builds `tests/workloads/NAME.c` into a scratch directory of its own (tests run in
/// parallel); returns the directory.
fn build(name: &str, calls: &str) -> PathBuf {
    let key = calls
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let dir = scratch(&format!("decoders-{name}-{key:08x}"));
    cc(name, &dir);
    dir
}

/// What differs between two runs: stack and mapping addresses (ASLR) and pipe inodes.
static ADDRESSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"0x7[ef][0-9a-f]{10}|pipe:\[\d+\]").expect("regex"));

/// System V IPC ids (a kernel counter), with the padding before ` = ` their width moves.
static SHM_IDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^((?:shm|msg|sem)get\(.*\)) += \d+$|^(shmat|shmctl|msgctl|semctl)\(\d+(.*\)) += ",
    )
    .expect("regex")
});

/// What times returns: clock ticks since boot, which move between two runs.
static TICKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^(times\(.*\)) += \d+$").expect("regex"));

/// Runs `program OPTIONS -e trace=CALLS ./NAME` in `dir`; returns the trace with addresses
/// masked.
fn trace(program: Command, options: &[&str], dir: &Path, name: &str, calls: &str) -> String {
    let calls = format!("trace={calls}");
    let options: Vec<&str> = options.iter().copied().chain(["-e", &calls]).collect();
    let (text, code) = trace_to_file(
        program,
        &options,
        dir,
        &["--".as_ref(), dir.join(name).as_os_str()],
    );
    assert_eq!(code, Some(0), "{name} with {options:?}");
    let text = ADDRESSES.replace_all(&text, |c: &regex::Captures<'_>| {
        if c[0].starts_with("pipe") {
            "pipe:[INODE]"
        } else {
            "0xSTACK"
        }
    });
    let text = SHM_IDS.replace_all(&text, |c: &regex::Captures<'_>| match c.get(1) {
        Some(call) => format!("{} = ID", call.as_str()),
        None => format!("{}(ID{} = ", &c[2], &c[3]),
    });
    TICKS.replace_all(&text, "$1 = TICKS").into_owned()
}

/// strace's and tracer's lines for program NAME, with each backend.
fn same_as_strace(name: &str, calls: &str) {
    same_as_strace_with(&[], name, calls);
}

/// The same, both run with `options`.
fn same_as_strace_with(options: &[&str], name: &str, calls: &str) {
    masked_as_strace(options, name, calls, str::to_string, false);
}

/// strace's and tracer's lines for program NAME run with `options`, each passed through
/// `mask` (what differs between two runs). `ebpf_may_omit_names`: with eBPF an fd named
/// from /proc may be bare (the process closed it before its record was read); a name it
/// does print must be strace's.
fn masked_as_strace(
    options: &[&str],
    name: &str,
    calls: &str,
    mask: impl Fn(&str) -> String,
    ebpf_may_omit_names: bool,
) {
    let dir = build(name, &format!("{options:?}{calls}"));
    let theirs = mask(&trace(Command::new("strace"), options, &dir, name, calls));
    assert!(
        theirs.lines().count() > 10,
        "strace printed too little:\n{theirs}"
    );
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend);
        let text = mask(&trace(ours, options, &dir, name, calls));
        if ebpf_may_omit_names && backend == "--backend=ebpf" {
            assert_names_within(&text, &theirs);
        } else {
            assert_eq!(text, theirs, "{name} with {backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A line without its fds' `<...>` names, and each name with where it stood.
fn fd_names(line: &str) -> (String, Vec<(usize, String)>) {
    let (mut bare, mut names) = (String::new(), Vec::new());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        bare.push(c);
        if !(c.is_ascii_digit() && chars.peek() == Some(&'<')) {
            continue;
        }
        let (mut depth, mut name) = (0, String::new());
        for n in chars.by_ref() {
            name.push(n);
            depth += match n {
                '<' => 1,
                '>' => -1,
                _ => 0,
            };
            if depth == 0 {
                break;
            }
        }
        names.push((bare.len(), name));
    }
    (bare, names)
}

/// `ours` has strace's lines, where an fd may lack its name but never has another one.
fn assert_names_within(ours: &str, theirs: &str) {
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    assert_eq!(a.len(), b.len(), "line counts:\n{ours}\nstrace:\n{theirs}");
    for (o, t) in a.iter().zip(&b) {
        let ((o_bare, o_names), (t_bare, t_names)) = (fd_names(o), fd_names(t));
        assert_eq!(o_bare, t_bare, "{o}\nstrace: {t}");
        assert!(
            o_names.iter().all(|n| t_names.contains(n)),
            "{o}\nstrace: {t}"
        );
    }
}

#[test]
fn root_ioctl_requests_and_arguments_as_strace() {
    require_root();
    same_as_strace("ioctl", "ioctl");
}

/// Device ioctls as strace 6.1's random_ioctl.c, watchdog_ioctl.c and rtc.c print them, on
/// /dev/urandom and fd -1 with valid, NULL and unreadable arguments
/// (tests/workloads/ioctl_dev.c).
#[test]
fn root_device_ioctls_as_strace() {
    require_root();
    same_as_strace("ioctl_dev", "ioctl");
    same_as_strace_with(&["-v"], "ioctl_dev", "ioctl");
    same_as_strace_with(&["-s", "4"], "ioctl_dev", "ioctl");
}

/// Requests the UAPI headers number by hand (loop, cdrom, hdreg, vt, kd, asm-generic/sockios.h)
/// by name, FS_IOC_FIEMAP (sized by linux/fiemap.h), and the arguments of those and of the file
/// and socket requests: none, by value, `[N]`, NULL (tests/workloads/ioctl_plain.c).
#[test]
fn root_plain_number_ioctls_as_strace() {
    require_root();
    same_as_strace("ioctl_plain", "ioctl");
}

/// Struct arguments larger than the common ioctl capture (loop_info, loop_info64,
/// loop_config), fiemap before and after, block.c's ranges, numbers and blktrace setup, and
/// the value forms of kd_ioctl.c and hdio.c (tones, LED sets, IDE_NICE_* bits), in every
/// `-X` style (tests/workloads/ioctl_struct.c).
#[test]
fn root_struct_ioctls_as_strace() {
    require_root();
    for style in ["-Xabbrev", "-Xraw", "-Xverbose"] {
        same_as_strace_with(&[style], "ioctl_struct", "ioctl");
    }
}

/// Socket options by level and name with their values, lengths short, long, negative and
/// unreadable, NULL values and lengths (tests/workloads/sockopt.c).
#[test]
fn root_socket_options_as_strace() {
    require_root();
    same_as_strace("sockopt", "setsockopt,getsockopt");
}

/// Socket addresses by family (AF_INET, AF_INET6 with flowinfo and scope id, AF_UNIX path,
/// abstract, unnamed and too long, AF_NETLINK, AF_PACKET, AF_VSOCK, AF_UNSPEC, unknown), short, long,
/// negative lengths, NULL and invalid pointers, lengths the kernel rewrites
/// (tests/workloads/sockaddr.c).
#[test]
fn root_socket_addresses_as_strace() {
    require_root();
    same_as_strace(
        "sockaddr",
        "connect,bind,sendto,recvfrom,getsockname,getpeername,accept4",
    );
}

/// sendmsg/recvmsg control messages (SCM_RIGHTS, SCM_CREDENTIALS, IP_PKTINFO, IP_TTL, unknown
/// and malformed ones, buffers too short or unreadable) and a failed recvmsg
/// (tests/workloads/cmsg.c). Its sendmmsg/recvmmsg vectors are not decoded yet: left out.
#[test]
fn root_control_messages_as_strace() {
    require_root();
    same_as_strace("cmsg", "sendmsg,recvmsg");
}

/// sendmmsg/recvmmsg's vectors: each entry's msghdr and msg_len, as many as the call sent or
/// received, addresses when it failed (tests/workloads/cmsg.c).
#[test]
fn root_message_vectors_as_strace() {
    require_root();
    same_as_strace("cmsg", "sendmmsg,recvmmsg");
    same_as_strace_with(&["-s", "2"], "cmsg", "sendmmsg,recvmmsg");
}

/// Netlink messages on netlink sockets: NETLINK_ROUTE requests and replies (ifinfomsg,
/// ifaddrmsg and its attributes, rtmsg and its attributes, errors echoing the request),
/// NETLINK_SOCK_DIAG requests, NETLINK_AUDIT and NETLINK_GENERIC types, a uevent, two
/// messages in one buffer, sendmsg/recvmsg iovecs, short, bad and NULL buffers
/// (tests/workloads/netlink.c); with `-s 8` the payloads and lists cut; `-yy`.
#[test]
fn root_netlink_messages_as_strace() {
    require_root();
    let calls = "sendto,recvfrom,sendmsg,recvmsg";
    same_as_strace("netlink", calls);
    same_as_strace_with(&["-s", "8"], "netlink", calls);
    same_as_strace_with(&["-X", "raw"], "netlink", calls);
    // A bound netlink socket named by its protocol and port id: NETLINK:[ROUTE:28673].
    same_as_strace_with(&["-yy"], "netlink", calls);
}

/// NETLINK_ROUTE link messages: ifinfomsg's IFLA_* attributes (statistics of each length,
/// hardware addresses, nested IFLA_XDP, short and unknown values) and nlmsg_pid printed
/// signed (tests/workloads/netlink_link.c), in the three `-X` styles and cut by `-s`.
#[test]
fn root_netlink_link_messages_as_strace() {
    require_root();
    let calls = "socket,bind,sendto";
    same_as_strace("netlink_link", calls);
    same_as_strace_with(&["-s", "300"], "netlink_link", calls);
    same_as_strace_with(&["-s", "4"], "netlink_link", calls);
    same_as_strace_with(&["-X", "raw"], "netlink_link", calls);
    same_as_strace_with(&["-X", "verbose"], "netlink_link", calls);
}

/// times and the mount API: flags generated from linux/mount.h, fsconfig's value and aux by
/// command, struct mount_attr by size (tests/workloads/mount_api.c), in the three `-X`
/// styles.
#[test]
fn root_times_and_mount_api_as_strace() {
    require_root();
    let calls = "times,fsopen,fsconfig,fsmount,move_mount,open_tree,fspick,mount_setattr";
    same_as_strace("mount_api", calls);
    same_as_strace_with(&["-X", "raw"], "mount_api", calls);
    same_as_strace_with(&["-X", "verbose"], "mount_api", calls);
    // A filesystem context is `3<anon_inode:[fscontext]>`.
    same_as_strace_with(&["-yy"], "mount_api", calls);
}

/// POSIX timers and xattr name lists: timer_create's struct sigevent by notify kind (it was
/// an address), timer_gettime's itimerspec (an address), listxattr's NUL-separated names as
/// many as it returned (an address); NULL, bad ids and short buffers (tests/workloads/
/// timers_xattr.c).
#[test]
fn root_timers_and_xattr_lists_as_strace() {
    require_root();
    let calls = "timer_create,timer_settime,timer_gettime,timer_getoverrun,timer_delete,\
                 listxattr,llistxattr,flistxattr,setxattr,fsetxattr";
    same_as_strace("timers_xattr", calls);
    same_as_strace_with(&["-X", "raw"], "timers_xattr", calls);
}

/// bpf by command: each command's attr member field by field as far as the size reaches,
/// `...` for bytes past it that are not zero, strings its pointer fields point to (license,
/// log buffer, path, tracepoint name, BTF bytes), info_len rewritten by the kernel, unknown
/// commands, NULL, unreadable and oversized attrs (tests/workloads/bpf.c), in the three `-X`
/// styles and with a short `-s`.
#[test]
fn root_bpf_commands_as_strace() {
    require_root();
    same_as_strace("bpf", "bpf");
    same_as_strace_with(&["-X", "raw"], "bpf", "bpf");
    same_as_strace_with(&["-X", "verbose"], "bpf", "bpf");
    same_as_strace_with(&["-s", "4"], "bpf", "bpf");
}

/// perf_event_open's attr as strace 6.1 prints it: config by event type (hardware, software,
/// cache ids shifted into place with the bits past them, tracepoint, raw, breakpoint types,
/// unknown), the bit fields (only those set without `-v`), the fields each size reaches with
/// `-v`, sizes 0, too small, odd, too big (E2BIG's `size=0x190 => 0x88`), NULL, unreadable and
/// cut by the end of a mapping, pid/cpu/group/`PERF_FLAG_*` (tests/workloads/perf_event.c), in
/// the three `-X` styles, with and without `-v`; `-yy` names the new fds `anon_inode:[perf_event]`
/// (with eBPF too, where the process has closed them before /proc could be asked).
#[test]
fn root_perf_event_open_as_strace() {
    require_root();
    let sets = [
        &[][..],
        &["-v"],
        &["-X", "raw"],
        &["-v", "-X", "verbose"],
        &["-yy"],
    ];
    for options in sets {
        same_as_strace_with(options, "perf_event", "perf_event_open,close");
    }
}

/// seccomp by operation and prctl(PR_SET_SECCOMP): filter flags, the actions asked about,
/// notification sizes, filter programs (addresses without `-v`, every instruction class,
/// unknown code bits, jumps, return actions with data with it), NULL, unreadable and empty
/// programs, unknown operations and modes (tests/workloads/seccomp.c), in the three `-X`
/// styles.
#[test]
fn root_seccomp_as_strace() {
    require_root();
    for options in [
        &[][..],
        &["-v"],
        &["-v", "-X", "raw"],
        &["-v", "-X", "verbose"],
    ] {
        same_as_strace_with(options, "seccomp", "seccomp,prctl");
    }
}

/// The landlock calls: ruleset attrs below, at and past strace 6.1's struct, the version
/// query, path-beneath rules, rule types newer than strace 6.1, NULL and unreadable attrs,
/// restrict_self (tests/workloads/landlock_calls.c), in two `-X` styles and with `-yy` (new
/// rulesets named `anon_inode:[landlock-ruleset]`, the version query's number left bare).
#[test]
fn root_landlock_as_strace() {
    require_root();
    let calls = "landlock_create_ruleset,landlock_add_rule,landlock_restrict_self";
    for options in [&[][..], &["-X", "verbose"], &["-yy"]] {
        same_as_strace_with(options, "landlock_calls", calls);
    }
}

/// timerfd_* (one TFD_* table for both calls, as strace 6.1), inotify_* (IN_NONBLOCK before
/// IN_CLOEXEC), signalfd4 (the mask's address for a size other than 8) and eventfd2, with
/// valid, invalid, NULL and unreadable arguments (tests/workloads/fdnotify.c), in the three
/// `-X` styles and with `-yy`.
#[test]
fn root_fd_notification_calls_as_strace() {
    require_root();
    let calls = "timerfd_create,timerfd_settime,timerfd_gettime,inotify_init1,inotify_add_watch,\
                 inotify_rm_watch,signalfd4,eventfd2";
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-yy"]] {
        same_as_strace_with(options, "fdnotify", calls);
    }
}

/// fanotify_init (class and flags as two numbers with `-X raw`, an unknown class as one,
/// event files' O_* flags) and fanotify_mark (FAN_MARK_*, the 64-bit FAN_* mask, AT_FDCWD and
/// FAN_NOFD, the path) with valid, invalid, NULL and unreadable arguments
/// (tests/workloads/fanotify.c), in the three `-X` styles and with `-yy`.
#[test]
fn root_fanotify_as_strace() {
    require_root();
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-yy"]] {
        same_as_strace_with(options, "fanotify", "fanotify_init,fanotify_mark");
    }
}

/// io_uring_setup's params (what the caller set at entry, what the kernel wrote once it
/// succeeded: entries, features, ring offsets; `wq_fd` with ATTACH_WQ, `resv` when set),
/// io_uring_enter's flags and sigset (its address unless the size is 8), io_uring_register's
/// opcodes (strace 6.1's names, newer ones as `0x28 /* IORING_REGISTER_??? */`) and fd arrays
/// cut at `-s` (tests/workloads/io_uring.c), in the three `-X` styles, with `-yy` and `-s 64`.
#[test]
fn root_io_uring_as_strace() {
    require_root();
    let calls = "io_uring_setup,io_uring_enter,io_uring_register";
    for options in [
        &[][..],
        &["-X", "raw"],
        &["-X", "verbose"],
        &["-yy"],
        &["-s", "64"],
    ] {
        same_as_strace_with(options, "io_uring", calls);
    }
}

/// quotactl by command: QCMD names (the number with -X raw), the arguments each command takes,
/// the structs it reads (tests/workloads/quota.c), in the three `-X` styles.
#[test]
fn root_quotactl_as_strace() {
    require_root();
    same_as_strace("quota", "quotactl");
    same_as_strace_with(&["-X", "raw"], "quota", "quotactl");
    same_as_strace_with(&["-X", "verbose"], "quota", "quotactl");
}

/// Terminal ioctls on a pty and on no terminal: struct termios, termios2 and termio as their
/// flag words (strace's trailing `|` and empty words included), modem lines, int arguments
/// (tests/workloads/termios.c), in the three `-X` styles.
#[test]
fn root_terminal_ioctls_as_strace() {
    require_root();
    same_as_strace("termios", "ioctl");
    same_as_strace_with(&["-X", "raw"], "termios", "ioctl");
    same_as_strace_with(&["-X", "verbose"], "termios", "ioctl");
}

/// socket()'s protocol as strace's net.c names it per family (`htons(ETH_P_ALL)`,
/// `BTPROTO_RFCOMM`, `0xcc /* AX25_P_IP */`), socketpair's as a number, and with `-yy` the
/// sockets strace cannot describe: `socket:[N]` (packet), `RAW:[N]` (tests/workloads/
/// sockproto.c), in the three `-X` styles.
#[test]
fn root_socket_protocols_as_strace() {
    require_root();
    let calls = "socket,socketpair,getsockopt,close";
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"]] {
        same_as_strace_with(options, "sockproto", calls);
    }
    let inodes = Regex::new(r"(:\[|->)\d+").expect("regex");
    let mask = |t: &str| inodes.replace_all(t, "${1}INODE").into_owned();
    masked_as_strace(&["-yy"], "sockproto", calls, mask, false);
}

/// The network programs with `-X raw` and `-X verbose`: addresses and ports as their bytes,
/// unknown values as bare numbers, interface indexes as numbers.
#[test]
fn root_network_decoders_with_const_styles_as_strace() {
    require_root();
    for style in ["raw", "verbose"] {
        same_as_strace_with(&["-X", style], "sockopt", "setsockopt,getsockopt");
        same_as_strace_with(
            &["-X", style],
            "sockaddr",
            "connect,bind,sendto,recvfrom,getsockname,getpeername,accept4",
        );
        same_as_strace_with(&["-X", style], "cmsg", "sendmsg,recvmsg");
    }
}

/// strace's i386 names (`chown32`, `fstat64`, `_newselect`, `getuid32`) are accepted in
/// `-e trace=` and match nothing: scripts written for strace run unchanged.
#[test]
fn root_i386_syscall_names_accepted_as_strace() {
    require_root();
    same_as_strace("ioctl", "chown32,fstat64,_newselect,getuid32,ioctl");
}

#[test]
fn root_numbers_as_strace_prints_them() {
    require_root();
    same_as_strace(
        "numbers",
        "close,dup,dup2,lseek,read,write,pread64,fchmod,chmod,mkdir,openat,fchown,umask,kill,\
         tkill,getpgid,getsid,fsync,ftruncate,truncate,fadvise64,listen,sched_get_priority_max,\
         sched_get_priority_min,unshare,pidfd_send_signal,pidfd_getfd,epoll_create1,wait4,\
         getrlimit,timer_create,timer_settime,timer_delete,clock_settime,mlock2,sync_file_range,\
         tee,mknod,mknodat,sched_getscheduler,copy_file_range",
    );
}

/// The process/fs/IPC long tail: numbers no syscall has (shown whatever `-e trace=` says),
/// fds returned by pidfd_open/openat2/eventfd2 named under `-y`, pidfd_open's flags, openat2's
/// struct open_how, pipe2's flags in strace's order, prctl's options with their arguments,
/// getrusage, waitid, SysV shared memory, message queues and semaphores, capget/capset.
#[test]
fn root_long_tail_as_strace() {
    require_root();
    let calls = "pidfd_open,pidfd_send_signal,openat2,eventfd2,close,shmget,shmat,shmdt,shmctl,\
                 msgget,msgctl,semget,semctl,pipe2,prctl,getrusage,waitid,capget,capset";
    same_as_strace("longtail", calls);
    same_as_strace_with(&["-y"], "longtail", calls);
    same_as_strace_with(&["-yy"], "longtail", calls);
    // Only the numbers no syscall has, however narrow the set; with -n, their numbers.
    same_as_strace("longtail", "getrusage,waitid,pipe2");
    same_as_strace_with(&["-n"], "longtail", "getrusage,waitid,pipe2");
    // prctl's names cut at -s.
    same_as_strace_with(&["-s", "5"], "longtail", "prctl");
}

/// prctl as strace 6.1's prctl.c prints each option (tests/workloads/prctl.c): its argument
/// count and forms (`[PR_TSC_ENABLE]`, `PR_CAP_AMBIENT_IS_SET, CAP_NET_ADMIN, 0, 0`,
/// `PR_SET_VMA_ANON_NAME, 0x1000, 4096, "t9"`), the results it names (`= 0x3
/// (PR_SPEC_PRCTL|PR_SPEC_ENABLE)`, `= 2 (PR_MCE_KILL_DEFAULT)`), unknown values marked; in
/// each -X style.
#[test]
fn root_prctl_as_strace() {
    require_root();
    same_as_strace("prctl", "prctl");
    same_as_strace_with(&["-X", "raw"], "prctl", "prctl");
    same_as_strace_with(&["-X", "verbose"], "prctl", "prctl");
}

/// Children's pids, which differ between two runs.
static CHILD_PIDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(si_pid=|waitid\((?:P_PID|0x1), )\d+").expect("regex"));

/// Process calls as strace 6.1 prints them (tests/workloads/proc.c): waitid's siginfo
/// (`{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_uid=0, si_status=3, si_utime=0,
/// si_stime=0}`, `{}` when no child was ready, the address when it failed).
#[test]
fn root_process_details_as_strace() {
    require_root();
    let mask = |t: &str| CHILD_PIDS.replace_all(t, "${1}PID").into_owned();
    masked_as_strace(&[], "proc", "waitid", mask, false);
    masked_as_strace(&["-X", "raw"], "proc", "waitid", mask, false);
}

/// fcntl as strace 6.1's fcntl.c prints each command (tests/workloads/fcntl.c): `f_owner_ex`,
/// `DN_*` flags, signals set and returned, leases returned by name, unknown lock types and
/// whences, strace's names and hex for the other commands; in each -X style.
#[test]
fn root_fcntl_as_strace() {
    require_root();
    same_as_strace("fcntl", "fcntl");
    same_as_strace_with(&["-X", "raw"], "fcntl", "fcntl");
    same_as_strace_with(&["-X", "verbose"], "fcntl", "fcntl");
}

/// The process's own pid (from its first `tgkill(PID, ...`), its alternate stack's address
/// (in .bss, ASLR) and the padding before ` = ` their width moves.
fn own_pid_and_stack(text: &str) -> String {
    static PID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"tgkill\((\d+),").expect("regex"));
    static MASKS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [(r"ss_sp=0x[0-9a-f]+", "ss_sp=ADDR"), (r"\) +=", ") =")]
            .into_iter()
            .map(|(re, to)| (Regex::new(re).expect("regex"), to))
            .collect()
    });
    let text = match PID.captures(text) {
        Some(c) => Regex::new(&format!(r"\b{}\b", &c[1]))
            .expect("regex")
            .replace_all(text, "PID")
            .into_owned(),
        None => text.to_string(),
    };
    MASKS.iter().fold(text, |text, (re, to)| {
        re.replace_all(&text, *to).into_owned()
    })
}

/// Signal calls as strace 6.1 prints them (tests/workloads/sigcalls.c): rt_sigtimedwait's set,
/// siginfo (an address unless it succeeded), timeout and `= 10 (SIGUSR1)`; rt_sigqueueinfo's
/// and rt_tgsigqueueinfo's signal and siginfo (`si_code=0xffffffff` with -X raw); sigsets of a
/// size other than 8 as addresses; sigaltstack's `SS_AUTODISARM`; in each -X style.
#[test]
fn root_signal_calls_as_strace() {
    require_root();
    let calls = "rt_sigtimedwait,rt_sigqueueinfo,rt_tgsigqueueinfo,rt_sigprocmask,rt_sigpending,\
                 rt_sigsuspend,rt_sigaction,sigaltstack,tgkill";
    for style in [&[][..], &["-X", "raw"], &["-X", "verbose"]] {
        masked_as_strace(style, "sigcalls", calls, own_pid_and_stack, false);
    }
}

/// The clock's time in a `struct timex` (it moves between two runs).
static TIMEX_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"time=\{tv_sec=\d+, tv_usec=\d+\}").expect("regex"));

/// adjtimex, clock_adjtime and aio as strace 6.1 prints them (tests/workloads/timex_aio.c):
/// the `struct timex` the kernel wrote back (`ADJ_*` modes, `STA_*` status),
/// `= 5 (TIME_ERROR)`, a failed call's and an unreadable struct's address, clock ids by name
/// and `CLOCK_???`; io_setup's `[0x7f...]`, io_submit's iocbs (a write's buffer as a string,
/// `NULL` and unreadable entries, unknown opcodes), io_cancel's iocb header, the io_event
/// arrays and timeouts of io_getevents/io_pgetevents; in each -X style and at `-s 4`.
#[test]
fn root_timex_aio_as_strace() {
    require_root();
    let calls = "adjtimex,clock_adjtime,io_setup,io_destroy,io_submit,io_getevents,io_pgetevents,\
                 io_cancel";
    let mask = |text: &str| TIMEX_TIME.replace_all(text, "time={TIME}").into_owned();
    for style in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-s", "4"]] {
        masked_as_strace(style, "timex_aio", calls, mask, false);
    }
}

/// The splice family as strace 6.1 prints it (tests/workloads/splice.c): splice's and
/// copy_file_range's offsets as given (no `=>`, with either backend), sendfile's
/// `[0] => [4]` (ptrace printed `[0]`: the line's start is written as the call starts) and
/// unsigned offsets, tee, vmsplice; in each -X style.
#[test]
fn root_splice_family_as_strace() {
    require_root();
    let calls = "splice,tee,vmsplice,sendfile,copy_file_range";
    same_as_strace("splice", calls);
    same_as_strace_with(&["-X", "raw"], "splice", calls);
    same_as_strace_with(&["-X", "verbose"], "splice", calls);
}

/// The sweep's odd syscalls beyond its 0 and -1 arguments (tests/workloads/sweep_tail.c):
/// syslog's actions and console levels, personality's persona and the one it returns,
/// modify_ldt's clipped error, futex operations strace has no name for, ioprio_* values,
/// pkey_alloc's rights, mmap/remap_file_pages flags (MAP_FILE, unknown types, huge page sizes,
/// high bits), statx's sync types, mount's MS_MGC_VAL and ignored type/data, open_tree's order;
/// in each -X style.
#[test]
fn root_sweep_tail_as_strace() {
    require_root();
    let calls = "syslog,personality,modify_ldt,futex,ioprio_get,ioprio_set,pkey_alloc,mmap,\
                 remap_file_pages,statx,mount,open_tree";
    same_as_strace("sweep_tail", calls);
    same_as_strace_with(&["-X", "verbose"], "sweep_tail", calls);
    same_as_strace_with(&["-X", "raw"], "sweep_tail", calls);
}

/// What differs between two runs of tests/workloads/proc_sched.c: its pid (in its file's name,
/// process_vm_*'s first argument) and its child's (wait4's), and what set_tid_address and
/// wait4 return (a tid, the child's pid).
static PROC_SCHED_PIDS: LazyLock<[Regex; 2]> = LazyLock::new(|| {
    [
        Regex::new(r"(?m)^((?:set_tid_address|wait4)\(.*\)) += \d+$").expect("regex"),
        Regex::new(r"proc_sched\.\d+|(process_vm_\w+|wait4)\(\d+").expect("regex"),
    ]
});

/// Process, scheduler, memory and file calls (tests/workloads/proc_sched.c): utimes/futimesat's
/// dated timevals, utime's utimbuf, name_to_handle_at's file_handle, getcpu, struct sched_attr (sizes, flags that keep the
/// policy and parameters, E2BIG's size written back), sched_*param's `[N]`,
/// sched_rr_get_interval, arch_prctl's getters and codes, set_tid_address, mincore's vector,
/// memory policy node masks, process_vm_readv/writev's local and remote iovecs, a ptracer's
/// wait4 statuses (`SIGTRAP | 0x80`, `|PTRACE_EVENT_EXEC<<16`); also at `-s 4`
/// (vectors cut) and in -X verbose.
#[test]
fn root_proc_sched_mem_as_strace() {
    require_root();
    let calls = "utimes,futimesat,utime,name_to_handle_at,getcpu,sched_getattr,sched_setattr,sched_getparam,\
                 sched_setparam,sched_setscheduler,sched_rr_get_interval,arch_prctl,\
                 set_tid_address,mincore,get_mempolicy,set_mempolicy,mbind,process_vm_readv,\
                 process_vm_writev,wait4";
    let mask = |text: &str| {
        let [returns, pids] = &*PROC_SCHED_PIDS;
        let text = returns.replace_all(text, "$1 = ID");
        pids.replace_all(&text, |c: &regex::Captures<'_>| match c.get(1) {
            Some(call) => format!("{}(PID", call.as_str()),
            None => "proc_sched.PID".to_string(),
        })
        .into_owned()
    };
    // Signals left out: when the child's SIGCHLD shows against the parent's wait4 is a race.
    let quiet = ["-e", "signal=none"];
    for extra in [&[][..], &["-s", "4"], &["-X", "verbose"]] {
        let options: Vec<&str> = quiet.iter().chain(extra).copied().collect();
        masked_as_strace(&options, "proc_sched", calls, mask, false);
    }
}

/// With -y, an fd that is not open is a number: a launched command's snapshot of fds (taken
/// while it is held before its exec) leaves out tracer's own close-on-exec fds.
#[test]
fn root_fds_not_open_are_not_described() {
    require_root();
    same_as_strace_with(&["-yy"], "numbers", "close");
    same_as_strace_with(&["-yy"], "ioctl", "ioctl");
}

/// NULL buffers print as NULL whatever length the call returned (they came out as `""`), and
/// preadv/pwritev show their vectors and one offset, as strace prints them.
#[test]
fn root_null_buffers_and_positioned_vectors_as_strace() {
    require_root();
    same_as_strace(
        "nullbufs",
        "read,write,readv,writev,preadv,pwritev,recvfrom,recvmsg,sendmsg,sendto",
    );
}

/// Vectors at `-s 4096` and `-s 4097` (common values): each buffer as strace prints it (eBPF
/// kept a slot of the size masked to 12 bits: `""...` at 4096, one byte at 4097).
#[test]
fn root_vectors_at_s_4096_as_strace() {
    require_root();
    for s in ["4096", "4097"] {
        same_as_strace_with(&["-s", s], "cmsg", "sendmsg,recvmsg,sendmmsg,recvmmsg");
    }
}

/// select and pselect6 with fds past FD_SETSIZE (the sets were read as 1024 bits: `[]` and
/// `= 1` with no `in [...]` for fd 1500).
#[test]
fn root_select_sets_past_fd_setsize_as_strace() {
    require_root();
    same_as_strace("bigselect", "select,pselect6");
}

/// poll's result stops at -s entries with `...` (it ran on, unmarked), and an entry with a
/// negative fd is `{fd=-1}` as strace prints it.
#[test]
fn root_poll_results_and_ignored_entries_as_strace() {
    require_root();
    same_as_strace("bigpoll", "poll,ppoll");
}

/// Socket inodes, pty numbers and pids (each run's own), and the padding before ` = ` their
/// width moves.
fn run_ids(text: &str) -> String {
    static IDS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"(UNIX-STREAM|UDP|socket):\[[0-9>-]+\]", "$1:[INODE]"),
            (r"/dev/pts/\d+", "/dev/pts/N"),
            (r"char 136:\d+", "char 136:N"),
            (r"pid:\d+", "pid:N"),
            (r"\) +=", ") ="),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
        .collect()
    });
    IDS.iter().fold(text.to_string(), |text, (re, to)| {
        re.replace_all(&text, *to).into_owned()
    })
}

/// Fds a call hands over without returning one: the pty peer of `ioctl(TIOCGPTPEER)` (a bare
/// `= 4` in strace, named from then on), `SIOCGSKNS`, `NS_GET_USERNS`/`NS_GET_PARENT`
/// (returned as fds), those received in `SCM_RIGHTS` by recvmsg/recvmmsg (named in the
/// receiving call's own `cmsg_data`), pidfd_getfd's and F_DUPFD's
/// (tests/workloads/handed_fds.c), under -y and -yy.
#[test]
fn root_handed_fds_named_as_strace() {
    require_root();
    let calls = "ioctl,sendmsg,recvmsg,recvmmsg,pidfd_getfd,fcntl,close";
    masked_as_strace(&[], "handed_fds", calls, run_ids, false);
    masked_as_strace(&["-y"], "handed_fds", calls, run_ids, true);
    masked_as_strace(&["-yy"], "handed_fds", calls, run_ids, true);
}

/// A handed fd whose number the process closed and reused before /proc was read (eBPF reads
/// it late) is bare, never named after the later file; ptrace names it as strace
/// (tests/workloads/handed_reuse.c).
#[test]
fn root_handed_fds_whose_number_was_reused_are_never_misnamed() {
    require_root();
    let calls = "recvmsg,write,pidfd_getfd,ioctl,fcntl,close";
    masked_as_strace(&["-y"], "handed_reuse", calls, run_ids, true);
}

/// Key serials (each run's own), with the padding before ` = ` their width moves. A serial
/// is any value a call of the program returned that is not a small count (`-X raw` prints
/// the command by number, so a line's call is not matched by name); serials are random in
/// 3..2^31, so a digit-count rule missed the short ones now and then.
fn key_serials(text: &str) -> String {
    static RETURNED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^(add_key|request_key|keyctl)\(.*\) += (\d+)$").expect("regex")
    });
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d+\b").expect("regex"));
    let serials: std::collections::HashSet<&str> = RETURNED
        .captures_iter(text)
        .map(|c| c.get(2).map_or("", |m| m.as_str()))
        .filter(|n| n.parse::<u64>().is_ok_and(|n| n > 4096))
        .collect();
    let masked = NUMBER.replace_all(text, |c: &regex::Captures<'_>| {
        if serials.contains(&c[0]) {
            "SERIAL".to_string()
        } else {
            c[0].to_string()
        }
    });
    run_ids(&masked)
}

/// add_key, request_key and every keyctl command with the arguments it takes, valid, invalid
/// and NULL (tests/workloads/keyctl.c), in the three `-X` styles and cut at `-s 4`.
#[test]
fn root_keyctl_as_strace() {
    require_root();
    let calls = "keyctl,add_key,request_key";
    masked_as_strace(&[], "keyctl", calls, key_serials, false);
    for options in [&["-X", "raw"][..], &["-X", "verbose"], &["-s", "4"]] {
        masked_as_strace(options, "keyctl", calls, key_serials, false);
    }
}

/// IPC ids, times and pids (each run's own), with the padding before ` = ` they move.
fn ipc_ids(text: &str) -> String {
    static IDS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"(?m)^(msgsnd|msgrcv|semop|semtimedop)\(\d+", "$1(ID"),
            (r"_([acdsro])time=\d+", "_${1}time=T"),
            (r"(shm_cpid|shm_lpid|msg_lspid|msg_lrpid)=\d+", "$1=PID"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
        .collect()
    });
    let text = IDS.iter().fold(text.to_string(), |text, (re, to)| {
        re.replace_all(&text, *to).into_owned()
    });
    run_ids(&text)
}

/// System V IPC's structs (shmid_ds, msqid_ds, semid_ds for IPC_STAT and IPC_SET), msgsnd
/// and msgrcv's message, semop/semtimedop's operations, with bad ids, NULL and unreadable
/// buffers (tests/workloads/sysv_ipc.c), plain, cut at `-s 4` and in the `-X` styles.
#[test]
fn root_sysv_ipc_structs_as_strace() {
    require_root();
    let calls = "shmctl,msgctl,semctl,msgsnd,msgrcv,semop,semtimedop";
    for options in [&[][..], &["-s", "4"], &["-X", "raw"], &["-X", "verbose"]] {
        masked_as_strace(options, "sysv_ipc", calls, ipc_ids, false);
    }
}

/// POSIX message queues: mq_open with and without O_CREAT and its attr, messages sent and
/// received (cut at `-s`, dumped by `-e write=`/`-e read=` as strace's dumpio), priorities,
/// timeouts, every sigevent kind of mq_notify, mq_getsetattr, mq_unlink, with bad fds, NULL
/// and unreadable pointers (tests/workloads/mq.c); `-yy` names the queues' fds.
#[test]
fn root_mq_as_strace() {
    require_root();
    let calls = "/mq_";
    for options in [
        &[][..],
        &["-s", "4"],
        &["-X", "raw"],
        &["-X", "verbose"],
        &["-yy"],
        &["-e", "write=3", "-e", "read=3"],
    ] {
        same_as_strace_with(options, "mq", calls);
    }
}
