//! `cargo xtask package`: tracer as a Debian package, built by cargo-deb from
//! `[package.metadata.deb]` in tracer-user/Cargo.toml: the release binary (the eBPF object
//! embedded), the generated man page and bash/zsh completions, the systemd unit, the
//! logrotate file and the README, with Depends computed by dpkg-shlibdeps.

use std::{path::PathBuf, process::Command};

use anyhow::{Context, Result, bail};

use crate::{build, docs, pins, setup};

/// Builds the package and returns its path (`target/debian/tracer_VERSION-1_ARCH.deb`).
pub fn package() -> Result<PathBuf> {
    let tools = setup::ensure_all()?;
    let cargo_deb = ensure_cargo_deb()?;
    build::build_with(&tools, true)?;
    let assets = pins::workspace_root().join("target/release/deb-assets");
    docs::generate(&tools, &assets)?;
    // Debian ships man pages compressed (-n: no name or time inside, the same bytes each time).
    setup::run_checked(
        Command::new("gzip")
            .args(["-9", "-n", "-f"])
            .arg(assets.join("tracer.1")),
    )?;
    // cargo-deb runs `cargo metadata`: the pinned cargo, as for the build.
    let mut cmd = Command::new("rustup");
    cmd.args(["run", pins::STABLE])
        .arg(&cargo_deb)
        .args(["--no-build", "--strip", "--package", "tracer-user"])
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(pins::workspace_root());
    let out = cmd
        .output()
        .with_context(|| format!("failed to start {cmd:?}"))?;
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", out.status);
    }
    let deb = String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find(|l| l.ends_with(".deb"))
        .map(|l| PathBuf::from(l.trim()))
        .context("cargo-deb named no .deb")?;
    println!("{}", deb.display());
    Ok(deb)
}

/// cargo-deb, pinned, installed once into its own root under CARGO_HOME/tracer-tools.
fn ensure_cargo_deb() -> Result<PathBuf> {
    let root = setup::tools_dir()?.join(format!("cargo-deb-{}", pins::CARGO_DEB));
    let bin = root.join("bin/cargo-deb");
    if !setup::runs(&bin) {
        let what = format!("cargo-deb {}", pins::CARGO_DEB);
        setup::installing(&what, "about three minutes", || {
            setup::cargo_install("cargo-deb", pins::CARGO_DEB, &root, &[])
        })?;
    }
    Ok(bin)
}
