//! `tracer -V` says what ran: version, commit, the eBPF object's build id, and the kernel
//! features it found, checked against the kernel's own files (root: probing a ring buffer
//! needs CAP_BPF; without it the answer is "unknown", never a guess).

mod common;

use std::{path::Path, process::Command};

use common::require_root;

fn version(cmd: &mut Command) -> Vec<String> {
    let out = cmd.output().expect("run tracer -V");
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect()
}

fn yes_no(path: &str) -> &'static str {
    if Path::new(path).exists() {
        "yes"
    } else {
        "no"
    }
}

#[test]
fn root_version_names_the_build_and_the_kernel_features_found() {
    require_root();
    let tracer = env!("CARGO_BIN_EXE_tracer");
    let lines = version(Command::new(tracer).arg("-V"));
    assert_eq!(
        lines[0],
        format!("tracer -- version {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(lines[1], "git commit: not recorded (debug build)");
    let id = lines[2]
        .strip_prefix("eBPF object: build id ")
        .and_then(|r| r.split(' ').next())
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(
        id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").expect("osrelease");
    assert_eq!(lines[3], format!("kernel: {} (x86_64)", release.trim()));
    // This machine has all three; each answer follows the kernel's files.
    let features = format!(
        "kernel features: BTF {}, ring buffer yes, uprobes {}",
        yes_no("/sys/kernel/btf/vmlinux"),
        yes_no("/sys/bus/event_source/devices/uprobe/type")
    );
    assert_eq!(lines[4], features);
    assert_eq!(lines.len(), 5, "{lines:?}");
    // --version is the same; as an unprivileged user the ring buffer cannot be probed.
    assert_eq!(version(Command::new(tracer).arg("--version")), lines);
    let unprivileged = version(
        Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .args(["--inh-caps=-all", "--bounding-set=-all", tracer, "-V"]),
    );
    assert_eq!(unprivileged[..4], lines[..4]);
    assert!(
        unprivileged[4].contains("ring buffer unknown (creating a BPF map needs CAP_BPF)"),
        "{unprivileged:?}"
    );
}
