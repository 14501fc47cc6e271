//! Whom tracer may trace: ptrace's rule, whatever capabilities tracer itself holds. eBPF reads
//! any process's memory, so holding CAP_BPF and CAP_PERFMON must not let a user see more than
//! strace would show them. A process is traced only when the *invoking* user may ptrace-read
//! it, as the kernel's `ptrace_may_access(PTRACE_MODE_READ_REALCREDS)` decides: the target's
//! real, effective and saved uids and gids all equal the invoker's real ones and the target is
//! dumpable, or the invoker has CAP_SYS_PTRACE; and Yama's `ptrace_scope`, where it is set,
//! as it rules ptrace attaching (1: own descendants only, 2: CAP_SYS_PTRACE only, 3: none).
//!
//! Capabilities that came with the binary (`setcap`, setuid: the kernel's AT_SECURE) are not
//! the invoker's: only a real root invoker, or one that holds CAP_SYS_PTRACE itself (the
//! systemd unit's ambient set), passes the CAP_SYS_PTRACE branch.

use std::{collections::HashSet, fs, os::unix::fs::MetadataExt};

use crate::event::RawEvent;

const CAP_SYS_PTRACE: u32 = 19;

/// Why a process is not traced. Each names the pid and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "pid {pid}: runs as uid {uid} gid {gid} (real, effective or saved), not as you (uid \
         {me} gid {my_gid}): ptrace's rule lets only CAP_SYS_PTRACE trace it"
    )]
    OtherUser {
        pid: u32,
        uid: u32,
        gid: u32,
        me: u32,
        my_gid: u32,
    },
    #[error(
        "pid {pid}: is not dumpable (it gained privileges, or said so with prctl): ptrace's rule \
         lets only CAP_SYS_PTRACE trace it"
    )]
    NotDumpable { pid: u32 },
    #[error(
        "pid {pid}: kernel.yama.ptrace_scope is 1: without CAP_SYS_PTRACE only your own \
         descendants may be traced"
    )]
    NotDescendant { pid: u32 },
    #[error("pid {pid}: kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE may trace")]
    YamaAdminOnly { pid: u32 },
    #[error("pid {pid}: kernel.yama.ptrace_scope is 3: no process may be traced")]
    YamaNoAttach { pid: u32 },
    #[error(
        "pid {pid}: the kernel refuses you ptrace access to it (a security module such as \
         Landlock, or capabilities it holds that you do not): ptrace's rule forbids tracing it"
    )]
    KernelRefused { pid: u32 },
    #[error("pid {pid}: gone before its credentials could be checked")]
    Gone { pid: u32 },
    #[error("pid {pid}: forked by pid {parent}, which is not traced")]
    ChildOf { pid: u32, parent: u32 },
}

/// The user who ran tracer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invoker {
    pub uid: u32,
    pub gid: u32,
    /// Holds CAP_SYS_PTRACE of its own (not only through the binary's file capabilities).
    pub sys_ptrace: bool,
    /// tracer's pid, for Yama's descendant rule.
    pub pid: u32,
}

/// What the rule looks at in a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCreds {
    /// Real, effective, saved.
    pub uids: [u32; 3],
    pub gids: [u32; 3],
    pub dumpable: bool,
    /// tracer is among its ancestors.
    pub descendant: bool,
}

impl Invoker {
    /// The invoking user, from tracer's own credentials.
    pub fn current() -> Self {
        // SAFETY: getuid, getgid and getauxval have no preconditions.
        let (uid, gid, secure) = unsafe {
            (
                libc::getuid(),
                libc::getgid(),
                libc::getauxval(libc::AT_SECURE) != 0,
            )
        };
        let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
        let effective = field(&status, "CapEff:")
            .and_then(|v| u64::from_str_radix(v, 16).ok())
            .unwrap_or(0);
        let has_cap = effective & (1 << CAP_SYS_PTRACE) != 0;
        Self {
            uid,
            gid,
            sys_ptrace: has_cap && (!secure || uid == 0),
            pid: std::process::id(),
        }
    }

    /// Whether the invoker may trace process `pid`. The kernel decides (see `kernel_allows`);
    /// tracer's own reading of the rule only names the reason, or decides where the kernel
    /// cannot be asked. Yama rules attaching, which the kernel's read check does not cover, so
    /// its scopes are applied here as well.
    pub fn may_trace(&self, pid: u32) -> Result<(), Refusal> {
        let creds = read_creds(pid, self.pid).ok_or(Refusal::Gone { pid })?;
        let ours = decide(self, pid, &creds, yama_scope());
        match kernel_allows(pid) {
            KernelSays::Allowed => ours.or_else(|r| match r {
                Refusal::OtherUser { .. } | Refusal::NotDumpable { .. } => Ok(()),
                yama => Err(yama),
            }),
            KernelSays::Refused => Err(ours.err().unwrap_or(Refusal::KernelRefused { pid })),
            KernelSays::Gone => Err(Refusal::Gone { pid }),
            KernelSays::Unknown => ours,
        }
    }

