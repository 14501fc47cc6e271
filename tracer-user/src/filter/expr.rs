//! strace's qualifying expressions: `-e trace=open,%net`, `-e trace=!%memory`,
//! `-e status=failed`, `-e signal=!SIGCHLD`. A set is a comma-separated list; a leading `!`
//! negates the whole set; `all` and `none` are the full and the empty set.

use regex::Regex;

use crate::tables::{self, classes, signals};

/// A parse failure, worded like strace's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    #[error("invalid system call '{0}'")]
    Syscall(String),
    /// strace names the class as a system call.
    #[error("invalid system call '%{0}'")]
    Class(String),
    #[error("invalid regular expression '{0}': {1}")]
    Regex(String, String),
    #[error("invalid status '{0}'")]
    Status(String),
    #[error("invalid signal '{0}'")]
    Signal(String),
    #[error("invalid -e qualifier '{0}' (known: trace, status, signal)")]
    Qualifier(String),
    #[error("invalid quiet '{0}'")]
    Quiet(String),
}

/// Splits `!a,b` into (negated, items); a set with no item (``, `,`, `!`) is refused as strace
/// refuses it, with `invalid` naming the whole set.
fn items(set: &str, invalid: fn(String) -> ExprError) -> Result<(bool, Vec<&str>), ExprError> {
    let (negated, rest) = match set.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, set),
    };
    let list: Vec<&str> = rest.split(',').filter(|s| !s.is_empty()).collect();
    if list.is_empty() {
        return Err(invalid(set.to_string()));
    }
    Ok((negated, list))
}

/// Adds the syscalls `item` names to `out` (indexed by syscall number).
fn add_syscalls(item: &str, out: &mut [bool]) -> Result<(), ExprError> {
    let mut set = |nr: u32| {
        if let Some(slot) = out.get_mut(nr as usize) {
            *slot = true;
        }
    };
    match item {
        // Numbers no syscall has too, as strace's `all` (`syscall_0x1f4(...)`).
        "all" => out.iter_mut().for_each(|b| *b = true),
        "none" => {}
        _ => {
            if let Some(class) = item.strip_prefix('%') {
                let class =
                    classes::by_name(class).ok_or_else(|| ExprError::Class(class.to_string()))?;
                class.members().for_each(set);
            } else if let Some(pattern) = item.strip_prefix('/') {
                let re = Regex::new(pattern)
                    .map_err(|e| ExprError::Regex(pattern.to_string(), regex_reason(&e)))?;
                tables::all()
                    .iter()
                    .filter(|d| re.is_match(d.name))
                    .for_each(|d| set(d.nr));
            } else if let Some(name) = item.strip_prefix('?') {
                // `?name`: no error when the name is unknown.
                if let Some(d) = tables::by_name(name) {
                    set(d.nr);
                }
            } else if let Some(d) = tables::by_name(item) {
                set(d.nr);
            } else if tables::is_i386_only(item) {
                // strace's i386 names (`chown32`): accepted, they match nothing on x86_64.
            } else if let Some(class) = classes::by_name(item) {
                // strace's older spelling of classes, without the `%`: `trace=network`.
                class.members().for_each(set);
            } else if let Ok(nr) = item.parse::<u32>() {
                set(nr);
            } else {
                return Err(ExprError::Syscall(item.to_string()));
            }
        }
    }
    Ok(())
}

/// `trace=SET`: which syscalls, indexed by number (`len` entries).
pub fn syscall_set(set: &str, len: usize) -> Result<Vec<bool>, ExprError> {
    let (negated, list) = items(set, ExprError::Syscall)?;
    let mut out = vec![false; len];
    for item in list {
        add_syscalls(item, &mut out)?;
    }
    if negated {
        out.iter_mut().for_each(|b| *b = !*b);
    }
    Ok(out)
}

/// Which outcomes are shown (`status=SET`, `-z`, `-Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusSet {
    pub successful: bool,
    pub failed: bool,
    /// Calls that never returned (exit_group, a task killed inside a call).
    pub unfinished: bool,
}

impl StatusSet {
    pub const ALL: Self = Self {
        successful: true,
        failed: true,
        unfinished: true,
    };
    pub const NONE: Self = Self {
        successful: false,
        failed: false,
        unfinished: false,
    };

    pub fn is_all(&self) -> bool {
        *self == Self::ALL
    }
}

pub fn status_set(set: &str) -> Result<StatusSet, ExprError> {
    let (negated, list) = items(set, ExprError::Status)?;
    let mut out = StatusSet::NONE;
    for item in list {
        match item {
            "all" => out = StatusSet::ALL,
            "none" => {}
            "successful" => out.successful = true,
            "failed" => out.failed = true,
            "unfinished" => out.unfinished = true,
            // Outcomes ptrace can miss; an eBPF trace always has the return value.
            "unavailable" | "detached" => {}
            other => return Err(ExprError::Status(other.to_string())),
        }
    }
    if negated {
        out = StatusSet {
            successful: !out.successful,
            failed: !out.failed,
            unfinished: !out.unfinished,
        };
    }
    Ok(out)
}

/// Which of strace's informational messages are left out (`-q`, `-e quiet=SET`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuietSet {
    /// `tracer: process N attached` / `detached`.
    pub attach: bool,
    /// `+++ exited with N +++` (a death by signal is still shown, as strace shows it).
    pub exit: bool,
    /// `+++ superseded by execve in pid N +++` (`thread-execve`).
    pub thread_execve: bool,
    /// strace's notes on -P paths and personality changes: tracer prints none of them, so
    /// they are accepted and change nothing.
    pub other: bool,
}

