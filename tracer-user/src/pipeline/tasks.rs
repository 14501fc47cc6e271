//! Task bookkeeping: which threads and processes are traced and alive, what is held per task
//! (signals waiting for the end of a call's line, `-n`'s latest syscall number), the names
//! lines carry (`-Y`'s per task, JSON's per process), and strace -f's `process N attached`
//! for each new task.

use std::{
    collections::{HashSet, hash_map::Entry},
    rc::Rc,
};

// Looked up for every record: foldhash, not SipHash (the keys are pids, not chosen by a peer).
use foldhash::HashMap;

use crate::{
    event::{Exit, Fork, ProcessContext, Signal},
    fdtable::FdTable,
    pipeline::{Host, OutputOptions, comms},
};

/// The traced tasks and what is kept for each.
pub struct Tasks {
    /// Live tasks (threads), with their process: strace prefixes lines with `[pid N]` while
    /// there is more than one.
    threads: HashMap<u32, u32>,
    /// Traced processes that have not exited.
    live: HashSet<u32>,
    /// Signals held until their task's current call ends.
    deferred: HashMap<u32, Vec<Signal>>,
    /// Command names by process, for JSON (looked up for every record: foldhash, not SipHash).
    names: HashMap<u32, Rc<str>>,
    /// `-n`: each task's latest syscall number (strace shows it on signal and exit lines too).
    last_nr: HashMap<u32, u32>,
    /// Each task's latest finished call, which a `restart_syscall` resumes.
    prev_call: HashMap<u32, u32>,
    /// When tracing of each process began (CLOCK_MONOTONIC ns): a call that was running
    /// then and is seen only at its end began there, for `-T` as for strace.
    started_at: HashMap<u32, u64>,
    /// `-Y`: each task's name, from the trace.
    task_names: Option<comms::TaskNames>,
    /// `--decode-pids=pidns`: the tasks in child pid namespaces.
    pidns: Option<super::pidns::PidNs>,
    /// `-q`, `-e quiet=attach`: no `process N attached` messages.
    quiet_attach: bool,
    /// Where names of tasks the trace has not named come from.
    host: Box<dyn Host>,
    /// JSON: each process's parent, users, container and program, from the system when its
    /// tracing starts and from the trace after (a child inherits its parent's).
    /// Looked up for every record, as `names`.
    context: HashMap<u32, Rc<ProcessContext>>,
    /// JSON: this host's name, asked once.
    host_name: Option<Rc<str>>,
}

impl Tasks {
    /// No task yet; `-Y` names kept when `opts` asks for them.
    pub fn new(opts: &OutputOptions, host: Box<dyn Host>) -> Self {
        Self {
            threads: HashMap::default(),
            live: HashSet::new(),
            deferred: HashMap::default(),
            names: HashMap::default(),
            last_nr: HashMap::default(),
            prev_call: HashMap::default(),
            started_at: HashMap::default(),
            // JSON names every record's process from the trace too.
            task_names: (opts.comms || opts.json).then(Default::default),
            // `-Y` names a pid a task in a child namespace sees by the process it is there.
            pidns: (opts.pidns || opts.comms).then(Default::default),
            quiet_attach: opts.quiet_set.attach,
            host,
            context: HashMap::default(),
            host_name: None,
        }
    }

    /// The system the tasks run on.
    pub fn set_host(&mut self, host: Box<dyn Host>) {
        self.host_name = host.host_name().map(Rc::from);
        self.host = host;
    }

    /// This host's name, when known.
    pub fn host_name(&self) -> Option<Rc<str>> {
        self.host_name.clone()
    }

    /// What is known of process `tgid` besides its name.
    pub fn context(&self, tgid: u32) -> Option<Rc<ProcessContext>> {
        self.context.get(&tgid).cloned()
    }

    /// Process `tgid`'s context as the system describes it now (when tracing starts).
    fn identify(&mut self, tgid: u32) {
        if let Some(identity) = self.host.identity(tgid) {
            let c = ProcessContext {
                identity,
                executable: None,
            };
            self.context.insert(tgid, Rc::new(c));
        }
    }

    /// Process `tgid` exec'd `path`.
    pub fn exec(&mut self, tgid: u32, path: &str) {
        let mut c = self.context(tgid).map(|c| (*c).clone()).unwrap_or_default();
        c.executable = Some(Rc::from(path));
        self.context.insert(tgid, Rc::new(c));
    }

