//! tracer's own signals under the ptrace backend: SIGINT and SIGTERM ask it to detach (a
//! second one, well after, to exit at once), SIGHUP to reopen its output, and a 100 ms SIGALRM
//! tick interrupts its waits so that a request is seen while no tracee stops.

use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};

/// The signal that asked tracer to stop (0: none yet).
static STOP: AtomicI32 = AtomicI32::new(0);

/// When the first stop signal came, in CLOCK_MONOTONIC milliseconds (0: none yet).
static STOP_AT_MS: AtomicI64 = AtomicI64::new(0);

/// CLOCK_MONOTONIC in milliseconds, at least 1 (clock_gettime is async-signal-safe).
fn monotonic_ms() -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000).max(1)
}

extern "C" fn on_stop(sig: libc::c_int) {
    let now = monotonic_ms();
    let first = STOP_AT_MS.load(Ordering::SeqCst);
    if first == 0 {
        STOP_AT_MS.store(now, Ordering::SeqCst);
        let _ = STOP.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
        return;
    }
    // A second signal, well after the first: stop at once. The same request sent twice at
    // once (as `timeout` sends it, to the command and then its process group) is one.
    let gap = i64::try_from(crate::source::SECOND_SIGNAL_GAP.as_millis()).unwrap_or(i64::MAX);
    if now - first >= gap {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(128 + sig) };
    }
}

extern "C" fn on_tick(_: libc::c_int) {}

/// SIGHUP came: reopen the output (logrotate).
static REOPEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_hangup(_: libc::c_int) {
    REOPEN.store(true, Ordering::SeqCst);
}

/// Whether a SIGHUP came since the last call.
pub(super) fn take_reopen() -> bool {
    REOPEN.swap(false, Ordering::SeqCst)
}

/// SIGINT and SIGTERM ask tracer to detach, SIGHUP to reopen its output; a 100 ms SIGALRM tick interrupts the wait so the
/// request is seen even while no tracee stops.
pub fn install_stop_handlers() {
    // SAFETY: installing handlers that only touch an atomic (or exit), without SA_RESTART so
    // that waitpid returns EINTR; then arming an interval timer.
    unsafe {
        for (sig, handler) in [
            (libc::SIGINT, on_stop as extern "C" fn(libc::c_int)),
            (libc::SIGTERM, on_stop),
            (libc::SIGALRM, on_tick),
            (libc::SIGHUP, on_hangup),
        ] {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handler as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
        let tick = libc::timeval {
            tv_sec: 0,
            tv_usec: 100_000,
        };
        let timer = libc::itimerval {
            it_interval: tick,
            it_value: tick,
        };
        libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut());
    }
}

/// See `Os::wait_child`. The 100 ms tick interrupts each wait (EINTR), so a stop request is
/// seen while the child runs on.
pub(super) fn wait_child(pid: u32) -> Option<i32> {
    let mut passed_on: Option<std::time::Instant> = None;
    loop {
        let mut status = 0;
        // SAFETY: waiting for our own child, into a local.
        let rc = unsafe { libc::waitpid(pid as i32, &mut status, 0) };
        if rc == pid as i32 {
            return Some(status);
        }
        if rc < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return None;
        }
        match (stop_requested(), passed_on) {
            (Some(sig), None) => {
                // SAFETY: a signal to our own child.
                unsafe { libc::kill(pid as i32, sig) };
                passed_on = Some(std::time::Instant::now());
            }
            (_, Some(at)) if at.elapsed() >= crate::source::CHILD_GRACE => return None,
            _ => {}
        }
    }
}

/// The signal that asked tracer to stop, if one came.
pub(super) fn stop_requested() -> Option<i32> {
    let sig = STOP.load(Ordering::SeqCst);
    (sig != 0).then_some(sig)
}
