//! Decoders checked against real strace 6.1 with odd and invalid arguments, in the style of
//! strace's own tests (session 14, issue 19): strace and tracer (both backends) must print
//! the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// tests/workloads/t14_decoders.c: timespec and timeval fields out of range in every call
/// that takes one (`tv_nsec=18446744073709551615`: strace zero-extends them),
/// FUTEX_WAKE_OP's operation (`0x1<<28 /* FUTEX_OP_??? */` with `-X raw`, `0x1 /*
/// FUTEX_OP_ADD */<<28` with `-X verbose`), memfd_create's unknown bits (`0x18 /* 0x18 /*
/// MFD_??? */ */` with `-X verbose`), memfd_secret's (`0xff`, no comment), mknod's and
/// ustat's device (`0x103` with `-X raw`), quotactl_fd's arguments by command,
/// SIOCGIFHWADDR's `sa_data` (a string with `-X raw`), SIOCGIFCONF without a buffer or failed
/// (`{ifc_len=80 /* 2 * sizeof(struct ifreq) */, ifc_buf=NULL}`), pidfd_getfd's target fd
/// (bare with `-y` unless the first fd is a pidfd), siginfo's unknown `si_code=0x64` and a
/// SIGSYS of an unknown arch (`si_syscall=0, si_arch=0 /* AUDIT_ARCH_??? */`), a failed
/// sendmmsg's `[]`, recvmmsg's `= 0 (Timeout)`, sock_diag's netlink and packet requests,
/// `IFA_F_SECONDARY`; in the three `-X` styles and with `-y`.
#[test]
fn root_t14_decoders_as_strace() {
    require_root();
    let calls = "nanosleep,clock_nanosleep,clock_settime,timerfd_settime,setitimer,settimeofday,\
                 select,ppoll,futex,rt_sigtimedwait,utimensat,utimes,pselect6,semtimedop,\
                 mq_timedsend,recvmmsg,memfd_create,memfd_secret,ustat,mknodat,mknod,\
                 quotactl_fd,ioctl,pidfd_getfd,rt_sigqueueinfo,sendmmsg,sendto";
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"]] {
        same_as_strace_with(options, "t14_decoders", calls);
    }
    // eBPF names pidfd_getfd's new fd from /proc after the short program has exited (bare
    // then); every name it prints must be strace's.
    let inodes = regex::Regex::new(r"socket:\[\d+\]").expect("regex");
    let mask = |text: &str| inodes.replace_all(text, "socket:[INODE]").into_owned();
    masked_as_strace(&["-y"], "t14_decoders", calls, mask, true);
}