    /// Whether every check passes for any target without looking (CAP_SYS_PTRACE, no Yama
    /// rule beyond it, and no security module confining tracer, such as a Landlock domain):
    /// then nothing needs watching. Asks the kernel (`confinement`): call it once.
    pub fn unrestricted(&self) -> bool {
        self.sys_ptrace && yama_scope().is_none_or(|s| s < 3) && !super::confinement::confined()
    }
}

/// What to do with an event (see `Guard`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Drop,
    /// Process `tgid` may not be traced from here on: stop tracing it and say why; this event
    /// (its exec, its adoption by name) still passes, unless it is the fork that made it;
    /// what follows is dropped.
    Refuse {
        tgid: u32,
        refusal: Refusal,
    },
}

/// Watches the stream of a kernel-side trace for processes the invoker may not read: one that
/// ran a program that gives it privileges (setuid, file capabilities: a `-f` child, or a
/// traced process itself) and, with `--comm`, one the kernel picked up by name. The check is
/// made when the exec's record is read, on the process as it is then; one gone by then is
/// refused (fail closed).
#[derive(Debug)]
pub struct Guard {
    invoker: Invoker,
    refused: HashSet<u32>,
}

impl Guard {
    pub fn new(invoker: Invoker) -> Self {
        Self {
            invoker,
            refused: HashSet::new(),
        }
    }

    /// The verdict on the next event of the stream.
    pub fn check(&mut self, event: &RawEvent, exec_nrs: &[u32]) -> Verdict {
        let (tgid, checks) = match event {
            RawEvent::Syscall(s) => (s.tgid, exec_nrs.contains(&s.nr) && s.ret == 0),
            RawEvent::Adopt { tgid, .. } => (*tgid, true),
            RawEvent::Fork(f) if self.refused.contains(&f.tgid) => {
                if f.child_tgid == f.tgid {
                    return Verdict::Drop;
                }
                self.refused.insert(f.child_tgid);
                return Verdict::Refuse {
                    tgid: f.child_tgid,
                    refusal: Refusal::ChildOf {
                        pid: f.child_tgid,
                        parent: f.tgid,
                    },
                };
            }
            RawEvent::Fork(f) => (f.tgid, false),
            RawEvent::Signal(s) => (s.tgid, false),
            RawEvent::Tls(t) => (t.tgid, false),
            RawEvent::Stack(s) => (s.tgid, false),
            // Its end is told (the pipeline waits for it); it shows nothing of its data.
            RawEvent::Exit(e) => {
                if e.group_dead {
                    self.refused.remove(&e.tgid);
                }
                return Verdict::Pass;
            }
            RawEvent::Lost { .. } => return Verdict::Pass,
            // No longer traced (`-b execve`): told, as an end is.
            RawEvent::Detached(s) => {
                self.refused.remove(&s.tgid);
                return Verdict::Pass;
            }
        };
        if self.refused.contains(&tgid) {
            return Verdict::Drop;
        }
        // Fail closed: a process gone before the check (a setuid program that ran for a few
        // milliseconds) cannot be shown to be readable, so nothing more of it is shown but its
        // end, which always passes.
        if checks && let Err(refusal) = self.invoker.may_trace(tgid) {
            self.refused.insert(tgid);
            return Verdict::Refuse { tgid, refusal };
        }
        Verdict::Pass
    }
}

/// The rule itself.
pub fn decide(me: &Invoker, pid: u32, t: &TargetCreds, yama: Option<u8>) -> Result<(), Refusal> {
    match yama {
        Some(3..) => return Err(Refusal::YamaNoAttach { pid }),
        Some(2) if !me.sys_ptrace => return Err(Refusal::YamaAdminOnly { pid }),
        Some(1) if !me.sys_ptrace && !t.descendant => {
            return Err(Refusal::NotDescendant { pid });
        }
        _ => {}
    }
    if me.sys_ptrace {
        return Ok(());
    }
    let same = t.uids.iter().all(|&u| u == me.uid) && t.gids.iter().all(|&g| g == me.gid);
    if !same {
        let uid = t
            .uids
            .iter()
            .copied()
            .find(|&u| u != me.uid)
            .unwrap_or(t.uids[0]);
        let gid = t
            .gids
            .iter()
            .copied()
            .find(|&g| g != me.gid)
            .unwrap_or(t.gids[0]);
        return Err(Refusal::OtherUser {
            pid,
            uid,
            gid,
            me: me.uid,
            my_gid: me.gid,
        });
    }
    if !t.dumpable {
        return Err(Refusal::NotDumpable { pid });
    }
    Ok(())
}

/// The kernel's answer to "may tracer ptrace-read this process".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KernelSays {
    Allowed,
    Refused,
    Gone,
    /// No kcmp(2) in this kernel (CONFIG_KCMP off).
    Unknown,
}

