//! The ptrace state machine driven by a scripted kernel (`sys::Os`): the stops `waitpid`
//! returns, what PTRACE_GET_SYSCALL_INFO says at each, and the tracee's memory; the events
//! it hands over and the ptrace requests it makes are checked.

use std::{
    cell::RefCell,
    collections::{HashMap, HashSet, VecDeque},
    rc::Rc,
};

use anyhow::Result;
use tracer_common::{CAP_CSTR, SIGINFO_SIZE, SockInfo};

use super::{
    PtraceSource,
    fetch::Memory,
    sys::{Os, Stop, SyscallInfo},
};
use crate::{
    event::{Exit, Part, RawEvent, Signal},
    filter::{KernelSelection, TABLE_LEN},
    source::{Counts, Downstream, End, Halt, Source},
    spec::CaptureOptions,
};

const OPENAT: u64 = 257;
const READ: u64 = 0;
const EXECVE: u64 = 59;
const AT_FDCWD: u64 = -100i64 as u64;

/// What the fake kernel will say, and what it was asked.
#[derive(Default)]
struct Script {
    /// `waitpid` results, in order; then "no child" (ECHILD).
    stops: VecDeque<(u32, Stop)>,
    /// PTRACE_GET_SYSCALL_INFO results, in order.
    infos: VecDeque<SyscallInfo>,
    /// PTRACE_GETEVENTMSG results, in order.
    event_msgs: VecDeque<u32>,
    /// Tasks that are not their process's leader: tid -> tgid.
    threads: HashMap<u32, u32>,
    /// Each process's parent (`PPid`).
    parents: HashMap<u32, u32>,
    /// The tracees' memory: address -> bytes.
    memory: HashMap<u64, Vec<u8>>,
    /// A signal asking tracer to stop, seen before the next wait.
    stop: Option<i32>,
    /// The requests made: `resume tid sig`, `cont tid`, `listen tid`, `detach tid sig`.
    requests: Vec<String>,
    clock: u64,
}

struct FakeOs(Rc<RefCell<Script>>);

struct FakeMemory(HashMap<u64, Vec<u8>>);

impl Memory for FakeMemory {
    fn read(&self, addr: u64, buf: &mut [u8]) -> usize {
        let Some((start, bytes)) = self
            .0
            .iter()
            .find(|(start, bytes)| (**start..**start + bytes.len() as u64).contains(&addr))
        else {
            return 0;
        };
        let from = &bytes[(addr - start) as usize..];
        let n = from.len().min(buf.len());
        buf[..n].copy_from_slice(&from[..n]);
        n
    }

    fn fd_inode(&self, _fd: i32) -> u64 {
        0
    }

    fn sock_info(&self, _fd: i32) -> SockInfo {
        SockInfo::default()
    }
}

impl Os for FakeOs {
    fn seize(&self, _tid: u32, _follow_forks: bool, _seccomp: bool) -> std::io::Result<()> {
        Ok(())
    }
    fn interrupt(&self, _tid: u32) {}
    fn wait_any(&self, _block: bool) -> Result<Option<(u32, Stop)>> {
        match self.0.borrow_mut().stops.pop_front() {
            Some(stop) => Ok(Some(stop)),
            None => Err(std::io::Error::from_raw_os_error(libc::ECHILD).into()),
        }
    }
    fn resume(&self, tid: u32, sig: i32, until_event: bool) {
        let request = match until_event {
            true => format!("cont {tid}"),
            false => format!("resume {tid} {sig}"),
        };
        self.0.borrow_mut().requests.push(request);
    }
    fn listen(&self, tid: u32) {
        self.0.borrow_mut().requests.push(format!("listen {tid}"));
    }
    fn detach(&self, tid: u32) {
        self.0.borrow_mut().requests.push(format!("detach {tid}"));
    }
    fn detach_stopped(&self, tid: u32, sig: i32) {
        let request = format!("detach {tid} {sig}");
        self.0.borrow_mut().requests.push(request);
    }
    fn event_msg(&self, _tid: u32) -> Option<u32> {
        self.0.borrow_mut().event_msgs.pop_front()
    }
    fn siginfo(&self, _tid: u32) -> Option<[u8; SIGINFO_SIZE]> {
        Some([1; SIGINFO_SIZE])
    }
    fn syscall_info(&self, _tid: u32) -> Option<SyscallInfo> {
        self.0.borrow_mut().infos.pop_front()
    }
    fn tgid_of(&self, tid: u32) -> Option<u32> {
        Some(self.0.borrow().threads.get(&tid).copied().unwrap_or(tid))
    }
    fn parent_of(&self, tid: u32) -> Option<u32> {
        self.0.borrow().parents.get(&tid).copied()
    }
    fn tracer_of(&self, _tid: u32) -> Option<u32> {
        None
    }
    fn now(&self) -> u64 {
        let mut script = self.0.borrow_mut();
        script.clock += 10;
        script.clock
    }
    fn memory(&self, _tid: u32) -> Box<dyn Memory> {
        Box::new(FakeMemory(self.0.borrow().memory.clone()))
    }
    fn stop_requested(&self) -> Option<i32> {
        self.0.borrow().stop
    }
    fn take_reopen(&self) -> bool {
        false
    }
}

