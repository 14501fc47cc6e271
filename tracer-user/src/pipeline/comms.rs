//! `-Y`: the name of each traced task as it was when its call started, kept from the trace
//! itself (a task is named at fork after its parent, at a successful execve after the
//! program's file, by prctl(PR_SET_NAME)), and seeded from the running system (`Host`) for
//! tasks traced from the start. Tracing is asynchronous: /proc read when a line is printed
//! could name whatever the task has become since, or nothing once it is reaped.

use crate::{
    decode::{Ret, Syscall},
    event::RawSyscall,
    fdtable::{FdName, FdNames, FdTable},
    pipeline::Host,
    tables::row::behaviour::TASK_NAME,
};

/// Most exited processes whose names are kept until a wait reaps them (their parent may not
/// be traced, or not wait): the oldest go first.
const ZOMBIES_MAX: usize = 1024;

/// The kernel keeps TASK_COMM_LEN - 1 bytes of a name.
const COMM_MAX: usize = 15;

/// prctl's option that sets the calling thread's name.
const PR_SET_NAME: u64 = 15;

/// Each traced task's name.
#[derive(Debug, Default)]
pub struct TaskNames {
    /// Looked up for every JSON record: foldhash, not SipHash.
    names: foldhash::HashMap<u32, Vec<u8>>,
    /// Processes that exited and were not seen reaped, oldest first.
    zombies: std::collections::VecDeque<u32>,
}

impl TaskNames {
    /// Task `tid` is traced from now on: named as the system names it now.
    pub fn seed(&mut self, tid: u32, host: &dyn Host) {
        if let Some(name) = now(host, i64::from(tid)) {
            self.names.insert(tid, name);
        }
    }

    /// A task forked: the child starts with its parent's name.
    pub fn fork(&mut self, parent: u32, child: u32) {
        if let Some(name) = self.names.get(&parent).cloned() {
            self.names.insert(child, name);
        }
    }

    /// A task exited. A thread is gone at once; a process stays a zombie with its name
    /// until a wait reaps it (strace names a zombie, and prints a reaped pid bare).
    pub fn exit(&mut self, tid: u32, tgid: u32) {
        if tid != tgid {
            self.names.remove(&tid);
            return;
        }
        self.zombies.push_back(tid);
        if self.zombies.len() > ZOMBIES_MAX
            && let Some(old) = self.zombies.pop_front()
        {
            self.names.remove(&old);
        }
    }

    /// A wait reaped process `pid`.
    fn reaped(&mut self, pid: u32) {
        if let Some(at) = self.zombies.iter().position(|&z| z == pid) {
            self.zombies.remove(at);
            self.names.remove(&pid);
        }
    }

    /// Learns a rename from a finished call (after its line: the line shows the old name).
    pub fn learn(&mut self, sc: &Syscall, raw: &RawSyscall) {
        let Some(def) = sc.def else {
            return;
        };
        if let Some(pid) = crate::decode::process::reaped(sc, raw)
            && let Ok(pid) = u32::try_from(pid)
        {
            self.reaped(pid);
        }
        if sc.ret != Ret::Value(0) || raw.no_enter || !def.has(TASK_NAME) {
            return;
        }
        // An exec names the task after its program; the other renaming call is prctl.
        let name = if def.is_exec() {
            def.path_args().first().and_then(|&i| basename(raw, i))
        } else if raw.args[0] == PR_SET_NAME {
            raw.blob(1).map(|b| cut(&b.data))
        } else {
            None
        };
        if let Some(name) = name {
            self.names.insert(raw.tid, name);
        }
    }

    /// The name of task `tid`, if it is known.
    pub fn of(&self, tid: u32) -> Option<&[u8]> {
        self.names.get(&tid).map(Vec::as_slice)
    }

    /// The name of any process `pid`: a traced task's from the trace, another's from the
    /// system now.
    pub fn of_pid(&self, pid: i64, host: &dyn Host) -> Option<Vec<u8>> {
        let known = u32::try_from(pid).ok().and_then(|p| self.names.get(&p));
        known
            .map(|name| first_line(name).to_vec())
            .or_else(|| now(host, pid))
    }
}

/// Process (or thread) `pid`'s name now, up to the first newline, as strace reads /proc's
/// comm. None when it is gone.
fn now(host: &dyn Host, pid: i64) -> Option<Vec<u8>> {
    let pid = u32::try_from(pid).ok().filter(|&p| p > 0)?;
    let comm = host.comm(pid)?;
    Some(first_line(&comm).to_vec())
}