    /// `tracer: process N attached` / `detached` on stderr, unless `-q` / `-e quiet=attach`.
    pub fn announce(&self, message: std::fmt::Arguments<'_>) {
        if !self.quiet_attach {
            crate::note!("tracer: {message}");
        }
    }

    /// Tracing of process `tgid` starts: it and its threads count as live.
    pub fn start(&mut self, tgid: u32) {
        self.live.insert(tgid);
        self.started_at.insert(tgid, crate::event::monotonic_now());
        self.identify(tgid);
        let mut tasks = vec![tgid];
        tasks.extend(self.host.threads(tgid));
        if let Some(n) = self.task_names.as_mut() {
            tasks
                .iter()
                .for_each(|&tid| n.seed(tid, self.host.as_ref()));
        }
        if let Some(ns) = self.pidns.as_mut() {
            tasks
                .iter()
                .for_each(|&tid| ns.learn(tid, self.host.as_ref()));
        }
        self.threads
            .extend(tasks.into_iter().map(|tid| (tid, tgid)));
    }

    /// A process found by `--comm`: its name is known.
    pub fn name_process(&mut self, tgid: u32, name: &str) {
        self.names.insert(tgid, Rc::from(name));
        self.identify(tgid);
    }

    /// A record of task `tid`: a task whose fork record was lost (ring buffer full) is known
    /// from its own records, so lines take their `[pid N]` prefixes as soon as a second task
    /// shows up, as they would have had its fork been seen. Not announced: the loss marker
    /// says what is missing.
    pub fn seen(&mut self, tid: u32, tgid: u32) {
        self.threads.insert(tid, tgid);
    }

    /// A task forked. strace -f says `Process N attached` for each new task it follows
    /// (threads too).
    pub fn fork(&mut self, f: &Fork) {
        if self.threads.insert(f.child_tid, f.child_tgid).is_none() {
            self.announce(format_args!("process {} attached", f.child_tid));
        }
        if let Some(n) = self.task_names.as_mut() {
            n.fork(f.tid, f.child_tid);
        }
        if let Some(ns) = self.pidns.as_mut() {
            ns.learn(f.child_tid, self.host.as_ref());
        }
        if f.child_tgid != f.tgid {
            self.live.insert(f.child_tgid);
            // The child runs the parent's program as the parent's users, in its container.
            let mut c = self
                .context(f.tgid)
                .map(|c| (*c).clone())
                .unwrap_or_default();
            c.identity.ppid = Some(f.tgid);
            self.context.insert(f.child_tgid, Rc::new(c));
        }
    }

    /// Holds a signal until `s.tid`'s current call ends.
    pub fn defer(&mut self, s: Signal) {
        self.deferred.entry(s.tid).or_default().push(s);
    }

    /// The signals held for `tid`, which are no longer held.
    pub fn release(&mut self, tid: u32) -> Vec<Signal> {
        if self.deferred.is_empty() {
            return Vec::new();
        }
        self.deferred.remove(&tid).unwrap_or_default()
    }

    /// A thread's exec made it the leader of its process (`superseded`): the old leader's
    /// task is gone.
    pub fn superseded(&mut self, old: u32) {
        self.threads.remove(&old);
        self.deferred.remove(&old);
    }

    /// A task exited (its exit line, if any, is written).
    pub fn exited(&mut self, e: &Exit) {
        if e.superseded_by.is_none() {
            self.threads.remove(&e.tid);
        }
        // A thread killed inside a call leaves its held signals behind.
        self.deferred.remove(&e.tid);
        self.last_nr.remove(&e.tid);
        self.prev_call.remove(&e.tid);
        if let Some(n) = self.task_names.as_mut() {
            n.exit(e.tid, e.tgid);
        }
        if let Some(ns) = self.pidns.as_mut() {
            ns.exit(e.tid, e.tgid);
        }
    }

    /// A process is gone: what was kept for it goes.
    pub fn forget(&mut self, tgid: u32) {
        // Its threads too: their exits may have been lost (ring buffer full), and nothing of
        // a process that is gone comes any more.
        let tids: Vec<u32> = (self.threads.iter())
            .filter(|&(_, &g)| g == tgid)
            .map(|(&tid, _)| tid)
            .collect();
        for tid in tids {
            self.threads.remove(&tid);
            self.deferred.remove(&tid);
            self.last_nr.remove(&tid);
            self.prev_call.remove(&tid);
        }
        self.live.remove(&tgid);
        self.names.remove(&tgid);
        self.context.remove(&tgid);
        self.started_at.remove(&tgid);
    }

