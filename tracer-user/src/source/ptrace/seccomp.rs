//! strace's `--seccomp-bpf`: a launched command traced with a narrowed `-e trace=` gets a
//! seccomp filter that returns SECCOMP_RET_TRACE for the syscalls tracer wants and lets every
//! other one run without stopping, so the command pays ptrace's price only for those.

/// AUDIT_ARCH_X86_64: the filter only judges native x86_64 calls.
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
/// Offsets in `struct seccomp_data`.
const DATA_NR: u32 = 0;
const DATA_ARCH: u32 = 4;

// Classic BPF opcodes.
const LD_W_ABS: u16 = 0x20;
const JEQ_K: u16 = 0x15;
const JGE_K: u16 = 0x35;
const RET_K: u16 = 0x06;

fn insn(code: u16, jt: u8, jf: u8, k: u32) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// The filter: stop (trace) at each of `nrs`, allow the rest. Other architectures' calls
/// (int 0x80) are traced, to be safe, and so are numbers past the table (x32 numbers, negative
/// ones, `syscall(1231)`): strace shows them whatever `-e trace=` says.
pub fn filter(nrs: impl IntoIterator<Item = u32>) -> Vec<libc::sock_filter> {
    let trace = libc::SECCOMP_RET_TRACE;
    let allow = libc::SECCOMP_RET_ALLOW;
    let mut prog = vec![
        insn(LD_W_ABS, 0, 0, DATA_ARCH),
        insn(JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        insn(RET_K, 0, 0, trace),
        insn(LD_W_ABS, 0, 0, DATA_NR),
        insn(JGE_K, 0, 1, tracer_common::SYSCALL_NUMBERS),
        insn(RET_K, 0, 0, trace),
    ];
    // Each comparison has its own return right after it, so no jump is longer than one
    // instruction however many syscalls there are.
    for nr in nrs {
        prog.push(insn(JEQ_K, 0, 1, nr));
        prog.push(insn(RET_K, 0, 0, trace));
    }
    prog.push(insn(RET_K, 0, 0, allow));
    prog
}

/// Installs `prog` on the calling process. Only async-signal-safe calls: it runs in the
/// forked child before exec.
///
/// # Safety
/// `prog` must be a valid filter; called in a child that is about to exec.
pub unsafe fn install(prog: &libc::sock_fprog) -> bool {
    // SAFETY: plain syscalls; `prog` points to a filter that lives until exec.
    unsafe {
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            && libc::syscall(
                libc::SYS_seccomp,
                libc::SECCOMP_SET_MODE_FILTER,
                0,
                std::ptr::from_ref(prog),
            ) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wanted_syscall_traces_and_the_rest_pass() {
        let prog = filter([2, 257]);
        assert_eq!(prog.len(), 6 + 2 * 2 + 1);
        assert_eq!((prog[4].code, prog[4].k, prog[4].jf), (JGE_K, 512, 1));
        assert_eq!(prog[5].k, libc::SECCOMP_RET_TRACE);
        assert_eq!((prog[6].code, prog[6].k, prog[6].jf), (JEQ_K, 2, 1));
        assert_eq!(prog[7].k, libc::SECCOMP_RET_TRACE);
        assert_eq!((prog[8].k, prog[9].k), (257, libc::SECCOMP_RET_TRACE));
        assert_eq!(prog[10].k, libc::SECCOMP_RET_ALLOW);
    }

    #[test]
    fn a_child_with_the_filter_runs_untraced_calls_normally() {
        // No tracer: a SECCOMP_RET_TRACE call fails with ENOSYS, allowed ones work.
        let prog = filter([39]); // getpid
        let fprog = libc::sock_fprog {
            len: prog.len() as u16,
            filter: prog.as_ptr().cast_mut(),
        };
        // SAFETY: fork; the child only makes raw syscalls and exits.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            // SAFETY: in the child.
            unsafe {
                if !install(&fprog) {
                    libc::_exit(2);
                }
                let traced = libc::syscall(libc::SYS_getpid) == -1
                    && *libc::__errno_location() == libc::ENOSYS;
                let allowed = libc::syscall(libc::SYS_getppid) > 0;
                libc::_exit(if traced && allowed { 0 } else { 1 });
            }
        }
        let mut status = 0;
        // SAFETY: reaping our own child.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        assert!(libc::WIFEXITED(status));
        assert_eq!(libc::WEXITSTATUS(status), 0);
    }
}
