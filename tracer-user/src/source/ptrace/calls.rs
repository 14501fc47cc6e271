//! Syscall stops: a call's entry (its arguments read, its start reported when it is shown
//! at once) and its exit (its results read, the call reported whole), as the kernel programs
//! report them.

use tracer_common::{
    PHASE_ENTER, PHASE_EXIT, SPEC_ARG0_SP, SPEC_CAPTURE_ENTER, SPEC_NO_RETURN, SPEC_SAVE_U32,
    SPEC_TRACED, SyscallSpec,
};

use super::{Entry, PtraceSource, fetch, is_exec, sys};
use crate::{
    event::{Part, RawEvent, RawSyscall},
    source::{Downstream, Halt},
};

impl PtraceSource {
    pub(super) fn syscall_stop(&mut self, tid: u32, down: &mut dyn Downstream) -> Result<(), Halt> {
        let Some(info) = self.os.syscall_info(tid) else {
            return Ok(());
        };
        match info {
            sys::SyscallInfo::Entry { nr, args, sp, ip } => {
                self.entered(tid, nr, args, (sp, ip), down)
            }
            sys::SyscallInfo::Exit { ret } => self.returned(tid, ret, down),
        }
    }

    fn entered(
        &mut self,
        tid: u32,
        nr: u64,
        mut args: [u64; 6],
        (sp, ip): (u64, u64),
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        let tgid = self.tgid(tid);
        let spec = self.spec(nr as u32);
        let Some(task) = self.tasks.get_mut(&tid) else {
            return Ok(());
        };
        if task.wait_exec && is_exec(nr) {
            task.wait_exec = false;
        }
        let skip = task.wait_exec || spec.flags & SPEC_TRACED == 0;
        // The launched command's own execve is shown, but as under strace never tampered
        // with nor counted for `when=` (the command must start), nor what follows it if it
        // fails (tracer's error report and exit).
        let launcher = task.launcher;
        if spec.flags & SPEC_ARG0_SP != 0 {
            args[0] = sp;
        }
        // As strace, only calls traced are changed (tracer's own before the launched
        // command's execve never are).
        let tamper = (!skip && !launcher)
            .then(|| self.tamper_enter(tid, nr as u32, &args))
            .flatten();
        let mem = self.os.memory(tid);
        if !skip && self.stack_traces && super::stack::at_enter(&spec) {
            self.stack(tgid, tid, &*mem, down)?;
        }
        let Some(task) = self.tasks.get_mut(&tid) else {
            return Ok(());
        };
        let saved = (!skip && spec.flags & SPEC_SAVE_U32 != 0)
            .then(|| fetch::saved_u32(&spec, &args, &*mem))
            .flatten();
        let mut entry = Entry {
            tid,
            nr: nr as u32,
            args,
            ts: self.os.now(),
            saved,
            skip,
            sent_enter: false,
            as_leader: false,
            ip,
            tamper,
            cpu_at_entry: (self.cpu_time && !skip)
                .then(|| self.os.cpu_time(tid))
                .flatten(),
        };
        let no_return = spec.flags & SPEC_NO_RETURN != 0;
        let starts = spec.flags & SPEC_CAPTURE_ENTER != 0;
        task.inside = Some(entry);
        if skip || !(no_return || starts) {
            return Ok(());
        }
        let call = fetch::Call {
            args,
            ret: 0,
            saved,
        };
        let spec = self.peers.filter(spec, tgid, &args, PHASE_ENTER, false);
        let blobs = fetch::capture(&spec, &call, PHASE_ENTER, &*mem, self.strsize);
        self.peers.note(&spec, tgid, &blobs);
        let part = if no_return {
            Part::Complete
        } else {
            entry.sent_enter = true;
            task.inside = Some(entry);
            Part::Enter
        };
        self.emit(
            down,
            RawEvent::Syscall(RawSyscall {
                part,
                no_enter: false,
                no_return,
                has_enter_record: false,
                restarted: false,
                ts_enter: entry.ts,
                ts_exit: 0,
                tgid,
                tid,
                nr: entry.nr,
                ret: 0,
                args,
                off_cpu: 0,
                ip: Some(ip),
                blobs,
                tampered: Default::default(),
            }),
        )
    }

