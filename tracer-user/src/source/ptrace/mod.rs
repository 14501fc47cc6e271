//! The ptrace backend: where eBPF cannot load (no CAP_BPF/CAP_PERFMON, a locked-down kernel,
//! a container), tracer traces like strace does — PTRACE_SEIZE, syscall stops, fork/clone/exec
//! events — and reads arguments from the stopped tracee with process_vm_readv, following the
//! same capture table as the kernel programs (`fetch`), so it produces the same `RawEvent`s
//! and everything after the source is shared. It never uses PTRACE_O_EXITKILL: if tracer dies,
//! the kernel detaches its tracees and they run on.

mod calls;
mod detach;
mod ends;
pub mod fetch;
mod fetch_iocbs;
mod follow;
pub mod seccomp;
mod sockprobe;
mod stack;
mod stops;
mod stopsig;
mod sys;
mod tamper;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use tracer_common::{SPEC_KEEP, SPEC_TRACED, SyscallSpec};

use crate::{
    event::RawEvent,
    filter::KernelSelection,
    source::{Command, CommandEnd, Counts, Downstream, End, Halt, Source},
    spec::CaptureOptions,
    target::preflight::Target,
};

/// Whether syscall `nr` is an exec: a launched command's tracing starts at its execve.
fn is_exec(nr: u64) -> bool {
    u32::try_from(nr)
        .ok()
        .and_then(crate::tables::by_nr)
        .is_some_and(crate::tables::SyscallDef::is_exec)
}

/// What a traced task is doing, as far as its stops said.
#[derive(Debug, Default)]
struct Task {
    tgid: u32,
    /// Launched command before its execve: its setup calls are not the user's.
    wait_exec: bool,
    /// Launched command until an execve of it succeeded: tracer's own code (its error report
    /// and exit after a failed exec too), never tampered with.
    launcher: bool,
    /// The call it is inside, since its entry stop.
    inside: Option<Entry>,
    /// Its first stop (after PTRACE_INTERRUPT, or a new task's) has not come yet.
    fresh: bool,
    /// A child process the kernel attached without -f (a clone whose exit signal is not
    /// SIGCHLD reports as a new thread would): detached at its first stop, never reported.
    hidden: bool,
    /// Its parent's fork event came (a hidden task's first stop may come before it).
    reported: bool,
    /// A task the kernel attached (a new thread or child): until `reported`, its parent's
    /// fork event is still to come.
    forked: bool,
    /// Its first stop, come before its parent's fork event: it is held stopped until then,
    /// so that nothing of it is reported before its fork (as strace shows it), or until
    /// the process that made it is gone (a SIGKILL can take the event with it).
    held: Option<(sys::Stop, u32)>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The thread that entered (a thread that execs takes the leader's id before its exit).
    tid: u32,
    nr: u32,
    args: [u64; 6],
    ts: u64,
    saved: Option<u32>,
    /// Not reported (filtered out, or before the launched command's execve).
    skip: bool,
    /// A start record went out (the pipeline prints the start of a blocking call).
    sent_enter: bool,
    /// An execve from another thread, ending under the leader's id: it ends as strace's
    /// `<... execve resumed>) = 0`, as the eBPF source reports it.
    as_leader: bool,
    /// The instruction pointer at the entry (`-i`).
    ip: u64,
    /// What `-e inject=` did at the entry.
    tamper: Option<tamper::Applied>,
    /// The thread's time on CPU at the entry (`-c` without `-w`), in ns.
    cpu_at_entry: Option<u64>,
}

pub struct PtraceSource {
    /// The kernel calls (faked in tests).
    os: Box<dyn sys::Os>,
    specs: Vec<SyscallSpec>,
    status_drop: u8,
    follow_forks: bool,
    tasks: HashMap<u32, Task>,
    /// Live tasks per process, to tell a process's last exit.
    threads: HashMap<u32, usize>,
    /// The launched command and how it ended.
    child: Option<u32>,
    child_status: Option<i32>,
    /// `--seccomp-bpf`: the launched command stops only at the calls its filter marks.
    seccomp: bool,
    /// Stops handled (TRACER_LOG=debug reports them: the measure of ptrace's cost).
    stops: u64,
    /// `-s`: what buffer rows marked unbounded capture.
    strsize: usize,
    /// `-k`: each reported call's stack is sent before it.
    stack_traces: bool,
    /// `--comm`: names whose processes are picked up (by a /proc scan every second: without
    /// the kernel programs, that is the fallback's way), and pids that could not be traced.
    comms: Vec<[u8; tracer_common::COMM_LEN]>,
    refused: std::collections::HashSet<u32>,
    /// New tasks gone before their parent's fork event came (hidden children detached at
    /// their first stop, children that already exited): that event must not register them
    /// again.
    detached: std::collections::HashSet<u32>,
    last_scan: Option<std::time::Instant>,
    /// The `-p` processes: reported detached when tracer is told to stop.
    targets: Vec<u32>,
    /// Events handed over so far (for stats records).
    events: std::cell::Cell<u64>,
    /// `-b execve`.
    detach_exec: detach::DetachOnExec,
    /// When the last stats record was asked for (the start, at first).
    last_stats: Option<std::time::Instant>,
    /// `-e inject=`, `-e fault=`, and each thread's count of the calls they name.
    injections: crate::tamper::Injections,
    call_counts: crate::tamper::Counters,
    /// A signal `-e inject=...:signal=` sends with the next resume.
    resume_signal: Option<i32>,
    /// `inject=...:signal=` picked at a seccomp stop: sent at that call's exit stop.
    exit_signals: HashMap<u32, i32>,
    /// `-yy`: unix clients read again at each call until their peer is accepted.
    peers: sockprobe::PendingPeers,
    /// `-c` without `-w`: each call's time off CPU is reported (see `account_cpu_time`).
    cpu_time: bool,
}

impl PtraceSource {
    /// The ptrace backend on the real kernel; tracer's SIGINT, SIGTERM and SIGHUP are its from
    /// now on (see `stopsig::install_stop_handlers`).
    pub fn new(capture: &CaptureOptions, selection: &KernelSelection, follow_forks: bool) -> Self {
        stopsig::install_stop_handlers();
        // What came while tracer was starting is delivered now, to these.
        crate::target::signals::release();
        Self::with_os(capture, selection, follow_forks, Box::new(sys::Linux))
    }

