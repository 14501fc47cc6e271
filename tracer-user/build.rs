//! Builds the eBPF object (the `tracer-ebpf` binary, bpf target) with the pinned nightly and
//! bpf-linker; the daemon embeds it. `cargo xtask build` installs both first.

use std::{env, fs, path::Path};

use anyhow::{Context, Result, anyhow};
use aya_build::{Package, Toolchain};

fn main() -> Result<()> {
    println!("cargo::rerun-if-env-changed=TRACER_EBPF_TOOLCHAIN");
    let metadata = cargo_metadata::MetadataCommand::new()
        .no_deps()
        .exec()
        .context("failed to run cargo metadata")?;
    let ebpf = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == "tracer-ebpf")
        .ok_or_else(|| anyhow!("tracer-ebpf package not found"))?;
    let root_dir = ebpf
        .manifest_path
        .parent()
        .ok_or_else(|| anyhow!("tracer-ebpf manifest has no parent"))?;
    let toolchain = match env::var("TRACER_EBPF_TOOLCHAIN") {
        Ok(t) => t,
        Err(_) => pinned_nightly(root_dir.as_std_path())?,
    };
    quiet_inner_cargo();
    aya_build::build_ebpf(
        [Package {
            name: "tracer-ebpf",
            root_dir: root_dir.as_str(),
            ..Default::default()
        }],
        Toolchain::Custom(&toolchain),
    )
}

/// aya-build hands every stderr line of the eBPF crate's cargo to cargo as a build-script
/// warning, and cargo replays those on every later build: 39 yellow `Compiling ...` lines
/// even when nothing is rebuilt. A quiet inner cargo still reports compiler warnings and
/// errors (they come as JSON messages, which aya-build also passes on), only not its progress.
fn quiet_inner_cargo() {
    // SAFETY: the build script has one thread until aya-build spawns the inner cargo, which
    // inherits this environment.
    unsafe {
        env::set_var("CARGO_TERM_QUIET", "true");
        // cargo refuses --verbose together with --quiet.
        env::remove_var("CARGO_TERM_VERBOSE");
    }
}

/// The channel from tracer-ebpf/rust-toolchain.toml, the single source of the pin.
fn pinned_nightly(ebpf_dir: &Path) -> Result<String> {
    let path = ebpf_dir.join("rust-toolchain.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("failed to read {path:?}"))?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("channel"))
        .filter_map(|r| r.trim().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_string())
        .next()
        .ok_or_else(|| anyhow!("no channel in {path:?}"))
}
