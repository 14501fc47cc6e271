//! Installs what a fresh machine lacks, idempotently: the pinned stable for userspace crates,
//! the pinned nightly (with rust-src) for the eBPF crate, and bpf-linker linked against that
//! nightly's own libLLVM (no system LLVM needed). A second call installs nothing.

use std::{
    env, fs,
    os::unix::fs::symlink,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};

use crate::pins;

/// What the build needs, once installed.
pub struct Tools {
    pub nightly: String,
    /// Directory holding the `bpf-linker` binary; prepended to PATH for builds.
    pub bpf_linker_dir: PathBuf,
}

pub fn ensure_all() -> Result<Tools> {
    let nightly = pins::nightly()?;
    ensure_toolchain(pins::STABLE, &["clippy", "rustfmt"])?;
    ensure_toolchain(&nightly, &["rust-src", "clippy", "rustfmt"])?;
    let bpf_linker_dir = ensure_bpf_linker(&nightly)?;
    Ok(Tools {
        nightly,
        bpf_linker_dir,
    })
}

/// Runs a command, failing with its name if it cannot start or exits non-zero.
pub fn run_checked(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("failed to start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

fn output_of(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .with_context(|| format!("failed to start {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn rustup() -> Command {
    let mut cmd = Command::new("rustup");
    // The outer cargo may have set these for its own toolchain.
    cmd.env_remove("RUSTUP_TOOLCHAIN");
    cmd
}

fn ensure_toolchain(name: &str, components: &[&str]) -> Result<()> {
    let installed = output_of(rustup().args(["toolchain", "list"]))?;
    let present = installed.lines().any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|t| t.starts_with(name))
    });
    if !present {
        eprintln!("xtask: installing toolchain {name}");
        let mut cmd = rustup();
        cmd.args(["toolchain", "install", name, "--profile", "minimal"]);
        for c in components {
            cmd.args(["--component", c]);
        }
        return run_checked(&mut cmd);
    }
    let have = output_of(rustup().args(["component", "list", "--installed", "--toolchain", name]))?;
    let missing: Vec<&str> = components
        .iter()
        .copied()
        .filter(|c| {
            !have
                .lines()
                .any(|line| line.starts_with(&format!("{c}-")) || line == *c)
        })
        .collect();
    if !missing.is_empty() {
        eprintln!("xtask: adding {} to {name}", missing.join(", "));
        run_checked(
            rustup()
                .args(["component", "add", "--toolchain", name])
                .args(&missing),
        )?;
    }
    Ok(())
}

fn cargo_home() -> Result<PathBuf> {
    if let Some(home) = env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    let home = env::var_os("HOME").context("neither CARGO_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".cargo"))
}

/// Installs bpf-linker into its own root under CARGO_HOME, keyed by its version and the
/// nightly whose libLLVM it links, so a different pin never reuses a mismatched binary.
fn ensure_bpf_linker(nightly: &str) -> Result<PathBuf> {
    let root = cargo_home()?
        .join("tracer-tools")
        .join(format!("bpf-linker-{}-{nightly}", pins::BPF_LINKER));
    let bin_dir = root.join("bin");
    let bin = bin_dir.join("bpf-linker");
    if bin.exists()
        && Command::new(&bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        return Ok(bin_dir);
    }
    let llvm_prefix = root.join("llvm");
    link_nightly_llvm(nightly, &llvm_prefix.join("lib"))?;
    eprintln!(
        "xtask: installing bpf-linker {} (about a minute)",
        pins::BPF_LINKER
    );
    run_checked(
        rustup()
            .args([
                "run",
                pins::STABLE,
                "cargo",
                "install",
                "bpf-linker",
                "--locked",
            ])
            .args(["--version", pins::BPF_LINKER, "--root"])
            .arg(&root)
            .env("LLVM_PREFIX", &llvm_prefix)
            .env_remove("CARGO_TARGET_DIR"),
    )?;
    Ok(bin_dir)
}

/// Makes `<lib_dir>` look like an LLVM install: `libLLVM.so` for the linker at build time and
/// the library's soname for the loader at run time (bpf-linker's RUNPATH points here).
fn link_nightly_llvm(nightly: &str, lib_dir: &Path) -> Result<()> {
    let sysroot = output_of(rustup().args(["run", nightly, "rustc", "--print", "sysroot"]))?;
    let sysroot_lib = PathBuf::from(sysroot.trim()).join("lib");
    let lib = fs::read_dir(&sysroot_lib)
        .with_context(|| format!("failed to list {}", sysroot_lib.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libLLVM.so."))
        })
        .with_context(|| format!("no libLLVM.so.* in {}", sysroot_lib.display()))?;
    fs::create_dir_all(lib_dir)
        .with_context(|| format!("failed to create {}", lib_dir.display()))?;
    let soname = lib.file_name().context("libLLVM path has no file name")?;
    for name in [Path::new("libLLVM.so"), Path::new(soname)] {
        let link = lib_dir.join(name);
        let _ = fs::remove_file(&link);
        symlink(&lib, &link)
            .with_context(|| format!("failed to link {} to {}", link.display(), lib.display()))?;
    }
    Ok(())
}
