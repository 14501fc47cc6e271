//! Syscall arguments from the `struct pt_regs *` that raw_syscalls tracepoints pass.

use aya_ebpf::helpers::bpf_probe_read_kernel;

#[cfg(not(bpf_target_arch = "x86_64"))]
compile_error!("tracer supports x86_64 only: the register layout below is x86_64's");

/// x86_64 `struct pt_regs`: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ...
/// The argument registers di si dx r10 r8 r9 all sit in words 7..=14, so one read covers them.
const FIRST_WORD: usize = 7;
const ORIG_AX_WORD: usize = 15;
/// After orig_ax: ip, cs, flags, sp.
const IP_WORD: usize = 16;
const SP_WORD: usize = 19;
const BP_WORD: usize = 4;

/// The six argument registers, in syscall argument order.
#[inline(always)]
pub fn syscall_args(regs: *const u64) -> Result<[u64; 6], ()> {
    // SAFETY: `regs` is the tracepoint's pt_regs pointer; the helper checks the read.
    let w: [u64; 8] =
        unsafe { bpf_probe_read_kernel(regs.wrapping_add(FIRST_WORD).cast()) }.map_err(|_| ())?;
    // w = [r10, r9, r8, ax, cx, dx, si, di]
    Ok([w[7], w[6], w[5], w[0], w[2], w[1]])
}

/// The syscall number (`orig_ax`), for exits whose enter we did not see.
#[inline(always)]
pub fn syscall_nr(regs: *const u64) -> Result<u64, ()> {
    // SAFETY: as above.
    unsafe { bpf_probe_read_kernel(regs.wrapping_add(ORIG_AX_WORD)) }.map_err(|_| ())
}

/// The user stack pointer.
#[inline(always)]
pub fn stack_pointer(regs: *const u64) -> Result<u64, ()> {
    // SAFETY: as above.
    unsafe { bpf_probe_read_kernel(regs.wrapping_add(SP_WORD)) }.map_err(|_| ())
}

/// The user instruction pointer (at a syscall: the instruction after it), when `-i` asks for
/// it (`WANT_IP`); 0 otherwise or when unreadable.
#[inline(always)]
pub fn instruction_pointer(regs: *const u64) -> u64 {
    if crate::maps::WANT_IP.load() == 0 {
        return 0;
    }
    // SAFETY: as above.
    unsafe { bpf_probe_read_kernel(regs.wrapping_add(IP_WORD)) }.unwrap_or(0)
}

/// The current task's saved user registers, for events outside the syscall tracepoints.
#[inline(always)]
pub fn current() -> *const u64 {
    // SAFETY: no preconditions; the task pointer is the kernel's own, trusted by the verifier.
    let regs = unsafe {
        aya_ebpf::helpers::generated::bpf_task_pt_regs(
            aya_ebpf::helpers::generated::bpf_get_current_task_btf(),
        )
    };
    regs as *const u64
}

/// The current task's user instruction pointer (a signal's delivery); 0 as
/// `instruction_pointer`.
#[inline(always)]
pub fn current_instruction_pointer() -> u64 {
    if crate::maps::WANT_IP.load() == 0 {
        return 0;
    }
    instruction_pointer(current())
}

/// The saved user registers of `task` (a `task_struct` pointer, not BTF-typed, so
/// `bpf_task_pt_regs` cannot take it): they sit at the same offset in every task's kernel
/// stack, learnt from a traced syscall's registers (`learn_regs_at`).
#[inline(always)]
pub fn of_task(task: u64) -> Option<*const u64> {
    let at = *crate::maps::REGS_AT.get(0)?;
    if at == 0 {
        return None;
    }
    let stack = crate::mem::kernel_u64(task, crate::maps::TASK_STACK_OFF.load())?;
    Some((stack + at) as *const u64)
}

/// With `-i`, at a traced syscall: notes where the registers `regs` (the tracepoint's, a
/// plain address) sit in the current task's kernel stack, once.
#[inline(always)]
pub fn learn_regs_at(regs: *const u64) {
    if crate::maps::WANT_IP.load() == 0 {
        return;
    }
    let Some(slot) = crate::maps::REGS_AT.get_ptr_mut(0) else {
        return;
    };
    // SAFETY: an array value; a racing writer writes the same number.
    if unsafe { *slot } != 0 {
        return;
    }
    // SAFETY: no preconditions; the pointer is only read through probe reads.
    let task = unsafe { aya_ebpf::helpers::generated::bpf_get_current_task() };
    let Some(stack) = crate::mem::kernel_u64(task, crate::maps::TASK_STACK_OFF.load()) else {
        return;
    };
    if let Some(at) = (regs as u64).checked_sub(stack) {
        // SAFETY: as above.
        unsafe { *slot = at };
    }
}

/// The user ip, sp and bp (`-k`'s unwinding starts from them).
#[inline(always)]
pub fn user_frame(regs: *const u64) -> Result<(u64, u64, u64), ()> {
    // SAFETY: as above.
    let read = |word: usize| unsafe { bpf_probe_read_kernel(regs.wrapping_add(word)) };
    Ok((
        read(IP_WORD).map_err(|_| ())?,
        read(SP_WORD).map_err(|_| ())?,
        read(BP_WORD).map_err(|_| ())?,
    ))
}
