//! tracer's kernel side: raw tracepoints on `sys_enter` and `sys_exit`, the scheduler's fork
//! and exit tracepoints for following processes and reporting their ends, and the capture
//! programs the syscall programs tail-call to fetch argument data.
//!
//! Every syscall on the host runs the syscall programs, so the first thing each does is the
//! traced check (one hash lookup on the tgid); everything else happens only for traced
//! processes. At sys_enter the arguments and timestamp are kept per thread; at sys_exit one
//! record with the captured argument data goes into the ring buffer. Capture runs in separate
//! programs chained by tail calls (`capture_step` for the simple kinds, one program for each
//! kind that loops over user memory), so the verifier checks each piece once.
#![no_std]
#![no_main]
// The bpf target's core has no atomic fetch-or/and on u64 (TRACED_BITS needs them): the
// intrinsics lower to the BPF ISA's atomic instructions.
#![feature(core_intrinsics)]
#![allow(
    internal_features,
    reason = "core_intrinsics gives the atomic adds BPF has"
)]

mod blob;
mod comm;
mod cursor;
mod emit;
mod exec;
mod fds;
mod fetch;
mod fetch_loops;
mod filter;
mod ids;
mod inflight;
mod maps;
mod mem;
mod proc;
mod regs;
mod signal;
mod stack;
mod task;
mod tls;

use aya_ebpf::{helpers::bpf_ktime_get_ns, macros::raw_tracepoint, programs::RawTracePointContext};
use tracer_common::{
    FLAG_ARGS_AT_EXIT, FLAG_DETACHED, FLAG_ENTER_LOST, FLAG_HAS_ENTER_RECORD, FLAG_NO_ENTER,
    FLAG_NO_RETURN, KIND_SYSCALL, KIND_SYSCALL_ENTER, PHASE_ENTER, PHASE_EXIT, PROG_MATCH,
    PROG_MMSGHDR, PROG_STEP, SPEC_ARG0_SP, SPEC_CAPTURE_ENTER, SPEC_CAPTURE_EXIT, SPEC_EXIT_ONLY,
    SPEC_NO_REBUILD, SPEC_NO_RETURN, SPEC_SAVE_U32, SPEC_SOCK_AT_ENTER, SPEC_TRACED, SyscallSpec,
    heavy_program,
};

use crate::{
    cursor::{Call, Cursor, SOCK_INFLIGHT_SHIFT},
    maps::{CAPTURE_PROGS, INFLIGHT, Inflight, spec},
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

#[raw_tracepoint(tracepoint = "sched_process_fork")]
pub fn sched_process_fork(ctx: RawTracePointContext) -> i32 {
    proc::fork(&ctx);
    0
}

#[raw_tracepoint(tracepoint = "sched_process_exit")]
pub fn sched_process_exit(ctx: RawTracePointContext) -> i32 {
    proc::exit(&ctx);
    0
}

#[raw_tracepoint(tracepoint = "sched_process_exec")]
pub fn sched_process_exec(_ctx: RawTracePointContext) -> i32 {
    comm::exec();
    0
}

#[raw_tracepoint(tracepoint = "sched_switch")]
pub fn sched_switch(ctx: RawTracePointContext) -> i32 {
    proc::switch(&ctx);
    0
}

#[raw_tracepoint(tracepoint = "signal_deliver")]
pub fn signal_deliver(ctx: RawTracePointContext) -> i32 {
    signal::deliver(&ctx);
    0
}

#[raw_tracepoint(tracepoint = "signal_generate")]
pub fn signal_generate(ctx: RawTracePointContext) -> i32 {
    signal::generate(&ctx);
    0
}

/// The spec row for `nr`, if the syscall is selected for tracing.
#[inline(always)]
fn traced_spec(nr: u32) -> Option<&'static SyscallSpec> {
    let spec = spec(nr)?;
    (spec.flags & SPEC_TRACED != 0).then_some(spec)
}

/// Starts the record in the scratch value, lets the capture programs fill in the argument data,
/// and writes the record. If the tail call cannot be made, the record goes out without data.
#[inline(always)]
fn record(ctx: &RawTracePointContext, kind: u16, call: &Call, phase: u8) {
    let Some(cur) = Cursor::get() else {
        return;
    };
    emit::begin(&cur, kind, call, phase);
    if phase != 0 {
        // SAFETY: a tail call replaces this program with another of the same type and context.
        unsafe { CAPTURE_PROGS.tail_call(ctx, PROG_STEP) };
    }
    emit::complete(ctx, &cur);
}