/// The session's side: collects what it is given.
#[derive(Default)]
struct Collect {
    events: Vec<RawEvent>,
    live: HashSet<u32>,
}

impl Downstream for Collect {
    fn starting(&mut self, tgid: u32, _launched: bool) {
        self.live.insert(tgid);
    }
    fn attached(&mut self, _tgid: u32) -> Result<()> {
        Ok(())
    }
    fn gone(&mut self, _tgid: u32) {}
    fn event(&mut self, event: RawEvent, wire: Option<&[u8]>) -> Result<(), Halt> {
        assert!(wire.is_none(), "ptrace events are no ring records");
        self.events.push(event);
        Ok(())
    }
    fn malformed(&mut self, _wire: &[u8]) {}
    fn idle(&mut self) -> Result<(), Halt> {
        Ok(())
    }
    fn stats_every(&self) -> Option<std::time::Duration> {
        None
    }
    fn stats(&mut self, _counts: &Counts) -> Result<(), Halt> {
        Ok(())
    }
    fn reopen(&mut self) -> Result<(), Halt> {
        Ok(())
    }
    fn live(&self) -> &HashSet<u32> {
        &self.live
    }
    fn forget(&mut self, tgid: u32) {
        self.live.remove(&tgid);
    }
    fn announce(&self, _message: std::fmt::Arguments<'_>) {}
}

/// A source over `script` tracing every call; `follow_forks`: -f.
fn source(script: &Rc<RefCell<Script>>, follow_forks: bool) -> PtraceSource {
    let selection = KernelSelection {
        record: vec![true; TABLE_LEN],
        keep: vec![false; TABLE_LEN],
        status_drop: 0,
        min_duration: 0,
        stack_traces: false,
    };
    let capture = CaptureOptions {
        every_start: true,
        ..CaptureOptions::default()
    };
    let os = Box::new(FakeOs(Rc::clone(script)));
    PtraceSource::with_os(&capture, &selection, follow_forks, os)
}

/// Runs `source` over the script to its end: (how it ended, the events, the requests made).
fn run(
    source: &mut PtraceSource,
    script: &Rc<RefCell<Script>>,
) -> (End, Vec<RawEvent>, Vec<String>) {
    let mut down = Collect::default();
    let end = source.trace(&mut down).expect("runs");
    let requests = std::mem::take(&mut script.borrow_mut().requests);
    (end, down.events, requests)
}

fn entry(nr: u64, args: [u64; 6]) -> SyscallInfo {
    SyscallInfo::Entry {
        nr,
        args,
        sp: 0,
        ip: 0,
    }
}

fn syscalls(events: &[RawEvent]) -> Vec<(Part, u32, i64, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            RawEvent::Syscall(sc) => Some((sc.part, sc.nr, sc.ret, sc.no_return)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_call_is_reported_at_its_exit_with_the_memory_it_named() {
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.memory.insert(0x1000, b"/nonexistent\0".to_vec());
        s.stops.extend([
            // The first stop after PTRACE_INTERRUPT: resumed into syscall stops.
            (7, Stop::Event(libc::SIGTRAP)),
            (7, Stop::Syscall),
            (7, Stop::Syscall),
            (7, Stop::Exited(3 << 8)),
        ]);
        s.infos.extend([
            entry(OPENAT, [AT_FDCWD, 0x1000, 0, 0, 0, 0]),
            SyscallInfo::Exit { ret: -2 },
        ]);
    }
    let mut src = source(&script, false);
    src.add_task(7, 7, false);
    let (end, events, requests) = run(&mut src, &script);
    assert_eq!(end, End::default());
    // Its start is reported at the entry stop (as strace prints it), its end at the exit.
    assert_eq!(
        syscalls(&events),
        [
            (Part::Enter, OPENAT as u32, 0, false),
            (Part::Complete, OPENAT as u32, -2, false)
        ]
    );
    let (RawEvent::Syscall(start), RawEvent::Syscall(open)) = (&events[0], &events[1]) else {
        unreachable!()
    };
    assert!(open.has_enter_record);
    // The path is read at the entry stop, with the start.
    let path = start.blobs.iter().find(|b| b.arg == 1).expect("the path");
    assert_eq!(
        (path.kind, path.data.as_slice()),
        (CAP_CSTR, &b"/nonexistent"[..])
    );
    assert!(open.ts_exit > open.ts_enter);
    assert!(matches!(
        events[2],
        RawEvent::Exit(Exit {
            tid: 7,
            group_dead: true,
            code: 0x300,
            ..
        })
    ));
    assert_eq!(requests, ["resume 7 0", "resume 7 0", "resume 7 0"]);
    assert_eq!(src.counts().read, 3);
}

#[test]
fn a_task_killed_inside_a_call_ends_it_unfinished() {
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.stops
            .extend([(7, Stop::Syscall), (7, Stop::Exited(libc::SIGKILL))]);
        s.infos.push_back(entry(READ, [0, 0x2000, 10, 0, 0, 0]));
    }
    let mut src = source(&script, false);
    src.add_task(7, 7, false);
    let (_, events, _) = run(&mut src, &script);
    // strace's `read(0, ... <unfinished ...>) = ?`, then `+++ killed by SIGKILL +++`.
    assert_eq!(
        syscalls(&events),
        [
            (Part::Enter, READ as u32, 0, false),
            (Part::Complete, READ as u32, 0, true)
        ]
    );
    assert!(matches!(
        events[2],
        RawEvent::Exit(Exit {
            code: 9,
            group_dead: true,
            ..
        })
    ));
}

#[test]
fn a_launched_command_is_traced_from_its_execve() {
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.memory.insert(0x1000, b"/bin/true\0".to_vec());
        s.stops.extend([
            (9, Stop::Syscall),
            (9, Stop::Syscall),
            (9, Stop::Syscall),
            (9, Stop::Syscall),
        ]);
        s.infos.extend([
            // tracer's own setup in the child before the exec: not the user's.
            entry(OPENAT, [AT_FDCWD, 0x1000, 0, 0, 0, 0]),
            SyscallInfo::Exit { ret: 3 },
            entry(EXECVE, [0x1000, 0, 0, 0, 0, 0]),
            SyscallInfo::Exit { ret: 0 },
        ]);
    }
    let mut src = source(&script, false);
    src.add_task(9, 9, true);
    src.child = Some(9);
    let (_, events, _) = run(&mut src, &script);
    let calls = syscalls(&events);
    assert_eq!(
        calls.last(),
        Some(&(Part::Complete, EXECVE as u32, 0, false))
    );
    assert!(!calls.iter().any(|c| c.1 == OPENAT as u32), "{calls:?}");
}