    /// Making its kernel calls through `os`.
    fn with_os(
        capture: &CaptureOptions,
        selection: &KernelSelection,
        follow_forks: bool,
        os: Box<dyn sys::Os>,
    ) -> Self {
        let mut specs = vec![SyscallSpec::default(); tracer_common::SYSCALL_TABLE_LEN as usize];
        for (nr, spec) in crate::spec::selected_specs(capture, selection) {
            if let Some(slot) = specs.get_mut(nr as usize) {
                *slot = spec;
            }
        }
        Self {
            os,
            specs,
            status_drop: selection.status_drop,
            follow_forks,
            tasks: HashMap::new(),
            threads: HashMap::new(),
            child: None,
            child_status: None,
            seccomp: false,
            stops: 0,
            strsize: capture.strsize,
            stack_traces: selection.stack_traces,
            comms: Vec::new(),
            refused: Default::default(),
            detached: Default::default(),
            last_scan: None,
            targets: Vec::new(),
            events: std::cell::Cell::new(0),
            last_stats: None,
            detach_exec: Default::default(),
            injections: Default::default(),
            call_counts: Default::default(),
            resume_signal: None,
            exit_signals: HashMap::new(),
            peers: Default::default(),
            cpu_time: false,
        }
    }

    /// The seccomp filter for a launched command when `-e trace=` narrowed what is recorded
    /// (None: everything is, a filter would stop at every call anyway). Its execve is always
    /// wanted: tracing starts there. Only with -f: children inherit the filter, and an
    /// untraced child's marked calls would fail (ENOSYS), so a filter would force tracing
    /// children the user did not ask for (strace's `--seccomp-bpf` implies -f too).
    pub fn seccomp_filter(&self) -> Option<Vec<libc::sock_filter>> {
        if !self.follow_forks {
            return None;
        }
        let wanted = |s: &SyscallSpec| s.flags & (SPEC_TRACED | SPEC_KEEP) != 0;
        let nrs: Vec<u32> = (0u32..tracer_common::SYSCALL_NUMBERS)
            .zip(&self.specs)
            .filter(|(nr, s)| wanted(s) || is_exec(u64::from(*nr)))
            .map(|(nr, _)| nr)
            .collect();
        let known = crate::tables::all().len();
        (nrs.len() < known).then(|| seccomp::filter(nrs))
    }