pub fn quiet_set(set: &str) -> Result<QuietSet, ExprError> {
    let (negated, list) = items(set, ExprError::Quiet)?;
    let mut out = QuietSet::default();
    let all = QuietSet {
        attach: true,
        exit: true,
        thread_execve: true,
        other: true,
    };
    for item in list {
        match item {
            "all" => out = all,
            "none" => {}
            "attach" => out.attach = true,
            "exit" | "exits" => out.exit = true,
            "thread-execve" | "superseded" => out.thread_execve = true,
            "path-resolution" | "personality" => out.other = true,
            other => return Err(ExprError::Quiet(other.to_string())),
        }
    }
    if negated {
        out = QuietSet {
            attach: !out.attach,
            exit: !out.exit,
            thread_execve: !out.thread_execve,
            other: !out.other,
        };
    }
    Ok(out)
}

/// One signal: `SIGCHLD`, `CHLD`, `chld` or `17`.
pub fn signal_number(item: &str) -> Option<u32> {
    if let Ok(n) = item.parse::<u32>() {
        return (1..=signals::NSIG).contains(&n).then_some(n);
    }
    let upper = item.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    (1..=signals::NSIG).find(|&n| signals::short_name(n).as_deref() == Some(bare))
}

/// `signal=SET`: which signals' lines are shown, indexed by number (0 unused).
pub fn signal_set(set: &str) -> Result<Vec<bool>, ExprError> {
    let (negated, list) = items(set, ExprError::Signal)?;
    let len = signals::NSIG as usize + 1;
    let mut out = vec![false; len];
    for item in list {
        match item {
            "all" => out.iter_mut().skip(1).for_each(|b| *b = true),
            "none" => {}
            _ => {
                let n = signal_number(item).ok_or_else(|| ExprError::Signal(item.to_string()))?;
                out[n as usize] = true;
            }
        }
    }
    if negated {
        out.iter_mut().skip(1).for_each(|b| *b = !*b);
    }
    Ok(out)
}

/// The regex crate's reason in one line: its syntax errors span three (`regex parse error:`,
/// the pattern, a caret) before `error: unclosed character class`.
fn regex_reason(err: &regex::Error) -> String {
    let text = err.to_string();
    text.lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().next().unwrap_or_default())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nr(name: &str) -> usize {
        tables::by_name(name).expect("known").nr as usize
    }

    #[test]
    fn names_classes_and_negation() {
        let set = syscall_set("open,%net", 512).expect("ok");
        assert!(set[nr("open")] && set[nr("accept4")] && set[nr("recvfrom")]);
        assert!(!set[nr("read")]);
        let set = syscall_set("!%memory", 512).expect("ok");
        assert!(!set[nr("mmap")] && set[nr("read")]);
        let bare = syscall_set("network", 512).expect("ok");
        assert!(bare[nr("accept")] && bare[nr("recvfrom")] && !bare[nr("read")]);
        let set = syscall_set("/^rt_sig", 512).expect("ok");
        assert!(set[nr("rt_sigaction")] && !set[nr("kill")]);
        assert!(syscall_set("?nosuchcall,read", 512).expect("ok")[0]);
        assert!(syscall_set("none", 512).expect("ok").iter().all(|b| !b));
        assert_eq!(
            syscall_set("nosuchcall", 512),
            Err(ExprError::Syscall("nosuchcall".into()))
        );
        assert_eq!(
            syscall_set("%bogus", 512),
            Err(ExprError::Class("bogus".into()))
        );
    }

    #[test]
    fn i386_names_are_accepted_and_match_nothing() {
        let set = syscall_set("chown32,fstat64,_newselect,getuid32,read", 512).expect("ok");
        assert_eq!(set.iter().filter(|b| **b).count(), 1);
        assert!(set[nr("read")]);
        let all_but = syscall_set("!chown32", 512).expect("ok");
        assert!(all_but.iter().all(|b| *b));
        assert_eq!(
            syscall_set("arm_fadvise64_64", 512),
            Err(ExprError::Syscall("arm_fadvise64_64".into()))
        );
    }

    #[test]
    fn statuses() {
        let failed = status_set("failed").expect("ok");
        assert!(failed.failed && !failed.successful);
        let not_failed = status_set("!failed").expect("ok");
        assert!(!not_failed.failed && not_failed.successful);
        assert!(status_set("all").expect("ok").is_all());
        assert!(status_set("bogus").is_err());
    }

    #[test]
    fn quiet_sets() {
        let q = quiet_set("attach,personality").expect("ok");
        assert!(q.attach && !q.exit);
        assert!(quiet_set("all").expect("ok").exit);
        assert!(!quiet_set("!exit").expect("ok").exit);
        assert_eq!(quiet_set("bogus"), Err(ExprError::Quiet("bogus".into())));
    }

    #[test]
    fn signals() {
        for (set, want) in [("", "''"), (",", "','"), ("!", "'!'")] {
            assert_eq!(
                syscall_set(set, 10).expect_err(set).to_string(),
                format!("invalid system call {want}")
            );
            assert_eq!(
                signal_set(set).expect_err(set).to_string(),
                format!("invalid signal {want}")
            );
        }
        let set = signal_set("SIGCHLD,term,2").expect("ok");
        assert!(set[17] && set[15] && set[2] && !set[9]);
        let set = signal_set("!SIGCHLD").expect("ok");
        assert!(!set[17] && set[9] && !set[0]);
        assert_eq!(
            signal_set("SIGNOPE"),
            Err(ExprError::Signal("SIGNOPE".into()))
        );
    }

    /// A bad pattern's error is one line (it spanned three).
    #[test]
    fn a_bad_pattern_is_told_in_one_line() {
        let err = syscall_set("/[", 512)
            .expect_err("a bad pattern")
            .to_string();
        assert_eq!(
            err,
            "invalid regular expression '[': unclosed character class"
        );
    }
}
