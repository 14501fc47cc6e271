//! The capture table the kernel interprets: for each syscall, which arguments to fetch, how,
//! and when. Derived from the syscall table's declared parameter types, so the kernel and the
//! decoders agree on one source.

use tracer_common::{
    ArgCapture, CAP_CSTR, MAX_ARGS, PATH_CAP, PHASE_ENTER, PHASE_EXIT, SPEC_CAPTURE_ENTER,
    SPEC_NO_RETURN, SPEC_TRACED, SyscallSpec,
};

use crate::tables::{self, Param, SyscallDef};

/// Syscalls that never return to the caller: reported at enter.
const NO_RETURN: &[&str] = &["exit", "exit_group"];

/// Syscalls whose input must be read at enter: after a successful exec the old image (and
/// the memory the pointers point into) is gone.
const CAPTURE_AT_ENTER: &[&str] = &["execve", "execveat"];

/// `const char *` parameters that are byte buffers with a length, not NUL-terminated strings.
const NOT_STRINGS: &[&str] = &["buf", "u_msg_ptr"];

/// Whether a declared parameter is a NUL-terminated input string (a path, mostly).
pub fn is_input_string(param: &Param) -> bool {
    param.ty == "const char *" && !NOT_STRINGS.contains(&param.name)
}

/// The spec row for one syscall.
pub fn spec_for(def: &SyscallDef) -> SyscallSpec {
    let mut spec = SyscallSpec {
        flags: SPEC_TRACED,
        ..SyscallSpec::default()
    };
    if NO_RETURN.contains(&def.name) {
        spec.flags |= SPEC_NO_RETURN;
    }
    let at_enter = CAPTURE_AT_ENTER.contains(&def.name) || spec.flags & SPEC_NO_RETURN != 0;
    let phase = if at_enter { PHASE_ENTER } else { PHASE_EXIT };
    for (i, param) in def
        .params
        .unwrap_or_default()
        .iter()
        .take(MAX_ARGS)
        .enumerate()
    {
        if is_input_string(param) {
            spec.args[i] = ArgCapture {
                kind: CAP_CSTR,
                phase,
                _pad0: 0,
                max: PATH_CAP,
            };
            if phase == PHASE_ENTER {
                spec.flags |= SPEC_CAPTURE_ENTER;
            }
        }
    }
    spec
}

/// Every (syscall number, spec) pair to load into the kernel's table.
pub fn all_specs() -> impl Iterator<Item = (u32, SyscallSpec)> {
    tables::all().iter().map(|def| (def.nr, spec_for(def)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> SyscallSpec {
        spec_for(tables::by_name(name).expect("known syscall"))
    }

    #[test]
    fn paths_are_captured_at_exit_and_exec_at_enter() {
        let openat = spec("openat");
        assert_eq!(openat.args[1].kind, CAP_CSTR);
        assert_eq!(openat.args[1].phase, PHASE_EXIT);
        assert_eq!(openat.flags & SPEC_CAPTURE_ENTER, 0);
        let rename = spec("renameat2");
        assert_eq!(
            (rename.args[1].kind, rename.args[3].kind),
            (CAP_CSTR, CAP_CSTR)
        );
        let execve = spec("execve");
        assert_eq!(execve.args[0].phase, PHASE_ENTER);
        assert_ne!(execve.flags & SPEC_CAPTURE_ENTER, 0);
    }

    #[test]
    fn write_buffers_are_not_strings() {
        assert_eq!(spec("write").args[1].kind, tracer_common::CAP_NONE);
        assert_ne!(spec("exit_group").flags & SPEC_NO_RETURN, 0);
        assert_ne!(spec("getpid").flags & SPEC_TRACED, 0);
    }
}
