//! Whether tracer itself runs confined by a security module that refuses it processes its
//! capabilities would otherwise let it trace. A Landlock domain does that whatever the
//! capabilities: a process inside one may ptrace only processes in the same domain or one
//! nested in it. Nothing in /proc names the domain, and tracer's own children share it, so the
//! kernel is asked about a process that is surely outside any domain: a kernel thread
//! (kthreadd, pid 2, where tracer sees the host's pids). An unconfined root tracer may read
//! it; a confined one is refused. Where no kernel thread is visible (a pid namespace), tracer's
//! ancestors stand in: the process that entered the domain has a parent outside it, unless
//! the whole namespace is inside (and then so is every process tracer can name, but one
//! entered from outside with `setns`).

use std::fs;

use super::privilege::{KernelSays, kernel_allows};

/// Per-process flag of a kernel thread (`PF_KTHREAD`, in /proc/PID/stat's ninth field).
const PF_KTHREAD: u64 = 0x0020_0000;
/// Ancestors looked at, at most.
const MAX_ANCESTORS: usize = 64;

/// Whether the kernel refuses tracer a process that only a security module confining tracer
/// would refuse it (see the module docs). Meant for a tracer that holds CAP_SYS_PTRACE.
pub fn confined() -> bool {
    if let Some(kthread) = kernel_thread() {
        return kernel_allows(kthread) == KernelSays::Refused;
    }
    ancestors().any(|pid| kernel_allows(pid) == KernelSays::Refused)
}

/// A kernel thread tracer can see: kthreadd (pid 2), else the first among the lowest pids.
fn kernel_thread() -> Option<u32> {
    (2..64).find(|&pid| stat_field(pid, 6).is_some_and(|f| f & PF_KTHREAD != 0))
}

/// Field `n` (0 is the state) after the command name of /proc/PID/stat, as a number.
fn stat_field(pid: u32, n: usize) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(n)?.parse().ok()
}

/// tracer's parent, its parent, and so on up to the namespace's first process.
fn ancestors() -> impl Iterator<Item = u32> {
    // SAFETY: getppid has no preconditions.
    let first = unsafe { libc::getppid() } as u32;
    std::iter::successors(Some(first), |&pid| {
        stat_field(pid, 1).map(|p| p as u32).filter(|&p| p != 0)
    })
    .take_while(|&pid| pid != 0)
    .take(MAX_ANCESTORS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_chain_ends_at_the_first_process() {
        let chain: Vec<u32> = ancestors().collect();
        // SAFETY: getppid has no preconditions.
        assert_eq!(chain.first(), Some(&(unsafe { libc::getppid() } as u32)));
        assert!(!chain.contains(&0), "{chain:?}");
    }

    #[test]
    fn stat_fields_are_read_after_the_command_name() {
        let me = std::process::id();
        // SAFETY: getppid has no preconditions.
        let parent = u64::from(unsafe { libc::getppid() } as u32);
        assert_eq!(stat_field(me, 1), Some(parent));
        assert_eq!(stat_field(me, 6).map(|f| f & PF_KTHREAD), Some(0));
    }
}
