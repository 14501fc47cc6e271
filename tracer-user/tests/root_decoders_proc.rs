//! The process and system long tail against real strace 6.1 (tests/workloads/proc_tail.c):
//! clone3, ptrace, pidfd_send_signal, reboot, the module calls, ioperm/iopl, the uid/gid
//! calls, sethostname/setdomainname, sched_[gs]etaffinity, System V's *_INFO commands,
//! keyctl's capabilities and futex_waitv; strace and tracer (both backends) must print the
//! same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::sync::LazyLock;

use common::*;
use decoders::*;
use regex::Regex;

/// What IPC_INFO returns: the highest index in use, which other programs move.
static INFO_RETURNS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^((?:shm|msg|sem)ctl\(.*IPC_INFO.*\)) += \d+$").expect("regex")
});

/// clone3's flags (`CLONE_CLEAR_SIGHAND`, `CLONE_INTO_CGROUP`), exit signal (unsigned past
/// INT_MAX) and cgroup; ptrace's arguments per request (signed pid, addresses, signals,
/// `PTRACE_O_*`); pidfd_send_signal's signal and siginfo; reboot's magic numbers, commands
/// and RESTART2 string; the module calls' arguments and flags; ioperm's hex; uid/gid values
/// as strace's printuid; host and domain names; CPU sets; the IPC_INFO structs; keyctl's
/// capability bytes; futex_waitv's waiters.
#[test]
fn root_process_and_system_long_tail_as_strace() {
    require_root();
    let calls = "clone3,ptrace,pidfd_send_signal,reboot,init_module,finit_module,delete_module,\
                 ioperm,iopl,getgroups,setgroups,setuid,setreuid,setresuid,setfsuid,setgid,\
                 setregid,setresgid,setfsgid,sethostname,setdomainname,sched_setaffinity,\
                 sched_getaffinity,shmctl,msgctl,semctl,keyctl,futex_waitv";
    let mask = |text: &str| INFO_RETURNS.replace_all(text, "$1 = INDEX").into_owned();
    masked_as_strace(&[], "proc_tail", calls, mask, false);
}
