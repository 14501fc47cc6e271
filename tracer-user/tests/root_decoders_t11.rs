//! Decoders a tester (t11) found missing, against real strace 6.1: io_uring_register's
//! arguments by opcode; strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// io_uring_register's argument by opcode (tests/workloads/t11_uring.c): the buffers'
/// iovecs, fd arrays, files updates (`IORING_REGISTER_FILES_SKIP`), the probe (what the kernel
/// wrote into a zeroed one, a non-zeroed one as given), restrictions of each kind and unknown
/// ones, the rsrc register/update structs with their data and tags arrays and non-zero tail,
/// the affinity mask, the max-workers counts `[...] => [...]` (an address after a failure),
/// ring fds; valid, invalid, NULL and unreadable; in the three `-X` styles and with `-y -s 4`.
#[test]
fn root_io_uring_register_arguments_as_strace() {
    require_root();
    for options in [
        &[][..],
        &["-X", "raw"],
        &["-X", "verbose"],
        &["-y", "-s", "4"],
    ] {
        same_as_strace_with(options, "t11_uring", "io_uring_register");
    }
}
