//! capget/capset as strace prints them: the header `{version=_LINUX_CAPABILITY_VERSION_3,
//! pid=0}` and the three sets as `1<<CAP_CHOWN|1<<CAP_KILL`, joined from the two 32-bit
//! halves version 2 and 3 use (version 1 has one).

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{i32_at, u32_at},
        enum_value,
        model::Flag,
    },
    tables::ioctl_args_gen::{CAP_VERSIONS, CAPABILITIES},
};

/// `_LINUX_CAPABILITY_VERSION_1`: one 32-bit half of each set.
const VERSION_1: u32 = 0x1998_0330;

/// capget: the header; the sets once the kernel wrote them.
pub fn capget(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let version = header(ctx, sc);
    if !ctx.failed() {
        sets(ctx, sc, version);
    }
}

/// capset: the header and the sets the kernel reads (shown even when it refused them).
pub fn capset(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let version = header(ctx, sc);
    sets(ctx, sc, version);
}

/// `{version=..., pid=0}` as the caller passed it (the kernel writes its own version over
/// one it does not know); returns the version when the header was read.
fn header(ctx: &Ctx<'_>, sc: &mut Syscall) -> Option<u32> {
    let d = ctx
        .blob_at_enter(0)
        .filter(|b| !b.faulted)
        .map(|b| &b.data[..])
        .or_else(|| ctx.data(0))
        .filter(|d| d.len() >= 8)?;
    let version = u32_at(d, 0)?;
    let pid = i64::from(i32_at(d, 4)?);
    sc.args[0] = Arg::Struct {
        fields: vec![
            ("version", enum_value(CAP_VERSIONS, u64::from(version))),
            ("pid", Arg::Pid(pid)),
        ],
        more: false,
    };
    Some(version)
}

/// `{effective=..., permitted=..., inheritable=...}` from `__user_cap_data_struct`s, as many
/// as the version uses; the address when the version is unknown or NULL.
fn sets(ctx: &Ctx<'_>, sc: &mut Syscall, version: Option<u32>) {
    let halves = match version {
        Some(VERSION_1) => 1,
        Some(v) if CAP_VERSIONS.name(u64::from(v)).is_some() => 2,
        _ => return,
    };
    let Some(d) = ctx.data(1).filter(|d| d.len() >= 12 * halves) else {
        return;
    };
    let word = |half: usize, field: usize| u32_at(d, half * 12 + field * 4).unwrap_or(0);
    let set = |field: usize| {
        let high = if halves == 2 { word(1, field) } else { 0 };
        cap_set(word(0, field), high)
    };
    sc.args[1] = Arg::Struct {
        fields: vec![
            ("effective", set(0)),
            ("permitted", set(1)),
            ("inheritable", set(2)),
        ],
        more: false,
    };
}

/// A set as strace's print_cap_bits: `1<<CAP_CHOWN|1<<CAP_KILL`, each 32-bit half its own
/// number for `-X raw` (`0x21|0x1`); the low half unless only the high one has bits; `0`.
fn cap_set(low: u32, high: u32) -> Arg {
    let mut halves = Vec::new();
    if low != 0 || high == 0 {
        halves.push(half(low, 0));
    }
    if high != 0 {
        halves.push(half(high, 32));
    }
    match halves.len() {
        1 => halves.remove(0),
        _ => Arg::Or(halves),
    }
}

/// One half's `1<<CAP_*` names (capabilities from `first`), bits without a name in hex.
fn half(word: u32, first: u64) -> Arg {
    if word == 0 {
        return Arg::Flags(Vec::new());
    }
    let mut parts = Vec::new();
    let mut rest = 0u64;
    for bit in (0..32u64).filter(|b| word & (1 << b) != 0) {
        match CAPABILITIES.name(first + bit) {
            Some(name) => parts.push(Flag::name(format!("1<<{name}"))),
            None => rest |= 1 << bit,
        }
    }
    if rest != 0 {
        parts.push(Flag::Bits(rest));
    }
    Arg::constant(Arg::Hex(u64::from(word)), Arg::Flags(parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn capability_sets_as_strace() {
        assert_eq!(shown(&cap_set(0, 0)), "0");
        assert_eq!(shown(&cap_set(0x21, 0)), "1<<CAP_CHOWN|1<<CAP_KILL");
        assert_eq!(
            shown(&cap_set(0x21, 1 | 1 << 31)),
            "1<<CAP_CHOWN|1<<CAP_KILL|1<<CAP_MAC_OVERRIDE|0x80000000"
        );
        assert_eq!(shown(&cap_set(0, 1)), "1<<CAP_MAC_OVERRIDE");
    }
}
