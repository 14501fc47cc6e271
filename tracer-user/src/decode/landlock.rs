//! The landlock_* calls as strace 6.1 prints them: landlock_create_ruleset's
//! `{handled_access_fs=LANDLOCK_ACCESS_FS_*}` (`...` for a size past the 6.1 struct's 8
//! bytes, the address for one below), `LANDLOCK_CREATE_RULESET_VERSION`;
//! landlock_add_rule's `LANDLOCK_RULE_PATH_BENEATH` with `{allowed_access=..., parent_fd=3}`
//! (other rule types, newer than strace 6.1, by number with the attr's address);
//! landlock_restrict_self's fd and flags.

use super::{Arg, Ctx, Syscall, enum_value, flags::flags, model::Ret};
use crate::tables::landlock_gen::{
    LANDLOCK_ACCESS_FS, LANDLOCK_CREATE_RULESET_FLAGS, LANDLOCK_RULE_TYPES,
};

/// strace 6.1's `struct landlock_ruleset_attr`: `handled_access_fs` alone.
pub const RULESET_ATTR_SIZE: usize = 8;
/// `struct landlock_path_beneath_attr` (packed): allowed_access, parent_fd.
pub const PATH_BENEATH_SIZE: usize = 12;
const RULE_PATH_BENEATH: u64 = 1;
/// LANDLOCK_CREATE_RULESET_VERSION: the call returns the ABI version, not an fd.
const CREATE_RULESET_VERSION: u64 = 1;

/// landlock_create_ruleset(attr, size, flags).
pub fn create_ruleset(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let size = ctx.arg(1);
    let attr = match ctx.data(0).and_then(|d| d.get(..RULESET_ATTR_SIZE)) {
        Some(d) if ctx.verbose() && size >= RULESET_ATTR_SIZE as u64 => {
            let fs = u64::from_le_bytes(d.try_into().unwrap_or([0; 8]));
            Arg::Struct {
                fields: vec![("handled_access_fs", flags(LANDLOCK_ACCESS_FS, fs))],
                more: size > RULESET_ATTR_SIZE as u64,
            }
        }
        _ => Arg::Ptr(ctx.arg(0)),
    };
    let flag_word = u64::from(ctx.arg(2) as u32);
    sc.args = vec![
        attr,
        Arg::UInt(size),
        flags(LANDLOCK_CREATE_RULESET_FLAGS, flag_word),
    ];
    if flag_word & CREATE_RULESET_VERSION != 0
        && let Ret::Fd(version) = sc.ret
    {
        sc.ret = Ret::Value(i64::from(version));
    }
}

/// landlock_add_rule(ruleset_fd, rule_type, rule_attr, flags).
pub fn add_rule(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let rule_type = u64::from(ctx.arg(1) as u32);
    let attr = match ctx.data(2).and_then(|d| d.get(..PATH_BENEATH_SIZE)) {
        Some(d) if ctx.verbose() && rule_type == RULE_PATH_BENEATH => {
            let access = u64::from_le_bytes(d[..8].try_into().unwrap_or([0; 8]));
            let parent = i32::from_le_bytes(d[8..12].try_into().unwrap_or([0; 4]));
            Arg::Struct {
                fields: vec![
                    ("allowed_access", flags(LANDLOCK_ACCESS_FS, access)),
                    ("parent_fd", Arg::Fd(parent)),
                ],
                more: false,
            }
        }
        _ => Arg::Ptr(ctx.arg(2)),
    };
    sc.args = vec![
        Arg::Fd(ctx.int(0) as i32),
        enum_value(LANDLOCK_RULE_TYPES, rule_type),
        attr,
        Arg::Hex(u64::from(ctx.arg(3) as u32)),
    ];
}
