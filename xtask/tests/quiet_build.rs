//! `cargo xtask build` prints no warning lines when nothing is wrong: not on the first build
//! (when CI starts from a clean clone) and not on a no-op build, where cargo replays whatever
//! warnings the build script printed when it last ran.

mod common;

use std::process::Command;

use common::{shell_env, workspace};

#[test]
fn cargo_xtask_build_prints_no_warnings() {
    for build in ["first", "no-op"] {
        let out = Command::new("cargo")
            .args(["xtask", "build", "--release"])
            .env_clear()
            .envs(shell_env())
            .current_dir(workspace())
            .output()
            .expect("run cargo xtask build");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{build} build failed:\n{stderr}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
        assert!(
            warnings.is_empty(),
            "{build} build printed {} warning lines:\n{}",
            warnings.len(),
            warnings.join("\n")
        );
    }
}
