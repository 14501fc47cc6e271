//! The four production stories tracer is built for, end to end with real processes and real
//! eBPF (root): a device that fails to open, a forked child dying after ENOMEM, a server out of
//! file descriptors, and a pgBouncer client found from the query it sent.

mod common;
#[path = "support/pg.rs"]
mod pg;

use std::{fs, os::unix::process::ExitStatusExt, path::PathBuf, process::Command, time::Duration};

use common::*;
use regex::Regex;

fn stories() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stories.py")
}

/// Stops an attached tracer the way a user does (Ctrl-C) and returns its trace.
fn stop(mut tracer: std::process::Child, trace: &std::path::Path) -> String {
    signal(tracer.id(), libc::SIGINT);
    let status = tracer.wait().expect("wait for tracer");
    // Like strace, it ends by the signal that stopped it.
    assert_eq!(status.signal(), Some(libc::SIGINT), "tracer: {status}");
    fs::read_to_string(trace).expect("trace")
}

/// tracer with `--backend=BACKEND`: every story runs with both backends.
fn tracer_on(backend: &str) -> Command {
    let mut c = tracer();
    c.arg(format!("--backend={backend}"));
    c
}

/// Starts `tracer ARGS -o TRACE` and waits until it says it is attached.
fn attach(backend: &str, args: &[&str], trace: &std::path::Path) -> std::process::Child {
    let mut t = tracer_on(backend);
    t.args(args);
    attach_to_file(t, trace)
}

fn story1(backend: &str) {
    require_root();
    let out = tracer_on(backend)
        .args(["-e", "trace=open", "--", "setsid", "-w", "/usr/bin/python3"])
        .arg(stories())
        .arg("device-open")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l
            == r#"open("/dev/tty", O_RDWR)                = -1 ENXIO (No such device or address)"#),
        "{text}"
    );
}

fn story2(backend: &str) {
    require_root();
    let out = tracer_on(backend)
        .args(["-f", "-e", "trace=mmap,mprotect", "--", "/usr/bin/python3"])
        .arg(stories())
        .arg("enomem-child")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let child = Regex::new(r"(?m)^\[pid +(\d+)\] mprotect\(0x7ffffff00000, 4096, PROT_READ\|PROT_WRITE\) = -1 ENOMEM \(Cannot allocate memory\)$")
        .expect("re")
        .captures(&text)
        .unwrap_or_else(|| panic!("no failed mprotect in:\n{text}"))[1]
        .to_string();
    assert!(
        text.contains(&format!("[pid {child:>5}] mmap(NULL, 4294967296, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)")),
        "{text}"
    );
    assert!(
        text.contains(&format!("[pid {child:>5}] +++ killed by SIGTRAP +++")),
        "{text}"
    );
}

fn story3(backend: &str) {
    require_root();
    let dir = scratch(&format!("emfile-{backend}"));
    let port_file = dir.join("port");
    let server = KillOnDrop(
        Command::new("/usr/bin/python3")
            .arg(stories())
            .arg("emfile-server")
            .arg(&port_file)
            .spawn()
            .expect("start the server"),
    );
    let port: u16 = wait_for(&port_file, Duration::from_secs(10), |t| !t.is_empty())
        .parse()
        .expect("port");
    let trace = dir.join("trace");
    let tracer = attach(
        backend,
        &[
            "-p",
            &server.0.id().to_string(),
            "--annotate",
            "-e",
            "trace=accept,accept4",
        ],
        &trace,
    );
    let clients: Vec<_> = (0..20)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    wait_for(&trace, Duration::from_secs(10), |t| t.contains("EMFILE"));
    let text = stop(tracer, &trace);
    assert!(alive(server.0.id()), "the server must survive being traced");
    drop(clients);
    drop(server);
    let _ = fs::remove_dir_all(&dir);
    let emfile = Regex::new(r"(?m)^accept4?\(3, 0x[0-9a-f]+, \[16\](, SOCK_CLOEXEC)?\) = -1 EMFILE \(Too many open files\) /\* pid \d+ has \d+ fds open, RLIMIT_NOFILE 16 \(hard 16\) \*/$")
        .expect("re");
    assert!(emfile.is_match(&text), "{text}");
}

