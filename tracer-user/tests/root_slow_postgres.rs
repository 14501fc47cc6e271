//! `--min-duration` on PostgreSQL: following the postgres processes by name, only calls that took
//! at least 100 ms are printed — a backend's wait inside `pg_sleep(0.3)` — and none of the
//! many fast calls that serve the connection. Root test with Debian's PostgreSQL (the cluster of
//! tests/support/pg.rs).

mod common;
#[path = "support/pg.rs"]
mod pg;

use std::process::Command;

use common::*;

#[test]
fn root_min_duration_shows_a_postgres_backends_slow_wait_only() {
    require_root();
    let socket = pg::ensure_running().expect("PostgreSQL");
    let dir = scratch("slow-postgres");
    let trace = dir.join("trace");
    let mut cmd = tracer();
    cmd.args(["--comm", "postgres", "-T", "--min-duration", "100ms", "-o"])
        .arg(&trace);
    let mut t = spawn_following(cmd);
    let psql = Command::new("psql")
        .args(["-h"])
        .arg(&socket)
        .args(["-p", &pg::PORT.to_string(), "-U", "postgres", "-Atc"])
        .arg("SELECT pg_sleep(0.3); SELECT count(*) FROM pg_class;")
        .output()
        .expect("run psql");
    assert!(
        psql.status.success(),
        "{}",
        String::from_utf8_lossy(&psql.stderr)
    );
    signal(t.0.id(), libc::SIGTERM);
    let _ = t.0.wait();
    let text = std::fs::read_to_string(&trace).unwrap_or_default();
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
    let _ = std::fs::remove_dir_all(&dir);
}
