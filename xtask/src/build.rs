//! Building and running tracer with the pinned toolchains.

use std::{
    env,
    ffi::OsString,
    os::unix::process::CommandExt,
    process::{Command, ExitCode},
};

use anyhow::{Context, Result};

use crate::{
    pins,
    setup::{self, Tools},
    user_env,
};

/// `cargo` of the pinned stable, with bpf-linker on PATH and the eBPF nightly named for
/// tracer-user's build script.
pub fn cargo(tools: &Tools) -> Result<Command> {
    let mut cmd = Command::new("rustup");
    cmd.args(["run", pins::STABLE, "cargo"]);
    for var in [
        "RUSTUP_TOOLCHAIN",
        "RUSTC",
        "RUSTDOC",
        "CARGO",
        "RUSTC_WRAPPER",
    ] {
        cmd.env_remove(var);
    }
    let mut path = OsString::from(&tools.bpf_linker_dir);
    if let Some(old) = env::var_os("PATH") {
        path.push(":");
        path.push(old);
    }
    cmd.env("PATH", path)
        .env("TRACER_EBPF_TOOLCHAIN", &tools.nightly)
        .current_dir(pins::workspace_root());
    Ok(cmd)
}

pub fn build(release: bool) -> Result<()> {
    let tools = setup::ensure_all()?;
    build_with(&tools, release)
}

/// Builds tracer with tools already ensured.
pub fn build_with(tools: &Tools, release: bool) -> Result<()> {
    let mut cmd = cargo(tools)?;
    cmd.args(["build", "--package", "tracer-user", "--bin", "tracer"]);
    if release {
        cmd.arg("--release");
    }
    setup::run_checked(&mut cmd)
}

/// Builds in release mode, then replaces this process with tracer, so that signals (Ctrl-C)
/// and the exit status are tracer's own. tracer, and the command it launches, get the
/// environment the user's shell had, without what cargo and rustup added on the way here.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let tools = setup::ensure_all()?;
    build_with(&tools, true)?;
    let bin = pins::workspace_root().join("target/release/tracer");
    let exe = env::current_exe().context("failed to find xtask's own binary")?;
    let exe_dir = exe.parent().context("xtask's binary has no directory")?;
    let err = Command::new(&bin)
        .args(args)
        .env_clear()
        .envs(user_env::user_env(env::vars_os().collect(), exe_dir))
        .exec();
    Err(err).with_context(|| format!("failed to run {}", bin.display()))
}
