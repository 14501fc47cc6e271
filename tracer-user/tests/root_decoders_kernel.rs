//! Kernel object decoders against real strace 6.1: bpf, perf_event_open, seccomp, landlock,
//! keys, System V IPC, POSIX message queues, the mount API, POSIX timers, xattr lists and
//! quotactl (tests/workloads/bpf.c, perf_event.c, seccomp.c, landlock_calls.c, keyctl.c,
//! sysv_ipc.c, mq.c, mount_api.c, timers_xattr.c, quota.c); strace and tracer (both backends)
//! must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::sync::LazyLock;

use common::*;
use decoders::*;
use regex::Regex;

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
    let text = replaced(text, &IDS);
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

/// quotactl by command: QCMD names (the number with -X raw), the arguments each command takes,
/// the structs it reads (tests/workloads/quota.c), in the three `-X` styles.
#[test]
fn root_quotactl_as_strace() {
    require_root();
    same_as_strace("quota", "quotactl");
    same_as_strace_with(&["-X", "raw"], "quota", "quotactl");
    same_as_strace_with(&["-X", "verbose"], "quota", "quotactl");
}
