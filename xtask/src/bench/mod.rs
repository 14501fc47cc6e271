//! `cargo xtask bench` (root): what tracer costs a busy pgBouncer, side by side with strace,
//! perf trace, a bpftrace one-liner and the hook's floor (empty programs). Interleaved rounds of
//! pgbench through pgBouncer with each watcher attached to pgBouncer; a fixed-rate round for
//! latency at realistic load; a round with the kernel's BPF statistics on; how the cost grows
//! with traced backends and with the event rate; then microbenchmarks, the consumer's speed
//! (text and JSON) and the TLS round. Prints the results and writes them to
//! `bench/results.md` and `bench/ratios.svg`, which the README shows.

mod bpf_stats;
mod consumer;
mod kernel;
mod loop_out;
mod micro;
mod replay;
mod report;
mod rounds;
mod scaling;
mod tls;
mod tools;
mod watchers;

use std::{
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};

use crate::{build, pins};

pub use kernel::{spin_getppid, spin_sock};
pub use micro::spin;
pub use replay::spin_rw;
pub use rounds::prepare as prepare_tables;
use rounds::{Round, Setup, Spec, Workload};
use watchers::Watcher;

pub struct Results {
    pub date: String,
    pub host: String,
    pub kernel: String,
    pub cores: usize,
    pub clients: u32,
    pub seconds: u32,
    pub rounds: u32,
    /// (workload, watcher, round) in the order they ran.
    pub runs: Vec<(Workload, Watcher, Round)>,
    pub fixed_rate: u32,
    pub fixed: Vec<(Watcher, Round)>,
    pub micro: micro::Micro,
    /// The bpf_stats round (tracer text, select-only): programs, and the calls tracer traced.
    pub progs: Vec<bpf_stats::Prog>,
    pub traced_calls: u64,
    pub scaling: scaling::Scaling,
    pub consumers: consumer::Consumers,
    /// The consumer on replays: instructions and user CPU, text and JSON.
    pub replays: replay::Replays,
    /// tracer (text) at pgBouncer's select-only rate.
    pub tracer_cpu: f64,
    pub tracer_rss_kib: u64,
}

impl Results {
    fn rounds_of(&self, w: Workload, watcher: Watcher) -> Vec<&Round> {
        self.runs
            .iter()
            .filter(|(rw, rv, _)| *rw == w && *rv == watcher)
            .map(|(_, _, r)| r)
            .collect()
    }

    fn tps(&self, w: Workload, watcher: Watcher) -> Vec<f64> {
        self.rounds_of(w, watcher).iter().map(|r| r.tps).collect()
    }
}

struct Options {
    seconds: u32,
    rounds: u32,
    clients: u32,
    /// Skip the pgbench rounds (microbenchmarks only).
    micro_only: bool,
    /// Only the TLS round.
    tls_only: bool,
    /// Only the replayed consumer table.
    replay_only: bool,
    /// Only the kernel time per traced call of the pipe and socket loops.
    kernel_only: bool,
    /// Only the scaling rounds (traced backends, event rate), after an untraced select-only
    /// round through pgBouncer that gives the saturated rate.
    scaling_only: bool,
    /// `--tracer PATH`: measure this binary (another build, say main's before a change)
    /// instead of building; the results are printed, not written to bench/.
    tracer: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        seconds: 10,
        rounds: 3,
        clients: 8,
        micro_only: false,
        tls_only: false,
        replay_only: false,
        kernel_only: false,
        scaling_only: false,
        tracer: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = || -> Result<u32> {
            it.next()
                .and_then(|v| v.parse().ok())
                .with_context(|| format!("{a} needs a number"))
        };
        match a.as_str() {
            "--seconds" => o.seconds = num()?,
            "--rounds" => o.rounds = num()?,
            "--clients" => o.clients = num()?,
            "--micro-only" => o.micro_only = true,
            "--tls-only" => o.tls_only = true,
            "--replay-only" => o.replay_only = true,
            "--kernel-only" => o.kernel_only = true,
            "--scaling-only" => o.scaling_only = true,
            "--tracer" => o.tracer = Some(it.next().context("--tracer needs a path")?.into()),
            other => bail!(
                "unknown bench option {other:?} (--seconds N, --rounds N, --clients N, --micro-only, --tls-only, --replay-only, --kernel-only, --scaling-only, --tracer PATH)"
            ),
        }
    }
    Ok(o)
}

