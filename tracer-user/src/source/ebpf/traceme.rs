//! A launched command that calls `ptrace(PTRACE_TRACEME)` makes its parent, tracer, its
//! ptracer (under strace the call fails with EPERM: the process is already traced). The
//! kernel then stops it at its next signal and waits for tracer to continue it, which the
//! eBPF backend, no debugger, would never do: the command would hang forever.
//!
//! So every ptrace-stop of a child of tracer is ended at once by detaching it, the signal
//! it stopped for passed on: it runs on as if nobody traced it.

use nix::unistd::Pid;

/// Detaches every child (any thread) of tracer that sits in a ptrace-stop. Called when a
/// SIGCHLD comes and on the loop's ticks; cheap when nothing is stopped (one `waitid`).
pub(super) fn release_ptrace_stops() {
    loop {
        // SAFETY: an all-zero siginfo_t is valid; waitid writes into our local.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // WSTOPPED without WEXITED: a child that exited is left for `on_exit` to reap.
        // __WALL: a thread other than the main one may have called TRACEME.
        // SAFETY: waitid with a valid siginfo pointer.
        let rc = unsafe {
            libc::waitid(
                libc::P_ALL,
                0,
                &mut info,
                libc::WSTOPPED | libc::WNOHANG | libc::__WALL,
            )
        };
        // SAFETY: waitid filled si_pid/si_status (zero: nothing stopped).
        let (pid, status) = unsafe { (info.si_pid(), info.si_status()) };
        if rc != 0 || pid == 0 {
            return;
        }
        if info.si_code != libc::CLD_TRAPPED {
            // A job-control stop of an untraced child: nothing of ours.
            continue;
        }
        let pid = Pid::from_raw(pid);
        let signal = pass_on(pid, status);
        log::debug!("{pid} stopped under ptrace (TRACEME): detached, signal {signal}");
        // SAFETY: PTRACE_DETACH of our own tracee; the data argument is the signal number.
        unsafe {
            libc::ptrace(
                libc::PTRACE_DETACH,
                pid.as_raw(),
                std::ptr::null_mut::<libc::c_void>(),
                libc::c_long::from(signal) as *mut libc::c_void,
            );
        }
    }
}

/// The signal to deliver on detaching a tracee stopped with `status`: the one it stopped for
/// (a signal-delivery-stop), none for a group-stop (it stays stopped, as job control wants)
/// and none for the SIGTRAP a traced process sends itself after execve. That SIGTRAP is only
/// there because of the TRACEME that strace makes fail, and it would kill the program.
fn pass_on(pid: Pid, status: i32) -> i32 {
    // SAFETY: an all-zero siginfo_t is valid; PTRACE_GETSIGINFO writes into our local.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: PTRACE_GETSIGINFO of our own stopped tracee into a valid local.
    let rc = unsafe {
        libc::ptrace(
            libc::PTRACE_GETSIGINFO,
            pid.as_raw(),
            std::ptr::null_mut::<libc::c_void>(),
            &mut info as *mut libc::siginfo_t,
        )
    };
    if rc != 0 {
        // EINVAL: a group-stop.
        return 0;
    }
    // SAFETY: si_pid is read for SI_USER only, where the kernel set it.
    let self_sent = info.si_code == libc::SI_USER && unsafe { info.si_pid() } == pid.as_raw();
    if status == libc::SIGTRAP && self_sent {
        return 0;
    }
    status
}
