//! Secrets stay masked however they travel: PostgreSQL password messages split over calls or
//! in iovecs, in both directions; SQL password literals in Q and P messages (comments and
//! `U&` between the keyword and the literal); a connection string's password in argv (blanks
//! around `=`), `PGPASSWORD=` in argv (also inside a shell command); and in the `--record` file. Both backends, text and JSON.

mod common;

use std::{fs, path::Path, process::Stdio};

use common::*;

const SECRETS: [&str; 14] = [
    "secret-split",
    "secret-iov",
    "secret-msg",
    "secret1",
    "secret2",
    "c2VjcmV0c2VjcmV0",
    "hunter2",
    "secret3",
    "secret4",
    "secret5",
    "secret6",
    "secret7",
    "secret8",
    "secret9",
];

const CONNINFO: &str = "host=db user=app password=hunter2 dbname=x";
/// libpq's blanks around `=`, a newline separator, `env PGPASSWORD=...`'s argument, and
/// `PGPASSWORD=` inside a shell command (`sh -c '...'`).
const MORE_ARGV: [&str; 4] = [
    "host=db password = secret5",
    "user=u\npassword=secret6",
    "PGPASSWORD=secret7",
    "export PGPASSWORD=secret8; A=1 PGPASSWORD='secret9' pg_dump",
];

/// Runs the workload under tracer with `flags`; returns the trace.
fn trace(bin: &Path, out: &Path, flags: &[&str]) -> String {
    let status = tracer()
        .args([
            "-s",
            "256",
            "-e",
            "trace=execve,read,write,sendto,writev,sendmsg",
        ])
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg("--")
        .arg(bin)
        .arg(CONNINFO)
        .args(MORE_ARGV)
        .stderr(Stdio::null())
        .status()
        .expect("run tracer");
    assert!(status.success(), "{flags:?}");
    fs::read_to_string(out).expect("trace")
}

fn leaked(text: &str) -> Vec<&'static str> {
    SECRETS
        .iter()
        .copied()
        .filter(|s| text.contains(s))
        .collect()
}

#[test]
fn root_secrets_are_masked_in_every_form_and_backend() {
    require_root();
    let dir = scratch("redact-forms");
    let bin = cc("pgwire", &dir);
    for backend in ["ebpf", "ptrace"] {
        for json in [false, true] {
            let mut flags = vec!["--backend", backend];
            if json {
                flags.push("--json");
            }
            let text = trace(&bin, &dir.join("t"), &flags);
            assert!(
                leaked(&text).is_empty(),
                "{backend} json={json}: {:?} leaked:\n{text}",
                leaked(&text)
            );
            // The calls are there, with their secrets masked.
            assert!(text.contains("password=*******"), "{backend}:\n{text}");
            assert!(text.contains("PASSWORD '*******'"), "{backend}:\n{text}");
            assert!(text.contains("************"), "{backend}:\n{text}");
        }
        // The check sees what it checks: without redaction every secret shows.
        let clear = trace(&bin, &dir.join("c"), &["--backend", backend, "--no-redact"]);
        assert_eq!(leaked(&clear), SECRETS.to_vec(), "{backend}:\n{clear}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_recording_is_redacted_unless_no_redact_was_given() {
    require_root();
    let dir = scratch("redact-record");
    let bin = cc("pgwire", &dir);
    let bytes_leaked = |path: &Path| {
        let data = fs::read(path).expect("recording");
        SECRETS
            .iter()
            .filter(|s| data.windows(s.len()).any(|w| w == s.as_bytes()))
            .count()
    };
    let rec = dir.join("rec");
    trace(
        &bin,
        &dir.join("t"),
        &["--backend", "ebpf", "--record", rec.to_str().unwrap()],
    );
    assert_eq!(bytes_leaked(&rec), 0, "the recording holds secrets");
    // Replayed even with --no-redact: the secrets are not in it to show.
    let out = tracer()
        .args(["--no-redact", "-s", "256", "--replay"])
        .arg(&rec)
        .output()
        .expect("replay");
    let replayed = String::from_utf8_lossy(&out.stdout);
    assert!(replayed.contains("PASSWORD '*******'"), "{replayed}");
    assert!(leaked(&replayed).is_empty(), "{replayed}");
    let clear = dir.join("clear");
    trace(
        &bin,
        &dir.join("t2"),
        &[
            "--backend",
            "ebpf",
            "--no-redact",
            "--record",
            clear.to_str().unwrap(),
        ],
    );
    assert_eq!(
        bytes_leaked(&clear),
        SECRETS.len(),
        "--no-redact keeps the bytes"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// A password message's body written through another fd of its connection (dup,
/// F_DUPFD_CLOEXEC, dup2, a forked child), and a connection that reuses the fd number of one
/// that died mid-query (its close untraced): the password never shows, in the text or in a
/// `-e write=all` dump. Both backends.
#[test]
fn root_a_password_body_through_another_fd_is_masked() {
    require_root();
    let dir = scratch("redact-other-fd");
    let bin = cc("pg_other_fd", &dir);
    let run = |backend: &str, mode: &str, extra: &[&str]| {
        let out = dir.join("t");
        let status = tracer()
            .args(["--backend", backend, "-f", "-s", "256"])
            .args(["-e", "trace=write,sendto"])
            .args(extra)
            .arg("-o")
            .arg(&out)
            .arg("--")
            .arg(&bin)
            .arg(mode)
            .stderr(Stdio::null())
            .status()
            .expect("run tracer");
        assert!(status.success(), "{backend} {mode} {extra:?}");
        fs::read_to_string(&out).expect("trace")
    };
    for backend in ["ebpf", "ptrace"] {
        for mode in ["0", "2", "3", "4", "10", "11"] {
            for extra in [&[][..], &["-e", "write=all"][..]] {
                let text = run(backend, mode, extra);
                assert!(
                    !text.contains("hunter2"),
                    "{backend} mode {mode} {extra:?}:\n{text}"
                );
                // The message went, its kind shown.
                assert!(text.contains("\"p\\0"), "{backend} {mode}:\n{text}");
            }
            // The check sees what it checks: without redaction the password shows.
            let clear = run(backend, mode, &["--no-redact"]);
            assert!(clear.contains("hunter2"), "{backend} {mode}:\n{clear}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