    /// Traced processes still alive, as far as the trace says.
    pub fn live(&self) -> &HashSet<u32> {
        &self.live
    }

    /// The call `tid` finished last, if one was seen.
    pub fn previous_call(&self, tid: u32) -> Option<u32> {
        self.prev_call.get(&tid).copied()
    }

    /// A call seen only at its end, that was running when tracing began: it began, as far
    /// as the trace knows, when tracing of its process did.
    pub fn date_restarted(&self, raw: &mut crate::event::RawSyscall) {
        if raw.restarted
            && let Some(&at) = self.started_at.get(&raw.tgid)
        {
            raw.ts_enter = at.min(raw.ts_exit);
        }
    }

    /// How many tasks (threads) are live.
    pub fn threads(&self) -> usize {
        self.threads.len()
    }

    /// `-n`: the number to show on `tid`'s line: `nr`, or for a line without a call (a
    /// signal, an exit) the task's latest.
    pub fn syscall_number(&mut self, tid: u32, nr: Option<u32>) -> u32 {
        if let Some(nr) = nr {
            self.last_nr.insert(tid, nr);
        }
        self.last_nr.get(&tid).copied().unwrap_or(0)
    }

    /// `-n` on an exit line: the call that ended the task, as strace shows it: exit or
    /// exit_group when that was the latest seen, else exit_group (a filter hid it).
    pub fn exit_number(&mut self, tid: u32) -> u32 {
        let exit_group = crate::tables::by_name("exit_group").map_or(231, |d| d.nr);
        let exit = crate::tables::by_name("exit").map_or(60, |d| d.nr);
        match self.last_nr.get(&tid).copied() {
            Some(nr) if nr == exit || nr == exit_group => nr,
            _ => self.syscall_number(tid, Some(exit_group)),
        }
    }

    /// The command name of process `tgid`: as the trace names it (`TaskNames`: seeded when
    /// tracing starts, inherited at fork, renamed by exec and prctl), else as the system names
    /// it when first asked, remembered per process.
    pub fn process_name(&mut self, tgid: u32) -> Option<Rc<str>> {
        // The trace's name first: it cannot race with a fork or exec as /proc does.
        if let Some(traced) = self.task_names.as_ref().and_then(|n| n.of(tgid)) {
            if let Some(known) = self.names.get(&tgid).filter(|n| n.as_bytes() == traced) {
                return Some(known.clone());
            }
            let name: Rc<str> = Rc::from(String::from_utf8_lossy(traced).as_ref());
            self.names.insert(tgid, name.clone());
            return Some(name);
        }
        match self.names.entry(tgid) {
            Entry::Occupied(e) => Some(e.get().clone()),
            Entry::Vacant(e) => {
                let comm = String::from_utf8(self.host.comm(tgid)?).ok()?;
                Some(e.insert(Rc::from(comm.trim_end())).clone())
            }
        }
    }

    /// Process `tgid` exec'd: it is named anew when next asked.
    pub fn renamed(&mut self, tgid: u32) {
        self.names.remove(&tgid);
    }

    /// `-Y`: what the trace named task `tid`, up to a newline as strace shows it.
    pub fn comm(&self, tid: u32) -> Option<&[u8]> {
        self.task_names
            .as_ref()
            .and_then(|n| n.of(tid))
            .map(comms::first_line)
    }

    /// `-Y`: learns renames from a finished call.
    pub fn learn(&mut self, sc: &crate::decode::Syscall, raw: &crate::event::RawSyscall) {
        self.prev_call.insert(raw.tid, raw.nr);
        if let Some(n) = self.task_names.as_mut() {
            n.learn(sc, raw);
        }
        if let Some(ns) = self.pidns.as_mut()
            && sc
                .def
                .is_some_and(|d| d.has(crate::tables::row::behaviour::REAPS))
            && let crate::decode::Ret::Value(pid) = sc.ret
        {
            ns.reaped(raw.tgid, pid);
        }
    }

    /// What a text line names: fds when they are shown (`fds`), processes with `-Y`.
    pub fn names<'a>(&'a self, fds: Option<&'a FdTable>) -> comms::Names<'a> {
        comms::Names {
            fds,
            tasks: self.task_names.as_ref(),
            host: self.host.as_ref(),
            pidns: self.pidns.as_ref(),
        }
    }

    /// The running system.
    pub fn host(&self) -> &dyn Host {
        self.host.as_ref()
    }
}
