//! Lints and tests: what CI runs.

use std::process::Command;

use anyhow::{Result, bail};

use crate::{
    build, pins,
    setup::{self, Tools, run_checked},
};

/// Formats with the same rustfmt the lint checks with.
pub fn fmt() -> Result<()> {
    let tools = setup::ensure_all()?;
    run_checked(build::cargo(&tools)?.args(["fmt", "--all"]))
}

pub fn lint() -> Result<()> {
    let tools = setup::ensure_all()?;
    lint_with(&tools)
}

fn lint_with(tools: &Tools) -> Result<()> {
    run_checked(build::cargo(tools)?.args(["fmt", "--all", "--", "--check"]))?;
    run_checked(build::cargo(tools)?.args([
        "clippy",
        "--workspace",
        "--exclude",
        "tracer-ebpf",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The kernel side, for the target it really builds for.
    run_checked(
        Command::new("rustup")
            .args([
                "run",
                &tools.nightly,
                "cargo",
                "clippy",
                "--package",
                "tracer-ebpf",
            ])
            .args([
                "--target",
                "bpfel-unknown-none",
                "-Z",
                "build-std=core",
                "--release",
            ])
            .args(["--", "-D", "warnings"])
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("RUSTC")
            .current_dir(pins::workspace_root()),
    )
}

/// Lints, then every test. The root tests load real eBPF programs; they run unless
/// `no_root` is set, and then only if we are root.
pub fn test(no_root: bool) -> Result<()> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !no_root && !root {
        bail!(
            "the eBPF tests need root: run `cargo xtask test` as root, or `cargo xtask test --no-root`"
        );
    }
    let tools = setup::ensure_all()?;
    lint_with(&tools)?;
    let mut cmd = build::cargo(&tools)?;
    // Every test binary runs even after one fails: a run shows all its failures at once
    // (the run still fails), not one per run.
    cmd.args([
        "test",
        "--workspace",
        "--exclude",
        "tracer-ebpf",
        "--no-fail-fast",
    ]);
    if no_root {
        cmd.args(["--", "--skip", "root_"]);
    }
    let result = run_checked(&mut cmd);
    // The story tests start a private PostgreSQL and pgBouncer: leave nothing running.
    if !no_root {
        crate::pg::stop_all();
    }
    result
}
