//! Kernel time of tracer's programs from the kernel's BPF statistics: with
//! `kernel.bpf_stats_enabled=1` the kernel counts, per program, how often it ran (`run_cnt`) and
//! for how long (`run_time_ns`). tracer's program descriptors show them in
//! `/proc/PID/fdinfo`; bpftool names the programs. Tail-called programs are counted inside
//! the program that called them.

use std::{collections::BTreeMap, fmt::Write as _, fs, process::Command};

use anyhow::{Context, Result};

const SYSCTL: &str = "/proc/sys/kernel/bpf_stats_enabled";

/// Turns the statistics on; puts the previous setting back when dropped.
pub struct Enabled {
    previous: String,
}

pub fn enable() -> Result<Enabled> {
    let previous = fs::read_to_string(SYSCTL)
        .with_context(|| format!("failed to read {SYSCTL}"))?
        .trim()
        .to_string();
    fs::write(SYSCTL, "1").with_context(|| format!("failed to write {SYSCTL}"))?;
    Ok(Enabled { previous })
}

impl Drop for Enabled {
    fn drop(&mut self) {
        let _ = fs::write(SYSCTL, &self.previous);
    }
}

/// One program's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prog {
    pub name: String,
    pub run_time_ns: u64,
    pub run_cnt: u64,
}

/// The counters of every BPF program `pid` holds a descriptor of, by program id.
pub fn snapshot(pid: u32) -> BTreeMap<u32, Prog> {
    let mut progs = BTreeMap::new();
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return progs;
    };
    for fd in fds.filter_map(|e| e.ok()) {
        let is_prog =
            fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy() == "anon_inode:bpf-prog");
        if !is_prog {
            continue;
        }
        let info = fs::read_to_string(format!(
            "/proc/{pid}/fdinfo/{}",
            fd.file_name().to_string_lossy()
        ))
        .unwrap_or_default();
        let field = |name: &str| -> u64 {
            info.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim_start_matches(':').trim().parse().ok())
                .unwrap_or(0)
        };
        let id = field("prog_id") as u32;
        progs.insert(
            id,
            Prog {
                name: String::new(),
                run_time_ns: field("run_time_ns"),
                run_cnt: field("run_cnt"),
            },
        );
    }
    for (id, p) in progs.iter_mut() {
        p.name = name(*id);
    }
    progs
}

/// The program's name as bpftool shows it (`ID: TYPE  name NAME  tag ...`), or `prog ID`.
fn name(id: u32) -> String {
    let out = Command::new("bpftool")
        .args(["prog", "show", "id", &id.to_string()])
        .output();
    out.ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let mut words = text.split_whitespace();
            words.find(|w| *w == "name")?;
            words.next().map(str::to_string)
        })
        .unwrap_or_else(|| format!("prog {id}"))
}

/// What ran between two snapshots: programs that ran, busiest first.
pub fn delta(before: &BTreeMap<u32, Prog>, after: &BTreeMap<u32, Prog>) -> Vec<Prog> {
    let mut out: Vec<Prog> = after
        .iter()
        .map(|(id, a)| {
            let b = before.get(id).cloned().unwrap_or_default();
            Prog {
                name: a.name.clone(),
                run_time_ns: a.run_time_ns.saturating_sub(b.run_time_ns),
                run_cnt: a.run_cnt.saturating_sub(b.run_cnt),
            }
        })
        .filter(|p| p.run_cnt > 0)
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.run_time_ns));
    out
}

/// The per-program table: runs, ns per run, and ns per traced call of the watched process
/// (`calls`, the lines tracer wrote).
pub fn markdown(progs: &[Prog], calls: u64, what: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nKernel time of tracer's programs (bpf_stats, `kernel.bpf_stats_enabled=1` during one \
         extra round: {what}; {calls} traced calls):\n"
    );
    let _ = writeln!(
        out,
        "| program | runs | ns per run | ns per traced call |\n|---|---:|---:|---:|"
    );
    let per_call = |ns: u64| ns as f64 / calls.max(1) as f64;
    for p in progs {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.0} |",
            p.name,
            p.run_cnt,
            p.run_time_ns as f64 / p.run_cnt.max(1) as f64,
            per_call(p.run_time_ns)
        );
    }
    let total: u64 = progs.iter().map(|p| p.run_time_ns).sum();
    let _ = writeln!(
        out,
        "| all programs | {} | | **{:.0}** |",
        progs.iter().map(|p| p.run_cnt).sum::<u64>(),
        per_call(total)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prog(name: &str, run_time_ns: u64, run_cnt: u64) -> Prog {
        Prog {
            name: name.to_string(),
            run_time_ns,
            run_cnt,
        }
    }

    #[test]
    fn delta_keeps_programs_that_ran_busiest_first() {
        let before = BTreeMap::from([
            (1, prog("sys_enter", 100, 10)),
            (2, prog("sys_exit", 50, 5)),
        ]);
        let after = BTreeMap::from([
            (1, prog("sys_enter", 400, 20)),
            (2, prog("sys_exit", 50, 5)),
            // Loaded after the first snapshot: all of its counts are new.
            (3, prog("signal_deliver", 900, 3)),
        ]);
        assert_eq!(
            delta(&before, &after),
            vec![prog("signal_deliver", 900, 3), prog("sys_enter", 300, 10)]
        );
    }

    #[test]
    fn markdown_divides_by_traced_calls() {
        let md = markdown(
            &[prog("sys_enter", 3000, 30), prog("sys_exit", 1000, 30)],
            10,
            "x",
        );
        assert!(md.contains("| sys_enter | 30 | 100 | 300 |"), "{md}");
        assert!(md.contains("| all programs | 60 | | **400** |"), "{md}");
    }
}
