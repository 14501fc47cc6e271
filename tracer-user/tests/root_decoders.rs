//! Decoder families against real strace 6.1: each family's C program (tests/workloads/NAME.c,
//! also `cargo xtask fidelity` workloads) calls its syscalls with valid, invalid and NULL
//! arguments; strace and tracer (both backends) must print the same lines, with only stack
//! addresses (ASLR) and pipe inodes masked. This file: numbers, the process/IPC long tail,
//! prctl, process and signal calls, timex/aio, the sweep's odd calls, scheduler and memory
//! calls; the other families are in root_decoders_*.rs, their harness in support/decoders.rs.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::sync::LazyLock;

use common::*;
use decoders::*;
use regex::Regex;

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

/// A child's clock ticks, which a tick falling in its run makes 1 (` /* 0.01 s */`).
static CHILD_TICKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(si_utime=|si_stime=)\d+(?: /\* [0-9.]+ s \*/)?").expect("regex")
});

/// Process calls as strace 6.1 prints them (tests/workloads/proc.c): waitid's siginfo
/// (`{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_uid=0, si_status=3, si_utime=0,
/// si_stime=0}`, `{}` when no child was ready, the address when it failed).
#[test]
fn root_process_details_as_strace() {
    require_root();
    let mask = |t: &str| {
        let t = CHILD_PIDS.replace_all(t, "${1}PID");
        CHILD_TICKS.replace_all(&t, "${1}T").into_owned()
    };
    masked_as_strace(&[], "proc", "waitid", mask, false);
    masked_as_strace(&["-X", "raw"], "proc", "waitid", mask, false);
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
