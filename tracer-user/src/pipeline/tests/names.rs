//! Tasks named as the trace named them (`-Y`, JSON records' process and its context), not
//! as the system names them now.

use super::*;

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
        shares_files: false,
        shares_fs: false,
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
