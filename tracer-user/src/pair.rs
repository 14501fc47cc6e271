//! Per-thread pairing: joins the enter half of a syscall (input captured at sys_enter) with
//! its exit record, so decode always sees one complete `RawSyscall`.

use foldhash::{HashMap, HashSet};

use crate::event::{Part, RawSyscall};

#[derive(Debug, Default)]
pub struct Pairer {
    /// Enter halves waiting for their exit, by thread.
    pending: HashMap<u32, RawSyscall>,
    /// Threads holding an exec's start handed over by the thread that made it (see
    /// `hand_over`): their next end is that exec's, whatever its record says of an enter.
    handed: HashSet<u32>,
}

impl Pairer {
    /// Thread `tid` is gone: a start it left waiting will never end.
    pub fn forget(&mut self, tid: u32) {
        self.pending.remove(&tid);
        self.handed.remove(&tid);
    }

    /// Process `tgid` is gone: the starts its threads left (their exits lost) never end.
    pub fn forget_process(&mut self, tgid: u32) {
        self.pending.retain(|_, enter| enter.tgid != tgid);
        let pending = &self.pending;
        self.handed.retain(|tid| pending.contains_key(tid));
    }

    /// A thread other than the leader succeeded in an exec and goes on as the leader `to`:
    /// the start it left (`from`'s) ends in `to`, whose exit record knows nothing of it.
    pub fn hand_over(&mut self, from: u32, to: u32) {
        self.forget(to);
        if let Some(mut enter) = self.pending.remove(&from) {
            enter.tid = to;
            self.pending.insert(to, enter);
            self.handed.insert(to);
        }
    }

    /// Feeds one record; returns the complete syscall when there is one.
    pub fn push(&mut self, sc: RawSyscall) -> Option<RawSyscall> {
        match sc.part {
            Part::Enter => {
                // A stale half left by a lost exit record is replaced.
                self.pending.insert(sc.tid, sc);
                None
            }
            Part::Complete if self.handed.remove(&sc.tid) => {
                Some(match self.pending.remove(&sc.tid) {
                    // The exit was seen in another thread than the start: the start's
                    // arguments and time are the call's.
                    Some(enter) if enter.nr == sc.nr => RawSyscall {
                        no_enter: false,
                        args: enter.args,
                        ts_enter: enter.ts_enter,
                        ip: enter.ip,
                        ..merge(enter, sc)
                    },
                    _ => sc,
                })
            }
            Part::Complete if sc.has_enter_record => Some(match self.pending.remove(&sc.tid) {
                Some(enter) if enter.nr == sc.nr => merge(enter, sc),
                _ => sc,
            }),
            Part::Complete => Some(sc),
        }
    }

    /// The enter half `tid` is waiting with, if any.
    pub fn pending_of(&self, tid: u32) -> Option<&RawSyscall> {
        self.pending.get(&tid)
    }

    /// The enter half `tid` is waiting with, to complete its data.
    pub fn pending_mut(&mut self, tid: u32) -> Option<&mut RawSyscall> {
        self.pending.get_mut(&tid)
    }

    /// Enter halves still waiting (for tests and end-of-run accounting).
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

/// The exit record carries the outcome; the enter half carries the input data (and, for an
/// exec whose input could not be read, the exit carries it from the new image).
fn merge(enter: RawSyscall, mut exit: RawSyscall) -> RawSyscall {
    let mut blobs = enter.blobs;
    blobs.append(&mut exit.blobs);
    blobs.sort_by_key(|b| b.arg);
    crate::exec_area::recover(&mut blobs);
    RawSyscall { blobs, ..exit }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Blob;

    fn rec(part: Part, tid: u32, nr: u32) -> RawSyscall {
        RawSyscall {
            part,
            no_enter: false,
            no_return: false,
            has_enter_record: part == Part::Complete,
            restarted: false,
            ts_enter: 1,
            ts_exit: 2,
            tgid: tid,
            tid,
            nr,
            ret: 0,
            args: [0; 6],
            off_cpu: 0,
            ip: None,
            blobs: vec![],
            tampered: Default::default(),
        }
    }

    #[test]
    fn joins_enter_data_with_the_exit() {
        let mut p = Pairer::default();
        let mut enter = rec(Part::Enter, 5, 59);
        enter.blobs.push(Blob {
            arg: 0,
            kind: 1,
            truncated: false,
            faulted: false,
            at_enter: true,
            data: b"/bin/true".to_vec(),
        });
        assert_eq!(p.push(enter), None);
        assert_eq!(p.pending(), 1);
        let done = p.push(rec(Part::Complete, 5, 59)).expect("complete");
        assert_eq!(
            done.blob(0).map(|b| b.data.as_slice()),
            Some(&b"/bin/true"[..])
        );
        assert_eq!(p.pending(), 0);
    }

    #[test]
    fn an_exec_handed_over_to_the_leader_ends_whole_there() {
        let mut p = Pairer::default();
        let mut enter = rec(Part::Enter, 7, 59);
        enter.tgid = 5;
        enter.args = [0x10, 0x20, 0x30, 0, 0, 0];
        assert_eq!(p.push(enter), None);
        p.hand_over(7, 5);
        let mut exit = rec(Part::Complete, 5, 59);
        (exit.no_enter, exit.has_enter_record, exit.ts_enter) = (true, false, 9);
        let done = p.push(exit).expect("complete");
        assert!(!done.no_enter);
        assert_eq!((done.tid, done.args[0], done.ts_enter), (5, 0x10, 1));
        assert_eq!(p.pending(), 0);
        // The leader's next call is its own.
        let mut next = rec(Part::Complete, 5, 39);
        next.has_enter_record = false;
        assert_eq!(p.push(next.clone()), Some(next));
    }

    #[test]
    fn other_threads_and_plain_records_pass_through() {
        let mut p = Pairer::default();
        assert_eq!(p.push(rec(Part::Enter, 5, 59)), None);
        let mut plain = rec(Part::Complete, 6, 0);
        plain.has_enter_record = false;
        assert_eq!(p.push(plain.clone()), Some(plain));
        assert_eq!(p.pending(), 1);
    }
}