#[test]
fn a_child_process_without_f_is_let_go_at_its_first_stop() {
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.event_msgs.push_back(8);
        s.stops.extend([
            (7, Stop::Fork),
            (8, Stop::Event(libc::SIGSTOP)),
            (7, Stop::Exited(0)),
        ]);
    }
    let mut src = source(&script, false);
    src.add_task(7, 7, false);
    let (_, events, requests) = run(&mut src, &script);
    assert!(
        !events.iter().any(|e| matches!(e, RawEvent::Fork(_))),
        "{events:?}"
    );
    assert!(requests.contains(&"detach 8 0".to_string()), "{requests:?}");
    // With -f the child is reported and traced.
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.event_msgs.push_back(8);
        s.stops
            .extend([(7, Stop::Fork), (8, Stop::Event(libc::SIGSTOP))]);
    }
    let mut src = source(&script, true);
    src.add_task(7, 7, false);
    let (_, events, requests) = run(&mut src, &script);
    assert!(matches!(
        events[0],
        RawEvent::Fork(crate::event::Fork {
            tid: 7,
            child_tgid: 8,
            child_tid: 8,
            ..
        })
    ));
    // Its first stop (fresh) resumes it; it is never detached.
    assert_eq!(requests, ["resume 7 0", "resume 8 0"]);
}

