//! `--tls` end to end (root, real eBPF, Debian's OpenSSL 3, pgBouncer and psql): story 4 when
//! clients reach pgBouncer over TLS. The query is ciphertext in every syscall; tracer's probes
//! on pgBouncer's libssl show its plaintext, tied to the socket and the accept that made it.

mod common;
#[path = "support/json_types.rs"]
mod json_types;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/pg_tls.rs"]
mod pg_tls;

use std::{
    fs,
    io::{BufRead, BufReader},
    process::{Child, Stdio},
    sync::Mutex,
    thread,
    time::Duration,
};

use common::*;
use regex::Regex;

/// The TLS pgBouncer has one port: one test at a time.
static BOUNCER: Mutex<()> = Mutex::new(());

const QUERY: &str = "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;";
/// The query as the frontend sends it, in strace's quoting.
const QUERY_MESSAGE: &str = r#""Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0""#;

/// Starts `tracer ARGS -o TRACE` and waits until it says the TLS probes are on.
fn attach(args: &[&str], trace: &std::path::Path) -> Child {
    let mut child = tracer()
        .args(["--backend=ebpf", "--tls"])
        .args(args)
        .arg("-o")
        .arg(trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    wait_said(&mut child, |line| {
        line.contains("TLS probes on") && line.contains("libssl.so")
    });
    child
}

/// Stops an attached tracer (Ctrl-C) and returns its trace.
fn stop(mut tracer: Child, trace: &std::path::Path) -> String {
    signal(tracer.id(), libc::SIGINT);
    tracer.wait().expect("wait for tracer");
    fs::read_to_string(trace).expect("trace")
}

/// Story 4 over TLS: tracer attached to pgBouncer with `--match "READ ONLY" -yy -s 256`
/// while psql sends the query; stopped once the trace shows `until`. Returns the trace.
fn trace_the_query(s: &Setup, until: &str) -> String {
    let pid = s.bouncer.pid.to_string();
    let args = ["-p", &pid, "--match", "READ ONLY", "-yy", "-s", "256"];
    let tracer = attach(&args, &s.trace);
    run_psql(&[QUERY]);
    wait_for(&s.trace, Duration::from_secs(10), |t| t.contains(until));
    stop(tracer, &s.trace)
}

fn run_psql(sql: &[&str]) {
    let out = pg_tls::psql(sql).output().expect("run psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What a test runs against: a TLS pgBouncer of its own (alone: the port is shared by the
/// tests), in front of the shared cluster or, with `server_tls`, a cluster with `ssl = on`;
/// and a scratch directory with the trace file. Dropped in field order: pgBouncer first.
struct Setup {
    bouncer: pg_tls::TlsBouncer,
    _cluster: Option<pg_tls::TlsCluster>,
    _alone: std::sync::MutexGuard<'static, ()>,
    dir: std::path::PathBuf,
    trace: std::path::PathBuf,
}

fn setup(name: &str, server_tls: bool) -> Setup {
    require_root();
    let alone = BOUNCER.lock().unwrap_or_else(|e| e.into_inner());
    let (cluster, port) = if server_tls {
        let c = pg_tls::start_tls_cluster().expect("a PostgreSQL cluster with ssl = on");
        (Some(c), pg_tls::TLS_PG_PORT)
    } else {
        pg::ensure_running().expect("PostgreSQL");
        (None, pg::PORT)
    };
    let bouncer = pg_tls::start_with(port, server_tls).expect("a TLS pgBouncer");
    let dir = scratch(name);
    let trace = dir.join("trace");
    Setup {
        bouncer,
        _cluster: cluster,
        _alone: alone,
        dir,
        trace,
    }
}

#[test]
fn root_tls_story4_the_query_inside_tls_names_its_client() {
    let s = setup("tls-story4", false);
    let (bouncer, dir) = (&s.bouncer, &s.dir);
    let text = trace_the_query(&s, "SSL_read@");
    assert!(alive(bouncer.pid), "pgbouncer must survive being traced");
    // The plaintext, on the client's socket, and the accept that made the socket.
    let line = Regex::new(&format!(
        r"(?m)^(?:\[pid +\d+\] )?SSL_read@libssl\((\d+)<TCP:\[127\.0\.0\.1:{}->127\.0\.0\.1:(\d+)\]>, {}, \d+\) += 59 /\* fd (\d+): accepted from 127\.0\.0\.1:(\d+) by accept4?\(\d+\) at [0-9:.]+ \*/$",
        pg_tls::TLS_PORT,
        regex::escape(QUERY_MESSAGE),
    ))
    .expect("re");
    let caps = line
        .captures(&text)
        .unwrap_or_else(|| panic!("no SSL_read with the query and its accept in:\n{text}"));
    assert_eq!(&caps[1], &caps[3], "{}", &caps[0]);
    assert_eq!(&caps[2], &caps[4], "{}", &caps[0]);
    // --match: only what holds the text; the ciphertext recvfrom does not, and pgBouncer
    // passes the query on to PostgreSQL in plaintext (a sendto that does).
    for l in text.lines().filter(|l| !l.starts_with("+++")) {
        assert!(l.contains("READ ONLY"), "{l}\nin:\n{text}");
    }
    assert!(
        text.lines()
            .any(|l| l.contains("] sendto(") || l.starts_with("sendto(")),
        "{text}"
    );
    let _ = fs::remove_dir_all(dir);
}

/// Every line is valid against the published schema (tests/support/validate_json.py), every
/// field path has one JSON type, and there are tls records.
fn validate_against_schema(text: &str) {
    let counts = json_types::validate(text);
    assert!(counts["tls"].as_u64() > Some(0), "{counts}");
    json_types::assert_one_type_per_path(text);
}

#[test]
fn root_tls_json_records_carry_the_plaintext_and_the_password_is_masked() {
    let s = setup("tls-json", false);
    let (bouncer, dir, trace) = (&s.bouncer, &s.dir, &s.trace);
    let pid = bouncer.pid.to_string();
    let tracer = attach(
        &["-p", &pid, "-e", "trace=none", "-yy", "-s", "256", "--json"],
        trace,
    );
    run_psql(&[QUERY]);
    wait_for(trace, Duration::from_secs(10), |t| t.contains("READ ONLY"));
    let text = stop(tracer, trace);
    validate_against_schema(&text);
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let tls: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["event"]["action"] == "tls")
        .collect();
    let query = tls
        .iter()
        .find(|r| r["tls"]["data"].as_str().is_some_and(|d| d.contains(QUERY)))
        .unwrap_or_else(|| panic!("no tls record with the query in:\n{text}"));
    assert_eq!(query["tls"]["function"], "SSL_read", "{query}");
    assert_eq!(query["tls"]["direction"], "read", "{query}");
    assert_eq!(query["tls"]["length"], 59, "{query}");
    assert_eq!(query["tls"]["return"], 59, "{query}");
    assert_eq!(query["process"]["pid"], bouncer.pid, "{query}");
    assert!(query["tls"]["fd"].as_i64().is_some(), "{query}");
    let peer = query["tls"]["peer"].as_str().expect("peer");
    assert!(
        peer.starts_with(&format!("TCP:[127.0.0.1:{}->127.0.0.1:", pg_tls::TLS_PORT)),
        "{query}"
    );
    // The answer goes back through SSL_write.
    assert!(
        tls.iter()
            .any(|r| r["tls"]["direction"] == "write" && r["tls"]["function"] == "SSL_write"),
        "{text}"
    );
    // psql's MD5 password message came in over TLS: masked, as in syscall buffers.
    let password = tls
        .iter()
        .find(|r| {
            r["tls"]["data"]
                .as_str()
                .is_some_and(|d| d.starts_with('p'))
        })
        .unwrap_or_else(|| panic!("no password message in:\n{text}"));
    let data = password["tls"]["data"].as_str().expect("data");
    // 'p', the length (NULs replaced by U+FFFD in JSON), then the masked rest.
    let rest: String = data.chars().skip(5).collect();
    assert!(rest.trim_end_matches('*').is_empty(), "{password}");
    assert!(!text.contains("md5"), "{text}");
    let _ = fs::remove_dir_all(dir);
}

/// The trace (lines with pids) holds psql's own `SSL_write` of the query.
fn assert_psql_sent_the_query(trace: &std::path::Path) {
    let text = fs::read_to_string(trace).expect("trace");
    let sent = Regex::new(&format!(
        r"(?m)^\d+ +SSL_write@libssl\(\d+, {}, 59\) += 59$",
        regex::escape(QUERY_MESSAGE)
    ))
    .expect("re");
    assert!(
        sent.is_match(&text),
        "no SSL_write of the query in:\n{text}"
    );
}

#[test]
fn root_tls_a_process_started_later_is_probed_once_it_maps_libssl() {
    let s = setup("tls-follow", false);
    let (dir, trace) = (&s.dir, &s.trace);
    // psql is launched through Debian's perl wrapper (-f follows the exec'd psql): it maps
    // libssl only after tracer started. The first query gives the probes time to go on.
    let mut cmd = tracer();
    cmd.args([
        "--backend=ebpf",
        "--tls",
        "-f",
        "-e",
        "trace=none",
        "-s",
        "128",
        "-o",
    ])
    .arg(trace)
    .arg("--");
    let psql = pg_tls::psql(&["SELECT pg_sleep(0.5)", QUERY]);
    cmd.arg(psql.get_program()).args(psql.get_args());
    for (k, v) in psql.get_envs() {
        cmd.env(k, v.expect("value"));
    }
    let out = cmd.output().expect("run tracer");
    assert!(
        out.status.success(),
        "tracer: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_psql_sent_the_query(trace);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn root_tls_is_refused_with_ptrace() {
    let out = tracer()
        .args(["--backend=ptrace", "--tls", "--", "true"])
        .output()
        .expect("run tracer");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--tls needs the eBPF backend") && err.contains("ptrace"),
        "{err}"
    );
}

#[test]
fn root_tls_story4_with_tls_between_pgbouncer_and_postgresql_too() {
    let s = setup("tls-server", true);
    let dir = &s.dir;
    let text = trace_the_query(&s, "SSL_write@");
    // In from the client, out to PostgreSQL: both inside TLS, both plaintext here.
    let read = Regex::new(&format!(
        r"(?m)^(?:\[pid +\d+\] )?SSL_read@libssl\(\d+<TCP:\[127\.0\.0\.1:{}->127\.0\.0\.1:\d+\]>, {}, \d+\) += 59 /\* fd \d+: accepted from ",
        pg_tls::TLS_PORT,
        regex::escape(QUERY_MESSAGE),
    ))
    .expect("re");
    assert!(read.is_match(&text), "no SSL_read of the query in:\n{text}");
    let write = Regex::new(&format!(
        r"(?m)^(?:\[pid +\d+\] )?SSL_write@libssl\(\d+<TCP:\[[^\]]+\]>, {}, 59\) += 59 /\* fd \d+: connected to 127\.0\.0\.1:{} at ",
        regex::escape(QUERY_MESSAGE),
        pg_tls::TLS_PG_PORT,
    ))
    .expect("re");
    assert!(
        write.is_match(&text),
        "no SSL_write of the query to PostgreSQL in:\n{text}"
    );
    // No syscall carries the text: it is ciphertext on both sockets.
    for l in text.lines().filter(|l| !l.starts_with("+++")) {
        assert!(
            l.contains("SSL_read@") || l.contains("SSL_write@"),
            "{l}\nin:\n{text}"
        );
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn root_tls_a_process_picked_up_by_name_is_probed() {
    let s = setup("tls-comm", false);
    let (dir, trace) = (&s.dir, &s.trace);
    let mut tracer = tracer()
        .args([
            "--backend=ebpf",
            "--tls",
            "--comm",
            "psql",
            "-e",
            "trace=none",
            "-s",
            "128",
            "-o",
        ])
        .arg(trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let mut lines = BufReader::new(tracer.stderr.take().expect("stderr")).lines();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    assert!(first.contains("following processes named psql"), "{first}");
    let said = thread::spawn(move || lines.map_while(|l| l.ok()).collect::<Vec<_>>());
    // Started after tracer: picked up at its exec, probed once it maps libssl.
    run_psql(&["SELECT pg_sleep(0.5)", QUERY]);
    wait_for(trace, Duration::from_secs(10), |t| t.contains("READ ONLY"));
    signal(tracer.id(), libc::SIGINT);
    tracer.wait().expect("wait for tracer");
    let said = said.join().expect("stderr").join("\n");
    assert!(said.contains("TLS probes on"), "{said}");
    assert_psql_sent_the_query(trace);
    let _ = fs::remove_dir_all(dir);
}

/// Builds C program `source` (linked with OpenSSL's libraries, declaring what it calls itself)
/// in a scratch directory named after `name`, runs it under `tracer --tls` with `options`,
/// checks tracer succeeded; returns the directory and tracer's output.
fn run_ssl_program(name: &str, source: &str, options: &[&str]) -> (std::path::PathBuf, String) {
    require_root();
    let dir = scratch(&format!("tls-{name}"));
    let src = dir.join(format!("{name}.c"));
    let exe = dir.join(name);
    fs::write(&src, source).expect("write the program");
    let built = std::process::Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&exe)
        .arg(&src)
        .args(["-lpthread", "-l:libssl.so.3", "-l:libcrypto.so.3"])
        .status()
        .expect("run cc");
    assert!(built.success(), "cc failed");
    let out = tracer()
        .args(["--backend=ebpf", "--tls"])
        .args(options)
        .arg("--")
        .arg(&exe)
        .output()
        .expect("run tracer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Calls SSL_read on an unconnected SSL object with a length of 1 in the main thread, then
/// with 2 in a second thread, at once: a launched command's probes are on before its exec.
const THREADS_C: &str = r#"
#include <pthread.h>
void *TLS_method(void);
void *SSL_CTX_new(const void *method);
void *SSL_new(void *ctx);
int SSL_read(void *ssl, void *buf, int num);
static void *ctx;
static void *run(void *arg) {
    char buf[8];
    SSL_read(SSL_new(ctx), buf, (int)(long)arg);
    return 0;
}
int main(void) {
    pthread_t t;
    ctx = SSL_CTX_new(TLS_method());
    run((void *)1);
    pthread_create(&t, 0, run, (void *)2);
    pthread_join(t, 0);
    return 0;
}
"#;

#[test]
fn root_tls_a_launched_commands_first_call_and_every_thread_are_seen() {
    let (dir, text) = run_ssl_program("threads", THREADS_C, &["-e", "trace=none"]);
    let main =
        Regex::new(r"(?m)^SSL_read@libssl\(0x[0-9a-f]+, 0x[0-9a-f]+, 1\) += -1$").expect("re");
    let thread =
        Regex::new(r"(?m)^\[pid +\d+\] SSL_read@libssl\(0x[0-9a-f]+, 0x[0-9a-f]+, 2\) += -1$")
            .expect("re");
    assert!(main.is_match(&text), "{text}");
    assert!(thread.is_match(&text), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

/// Forks 12 children that each call SSL_read with their number as the length at once and exit,
/// and 12 that exec this program again (`child N`) to do the same from a fresh image: each
/// call is over within a millisecond of the fork, before tracer could read the fork record.
const FORKS_C: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
void *TLS_method(void);
void *SSL_CTX_new(const void *method);
void *SSL_new(void *ctx);
int SSL_read(void *ssl, void *buf, int num);
static void call(int n) {
    char buf[64];
    SSL_read(SSL_new(SSL_CTX_new(TLS_method())), buf, n);
}
int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        call(atoi(argv[2]));
        return 0;
    }
    for (int n = 1; n <= 24; n++) {
        pid_t pid = fork();
        if (pid == 0) {
            if (n > 12) {
                char num[8];
                snprintf(num, sizeof num, "%d", n);
                execl("/proc/self/exe", argv[0], "child", num, (char *)0);
                _exit(127);
            }
            call(n);
            _exit(0);
        }
        waitpid(pid, 0, 0);
    }
    return 0;
}
"#;

#[test]
fn root_tls_every_forked_and_execd_childs_calls_are_seen_under_f() {
    let (dir, text) = run_ssl_program("forks", FORKS_C, &["-f", "-e", "trace=none"]);
    let call =
        Regex::new(r"(?m)^\[pid +\d+\] SSL_read@libssl\(0x[0-9a-f]+, 0x[0-9a-f]+, (\d+)\) += -1$")
            .expect("re");
    let mut seen: Vec<u32> = call
        .captures_iter(&text)
        .map(|c| c[1].parse().expect("a number"))
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=24).collect::<Vec<_>>(), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

/// The return probes make the traced process run the `uretprobe` syscall (x86_64, since Linux
/// 6.11) at each `SSL_*` return: tracer's own doing, never shown as the program's call.
#[test]
fn root_tls_the_return_probes_own_syscall_is_not_shown() {
    let (dir, text) = run_ssl_program("uret", THREADS_C, &["-f", "-C", "-tt"]);
    assert!(text.contains("SSL_read@libssl("), "{text}");
    assert!(text.contains("% time"), "{text}");
    for name in ["uretprobe", "syscall_0x14f"] {
        assert!(!text.contains(name), "{name} in:\n{text}");
    }
    let _ = fs::remove_dir_all(&dir);
}
