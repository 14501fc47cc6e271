//! The ptrace, wait and memory calls the ptrace backend makes, each wrapped once, and the
//! `Os` trait the state machine makes them through (`Linux` here; unit tests script a fake,
//! as aya fakes its syscalls).

use std::os::unix::fs::MetadataExt;

use anyhow::Result;

use super::{
    fetch::Memory,
    stopsig::{stop_requested, take_reopen, wait_child},
};

/// What a waited-for task reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Gone: its wait status.
    Exited(i32),
    /// A syscall entry or exit stop.
    Syscall,
    /// The seccomp filter asked for this call (its entry, under `--seccomp-bpf`).
    Seccomp,
    /// It created a task (fork, vfork, clone).
    Fork,
    /// PTRACE_EVENT_STOP: a group-stop (SIGSTOP and friends), an interrupt, or a new task's
    /// first stop.
    Event(i32),
    /// An execve succeeded (PTRACE_EVENT_EXEC).
    Exec,
    /// Another ptrace event.
    Other,
    /// A signal is about to be delivered.
    Signal(i32),
}

/// The kernel calls the ptrace state machine makes. `Linux` makes them; a test scripts the
/// stops `wait_any` returns and the memory a tracee shows.
pub trait Os {
    /// PTRACE_SEIZE (see `seize`).
    fn seize(&self, tid: u32, follow_forks: bool, seccomp: bool) -> std::io::Result<()>;
    /// PTRACE_INTERRUPT.
    fn interrupt(&self, tid: u32);
    /// The next stop of any tracee (see `wait_any`).
    fn wait_any(&self, block: bool) -> Result<Option<(u32, Stop)>>;
    /// PTRACE_SYSCALL, or with `until_event` PTRACE_CONT, delivering `sig`.
    fn resume(&self, tid: u32, sig: i32, until_event: bool);
    /// PTRACE_LISTEN.
    fn listen(&self, tid: u32);
    /// Detaches from a task that may be running.
    fn detach(&self, tid: u32);
    /// Detaches from a task in a ptrace-stop, delivering `sig`.
    fn detach_stopped(&self, tid: u32, sig: i32);
    /// PTRACE_GETEVENTMSG.
    fn event_msg(&self, tid: u32) -> Option<u32>;
    /// PTRACE_GETSIGINFO, the bytes the eBPF side records.
    fn siginfo(&self, tid: u32) -> Option<[u8; tracer_common::SIGINFO_SIZE]>;
    /// PTRACE_GET_SYSCALL_INFO.
    fn syscall_info(&self, tid: u32) -> Option<SyscallInfo>;
    /// Waits for child `pid`, no longer traced, to end (`-b execve`'s launched command, or
    /// the command after the output closed); returns its wait status. A signal that asks
    /// tracer to stop meanwhile is passed on to it, which then has `CHILD_GRACE` to end.
    fn wait_child(&self, _pid: u32) -> Option<i32> {
        None
    }
    /// The user instruction pointer of stopped `tid` (`-i` on a signal's line).
    fn instruction_pointer(&self, _tid: u32) -> Option<u64> {
        None
    }
    /// The process of thread `tid`.
    fn tgid_of(&self, tid: u32) -> Option<u32>;
    /// The parent process of `tid` (its `PPid`).
    fn parent_of(&self, tid: u32) -> Option<u32>;
    /// The pid of the process already tracing `tid`, if any.
    fn tracer_of(&self, tid: u32) -> Option<u32>;
    /// CLOCK_MONOTONIC in ns.
    fn now(&self) -> u64;
    /// Thread `tid`'s time on CPU so far, in ns (the first field of `/proc/TID/schedstat`,
    /// the scheduler's `sum_exec_runtime`); None when it cannot be read.
    fn cpu_time(&self, _tid: u32) -> Option<u64> {
        None
    }
    /// Stopped task `tid`'s memory and fds.
    fn memory(&self, tid: u32) -> Box<dyn Memory>;
    /// The signal that asked tracer to stop, if one came.
    fn stop_requested(&self) -> Option<i32>;
    /// Whether a SIGHUP came since the last call.
    fn take_reopen(&self) -> bool;
    /// `-k`: stopped task `tid`'s user ip, sp and bp.
    fn user_regs(&self, _tid: u32) -> Option<[u64; 3]> {
        None
    }
    /// `-e inject=`: at a syscall-entry stop, makes the call syscall `nr` instead (-1: none);
    /// false when the registers could not be changed.
    fn set_syscall(&self, _tid: u32, _nr: i64) -> bool {
        false
    }
    /// `-e inject=`: at a syscall-exit stop, makes the call return `value`.
    fn set_return(&self, _tid: u32, _value: i64) -> bool {
        false
    }
    /// `-e inject=...:poke_enter=`: writes `data` at `addr` of stopped `tid`.
    fn poke(&self, _tid: u32, _addr: u64, _data: &[u8]) -> bool {
        false
    }
    /// Which of task `parent`'s tables its new task `child` shares (the fork record's
    /// `PROC_SHARES_*` bits and `PROC_SHARING_KNOWN`); 0 when that cannot be asked.
    fn sharing(&self, _parent: u32, _child: u32) -> u32 {
        0
    }
}