/// Story 4's runs share pgBouncer, and each counts the calls it sees there: one at a time.
static BOUNCER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn story4(backend: &str) {
    require_root();
    let _alone = BOUNCER.lock().unwrap_or_else(|e| e.into_inner());
    let bouncer = pg::ensure_bouncer().expect("PostgreSQL and pgBouncer");
    let dir = scratch(&format!("pgbouncer-{backend}"));
    let query = r#""Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0""#;
    for matching in [false, true] {
        let trace = dir.join(format!("trace-{matching}"));
        let mut args = vec!["-p".to_string(), bouncer.to_string()];
        args.extend(["-f", "-e", "trace=network", "-s", "256", "-yy"].map(String::from));
        if matching {
            args.extend(["--match", "READ ONLY"].map(String::from));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let tracer = attach(backend, &args, &trace);
        let port = pg::story_client();
        wait_for(&trace, Duration::from_secs(10), |t| t.contains("READ ONLY"));
        let text = stop(tracer, &trace);
        assert!(alive(bouncer), "pgbouncer must survive being traced");
        let recv = Regex::new(&format!(
            r"(?m)^(?:\d+ +)?recvfrom\((\d+)<TCP:\[127\.0\.0\.1:{}->127\.0\.0\.1:{port}\]>, {}, \d+, 0, NULL, NULL\) = 59(.*)$",
            pg::BOUNCER_PORT,
            regex::escape(query)
        ))
        .expect("re");
        let caps = recv
            .captures(&text)
            .unwrap_or_else(|| panic!("no recvfrom with the query from port {port} in:\n{text}"));
        let fd = &caps[1];
        if matching {
            // Only matching calls (the query in, and pgBouncer passing it on to PostgreSQL),
            // and the one from the client says which client it came from.
            let calls: Vec<&str> = text.lines().filter(|l| !l.contains("+++")).collect();
            assert!(calls.iter().all(|l| l.contains("READ ONLY")), "{text}");
            assert!(calls.len() <= 2, "{text}");
            let note = format!(": accepted from 127.0.0.1:{port} by accept");
            assert!(
                caps[2].contains(&format!(" /* fd {fd}{note}")),
                "{}",
                &caps[0]
            );
        } else {
            // The accept that returned the same fd names the client.
            let accept = Regex::new(&format!(
                r#"(?m)^(?:\d+ +)?accept4?\(\d+<TCP:\[127\.0\.0\.1:{}\]>, \{{sa_family=AF_INET, sin_port=htons\({port}\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}}, \[(?:\d+ => )?16\](, [A-Z_|]+)?\) = {fd}<"#,
                pg::BOUNCER_PORT
            ))
            .expect("re");
            assert!(
                accept.is_match(&text),
                "no accept returning {fd} for port {port} in:\n{text}"
            );
        }
    }
    // The story's query must not stay behind in a pooled connection (later tests and the
    // benchmark write through pgBouncer).
    assert!(
        !pg::bouncer_session_read_only(),
        "a pooled session stayed read-only"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_story1_a_device_that_fails_to_open() {
    story1("ebpf");
}

#[test]
fn root_story1_a_device_that_fails_to_open_with_ptrace() {
    story1("ptrace");
}

#[test]
fn root_story2_a_forked_child_fails_with_enomem_and_dies_of_sigtrap() {
    story2("ebpf");
}

#[test]
fn root_story2_a_forked_child_fails_with_enomem_and_dies_of_sigtrap_with_ptrace() {
    story2("ptrace");
}

#[test]
fn root_story3_a_server_attached_by_pid_runs_out_of_fds() {
    story3("ebpf");
}

#[test]
fn root_story3_a_server_attached_by_pid_runs_out_of_fds_with_ptrace() {
    story3("ptrace");
}

#[test]
fn root_story4_pgbouncer_client_found_from_its_query() {
    story4("ebpf");
}

#[test]
fn root_story4_pgbouncer_client_found_from_its_query_with_ptrace() {
    story4("ptrace");
}