fn try_sys_enter(ctx: &RawTracePointContext) -> Result<(), ()> {
    let (tgid, tid) = ids::current().ok_or(())?;
    // The miss path for every untraced process on the host ends here.
    let Some(proc_flags) = filter::traced(tgid) else {
        return Ok(());
    };
    let nr: i64 = ctx.arg(1);
    if !filter::started(tgid, proc_flags, nr) {
        return Ok(());
    }
    let regs_ptr: *const u64 = ctx.arg(0);
    tls::note_fd(tid, nr, regs_ptr);
    let Some(spec) = traced_spec(nr as u32) else {
        return Ok(());
    };
    if spec.flags & SPEC_EXIT_ONLY != 0 {
        if spec.flags & SPEC_SOCK_AT_ENTER != 0
            && let Ok(args) = regs::syscall_args(regs_ptr)
        {
            fds::note_unbound_send(tid, nr as u32, args[0] as i32);
        }
        return Ok(());
    }
    // One read of the registers for the note below and the call's state.
    let mut args = regs::syscall_args(regs_ptr)?;
    if spec.flags & SPEC_SOCK_AT_ENTER != 0 {
        fds::note_unbound_send(tid, nr as u32, args[0] as i32);
    }
    if stack::wanted(spec.flags, true) {
        stack::capture(regs_ptr, tgid, tid);
    }
    if spec.flags & SPEC_ARG0_SP != 0 {
        args[0] = regs::stack_pointer(regs_ptr)?;
    }
    let saved = if spec.flags & SPEC_SAVE_U32 != 0 {
        fetch::saved_u32(spec, &args)
    } else {
        0
    };
    let mut call = Call {
        // SAFETY: no preconditions.
        ts_enter: unsafe { bpf_ktime_get_ns() },
        ts_exit: 0,
        tgid,
        tid,
        ret: 0,
        args,
        saved,
        nr: nr as u32,
        flags: 0,
        sock: 0,
        off_cpu: 0,
        ip: regs::instruction_pointer(regs_ptr),
    };
    if spec.flags & SPEC_NO_RETURN != 0 {
        call.flags = FLAG_NO_RETURN;
        record(ctx, KIND_SYSCALL, &call, PHASE_ENTER);
        return Ok(());
    }
    let enter_record = spec.flags & SPEC_CAPTURE_ENTER != 0;
    let state = Inflight {
        ts_enter: call.ts_enter,
        nr: call.nr,
        flags: if enter_record {
            u32::from(FLAG_HAS_ENTER_RECORD)
        } else {
            0
        },
        args: call.args,
        saved: call.saved,
        off_cpu: 0,
        out_at: 0,
        ip: call.ip,
    };
    // Saved before the enter record is sent: the tail call does not come back.
    if !inflight::begin(call.tid, &state) {
        // The exit will find no state and be reported as resumed; count it so nothing is
        // silently wrong, and say why in the kernel log.
        aya_log_ebpf::warn!(ctx, "inflight map full, tid {}", call.tid);
        emit::count_loss();
    }
    if enter_record {
        record(ctx, KIND_SYSCALL_ENTER, &call, PHASE_ENTER);
    }
    Ok(())
}

