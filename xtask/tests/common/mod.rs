//! Helpers shared by xtask's tests (each test file uses some of them).
#![allow(
    dead_code,
    reason = "each test binary includes this module and uses only part of it"
)]

use std::{
    env,
    path::{Path, PathBuf},
};

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

/// A login shell's environment: what a user has when typing `cargo xtask run`, with a
/// variable of their own and a library path of their own that cargo must not hide.
pub fn shell_env() -> Vec<(&'static str, String)> {
    let home = env::var("HOME").expect("HOME");
    // rustup's proxies (`cargo`), wherever this machine keeps them.
    let cargo_bin = env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(&home).join(".cargo"))
        .join("bin");
    vec![
        ("HOME", home),
        (
            "PATH",
            format!(
                "{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                cargo_bin.display()
            ),
        ),
        ("LANG", "C.UTF-8".into()),
        ("TERM", "dumb".into()),
        ("USER", "root".into()),
        ("TRACER_TEST_USER_VAR", "set by the user, kept".into()),
        ("LD_LIBRARY_PATH", "/opt/tracer-test-user-lib".into()),
    ]
}
