//! Where lines go, and strace's rule for lines that other tasks interrupt.
//!
//! A call that may block is printed when it starts (`accept(3, `), as strace does, so a
//! waiting task shows what it waits in. The start is held until the end of the batch of
//! records being read: a call that ends within it prints as one whole line. Otherwise the
//! start is written, and if its end is the next thing printed the line is completed; if
//! another task's line comes first, the open line is cut with ` <unfinished ...>` and the
//! call's end later prints as `<... accept resumed>...`. With `-ff` every task has its own
//! file, so nothing is ever cut.

use std::{
    collections::{HashMap, HashSet},
    path::PathBuf,
};

use crate::sink::{Sink, SinkError};

pub enum Sinks {
    /// Everything in one stream (stdout or `-o FILE`).
    One(Sink),
    /// `-ff -o PREFIX`: `PREFIX.TID` per task; lines with no task go to stderr.
    PerTask {
        prefix: PathBuf,
        files: HashMap<u32, Sink>,
        /// `-A`: append to the files.
        append: bool,
        /// `--file-mode`.
        mode: u32,
        /// Tasks whose file this run has opened: opened again (after its task's id went on in
        /// another task, or SIGHUP), a file is appended to, never truncated.
        opened: HashSet<u32>,
    },
}

/// A started line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub tid: u32,
    /// The start as printed: prefix and timestamp, then `name(` and the first arguments.
    pub text: String,
    /// Bytes of `text` that are prefix and timestamp.
    pub lead: usize,
    /// Whether `text` has been written out.
    pub written: bool,
}

pub struct Output {
    sinks: Sinks,
    /// The line that has been started and not ended.
    open: Option<Open>,
    /// Tasks whose started line was cut, so that their end prints as resumed.
    cut: HashSet<u32>,
}

impl Output {
    pub fn new(sinks: Sinks) -> Self {
        Self {
            sinks,
            open: None,
            cut: HashSet::new(),
        }
    }

    /// Whether lines can be left open at all (not with one file per task).
    pub fn splits_lines(&self) -> bool {
        matches!(self.sinks, Sinks::One(_))
    }

    fn sink_for(&mut self, tid: Option<u32>) -> Result<Option<&mut Sink>, SinkError> {
        match (&mut self.sinks, tid) {
            (Sinks::One(s), _) => Ok(Some(s)),
            (Sinks::PerTask { .. }, None) => Ok(None),
            (
                Sinks::PerTask {
                    prefix,
                    files,
                    append,
                    mode,
                    opened,
                },
                Some(tid),
            ) => {
                if let std::collections::hash_map::Entry::Vacant(slot) = files.entry(tid) {
                    let mut name = prefix.clone().into_os_string();
                    name.push(format!(".{tid}"));
                    let append = *append || !opened.insert(tid);
                    let sink = Sink::open(Some(&PathBuf::from(name)), *mode, append)
                        .map_err(|e| SinkError::Io(std::io::Error::other(format!("{e:#}"))))?;
                    slot.insert(sink);
                }
                Ok(files.get_mut(&tid))
            }
        }
    }

    /// Cuts the open line, if any: something else is printed before it ends.
    fn cut_open(&mut self) -> Result<(), SinkError> {
        let Some(open) = self.open.take() else {
            return Ok(());
        };
        self.cut.insert(open.tid);
        if let Some(s) = self.sink_for(Some(open.tid))? {
            if !open.written {
                s.write(&open.text)?;
            }
            s.write(" <unfinished ...>\n")?;
        }
        Ok(())
    }

    /// Tracing stops with a call still running: its started line ends as strace ends it.
    pub fn detach_open(&mut self) -> Result<(), SinkError> {
        self.end_open(None, " <detached ...>\n")
    }

    /// Ends the open line with `suffix`, if it is `tid`'s (any task's for None).
    pub fn end_open(&mut self, tid: Option<u32>, suffix: &str) -> Result<(), SinkError> {
        if tid.is_some_and(|tid| self.open.as_ref().is_none_or(|o| o.tid != tid)) {
            return Ok(());
        }
        let Some(open) = self.open.take() else {
            return Ok(());
        };
        if let Some(s) = self.sink_for(Some(open.tid))? {
            if !open.written {
                s.write(&open.text)?;
            }
            s.write(suffix)?;
        }
        Ok(())
    }

    /// Task `tid`'s call goes on in another task (an exec by a thread other than the
    /// leader): its open line ends with `suffix`. Returns whether its start was shown (open
    /// or cut), so that the other task's end of the call prints as resumed (`resume_in`).
    pub fn end_task_line(&mut self, tid: u32, suffix: &str) -> Result<bool, SinkError> {
        let open = self.open.as_ref().is_some_and(|o| o.tid == tid);
        self.end_open(Some(tid), suffix)?;
        Ok(open || self.cut.remove(&tid))
    }

    /// Task `tid` ends a call whose start another task's line showed (`end_task_line`).
    pub fn resume_in(&mut self, tid: u32) {
        self.cut.insert(tid);
    }

    /// Writes a whole line for `tid` (None: a line about no task, like a loss marker).
    pub fn line(&mut self, tid: Option<u32>, text: &str) -> Result<(), SinkError> {
        self.cut_open()?;
        match self.sink_for(tid)? {
            Some(s) => s.write(text),
            None => {
                crate::logging::note_raw(text);
                Ok(())
            }
        }
    }

