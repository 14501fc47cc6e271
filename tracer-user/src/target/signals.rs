//! Ctrl-C, SIGTERM and SIGHUP from tracer's first instruction on: they are blocked (held
//! pending by the kernel) until a backend has its handlers, then let in, so one sent while
//! tracer loads its programs or attaches is acted on, not lost and not fatal. One inherited
//! ignored (a background job of a non-interactive shell) is taken over as strace does: tracer
//! must still detach on request. A launched command gets the mask and dispositions tracer was
//! started with, as if the shell had started it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The signals tracer handles itself.
const HELD: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Which of `HELD` were blocked when tracer started (bit `i` for `HELD[i]`).
static WAS_BLOCKED: AtomicU64 = AtomicU64::new(0);
/// Which of `HELD` were ignored when tracer started (bit `i` for `HELD[i]`).
static WAS_IGNORED: AtomicU64 = AtomicU64::new(0);
/// `hold` ran (so `release` and `restore_for_exec` have something to undo).
static HOLDING: AtomicBool = AtomicBool::new(false);
/// -D: SIGINT and SIGTERM stay blocked for good (`release` lets only SIGHUP in).
static DAEMONIZED: AtomicBool = AtomicBool::new(false);

/// -D, in the tracer (the grandchild): as strace's daemonized tracer, it does not stop on
/// SIGINT or SIGTERM (a Ctrl-C to the command's group is the command's); they stay blocked.
pub fn keep_stop_signals_out() {
    DAEMONIZED.store(true, Ordering::SeqCst);
}

/// The set of `HELD` signals.
fn held_set() -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset initialise and fill a local set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in HELD {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

/// Blocks the `HELD` signals and turns an inherited SIG_IGN into SIG_DFL (still blocked, so
/// nothing is delivered). Call first in `main`, before any thread exists: threads inherit the
/// mask.
pub fn hold() {
    let set = held_set();
    let (mut blocked, mut ignored) = (0u64, 0u64);
    // SAFETY: sigprocmask and sigaction on our own process with valid local structures.
    unsafe {
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old);
        for (i, sig) in HELD.into_iter().enumerate() {
            if libc::sigismember(&old, sig) == 1 {
                blocked |= 1 << i;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut action);
            if action.sa_sigaction == libc::SIG_IGN {
                ignored |= 1 << i;
                // An ignored signal is discarded even while blocked.
                libc::signal(sig, libc::SIG_DFL);
            }
        }
    }
    WAS_BLOCKED.store(blocked, Ordering::SeqCst);
    WAS_IGNORED.store(ignored, Ordering::SeqCst);
    HOLDING.store(true, Ordering::SeqCst);
}

/// Lets the `HELD` signals in, in the calling thread: call once the handlers are installed.
/// A signal that came since `hold` is delivered now, to them.
pub fn release() {
    if !HOLDING.swap(false, Ordering::SeqCst) {
        return;
    }
    let set = match DAEMONIZED.load(Ordering::SeqCst) {
        // SAFETY: sigemptyset/sigaddset initialise and fill a local set.
        true => unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGHUP);
            set
        },
        false => held_set(),
    };
    // SAFETY: unblocking signals in our own thread.
    unsafe { libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) };
}

/// In a forked child about to exec the command: the mask and the ignored dispositions of
/// `HELD` as tracer inherited them. Async-signal-safe (only sigprocmask and signal).
pub fn restore_for_exec() {
    let (blocked, ignored) = (
        WAS_BLOCKED.load(Ordering::SeqCst),
        WAS_IGNORED.load(Ordering::SeqCst),
    );
    // SAFETY: sigprocmask and signal on the child itself, with a local set.
    unsafe {
        let mut unblock: libc::sigset_t = std::mem::zeroed();
        let mut block: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut unblock);
        libc::sigemptyset(&mut block);
        for (i, sig) in HELD.into_iter().enumerate() {
            if ignored & (1 << i) != 0 {
                libc::signal(sig, libc::SIG_IGN);
            }
            let set = if blocked & (1 << i) == 0 {
                &mut unblock
            } else {
                &mut block
            };
            libc::sigaddset(set, sig);
        }
        libc::sigprocmask(libc::SIG_UNBLOCK, &unblock, std::ptr::null_mut());
        libc::sigprocmask(libc::SIG_BLOCK, &block, std::ptr::null_mut());
    }
}