fn text_of(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The cluster, pgBouncer and pgbench's tables ready for rounds with `tracer`, files in `dir`.
fn pg_setup(opts: &Options, tracer: &Path, dir: &Path) -> Result<Setup> {
    Ok(Setup {
        tracer: tracer.to_path_buf(),
        dir: dir.to_path_buf(),
        bouncer: rounds::prepare(10)?,
        clients: opts.clients,
        seconds: opts.seconds,
    })
}

pub fn run(args: &[String]) -> Result<()> {
    let opts = parse(args)?;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        bail!("the bench loads eBPF and attaches to pgBouncer: run it as root");
    }
    tools::ensure()?;
    let root = pins::workspace_root();
    let tracer = match &opts.tracer {
        Some(path) => path.clone(),
        None => {
            build::build(true)?;
            root.join("target/release/tracer")
        }
    };
    let exe = std::env::current_exe().context("xtask's own path")?;
    let dir = PathBuf::from("/tmp/tracer-bench");
    fs::create_dir_all(&dir)?;
    let mut results = Results {
        date: text_of("date", &["-u", "+%Y-%m-%d"]),
        host: text_of("uname", &["-m"]),
        kernel: text_of("uname", &["-r"]),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        clients: opts.clients,
        seconds: opts.seconds,
        rounds: opts.rounds,
        runs: Vec::new(),
        fixed_rate: 0,
        fixed: Vec::new(),
        micro: micro::Micro::default(),
        progs: Vec::new(),
        traced_calls: 0,
        scaling: scaling::Scaling::default(),
        consumers: consumer::Consumers::default(),
        replays: replay::Replays::default(),
        tracer_cpu: 0.0,
        tracer_rss_kib: 0,
    };
    if opts.tls_only {
        let r = tls::measure(&tracer, &dir, opts.rounds, opts.clients, opts.seconds)?;
        println!("{}", tls::markdown(&r, opts.clients, opts.seconds));
        return Ok(());
    }
    if opts.kernel_only {
        let rows = kernel::measure(&tracer, &exe)?;
        println!("{}", kernel::markdown(&rows));
        return Ok(());
    }
    if opts.replay_only {
        let r = replay::measure(&tracer, &exe, &dir)?;
        println!("{}", replay::markdown(&r));
        return Ok(());
    }
    if opts.scaling_only {
        let setup = pg_setup(&opts, &tracer, &dir)?;
        eprint!("xtask: bench: select-only, untraced (the saturated rate) ... ");
        let bare = rounds::round(
            &setup,
            Spec::new(&setup, Workload::SelectOnly, Watcher::None),
        )?;
        eprintln!("{:.0} TPS", bare.tps);
        let s = scaling::measure(&setup, bare.tps)?;
        println!("{}", scaling::markdown(&s, opts.seconds));
        return Ok(());
    }
    if !opts.micro_only {
        let setup = pg_setup(&opts, &tracer, &dir)?;
        let total = opts.rounds as usize * 2 * Watcher::ALL.len();
        let mut done = 0;
        for round in 1..=opts.rounds {
            for workload in [Workload::SelectOnly, Workload::TpcB] {
                for watcher in Watcher::ALL {
                    done += 1;
                    eprint!(
                        "xtask: bench: [{done}/{total}] round {round}, {}, {} ... ",
                        workload.label(),
                        watcher.label()
                    );
                    let r = rounds::round(&setup, Spec::new(&setup, workload, watcher))?;
                    eprintln!("{:.0} TPS, {} lost", r.tps, r.lost.unwrap_or(0));
                    results.runs.push((workload, watcher, r));
                }
            }
        }
        let select = results.rounds_of(Workload::SelectOnly, Watcher::TracerText);
        let cpu = select.iter().map(|r| r.cpu).sum::<f64>() / select.len().max(1) as f64;
        let rss = select.iter().map(|r| r.rss_kib).max().unwrap_or(0);
        (results.tracer_cpu, results.tracer_rss_kib) = (cpu, rss);
        let base = results.tps(Workload::SelectOnly, Watcher::None);
        let saturated = base.iter().sum::<f64>() / base.len().max(1) as f64;
        results.fixed_rate = (saturated / 2.0) as u32;
        for watcher in Watcher::ALL {
            eprint!(
                "xtask: bench: fixed rate {}, {} ... ",
                results.fixed_rate,
                watcher.label()
            );
            let spec = Spec {
                rate: Some(results.fixed_rate),
                ..Spec::new(&setup, Workload::SelectOnly, watcher)
            };
            let r = rounds::round(&setup, spec)?;
            eprintln!("p99 {:.2} ms", r.p99_ms);
            results.fixed.push((watcher, r));
        }
        eprint!("xtask: bench: bpf_stats round, tracer ... ");
        let spec = Spec {
            bpf_stats: true,
            ..Spec::new(&setup, Workload::SelectOnly, Watcher::TracerText)
        };
        let r = rounds::round(&setup, spec)?;
        eprintln!("{:.0} TPS, {} programs ran", r.tps, r.progs.len());
        (results.progs, results.traced_calls) = (r.progs, r.lines);
        results.scaling = scaling::measure(&setup, saturated)?;
    }
    eprintln!("xtask: bench: microbenchmarks ...");
    results.micro = micro::measure(&tracer, &exe)?;
    eprintln!("xtask: bench: the consumer on one core, text and JSON ...");
    results.consumers = consumer::measure(&tracer, &exe)?;
    eprintln!("xtask: bench: the consumer on replays, text and JSON ...");
    results.replays = replay::measure(&tracer, &exe, &dir)?;
    let mut md = report::markdown(&results);
    md.push_str(&consumer::markdown(&results.consumers));
    md.push_str(&replay::markdown(&results.replays));
    if !opts.micro_only {
        md.push_str(&bpf_stats::markdown(
            &results.progs,
            results.traced_calls,
            "select-only through pgBouncer, `tracer -f -s 256 -yy` on pgBouncer",
        ));
        md.push_str(&scaling::markdown(&results.scaling, opts.seconds));
        eprintln!("xtask: bench: the TLS round ...");
        let r = tls::measure(&tracer, &dir, opts.rounds, opts.clients, opts.seconds)?;
        md.push_str(&tls::markdown(&r, opts.clients, opts.seconds));
    }
    println!("{md}");
    let out = root.join("bench");
    fs::create_dir_all(&out)?;
    if !opts.micro_only && opts.tracer.is_none() {
        fs::write(out.join("results.md"), &md)?;
        fs::write(out.join("ratios.svg"), report::svg(&results))?;
        eprintln!("xtask: bench: wrote bench/results.md and bench/ratios.svg");
    }
    Ok(())
}