fn try_sys_exit(ctx: &RawTracePointContext) -> Result<(), ()> {
    let (tgid, tid) = ids::current().ok_or(())?;
    let Some(proc_flags) = filter::traced(tgid) else {
        return Ok(());
    };
    if !filter::tracing_started(proc_flags) {
        return Ok(());
    }
    let ret: i64 = ctx.arg(1);
    let regs_ptr: *const u64 = ctx.arg(0);
    // The number first: a call no filter wants costs nothing more.
    let mut nr = regs::syscall_nr(regs_ptr)? as u32;
    if nr == u32::MAX {
        // rt_sigreturn restored the interrupted registers and set orig_ax to -1 (so nothing
        // restarts): its number is only in the enter state.
        nr = inflight::current(tid).ok_or(())?.nr;
    }
    let nr = exec::exit_nr(tid, nr, ret);
    let Some(spec) = traced_spec(nr) else {
        return Ok(());
    };
    regs::learn_regs_at(regs_ptr);
    // SAFETY: no preconditions.
    let ts_exit = unsafe { bpf_ktime_get_ns() };
    let mut call = Call {
        ts_enter: 0,
        ts_exit,
        tgid,
        tid,
        ret,
        args: [0; 6],
        saved: 0,
        nr,
        flags: 0,
        sock: 0,
        off_cpu: 0,
        ip: 0,
    };
    if spec.flags & SPEC_EXIT_ONLY != 0 {
        // sys_enter left it alone on purpose: the arguments are in the saved registers.
        call.args = regs::syscall_args(regs_ptr)?;
        call.ip = regs::instruction_pointer(regs_ptr);
    } else {
        match inflight::end(tid) {
            Some(state) => {
                call.ts_enter = state.ts_enter;
                call.args = state.args;
                call.saved = state.saved;
                call.flags = state.flags as u16;
                call.sock = (state.flags >> SOCK_INFLIGHT_SHIFT) as u16;
                call.off_cpu = state.off_cpu;
                call.ip = state.ip;
            }
            // The call began before tracing did: the registers still hold its arguments.
            None => no_enter_args(&mut call, spec, regs_ptr),
        }
    }
    if filter::detach_at_exec(tgid, proc_flags, nr, ret) {
        // Sent whatever the filters say: userspace must learn the process is gone.
        call.flags |= FLAG_DETACHED;
        // Its exit will not be seen: the thread's entry goes now.
        let _ = INFLIGHT.remove(&tid);
    } else if !filter::outcome_wanted(ret, spec.flags)
        || !(filter::duration_wanted(call.ts_enter, ts_exit, call.flags, spec.flags)
            || filter::redactor_needs(spec.flags))
    {
        return Ok(());
    }
    if task::dies_in_call(ret, spec.flags) {
        call.flags |= FLAG_NO_RETURN;
    }
    if stack::wanted(spec.flags, false) {
        stack::capture(regs_ptr, tgid, tid);
    }
    let phase = if call.flags & FLAG_ENTER_LOST != 0 {
        // The enter record was lost: this record carries the whole call, inputs as they are
        // now (what a rebuilt call shows too) and outputs.
        call.flags &= !FLAG_HAS_ENTER_RECORD;
        PHASE_ENTER | PHASE_EXIT
    } else if call.flags & FLAG_NO_ENTER == 0 {
        if spec.flags & SPEC_CAPTURE_EXIT != 0 {
            PHASE_EXIT
        } else {
            0
        }
    } else if call.flags & FLAG_ARGS_AT_EXIT != 0 {
        // Arguments rebuilt from the registers: the inputs as they are now (strace reads them
        // when the call restarts after its attach) and the outputs.
        PHASE_ENTER | PHASE_EXIT
    } else if spec.flags & SPEC_NO_REBUILD != 0 {
        // An exec (the only rows with this flag) that ends without its enter: one made by
        // another thread ends here, in the leader it replaced. Its only exit capture, the new
        // image's path and argv, stands in for what the caller's memory did not give at enter.
        PHASE_EXIT
    } else {
        // Without the enter's arguments we have no pointers to read from.
        0
    };
    record(ctx, KIND_SYSCALL, &call, phase);
    Ok(())
}

/// The exit of a call whose enter was not seen (it began before tracing did, e.g. a `read`
/// blocked when tracer attached): pt_regs at sys_exit still hold the argument registers as the
/// task entered the call, so the call is rebuilt from them and printed whole, as strace prints
/// the call it restarts after attaching. Only taken when no enter state was saved.
/// If the registers cannot be read, the exit is reported as resumed, as before.
#[inline(always)]
fn no_enter_args(call: &mut Call, spec: &SyscallSpec, regs_ptr: *const u64) {
    call.flags = FLAG_NO_ENTER;
    // An exec's registers point into the image that is gone; a call kept only for the fd or
    // task bookkeeping (not selected by `-e trace=`, so its enter was skipped) is not shown.
    if spec.flags & SPEC_NO_REBUILD != 0 || spec.flags & SPEC_TRACED == 0 {
        return;
    }
    let Ok(mut args) = regs::syscall_args(regs_ptr) else {
        return;
    };
    if spec.flags & SPEC_ARG0_SP != 0 {
        args[0] = regs::stack_pointer(regs_ptr).unwrap_or(0);
    }
    call.args = args;
    call.flags |= FLAG_ARGS_AT_EXIT;
    // The registers' instruction pointer is still the one the call was entered from.
    call.ip = regs::instruction_pointer(regs_ptr);
}

/// Captures the simple kinds from `next_arg` on, inline; hands each looping kind to its own
/// program (which comes back here); finally writes the record.
#[raw_tracepoint]
pub fn capture_step(ctx: RawTracePointContext) -> i32 {
    let Some(cur) = Cursor::get() else {
        return 0;
    };
    let Some(spec) = spec(cur.state().call.nr) else {
        emit::complete(&ctx, &cur);
        return 0;
    };
    for _ in 0..6 {
        let i = usize::from(cur.state().next_arg);
        if i >= 6 {
            break;
        }
        cur.state().next_arg += 1;
        let Some(cap) = fetch::wanted(&cur, spec, i) else {
            continue;
        };
        if let Some(prog) = heavy_program(cap.kind) {
            // SAFETY: as in `record`. If it fails, the argument is left without data.
            unsafe { CAPTURE_PROGS.tail_call(&ctx, prog) };
            continue;
        }
        fetch::simple(&cur, cap, i);
    }
    keep_sock(&cur, spec);
    emit::complete(&ctx, &cur);
    0
}

