//! The TLS round: what `--tls` costs. Select-only pgbench through a pgBouncer that requires
//! TLS from its clients (`client_tls_sslmode=require`), with nothing attached, with tracer
//! without `--tls`, and with tracer `--tls`; then the per-call cost of the probes, from a C
//! loop of `SSL_read` calls on an unconnected SSL object (each call returns at once, so the
//! difference is the uprobe and uretprobe), traced and beside a tracer probing another process.

use std::{
    fmt::Write as _,
    fs,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    thread,
};

use anyhow::{Context, Result, bail};

use crate::{pg, pg_tls};

/// Who watches the TLS pgBouncer during a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsWatcher {
    None,
    Tracer,
    TracerTls,
}

impl TlsWatcher {
    const ALL: [TlsWatcher; 3] = [TlsWatcher::None, TlsWatcher::Tracer, TlsWatcher::TracerTls];

    fn label(self) -> &'static str {
        match self {
            TlsWatcher::None => "untraced",
            TlsWatcher::Tracer => "tracer -s 256 -yy",
            TlsWatcher::TracerTls => "tracer -s 256 -yy --tls",
        }
    }
}

/// What the TLS round measured.
#[derive(Debug, Default)]
pub struct TlsResults {
    /// TPS of each round, by watcher, in the order they ran.
    pub runs: Vec<(TlsWatcher, f64)>,
    /// ns per `SSL_read` call: untraced, with the probes on the loop, and with tracer
    /// probing another process's libssl.
    pub bare_ns: f64,
    pub probed_ns: f64,
    pub bystander_ns: f64,
}

/// The loop: `ssl-loop N [DELAY_MS]` prints ns per call after waiting DELAY_MS (so that a
/// tracer launching it has its probes on first). Built against Debian's libssl.so.3 without
/// headers.
const SSL_LOOP: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
void *TLS_method(void);
void *SSL_CTX_new(const void *method);
void *SSL_new(void *ctx);
int SSL_read(void *ssl, void *buf, int num);
void ERR_clear_error(void);
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    void *ssl = SSL_new(SSL_CTX_new(TLS_method()));
    char buf[64];
    struct timespec a, b;
    if (!ssl) return 1;
    usleep(argc > 2 ? atoi(argv[2]) * 1000 : 0);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
        SSL_read(ssl, buf, sizeof buf);
        if ((i & 15) == 0) ERR_clear_error();
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
    return 0;
}
"#;

fn build_loop(dir: &Path) -> Result<std::path::PathBuf> {
    let src = dir.join("ssl-loop.c");
    let exe = dir.join("ssl-loop");
    fs::write(&src, SSL_LOOP)?;
    let status = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&exe)
        .arg(&src)
        .args(["-l:libssl.so.3", "-l:libcrypto.so.3"])
        .status()
        .context("failed to run cc")?;
    if !status.success() {
        bail!("cc failed to build the SSL_read loop (is libssl3 installed?)");
    }
    Ok(exe)
}

/// Runs `cmd` (the loop, perhaps under tracer) and returns the loop's ns per call.
fn loop_ns(cmd: &mut Command) -> Result<f64> {
    let out = cmd.stderr(Stdio::null()).output()?;
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("the SSL_read loop printed {text:?}"))
}

/// Starts tracer on `pid` and returns it once it says `wait_for` on stderr.
fn start_tracer(tracer: &Path, args: &[&str], wait_for: &str) -> Result<Child> {
    let mut child = Command::new(tracer)
        .args(args)
        .stderr(Stdio::piped())
        .spawn()?;
    let mut lines = BufReader::new(child.stderr.take().context("stderr")?).lines();
    for line in lines.by_ref() {
        let line = line?;
        if line.contains(wait_for) {
            thread::spawn(move || lines.for_each(drop));
            return Ok(child);
        }
    }
    bail!("tracer {args:?} ended before saying {wait_for:?}")
}

fn stop(mut child: Child) {
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let _ = child.wait();
}