/// Asks the kernel whether tracer may ptrace-read `pid`: kcmp(2) compares two processes only
/// after `ptrace_may_access(PTRACE_MODE_READ_REALCREDS)` allows it on both, which is the whole
/// rule: ids, dumpability, capabilities, user namespaces and security modules (Landlock,
/// SELinux, AppArmor). Capabilities tracer got from `setcap` count as the kernel counts them,
/// so a binary given only CAP_BPF and CAP_PERFMON is refused what its user would be.
pub(super) fn kernel_allows(pid: u32) -> KernelSays {
    const KCMP_VM: libc::c_long = 1;
    // SAFETY: kcmp only reads its integer arguments.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_kcmp,
            libc::c_long::from(libc::getpid()),
            libc::c_long::from(pid),
            KCMP_VM,
            0 as libc::c_long,
            0 as libc::c_long,
        )
    };
    if ret >= 0 {
        return KernelSays::Allowed;
    }
    match std::io::Error::last_os_error().raw_os_error() {
        Some(libc::EPERM) | Some(libc::EACCES) => KernelSays::Refused,
        Some(libc::ESRCH) => KernelSays::Gone,
        _ => KernelSays::Unknown,
    }
}

/// A process's credentials from /proc. Its dumpability shows in who owns /proc/PID/status:
/// the kernel gives a non-dumpable process's files to root (/proc/PID itself keeps the owner
/// it had when first looked up, so it does not tell).
fn read_creds(pid: u32, tracer: u32) -> Option<TargetCreds> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let ids = |key| -> Option<[u32; 3]> {
        let mut it = field(&status, key)?
            .split_whitespace()
            .map(|v| v.parse().ok());
        Some([it.next()??, it.next()??, it.next()??])
    };
    let (uids, gids) = (ids("Uid:")?, ids("Gid:")?);
    let meta = fs::metadata(format!("/proc/{pid}/status")).ok()?;
    let dumpable = meta.uid() == uids[1] && meta.gid() == gids[1];
    Some(TargetCreds {
        uids,
        gids,
        dumpable,
        descendant: descends_from(pid, tracer),
    })
}

/// Whether `tracer` is an ancestor of `pid`.
fn descends_from(pid: u32, tracer: u32) -> bool {
    let mut at = pid;
    for _ in 0..4096 {
        let Ok(status) = fs::read_to_string(format!("/proc/{at}/status")) else {
            return false;
        };
        match field(&status, "PPid:").and_then(|v| v.parse::<u32>().ok()) {
            Some(p) if p == tracer => return true,
            Some(p) if p > 1 => at = p,
            _ => return false,
        }
    }
    false
}

/// kernel.yama.ptrace_scope, when Yama is there.
fn yama_scope() -> Option<u8> {
    fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope")
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: Invoker = Invoker {
        uid: 1000,
        gid: 1000,
        sys_ptrace: false,
        pid: 50,
    };

    fn creds(uids: [u32; 3], gids: [u32; 3]) -> TargetCreds {
        TargetCreds {
            uids,
            gids,
            dumpable: true,
            descendant: false,
        }
    }

    #[test]
    fn all_three_ids_must_be_the_invokers() {
        let mine = creds([1000; 3], [1000; 3]);
        assert_eq!(decide(&USER, 7, &mine, None), Ok(()));
        // A setuid program: real uid the user's, effective root.
        let setuid = creds([1000, 0, 0], [1000; 3]);
        let err = decide(&USER, 7, &setuid, None).expect_err("refused");
        assert!(err.to_string().contains("pid 7: runs as uid 0"), "{err}");
        assert!(decide(&USER, 7, &creds([1000; 3], [1000, 1000, 42]), None).is_err());
        let root = Invoker {
            sys_ptrace: true,
            ..USER
        };
        assert_eq!(decide(&root, 7, &setuid, None), Ok(()));
    }

    #[test]
    fn not_dumpable_needs_cap_sys_ptrace() {
        let mut t = creds([1000; 3], [1000; 3]);
        t.dumpable = false;
        assert_eq!(
            decide(&USER, 9, &t, None),
            Err(Refusal::NotDumpable { pid: 9 })
        );
    }

    #[test]
    fn yama_scopes() {
        let mut mine = creds([1000; 3], [1000; 3]);
        assert_eq!(
            decide(&USER, 3, &mine, Some(1)),
            Err(Refusal::NotDescendant { pid: 3 })
        );
        mine.descendant = true;
        assert_eq!(decide(&USER, 3, &mine, Some(1)), Ok(()));
        assert!(decide(&USER, 3, &mine, Some(2)).is_err());
        let admin = Invoker {
            sys_ptrace: true,
            ..USER
        };
        assert_eq!(decide(&admin, 3, &mine, Some(2)), Ok(()));
        assert!(decide(&admin, 3, &mine, Some(3)).is_err());
    }

    #[test]
    fn the_kernel_is_asked() {
        assert_eq!(kernel_allows(std::process::id()), KernelSays::Allowed);
        assert_eq!(kernel_allows(u32::MAX >> 2), KernelSays::Gone);
    }

    #[test]
    fn this_process_may_trace_itself_by_the_rule() {
        let me = Invoker::current();
        let creds = read_creds(std::process::id(), 1).expect("own creds");
        assert!(creds.dumpable);
        assert_eq!(creds.uids[0], me.uid);
    }
}
