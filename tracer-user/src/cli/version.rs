//! `tracer -V`: what ran, for a bug report: the version, the git commit it was built from,
//! the build id of the eBPF object it embeds, and what the running kernel offers that tracer
//! uses or may use (BTF for struct offsets, BPF ring buffers for events, uprobes).

use std::{fmt::Write as _, fs, path::Path};

use aya::{maps::MapType, sys::is_map_supported};

/// The git commit of a release build (empty in debug builds and outside a git checkout).
const GIT_COMMIT: &str = env!("TRACER_GIT_COMMIT");
/// The first 16 hex digits of the SHA-256 of the embedded eBPF object (set by build.rs).
pub const EBPF_BUILD_ID: &str = env!("TRACER_EBPF_BUILD_ID");

/// The kernel's BTF, which tracer reads struct offsets from.
const BTF: &str = "/sys/kernel/btf/vmlinux";
/// The uprobe PMU, present when the kernel has uprobe events (CONFIG_UPROBE_EVENTS).
const UPROBE_PMU: &str = "/sys/bus/event_source/devices/uprobe/type";

/// The whole text `tracer -V` prints, its first line as strace's (`strace -- version 6.1`).
pub fn report() -> String {
    let mut text = format!("tracer -- version {}\n", env!("CARGO_PKG_VERSION"));
    let commit = match GIT_COMMIT {
        "" if cfg!(debug_assertions) => "not recorded (debug build)",
        "" => "unknown (not built from a git checkout)",
        c => c,
    };
    let _ = writeln!(text, "git commit: {commit}");
    let _ = writeln!(
        text,
        "eBPF object: build id {EBPF_BUILD_ID} ({} bytes)",
        crate::source::ebpf::PROGRAMS.len()
    );
    let release = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let _ = writeln!(
        text,
        "kernel: {} ({})",
        release.trim(),
        std::env::consts::ARCH
    );
    let _ = writeln!(
        text,
        "kernel features: BTF {}, ring buffer {}, uprobes {}",
        yes_no(Path::new(BTF).exists()),
        ring_buffer(),
        yes_no(Path::new(UPROBE_PMU).exists()),
    );
    text
}

fn yes_no(found: bool) -> &'static str {
    if found { "yes" } else { "no" }
}

/// Whether the kernel creates a BPF ring buffer, by creating one (one page, closed at once).
/// Without CAP_BPF the kernel refuses to say.
fn ring_buffer() -> String {
    match is_map_supported(MapType::RingBuf) {
        Ok(found) => yes_no(found).to_string(),
        Err(err) if err.io_error.raw_os_error() == Some(libc::EPERM) => {
            "unknown (creating a BPF map needs CAP_BPF)".to_string()
        }
        Err(err) => format!("unknown ({}: {})", err.call, err.io_error),
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    #[test]
    fn build_id_is_the_embedded_objects_sha256() {
        let digest = Sha256::digest(crate::source::ebpf::PROGRAMS);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(EBPF_BUILD_ID.len(), 16);
        assert!(hex.starts_with(EBPF_BUILD_ID), "{hex} vs {EBPF_BUILD_ID}");
    }

    #[test]
    fn report_names_each_fact() {
        let text = report();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("tracer -- version {}", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(lines[1], "git commit: not recorded (debug build)");
        assert!(lines[2].starts_with(&format!("eBPF object: build id {EBPF_BUILD_ID} (")));
        assert!(lines[3].starts_with("kernel: "), "{text}");
        let btf = yes_no(Path::new(BTF).exists());
        assert!(
            lines[4].starts_with(&format!("kernel features: BTF {btf}, ring buffer ")),
            "{text}"
        );
    }
}
