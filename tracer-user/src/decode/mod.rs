//! RawSyscall + syscall table → `Syscall`, the typed model both formatters render.

mod fs;
mod generic;
pub mod model;

pub use model::{Arg, Ret, Syscall};

use std::borrow::Cow;

use crate::{
    event::RawSyscall,
    tables::{self, SyscallDef, errno},
};

/// Syscalls whose return value is an address, printed in hex.
const RETURNS_ADDRESS: &[&str] = &["mmap", "mremap", "brk", "shmat"];

/// Decodes one complete syscall.
pub fn decode(raw: &RawSyscall) -> Syscall {
    let def = tables::by_nr(raw.nr);
    let name: Cow<'static, str> = match def {
        Some(d) => Cow::Borrowed(d.name),
        None => Cow::Owned(format!("syscall_{:#x}", raw.nr)),
    };
    let args = if raw.no_enter {
        Vec::new()
    } else {
        match def {
            Some(d) => decode_args(d, raw),
            None => raw.args.iter().map(|&v| Arg::Hex(v)).collect(),
        }
    };
    Syscall {
        tgid: raw.tgid,
        tid: raw.tid,
        ts_enter: raw.ts_enter,
        ts_exit: raw.ts_exit,
        name,
        args,
        ret: decode_ret(def, raw),
        resumed: raw.no_enter,
    }
}

fn decode_args(def: &SyscallDef, raw: &RawSyscall) -> Vec<Arg> {
    if let Some(args) = fs::decode(def.name, raw) {
        return args;
    }
    match def.params {
        Some(params) => params
            .iter()
            .enumerate()
            .map(|(i, p)| generic::by_type(p, i, raw))
            .collect(),
        None => raw.args.iter().map(|&v| Arg::Hex(v)).collect(),
    }
}

fn decode_ret(def: Option<&SyscallDef>, raw: &RawSyscall) -> Ret {
    if raw.no_return {
        return Ret::Unknown;
    }
    let value = raw.ret as u64;
    if value > u64::MAX - errno::MAX_ERRNO {
        let code = (-raw.ret) as u32;
        return if errno::is_restart(code) {
            Ret::Restart(code)
        } else {
            Ret::Error(code)
        };
    }
    if def.is_some_and(|d| RETURNS_ADDRESS.contains(&d.name)) {
        Ret::Addr(value)
    } else {
        Ret::Value(raw.ret)
    }
}

/// The captured string of argument `i`: the data when read, the address when the read
/// faulted or nothing was captured.
pub(crate) fn string_arg(raw: &RawSyscall, i: usize) -> Arg {
    match raw.blob(i) {
        Some(b) if !b.faulted => Arg::Str {
            bytes: b.data.clone(),
            truncated: b.truncated,
        },
        _ => Arg::Ptr(raw.args[i]),
    }
}
