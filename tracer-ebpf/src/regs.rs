//! Syscall arguments from the `struct pt_regs *` that raw_syscalls tracepoints pass.

use aya_ebpf::helpers::bpf_probe_read_kernel;

#[cfg(not(bpf_target_arch = "x86_64"))]
compile_error!("tracer supports x86_64 only: the register layout below is x86_64's");

/// x86_64 `struct pt_regs`: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ...
/// The argument registers di si dx r10 r8 r9 all sit in words 7..=14, so one read covers them.
const FIRST_WORD: usize = 7;
const ORIG_AX_WORD: usize = 15;
/// After orig_ax: ip, cs, flags, sp.
const SP_WORD: usize = 19;

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