/// A child whose first stop comes before its parent's fork event (the waits can come in
/// that order) is held stopped until that event: its fork is reported before anything it
/// does, and it is resumed only then (it once ran and exited first, and its `Fork` after its
/// `Exit` kept `[pid N]` prefixes on every later line). One killed while held is not
/// brought back by the event. Without -f it is let go at once, and no fork is reported.
#[test]
fn a_child_whose_first_stop_comes_before_its_fork_event_waits_for_it() {
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.event_msgs.extend([8, 9]);
        s.parents.extend([(8, 7), (9, 7)]);
        s.stops.extend([
            (8, Stop::Event(libc::SIGSTOP)),
            (7, Stop::Fork),
            (8, Stop::Exited(0)),
            (9, Stop::Event(libc::SIGSTOP)),
            (9, Stop::Exited(libc::SIGKILL)),
            (7, Stop::Fork),
        ]);
    }
    let mut src = source(&script, true);
    src.add_task(7, 7, false);
    let (_, events, requests) = run(&mut src, &script);
    let kinds: Vec<String> = events
        .iter()
        .map(|e| match e {
            RawEvent::Fork(f) => format!("fork {}", f.child_tid),
            RawEvent::Exit(e) => format!("exit {}", e.tid),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["fork 8", "exit 8", "exit 9"]);
    // 8 resumed only after its fork was reported; 9 never.
    assert_eq!(requests, ["resume 8 0", "resume 7 0", "resume 7 0"]);
    // Its parent killed before its fork event (a SIGKILL takes the event with it): the child
    // is let go when the parent is gone, not held for ever.
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.parents.insert(8, 7);
        s.stops.extend([
            (8, Stop::Event(libc::SIGSTOP)),
            (7, Stop::Exited(libc::SIGKILL)),
        ]);
    }
    let mut src = source(&script, true);
    src.add_task(7, 7, false);
    let (_, _, requests) = run(&mut src, &script);
    assert_eq!(requests, ["resume 8 0"]);
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.event_msgs.push_back(8);
        s.stops
            .extend([(8, Stop::Event(libc::SIGSTOP)), (7, Stop::Fork)]);
    }
    let mut src = source(&script, false);
    src.add_task(7, 7, false);
    let (_, events, requests) = run(&mut src, &script);
    assert!(
        !events.iter().any(|e| matches!(e, RawEvent::Fork(_))),
        "{events:?}"
    );
    assert!(requests.contains(&"detach 8 0".to_string()), "{requests:?}");
}

#[test]
fn a_group_stop_is_reported_and_listened_to_and_signals_passed_on() {
    let script = Rc::new(RefCell::new(Script::default()));
    {
        let mut s = script.borrow_mut();
        s.stops.extend([
            (7, Stop::Event(libc::SIGTRAP)),
            (7, Stop::Signal(libc::SIGSTOP)),
            (7, Stop::Event(libc::SIGSTOP)),
        ]);
    }
    let mut src = source(&script, false);
    src.add_task(7, 7, false);
    let (_, events, requests) = run(&mut src, &script);
    assert!(matches!(
        events[..],
        [
            RawEvent::Signal(Signal {
                sig: 19,
                group_stop: false,
                info: Some(_),
                ..
            }),
            RawEvent::Signal(Signal {
                sig: 19,
                group_stop: true,
                info: None,
                ..
            })
        ]
    ));
    assert_eq!(requests, ["resume 7 0", "resume 7 19", "listen 7"]);
}

#[test]
fn a_stop_request_detaches_every_task_and_names_the_targets() {
    let script = Rc::new(RefCell::new(Script::default()));
    script.borrow_mut().stop = Some(libc::SIGINT);
    let mut src = source(&script, false);
    src.add_task(7, 7, false);
    src.add_task(8, 7, false);
    src.targets.push(7);
    let (end, events, mut requests) = run(&mut src, &script);
    assert!(events.is_empty());
    assert_eq!(
        end,
        End {
            signal: Some(libc::SIGINT),
            detached: vec![7],
            ..End::default()
        }
    );
    requests.sort();
    assert_eq!(requests, ["detach 7", "detach 8"]);
}
