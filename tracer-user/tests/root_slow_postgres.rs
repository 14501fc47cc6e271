//! `--min-duration` on PostgreSQL: following the postgres processes by name, only calls that took
//! at least 100 ms are printed — a backend's wait inside `pg_sleep(0.3)` — and none of the
//! many fast calls that serve the connection; with `-c`, the slow waits' percentiles, and
//! `-c -Z`'s breakdown by errno of a backend's failed opens, per `--stats-interval` too. Root
//! tests with Debian's PostgreSQL (the cluster of tests/support/pg.rs).

mod common;
#[path = "support/pg.rs"]
mod pg;

use std::{path::Path, process::Command};

use common::*;

/// Runs `sql` with psql on the test cluster; panics when it fails.
fn psql(socket: &Path, sql: &str) {
    let out = Command::new("psql")
        .args(["-h"])
        .arg(socket)
        .args(["-p", &pg::PORT.to_string(), "-U", "postgres", "-Atc", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// tracer `options` following the postgres processes while psql runs `sql`; the output.
fn following_postgres(options: &[&str], sql: &str, name: &str) -> String {
    require_root();
    let socket = pg::ensure_running().expect("PostgreSQL");
    let dir = scratch(name);
    let trace = dir.join("trace");
    let mut cmd = tracer();
    cmd.args(["--comm", "postgres"])
        .args(options)
        .arg("-o")
        .arg(&trace);
    let mut t = spawn_following(cmd);
    psql(&socket, sql);
    signal(t.0.id(), libc::SIGTERM);
    let _ = t.0.wait();
    let text = std::fs::read_to_string(&trace).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// The numbers of the table row that ends with ` name` (the last table's when several).
fn last_row(text: &str, name: &str) -> Vec<f64> {
    let row = (text.lines())
        .rfind(|l| l.ends_with(&format!(" {name}")) && !l.contains(" E"))
        .unwrap_or_else(|| panic!("no {name} row:\n{text}"));
    row.split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// `-c -w -U ...,p50,p99` with `--min-duration`: the backend's three ~300 ms waits in
/// pg_sleep, and no fast call, make the table; every time column is at least the threshold.
#[test]
fn root_latency_percentiles_of_postgres_slow_waits() {
    // -w: the time from entry to exit, as --min-duration measures it (not the time on CPU).
    let options = [
        "-c",
        "-w",
        "--min-duration",
        "250ms",
        "-e",
        "trace=epoll_wait",
        "-U",
        "calls,min-time,p50,p99,max-time",
    ];
    let sql = "SELECT pg_sleep(0.3); SELECT pg_sleep(0.3); SELECT pg_sleep(0.3);";
    let text = following_postgres(&options, sql, "slow-postgres-latency");
    let row = last_row(&text, "epoll_wait");
    let [calls, min, p50, p99, max] = row[..] else {
        panic!("{row:?}\n{text}");
    };
    assert!(calls >= 3.0, "{text}");
    assert!(
        min >= 0.25 && min <= p50 && p50 <= p99 && p99 <= max,
        "{text}"
    );
}

/// `-c -Z` with `--stats-interval`: a backend's opens of a missing file (pg_read_file with
/// missing_ok) in the breakdown as ENOENT, in the interval tables and the whole run's.
#[test]
fn root_failures_by_errno_of_postgres_backends() {
    let options = ["-c", "-Z", "-e", "trace=openat", "--stats-interval", "1"];
    let sql = "SELECT pg_read_file('/nonexistent-tr18c', 0, 1, true); \
               SELECT pg_read_file('/nonexistent-tr18c', 0, 1, true); \
               SELECT pg_read_file('/nonexistent-tr18c', 0, 1, true);";
    let text = following_postgres(&options, sql, "slow-postgres-errnos");
    let enoent: Vec<u64> = (text.lines())
        .filter(|l| l.contains(" ENOENT ") && l.ends_with(" openat"))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    // The intervals' tables (at least the last one's, at the end), then the whole run's.
    let (whole, intervals) = enoent.split_last().expect("a breakdown");
    assert!(*whole >= 3, "{text}");
    assert_eq!(intervals.iter().sum::<u64>(), *whole, "{text}");
    let openat = last_row(&text, "openat");
    assert!(openat[openat.len() - 1] >= 3.0, "openat's errors: {text}");
}

#[test]
fn root_min_duration_shows_a_postgres_backends_slow_wait_only() {
    let options = ["-T", "--min-duration", "100ms"];
    let sql = "SELECT pg_sleep(0.3); SELECT count(*) FROM pg_class;";
    let text = following_postgres(&options, sql, "slow-postgres");
    let calls: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("+++") && !l.contains("---") && !l.contains("resumed>"))
        .filter(|l| !l.ends_with("<unfinished ...>") && !l.ends_with("<detached ...>"))
        // exit_group does not return: no length, shown as it is.
        .filter(|l| !l.contains("exit_group("))
        .collect();
    // The backend's wait in pg_sleep: one epoll_wait of about 300 ms.
    assert!(
        calls
            .iter()
            .any(|l| l.contains("epoll_wait(") && took(l) >= 0.25),
        "no slow wait:\n{text}"
    );
    // Every call shown took at least 100 ms; the reads and writes that served the queries did not.
    for l in &calls {
        assert!(took(l) >= 0.1, "a fast call shown: {l}\n{text}");
    }
}

/// `-k` with `--min-duration` on PostgreSQL: the backend's slow wait comes with where it was
/// made, named from the postgres binary's exported symbols (Debian's binary has no frame
/// pointers: the frames come from DWARF CFI), down from the wait to pg_sleep and PostgresMain.
#[test]
fn root_stack_of_a_postgres_backends_slow_wait() {
    let options = ["-k", "-e", "trace=epoll_wait", "--min-duration", "250ms"];
    let text = following_postgres(&options, "SELECT pg_sleep(0.3);", "slow-postgres-stack");
    let lines: Vec<&str> = text.lines().collect();
    let postgres = "/usr/lib/postgresql/15/bin/postgres(";
    // The backend's wait: other processes' slow waits may end while tracing (the WAL
    // writer's 5 s epoll_wait in WalWriterMain did on CI), so the one under pg_sleep.
    let frames: Vec<&str> = (lines.iter().enumerate())
        .filter(|(_, l)| l.contains("epoll_wait(") && !l.contains("resumed>"))
        .map(|(at, _)| {
            (lines[at + 1..].iter())
                .take_while(|l| l.starts_with(" > "))
                .copied()
                .collect::<Vec<&str>>()
        })
        .find(|frames| {
            frames
                .iter()
                .any(|f| f.contains(&format!("{postgres}pg_sleep+0x")))
        })
        .unwrap_or_else(|| panic!("no slow wait under pg_sleep:\n{text}"));
    let named = |name: &str| {
        frames
            .iter()
            .position(|f| f.contains(&format!("{postgres}{name}+0x")))
            .unwrap_or_else(|| panic!("no {name} frame in\n{text}"))
    };
    assert!(frames[0].contains("libc.so.6(epoll_wait+0x"), "{text}");
    let (wait, sleep, main) = (
        named("WaitEventSetWait"),
        named("pg_sleep"),
        named("PostgresMain"),
    );
    assert!(wait < sleep && sleep < main, "{text}");
}