/// An enter record that looked at its socket leaves what it found in the call's enter state,
/// when the exit captures something, so that they need not look again (the call works on the
/// file it found at its start, whatever happens to the fd number meanwhile).
#[inline(always)]
fn keep_sock(cur: &Cursor, spec: &SyscallSpec) {
    let call = &cur.state().call;
    if cur.state().kind != KIND_SYSCALL_ENTER
        || call.sock == 0
        || spec.flags & SPEC_CAPTURE_EXIT == 0
    {
        return;
    }
    if let Some(state) = INFLIGHT.get_ptr_mut(&call.tid) {
        // SAFETY: the value is this thread's, valid for the program's run; only this thread
        // touches its key.
        unsafe { (*state).flags |= u32::from(call.sock) << SOCK_INFLIGHT_SHIFT };
    }
}

/// The capture programs for the looping kinds: each captures argument `next_arg - 1`, then
/// returns to `capture_step`.
macro_rules! heavy_program {
    ($name:ident, $capture:expr) => {
        #[raw_tracepoint]
        pub fn $name(ctx: RawTracePointContext) -> i32 {
            let Some(cur) = Cursor::get() else {
                return 0;
            };
            let i = usize::from(cur.state().next_arg).wrapping_sub(1);
            if let Some(spec) = spec(cur.state().call.nr)
                && let Some(cap) = spec.args.get(i)
            {
                $capture(&cur, cap, i);
            }
            // SAFETY: as in `record`.
            unsafe { CAPTURE_PROGS.tail_call(&ctx, PROG_STEP) };
            emit::complete(&ctx, &cur);
            0
        }
    };
}

heavy_program!(capture_iovec, fetch_loops::iovec_arg);
heavy_program!(capture_msghdr, fetch_loops::msghdr_arg);
heavy_program!(capture_strv, fetch_loops::strv_arg);
heavy_program!(capture_ptrv, fetch_loops::ptrv_arg);

/// sendmmsg/recvmmsg's vector: one entry per run, re-entering itself for the next.
#[raw_tracepoint]
pub fn capture_mmsghdr(ctx: RawTracePointContext) -> i32 {
    let Some(cur) = Cursor::get() else {
        return 0;
    };
    let i = usize::from(cur.state().next_arg).wrapping_sub(1);
    if let Some(spec) = spec(cur.state().call.nr)
        && let Some(cap) = spec.args.get(i)
        && fetch_loops::mmsghdr_entry(&cur, cap, i)
    {
        // SAFETY: as in `record`. If it fails, the entries captured so far are kept.
        unsafe { CAPTURE_PROGS.tail_call(&ctx, PROG_MMSGHDR) };
    }
    cur.state().entry = 0;
    // SAFETY: as in `record`.
    unsafe { CAPTURE_PROGS.tail_call(&ctx, PROG_STEP) };
    emit::complete(&ctx, &cur);
    0
}

/// `--match`: scans the finished record (see `emit::scan_chunk`), continuing in a tail call to
/// itself for long records; writes the record if the pattern is in it.
#[raw_tracepoint]
pub fn match_scan(ctx: RawTracePointContext) -> i32 {
    let Some(cur) = Cursor::get() else {
        return 0;
    };
    match emit::scan_chunk(&cur) {
        emit::ScanStep::Found => {
            emit::finish(&cur);
        }
        emit::ScanStep::Absent => {}
        emit::ScanStep::More => {
            // SAFETY: as in `record`. If the chain is too long, the record is written
            // unchecked: better too much than lost.
            unsafe { CAPTURE_PROGS.tail_call(&ctx, PROG_MATCH) };
            emit::finish(&cur);
        }
    }
    0
}

/// `--bench-floor` only: empty programs for the syscall tracepoints, attached instead of the real
/// ones so that `cargo xtask bench` can show what the hook itself costs every syscall on the
/// host (the kernel's tracepoint slow path and program dispatch), apart from tracer's checks.
#[raw_tracepoint]
pub fn floor_enter(_ctx: RawTracePointContext) -> i32 {
    0
}

/// See `floor_enter`.
#[raw_tracepoint]
pub fn floor_exit(_ctx: RawTracePointContext) -> i32 {
    0
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