/// The real kernel.
pub struct Linux;

impl Os for Linux {
    fn seize(&self, tid: u32, follow_forks: bool, seccomp: bool) -> std::io::Result<()> {
        seize(tid, follow_forks, seccomp)
    }
    fn interrupt(&self, tid: u32) {
        interrupt(tid);
    }
    fn wait_any(&self, block: bool) -> Result<Option<(u32, Stop)>> {
        wait_any(block)
    }
    fn resume(&self, tid: u32, sig: i32, until_event: bool) {
        resume(tid, sig, until_event);
    }
    fn listen(&self, tid: u32) {
        listen(tid);
    }
    fn detach(&self, tid: u32) {
        detach(tid);
    }
    fn detach_stopped(&self, tid: u32, sig: i32) {
        detach_stopped(tid, sig);
    }
    fn event_msg(&self, tid: u32) -> Option<u32> {
        event_msg(tid)
    }
    fn siginfo(&self, tid: u32) -> Option<[u8; tracer_common::SIGINFO_SIZE]> {
        siginfo(tid)
    }
    fn syscall_info(&self, tid: u32) -> Option<SyscallInfo> {
        syscall_info(tid)
    }
    fn instruction_pointer(&self, tid: u32) -> Option<u64> {
        get_syscall_info(tid).map(|info| info.instruction_pointer)
    }
    fn user_regs(&self, tid: u32) -> Option<[u64; 3]> {
        user_regs(tid)
    }
    fn set_syscall(&self, tid: u32, nr: i64) -> bool {
        change_regs(tid, |regs| regs.orig_rax = nr as u64)
    }
    fn set_return(&self, tid: u32, value: i64) -> bool {
        change_regs(tid, |regs| regs.rax = value as u64)
    }
    fn poke(&self, tid: u32, addr: u64, data: &[u8]) -> bool {
        super::tamper::write_memory(tid, addr, data)
    }
    fn wait_child(&self, pid: u32) -> Option<i32> {
        wait_child(pid)
    }
    fn tgid_of(&self, tid: u32) -> Option<u32> {
        tgid_of(tid)
    }
    fn parent_of(&self, tid: u32) -> Option<u32> {
        status_field(tid, "PPid:")
    }
    fn tracer_of(&self, tid: u32) -> Option<u32> {
        tracer_of(tid)
    }
    fn now(&self) -> u64 {
        crate::event::monotonic_now()
    }
    fn cpu_time(&self, tid: u32) -> Option<u64> {
        let text = std::fs::read_to_string(format!("/proc/{tid}/schedstat")).ok()?;
        text.split_ascii_whitespace().next()?.parse().ok()
    }
    fn memory(&self, tid: u32) -> Box<dyn Memory> {
        Box::new(TaskMemory { pid: tid })
    }
    fn stop_requested(&self) -> Option<i32> {
        stop_requested()
    }
    fn take_reopen(&self) -> bool {
        take_reopen()
    }
    fn sharing(&self, parent: u32, child: u32) -> u32 {
        sharing(parent, child)
    }
}

