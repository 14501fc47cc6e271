//! What the user asked to see: `-e trace=`, `-e status=` (`-z`, `-Z`), `-e signal=`, `-P`.
//!
//! The syscall set and the status filter are also applied in the kernel (see
//! `spec::selected_specs` and the `STATUS_FILTER` global), so filtered syscalls cost no ring
//! space; the checks here decide what is printed among what arrives, which includes the calls
//! kept only to follow file descriptors.

pub mod expr;

use std::{
    ffi::OsStr,
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

use crate::{
    decode::{Arg, Ret, Syscall},
    fdtable::FdName,
};

pub use crate::spec::KernelSelection;
pub use expr::{ExprError, StatusSet};

/// Syscall numbers the selection covers (the kernel's table size).
pub const TABLE_LEN: usize = tracer_common::SYSCALL_TABLE_LEN as usize;

#[derive(Debug, Clone)]
pub struct Filter {
    /// Shown syscalls, by number.
    syscalls: Vec<bool>,
    pub status: StatusSet,
    /// Shown signals, by number.
    signals: Vec<bool>,
    /// `-P`: only calls that touch one of these paths (as given and resolved).
    paths: Vec<PathBuf>,
    /// `--min-duration`: only calls that took at least this many nanoseconds (0: all).
    pub min_duration: u64,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            syscalls: vec![true; TABLE_LEN],
            status: StatusSet::ALL,
            signals: vec![true; crate::tables::signals::NSIG as usize + 1],
            paths: Vec::new(),
            min_duration: 0,
        }
    }
}

/// `-z` / `-Z`: the last one given wins, as in strace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlyStatus {
    Successful,
    Failed,
}

impl Filter {
    /// From `-e EXPR` options (in order: a later `trace=` replaces an earlier one), `-z`/`-Z`,
    /// and `-P` paths.
    pub fn new(
        exprs: &[String],
        only: Option<OnlyStatus>,
        paths: &[PathBuf],
    ) -> Result<Self, ExprError> {
        let mut f = Self::default();
        match only {
            Some(OnlyStatus::Successful) => f.status = expr::status_set("successful")?,
            Some(OnlyStatus::Failed) => f.status = expr::status_set("failed")?,
            None => {}
        }
        for e in exprs {
            let (name, set) = e.split_once('=').unwrap_or(("trace", e.as_str()));
            match name {
                "trace" | "t" => {
                    f.syscalls = expr::syscall_set(set, TABLE_LEN)?;
                    // strace shows a number no syscall has whatever `-e trace=` says
                    // (`syscall_0x1f4(...)`): it cannot be named in the set.
                    for (nr, on) in f.syscalls.iter_mut().enumerate() {
                        *on |= crate::tables::by_nr(nr as u32).is_none();
                    }
                }
                "status" => f.status = expr::status_set(set)?,
                "signal" | "signals" | "s" => f.signals = expr::signal_set(set)?,
                other => return Err(ExprError::Qualifier(other.to_string())),
            }
        }
        for p in paths {
            f.paths.push(p.clone());
            if let Ok(real) = std::fs::canonicalize(p)
                && real != *p
            {
                f.paths.push(real);
            }
        }
        Ok(f)
    }

    /// What the kernel should record; `follow_fds` when the fd table is kept.
    pub fn kernel_selection(&self, follow_fds: bool) -> KernelSelection {
        let mut status_drop = 0;
        if !self.status.successful {
            status_drop |= tracer_common::STATUS_DROP_SUCCESSFUL;
        }
        if !self.status.failed {
            status_drop |= tracer_common::STATUS_DROP_FAILED;
        }
        let mut selection = KernelSelection {
            record: self.syscalls.clone(),
            keep: vec![false; TABLE_LEN],
            status_drop,
            min_duration: self.min_duration,
            stack_traces: false,
        };
        if follow_fds {
            selection.keep_syscalls(crate::tables::SyscallDef::keeps_fd_book);
        }
        selection
    }

    /// Whether syscall `nr`'s lines are wanted.
    pub fn shows_syscall(&self, nr: u32) -> bool {
        self.syscalls.get(nr as usize).copied().unwrap_or(true)
    }

    /// Whether every syscall is shown (no `trace=` narrowing).
    pub fn all_syscalls(&self) -> bool {
        self.syscalls.iter().all(|b| *b)
    }

    /// Whether a call with this outcome is shown.
    pub fn shows_outcome(&self, ret: &Ret) -> bool {
        match ret {
            Ret::Error(_) | Ret::Restart(_) | Ret::ValueError(..) => self.status.failed,
            Ret::Unknown => self.status.unfinished,
            _ => self.status.successful,
        }
    }

