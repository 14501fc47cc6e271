//! The pipeline driven by hand-built events: what each emitter writes.

use std::collections::HashMap;

mod names;
mod summary;

use super::{host::Fake, *};
use crate::{
    event::Blob,
    sink::{Memory, Sink},
    summary::{Columns, SortBy},
};

fn call(part: Part, tid: u32, nr: u32, ret: i64, blobs: Vec<Blob>) -> RawEvent {
    RawEvent::Syscall(RawSyscall {
        part,
        no_enter: false,
        no_return: false,
        has_enter_record: part == Part::Complete && nr == 0,
        restarted: false,
        ts_enter: 10,
        ts_exit: 20,
        tgid: 1,
        tid,
        nr,
        ret,
        args: [3, 0x1000, 16, 0, 0, 0],
        off_cpu: 0,
        ip: None,
        blobs,
        tampered: Default::default(),
    })
}

/// A pipeline writing to `buf`, on `host`, tracing process 1.
fn traced(buf: &Memory, opts: OutputOptions, host: Fake) -> Pipeline {
    let mut p =
        Pipeline::new(Sinks::One(Sink::new(Box::new(buf.clone()))), opts).with_host(Box::new(host));
    p.start(1);
    p
}

/// Process 1 with threads 1 and 2, text output.
fn pipeline(buf: &Memory) -> Pipeline {
    let host = Fake {
        threads: HashMap::from([(1, vec![1, 2])]),
        ..Fake::default()
    };
    traced(buf, OutputOptions::default(), host)
}

/// A signal without siginfo (shown as the kernel's).
fn signal(tid: u32, sig: u32, after_call: bool) -> RawEvent {
    RawEvent::Signal(Signal {
        ts: 30,
        tgid: 1,
        tid,
        sig,
        after_call,
        info: None,
        group_stop: false,
        ip: None,
    })
}

fn exit(tid: u32, code: u32) -> RawEvent {
    RawEvent::Exit(Exit {
        ts: 40,
        tgid: 1,
        tid,
        group_dead: true,
        code,
        superseded_by: None,
    })
}

/// `name(args)` with its return value at strace's column 40.
fn line(call: &str, ret: &str) -> String {
    format!("{call:39} = {ret}\n")
}

/// The JSON records written, parsed.
fn records(buf: &Memory) -> Vec<serde_json::Value> {
    buf.text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

const SIGCHLD: u32 = 17;
const SIGTERM: u32 = 15;

#[test]
fn a_blocked_call_is_cut_by_another_tasks_line_and_resumed() {
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    let data = Blob {
        arg: 1,
        kind: tracer_common::CAP_BUF_RET,
        truncated: false,
        faulted: false,
        at_enter: false,
        data: b"hi".to_vec(),
    };
    p.handle(call(Part::Enter, 1, 0, 0, vec![])).expect("ok");
    // The batch ends with tid 1 still in read: its start is written.
    p.flush().expect("ok");
    p.handle(call(Part::Complete, 2, 3, 0, vec![])).expect("ok");
    p.handle(call(Part::Complete, 1, 0, 2, vec![data]))
        .expect("ok");
    p.flush().expect("ok");
    assert_eq!(
        buf.text(),
        "[pid     1] read(3,  <unfinished ...>\n\
         [pid     2] close(3)                    = 0\n\
         [pid     1] <... read resumed>\"hi\", 16) = 2\n"
    );
}

#[test]
fn a_call_that_ends_in_the_same_batch_is_one_line() {
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    p.handle(call(Part::Enter, 1, 0, 0, vec![])).expect("ok");
    p.handle(call(Part::Complete, 1, 0, 0, vec![])).expect("ok");
    p.flush().expect("ok");
    assert_eq!(
        buf.text(),
        "[pid     1] read(3, \"\", 16)             = 0\n"
    );
}

/// A fork's child "returns" 0 without having entered the call; recorded at the exit only
/// (`-z`, `--json`: no enter record) it looks like a whole call, and must still not be shown.
/// The parent's return is shown, and so is a 0 that `-e inject=` gave the parent.
#[test]
fn a_forks_child_side_is_never_a_line_even_when_recorded_at_exit_only() {
    let clone = libc::SYS_clone as u32;
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    p.handle(call(Part::Complete, 2, clone, 0, vec![]))
        .expect("ok");
    p.handle(call(Part::Complete, 1, clone, 2, vec![]))
        .expect("ok");
    let RawEvent::Syscall(mut injected) = call(Part::Complete, 1, clone, 0, vec![]) else {
        unreachable!()
    };
    injected.tampered.injected = true;
    p.handle(RawEvent::Syscall(injected)).expect("ok");
    p.flush().expect("ok");
    let text = buf.text();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains(") = 2\n") || text.contains("= 2\n"), "{text}");
    assert!(text.contains("= 0 (INJECTED)\n"), "{text}");
    assert!(!text.contains("[pid     2]"), "{text}");
}

