//! tracer's man page and shell completions, generated from its clap definitions.

use std::path::Path;

use anyhow::Result;

use crate::{build, setup::Tools};

/// Writes `tracer.1`, `tracer.bash` and `_tracer` into `out_dir`: builds and runs
/// tracer-user's `tracer-docs` binary (xtask itself cannot link tracer's library: it must
/// build on a fresh machine's stable, before the pinned toolchains are installed). Release
/// mode, to share the library build with the release binary.
pub fn generate(tools: &Tools, out_dir: &Path) -> Result<()> {
    let mut cmd = build::cargo(tools)?;
    cmd.args(["run", "--quiet", "--release", "--package", "tracer-user"])
        .args(["--bin", "tracer-docs", "--"])
        .arg(out_dir);
    crate::setup::run_checked(&mut cmd)
}
