//! Signals: sigaction, sigsets, sigaltstack, and signal-numbered arguments.

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{u32_at, u64_at},
        notify::sigset_by_size,
    },
    tables::{signal_gen::SS_FLAGS, signals, xlat::SA_FLAGS},
};

const SA_RESTORER: u64 = 0x0400_0000;

/// A kernel `struct sigaction` (handler, flags, restorer, mask).
pub fn sigaction(d: &[u8]) -> Option<Arg> {
    let handler = u64_at(d, 0)?;
    let flags = u64_at(d, 8)?;
    let restorer = u64_at(d, 16)?;
    let mask = u64_at(d, 24)?;
    let handler_arg = match handler {
        0 => super::flags::constant(Arg::Hex(0), "SIG_DFL"),
        1 => super::flags::constant(Arg::Hex(1), "SIG_IGN"),
        h => Arg::Ptr(h),
    };
    let mut fields = vec![
        ("sa_handler", handler_arg),
        ("sa_mask", sigset(mask, signals::NSIG)),
        ("sa_flags", super::flags::flags(SA_FLAGS, flags)),
    ];
    if flags & SA_RESTORER != 0 {
        fields.push(("sa_restorer", Arg::Ptr(restorer)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// A sigset (8 bytes on x86_64).
pub fn sigset_arg(d: &[u8]) -> Arg {
    let bits = u64_at(d, 0).unwrap_or_else(|| {
        let mut b = [0u8; 8];
        for (dst, src) in b.iter_mut().zip(d) {
            *dst = *src;
        }
        u64::from_le_bytes(b)
    });
    let nbits = (d.len() * 8).min(64) as u32;
    sigset(bits, nbits)
}

/// `[INT TERM]`, standing for `[2 15]` (`-X raw`) or `[2 /* INT */ 15 /* TERM */]`
/// (`-X verbose`).
fn sigset(bits: u64, nbits: u32) -> Arg {
    let (complement, members) = signals::sigset_members(bits, nbits);
    let items = members
        .into_iter()
        .map(|(sig, name)| super::flags::constant(Arg::UInt(u64::from(sig)), name))
        .collect();
    Arg::constant(
        Arg::Set { items, complement },
        Arg::sym(signals::sigset(bits, nbits)),
    )
}

/// `stack_t`: `{ss_sp=0x..., ss_flags=SS_AUTODISARM, ss_size=8192}` (the flags an
/// unsigned int: `SS_AUTODISARM` is its top bit).
pub fn stack_t(d: &[u8]) -> Option<Arg> {
    let flags = u32_at(d, 8)?;
    Some(Arg::Struct {
        fields: vec![
            ("ss_sp", Arg::Ptr(u64_at(d, 0)?)),
            ("ss_flags", super::flags::flags(SS_FLAGS, u64::from(flags))),
            ("ss_size", Arg::UInt(u64_at(d, 16)?)),
        ],
        more: false,
    })
}

/// The rt_sig* calls: their sigsets as addresses unless the size is the kernel's 8 bytes
/// (strace's print_sigset_addr_len), rt_sigtimedwait's signal returned by name
/// (`= 10 (SIGUSR1)`, in every -X style).
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    match &*sc.name {
        "rt_sigprocmask" => {
            sigset_by_size(ctx, sc, 1, 3);
            sigset_by_size(ctx, sc, 2, 3);
        }
        "rt_sigpending" | "rt_sigsuspend" => sigset_by_size(ctx, sc, 0, 1),
        "rt_sigtimedwait" => {
            sigset_by_size(ctx, sc, 0, 3);
            if let Ret::Value(v) = sc.ret
                && v > 0
            {
                sc.ret_extra = Some(Arg::Raw(signals::name(v as u64)));
            }
        }
        _ => {}
    }
}
