//! The pipeline driven by hand-built events: what each emitter writes.

use std::collections::HashMap;

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

/// `-c -Z --stats-interval`: after each stats record, the table of the calls since the last
/// one (none when there were none), with its breakdown by errno; the whole run's table at the
/// end.
#[test]
fn a_table_per_stats_interval() {
    let buf = Memory::default();
    let opts = OutputOptions {
        summary: Some(SummaryOptions {
            sort: SortBy::default(),
            only: true,
            wall_clock: true,
            columns: Columns::default(),
            overhead: 0,
            errnos: true,
            per_interval: true,
        }),
        ..OutputOptions::default()
    };
    let mut p = traced(&buf, opts, Fake::default());
    let read = |ret| call(Part::Complete, 1, 0, ret, vec![]);
    let stats = Stats {
        interval_s: 1.0,
        ..Stats::default()
    };
    p.handle(read(-11)).expect("ok");
    p.handle(read(4)).expect("ok");
    p.stats(&stats).expect("ok");
    p.stats(&stats).expect("ok");
    p.handle(read(-4)).expect("ok");
    p.stats(&stats).expect("ok");
    p.finish_summary().expect("ok");
    p.flush().expect("ok");
    let text = buf.text();
    // Interval 1: 2 reads, 1 EAGAIN; interval 2: none (no table); interval 3: 1 EINTR; then
    // the run: 3 reads, 2 failures. Each table is followed by its breakdown by errno.
    let totals: Vec<Vec<&str>> = (text.lines())
        .filter(|l| l.ends_with(" total"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let tables: Vec<&[&str]> = totals
        .iter()
        .filter(|w| w.len() == 6)
        .map(|w| &w[3..5])
        .collect();
    let breakdowns: Vec<&str> = totals
        .iter()
        .filter(|w| w.len() == 2)
        .map(|w| w[0])
        .collect();
    assert_eq!(tables, [["2", "1"], ["1", "1"], ["3", "2"]], "{text}");
    assert_eq!(breakdowns, ["1", "1", "2"], "{text}");
    let stats_lines: Vec<usize> = (text.lines().enumerate())
        .filter(|(_, l)| l.starts_with("--- stats"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(stats_lines.len(), 3);
    assert_eq!(
        stats_lines[1],
        stats_lines[0] + 11,
        "no table for an empty interval: {text}"
    );
    assert_eq!(text.matches("EAGAIN").count(), 2, "{text}");
    assert_eq!(text.matches("EINTR").count(), 2, "{text}");
}

#[test]
fn the_summary_counts_time_on_cpu_unless_wall_clock() {
    for (wall_clock, expected) in [(false, "0.000004"), (true, "0.000010")] {
        let buf = Memory::default();
        let opts = OutputOptions {
            summary: Some(SummaryOptions {
                sort: SortBy::default(),
                only: true,
                wall_clock,
                columns: Columns::default(),
                overhead: 0,
                errnos: false,
                per_interval: false,
            }),
            ..OutputOptions::default()
        };
        let mut p = Pipeline::new(Sinks::One(Sink::new(Box::new(buf.clone()))), opts);
        // 10 us from entry to exit, 6 of them off CPU.
        let mut read = call(Part::Complete, 1, 0, 0, vec![]);
        if let RawEvent::Syscall(raw) = &mut read {
            raw.has_enter_record = false;
            raw.ts_exit = raw.ts_enter + 10_000;
            raw.off_cpu = 6_000;
        }
        p.handle(read).expect("ok");
        p.finish_summary().expect("ok");
        p.flush().expect("ok");
        let text = buf.text();
        let row = text
            .lines()
            .find(|l| l.ends_with(" read"))
            .expect("read row");
        assert_eq!(row.split_whitespace().nth(1), Some(expected), "{text}");
    }
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

#[test]
fn y_names_tasks_as_the_system_named_them_when_tracing_began() {
    let buf = Memory::default();
    let opts = OutputOptions {
        comms: true,
        always_prefix: true,
        ..OutputOptions::default()
    };
    let host = Fake::default().named(1, "postgres");
    let mut p = traced(&buf, opts, host.clone());
    // Renamed behind tracer's back: lines keep the name the trace knows.
    host.comms.borrow_mut().insert(1, "other");
    p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
    p.flush().expect("ok");
    assert_eq!(buf.text(), line("1<postgres> close(3)", "0"));
}

#[test]
fn json_records_name_the_process_from_the_trace_not_the_system_now() {
    let buf = Memory::default();
    let opts = OutputOptions {
        json: true,
        ..OutputOptions::default()
    };
    let host = Fake::default().named(1, "sh");
    let mut p = traced(&buf, opts, host.clone());
    p.json_process("attach", 1).expect("ok");
    p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
    // Named when tracing began: a later rename in /proc is not seen; the exec's is, after
    // the exec's own record.
    host.comms.borrow_mut().insert(1, "bash");
    p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
    let path = Blob {
        arg: 0,
        kind: tracer_common::CAP_CSTR,
        truncated: false,
        faulted: false,
        at_enter: true,
        data: b"/usr/lib/postgresql/15/bin/postgres".to_vec(),
    };
    p.handle(call(Part::Complete, 1, 59, 0, vec![path]))
        .expect("ok");
    p.handle(call(Part::Complete, 1, 3, -9, vec![]))
        .expect("ok");
    p.handle(exit(1, 0)).expect("ok");
    p.handle(RawEvent::Lost { count: 3 }).expect("ok");
    p.flush().expect("ok");
    let r = records(&buf);
    let field = |i: usize, path: &[&str]| {
        path.iter()
            .fold(&r[i], |v, k| &v[*k])
            .as_str()
            .map(str::to_string)
    };
    let actions: Vec<_> = (0..r.len())
        .map(|i| field(i, &["event", "action"]).expect("action"))
        .collect();
    assert_eq!(
        actions,
        [
            "attach", "syscall", "syscall", "syscall", "syscall", "exit", "lost"
        ]
    );
    let names: Vec<_> = (0..r.len())
        .map(|i| field(i, &["process", "name"]))
        .collect();
    let (sh, pg) = (Some("sh".to_string()), Some("postgres".to_string()));
    assert_eq!(
        names,
        [sh.clone(), sh.clone(), sh.clone(), sh, pg.clone(), pg, None]
    );
    assert_eq!(
        r[3]["process"]["executable"], "/usr/lib/postgresql/15/bin/postgres",
        "{}",
        r[3]
    );
    assert_eq!(r[4]["process"]["executable"], r[3]["process"]["executable"]);
    assert!(r[4]["process"].get("args").is_none(), "{}", r[4]);
    assert_eq!(r[5]["process"]["exit_code"], 0);
    assert_eq!(
        field(0, &["message"]).as_deref(),
        Some("process 1 attached")
    );
    let close = line("close(3)", "0");
    assert_eq!(field(1, &["message"]).as_deref(), Some(close.trim_end()));
    assert_eq!(field(4, &["event", "outcome"]).as_deref(), Some("failure"));
    assert_eq!(
        field(4, &["message"]).as_deref(),
        Some("close(3)                                = -1 EBADF (Bad file descriptor)")
    );
    assert_eq!(
        field(5, &["message"]).as_deref(),
        Some("+++ exited with 0 +++")
    );
    assert_eq!(
        field(6, &["message"]).as_deref(),
        Some("!!! lost 3 events (ring buffer full) !!!")
    );
    assert!(r[6].get("process").is_none(), "{}", r[6]);
}

/// Under -f a child's records are named from the trace (its parent's name at fork), with its
/// parent's pid, users and container, even when the system can no longer be asked about it.
#[test]
fn json_names_a_forked_child_after_its_parent_with_its_context() {
    let buf = Memory::default();
    let opts = OutputOptions {
        json: true,
        ..OutputOptions::default()
    };
    let identity = crate::event::Identity {
        ppid: Some(77),
        user: Some(crate::event::User {
            id: 1000,
            name: Some("alice".into()),
        }),
        effective: Some(crate::event::User { id: 0, name: None }),
        container: Some("c0ffee".into()),
    };
    let host = Fake {
        identities: HashMap::from([(1, identity)]),
        host_name: Some("db1"),
        ..Fake::default()
    }
    .named(1, "pgbouncer");
    let mut p = traced(&buf, opts, host);
    p.handle(RawEvent::Fork(Fork {
        ts: 5,
        tgid: 1,
        tid: 1,
        child_tgid: 9,
        child_tid: 9,
    }))
    .expect("ok");
    let mut child = call(Part::Complete, 9, 3, 0, vec![]);
    if let RawEvent::Syscall(c) = &mut child {
        c.tgid = 9;
    }
    p.handle(child).expect("ok");
    p.handle(call(Part::Complete, 1, 3, 0, vec![])).expect("ok");
    p.flush().expect("ok");
    let r = records(&buf);
    let (child, parent) = (&r[0], &r[1]);
    assert_eq!(child["process"]["pid"], 9, "{child}");
    assert_eq!(child["process"]["name"], "pgbouncer", "{child}");
    assert_eq!(child["process"]["parent"]["pid"], 1);
    assert_eq!(parent["process"]["parent"]["pid"], 77);
    for v in [child, parent] {
        assert_eq!(v["user"]["id"], "1000", "{v}");
        assert_eq!(v["user"]["name"], "alice");
        assert_eq!(v["user"]["effective"]["id"], "0");
        assert_eq!(v["container"]["id"], "c0ffee");
        assert_eq!(v["host"]["name"], "db1");
        assert_eq!(v["event"]["start"], v["@timestamp"]);
        assert!(
            v["event"]["end"].as_str() > v["event"]["start"].as_str(),
            "{v}"
        );
    }
}

#[test]
fn text_output_writes_no_attach_record_and_a_comm_adoption_is_named_by_it() {
    let buf = Memory::default();
    let mut p = traced(&buf, OutputOptions::default(), Fake::default());
    p.json_process("attach", 1).expect("ok");
    p.flush().expect("ok");
    assert_eq!(buf.text(), "");
    // With JSON, a process found by `--comm` carries the name it was found by.
    let opts = OutputOptions {
        json: true,
        ..OutputOptions::default()
    };
    let mut p = Pipeline::new(Sinks::One(Sink::new(Box::new(buf.clone()))), opts);
    p.handle(RawEvent::Adopt {
        ts: 1,
        tgid: 5,
        name: "pgbouncer".into(),
    })
    .expect("ok");
    p.flush().expect("ok");
    let r = records(&buf);
    assert_eq!(r[0]["event"]["action"], "attach");
    assert_eq!(r[0]["process"]["name"], "pgbouncer");
    assert!(p.live().contains(&5));
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

/// `-c` after losses: the table says it is partial, and by how many events.
#[test]
fn a_table_after_losses_says_it_is_partial() {
    let buf = Memory::default();
    let opts_c = || OutputOptions {
        summary: Some(SummaryOptions {
            sort: SortBy::default(),
            only: true,
            wall_clock: true,
            columns: Columns::default(),
            overhead: 0,
            errnos: false,
            per_interval: false,
        }),
        ..OutputOptions::default()
    };
    let mut p = traced(&buf, opts_c(), Fake::default());
    p.handle(call(Part::Complete, 1, 39, 1, vec![]))
        .expect("write");
    p.handle(RawEvent::Lost { count: 3 }).expect("write");
    p.handle(RawEvent::Lost { count: 4 }).expect("write");
    p.finish_summary().expect("ok");
    p.flush().expect("flush");
    let text = buf.text();
    assert!(
        text.contains(" total\n(partial: 7 events lost, ring buffer full)\n"),
        "{text}"
    );
    // JSON: the total has a `lost` member.
    let buf = Memory::default();
    let opts = OutputOptions {
        json: true,
        ..opts_c()
    };
    let mut p = traced(&buf, opts, Fake::default());
    p.handle(call(Part::Complete, 1, 39, 1, vec![]))
        .expect("write");
    p.handle(RawEvent::Lost { count: 7 }).expect("write");
    p.finish_summary().expect("ok");
    p.flush().expect("flush");
    let text = buf.text();
    let total = text.lines().last().expect("total");
    assert!(
        total.contains("\"total\":{") && total.contains("\"lost\":7"),
        "{text}"
    );
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
