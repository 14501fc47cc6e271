//! Builds the eBPF object (the `tracer-ebpf` binary, bpf target) with the pinned nightly and
//! bpf-linker; the daemon embeds it. `cargo xtask build` installs both first.

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, anyhow};
use aya_build::{Package, Toolchain};
use sha2::{Digest, Sha256};

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
    )?;
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").context("OUT_DIR not set")?);
    let object = fs::read(out_dir.join("tracer-ebpf")).context("failed to read the eBPF object")?;
    println!(
        "cargo::rustc-env=TRACER_EBPF_BUILD_ID={}",
        build_id(&object)
    );
    println!("cargo::rustc-env=TRACER_GIT_COMMIT={}", git_commit());
    Ok(())
}

/// The eBPF object's build id for `tracer -V`: the first 16 hex digits of its SHA-256
/// (bpf-linker writes no GNU build-id note). `version::tests` checks it against the object
/// the binary embeds.
fn build_id(object: &[u8]) -> String {
    Sha256::digest(object)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The commit release builds are made from, for `tracer -V`; empty in debug builds and
/// outside a git checkout. Release builds rerun this on every commit or checkout (git's
/// HEAD and its log change); debug builds do not, so a commit does not rebuild the crate
/// and every test for a value they would not show right.
fn git_commit() -> String {
    if env::var("PROFILE").as_deref() != Ok("release") {
        return String::new();
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    for file in ["HEAD", "logs/HEAD"] {
        if let Some(path) = git(&["rev-parse", "--git-path", file])
            && Path::new(&path).exists()
        {
            let path = fs::canonicalize(&path).unwrap_or_else(|_| PathBuf::from(&path));
            println!("cargo::rerun-if-changed={}", path.display());
        }
    }
    git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_default()
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
