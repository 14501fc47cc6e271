//! Helpers shared by xtask's tests.

use std::path::{Path, PathBuf};

/// The workspace root (xtask's parent directory).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Fails the test unless we are root (the tests load eBPF or install packages).
pub fn require_root() {
    let euid = {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() }
    };
    assert_eq!(
        euid, 0,
        "this test needs root; run `cargo xtask test` as root or use --no-root"
    );
}
