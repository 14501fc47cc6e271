//! Which values are process ids (`-Y` prints the process name after them), as strace 6.1
//! marks them: the return value of the calls whose row says `RET_PID`. (Pid arguments are
//! rendered by their kind, `ArgKind::Pid`.)

use super::{Ret, Syscall};
use crate::tables::{SyscallDef, row::behaviour::RET_PID};

/// Marks `sc`'s return value as [`Ret::Pid`] when it is one.
pub fn mark(def: Option<&SyscallDef>, sc: &mut Syscall) {
    if let Ret::Value(v) = sc.ret
        && v > 0
        && def.is_some_and(|d| d.has(RET_PID))
    {
        sc.ret = Ret::Pid(v);
    }
}
