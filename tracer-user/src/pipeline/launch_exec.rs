//! A launched command whose exec fails: strace shows the failed `execve` line, then nothing of
//! the process but `strace: exec: Permission denied` and `+++ exited with 1 +++` (its
//! `hide_log_until_execve`). What the child runs after the failure is tracer's own code
//! (reporting the errno to tracer, exiting): never the traced program's calls.

use crate::{event::RawSyscall, tables};

/// Where the launched command is on its way to its first successful exec.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ExecState {
    /// Not exec'd yet: its calls are shown (the exec itself).
    #[default]
    Before,
    /// Its exec failed: the rest of its calls are tracer's and hidden.
    Failed,
    /// Exec'd: the program's own.
    Running,
}

impl ExecState {
    /// Its exec failed: what the process does or gets from then on (a SIGPIPE of its report
    /// that nobody reads) is tracer's, hidden.
    pub fn failed(self) -> bool {
        self == Self::Failed
    }

    /// Whether the launched command's call `raw` is hidden; moves on at the exec's end.
    /// Returns the errno of an exec that has just failed, for tracer's message.
    pub fn step(&mut self, raw: &RawSyscall) -> (bool, Option<i32>) {
        match *self {
            Self::Running => (false, None),
            Self::Failed => (true, None),
            Self::Before => {
                let is_exec = tables::by_nr(raw.nr).is_some_and(tables::SyscallDef::is_exec);
                if !is_exec || raw.part == crate::event::Part::Enter {
                    return (false, None);
                }
                if raw.ret < 0 && raw.ret > -4096 {
                    *self = Self::Failed;
                    return (false, Some(-raw.ret as i32));
                }
                *self = Self::Running;
                (false, None)
            }
        }
    }
}

/// tracer's word on a launched command whose exec failed, strace's `exec: Permission denied`.
pub fn failure_message(errno: i32) -> String {
    let err = std::io::Error::from_raw_os_error(errno);
    format!("tracer: exec: {}", crate::error::strerror(&err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Part;

    fn call(nr: u32, part: Part, ret: i64) -> RawSyscall {
        RawSyscall {
            part,
            no_enter: false,
            no_return: false,
            has_enter_record: false,
            restarted: false,
            ts_enter: 0,
            ts_exit: 0,
            tgid: 7,
            tid: 7,
            nr,
            ret,
            args: [0; 6],
            off_cpu: 0,
            ip: None,
            blobs: Vec::new(),
            tampered: Default::default(),
        }
    }

    #[test]
    fn after_a_failed_exec_the_rest_is_hidden_until_the_end() {
        let mut s = ExecState::default();
        assert_eq!(s.step(&call(59, Part::Enter, 0)), (false, None));
        assert_eq!(s.step(&call(59, Part::Complete, -13)), (false, Some(13)));
        assert_eq!(s.step(&call(13, Part::Complete, 0)), (true, None));
        assert_eq!(s.step(&call(1, Part::Complete, 4)), (true, None));
        assert_eq!(s.step(&call(231, Part::Complete, 0)), (true, None));
        assert_eq!(
            failure_message(13),
            "tracer: exec: Permission denied",
            "strace's words, lowercase"
        );
    }

    #[test]
    fn after_a_successful_exec_nothing_is_hidden() {
        let mut s = ExecState::default();
        assert_eq!(s.step(&call(322, Part::Complete, 0)), (false, None));
        assert_eq!(s.step(&call(59, Part::Complete, -2)), (false, None));
        assert_eq!(s.step(&call(1, Part::Complete, 4)), (false, None));
    }
}
