//! Decoders a tester (t11) found missing, against real strace 6.1: io_uring_register's
//! arguments by opcode, process_madvise, mount_setattr, openat2, statx, epoll_pwait2, kcmp,
//! sendfile, fsconfig, madvise, quotactl; strace and tracer (both backends) must print the
//! same lines.

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

/// The rest of t11's decoder items (tests/workloads/t11_decoders.c): process_madvise's
/// iovecs, mount_setattr's `MOUNT_ATTR_IDMAP`/`MOUNT_ATTR_NOSYMFOLLOW|0x8000000`, `userns_fd`
/// (an fd only with IDMAP) and the non-zero bytes past the struct (openat2's too), statx of a
/// device abbreviated (`stx_size`), a failed epoll_pwait2/epoll_pwait's timeout and sigmask
/// as addresses, sendfile's `[0] => [0]`, fsconfig's `FSCONFIG_SET_PATH` value never cut by
/// `-s`, `0x67 /* MADV_??? */` (newer than strace 6.1), quotactl's dqblk whole with `-v`;
/// in the three `-X` styles, with `-y`, `-s 2` and `-v`. kcmp(KCMP_EPOLL_TFD)'s slot without
/// `-y` (strace names its fds in the pid's table: pid 0 has none).
#[test]
fn root_t11_decoders_as_strace() {
    require_root();
    let calls = "process_madvise,mount_setattr,openat2,statx,epoll_pwait2,epoll_pwait,sendfile,\
                 fsconfig,madvise,quotactl";
    same_as_strace_with(&["-y"], "t11_decoders", calls);
    let calls = format!("{calls},kcmp");
    for options in [
        &[][..],
        &["-X", "raw"],
        &["-X", "verbose"],
        &["-s", "2"],
        &["-v"],
    ] {
        same_as_strace_with(options, "t11_decoders", &calls);
    }
}
