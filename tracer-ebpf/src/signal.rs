//! Signals reaching traced tasks, for strace's `--- SIGCHLD {...} ---` lines.
//!
//! `signal_deliver` fires in the task that takes a signal. A signal whose action is to ignore
//! it is usually discarded when it is sent, before any delivery (a ptrace tracer disables that
//! shortcut, which is why strace shows them): `signal_generate`, in the sender, reports those.
//! Records are built on the stack: a signal can be sent from interrupt context, while another
//! program on the same CPU is using the scratch area.

use aya_ebpf::{
    helpers::{bpf_ktime_get_ns, generated::bpf_get_smp_processor_id},
    programs::RawTracePointContext,
};
use tracer_common::{
    FLAG_IP, KIND_SIGNAL, RecordHeader, SIGINFO_SIZE, SIGNAL_GROUP_STOP, SIGNAL_IGNORED,
    SIGNAL_IN_SYSCALL, SIGNAL_NO_INFO, SPEC_TRACED, SignalRecord,
};

use crate::{
    emit, filter,
    maps::{EVENTS, SENT_SIGNALS, WANT_IP, spec},
    regs,
};

const SIGKILL: u32 = 9;
/// `signal_generate`'s results: queued (TRACE_SIGNAL_DELIVERED), discarded as ignored.
const RESULT_DELIVERED: u64 = 0;
const RESULT_IGNORED: u64 = 1;

/// `signal_deliver(int sig, struct kernel_siginfo *info, struct k_sigaction *ka)`.
/// SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: their default action stops the process.
const STOP_SIGNALS: [u32; 4] = [19, 20, 21, 22];
/// `sa_handler` of the default action.
const SIG_DFL: u64 = 0;

#[inline(always)]
pub fn deliver(ctx: &RawTracePointContext) {
    let Some((tgid, tid)) = filter::current_active() else {
        return;
    };
    let sig = ctx.arg::<u64>(0) as u32;
    // strace never shows SIGKILL: the task just dies (`+++ killed by SIGKILL +++`).
    if sig == SIGKILL {
        return;
    }
    // SAFETY: the value is only compared.
    if unsafe { SENT_SIGNALS.get(&tgid) }.is_some_and(|r| r.sig == sig) {
        let _ = SENT_SIGNALS.remove(&tgid);
    }
    let ip = regs::current_instruction_pointer();
    write(tgid, tid, sig, ctx.arg(1), 0, ip);
    // A stop signal with its default action stops the task right after (strace shows the
    // group stop on a line of its own).
    let ka: u64 = ctx.arg(2);
    if STOP_SIGNALS.contains(&sig) && crate::mem::kernel_u64(ka, 0) == Some(SIG_DFL) {
        write(tgid, tid, sig, 0, SIGNAL_GROUP_STOP, ip);
    }
}

/// `signal_generate(int sig, struct kernel_siginfo *info, struct task_struct *task, int group,
/// int result)`.
#[inline(always)]
pub fn generate(ctx: &RawTracePointContext) {
    let result = ctx.arg::<u64>(4) & 0xffff_ffff;
    if result != RESULT_IGNORED && result != RESULT_DELIVERED {
        return;
    }
    let task: u64 = ctx.arg(2);
    let Some((tgid, tid)) = crate::ids::of_task(task) else {
        return;
    };
    // A signal to a process already dying is dropped unseen (no ptrace stop would show it).
    if result == RESULT_IGNORED && crate::task::killed(task) {
        return;
    }
    if !filter::active(tgid) {
        return;
    }
    let sig = ctx.arg::<u64>(0) as u32;
    if result == RESULT_DELIVERED {
        stash(tgid, tid, sig, ctx.arg(1));
        return;
    }
    let in_syscall = crate::inflight::current(tid)
        .map(|state| state.ip)
        .or_else(|| in_own_traced_call(task).then(regs::current_instruction_pointer));
    // Shown after the call returns (see `SIGNAL_IN_SYSCALL`): where that call returns to;
    // otherwise where the task was last seen in user space (a task blocked in a call not
    // traced: that call's return).
    let (flags, ip) = match in_syscall {
        Some(ip) => (SIGNAL_IGNORED | SIGNAL_IN_SYSCALL, ip),
        None => (
            SIGNAL_IGNORED,
            regs::of_task(task).map_or(0, regs::instruction_pointer),
        ),
    };
    write(tgid, tid, sig, ctx.arg(1), flags, ip);
}

/// A task signalling itself (`kill(getpid(), ...)`, a write's SIGPIPE) is inside a syscall;
/// one traced without an enter state (`SPEC_EXIT_ONLY`) is in no `INFLIGHT` entry, but its
/// line still comes, and the signal belongs after it.
#[inline(always)]
fn in_own_traced_call(task: u64) -> bool {
    // SAFETY: no preconditions; the pointer is only compared.
    if task != unsafe { aya_ebpf::helpers::generated::bpf_get_current_task() } {
        return false;
    }
    let Ok(nr) = regs::syscall_nr(regs::current()) else {
        return false;
    };
    spec(nr as u32).is_some_and(|spec| spec.flags & SPEC_TRACED != 0)
}

/// Writes the record; `info` may be one of the kernel's markers for "no siginfo" (0, 1, 2).
#[inline(always)]
fn write(tgid: u32, tid: u32, sig: u32, info: u64, flags: u32, ip: u64) {
    let rec = build(tgid, tid, sig, info, flags);
    send(&rec, ip);
}

