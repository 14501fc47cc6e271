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
    // the read. T is a plain integer.
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
