//! `cargo xtask package` builds a Debian package an SRE installs with apt-get: the test
//! installs it on this machine, runs the installed tracer (`-V`, a trace), finds its man page
//! and completions, verifies the installed systemd unit and logrotate file, then removes and
//! purges it and checks nothing of it is left (root: installs a package, loads eBPF).

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use common::{require_root, shell_env, workspace};

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"))
}

/// Runs and requires success; returns stdout.
fn ok(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn installed() -> bool {
    let out = run("dpkg-query", &["-W", "-f=${Status}", "tracer"]);
    String::from_utf8_lossy(&out.stdout).contains("installed")
}

/// Purges the package when the test ends, passed or not: the machine keeps no trace of it.
struct Purge;

impl Drop for Purge {
    fn drop(&mut self) {
        let _ = run("apt-get", &["purge", "-y", "tracer"]);
    }
}

fn build_package() -> PathBuf {
    let out = Command::new("cargo")
        .args(["xtask", "package"])
        .env_clear()
        .envs(shell_env())
        .current_dir(workspace())
        .output()
        .expect("run cargo xtask package");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo xtask package: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let deb = PathBuf::from(stdout.lines().last().unwrap_or_default());
    assert!(
        deb.extension().is_some_and(|e| e == "deb") && deb.is_file(),
        "no package named: {stdout}\n{stderr}"
    );
    deb
}

#[test]
fn root_the_package_installs_works_and_removes_cleanly() {
    require_root();
    let _ = run("apt-get", &["purge", "-y", "tracer"]);
    let deb = build_package();
    let deb_path = deb.to_str().expect("utf-8 path");
    // Nothing beyond libc (whose package brings libgcc-s1, Rust's unwinder).
    let depends = ok("dpkg-deb", &["-f", deb_path, "Depends"]);
    assert!(
        depends.trim().starts_with("libc6 (>= ") && !depends.contains(','),
        "Depends: {depends}"
    );

    let _purge = Purge;
    ok("apt-get", &["install", "-y", deb_path]);
    assert!(installed());
    let files: Vec<String> = ok("dpkg", &["-L", "tracer"])
        .lines()
        .filter(|p| Path::new(p).is_file())
        .map(String::from)
        .collect();

    // The installed binary says what it is, from the commit it was built from.
    let version = ok("/usr/bin/tracer", &["-V"]);
    assert!(
        version.starts_with(&format!(
            "tracer -- version {}\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{version}"
    );
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(workspace())
        .output()
        .expect("git rev-parse");
    let head = String::from_utf8_lossy(&head.stdout);
    assert!(
        version.contains(&format!("git commit: {}\n", head.trim())),
        "{version}"
    );
    assert!(
        version.contains("kernel features: BTF yes, ring buffer yes"),
        "{version}"
    );

    // Its man page and completions are where man, bash and zsh look.
    assert_eq!(
        ok("man", &["-w", "tracer"]).trim(),
        "/usr/share/man/man1/tracer.1.gz"
    );
    let page = ok("man", &["-P", "cat", "tracer"]);
    assert!(page.contains("--comm"), "{page}");
    ok(
        "bash",
        &[
            "-c",
            "source /usr/share/bash-completion/completions/tracer && complete -p tracer",
        ],
    );
    let zsh = std::fs::read_to_string("/usr/share/zsh/vendor-completions/_tracer")
        .expect("zsh completions");
    assert!(zsh.starts_with("#compdef tracer"), "{zsh}");

    // It traces.
    let out = run(
        "/usr/bin/tracer",
        &["-e", "trace=openat", "--", "cat", "/nonexistent/file"],
    );
    let trace = String::from_utf8_lossy(&out.stdout);
    assert!(
        trace.contains(
            "openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY) = -1 ENOENT (No such file or directory)"
        ),
        "{trace}"
    );
    assert_eq!(out.status.code(), Some(1), "cat's own status passed on");

    // systemd and logrotate accept what it installed.
    let verify = run("systemd-analyze", &["verify", "tracer@pgbouncer.service"]);
    assert!(
        verify.status.success() && verify.stderr.is_empty(),
        "systemd-analyze verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    ok("logrotate", &["--debug", "/etc/logrotate.d/tracer"]);

    // remove leaves only the conffile; purge leaves nothing.
    ok("apt-get", &["remove", "-y", "tracer"]);
    let left: Vec<&String> = files.iter().filter(|f| Path::new(f).exists()).collect();
    assert_eq!(left, ["/etc/logrotate.d/tracer"], "left after remove");
    ok("apt-get", &["purge", "-y", "tracer"]);
    assert!(!installed());
    let left: Vec<&String> = files.iter().filter(|f| Path::new(f).exists()).collect();
    assert!(left.is_empty(), "left after purge: {left:?}");
}