/// kcmp(2): whether `parent` and `child` hold the same open file table (`KCMP_FILES`) and
/// the same current directory and root (`KCMP_FS`), whatever clone flags made it so.
fn sharing(parent: u32, child: u32) -> u32 {
    use tracer_common::{PROC_SHARES_FILES, PROC_SHARES_FS, PROC_SHARING_KNOWN};
    const KCMP_FILES: i32 = 2;
    const KCMP_FS: i32 = 3;
    // SAFETY: kcmp takes no pointers with these kinds. 0: the same, 1 to 3: not.
    let same = |kind: i32| match unsafe { libc::syscall(libc::SYS_kcmp, parent, child, kind, 0, 0) }
    {
        0 => Some(true),
        1..=3 => Some(false),
        _ => None,
    };
    // Not asked (a kernel without kcmp, a task gone): as a thread or a process most often is.
    let (Some(files), Some(fs)) = (same(KCMP_FILES), same(KCMP_FS)) else {
        return 0;
    };
    let mut flags = PROC_SHARING_KNOWN;
    if files {
        flags |= PROC_SHARES_FILES;
    }
    if fs {
        flags |= PROC_SHARES_FS;
    }
    flags
}

/// The syscall a stopped task is entering or leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyscallInfo {
    Entry {
        nr: u64,
        args: [u64; 6],
        sp: u64,
        /// The instruction pointer (after the syscall instruction).
        ip: u64,
    },
    Exit {
        ret: i64,
    },
}

fn ptrace(req: libc::c_uint, tid: u32, addr: usize, data: usize) -> std::io::Result<libc::c_long> {
    // SAFETY: every request made here passes either plain integers or a pointer to a local
    // buffer of the size the request writes.
    let r = unsafe { libc::ptrace(req, tid as libc::pid_t, addr, data) };
    if r == -1 {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(0) {
            return Err(err);
        }
    }
    Ok(r)
}

/// PTRACE_SEIZE with strace's options (never PTRACE_O_EXITKILL). New threads are always
/// followed (a process is traced whole, as with eBPF); new processes with `follow_forks`.
fn seize(tid: u32, follow_forks: bool, seccomp: bool) -> std::io::Result<()> {
    let mut options =
        libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_TRACEEXEC | libc::PTRACE_O_TRACECLONE;
    if seccomp {
        options |= libc::PTRACE_O_TRACESECCOMP;
    }
    if follow_forks {
        options |= libc::PTRACE_O_TRACEFORK | libc::PTRACE_O_TRACEVFORK;
    }
    ptrace(libc::PTRACE_SEIZE, tid, 0, options as usize).map(drop)
}

/// Stops a seized task so that it can be resumed into syscall stops.
fn interrupt(tid: u32) {
    let _ = ptrace(libc::PTRACE_INTERRUPT, tid, 0, 0);
}

/// Resumes, delivering `sig` (0: none): until the next syscall stop, or with `seccomp` only
/// until the next event (the filter stops the calls that are wanted).
fn resume(tid: u32, sig: i32, seccomp: bool) {
    let req = if seccomp {
        libc::PTRACE_CONT
    } else {
        libc::PTRACE_SYSCALL
    };
    let _ = ptrace(req, tid, 0, sig as usize);
}

/// Leaves a group-stopped task stopped, but lets us hear when it continues.
fn listen(tid: u32) {
    let _ = ptrace(libc::PTRACE_LISTEN, tid, 0, 0);
}

