//! The environment the user's shell gave `cargo xtask run`, for tracer and the command it
//! launches. `cargo xtask` reaches us through rustup's proxy and `cargo run`, which both
//! exec (so the shell's environment is nowhere to be read back) and both add to it:
//!
//! - cargo: `CARGO`, `CARGO_MANIFEST_*`, `CARGO_PKG_*` and the other variables it sets for
//!   the program it runs; `SSL_CERT_FILE`/`SSL_CERT_DIR` (its OpenSSL probe sets them at
//!   start, over any value of the user's); `LD_LIBRARY_PATH` with xtask's target directories
//!   and the toolchain's libraries in front;
//! - rustup: `RUSTUP_TOOLCHAIN` (and `RUSTUP_TOOLCHAIN_SOURCE`, which says whether the user
//!   set it), `RUSTUP_HOME`, `CARGO_HOME`, `RUST_RECURSION_COUNT`, and the toolchain's `lib`
//!   in front of `LD_LIBRARY_PATH`.
//!
//! Everything else is passed on as it is. What cargo overwrote cannot be restored; a
//! `CARGO_HOME`/`RUSTUP_HOME` equal to rustup's default is taken as rustup's (a user's value
//! equal to the default means the same to every program that reads it).

use std::{
    ffi::{OsStr, OsString},
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

/// Variables cargo sets for every program it runs (besides the `CARGO_PKG_` family).
const CARGO_RUN_VARS: &[&str] = &[
    "CARGO",
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_RUSTC_CURRENT_DIR",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

/// The user's environment, from ours. `exe_dir` is the directory of the running xtask
/// binary (cargo puts it and its `deps` in front of `LD_LIBRARY_PATH`). Unchanged when cargo
/// did not start us (no `CARGO` variable).
pub fn user_env(vars: Vec<(OsString, OsString)>, exe_dir: &Path) -> Vec<(OsString, OsString)> {
    let get = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if get("CARGO").is_none() {
        return vars;
    }
    let home = get("HOME").map(PathBuf::from);
    let default_home = |dir: &str| home.as_ref().map(|h| h.join(dir).into_os_string());
    let rustup_home = get("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".rustup")));
    let toolchain_from_user = get("RUSTUP_TOOLCHAIN_SOURCE").is_some_and(|s| s == "env");
    vars.into_iter()
        .filter_map(|(key, value)| {
            let name = key.to_str().unwrap_or_default();
            let value = match name {
                _ if CARGO_RUN_VARS.contains(&name) || name.starts_with("CARGO_PKG_") => None,
                "RUSTUP_TOOLCHAIN_SOURCE" => None,
                "RUSTUP_TOOLCHAIN" if !toolchain_from_user => None,
                "CARGO_HOME" if Some(&value) == default_home(".cargo").as_ref() => None,
                "RUSTUP_HOME" if Some(&value) == default_home(".rustup").as_ref() => None,
                "RUST_RECURSION_COUNT" => decrement(&value),
                "LD_LIBRARY_PATH" => user_library_path(&value, exe_dir, rustup_home.as_deref()),
                _ => Some(value),
            };
            value.map(|v| (key, v))
        })
        .collect()
}

/// rustup counts its nested proxies up by one.
fn decrement(value: &OsStr) -> Option<OsString> {
    match value.to_str()?.parse::<u32>().ok()? {
        0 | 1 => None,
        n => Some((n - 1).to_string().into()),
    }
}

/// `LD_LIBRARY_PATH` without the entries cargo and rustup put in front: xtask's target
/// directories and anything inside rustup's toolchains.
fn user_library_path(
    value: &OsStr,
    exe_dir: &Path,
    rustup_home: Option<&Path>,
) -> Option<OsString> {
    let toolchains = rustup_home.map(|h| h.join("toolchains"));
    let added = |entry: &Path| {
        entry == exe_dir
            || entry == exe_dir.join("deps")
            || toolchains.as_ref().is_some_and(|t| entry.starts_with(t))
    };
    let mut rest = value.as_bytes();
    while !rest.is_empty() {
        let (entry, tail) = match rest.iter().position(|&b| b == b':') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        if !added(Path::new(OsStr::from_bytes(entry))) {
            break;
        }
        rest = tail;
    }
    (!rest.is_empty()).then(|| OsStr::from_bytes(rest).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs.iter().map(|(k, v)| (k.into(), v.into())).collect()
    }

    const STABLE: &str = "/home/u/.rustup/toolchains/stable-x86_64-unknown-linux-gnu";

    /// What `cargo xtask run` saw on a machine where the user had set HOME, PATH, FOO and
    /// LD_LIBRARY_PATH (measured with rustup 1.29 and cargo 1.95).
    fn through_cargo(user: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        let lib = format!(
            "/w/target/debug:/w/target/debug/deps:{STABLE}/lib/rustlib/x86_64-unknown-linux-gnu/lib:{STABLE}/lib"
        );
        let lib = match user.iter().find(|(k, _)| *k == "LD_LIBRARY_PATH") {
            Some((_, v)) => format!("{lib}:{v}"),
            None => lib,
        };
        let mut all = env(&[
            ("CARGO", &format!("{STABLE}/bin/cargo")),
            ("CARGO_HOME", "/home/u/.cargo"),
            ("CARGO_MANIFEST_DIR", "/w/xtask"),
            ("CARGO_MANIFEST_PATH", "/w/xtask/Cargo.toml"),
            ("CARGO_PKG_NAME", "xtask"),
            ("CARGO_PKG_VERSION_PRE", ""),
            ("LD_LIBRARY_PATH", &lib),
            ("RUSTUP_HOME", "/home/u/.rustup"),
            ("RUSTUP_TOOLCHAIN", "stable-x86_64-unknown-linux-gnu"),
            ("RUSTUP_TOOLCHAIN_SOURCE", "default"),
            ("RUST_RECURSION_COUNT", "1"),
            ("SSL_CERT_DIR", "/usr/lib/ssl/certs"),
            ("SSL_CERT_FILE", "/usr/lib/ssl/cert.pem"),
        ]);
        all.extend(
            env(user)
                .into_iter()
                .filter(|(k, _)| k != "LD_LIBRARY_PATH"),
        );
        all
    }

    #[test]
    fn strips_what_cargo_and_rustup_added() {
        let user = [
            ("HOME", "/home/u"),
            ("PATH", "/home/u/.cargo/bin:/usr/bin"),
            ("FOO", "bar"),
            (
                "LD_LIBRARY_PATH",
                "/opt/lib:/home/u/.rustup/toolchains/x/lib",
            ),
        ];
        let mut got = user_env(through_cargo(&user), Path::new("/w/target/debug"));
        got.sort();
        let mut want = env(&user);
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn keeps_what_only_the_user_can_have_set() {
        let user = [
            ("HOME", "/home/u"),
            ("CARGO_TARGET_DIR", "/tmp/t"),
            ("CARGO_TERM_COLOR", "never"),
        ];
        let mut vars = through_cargo(&user);
        for (k, v) in &mut vars {
            match k.to_str() {
                // Set by the user: rustup passes them on (resolving the toolchain's name).
                Some("CARGO_HOME") => *v = "/srv/cargo".into(),
                Some("RUSTUP_TOOLCHAIN_SOURCE") => *v = "env".into(),
                Some("RUST_RECURSION_COUNT") => *v = "3".into(),
                _ => {}
            }
        }
        let got = user_env(vars, Path::new("/w/target/debug"));
        let has = |k: &str, v: &str| got.iter().any(|(a, b)| a == k && b == v);
        assert!(has("CARGO_HOME", "/srv/cargo"));
        assert!(has("RUSTUP_TOOLCHAIN", "stable-x86_64-unknown-linux-gnu"));
        assert!(has("RUST_RECURSION_COUNT", "2"));
        assert!(has("CARGO_TARGET_DIR", "/tmp/t"));
        assert!(has("CARGO_TERM_COLOR", "never"));
        assert!(!got.iter().any(|(k, _)| k == "LD_LIBRARY_PATH"));
        assert!(!got.iter().any(|(k, _)| k == "RUSTUP_TOOLCHAIN_SOURCE"));
    }

    #[test]
    fn left_alone_when_cargo_did_not_start_us() {
        let vars = env(&[("RUST_RECURSION_COUNT", "1"), ("SSL_CERT_FILE", "/x")]);
        assert_eq!(user_env(vars.clone(), Path::new("/w")), vars);
    }
}
