//! Installs what a fresh machine lacks, idempotently: the pinned stable for userspace crates,
//! the pinned nightly (with rust-src) for the eBPF crate, and bpf-linker linked against that
//! nightly's own libLLVM (no system LLVM needed). A second call installs nothing.

use std::{
    env, fs,
    os::unix::fs::symlink,
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use anyhow::{Context, Result, bail};

use crate::pins;

/// What the build needs, once installed.
pub struct Tools {
    pub nightly: String,
    /// Directory holding the `bpf-linker` binary; prepended to PATH for builds.
    pub bpf_linker_dir: PathBuf,
}

/// Installs what the build lacks (saying once what, and afterwards how long it took) and
/// returns the tools; on later runs it only checks.
pub fn ensure_all() -> Result<Tools> {
    let nightly = pins::nightly()?;
    let toolchains = [
        (pins::STABLE, &["clippy", "rustfmt"][..]),
        (nightly.as_str(), &["rust-src", "clippy", "rustfmt"][..]),
    ];
    let mut missing = Vec::new();
    for (name, components) in toolchains {
        if let Some(need) = toolchain_needs(name, components)? {
            missing.push((name, need));
        }
    }
    let root = bpf_linker_root(&nightly)?;
    let linker_missing = !runs(&root.join("bin/bpf-linker"));
    if missing.is_empty() && !linker_missing {
        return Ok(Tools {
            nightly,
            bpf_linker_dir: root.join("bin"),
        });
    }
    let mut what: Vec<String> = missing
        .iter()
        .map(|(name, need)| need.describe(name))
        .collect();
    if linker_missing {
        what.push(format!("bpf-linker {}", pins::BPF_LINKER));
    }
    installing(&what.join(", "), "a few minutes", || {
        for (name, need) in &missing {
            need.install(name)?;
        }
        if linker_missing {
            install_bpf_linker(&nightly, &root)?;
        }
        Ok(())
    })?;
    Ok(Tools {
        nightly,
        bpf_linker_dir: root.join("bin"),
    })
}

/// Says once what is being installed and about how long it takes, runs `install`, then says
/// how long it took. Only the first run (or a new pin) installs anything.
pub fn installing(what: &str, estimate: &str, install: impl FnOnce() -> Result<()>) -> Result<()> {
    eprintln!("xtask: installing {what} (once; {estimate})");
    let start = Instant::now();
    install()?;
    let secs = start.elapsed().as_secs();
    eprintln!("xtask: installed in {}m{:02}s", secs / 60, secs % 60);
    Ok(())
}

/// Whether `bin --version` runs (an installed tool that is not broken).
pub fn runs(bin: &Path) -> bool {
    bin.exists()
        && Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
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

/// What a toolchain lacks: all of it, or some components.
enum Need {
    Toolchain(Vec<&'static str>),
    Components(Vec<&'static str>),
}

impl Need {
    fn describe(&self, name: &str) -> String {
        match self {
            Need::Toolchain(_) => format!("Rust {name}"),
            Need::Components(c) => format!("{} for Rust {name}", c.join(", ")),
        }
    }

    fn install(&self, name: &str) -> Result<()> {
        match self {
            Need::Toolchain(components) => {
                let mut cmd = rustup();
                cmd.args(["toolchain", "install", name, "--profile", "minimal"]);
                for c in components {
                    cmd.args(["--component", c]);
                }
                run_checked(&mut cmd)
            }
            Need::Components(missing) => run_checked(
                rustup()
                    .args(["component", "add", "--toolchain", name])
                    .args(missing),
            ),
        }
    }
}

fn toolchain_needs(name: &str, components: &[&'static str]) -> Result<Option<Need>> {
    let installed = output_of(rustup().args(["toolchain", "list"]))?;
    let present = installed.lines().any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|t| t.starts_with(name))
    });
    if !present {
        return Ok(Some(Need::Toolchain(components.to_vec())));
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
    Ok((!missing.is_empty()).then_some(Need::Components(missing)))
}

fn cargo_home() -> Result<PathBuf> {
    if let Some(home) = env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    let home = env::var_os("HOME").context("neither CARGO_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".cargo"))
}

/// Where bpf-linker is installed: its own root under CARGO_HOME, keyed by its version and
/// the nightly whose libLLVM it links, so a different pin never reuses a mismatched binary.
fn bpf_linker_root(nightly: &str) -> Result<PathBuf> {
    Ok(tools_dir()?.join(format!("bpf-linker-{}-{nightly}", pins::BPF_LINKER)))
}

/// `CARGO_HOME/tracer-tools`: the tools xtask installs, each in a root of its own.
pub fn tools_dir() -> Result<PathBuf> {
    Ok(cargo_home()?.join("tracer-tools"))
}

fn install_bpf_linker(nightly: &str, root: &Path) -> Result<()> {
    let llvm_prefix = root.join("llvm");
    link_nightly_llvm(nightly, &llvm_prefix.join("lib"))?;
    cargo_install(
        "bpf-linker",
        pins::BPF_LINKER,
        root,
        &[("LLVM_PREFIX", &llvm_prefix)],
    )
}

/// `cargo install --locked --quiet` of a pinned crate into `root`, with the pinned stable.
pub fn cargo_install(
    krate: &str,
    version: &str,
    root: &Path,
    envs: &[(&str, &Path)],
) -> Result<()> {
    let mut cmd = rustup();
    cmd.args(["run", pins::STABLE, "cargo", "install", krate])
        .args(["--locked", "--quiet", "--version", version, "--root"])
        .arg(root)
        .env_remove("CARGO_TARGET_DIR");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    run_checked(&mut cmd)
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