/// The new task's id, at a fork event.
fn event_msg(tid: u32) -> Option<u32> {
    let mut msg: libc::c_ulong = 0;
    ptrace(
        libc::PTRACE_GETEVENTMSG,
        tid,
        0,
        std::ptr::from_mut(&mut msg) as usize,
    )
    .ok()?;
    Some(msg as u32)
}

/// The first bytes of the pending signal's siginfo, as the eBPF side records them.
fn siginfo(tid: u32) -> Option<[u8; tracer_common::SIGINFO_SIZE]> {
    // SAFETY: siginfo_t is plain data; all-zero is a valid value.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    ptrace(
        libc::PTRACE_GETSIGINFO,
        tid,
        0,
        std::ptr::from_mut(&mut info) as usize,
    )
    .ok()?;
    // SAFETY: siginfo_t is larger than SIGINFO_SIZE bytes and fully initialised.
    let bytes = unsafe {
        std::slice::from_raw_parts(
            std::ptr::from_ref(&info).cast::<u8>(),
            tracer_common::SIGINFO_SIZE,
        )
    };
    bytes.try_into().ok()
}

/// PTRACE_GETREGS: a stopped task's user registers.
fn get_regs(tid: u32) -> Option<libc::user_regs_struct> {
    // SAFETY: user_regs_struct is plain data; all-zero is a valid value.
    let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
    ptrace(
        libc::PTRACE_GETREGS,
        tid,
        0,
        std::ptr::from_mut(&mut regs) as usize,
    )
    .ok()?;
    Some(regs)
}

/// The user ip, sp and bp of a stopped task.
fn user_regs(tid: u32) -> Option<[u64; 3]> {
    get_regs(tid).map(|regs| [regs.rip, regs.rsp, regs.rbp])
}

/// PTRACE_GETREGS, `change`, PTRACE_SETREGS (strace's way of changing a call's number and
/// its return value); false when either request failed.
fn change_regs(tid: u32, change: impl FnOnce(&mut libc::user_regs_struct)) -> bool {
    let Some(mut regs) = get_regs(tid) else {
        return false;
    };
    change(&mut regs);
    let at = std::ptr::from_mut(&mut regs) as usize;
    ptrace(libc::PTRACE_SETREGS, tid, 0, at).is_ok()
}

/// PTRACE_GET_SYSCALL_INFO at any ptrace stop (its instruction and stack pointers are filled
/// at every stop, the syscall's members at syscall stops).
fn get_syscall_info(tid: u32) -> Option<libc::ptrace_syscall_info> {
    // SAFETY: ptrace_syscall_info is plain data; all-zero is a valid value.
    let mut info: libc::ptrace_syscall_info = unsafe { std::mem::zeroed() };
    let size = size_of::<libc::ptrace_syscall_info>();
    ptrace(
        libc::PTRACE_GET_SYSCALL_INFO,
        tid,
        size,
        std::ptr::from_mut(&mut info) as usize,
    )
    .ok()?;
    Some(info)
}

/// PTRACE_GET_SYSCALL_INFO at a syscall stop.
fn syscall_info(tid: u32) -> Option<SyscallInfo> {
    let info = get_syscall_info(tid)?;
    match info.op {
        libc::PTRACE_SYSCALL_INFO_ENTRY => {
            // SAFETY: op says the entry member is the one filled.
            let e = unsafe { info.u.entry };
            Some(SyscallInfo::Entry {
                nr: e.nr,
                args: e.args,
                sp: info.stack_pointer,
                ip: info.instruction_pointer,
            })
        }
        libc::PTRACE_SYSCALL_INFO_SECCOMP => {
            // SAFETY: op says the seccomp member is the one filled.
            let e = unsafe { info.u.seccomp };
            Some(SyscallInfo::Entry {
                nr: e.nr,
                args: e.args,
                sp: info.stack_pointer,
                ip: info.instruction_pointer,
            })
        }
        libc::PTRACE_SYSCALL_INFO_EXIT => {
            // SAFETY: op says the exit member is the one filled.
            let x = unsafe { info.u.exit };
            Some(SyscallInfo::Exit { ret: x.sval })
        }
        _ => None,
    }
}