#[test]
fn a_signal_that_came_during_a_call_follows_its_line_and_the_exit_ends_the_task() {
    let buf = Memory::default();
    let mut p = traced(&buf, OutputOptions::default(), Fake::default());
    p.handle(call(Part::Enter, 1, 0, 0, vec![])).expect("ok");
    p.handle(signal(1, SIGCHLD, true)).expect("ok");
    p.handle(call(Part::Complete, 1, 0, 0, vec![])).expect("ok");
    p.handle(signal(1, SIGTERM, false)).expect("ok");
    p.handle(exit(1, 0)).expect("ok");
    p.flush().expect("ok");
    assert_eq!(
        buf.text(),
        line("read(3, \"\", 16)", "0")
            + "--- SIGCHLD {si_signo=SIGCHLD, si_code=SI_KERNEL} ---\n\
               --- SIGTERM {si_signo=SIGTERM, si_code=SI_KERNEL} ---\n\
               +++ exited with 0 +++\n"
    );
    assert!(p.live().is_empty());
    let held = p.held();
    assert_eq!((held.processes, held.tasks, held.pending), (0, 0, 0));
}

#[test]
fn n_shows_each_tasks_latest_syscall_on_its_signal_and_exit_lines() {
    let buf = Memory::default();
    let opts = OutputOptions {
        syscall_number: true,
        ..OutputOptions::default()
    };
    let mut p = traced(&buf, opts, Fake::default());
    p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
    p.handle(signal(1, SIGTERM, false)).expect("ok");
    p.handle(exit(1, 143 - 128)).expect("ok");
    p.flush().expect("ok");
    assert_eq!(
        buf.text(),
        line("[   3] close(3)", "0")
            + "[   3] --- SIGTERM {si_signo=SIGTERM, si_code=SI_KERNEL} ---\n\
               [   3] +++ killed by SIGTERM +++\n"
    );
}

#[test]
fn n_shows_exit_group_on_an_exit_line_though_a_filter_hid_it() {
    let buf = Memory::default();
    let opts = OutputOptions {
        syscall_number: true,
        ..OutputOptions::default()
    };
    let mut p = traced(&buf, opts, Fake::default());
    p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
    p.handle(exit(1, 0)).expect("ok");
    p.flush().expect("ok");
    // strace -n -e trace=close: the exit line shows 231, not the last traced call's 3.
    assert_eq!(
        buf.text(),
        line("[   3] close(3)", "0") + "[ 231] +++ exited with 0 +++\n"
    );
}

/// `restart_syscall` names the call it resumes, the task's previous one, as strace does; a
/// task seen in no call before it (a call running when tracing began) resumes `read`, as
/// strace 6.1 writes it after attaching.
#[test]
fn restart_syscall_names_the_call_it_resumes() {
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    let restart = libc::SYS_restart_syscall as u32;
    p.handle(call(Part::Complete, 2, restart, 0, vec![]))
        .expect("ok");
    p.handle(call(Part::Complete, 1, 35, -516, vec![]))
        .expect("ok");
    p.handle(call(Part::Complete, 1, restart, 0, vec![]))
        .expect("ok");
    p.flush().expect("ok");
    let text = buf.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("[pid     2] restart_syscall(<... resuming interrupted read ...>) "),
        "{text}"
    );
    assert!(
        lines[2]
            .starts_with("[pid     1] restart_syscall(<... resuming interrupted nanosleep ...>) "),
        "{text}"
    );
}

#[test]
fn k_prints_each_calls_stack_after_its_line_and_only_its_own() {
    let stack = |tid, ip| {
        RawEvent::Stack(crate::event::Stack {
            tgid: 1,
            tid,
            ip,
            sp: 0x7ffd_0000_0000,
            bp: 0,
            ts: 0,
            data: vec![],
        })
    };
    for stack_traces in [true, false] {
        let buf = Memory::default();
        let opts = OutputOptions {
            stack_traces,
            ..OutputOptions::default()
        };
        // The fake system has no mappings: every frame is strace's error line.
        let mut p = traced(&buf, opts, Fake::default());
        p.handle(stack(1, 0x1234)).expect("ok");
        p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
        // A call without a stack of its own shows none (not the previous call's).
        p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
        p.flush().expect("ok");
        let shown = if stack_traces {
            " > unexpected_backtracing_error [0x1234]\n"
        } else {
            ""
        };
        assert_eq!(
            buf.text(),
            line("close(3)", "0") + shown + &line("close(3)", "0")
        );
    }
}

/// An exec whose path and argv faulted at enter (a vfork child's string literals): its start
/// waits for its end, which brings them from the new image, even across the end of a batch
/// (where a start is otherwise written out).
#[test]
fn an_exec_start_waits_for_the_strings_its_end_brings() {
    use crate::exec_area::fixtures::{area, blob, strv};
    use tracer_common::{CAP_EXEC_AREA, CAP_STRV};
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    let enter = vec![
        blob(0, tracer_common::CAP_CSTR, true, Vec::new()),
        blob(1, CAP_STRV, false, strv(&[("", true), ("", true)], 16)),
    ];
    p.handle(call(Part::Enter, 1, 59, 0, enter)).expect("ok");
    p.flush().expect("ok");
    let mut end = call(
        Part::Complete,
        1,
        59,
        0,
        vec![blob(
            3,
            CAP_EXEC_AREA,
            false,
            area("/bin/sh", &["sh", "-c"]),
        )],
    );
    if let RawEvent::Syscall(sc) = &mut end {
        sc.has_enter_record = true;
    }
    p.handle(end).expect("ok");
    p.flush().expect("ok");
    let text = buf.text();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("[pid     1] execve(\"/bin/sh\", [\"sh\", \"-c\"], "),
        "{text}"
    );
}

