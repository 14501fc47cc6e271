//! Events held behind a signal that waits for the call that sent it (`sender_wait`), or behind
//! an execve start that waits for its strings (`thread_exec`): where each event goes, and how
//! what waits is let go.

use super::{Pipeline, RawEvent, sender_wait, thread_exec};
use crate::sink::SinkError;

impl Pipeline {
    /// An event waits behind a held signal or execve start, or is handled now.
    pub(super) fn route(&mut self, event: RawEvent) -> Result<(), SinkError> {
        let Some(wait) = self.senders.wait.as_mut() else {
            return self.route_exec(event);
        };
        match wait.step(&event) {
            sender_wait::Step::Queue => {
                wait.queued.push(event);
                Ok(())
            }
            sender_wait::Step::Before => self.route_exec(event),
            sender_wait::Step::Sender => {
                self.route_exec(event)?;
                self.release_sender_wait()
            }
            sender_wait::Step::Release => {
                self.release_sender_wait()?;
                self.route(event)
            }
        }
    }

    /// Prints the held signal, then the events held behind it.
    pub(super) fn release_sender_wait(&mut self) -> Result<(), SinkError> {
        let Some(wait) = self.senders.wait.take() else {
            return Ok(());
        };
        self.signal_now(wait.signal)?;
        wait.queued.into_iter().try_for_each(|e| self.route(e))
    }

    /// An event waits behind a held execve start, or is handled now.
    fn route_exec(&mut self, event: RawEvent) -> Result<(), SinkError> {
        let Some(wait) = self.exec_wait.as_mut() else {
            return self.dispatch(event);
        };
        match wait.step(&event) {
            thread_exec::Step::Queue => {
                wait.queued.push(event);
                return Ok(());
            }
            thread_exec::Step::Recovered => {
                if let (Some(enter), RawEvent::Syscall(exit)) =
                    (self.pairer.pending_mut(wait.tid), &event)
                {
                    thread_exec::recover(enter, exit);
                }
            }
            thread_exec::Step::Release => {}
        }
        self.release_exec_wait()?;
        self.route_exec(event)
    }

    /// Prints the held execve start, then the events held behind it.
    pub(super) fn release_exec_wait(&mut self) -> Result<(), SinkError> {
        let Some(wait) = self.exec_wait.take() else {
            return Ok(());
        };
        self.show_start(wait.tid)?;
        wait.queued.into_iter().try_for_each(|e| self.route_exec(e))
    }

    /// The stream ended: what waits is shown as it came.
    pub fn release_held(&mut self) -> Result<(), SinkError> {
        self.release_sender_wait()?;
        self.release_exec_wait()?;
        self.release_leader_exits()
    }
}