    /// The spec row of syscall number `nr` (numbers past the table share one row).
    fn spec(&self, nr: u32) -> SyscallSpec {
        self.specs
            .get(tracer_common::spec_row(nr) as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The launched command will run with the filter from `seccomp_filter`.
    pub fn use_seccomp(&mut self) {
        self.seccomp = true;
    }

    /// Attaches to every thread of process `tgid`.
    pub fn attach(&mut self, tgid: u32) -> Result<()> {
        let tids: Vec<u32> = std::fs::read_dir(format!("/proc/{tgid}/task"))
            .with_context(|| format!("pid {tgid}: no such process"))?
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        for tid in tids {
            if let Err(err) = self.os.seize(tid, self.follow_forks, false) {
                if let Some(tracer) = self.os.tracer_of(tid) {
                    bail!("pid {tgid}: already traced by pid {tracer}");
                }
                return Err(err).with_context(|| format!("pid {tgid}: cannot trace it"));
            }
            self.os.interrupt(tid);
            self.add_task(tid, tgid, false);
        }
        Ok(())
    }

    /// Waits for the first stop (the interrupt's) of each thread of `tgid`, so that "attached"
    /// is said once every thread is under the tracer: a call one was blocked in has been
    /// interrupted and restarts under the tracer, as strace prints it. (Said at the seize, a
    /// call that returned before its interrupt would go untraced.)
    fn first_stops(&mut self, tgid: u32, down: &mut dyn Downstream) -> Result<()> {
        while self.tasks.values().any(|t| t.tgid == tgid && t.fresh) {
            let Ok(Some((tid, stop))) = self.os.wait_any(true) else {
                break;
            };
            self.stops += 1;
            if let Err(halt) = self.handle(tid, stop, down) {
                self.detach_all();
                self.halted(halt)?;
                break;
            }
        }
        Ok(())
    }

    /// Traces a launched command held before its exec: from its execve on.
    pub fn launch(&mut self, pid: u32) -> Result<()> {
        self.os
            .seize(pid, self.follow_forks || self.seccomp, self.seccomp)
            .context("failed to trace the command")?;
        self.os.interrupt(pid);
        self.add_task(pid, pid, true);
        self.child = Some(pid);
        Ok(())
    }

    fn add_task(&mut self, tid: u32, tgid: u32, wait_exec: bool) {
        if self.tasks.contains_key(&tid) {
            return;
        }
        *self.threads.entry(tgid).or_default() += 1;
        self.tasks.insert(
            tid,
            Task {
                tgid,
                wait_exec,
                launcher: wait_exec,
                inside: None,
                fresh: true,
                hidden: false,
                reported: false,
                forked: false,
                held: None,
            },
        );
    }

    /// Waits for the next stop of any tracee and handles it, until every tracee is gone or
    /// tracer is told to stop. `down` is idle before each wait that would block (the end of a
    /// batch: the output is flushed and the start of a call still running is written).
    fn trace(&mut self, down: &mut dyn Downstream) -> Result<End> {
        while !self.tasks.is_empty() || !self.comms.is_empty() {
            if let Some(sig) = self.os.stop_requested() {
                // As strace and the eBPF backend: the launched command gets the signal too (once
                // detached, so it acts on it) and a moment to exit; `-p` targets are left alone.
                let command = self.child.filter(|c| self.tasks.contains_key(c));
                self.detach_all();
                if let Some(child) = command {
                    self.os.wait_child(child);
                }
                return Ok(End {
                    signal: Some(sig),
                    detached: self.targets.clone(),
                    ..End::default()
                });
            }
            if let Err(halt) = self.scan_names(down) {
                self.detach_all();
                return self.halted(halt);
            }
            if self.tasks.is_empty() {
                // Nothing to wait for until a process with a wanted name appears.
                if let Err(halt) = self.idle(down) {
                    return self.halted(halt);
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
                continue;
            }
            let next = match self.os.wait_any(false) {
                Ok(None) => match self.idle(down) {
                    Ok(()) => self.os.wait_any(true),
                    Err(halt) => {
                        self.detach_all();
                        return self.halted(halt);
                    }
                },
                other => other,
            };
            let (tid, stop) = match next {
                Ok(Some(stop)) => stop,
                Ok(None) => continue,
                // No tracee left to wait for (their exits were reaped elsewhere).
                Err(_) => {
                    self.tasks.clear();
                    continue;
                }
            };
            self.stops += 1;
            if let Err(halt) = self.handle(tid, stop, down) {
                self.detach_all();
                return self.halted(halt);
            }
        }
        log::debug!("ptrace: {} stops", self.stops);
        self.wait_detached_child();
        Ok(End {
            command: self.command_end(),
            ..End::default()
        })
    }

    /// The end of a batch: a SIGHUP's reopen, a stats record when one is due, the output
    /// flushed.
    fn idle(&mut self, down: &mut dyn Downstream) -> Result<(), Halt> {
        if self.os.take_reopen() {
            down.reopen()?;
        }
        let now = std::time::Instant::now();
        let last = *self.last_stats.get_or_insert(now);
        if down.stats_every().is_some_and(|every| now - last >= every) {
            self.last_stats = Some(now);
            down.stats(&self.counts())?;
        }
        down.idle()
    }

    /// Hands an event to the session.
    fn emit(&self, down: &mut dyn Downstream, event: RawEvent) -> Result<(), Halt> {
        self.events.set(self.events.get() + 1);
        down.event(event, None)
    }

    fn tgid(&self, tid: u32) -> u32 {
        self.tasks.get(&tid).map_or(tid, |t| t.tgid)
    }

    /// How a run ends when the session halted it (every task detached). With the output
    /// closed, a launched command runs on untouched and is waited for: its end is tracer's
    /// exit status, as with eBPF.
    fn halted(&mut self, halt: Halt) -> Result<End> {
        match halt {
            Halt::OutputClosed => {
                if let Some(pid) = self.child.filter(|_| self.child_status.is_none()) {
                    self.child_status = self.os.wait_child(pid);
                }
                Ok(End {
                    command: self.command_end(),
                    output_closed: true,
                    ..End::default()
                })
            }
            Halt::Failed(err) => Err(err),
        }
    }

    /// The launched command's end, once seen.
    fn command_end(&self) -> Option<CommandEnd> {
        self.child_status
            .map(|status| match libc::WIFSIGNALED(status) {
                true => CommandEnd::Killed(libc::WTERMSIG(status)),
                false => CommandEnd::Exited(libc::WEXITSTATUS(status)),
            })
    }

    /// Detaches from every task, leaving each running as it was.
    fn detach_all(&mut self) {
        for tid in self.tasks.keys().copied().collect::<Vec<_>>() {
            self.os.detach(tid);
        }
        self.tasks.clear();
    }
}

impl Source for PtraceSource {
    /// Attaches to each target in turn (each is traced, and said to be, before the next), then
    /// launches the command under `--seccomp-bpf` when `-e trace=` narrowed the calls.
    fn start(
        &mut self,
        targets: Vec<Target>,
        command: Option<Command<'_>>,
        down: &mut dyn Downstream,
    ) -> Result<bool> {
        for target in &targets {
            down.starting(target.tgid, false);
            self.attach(target.tgid)?;
            self.first_stops(target.tgid, down)?;
            down.attached(target.tgid)?;
            self.targets.push(target.tgid);
        }
        if let Some(command) = command {
            let filter = self.seccomp_filter();
            if filter.is_some() {
                self.use_seccomp();
            }
            let held = command.hold(filter.as_deref())?;
            down.starting(held.pid, true);
            self.launch(held.pid)?;
            if held.is_daemonized() {
                // -D: tracer's original process is attached to, as strace says.
                down.attached(held.pid)?;
            }
            held.release_traced()?;
        }
        Ok(true)
    }

    fn run(&mut self, down: &mut dyn Downstream) -> Result<End> {
        self.trace(down)
    }

    /// ptrace loses nothing and keeps no kernel maps: those counts are 0.
    fn counts(&self) -> Counts {
        Counts {
            read: self.events.get(),
            ..Counts::default()
        }
    }
}