/// A second task whose fork record was lost (ring buffer full) is known from its own records:
/// its lines and the leader's take `[pid N]` prefixes from then on.
#[test]
fn a_task_whose_fork_was_lost_gets_prefixes_from_its_first_record() {
    let buf = Memory::default();
    let mut p = traced(&buf, OutputOptions::default(), Fake::default());
    p.handle(call(Part::Complete, 1, 39, 1, vec![]))
        .expect("write");
    p.handle(RawEvent::Lost { count: 3 }).expect("write");
    p.handle(call(Part::Complete, 7, 39, 1, vec![]))
        .expect("write");
    p.handle(call(Part::Complete, 1, 39, 1, vec![]))
        .expect("write");
    p.flush().expect("flush");
    let text = buf.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], line("getpid()", "1").trim_end(), "{text}");
    assert_eq!(
        lines[1], "!!! lost 3 events (ring buffer full) !!!",
        "{text}"
    );
    assert_eq!(
        lines[2],
        line("[pid     7] getpid()", "1").trim_end(),
        "{text}"
    );
    assert_eq!(
        lines[3],
        line("[pid     1] getpid()", "1").trim_end(),
        "{text}"
    );
}

/// A process whose threads' exits were lost (ring buffer full) and that is then found gone
/// leaves nothing held: its tasks and the calls they left started (daemon mode's stats showed
/// `tasks=9, pending=1` with `processes=0` after flooded runs).
#[test]
fn a_process_found_gone_takes_its_threads_and_their_starts_along() {
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    p.handle(call(Part::Complete, 7, 39, 1, vec![]))
        .expect("ok");
    p.handle(call(Part::Enter, 8, 0, 0, vec![])).expect("ok");
    p.handle(RawEvent::Lost { count: 5 }).expect("ok");
    let held = p.held();
    assert_eq!((held.processes, held.tasks, held.pending), (1, 4, 1));
    p.forget(1);
    let held = p.held();
    assert_eq!((held.processes, held.tasks, held.pending), (0, 0, 0));
}

/// SIGCONT sent by process 5 to task 1, delivered at `ts` (siginfo: SI_USER, si_pid 5).
fn sent_by_5(ts: u64) -> RawEvent {
    let mut info = [0u8; tracer_common::SIGINFO_SIZE];
    info[0..4].copy_from_slice(&18i32.to_le_bytes());
    info[16..20].copy_from_slice(&5i32.to_le_bytes());
    RawEvent::Signal(Signal {
        ts,
        tgid: 1,
        tid: 1,
        sig: 18,
        after_call: false,
        info: Some(info),
        group_stop: false,
        ip: None,
    })
}

/// Process 5's kill(1, SIGCONT), from `enter` to `exit`.
fn kill_by_5(enter: u64, exit: u64) -> RawEvent {
    let RawEvent::Syscall(mut sc) = call(Part::Complete, 5, 62, 0, vec![]) else {
        unreachable!()
    };
    (sc.tgid, sc.ts_enter, sc.ts_exit, sc.args) = (5, enter, exit, [1, 18, 0, 0, 0, 0]);
    RawEvent::Syscall(sc)
}

/// A signal delivered before the call that sent it returned (its record comes first) prints
/// after that call, with what came in between after it (effect after cause, as strace).
#[test]
fn a_signal_waits_for_the_call_that_sent_it() {
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    p.start(5);
    p.handle(sent_by_5(30)).expect("ok");
    p.handle(call(Part::Complete, 2, 39, 1, vec![]))
        .expect("ok");
    p.handle(kill_by_5(25, 35)).expect("ok");
    p.flush().expect("ok");
    let text = buf.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("[pid     5] kill(1, SIGCONT)"),
        "{text}"
    );
    assert!(lines[1].starts_with("[pid     1] --- SIGCONT {"), "{text}");
    assert!(lines[2].starts_with("[pid     2] getpid()"), "{text}");
    // Sent by a call already shown: printed at once.
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    p.start(5);
    p.handle(kill_by_5(45, 50)).expect("ok");
    p.handle(sent_by_5(48)).expect("ok");
    p.flush().expect("ok");
    assert!(
        buf.text()
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("SIGCONT {"))
    );
    // The sending call never comes (hidden by a filter, lost): the end of the stream lets
    // the signal go.
    let buf = Memory::default();
    let mut p = pipeline(&buf);
    p.start(5);
    p.handle(sent_by_5(60)).expect("ok");
    assert_eq!(buf.text(), "");
    p.release_held().expect("ok");
    p.flush().expect("ok");
    assert!(buf.text().contains("--- SIGCONT {"), "{}", buf.text());
}
