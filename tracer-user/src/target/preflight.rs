//! Checks done before anything is loaded: the pids exist (and which process each belongs
//! to), and we hold the capabilities eBPF tracing needs.

use std::{
    fs, io,
    os::fd::{AsRawFd, FromRawFd, OwnedFd},
};

use crate::error::PreflightError;

const CAP_SYS_ADMIN: u32 = 21;
const CAP_PERFMON: u32 = 38;
const CAP_BPF: u32 = 39;

/// A process to attach to.
#[derive(Debug)]
pub struct Target {
    /// Process id (the tgid; a thread id given on the command line resolves to its process).
    pub tgid: u32,
    /// Pins the process (no pid reuse races) and becomes readable when it exits.
    pub pidfd: OwnedFd,
}

/// Splits `-p` values as strace 6.1 does: `-p 1 -p 2`, `-p 1,2`, `-p "1 2"` (pidof's
/// spaces, pgrep's newlines, tabs): each item up to the next `,`, space, tab or newline must
/// be a pid, an empty one too (`-p ,`, `-p 1,,2`: strace's `Invalid process id: ''`), except
/// after a delimiter that ends the value (`-p 1,`); `-p ''` names no process.
pub fn parse_pids(values: &[String]) -> Result<Vec<i32>, PreflightError> {
    let mut pids = Vec::new();
    for value in values {
        let mut rest = value.as_str();
        while !rest.is_empty() {
            let end = rest.find([',', ' ', '\t', '\n']).unwrap_or(rest.len());
            let item = &rest[..end];
            // strtol's leading white space (the delimiters aside) and sign.
            let number = item.trim_start_matches(['\x0b', '\x0c', '\r']);
            match number.parse::<i32>() {
                Ok(pid) if pid > 0 => pids.push(pid),
                _ => return Err(PreflightError::InvalidPid(item.to_string())),
            }
            rest = rest.get(end + 1..).unwrap_or_default();
        }
    }
    Ok(pids)
}

/// Resolves a pid (or thread id) to its process and pins it.
pub fn resolve(pid: i32) -> Result<Target, PreflightError> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|_| PreflightError::NoSuchProcess(pid))?;
    let tgid = status_field(&status, "Tgid:")
        .and_then(|v| v.parse::<u32>().ok())
        .ok_or(PreflightError::NoSuchProcess(pid))?;
    if tgid == std::process::id() {
        return Err(PreflightError::SelfTrace(pid));
    }
    if let Some(what) = untraceable(tgid, &status) {
        return Err(PreflightError::Untraceable { pid, what });
    }
    crate::target::privilege::Invoker::current().may_trace(tgid)?;
    let pidfd = pidfd_open(tgid).map_err(|_| PreflightError::NoSuchProcess(pid))?;
    Ok(Target { tgid, pidfd })
}

/// `PF_KTHREAD` and `PF_EXITING` in a task's flags (`/proc/PID/stat`, field 9).
const PF_KTHREAD: u64 = 0x0020_0000;
const PF_EXITING: u64 = 0x0000_0004;

/// A task's flags from its `stat` text.
fn stat_flags(stat: &str) -> u64 {
    // Fields after the command (which may hold spaces and parentheses): state is field 3,
    // flags field 9.
    stat.rsplit_once(") ")
        .and_then(|(_, rest)| rest.split_whitespace().nth(6))
        .and_then(|f| f.parse::<u64>().ok())
        .unwrap_or(0)
}

/// Whether every thread of `tgid` is on its way out (`PF_EXITING`, set when a thread starts
/// to exit, before the scheduler's exit tracepoint), or none is left.
pub fn exiting(tgid: u32) -> bool {
    let Ok(dir) = fs::read_dir(format!("/proc/{tgid}/task")) else {
        return true;
    };
    dir.filter_map(|e| e.ok())
        .map(|e| fs::read_to_string(e.path().join("stat")).unwrap_or_default())
        .all(|stat| stat.is_empty() || stat_flags(&stat) & PF_EXITING != 0)
}

/// What the kernel refuses to trace (ptrace answers EPERM): a kernel thread, or a process
/// whose leader is a zombie. `status` is the process's `/proc/PID/status`.
fn untraceable(tgid: u32, status: &str) -> Option<&'static str> {
    if status_field(status, "State:").is_some_and(|s| s.starts_with('Z')) {
        return Some("a zombie");
    }
    let stat = fs::read_to_string(format!("/proc/{tgid}/stat")).unwrap_or_default();
    (stat_flags(&stat) & PF_KTHREAD != 0).then_some("a kernel thread")
}

/// Whether the process behind `pidfd` has exited (its last thread is gone).
pub fn has_exited(pidfd: &OwnedFd) -> bool {
    let mut poll = libc::pollfd {
        fd: pidfd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no waiting.
    let ready = unsafe { libc::poll(&mut poll, 1, 0) };
    ready > 0 && poll.revents & libc::POLLIN != 0
}

/// `pidfd_open(2)`.
pub fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this fd to us; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .map(str::trim)
}

/// Fails with the first capability we lack for loading and attaching the programs.
pub fn check_capabilities() -> Result<(), PreflightError> {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let effective = status_field(&status, "CapEff:")
        .and_then(|v| u64::from_str_radix(v, 16).ok())
        .unwrap_or(0);
    match missing_capability(effective) {
        Some(cap) => Err(PreflightError::MissingCapability { cap }),
        None => Ok(()),
    }
}

