//! Decoders checked against real strace 6.1 (session 15, issue 19: the broad corpus's misses
//! and session 14's leftovers): strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// tests/workloads/t15_decoders.c: getdents's `struct linux_dirent` records (`/* 4 entries
/// */`, `/* 0 entries */` at the end of the directory, `{d_ino=..., d_off=..., d_reclen=24,
/// d_name="bb", d_type=DT_REG}` with `-v`; was the bare address), shmget's huge page size
/// (`0x3fffe00|63<<26|0777` with `-X raw`, `63<<26 /* SHM_HUGE_SHIFT */` with `-X verbose`),
/// a SIGSYS siginfo's `si_arch=AUDIT_ARCH_AARCH64` (generated from linux/audit.h; was `0xc00000b7
/// /* AUDIT_ARCH_??? */`) and an i386 call's `si_syscall=1 /* exit */`, mount_setattr's 0 as
/// an fd with `-y` (`= 0</dev/null>`, strace 6.1's RVAL_FD); in the three `-X` styles, with
/// `-v` and with `-y`.
#[test]
fn root_t15_decoders_as_strace() {
    require_root();
    let calls = "getdents,getdents64,shmget,rt_sigqueueinfo,mount_setattr";
    for options in [
        &[][..],
        &["-X", "raw"],
        &["-X", "verbose"],
        &["-v"],
        &["-y"],
    ] {
        same_as_strace_with(options, "t15_decoders", calls);
    }
}
