//! The programs the bench runs beside tracer, installed from Debian's packages when missing
//! (as `.ci/run` installs PostgreSQL and pgBouncer): the peers (perf trace, bpftrace), bpftool
//! (names of programs for the bpf_stats table), taskset (pinning the consumer) and valgrind
//! (instruction counts of the replayed consumer where the CPU has no counters).

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// (program, the Debian package that has it).
const TOOLS: [(&str, &str); 5] = [
    ("perf", "linux-perf"),
    ("bpftrace", "bpftrace"),
    ("bpftool", "bpftool"),
    ("taskset", "util-linux"),
    ("valgrind", "valgrind"),
];

fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn apt_get(args: &[&str]) -> Result<()> {
    let status = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("failed to run apt-get")?;
    if !status.success() {
        bail!("apt-get {} failed", args.join(" "));
    }
    Ok(())
}

/// Installs the packages of the programs that are missing (nothing when all are there).
pub fn ensure() -> Result<()> {
    let missing: Vec<&str> = TOOLS
        .iter()
        .filter(|(program, _)| !found(program))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: bench: installing {}", missing.join(" "));
    apt_get(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(&missing);
    apt_get(&args)
}