    /// `-k`: the stack of stopped task `tid`, sent before its call.
    fn stack(
        &self,
        tgid: u32,
        tid: u32,
        mem: &dyn fetch::Memory,
        down: &mut dyn Downstream,
    ) -> Result<(), Halt> {
        match super::stack::sample(&*self.os, mem, tgid, tid) {
            Some(s) => self.emit(down, RawEvent::Stack(s)),
            None => Ok(()),
        }
    }

    fn returned(&mut self, tid: u32, ret: i64, down: &mut dyn Downstream) -> Result<(), Halt> {
        // Read first: what tracer does at this stop is not the call's time.
        let ts_exit = self.os.now();
        let cpu_at_exit = self.cpu_time.then(|| self.os.cpu_time(tid)).flatten();
        let tgid = self.tgid(tid);
        // An exit without its entry (tracing began inside the call) has nothing to report.
        let Some(task) = self.tasks.get_mut(&tid) else {
            return Ok(());
        };
        let Some(mut entry) = task.inside.take() else {
            return Ok(());
        };
        if task.launcher && is_exec(u64::from(entry.nr)) && ret == 0 {
            task.launcher = false;
        }
        let ret = match entry.tamper.as_mut() {
            Some(applied) => self.tamper_exit(tid, applied, ret, &entry.args),
            None => ret,
        };
        let spec = self.peers.filter(
            self.spec(entry.nr),
            tgid,
            &entry.args,
            PHASE_EXIT,
            entry.sent_enter,
        );
        if entry.skip || spec.flags & SPEC_NO_RETURN != 0 || !self.outcome_wanted(ret, &spec) {
            return Ok(());
        }
        let call = fetch::Call {
            args: entry.args,
            ret,
            saved: entry.saved,
        };
        let mem = self.os.memory(tid);
        if self.stack_traces && !super::stack::at_enter(&spec) {
            self.stack(tgid, tid, &*mem, down)?;
        }
        let blobs = fetch::capture(&spec, &call, PHASE_EXIT, &*mem, self.strsize);
        self.peers.note(&spec, tgid, &blobs);
        self.emit(
            down,
            RawEvent::Syscall(RawSyscall {
                part: Part::Complete,
                no_enter: entry.as_leader,
                no_return: false,
                has_enter_record: entry.sent_enter && !entry.as_leader,
                restarted: false,
                ts_enter: entry.ts,
                ts_exit,
                tgid,
                tid: entry.tid,
                nr: entry.nr,
                ret,
                args: entry.args,
                off_cpu: off_cpu(&entry, ts_exit, cpu_at_exit),
                ip: Some(entry.ip),
                blobs,
                tampered: entry.tamper.map(|a| a.marks).unwrap_or_default(),
            }),
        )
    }

    /// `-z`, `-Z`: the kernel's STATUS_FILTER rule.
    fn outcome_wanted(&self, ret: i64, spec: &SyscallSpec) -> bool {
        tracer_common::outcome_wanted(self.status_drop, spec.flags, ret)
    }
}

/// `-c` without `-w`: the part of call `entry`'s time, ended at `ts_exit`, that its thread
/// spent off CPU (strace counts a call's system CPU time; the scheduler's clock measures it to
/// the ns where the tick-grained rusage strace reads often says 0). 0 when not measured.
fn off_cpu(entry: &Entry, ts_exit: u64, cpu_at_exit: Option<u64>) -> u64 {
    match (entry.cpu_at_entry, cpu_at_exit) {
        (Some(at_entry), Some(at_exit)) => ts_exit
            .saturating_sub(entry.ts)
            .saturating_sub(at_exit.saturating_sub(at_entry)),
        _ => 0,
    }
}
