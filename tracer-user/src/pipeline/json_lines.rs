//! `--json`: the pipeline's events as JSON lines (see `format::json`). Every record also
//! carries strace's text of the event in `message`.

use std::{collections::hash_map::Entry, rc::Rc};

use crate::{
    decode::{Arg, Ret, Syscall},
    event::{Exit, RawSyscall, Signal},
    format::{
        json::{self, Envelope},
        strace::{self, Prefix, Split, TextOptions},
    },
    pipeline::{Pipeline, annotate, shown_fds},
    sink::SinkError,
    stats::Stats,
};

impl Pipeline {
    /// The command name of process `tgid` (its /proc comm), remembered per process.
    fn name_of(&mut self, tgid: u32) -> Option<Rc<str>> {
        match self.names.entry(tgid) {
            Entry::Occupied(e) => Some(e.get().clone()),
            Entry::Vacant(e) => {
                let comm = std::fs::read_to_string(format!("/proc/{tgid}/comm")).ok()?;
                Some(e.insert(Rc::from(comm.trim_end())).clone())
            }
        }
    }

    /// Text options for `message`: strace's line without a pid prefix (the pid has its own
    /// fields).
    pub(super) fn message_options(&self) -> TextOptions {
        TextOptions {
            prefix: Prefix::None,
            quote: self.quote,
            ..TextOptions::default()
        }
    }

    pub(super) fn envelope<'a>(
        &mut self,
        action: &'static str,
        outcome: &'static str,
        (tgid, tid, ts): (u32, u32, u64),
        message: &'a str,
    ) -> Envelope<'a> {
        let name = self.name_of(tgid);
        Envelope {
            timestamp: self.clock.rfc3339(ts),
            action,
            outcome,
            pid: tgid,
            tid,
            name,
            message,
        }
    }

    /// A call's `message` (strace's line without the pid prefix) and its `--annotate` notes
    /// without the comment marks (empty when there are none).
    pub(super) fn message_and_notes(&self, sc: &Syscall) -> (String, String) {
        let text = self.message_options();
        let fds = shown_fds(&self.opts, self.fdtable.as_ref());
        let mut message = String::new();
        strace::call_start(sc, Split::ALL, &text, fds, &mut message);
        strace::call_end(sc, Split::ALL, &text, fds, 0, &mut message);
        let mut notes = String::new();
        if self.opts.annotates() {
            annotate::annotations(sc, self.fdtable.as_ref(), &self.clock, &mut notes);
        }
        let notes = notes
            .trim()
            .trim_start_matches("/* ")
            .trim_end_matches(" */")
            .to_string();
        (message, notes)
    }

    pub(super) fn json_call(&mut self, sc: &Syscall, raw: &RawSyscall) -> Result<(), SinkError> {
        if sc.name == "execve" || sc.name == "execveat" {
            // The process has a new name from now on.
            self.names.remove(&sc.tgid);
        }
        let text = self.message_options();
        let (message, notes) = self.message_and_notes(sc);
        let outcome = match sc.ret {
            Ret::Error(_) | Ret::Restart(_) => "failure",
            Ret::Unknown => "unknown",
            _ => "success",
        };
        let ts = if raw.ts_enter != 0 {
            raw.ts_enter
        } else {
            raw.ts_exit
        };
        let env = self.envelope("syscall", outcome, (sc.tgid, sc.tid, ts), &message);
        let fds = shown_fds(&self.opts, self.fdtable.as_ref());
        let notes = (!notes.is_empty()).then_some(notes.as_str());
        let line = json::syscall(&env, sc, raw, &text, fds, notes);
        self.out.line(Some(sc.tid), &line)
    }

    pub(super) fn json_signal(
        &mut self,
        s: &Signal,
        info: &Arg,
        message: &str,
    ) -> Result<(), SinkError> {
        let env = self.envelope(
            "signal",
            "success",
            (s.tgid, s.tid, s.ts),
            message.trim_end(),
        );
        let line = json::signal(&env, s.sig, info);
        self.out.line(Some(s.tid), &line)
    }

    /// A group stop: a signal event whose `signal.stopped` is true.
    pub(super) fn json_stopped(&mut self, s: &Signal, message: &str) -> Result<(), SinkError> {
        let env = self.envelope(
            "signal",
            "success",
            (s.tgid, s.tid, s.ts),
            message.trim_end(),
        );
        let line = json::stopped(&env, s.sig);
        self.out.line(Some(s.tid), &line)
    }

    pub(super) fn json_exit(&mut self, e: &Exit, message: &str) -> Result<(), SinkError> {
        let env = self.envelope("exit", "success", (e.tgid, e.tid, e.ts), message.trim_end());
        let line = json::exit(&env, e.code, e.superseded_by);
        self.out.line(Some(e.tid), &line)
    }

    pub(super) fn json_lost(&mut self, count: u64, message: &str) -> Result<(), SinkError> {
        let env = Envelope {
            timestamp: self.clock.rfc3339(crate::format::stamp::monotonic_now()),
            action: "lost",
            outcome: "failure",
            pid: 0,
            tid: 0,
            name: None,
            message: message.trim_end(),
        };
        let line = json::lost(&env, count);
        self.out.line(None, &line)
    }

    /// The envelope of a record about tracer itself (stats, summary): now, tracer's pid.
    fn own_envelope<'a>(&self, action: &'static str, message: &'a str) -> Envelope<'a> {
        Envelope {
            timestamp: self.clock.rfc3339(crate::format::stamp::monotonic_now()),
            action,
            outcome: "success",
            pid: std::process::id(),
            tid: std::process::id(),
            name: Some(Rc::from("tracer")),
            message: message.trim_end(),
        }
    }

    /// A stats record (`--stats-interval`).
    pub(super) fn json_stats(&mut self, s: &Stats) -> Result<(), SinkError> {
        let mut message = String::new();
        s.text_into(&mut message);
        let env = self.own_envelope("stats", &message);
        let line = json::stats(&env, s);
        self.out.line(None, &line)
    }

    /// The `-c` / `-C` table as one `summary` record; `message` is strace's text table.
    pub(super) fn json_summary(
        &mut self,
        table: &(Vec<(String, crate::summary::Row)>, crate::summary::Row),
        text: &str,
    ) -> Result<(), SinkError> {
        let env = self.own_envelope("summary", text);
        let line = json::summary(&env, &table.0, &table.1);
        self.out.line(None, &line)
    }

    /// `attach` / `detach` records (text output says these on stderr only).
    pub fn json_process(&mut self, action: &'static str, pid: u32) -> Result<(), SinkError> {
        if !self.opts.json {
            return Ok(());
        }
        let message = format!("process {pid} {action}ed");
        let now = crate::format::stamp::monotonic_now();
        let env = self.envelope(action, "success", (pid, pid, now), &message);
        let line = json::plain(&env);
        self.out.line(Some(pid), &line)
    }
}
