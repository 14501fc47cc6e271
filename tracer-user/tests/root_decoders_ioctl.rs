//! ioctl decoders against real strace 6.1: requests by name and number, device, struct and
//! terminal arguments (tests/workloads/ioctl*.c, termios.c), strace's i386 names in `-e trace=`
//! and fds that are not open under `-yy`; strace and tracer (both backends) must print the same
//! lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

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

/// strace's i386 names (`chown32`, `fstat64`, `_newselect`, `getuid32`) are accepted in
/// `-e trace=` and match nothing: scripts written for strace run unchanged.
#[test]
fn root_i386_syscall_names_accepted_as_strace() {
    require_root();
    same_as_strace("ioctl", "chown32,fstat64,_newselect,getuid32,ioctl");
}

/// With -y, an fd that is not open is a number: a launched command's snapshot of fds (taken
/// while it is held before its exec) leaves out tracer's own close-on-exec fds.
#[test]
fn root_fds_not_open_are_not_described() {
    require_root();
    same_as_strace_with(&["-yy"], "numbers", "close");
    same_as_strace_with(&["-yy"], "ioctl", "ioctl");
}
