//! The io_uring calls as strace 6.1's io_uring.c prints them: io_uring_setup's
//! `struct io_uring_params` (what the caller set: `flags`, `sq_thread_cpu` in hex,
//! `sq_thread_idle`, `wq_fd` with `IORING_SETUP_ATTACH_WQ`, `resv` when not all zero; and
//! once the call succeeded what the kernel wrote: `sq_entries`, `cq_entries`, `features`,
//! `sq_off`, `cq_off`), io_uring_enter's sigset by its size (io_uring_register's argument:
//! `io_uring_register`).

use super::{
    Arg, Ctx, Syscall,
    bytes::{u32_at, u64_at},
    flags::flags,
};
use crate::tables::io_uring_gen::{IORING_FEATURES, IORING_SETUP_FLAGS};

const SETUP_ATTACH_WQ: u32 = 0x20;

/// io_uring_setup(entries, params).
pub fn setup(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let params = ctx
        .data(1)
        .and_then(|d| params(d, !ctx.failed()))
        .unwrap_or(Arg::Ptr(ctx.arg(1)));
    sc.args = vec![Arg::UInt(u64::from(ctx.arg(0) as u32)), params];
}

/// The params: what the caller set, and with `done` what the kernel wrote back.
fn params(d: &[u8], done: bool) -> Option<Arg> {
    let u32_field = |at: usize| u32_at(d, at).map(u64::from);
    let setup_flags = u32_at(d, 8)?;
    let mut fields = vec![
        ("flags", flags(IORING_SETUP_FLAGS, u64::from(setup_flags))),
        ("sq_thread_cpu", Arg::Hex(u32_field(12)?)),
        ("sq_thread_idle", Arg::UInt(u32_field(16)?)),
    ];
    if setup_flags & SETUP_ATTACH_WQ != 0 {
        fields.push(("wq_fd", Arg::Fd(u32_at(d, 24)? as i32)));
    }
    let resv: Vec<u64> = (0..3)
        .map(|k| u32_field(28 + 4 * k))
        .collect::<Option<_>>()?;
    if resv.iter().any(|&r| r != 0) {
        let items = resv.into_iter().map(Arg::Hex).collect();
        fields.push(("resv", Arg::Array { items, more: false }));
    }
    if done {
        fields.push(("sq_entries", Arg::UInt(u32_field(0)?)));
        fields.push(("cq_entries", Arg::UInt(u32_field(4)?)));
        fields.push(("features", flags(IORING_FEATURES, u32_field(20)?)));
        let sq = [
            "head",
            "tail",
            "ring_mask",
            "ring_entries",
            "flags",
            "dropped",
            "array",
        ];
        fields.push(("sq_off", offsets(d, 40, &sq)?));
        let cq = [
            "head",
            "tail",
            "ring_mask",
            "ring_entries",
            "overflow",
            "cqes",
            "flags",
        ];
        fields.push(("cq_off", offsets(d, 80, &cq)?));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `struct io_sqring_offsets` / `io_cqring_offsets` at `at`: seven u32 offsets, then `resv1`
/// (u32) and `resv2` (u64), each printed in hex only when not zero.
fn offsets(d: &[u8], at: usize, names: &[&'static str; 7]) -> Option<Arg> {
    let mut fields = Vec::with_capacity(9);
    for (k, name) in names.iter().enumerate() {
        fields.push((*name, Arg::UInt(u64::from(u32_at(d, at + 4 * k)?))));
    }
    let resv1 = u64::from(u32_at(d, at + 28)?);
    let resv2 = u64_at(d, at + 32)?;
    if resv1 != 0 {
        fields.push(("resv1", Arg::Hex(resv1)));
    }
    if resv2 != 0 {
        fields.push(("resv2", Arg::Hex(resv2)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// io_uring_enter(fd, to_submit, min_complete, flags, sig, sigsz): the sigset as its address
/// unless its size is 8.
pub fn enter(ctx: &Ctx<'_>, sc: &mut Syscall) {
    super::notify::sigset_by_size(ctx, sc, 4, 5);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    /// A params struct: `flags`, `wq_fd`, `resv[1]`, and the sq ring's `resv1`.
    fn raw(flags: u32) -> Vec<u8> {
        let mut d = vec![0u8; 120];
        d[0..4].copy_from_slice(&4u32.to_le_bytes());
        d[4..8].copy_from_slice(&8u32.to_le_bytes());
        d[8..12].copy_from_slice(&flags.to_le_bytes());
        d[24..28].copy_from_slice(&7u32.to_le_bytes());
        d[32..36].copy_from_slice(&9u32.to_le_bytes());
        d[68..72].copy_from_slice(&0x10u32.to_le_bytes());
        d
    }

    #[test]
    fn params_show_the_kernels_half_only_once_the_call_succeeded() {
        let failed = params(&raw(SETUP_ATTACH_WQ), false).expect("params");
        assert_eq!(
            shown(&failed),
            "{flags=IORING_SETUP_ATTACH_WQ, sq_thread_cpu=0, sq_thread_idle=0, wq_fd=7, \
             resv=[0, 0x9, 0]}"
        );
        let done = params(&raw(0), true).expect("params");
        assert_eq!(
            shown(&done),
            "{flags=0, sq_thread_cpu=0, sq_thread_idle=0, resv=[0, 0x9, 0], sq_entries=4, \
             cq_entries=8, features=0, sq_off={head=0, tail=0, ring_mask=0, ring_entries=0, \
             flags=0, dropped=0, array=0, resv1=0x10}, cq_off={head=0, tail=0, ring_mask=0, \
             ring_entries=0, overflow=0, cqes=0, flags=0}}"
        );
        assert_eq!(params(&raw(0)[..100], true), None);
    }
}
