//! tracer's kernel side: raw tracepoints on `sys_enter` and `sys_exit`.
//!
//! Every syscall on the host runs these programs, so the first thing each does is the traced
//! check (one hash lookup on the tgid); everything else happens only for traced processes.
//! At sys_enter the arguments and timestamp are kept per thread; at sys_exit one record with
//! the captured argument data goes into the ring buffer.
#![no_std]
#![no_main]

mod capture;
mod emit;
mod filter;
mod maps;
mod regs;

use aya_ebpf::{
    helpers::{bpf_get_current_pid_tgid, bpf_ktime_get_ns},
    macros::raw_tracepoint,
    programs::RawTracePointContext,
};
use tracer_common::{
    FLAG_HAS_ENTER_RECORD, FLAG_NO_ENTER, FLAG_NO_RETURN, KIND_SYSCALL, KIND_SYSCALL_ENTER,
    PHASE_ENTER, PHASE_EXIT, SPEC_CAPTURE_ENTER, SPEC_NO_RETURN, SPEC_TRACED, SyscallSpec,
};

use crate::{
    emit::Call,
    maps::{INFLIGHT, Inflight, SPECS},
};

#[raw_tracepoint(tracepoint = "sys_enter")]
pub fn sys_enter(ctx: RawTracePointContext) -> i32 {
    match try_sys_enter(&ctx) {
        Ok(()) | Err(()) => 0,
    }
}

#[raw_tracepoint(tracepoint = "sys_exit")]
pub fn sys_exit(ctx: RawTracePointContext) -> i32 {
    match try_sys_exit(&ctx) {
        Ok(()) | Err(()) => 0,
    }
}

/// The spec row for `nr`, if the syscall is selected for tracing.
#[inline(always)]
fn traced_spec(nr: u32) -> Option<&'static SyscallSpec> {
    let spec = SPECS.get(nr)?;
    (spec.flags & SPEC_TRACED != 0).then_some(spec)
}

fn try_sys_enter(ctx: &RawTracePointContext) -> Result<(), ()> {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    // The miss path for every untraced process on the host ends here.
    let Some(proc_flags) = filter::traced(tgid) else {
        return Ok(());
    };
    let nr: i64 = ctx.arg(1);
    if !filter::started(tgid, proc_flags, nr) {
        return Ok(());
    }
    let Some(spec) = traced_spec(nr as u32) else {
        return Ok(());
    };
    let mut call = Call {
        // SAFETY: no preconditions.
        ts_enter: unsafe { bpf_ktime_get_ns() },
        ts_exit: 0,
        tgid,
        tid: pid_tgid as u32,
        nr: nr as u32,
        ret: 0,
        flags: 0,
        args: regs::syscall_args(ctx.arg(0))?,
    };
    if spec.flags & SPEC_NO_RETURN != 0 {
        call.flags = FLAG_NO_RETURN;
        emit::syscall(ctx, KIND_SYSCALL, &call, spec, PHASE_ENTER);
        return Ok(());
    }
    if spec.flags & SPEC_CAPTURE_ENTER != 0
        && emit::syscall(ctx, KIND_SYSCALL_ENTER, &call, spec, PHASE_ENTER)
    {
        call.flags = FLAG_HAS_ENTER_RECORD;
    }
    let state = Inflight {
        ts_enter: call.ts_enter,
        nr: call.nr,
        flags: u32::from(call.flags),
        args: call.args,
    };
    if INFLIGHT.insert(&call.tid, &state, 0).is_err() {
        // The exit will find no state and be reported as resumed; count it so nothing is
        // silently wrong, and say why once in the kernel log.
        aya_log_ebpf::warn!(ctx, "inflight map full, tid {}", call.tid);
        emit::count_loss();
    }
    Ok(())
}

fn try_sys_exit(ctx: &RawTracePointContext) -> Result<(), ()> {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    let Some(proc_flags) = filter::traced(tgid) else {
        return Ok(());
    };
    if !filter::tracing_started(proc_flags) {
        return Ok(());
    }
    let tid = pid_tgid as u32;
    let ret: i64 = ctx.arg(1);
    // SAFETY: no preconditions.
    let ts_exit = unsafe { bpf_ktime_get_ns() };
    // SAFETY: the value is copied out at once and removed; only this thread touches its key.
    let call = match unsafe { INFLIGHT.get(&tid) } {
        Some(state) => {
            let call = Call {
                ts_enter: state.ts_enter,
                ts_exit,
                tgid,
                tid,
                nr: state.nr,
                ret,
                flags: state.flags as u16,
                args: state.args,
            };
            let _ = INFLIGHT.remove(&tid);
            call
        }
        None => Call {
            ts_enter: 0,
            ts_exit,
            tgid,
            tid,
            nr: regs::syscall_nr(ctx.arg(0))? as u32,
            ret,
            flags: FLAG_NO_ENTER,
            args: [0; 6],
        },
    };
    let Some(spec) = traced_spec(call.nr) else {
        return Ok(());
    };
    // Without the enter we have no pointers to read from.
    let phase = if call.flags & FLAG_NO_ENTER != 0 {
        0
    } else {
        PHASE_EXIT
    };
    emit::syscall(ctx, KIND_SYSCALL, &call, spec, phase);
    Ok(())
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

/// bpf_probe_read_user and friends are GPL-only helpers.
#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 13] = *b"Dual MIT/GPL\0";
