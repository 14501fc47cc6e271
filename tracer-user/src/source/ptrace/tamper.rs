//! `-e inject=` / `-e fault=` at syscall stops, as strace does it: at the entry the call's
//! number becomes -1 (no call is made) or `syscall=`'s, a `signal=` is sent with the resume
//! (the kernel delivers it as the call returns), and at the exit the return register gets the
//! error or value. Delays sleep in place: the other tracees wait meanwhile (strace's timers
//! are not reproduced).

use super::PtraceSource;
use crate::{event::Tampered, tamper::Injections};

/// What was done to a call at its entry, for its exit.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Applied {
    /// The return register's value at the exit.
    ret: Option<i64>,
    delay_exit: Option<std::time::Duration>,
    pub marks: Tampered,
}

impl PtraceSource {
    /// `-e inject=`, `-e fault=`: the calls to change.
    pub fn inject(&mut self, injections: Injections) {
        self.injections = injections;
    }

    /// At the entry stop of `tid`'s call of `nr`: counts it and, when its rule picks it,
    /// changes it. The signal to send is left in `resume_signal`.
    pub(super) fn tamper_enter(&mut self, tid: u32, nr: u32) -> Option<Applied> {
        let rule = *self.injections.rule(nr)?;
        if !rule.fires(self.call_counts.next(tid, nr)) {
            return None;
        }
        let mut applied = Applied {
            delay_exit: rule.delay_exit,
            ..Applied::default()
        };
        if let Some(outcome) = rule.outcome {
            let instead = rule.instead.map_or(-1, i64::from);
            if self.os.set_syscall(tid, instead) {
                applied.ret = Some(outcome.register());
                applied.marks.injected = true;
            } else {
                log::warn!("tid {tid}: cannot change syscall {nr}: its registers are unwritable");
            }
        }
        self.resume_signal = rule.signal.map(i32::from);
        if let Some(delay) = rule.delay_enter {
            std::thread::sleep(delay);
        }
        applied.marks.delayed = rule.delay_enter.is_some() || rule.delay_exit.is_some();
        Some(applied)
    }

    /// At the exit stop of a call changed at its entry: its return value as the tracee sees
    /// it (`ret`: the kernel's).
    pub(super) fn tamper_exit(&mut self, tid: u32, applied: Applied, ret: i64) -> i64 {
        if let Some(delay) = applied.delay_exit {
            std::thread::sleep(delay);
        }
        match applied.ret {
            Some(value) if self.os.set_return(tid, value) => value,
            _ => ret,
        }
    }
}
