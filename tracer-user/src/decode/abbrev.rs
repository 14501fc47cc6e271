//! strace's abbrev and verbose sets (`-v`, `-e abbrev=SET`, `-e verbose=SET`): which calls
//! print their structures in full, and which print what their arguments point to at all.
//! Decoders ask the call's `Ctx` (`abbrev()`, `verbose()`, `array_limit()`).

use super::RawSet;
use crate::{
    event::{Blob, RawSyscall},
    tables::{self, args::ArgKind},
};

/// strace's two per-syscall sets, kept as their complements (both are `all` by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verbosity {
    /// Calls outside `-e abbrev=SET` (all of them with `-v`): structures with every field,
    /// arrays past `-s` entries, execve's environment as its strings.
    pub full: RawSet,
    /// Calls outside `-e verbose=SET`: what their arguments point to is printed as the
    /// address (strings and data buffers are still read, as strace reads them).
    pub addresses: RawSet,
}

impl Verbosity {
    /// From `-e abbrev=SET` and `-e verbose=SET` read as syscall sets (tables indexed by
    /// syscall number; None: not given, `all`).
    pub fn from_sets(abbrev: Option<&[bool]>, verbose: Option<&[bool]>) -> Self {
        let complement = |set: Option<&[bool]>| match set {
            Some(set) => RawSet::from_flags(&set.iter().map(|on| !on).collect::<Vec<_>>()),
            None => RawSet::default(),
        };
        Self {
            full: complement(abbrev),
            addresses: complement(verbose),
        }
    }
}

/// Whether strace reads an argument of this kind as a structure or an array, which it prints
/// as the address for a call outside `-e verbose=` (strace's `umove_or_printaddr` and
/// `tfetch_mem` check `verbose(tcp)`; strings and data buffers are read with `umovestr` and
/// `umoven`, which do not). `CustomIn`: an ioctl's or fcntl's argument, a value or a pointer
/// by the command (a value needs no capture, so it prints the same either way); `CustomInOut`:
/// io_uring_register's argument.
fn dereferenced(kind: ArgKind) -> bool {
    matches!(
        kind,
        ArgKind::In(_)
            | ArgKind::Out(_)
            | ArgKind::InOut(_)
            | ArgKind::CustomIn(_)
            | ArgKind::CustomInOut
            | ArgKind::CustomSized(_)
    )
}

/// The call without the captures of its dereferenced arguments: decoded from it, each of
/// them prints as its address, as it does when its memory could not be read. None when the
/// call has nothing such (its line is the same).
pub fn without_pointees(raw: &RawSyscall) -> Option<RawSyscall> {
    let kinds = tables::by_nr(raw.nr)?.args?;
    let pointee = |b: &Blob| {
        kinds
            .get(usize::from(b.arg))
            .is_some_and(|k| dereferenced(*k))
    };
    if !raw.blobs.iter().any(pointee) {
        return None;
    }
    let mut bare = raw.clone();
    bare.blobs.retain(|b| !pointee(b));
    Some(bare)
}
