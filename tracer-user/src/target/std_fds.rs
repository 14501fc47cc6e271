//! The standard fds (0, 1, 2) tracer was started without. Rust's runtime opens `/dev/null`
//! on each closed one before `main`, so that tracer's own files never land there; the
//! command tracer launches must not inherit those placeholders: under strace a program
//! started with `<&-` finds fd 0 closed, and its first `open` returns 0 (every later fd
//! number depends on it).

use std::sync::atomic::{AtomicU8, Ordering};

/// Bit `fd` set: fd 0, 1 or 2 was closed when the process started.
static CLOSED_AT_START: AtomicU8 = AtomicU8::new(0);

/// Notes the closed standard fds. Runs from `.init_array`, before the Rust runtime's
/// start-up fills them with `/dev/null`.
extern "C" fn note_closed_std_fds() {
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD only queries the fd.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            closed |= 1 << fd;
        }
    }
    CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STD_FDS: extern "C" fn() = note_closed_std_fds;

/// The standard fds that were closed at start (bit `fd`).
pub fn closed_at_start() -> u8 {
    CLOSED_AT_START.load(Ordering::Relaxed)
}

/// Closes again, in the command about to be exec'd, the standard fds tracer was started
/// without (async-signal-safe: an atomic load and `close`).
pub(super) fn close_placeholders() {
    let closed = closed_at_start();
    for fd in 0..3 {
        if closed & (1 << fd) != 0 {
            // SAFETY: closing an fd of the forked child, which only execs after this.
            unsafe { libc::close(fd) };
        }
    }
}
