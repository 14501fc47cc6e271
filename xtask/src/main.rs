//! tracer's chores. `cargo xtask <command>`; run with the machine's stable (1.95 is enough):
//! it installs the toolchains and tools the rest of the workspace needs, then drives cargo.

mod bench;
mod build;
mod codegen;
mod docs;
mod fidelity;
mod package;
#[path = "../../tracer-user/tests/support/pg.rs"]
mod pg;
#[path = "../../tracer-user/tests/support/pg_tls.rs"]
mod pg_tls;
mod pins;
mod setup;
mod soak;
mod test;
mod user_env;

use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup                  install the pinned toolchains and bpf-linker (idempotent)
  build [--release]      build tracer (target/{debug,release}/tracer)
  run [-- TRACER ARGS]   build in release mode and run tracer, e.g. `cargo xtask run -- -p 1234`
  package                build the Debian package target/debian/tracer_*.deb (cargo-deb,
                         installed once): tracer, tracer.1, bash/zsh completions, the systemd
                         unit tracer@.service, a logrotate file
  test [--no-root]       fmt, clippy (host and bpf), then every test; --no-root skips the
                         tests that load eBPF
  lint                   fmt --check and clippy -D warnings, host and bpf target
  fmt                    format every crate with the pinned toolchain's rustfmt
  docs                   write the man page (tracer.1) and bash/zsh completions, generated
                         from tracer's command-line definitions, into target/docs/
  codegen                regenerate the committed syscall, errno, ioctl and inode-flag tables
  fidelity [--only NAME] [--show N] [--keep DIR]
                         compare tracer with strace on a corpus of workloads (root)
  bench [--seconds N] [--rounds N] [--clients N] [--micro-only] [--tls-only]
        [--replay-only] [--kernel-only] [--tracer PATH]
                         tracer's cost on pgbench through pgBouncer beside strace's, perf
                         trace's, a bpftrace one-liner's and the empty programs' floor; bpf_stats
                         per program, scaling with backends and rate, text vs JSON consumer,
                         microbenchmarks (root); writes bench/results.md, bench/ratios.svg;
                         --kernel-only: bpf_stats per traced call of pipe and socket loops
                         (a minute, no PostgreSQL)
  soak [--minutes N] [--rate TPS] [--clients N]
                         tracer --comm pgbouncer through N minutes (10) of pgbench, pgBouncer
                         restarted halfway, the trace rotated each minute; prints RSS over
                         time, events, losses, and whether the restart was picked up (root)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return Ok(ExitCode::from(2));
    };
    match cmd.as_str() {
        "setup" => setup::ensure_all().map(|_| ExitCode::SUCCESS),
        "build" => {
            let release = match rest {
                [] => false,
                [flag] if flag == "--release" => true,
                _ => bail!("build takes only --release"),
            };
            build::build(release).map(|_| ExitCode::SUCCESS)
        }
        "run" => build::run(strip_separator(rest)),
        "test" => {
            let no_root = match rest {
                [] => false,
                [flag] if flag == "--no-root" => true,
                _ => bail!("test takes only --no-root"),
            };
            test::test(no_root).map(|_| ExitCode::SUCCESS)
        }
        "package" => match rest {
            [] => package::package().map(|_| ExitCode::SUCCESS),
            _ => bail!("package takes no arguments"),
        },
        "lint" => test::lint().map(|_| ExitCode::SUCCESS),
        "fmt" => test::fmt().map(|_| ExitCode::SUCCESS),
        "codegen" => codegen::run().map(|_| ExitCode::SUCCESS),
        "docs" => {
            let dir = pins::workspace_root().join("target/docs");
            docs::generate(&setup::ensure_all()?, &dir)?;
            println!("{}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        "fidelity" => fidelity::run(rest).map(|_| ExitCode::SUCCESS),
        "bench" => bench::run(rest).map(|_| ExitCode::SUCCESS),
        "soak" => soak::run(rest).map(|_| ExitCode::SUCCESS),
        // The bench's workload: N getppid calls, timed (not for people).
        "bench-loop" => {
            let n = rest
                .first()
                .and_then(|v| v.parse().ok())
                .unwrap_or(1_000_000);
            bench::spin(n);
            Ok(ExitCode::SUCCESS)
        }
        // The replay table's workload: N write+read pairs of a 256-byte buffer through a pipe.
        "bench-loop-rw" => {
            let n = rest.first().and_then(|v| v.parse().ok()).unwrap_or(50_000);
            bench::spin_rw(n, rest).map(|_| ExitCode::SUCCESS)
        }
        // `bench --kernel-only`'s socket workload: sendto/epoll_wait/recvfrom, TCP and unix.
        "bench-loop-sock" => {
            let n = rest.first().and_then(|v| v.parse().ok()).unwrap_or(40_000);
            bench::spin_sock(n, rest).map(|_| ExitCode::SUCCESS)
        }
        // `bench --kernel-only`'s getppid workload.
        "bench-loop-getppid" => {
            let n = rest.first().and_then(|v| v.parse().ok()).unwrap_or(200_000);
            bench::spin_getppid(n, rest).map(|_| ExitCode::SUCCESS)
        }
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

/// `cargo xtask run -- -p 1` and `cargo xtask run -p 1` both pass `-p 1` to tracer.
fn strip_separator(args: &[String]) -> &[String] {
    match args.split_first() {
        Some((first, rest)) if first == "--" => rest,
        _ => args,
    }
}
