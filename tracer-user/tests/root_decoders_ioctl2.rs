//! Device ioctls whose argument is a struct or a number behind a pointer, against real strace
//! 6.1 (tests/workloads/ioctl_devreq.c): mtd, ubi, lirc, ptp, tee, seccomp notification, gpio,
//! counter and BLKPG requests with zeroed, filled, NULL and unreadable arguments, on fd -1 and
//! /dev/null; strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// Every request in the three `-X` styles, with `-v` and with `-s 4` (arrays cut at 4
/// entries, fixed-size names not cut).
#[test]
fn root_device_struct_ioctls_as_strace() {
    require_root();
    for options in [&[][..], &["-Xraw"], &["-Xverbose"], &["-v"], &["-s", "4"]] {
        same_as_strace_with(options, "ioctl_devreq", "ioctl");
    }
}