    /// `--min-duration`: whether a call that took `took` nanoseconds is shown. A call whose
    /// length is unknown (it began before tracing did, or does not return) is.
    pub fn long_enough(&self, took: Option<u64>) -> bool {
        self.min_duration == 0 || took.is_none_or(|t| t >= self.min_duration)
    }

    pub fn shows_signal(&self, sig: u32) -> bool {
        self.signals.get(sig as usize).copied().unwrap_or(true)
    }

    /// `-P` was given.
    pub fn by_path(&self) -> bool {
        !self.paths.is_empty()
    }

    /// Whether `sc` touches one of the `-P` paths: a path argument (at `path_args`) naming it,
    /// or an fd argument whose description (`describe`) is it. Strings that are data (argv,
    /// buffers) do not count, as in strace.
    pub fn touches_path(
        &self,
        sc: &Syscall,
        path_args: &[usize],
        describe: impl Fn(i32) -> Option<FdName>,
    ) -> bool {
        let wanted = |p: &Path| self.paths.iter().any(|w| w == p);
        sc.args.iter().enumerate().any(|(i, arg)| match arg {
            Arg::Str { bytes, .. } => {
                path_args.contains(&i) && wanted(Path::new(OsStr::from_bytes(bytes)))
            }
            Arg::Fd(fd) => describe(*fd).is_some_and(|d| {
                d.as_path()
                    .is_some_and(|p| wanted(Path::new(OsStr::from_bytes(p))))
            }),
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(name: &'static str, args: Vec<Arg>, ret: Ret) -> Syscall {
        Syscall::new(1, name, args, ret)
    }

    #[test]
    fn later_trace_replaces_earlier() {
        let f = Filter::new(&["trace=openat".into(), "close".into()], None, &[]).expect("ok");
        assert!(f.shows_syscall(3) && !f.shows_syscall(257));
        assert!(!f.all_syscalls());
        assert!(Filter::default().all_syscalls());
    }

    #[test]
    fn status_and_z_flags() {
        let f = Filter::new(&[], Some(OnlyStatus::Failed), &[]).expect("ok");
        assert!(f.shows_outcome(&Ret::Error(2)) && !f.shows_outcome(&Ret::Value(0)));
        let f = Filter::new(&["status=successful".into()], None, &[]).expect("ok");
        assert!(!f.shows_outcome(&Ret::Error(2)) && f.shows_outcome(&Ret::Fd(3)));
        assert!(Filter::new(&["read=3".into()], None, &[]).is_err());
    }

    #[test]
    fn the_kernel_keeps_fd_bookkeeping_calls() {
        let f = Filter::new(
            &["trace=recvfrom".into(), "status=failed".into()],
            None,
            &[],
        )
        .expect("ok");
        let plain = f.kernel_selection(false);
        assert!(plain.record[45] && !plain.record[3] && !plain.keep[43]);
        assert_eq!(plain.status_drop, tracer_common::STATUS_DROP_SUCCESSFUL);
        let fds = f.kernel_selection(true);
        // accept and close are recorded (and kept whatever their outcome); read is not.
        assert!(fds.record[43] && fds.keep[43] && fds.record[3] && !fds.record[0]);
    }

    #[test]
    fn min_duration_keeps_long_and_unknown_lengths() {
        let f = Filter {
            min_duration: 50_000_000,
            ..Filter::default()
        };
        assert!(f.long_enough(Some(50_000_000)) && !f.long_enough(Some(49_999_999)));
        // Began before tracing, or never returned: shown.
        assert!(f.long_enough(None));
        assert!(Filter::default().long_enough(Some(0)));
        assert_eq!(f.kernel_selection(false).min_duration, 50_000_000);
    }

    #[test]
    fn paths_match_arguments_and_fds() {
        let f = Filter::new(&[], None, &[PathBuf::from("/etc/hostname")]).expect("ok");
        let open = sc(
            "openat",
            vec![Arg::sym("AT_FDCWD"), Arg::str(b"/etc/hostname", false)],
            Ret::Fd(3),
        );
        assert!(f.touches_path(&open, &[1], |_| None));
        assert!(!f.touches_path(&open, &[], |_| None));
        let read = sc("read", vec![Arg::Fd(3)], Ret::Value(5));
        assert!(f.touches_path(&read, &[], |fd| {
            (fd == 3).then(|| FdName::path("/etc/hostname"))
        }));
        assert!(!f.touches_path(&read, &[], |_| Some(FdName::path("/etc/passwd"))));
    }
}
