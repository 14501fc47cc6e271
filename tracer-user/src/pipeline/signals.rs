//! Signal lines: `--- SIGCHLD {...} ---` shown now, after the call its task was in, or after
//! the call that sent it (`sender_wait`), and `--- stopped by SIGSTOP ---`.

use super::*;

impl Pipeline {
    /// `--- SIGCHLD {...} ---`, unless `-e signal=` leaves it out. An ignored signal that
    /// came while its task was in a syscall waits for that call's line (strace sees it then).
    pub(super) fn signal(&mut self, s: Signal) -> Result<(), SinkError> {
        if self.opts.quiet() || !self.opts.filter.shows_signal(s.sig) {
            return Ok(());
        }
        let tasks = &self.tasks;
        let traced = |pid: u32| tasks.live().contains(&pid);
        match self.senders.hold(s, &traced, &self.opts.filter) {
            Some(s) => self.signal_now(s),
            None => Ok(()),
        }
    }

    /// A signal shown now, or after its task's call when it came during it.
    pub(super) fn signal_now(&mut self, s: Signal) -> Result<(), SinkError> {
        if s.after_call {
            self.tasks.defer(s);
            return Ok(());
        }
        self.signal_line(s)
    }

    /// A signal's line, or for a task that entered a group stop `--- stopped by SIGSTOP ---`.
    pub(super) fn signal_line(&mut self, s: Signal) -> Result<(), SinkError> {
        if s.group_stop {
            return self.emit(|e, cx| e.stopped(cx, &s));
        }
        let info = decode::siginfo::siginfo(s.sig, s.info.as_ref().map(|i| i.as_slice()));
        self.emit(|e, cx| e.signal(cx, &s, &info))
    }

    /// Prints the signals held for `tid`.
    pub(super) fn release_signals(&mut self, tid: u32) -> Result<(), SinkError> {
        for s in self.tasks.release(tid) {
            self.signal_line(s)?;
        }
        Ok(())
    }
}
