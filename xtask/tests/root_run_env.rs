//! `cargo xtask run` launches what the user asked with the user's own environment: a traced
//! `env` run through `cargo xtask run`, the way a user types it, prints the same variables
//! and makes the same `openat` calls as the same trace run directly (root: loads eBPF).

mod common;

use std::{env, fs, path::Path, process::Command};

use common::{require_root, shell_env, workspace};

/// Runs `program args` in the workspace with exactly the shell's environment; returns what
/// the traced `env` printed (sorted) and the trace's lines.
fn traced_env(program: &Path, args: &[&str], trace: &Path) -> (Vec<String>, Vec<String>) {
    let out = Command::new(program)
        .args(args)
        .args(["-e", "trace=openat", "-o"])
        .arg(trace)
        .args(["--", "env"])
        .env_clear()
        .envs(shell_env())
        .current_dir(workspace())
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: {stderr}", program.display());
    let mut vars: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    vars.sort();
    let trace = fs::read_to_string(trace).expect("read the trace");
    (vars, trace.lines().map(String::from).collect())
}

#[test]
fn root_cargo_xtask_run_gives_the_command_the_users_environment() {
    require_root();
    let dir = env::temp_dir().join(format!("tracer-xtask-run-env-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("scratch directory");
    // The README's way, through rustup's `cargo` proxy (it builds tracer in release mode).
    let (via_cargo, trace_via_cargo) = traced_env(
        Path::new("cargo"),
        &["xtask", "run", "--"],
        &dir.join("via-cargo"),
    );
    let tracer = workspace().join("target/release/tracer");
    let (direct, trace_direct) = traced_env(&tracer, &[], &dir.join("direct"));

    let expected: Vec<String> = {
        let mut v: Vec<String> = shell_env()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(direct, expected, "a direct run changed the environment");
    assert_eq!(via_cargo, direct, "cargo xtask run changed the environment");
    // The same program with the same environment makes the same library and locale lookups.
    let opens = |t: &[String]| -> Vec<String> {
        t.iter()
            .filter(|l| l.starts_with("openat("))
            .cloned()
            .collect()
    };
    assert!(
        opens(&trace_direct)
            .iter()
            .any(|l| l.contains("/opt/tracer-test-user-lib/")),
        "the user's library path was not searched:\n{}",
        trace_direct.join("\n")
    );
    assert_eq!(
        opens(&trace_via_cargo),
        opens(&trace_direct),
        "cargo xtask run changed what the command opens"
    );
    let _ = fs::remove_dir_all(&dir);
}