/// One pgbench round through the TLS pgBouncer; returns its TPS.
fn round(
    tracer: &Path,
    bouncer: u32,
    watcher: TlsWatcher,
    clients: u32,
    seconds: u32,
) -> Result<f64> {
    let pid = bouncer.to_string();
    let mut args = vec![
        "-p",
        &pid,
        "-s",
        "256",
        "-yy",
        "-o",
        "/tmp/tracer-bench/tls-trace",
    ];
    let child = match watcher {
        TlsWatcher::None => None,
        TlsWatcher::Tracer => Some(start_tracer(tracer, &args, "attached")?),
        TlsWatcher::TracerTls => {
            args.push("--tls");
            Some(start_tracer(tracer, &args, "TLS probes on")?)
        }
    };
    let out = Command::new("pgbench")
        .args(["-h", "127.0.0.1", "-p", &pg_tls::TLS_PORT.to_string()])
        .args(["-U", "postgres", "-M", "simple", "-n", "-S", "-j", "2"])
        .args(["-c", &clients.to_string(), "-T", &seconds.to_string()])
        .arg("postgres")
        .env("PGPASSWORD", pg_tls::TLS_PASSWORD)
        .env("PGSSLMODE", "require")
        .output()
        .context("failed to run pgbench")?;
    if let Some(c) = child {
        stop(c);
    }
    let _ = fs::remove_file("/tmp/tracer-bench/tls-trace");
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "pgbench over TLS failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    text.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no tps in pgbench's output")
}

/// The TLS round: `rounds` interleaved rounds of each watcher, then the per-call costs.
pub fn measure(
    tracer: &Path,
    dir: &Path,
    rounds: u32,
    clients: u32,
    seconds: u32,
) -> Result<TlsResults> {
    super::rounds::prepare(10)?;
    let bouncer = pg_tls::start(pg::PORT)?;
    let mut r = TlsResults::default();
    for n in 1..=rounds {
        for watcher in TlsWatcher::ALL {
            eprint!("xtask: bench: TLS round {n}, {} ... ", watcher.label());
            let tps = round(tracer, bouncer.pid, watcher, clients, seconds)?;
            eprintln!("{tps:.0} TPS");
            r.runs.push((watcher, tps));
        }
    }
    drop(bouncer);
    let exe = build_loop(dir)?;
    const N: &str = "200000";
    let best = |f: &mut dyn FnMut() -> Result<f64>| -> Result<f64> {
        (0..3).try_fold(f64::MAX, |b, _| Ok(b.min(f()?)))
    };
    r.bare_ns = best(&mut || loop_ns(Command::new(&exe).arg(N)))?;
    r.probed_ns = best(&mut || {
        loop_ns(
            Command::new(tracer)
                .args(["--tls", "-e", "trace=none", "-o", "/dev/null", "--"])
                .arg(&exe)
                .args([N, "300"]),
        )
    })?;
    // Another process with libssl mapped, probed; the loop itself untraced.
    let mut other = Command::new(&exe).args(["1", "600000"]).spawn()?;
    let probing = start_tracer(
        tracer,
        &["--tls", "-o", "/dev/null", "-p", &other.id().to_string()],
        "TLS probes on",
    );
    let bystander = probing.and_then(|t| {
        let ns = best(&mut || loop_ns(Command::new(&exe).arg(N)));
        stop(t);
        ns
    });
    let _ = other.kill();
    let _ = other.wait();
    r.bystander_ns = bystander?;
    Ok(r)
}

fn mean_tps(r: &TlsResults, w: TlsWatcher) -> f64 {
    let v: Vec<f64> = r
        .runs
        .iter()
        .filter(|(x, _)| *x == w)
        .map(|(_, t)| *t)
        .collect();
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The TLS round as Markdown.
pub fn markdown(r: &TlsResults, clients: u32, seconds: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nTLS (`--tls`): pgbench -S -M simple, {clients} clients, {seconds} s per round, through \
         a pgBouncer with `client_tls_sslmode=require` (clients `sslmode=require`), each tracer \
         attached to pgBouncer by pid:\n"
    );
    let _ = writeln!(out, "| watcher | TPS | ratio |");
    let _ = writeln!(out, "|---|---:|---:|");
    let base = mean_tps(r, TlsWatcher::None);
    for w in TlsWatcher::ALL {
        let tps = mean_tps(r, w);
        let ratio = if base > 0.0 { tps / base } else { 0.0 };
        let _ = writeln!(out, "| {} | {tps:.0} | **{ratio:.3}** |", w.label());
    }
    let _ = writeln!(
        out,
        "\n| `SSL_read` call (returns at once) | ns per call |\n|---|---:|\n\
         | untraced | {:.0} |\n| probed (`tracer --tls`, record to /dev/null) | {:.0} |\n\
         | the probes' cost per call | **{:.0}** |\n\
         | untraced, while tracer probes another process's libssl | {:.0} |",
        r.bare_ns,
        r.probed_ns,
        r.probed_ns - r.bare_ns,
        r.bystander_ns
    );
    out
}