/// A warning when a ring of `ring_size` bytes does not fit in the memory tracer's cgroup allows
/// (`memory.max`, or v1's `memory.limit_in_bytes`; a systemd unit's MemoryMax=): the kernel
/// charges the ring to it.
pub fn ring_memory_warning(ring_size: u32) -> Option<String> {
    let max = cgroup_memory_max()?;
    (u64::from(ring_size) >= max).then(|| {
        format!(
            "--ring-size {}M: not less than the {}M this cgroup's memory limit allows \
             (MemoryMax= in a systemd unit); loading the ring will fail or leave tracer no memory",
            ring_size >> 20,
            max >> 20
        )
    })
}

/// The memory limit of tracer's cgroup, if it has one.
fn cgroup_memory_max() -> Option<u64> {
    let cgroup = fs::read_to_string("/proc/self/cgroup").ok()?;
    cgroup.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        let files = match controllers {
            "" => vec![
                format!("/sys/fs/cgroup{path}/memory.max"),
                format!("/sys/fs/cgroup/unified{path}/memory.max"),
            ],
            c if c.split(',').any(|c| c == "memory") => {
                vec![format!("/sys/fs/cgroup/memory{path}/memory.limit_in_bytes")]
            }
            _ => return None,
        };
        files
            .iter()
            .find_map(|f| fs::read_to_string(f).ok()?.trim().parse::<u64>().ok())
            // v1 says "no limit" with a huge number.
            .filter(|&m| m < 1 << 60)
    })
}

/// CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN (which implies both).
fn missing_capability(effective: u64) -> Option<&'static str> {
    let has = |cap: u32| effective & (1u64 << cap) != 0;
    if has(CAP_SYS_ADMIN) {
        None
    } else if !has(CAP_BPF) {
        Some("CAP_BPF")
    } else if !has(CAP_PERFMON) {
        Some("CAP_PERFMON")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_lists_like_strace() {
        let args = ["1,2".to_string(), "3 4".to_string()];
        assert_eq!(parse_pids(&args), Ok(vec![1, 2, 3, 4]));
        assert_eq!(
            parse_pids(&["x1".to_string()]),
            Err(PreflightError::InvalidPid("x1".into()))
        );
        assert_eq!(
            parse_pids(&["0".to_string()]),
            Err(PreflightError::InvalidPid("0".into()))
        );
        // strace 6.1: an empty item is refused unless a delimiter ends the value.
        let pids = |v: &str| parse_pids(&[v.to_string()]).map_err(|e| e.to_string());
        assert_eq!(pids(","), Err("Invalid process id: ''".into()));
        assert_eq!(pids(" 1"), Err("Invalid process id: ''".into()));
        assert_eq!(pids("1,,2"), Err("Invalid process id: ''".into()));
        assert_eq!(pids(""), Ok(vec![]));
        assert_eq!(pids("1,"), Ok(vec![1]));
        assert_eq!(pids("1\n2\t3 +4"), Ok(vec![1, 2, 3, 4]));
    }

    #[test]
    fn capabilities() {
        assert_eq!(missing_capability(0), Some("CAP_BPF"));
        assert_eq!(missing_capability(1 << CAP_BPF), Some("CAP_PERFMON"));
        assert_eq!(
            missing_capability((1 << CAP_BPF) | (1 << CAP_PERFMON)),
            None
        );
        assert_eq!(missing_capability(1 << CAP_SYS_ADMIN), None);
    }

    #[test]
    fn kernel_threads_and_zombies_are_refused_as_strace_refuses_them() {
        // kthreadd is pid 2 wherever there is a kernel thread to ask for.
        let err = resolve(2).expect_err("kthreadd cannot be traced");
        assert_eq!(
            err.to_string(),
            "attach: pid 2: Operation not permitted (a kernel thread cannot be traced)"
        );
        // SAFETY: fork in a test; the child only calls _exit.
        let child = unsafe { libc::fork() };
        if child == 0 {
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(0) };
        }
        let waited = std::time::Instant::now();
        while !fs::read_to_string(format!("/proc/{child}/status"))
            .is_ok_and(|s| s.contains("State:\tZ"))
        {
            assert!(
                waited.elapsed().as_secs() < 5,
                "child {child} never became a zombie"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let err = resolve(child).expect_err("a zombie cannot be traced");
        assert_eq!(
            err,
            PreflightError::Untraceable {
                pid: child,
                what: "a zombie"
            }
        );
        // SAFETY: reaps our own child.
        unsafe { libc::waitpid(child, std::ptr::null_mut(), 0) };
    }

    #[test]
    fn a_running_process_is_not_exiting_and_a_missing_one_is_gone() {
        assert!(!exiting(std::process::id()));
        assert!(exiting(99_999_999));
        let stat = "7 (a (b) c) S 1 7 7 0 -1 4194564 0 0";
        assert_eq!(stat_flags(stat), 4_194_564);
        assert_ne!(stat_flags(stat) & PF_EXITING, 0);
    }

    #[test]
    fn missing_pid_is_named() {
        // pid_max is at most 2^22, so this pid cannot exist.
        let err = resolve(99_999_999).expect_err("no such pid");
        assert_eq!(err, PreflightError::NoSuchProcess(99_999_999));
        assert_eq!(err.to_string(), "pid 99999999: no such process");
    }

    #[test]
    fn a_thread_id_resolves_to_its_process() {
        // One of our own threads: it resolves to our process, which is refused as self.
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            // SAFETY: gettid has no preconditions.
            tx.send(unsafe { libc::gettid() }).expect("send");
            let _ = done_rx.recv();
        });
        let tid = rx.recv().expect("tid");
        assert_ne!(tid as u32, std::process::id());
        assert_eq!(
            resolve(tid).map(|t| t.tgid),
            Err(PreflightError::SelfTrace(tid))
        );
        let _ = done_tx.send(());
        t.join().expect("join");
    }
}