    /// Writes a line about every task, like a loss marker (a loss is not one task's): with one
    /// file per task it goes to stderr and into every open file, so none has a silent gap.
    pub fn line_everywhere(&mut self, text: &str) -> Result<(), SinkError> {
        self.cut_open()?;
        if let Sinks::PerTask { files, .. } = &mut self.sinks {
            for s in files.values_mut() {
                s.write(text)?;
            }
        }
        self.line(None, text)
    }

    /// Starts a line, to be ended by the same task's next line (see `take_open`).
    pub fn start(&mut self, open: Open) -> Result<(), SinkError> {
        self.cut_open()?;
        self.open = Some(open);
        Ok(())
    }

    /// `tid`'s started line, if it is still open: the caller completes it.
    pub fn take_open(&mut self, tid: u32) -> Option<Open> {
        if self.open.as_ref().is_some_and(|o| o.tid == tid) {
            self.open.take()
        } else {
            None
        }
    }

    /// Whether `tid`'s started line was cut (and forgets it).
    pub fn take_cut(&mut self, tid: u32) -> bool {
        // Nearly always none: no hashing then (it is asked once per call).
        !self.cut.is_empty() && self.cut.remove(&tid)
    }

    /// A task is gone: its files close, its state goes.
    pub fn forget(&mut self, tid: u32) {
        self.cut.remove(&tid);
        if let Sinks::PerTask { files, .. } = &mut self.sinks
            && let Some(mut s) = files.remove(&tid)
        {
            let _ = s.flush();
        }
    }

    /// Reopens file outputs at their paths (SIGHUP). With one file per task, each task's file
    /// is opened again when it next writes.
    pub fn reopen(&mut self) -> Result<(), SinkError> {
        match &mut self.sinks {
            Sinks::One(s) => s.reopen(),
            Sinks::PerTask { files, .. } => {
                for s in files.values_mut() {
                    s.reopen()?;
                }
                Ok(())
            }
        }
    }

    /// Writes the open line's start (the end of a batch: its call is still running) and
    /// flushes.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        if let Some(open) = self.open.as_ref().filter(|o| !o.written).cloned() {
            if let Some(s) = self.sink_for(Some(open.tid))? {
                s.write(&open.text)?;
            }
            if let Some(o) = self.open.as_mut() {
                o.written = true;
            }
        }
        match &mut self.sinks {
            Sinks::One(s) => s.flush(),
            Sinks::PerTask { files, .. } => files.values_mut().try_for_each(|s| s.flush()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::Memory;

    fn open(tid: u32, text: &str) -> Open {
        Open {
            tid,
            text: text.to_string(),
            lead: 0,
            written: false,
        }
    }

    #[test]
    fn another_tasks_line_cuts_the_open_one() {
        let buf = Memory::default();
        let mut out = Output::new(Sinks::One(Sink::new(Box::new(buf.clone()))));
        out.start(open(1, "[pid     1] read(3, ")).expect("ok");
        out.line(Some(2), "[pid     2] close(4) = 0\n").expect("ok");
        assert_eq!(out.take_open(1), None);
        assert!(out.take_cut(1) && !out.take_cut(1));
        // Still open at the end of a batch: the start is written.
        out.start(open(2, "[pid     2] accept(5, ")).expect("ok");
        out.flush().expect("ok");
        let started = out.take_open(2).expect("open");
        assert!(started.written);
        out.line(Some(2), "NULL, NULL) = 6\n").expect("ok");
        out.flush().expect("ok");
        let text = buf.text();
        assert_eq!(
            text,
            "[pid     1] read(3,  <unfinished ...>\n[pid     2] close(4) = 0\n\
             [pid     2] accept(5, NULL, NULL) = 6\n"
        );
    }

    #[test]
    fn one_file_per_task() {
        let dir = std::env::temp_dir().join(format!("tracer-ff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let prefix = dir.join("trace");
        let mut out = Output::new(Sinks::PerTask {
            prefix: prefix.clone(),
            files: HashMap::new(),
            append: false,
            mode: crate::outfile::DEFAULT_MODE,
            opened: HashSet::new(),
        });
        assert!(!out.splits_lines());
        out.line(Some(7), "close(3) = 0\n").expect("ok");
        out.line(Some(8), "close(4) = 0\n").expect("ok");
        out.line_everywhere("!!! lost 2 events (ring buffer full) !!!\n")
            .expect("ok");
        out.forget(7);
        out.flush().expect("ok");
        let read = |tid: u32| std::fs::read_to_string(dir.join(format!("trace.{tid}")));
        // The loss marker is in every file that was open (a loss is not one task's).
        let lost = "!!! lost 2 events (ring buffer full) !!!\n";
        assert_eq!(read(7).expect("file 7"), format!("close(3) = 0\n{lost}"));
        assert_eq!(read(8).expect("file 8"), format!("close(4) = 0\n{lost}"));
        // A task's id that comes back (a thread's execve makes it the leader's again) adds
        // to its file: the leader's lines before the exec stay.
        out.line(Some(7), "+++ superseded by execve in pid 9 +++\n")
            .expect("ok");
        out.flush().expect("ok");
        assert_eq!(
            read(7).expect("file 7"),
            format!("close(3) = 0\n{lost}+++ superseded by execve in pid 9 +++\n")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