/// A signal record followed by the task's instruction pointer (`FLAG_IP`).
#[repr(C)]
struct WithIp {
    rec: SignalRecord,
    ip: u64,
}

/// Writes `rec` to the ring buffer, with the instruction pointer `ip` when `-i` asks for it.
#[inline(always)]
fn send(rec: &SignalRecord, ip: u64) {
    let sent = if WANT_IP.load() != 0 {
        let mut with = WithIp { rec: *rec, ip };
        with.rec.hdr.flags |= FLAG_IP;
        with.rec.hdr.size = size_of::<WithIp>() as u32;
        EVENTS.output(&with, 0)
    } else {
        EVENTS.output(rec, 0)
    };
    if sent.is_err() {
        emit::count_loss();
    }
}

/// A signal record, with the siginfo read from `info` when there is one.
#[inline(always)]
fn build(tgid: u32, tid: u32, sig: u32, info: u64, mut flags: u32) -> SignalRecord {
    let mut rec = SignalRecord {
        hdr: RecordHeader {
            kind: KIND_SIGNAL,
            flags: 0,
            size: size_of::<SignalRecord>() as u32,
            lost_before: 0,
            // SAFETY: no preconditions.
            cpu: unsafe { bpf_get_smp_processor_id() },
        },
        // SAFETY: no preconditions.
        ts: unsafe { bpf_ktime_get_ns() },
        tgid,
        tid,
        sig,
        flags: 0,
        info: [0; SIGINFO_SIZE],
    };
    let read = if info == SEND_SIG_NOINFO {
        // The kernel fills this siginfo in only when it queues the signal, which an ignored
        // one never is: as it would, SI_USER from the sender (current), as strace shows it.
        sent_by_current(&mut rec.info, sig);
        0
    } else if info < 4096 {
        -1
    } else {
        // SAFETY: reads SIGINFO_SIZE kernel bytes into the record; the helper checks the read.
        unsafe {
            aya_ebpf::helpers::generated::bpf_probe_read_kernel(
                rec.info.as_mut_ptr().cast(),
                SIGINFO_SIZE as u32,
                info as *const _,
            )
        }
    };
    if read != 0 {
        flags |= SIGNAL_NO_INFO;
        rec.info = [0; SIGINFO_SIZE];
    }
    rec.flags = flags;
    rec
}

/// `SEND_SIG_NOINFO`: the siginfo marker of a signal a task sends as a user would
/// (`send_sig(SIGPIPE, current, 0)` for a write to a closed pipe, SIGXFSZ, `kill`'s own path).
/// `SEND_SIG_PRIV` (1) is the kernel's own: SI_KERNEL, as a missing siginfo prints.
const SEND_SIG_NOINFO: u64 = 0;
/// `si_code` SI_USER, and the offsets of si_pid / si_uid in a 64-bit siginfo.
const SI_USER: i32 = 0;
const SI_PID_OFF: usize = 16;
const SI_UID_OFF: usize = 20;

/// The siginfo `__send_signal_locked` builds for `SEND_SIG_NOINFO`: signo, SI_USER, the
/// sender's tgid and uid (tracer's pid namespace: the receiver's when it is the sender, as
/// for SIGPIPE).
#[inline(always)]
fn sent_by_current(info: &mut [u8; SIGINFO_SIZE], sig: u32) {
    let pid = crate::ids::current().map_or(0, |(tgid, _)| tgid);
    let uid = aya_ebpf::helpers::bpf_get_current_uid_gid() as u32;
    info[0..4].copy_from_slice(&sig.to_ne_bytes());
    info[8..12].copy_from_slice(&SI_USER.to_ne_bytes());
    info[SI_PID_OFF..SI_PID_OFF + 4].copy_from_slice(&pid.to_ne_bytes());
    info[SI_UID_OFF..SI_UID_OFF + 4].copy_from_slice(&uid.to_ne_bytes());
}

/// A signal sent to a traced process, kept until it is delivered: a fatal signal with the
/// default action is never delivered as itself (the kernel turns it into SIGKILL for every
/// thread), so the exit reports it from here (see `fatal_before_exit`).
#[inline(always)]
fn stash(tgid: u32, tid: u32, sig: u32, info: u64) {
    let rec = build(tgid, tid, sig, info, 0);
    let _ = SENT_SIGNALS.insert(&tgid, &rec, 0);
}

/// At the exit of process `tgid` killed by `sig`: writes the signal's line as strace shows it
/// before `+++ killed by ... +++`, if it was sent (not raised by the kernel itself).
#[inline(always)]
pub fn fatal_before_exit(tgid: u32, tid: u32, sig: u32) {
    // SAFETY: the value is copied out at once.
    let Some(mut rec) = (unsafe { SENT_SIGNALS.get(&tgid) }).copied() else {
        return;
    };
    let _ = SENT_SIGNALS.remove(&tgid);
    if rec.sig != sig || sig == SIGKILL {
        return;
    }
    rec.tid = tid;
    // SAFETY: no preconditions.
    rec.ts = unsafe { bpf_ktime_get_ns() };
    // The dying task is current: where it was when the signal came.
    send(&rec, regs::current_instruction_pointer());
}