/// What an exec names the task: the last component of its path, cut as the kernel cuts it.
fn basename(raw: &RawSyscall, arg: usize) -> Option<Vec<u8>> {
    let path = &raw.blob(arg)?.data;
    let path = path.split(|&b| b == 0).next().unwrap_or_default();
    let base = path.rsplit(|&b| b == b'/').next().unwrap_or_default();
    Some(cut(base))
}

/// A name up to its NUL, at most 15 bytes, as the kernel keeps it (JSON's `process.name`
/// shows it whole).
fn cut(name: &[u8]) -> Vec<u8> {
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    name[..end.min(COMM_MAX)].to_vec()
}

/// `-Y`: a name up to its first newline, as strace reads /proc's comm line.
pub fn first_line(name: &[u8]) -> &[u8] {
    let end = name.iter().position(|&b| b == b'\n').unwrap_or(name.len());
    &name[..end]
}

/// What a text line names: fds (`-y`, when shown) and processes (`-Y`).
pub struct Names<'a> {
    pub fds: Option<&'a FdTable>,
    pub tasks: Option<&'a TaskNames>,
    /// Names processes the trace has not named.
    pub host: &'a dyn Host,
    /// `--decode-pids=pidns`.
    pub pidns: Option<&'a super::pidns::PidNs>,
}

impl FdNames for Names<'_> {
    fn describe(&self, tgid: u32, fd: i32) -> Option<FdName> {
        self.fds?.describe(tgid, fd)
    }

    fn describe_ret(&self, tgid: u32, fd: i32) -> Option<FdName> {
        self.fds?.describe_ret(tgid, fd)
    }

    fn comm(&self, pid: i64) -> Option<Vec<u8>> {
        self.tasks?.of_pid(pid, self.host)
    }

    fn own_pid(&self, tid: u32, pid: i64) -> Option<u32> {
        self.pidns?.translate(tid, pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        decode::{self, DecodeOptions},
        event::Blob,
        format::{quote::Style, text_options::Prefix},
        pipeline::host::Unknown,
    };

    fn call(tid: u32, name: &str, args: [u64; 6], ret: i64, data: &[u8]) -> RawSyscall {
        let nr = crate::tables::by_name(name).expect("known").nr;
        let blob = Blob {
            arg: if name == "execve" { 0 } else { 1 },
            kind: tracer_common::CAP_CSTR,
            truncated: false,
            faulted: false,
            at_enter: false,
            data: data.to_vec(),
        };
        RawSyscall::whole(tid, nr, args, ret, vec![blob])
    }

    fn learn(names: &mut TaskNames, raw: &RawSyscall) {
        names.learn(&decode::decode(raw, &DecodeOptions::default()), raw);
    }

    #[test]
    fn names_follow_forks_execs_renames_and_reaping() {
        let mut n = TaskNames::default();
        n.names.insert(10, b"sh".to_vec());
        n.fork(10, 11);
        assert_eq!(n.of(11), Some(&b"sh"[..]));
        learn(
            &mut n,
            &call(11, "execve", [0; 6], 0, b"/usr/bin/postgres-exporter-x\0"),
        );
        assert_eq!(n.of(11), Some(&b"postgres-export"[..]));
        learn(
            &mut n,
            &call(11, "prctl", [15, 0, 0, 0, 0, 0], 0, b"a\nb\0"),
        );
        // Kept whole (JSON's process.name); `-Y` shows the first line, as strace.
        assert_eq!(n.of(11), Some(&b"a\nb"[..]));
        assert_eq!(n.of_pid(11, &Unknown), Some(b"a".to_vec()));
        // A failed exec renames nothing.
        learn(&mut n, &call(11, "execve", [0; 6], -2, b"/bin/x\0"));
        assert_eq!(n.of(11), Some(&b"a\nb"[..]));
        // Exited: named while a zombie, bare once a wait returned it.
        n.exit(11, 11);
        assert_eq!(n.of_pid(11, &Unknown), Some(b"a".to_vec()));
        learn(&mut n, &call(10, "wait4", [11, 0, 0, 0, 0, 0], 11, b""));
        assert_eq!(n.of(11), None);
    }

    #[test]
    fn prefixes_carry_the_name_escaped() {
        let mut out = String::new();
        let p = crate::format::strace::prefix_comm_into;
        p(Prefix::Bracket, 42, Some(b"a>b"), Style::Octal, &mut out);
        p(Prefix::Plain, 42, Some(b"sh"), Style::Octal, &mut out);
        p(Prefix::Plain, 42, None, Style::Octal, &mut out);
        assert_eq!(out, "[pid    42<a\\76b>] 42<sh> 42    ");
    }
}
