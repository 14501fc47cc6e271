//! `cargo xtask fidelity`: runs a corpus of workloads under real strace and under tracer with
//! the same flags, normalises what legitimately differs between two runs (pids, addresses,
//! timestamps, ephemeral ports, inode numbers, random bytes, alignment, unfinished/resumed
//! splits), and prints the share of strace's lines tracer reproduces exactly.

mod broad;
// Shared with tracer-user's golden tests, which compare recorded traces with strace's.
#[path = "../../../tracer-user/tests/support/normalize.rs"]
mod normalize;
mod workloads;

use std::{
    collections::HashMap,
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{Context, Result, bail};

use crate::{build, pins};

/// Flag sets compared (the bar is >= 95% with each).
const MODES: &[(&str, &[&str])] = &[
    ("-f -s 64", &["-f", "-s", "64"]),
    ("-f -yy", &["-f", "-yy"]),
    ("-f -a 40 -qq", &["-f", "-a", "40", "-qq"]),
    ("-f -e read=3", &["-f", "-e", "read=3"]),
    ("-f -qq -Y", &["-f", "-qq", "-Y"]),
    ("-f -X raw", &["-f", "-X", "raw"]),
    ("-f -X verbose", &["-f", "-X", "verbose"]),
    ("-f -a 40 -v", &["-f", "-a", "40", "-v"]),
];

struct Options {
    only: Option<String>,
    /// `--tracer PATH`: compare this binary (another build, say main's) instead of building.
    tracer: Option<PathBuf>,
    keep: Option<PathBuf>,
    extra: Vec<String>,
    show: usize,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut opts = Options {
        only: None,
        tracer: None,
        keep: None,
        extra: Vec::new(),
        show: 0,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => opts.only = it.next().cloned(),
            "--keep" => opts.keep = it.next().map(PathBuf::from),
            "--tracer" => opts.tracer = it.next().map(PathBuf::from),
            "--show" => opts.show = it.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            "--backend" => {
                let b = it.next().context("--backend needs a value")?;
                opts.extra.push(format!("--backend={b}"));
            }
            other => bail!(
                "unknown fidelity option {other:?} (--only NAME or PREFIX*, --keep DIR, --show N, --backend B, --tracer PATH)"
            ),
        }
    }
    Ok(opts)
}

pub fn run(args: &[String]) -> Result<()> {
    let opts = parse(args)?;
    require_tools()?;
    let tracer = match &opts.tracer {
        Some(path) => path.clone(),
        None => {
            build::build(true)?;
            pins::workspace_root().join("target/release/tracer")
        }
    };
    let work = match &opts.keep {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!("tracer-fidelity-{}", std::process::id())),
    };
    fs::create_dir_all(&work)?;
    // `--only` a workload without psql: the shared cluster is not needed (nor its lock).
    let with_pg = opts.only.as_deref().is_none_or(|o| o.starts_with("psql"));
    let env = workloads::prepare(&work, with_pg)?;
    let mut totals: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut missed_by_name: HashMap<(&str, String), usize> = HashMap::new();
    let header: Vec<String> = MODES.iter().map(|(m, _)| format!("{m:>13}")).collect();
    println!("{:<22} {}", "workload", header.join(" "));
    for w in workloads::all(&env) {
        if opts.only.as_deref().is_some_and(|o| !picked(o, w.name)) {
            continue;
        }
        let mut cells = Vec::new();
        for (mode, flags) in MODES {
            let dir = work.join(format!("{}{}", w.name, mode.replace([' ', '-'], "_")));
            fs::create_dir_all(&dir)?;
            let (matched, total, misses) = compare(&tracer, &w, flags, &opts.extra, &dir)?;
            let t = totals.entry(mode).or_default();
            t.0 += matched;
            t.1 += total;
            cells.push(format!("{:>13}", format!("{matched}/{total}")));
            for m in misses.iter().take(opts.show) {
                eprintln!("  [{} {mode}] miss: {m}", w.name);
            }
            for m in &misses {
                let name = m.split(['(', ' ']).next().unwrap_or_default().to_string();
                *missed_by_name.entry((*mode, name)).or_default() += 1;
            }
        }
        println!("{:<22} {}", w.name, cells.join(" "));
    }
    for (mode, _) in MODES {
        let mut worst: Vec<(&String, &usize)> = missed_by_name
            .iter()
            .filter(|((m, _), _)| m == mode)
            .map(|((_, name), n)| (name, n))
            .collect();
        worst.sort_by(|a, b| b.1.cmp(a.1));
        let list: Vec<String> = worst
            .iter()
            .take(8)
            .map(|(n, c)| format!("{n} {c}"))
            .collect();
        println!("most missed with {mode}: {}", list.join(", "));
    }
    for (mode, _) in MODES {
        let (m, t) = totals.get(mode).copied().unwrap_or_default();
        let pct = if t == 0 {
            0.0
        } else {
            100.0 * m as f64 / t as f64
        };
        println!("overall {mode}: {m}/{t} = {pct:.1}% of strace's lines reproduced exactly");
    }
    if opts.keep.is_none() {
        let _ = fs::remove_dir_all(&work);
    }
    Ok(())
}

/// `--only NAME`: that workload; `--only PREFIX*`: those whose name starts with PREFIX
/// (`c-broad-*`).
fn picked(only: &str, name: &str) -> bool {
    match only.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => only == name,
    }
}

/// Runs one workload under strace and tracer; returns (matched, strace lines, misses).
fn compare(
    tracer: &Path,
    w: &workloads::Workload,
    flags: &[&str],
    extra: &[String],
    dir: &Path,
) -> Result<(usize, usize, Vec<String>)> {
    let s_out = dir.join("strace.txt");
    let t_out = dir.join("tracer.txt");
    (w.before)()?;
    run_traced(Command::new("strace").args(flags).arg("-o").arg(&s_out), w)?;
    (w.before)()?;
    // With -v the environment is printed: strace shows its values, tracer masks them unless
    // told not to (tests/root_verbose.rs checks the masking).
    let unmasked: &[&str] = match flags.contains(&"-v") {
        true => &["--no-redact"],
        false => &[],
    };
    run_traced(
        Command::new(tracer)
            .args(flags)
            .args(unmasked)
            .args(extra)
            .arg("-o")
            .arg(&t_out),
        w,
    )?;
    let strace = normalize::file(&fs::read_to_string(&s_out)?);
    let ours = normalize::file(&fs::read_to_string(&t_out)?);
    Ok(normalize::score(&strace, &ours))
}

fn run_traced(cmd: &mut Command, w: &workloads::Workload) -> Result<()> {
    cmd.arg("--")
        .args(&w.argv)
        .current_dir(&w.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let status = cmd
        .status()
        .with_context(|| format!("failed to run {cmd:?}"))?;
    if status.code().is_none() {
        bail!("{cmd:?} was killed: {status}");
    }
    Ok(())
}

/// The reference tools and the workloads' programs must be installed.
fn require_tools() -> Result<()> {
    for tool in ["strace", "python3", "psql"] {
        if Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .map(|s| !s.success())
            .unwrap_or(true)
        {
            bail!("{tool} is not installed (apt-get install strace python3 postgresql)");
        }
    }
    Ok(())
}