/// Detaches from `tid`, which may be running: it is stopped first, and a signal it was about
/// to get is passed on.
fn detach(tid: u32) {
    if ptrace(libc::PTRACE_DETACH, tid, 0, 0).is_ok() {
        return;
    }
    interrupt(tid);
    let mut status = 0;
    // (Only this tracee's stop is waited for.)
    // SAFETY: waiting for one of our tracees.
    let r = unsafe { libc::waitpid(tid as i32, &mut status, libc::__WALL) };
    if r <= 0 || !libc::WIFSTOPPED(status) {
        return;
    }
    let sig = libc::WSTOPSIG(status);
    let pass = if status >> 16 == 0 && sig != (libc::SIGTRAP | 0x80) {
        sig
    } else {
        0
    };
    let _ = ptrace(libc::PTRACE_DETACH, tid, 0, pass as usize);
}

/// Detaches from `tid`, which is in a ptrace-stop, delivering `sig` (0: none).
fn detach_stopped(tid: u32, sig: i32) {
    let _ = ptrace(libc::PTRACE_DETACH, tid, 0, sig as usize);
}

/// The next stop of any tracee. None: interrupted (check `stop_requested`), or with `block`
/// false, no tracee has anything to report now.
fn wait_any(block: bool) -> Result<Option<(u32, Stop)>> {
    let mut status = 0;
    let flags = if block {
        libc::__WALL
    } else {
        libc::__WALL | libc::WNOHANG
    };
    // SAFETY: waiting for any of our children and tracees.
    let r = unsafe { libc::waitpid(-1, &mut status, flags) };
    if r == 0 {
        return Ok(None);
    }
    if r < 0 {
        let err = std::io::Error::last_os_error();
        return match err.raw_os_error() {
            Some(libc::EINTR) => Ok(None),
            _ => Err(err.into()),
        };
    }
    let stop = if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
        Stop::Exited(status & 0xffff)
    } else {
        let sig = libc::WSTOPSIG(status);
        match status >> 16 {
            0 if sig == libc::SIGTRAP | 0x80 => Stop::Syscall,
            0 => Stop::Signal(sig),
            libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE => {
                Stop::Fork
            }
            libc::PTRACE_EVENT_STOP => Stop::Event(sig),
            libc::PTRACE_EVENT_SECCOMP => Stop::Seccomp,
            libc::PTRACE_EVENT_EXEC => Stop::Exec,
            _ => Stop::Other,
        }
    };
    Ok(Some((r as u32, stop)))
}

/// Whether a PTRACE_EVENT_STOP with `sig` is a group-stop.
pub fn is_group_stop(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
    )
}

/// A field of /proc/TID/status.
fn status_field(tid: u32, name: &str) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{tid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().parse().ok())
}

fn tgid_of(tid: u32) -> Option<u32> {
    status_field(tid, "Tgid:")
}

/// The pid of the process already tracing `tid`, if any.
fn tracer_of(tid: u32) -> Option<u32> {
    status_field(tid, "TracerPid:").filter(|&p| p != 0)
}

/// A stopped tracee's memory and fds.
struct TaskMemory {
    pid: u32,
}

impl Memory for TaskMemory {
    fn read(&self, addr: u64, buf: &mut [u8]) -> usize {
        super::fetch::read_process(self.pid, addr, buf)
    }

    fn fd_inode(&self, fd: i32) -> u64 {
        std::fs::metadata(format!("/proc/{}/fd/{fd}", self.pid)).map_or(0, |m| m.ino())
    }

    fn sock_info(&self, fd: i32) -> tracer_common::SockInfo {
        super::sockprobe::probe(self.pid, fd)
    }

    fn is_netlink(&self, fd: i32) -> bool {
        super::sockprobe::is_netlink(self.pid, fd)
    }

    fn sock_proto(&self, fd: i32) -> tracer_common::SockProto {
        super::sockprobe::proto(self.pid, fd)
    }
}
