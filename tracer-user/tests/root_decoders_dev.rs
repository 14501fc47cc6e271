//! Device ioctls against real strace 6.1 (tests/workloads/dev_ioctl.c): the requests strace
//! names by a macro of their size or number (`HIDIOCGFEATURE(8)`, `JSIOCGNAME(32)`,
//! `MIXER_READ(1) or MEMGETINFO`), the SCSI generic and seccomp notification names and the
//! SG requests' int arguments, perf, nbd and kvm requests' arguments; strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// Every ioctl of the program, on fd -1 and on /dev/null, and on a perf event and /dev/kvm.
#[test]
fn root_device_ioctls_as_strace() {
    require_root();
    same_as_strace("dev_ioctl", "ioctl");
}
