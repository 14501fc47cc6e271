//! Pinned versions of everything the build installs.

use std::{fs, path::PathBuf};

use anyhow::{Context, Result};

/// The stable toolchain for userspace crates (aya 0.16 needs rustc >= 1.98).
pub const STABLE: &str = "1.99.0";
/// bpf-linker release; its default `llvm-23` feature must match the nightly's LLVM major.
pub const BPF_LINKER: &str = "0.13.0";
/// cargo-deb release, which builds the Debian package (`cargo xtask package`).
pub const CARGO_DEB: &str = "3.8.0";

/// Root of the workspace (xtask's parent directory).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The eBPF nightly, read from `tracer-ebpf/rust-toolchain.toml` (the single source of truth,
/// shared with tracer-user's build script).
pub fn nightly() -> Result<String> {
    let path = workspace_root().join("tracer-ebpf/rust-toolchain.toml");
    let text =
        fs::read_to_string(&path).with_context(|| format!("failed to read {}", path.display()))?;
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("channel"))
        .filter_map(|rest| rest.trim().strip_prefix('='))
        .map(|value| value.trim().trim_matches('"').to_string())
        .next()
        .with_context(|| format!("no channel in {}", path.display()))
}
