//! The draining thread's scheduling priority (`--nice`).
//!
//! The kernel side never waits for tracer: when the ring buffer is full it drops records and
//! counts them. So tracer must get the CPU it needs when the machine is busy. The scheduler
//! shares a busy CPU by weight among the runnable tasks: with 64 busy PostgreSQL backends on two
//! cores, tracer's one draining thread at nice 0 gets about 2/66 of the machine, less than the
//! ~10% of a core it needs at their event rate, and the 8 MiB ring filled within seconds
//! (`cargo xtask bench --scaling-only`: 18 k-149 k events lost per 10 s round at nice 0, none at
//! nice -10, whose weight is 9548 against nice 0's 1024). As auditd's `priority_boost`, tracer
//! therefore raises its own priority while it drains; the traced processes keep theirs (the
//! launched command is forked before this runs and keeps the niceness tracer started with).

use std::io;

/// The niceness the draining thread takes without `--nice`: only ever a raise.
pub const DEFAULT_NICE: i32 = -10;

/// Sets the calling thread's niceness (Linux keeps one per thread; threads it starts later
/// inherit it): `asked` (`--nice N`, -20..19) exactly, or without it [`DEFAULT_NICE`] when that
/// is a raise. A refused `--nice` is warned about; a refused default is only logged (tracer may
/// hold CAP_BPF and CAP_PERFMON without CAP_SYS_NICE).
pub fn apply(asked: Option<i32>) {
    let target = match asked {
        Some(n) => n,
        None if current().is_some_and(|now| now > DEFAULT_NICE) => DEFAULT_NICE,
        None => return,
    };
    if let Err(err) = set(target) {
        match asked {
            Some(_) => log::warn!("cannot set tracer's niceness to {target}: {err}"),
            None => log::debug!("cannot raise tracer's priority to nice {target}: {err}"),
        }
    }
}

/// The calling thread's niceness, None if it cannot be read.
fn current() -> Option<i32> {
    // getpriority returns -1 for nice -1 as well as for an error: tell them apart by errno.
    // SAFETY: errno is thread-local; getpriority has no memory arguments.
    unsafe { *libc::__errno_location() = 0 };
    // SAFETY: as above. `who` 0 with PRIO_PROCESS is the calling thread on Linux.
    let n = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    (n != -1 || io::Error::last_os_error().raw_os_error() == Some(0)).then_some(n)
}

fn set(nice: i32) -> io::Result<()> {
    // SAFETY: no memory arguments; `who` 0 with PRIO_PROCESS is the calling thread on Linux.
    if unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread of its own, so the test runner's threads keep their niceness.
    fn in_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::spawn(f).join().expect("thread")
    }

    #[test]
    fn asked_niceness_is_set_on_the_calling_thread_only() {
        let before = current().expect("own niceness");
        // Lowering the priority needs no privilege.
        let (set, inherited) = in_thread(move || {
            apply(Some(before + 1));
            let child = std::thread::spawn(current).join().expect("child");
            (current(), child)
        });
        assert_eq!(set, Some(before + 1));
        assert_eq!(
            inherited,
            Some(before + 1),
            "threads started later inherit it"
        );
        assert_eq!(current(), Some(before), "other threads keep theirs");
    }

    #[test]
    fn the_default_never_lowers_the_priority() {
        let now = in_thread(|| {
            // Below the default already (or as low as it goes without privilege).
            let _ = set(19);
            apply(None);
            current()
        });
        // With CAP_SYS_NICE the default raised it to -10; without, it stayed at 19.
        assert!(now == Some(DEFAULT_NICE) || now == Some(19), "{now:?}");
        let kept = in_thread(|| {
            if set(-15).is_err() {
                return None; // no privilege: nothing to check
            }
            apply(None);
            current()
        });
        assert!(
            kept.is_none() || kept == Some(-15),
            "a higher priority is kept: {kept:?}"
        );
    }
}
