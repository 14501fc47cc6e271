//! A process's leader ends last, as strace shows it: the kernel reports a leader's exit to its
//! tracer only once every other thread of the process is gone, so strace prints each thread's
//! `+++ exited` (and the `= ?` of the call it died in) before the leader's, whichever thread
//! really ended first (exit_group kills the others after the caller). eBPF sees the leader's
//! exit when it happens: it is held until the process's last thread ends.

use super::Pipeline;
use crate::{event::Exit, sink::SinkError};

impl Pipeline {
    /// A task ended: shown now, or, for a leader whose threads live on, when the last ends.
    pub(super) fn exit(&mut self, e: Exit) -> Result<(), SinkError> {
        if e.tid == e.tgid && !e.group_dead && e.superseded_by.is_none() {
            self.leader_exits.insert(e.tgid, e);
            return Ok(());
        }
        let leader = match e.group_dead {
            true => self.leader_exits.remove(&e.tgid),
            false => None,
        };
        match leader {
            None => self.exit_now(e),
            Some(leader) => {
                self.exit_now(Exit {
                    group_dead: false,
                    ..e
                })?;
                self.exit_now(Exit {
                    group_dead: true,
                    ..leader
                })
            }
        }
    }

    /// Tracing or the stream ends: the leaders still held (their threads' ends were lost or
    /// not traced) are shown.
    pub(super) fn release_leader_exits(&mut self) -> Result<(), SinkError> {
        let mut held: Vec<Exit> = self.leader_exits.drain().map(|(_, e)| e).collect();
        held.sort_by_key(|e| e.ts);
        held.into_iter().try_for_each(|e| {
            self.exit_now(Exit {
                group_dead: true,
                ..e
            })
        })
    }

    /// Process `tgid` is gone without its last thread's end (lost): its held leader's end is
    /// shown now. A failed write shows again at the next line.
    pub(super) fn release_leader_exit(&mut self, tgid: u32) {
        if let Some(e) = self.leader_exits.remove(&tgid) {
            let _ = self.exit_now(e);
        }
    }
}
