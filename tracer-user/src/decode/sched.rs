//! The scheduler's `struct sched_attr` (sched_setattr, sched_getattr), as strace 6.1's
//! print_sched_attr: the fields its size holds, a setter's policy and parameters left out
//! when its flags keep them, `...` when the caller's struct is longer than strace knows, and
//! a setter's E2BIG answer `=> {size=56}`.

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{i32_at, u32_at, u64_at},
        enum_value, flags,
    },
    tables::{longtail_gen::SCHED_ATTR_FLAGS, xlat::SCHED_POLICIES},
};

/// The struct's first size (without the utilization clamps) and the size strace knows.
const SIZE_VER0: u32 = 48;
const SIZE_VER1: u32 = 56;
/// The flags that keep the policy or the parameters (a setter's fields strace leaves out).
const KEEP_POLICY: u64 = 0x08;
const KEEP_PARAMS: u64 = 0x10;
/// The setter's error when its struct is too long for the kernel (the kernel writes its size).
const E2BIG: i64 = 7;

/// A sched_attr from `data` (56 bytes read from the caller). `set`: sched_setattr's, whose
/// own size field says how much of it counts (0: the first version's 48 bytes); else
/// sched_getattr's, `usize` bytes of which were read and whose size the kernel wrote.
pub fn sched_attr(data: &[u8], set: bool, usize_arg: u32) -> Option<Arg> {
    let stated = u32_at(data, 0)?;
    let usize = match (set, stated) {
        (true, 0) => SIZE_VER0,
        (true, n) => n,
        (false, _) => usize_arg,
    };
    let read = usize.min(SIZE_VER1) as usize;
    // What strace did not read stays zero.
    let mut attr = [0u8; SIZE_VER1 as usize];
    let whole = set && read < SIZE_VER0 as usize;
    let take = if whole { 4 } else { read };
    attr[..take].copy_from_slice(data.get(..take)?);
    let size = if set { read as u32 } else { u32_at(&attr, 0)? };
    let mut fields = vec![("size", Arg::UInt(u64::from(u32_at(&attr, 0)?)))];
    let flags_word = u64_at(&attr, 8)?;
    if size >= SIZE_VER0 {
        let policy = u32_at(&attr, 4)?;
        if !set || (policy as i32) < 0 || flags_word & (KEEP_POLICY | KEEP_PARAMS) == 0 {
            fields.push((
                "sched_policy",
                enum_value(SCHED_POLICIES, u64::from(policy)),
            ));
        }
        fields.push(("sched_flags", flags::flags(SCHED_ATTR_FLAGS, flags_word)));
        if !set || flags_word & KEEP_PARAMS == 0 {
            let u32f = |at| u32_at(&attr, at).map(|v| Arg::UInt(u64::from(v)));
            let u64f = |at| u64_at(&attr, at).map(Arg::UInt);
            fields.push(("sched_nice", Arg::Int(i64::from(i32_at(&attr, 16)?))));
            fields.push(("sched_priority", u32f(20)?));
            fields.push(("sched_runtime", u64f(24)?));
            fields.push(("sched_deadline", u64f(32)?));
            fields.push(("sched_period", u64f(40)?));
        }
        if size >= SIZE_VER1 {
            fields.push(("sched_util_min", Arg::UInt(u64::from(u32_at(&attr, 48)?))));
            fields.push(("sched_util_max", Arg::UInt(u64::from(u32_at(&attr, 52)?))));
        }
    }
    let known = if set { usize } else { u32_at(&attr, 0)? };
    Some(Arg::Struct {
        fields,
        more: known > size,
    })
}

/// sched_setattr's E2BIG: the size the kernel wants, written over the caller's, after the
/// struct as it was given (`{size=64, ...} => {size=56}`).
pub fn setattr(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if ctx.raw.ret != -E2BIG || !ctx.verbose() {
        return;
    }
    let after = ctx
        .blob(1)
        .filter(|b| !b.at_enter && !b.faulted)
        .and_then(|b| u32_at(&b.data, 0));
    if let Some(size) = after {
        let before = std::mem::replace(&mut sc.args[1], Arg::Ptr(0));
        let now = Arg::Struct {
            fields: vec![("size", Arg::UInt(u64::from(size)))],
            more: false,
        };
        sc.args[1] = Arg::Changed(Box::new(before), Box::new(now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(size: u32, policy: u32, flags: u64) -> Vec<u8> {
        let mut d = vec![0u8; 56];
        d[..4].copy_from_slice(&size.to_le_bytes());
        d[4..8].copy_from_slice(&policy.to_le_bytes());
        d[8..16].copy_from_slice(&flags.to_le_bytes());
        d[16..20].copy_from_slice(&(-3i32).to_le_bytes());
        d
    }

    fn shown(data: &[u8], set: bool, usize: u32) -> String {
        crate::decode::shown(&sched_attr(data, set, usize).expect("decoded"))
    }

    #[test]
    fn setters_leave_out_what_their_flags_keep() {
        assert_eq!(
            shown(&attr(48, 0, 0x18), true, 0),
            "{size=48, sched_flags=SCHED_FLAG_KEEP_POLICY|SCHED_FLAG_KEEP_PARAMS}"
        );
        assert_eq!(
            shown(&attr(0, 7, 0x80), true, 0),
            "{size=0, sched_policy=0x7 /* SCHED_??? */, sched_flags=0x80 /* SCHED_FLAG_??? */, \
             sched_nice=-3, sched_priority=0, sched_runtime=0, sched_deadline=0, sched_period=0}"
        );
        assert_eq!(shown(&attr(20, 0, 0), true, 0), "{size=20}");
        assert!(shown(&attr(64, 0, 0x10), true, 0).ends_with("sched_util_max=0, ...}"));
    }

    #[test]
    fn getters_print_the_size_the_kernel_wrote() {
        let got = shown(&attr(48, 0, 0), false, 64);
        assert!(got.ends_with("sched_period=0}"), "{got}");
        assert!(shown(&attr(56, 0, 0), false, 56).ends_with("sched_util_max=0}"));
    }
}
