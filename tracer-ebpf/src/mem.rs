//! Reading user and kernel memory into locals: the bottom of the programs' helpers, used by the
//! argument fetching, the fd and socket readers and the signal programs.

use aya_ebpf::helpers::generated::{bpf_probe_read_kernel, bpf_probe_read_user};

/// The user u32 at `ptr` (None for NULL or a fault).
#[inline(always)]
pub fn read_u32(ptr: u64) -> Option<u32> {
    if ptr == 0 {
        return None;
    }
    let mut v: u32 = 0;
    // SAFETY: reads 4 user bytes into a local; the helper checks the read.
    let ret =
        unsafe { bpf_probe_read_user(core::ptr::from_mut(&mut v).cast(), 4, ptr as *const _) };
    (ret == 0).then_some(v)
}

/// The user u64 at `ptr` (None for a fault).
#[inline(always)]
pub fn read_u64(ptr: u64) -> Option<u64> {
    let mut v: u64 = 0;
    // SAFETY: as in read_u32.
    let ret =
        unsafe { bpf_probe_read_user(core::ptr::from_mut(&mut v).cast(), 8, ptr as *const _) };
    (ret == 0).then_some(v)
}

/// Reads a kernel value of type `T` at `ptr + off`.
#[inline(always)]
fn kernel<T: Copy + Default>(ptr: u64, off: u32) -> Option<T> {
    let mut v = T::default();
    // SAFETY: reads size_of::<T>() kernel bytes into a local of that size; the helper checks
    // the read. T is a plain integer or an array of them.
    let ret = unsafe {
        bpf_probe_read_kernel(
            core::ptr::from_mut(&mut v).cast(),
            size_of::<T>() as u32,
            (ptr + u64::from(off)) as *const _,
        )
    };
    (ret == 0).then_some(v)
}

/// Reads a kernel u32 at `ptr + off` (task_struct fields).
#[inline(always)]
pub fn kernel_u32(ptr: u64, off: u32) -> Option<u32> {
    kernel(ptr, off)
}

/// Reads a kernel u64 (a pointer, mostly) at `ptr + off`.
#[inline(always)]
pub fn kernel_u64(ptr: u64, off: u32) -> Option<u64> {
    kernel(ptr, off)
}

/// A kernel u16 (0 when the read faults).
#[inline(always)]
pub fn kernel_u16(ptr: u64, off: u32) -> u16 {
    kernel(ptr, off).unwrap_or(0)
}

/// The kernel u64s at `ptr + a` and `ptr + b`: one read when they are neighbours (the offsets
/// come from the kernel's BTF into read-only globals, so the verifier keeps only one of the
/// two ways), else two. Each probe read is a helper call with its own checks, the larger part
/// of what reading a field costs (issue 21). None when a read faults.
#[inline(always)]
pub fn kernel_u64_pair(ptr: u64, a: u32, b: u32) -> Option<(u64, u64)> {
    if b == a.wrapping_add(8) {
        let w: [u64; 2] = kernel(ptr, a)?;
        return Some((w[0], w[1]));
    }
    if a == b.wrapping_add(8) {
        let w: [u64; 2] = kernel(ptr, b)?;
        return Some((w[1], w[0]));
    }
    Some((kernel(ptr, a)?, kernel(ptr, b)?))
}

/// The kernel u16s at `ptr + a` and `ptr + b` (0 for a read that faults), in one read when
/// they are neighbours, as `kernel_u64_pair`.
#[inline(always)]
pub fn kernel_u16_pair(ptr: u64, a: u32, b: u32) -> (u16, u16) {
    if b == a.wrapping_add(2) {
        let w: [u16; 2] = kernel(ptr, a).unwrap_or_default();
        return (w[0], w[1]);
    }
    if a == b.wrapping_add(2) {
        let w: [u16; 2] = kernel(ptr, b).unwrap_or_default();
        return (w[1], w[0]);
    }
    (kernel_u16(ptr, a), kernel_u16(ptr, b))
}
