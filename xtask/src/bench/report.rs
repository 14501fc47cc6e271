//! The bench's results as a Markdown table and an SVG bar chart of TPS ratios.

use std::fmt::Write as _;

use super::{Results, micro, rounds::Workload, watchers::Watcher};

/// Mean of the rounds' values.
fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

pub fn markdown(r: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Measured {} on {} ({} cores, kernel {}); pgbench -M simple, {} clients, {} s per round, \
         {} interleaved rounds, through pgBouncer (transaction pooling) to PostgreSQL on loopback; \
         each watcher attached to pgBouncer (tracer and strace with `-f`).\n",
        r.date, r.host, r.cores, r.kernel, r.clients, r.seconds, r.rounds
    );
    let _ = writeln!(
        out,
        "| workload | watcher | TPS | ratio | mean ms | p99 ms | lost events | watcher CPU | watcher RSS |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for w in [Workload::SelectOnly, Workload::TpcB] {
        let base = mean(&r.tps(w, Watcher::None));
        for watcher in Watcher::ALL {
            let rounds = r.rounds_of(w, watcher);
            if rounds.is_empty() {
                continue;
            }
            let tps = mean(&rounds.iter().map(|x| x.tps).collect::<Vec<_>>());
            let ratio = if base > 0.0 { tps / base } else { 0.0 };
            let lost: Option<u64> = rounds.iter().map(|x| x.lost).sum();
            let cpu = mean(&rounds.iter().map(|x| x.cpu).collect::<Vec<_>>());
            let rss = rounds.iter().map(|x| x.rss_kib).max().unwrap_or(0);
            let (cpu, rss, lost) = if watcher == Watcher::None {
                ("".to_string(), "".to_string(), "".to_string())
            } else {
                (
                    format!("{:.0}%", cpu * 100.0),
                    format!("{:.1} MiB", rss as f64 / 1024.0),
                    lost.map_or("n/a".to_string(), |l| l.to_string()),
                )
            };
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | **{:.3}** | {:.2} | {:.2} | {lost} | {cpu} | {rss} |",
                w.label(),
                watcher.label(),
                tps,
                ratio,
                mean(&rounds.iter().map(|x| x.mean_ms).collect::<Vec<_>>()),
                mean(&rounds.iter().map(|x| x.p99_ms).collect::<Vec<_>>()),
            );
        }
    }
    if !r.fixed.is_empty() {
        let _ = writeln!(
            out,
            "\nAt a fixed rate (`pgbench -S -R {}`, about half of the untraced maximum):\n",
            r.fixed_rate
        );
        let _ = writeln!(out, "| watcher | TPS | mean ms | p99 ms |");
        let _ = writeln!(out, "|---|---:|---:|---:|");
        for (watcher, x) in &r.fixed {
            let _ = writeln!(
                out,
                "| {} | {:.0} | {:.2} | {:.2} |",
                watcher.label(),
                x.tps,
                x.mean_ms,
                x.p99_ms
            );
        }
    }
    let m = &r.micro;
    let _ = writeln!(out, "\n| microbenchmark | result |\n|---|---:|");
    let _ = writeln!(
        out,
        "| getppid, untraced | {:.0} ns |\n\
         | getppid, traced by tracer (added) | +{:.0} ns |\n\
         | getppid of an untraced process while tracer runs (added) | +{:.0} ns |\n\
         | the same with empty programs on sys_enter and sys_exit: the hook's floor (added) | +{:.0} ns |\n\
         | events/s, ring buffer to formatted text on /dev/null | {:.0} ({} lost) |\n\
         | tracer's CPU at pgBouncer's select-only rate | {:.0}% of a core |\n\
         | tracer's peak RSS | {:.1} MiB |\n\
         | start to first event | {:.2} s |\n\
         | start to \"attached\" (`-p PID`, every syscall) | {:.2} s |\n\
         | start to \"attached\" (`-p PID -e trace={}`) | {:.2} s |",
        m.bare_ns,
        m.traced_ns - m.bare_ns,
        m.bystander_ns - m.bare_ns,
        m.floor_ns - m.bare_ns,
        m.events_per_s,
        m.events_lost,
        r.tracer_cpu * 100.0,
        r.tracer_rss_kib as f64 / 1024.0,
        m.first_event_s,
        m.attached_s,
        micro::NARROW,
        m.attached_narrow_s
    );
    out
}

/// Horizontal bars: each watcher's TPS as a share of untraced, per workload.
pub fn svg(r: &Results) -> String {
    let rows: Vec<(String, f64)> = [Workload::SelectOnly, Workload::TpcB]
        .into_iter()
        .flat_map(|w| {
            let base = mean(&r.tps(w, Watcher::None));
            Watcher::ALL.into_iter().map(move |watcher| {
                let tps = mean(&r.tps(w, watcher));
                let ratio = if base > 0.0 { tps / base } else { 0.0 };
                (format!("{}: {}", w.label(), watcher.label()), ratio)
            })
        })
        .collect();
    let (left, width, bar, gap) = (330.0, 300.0, 18.0, 8.0);
    let height = 40.0 + rows.len() as f64 * (bar + gap);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <text x=\"10\" y=\"18\" font-size=\"14\">pgbench TPS through pgBouncer, as a share of untraced</text>\n",
        w = left + width + 60.0
    );
    for (i, (label, ratio)) in rows.iter().enumerate() {
        let y = 30.0 + i as f64 * (bar + gap);
        let color = if label.contains("tracer -f") {
            "#4f81bd"
        } else if label.contains("untraced") {
            "#9e9e9e"
        } else if label.contains("floor") {
            "#8064a2"
        } else {
            "#c0504d"
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{left}\" y=\"{y}\" width=\"{:.1}\" height=\"{bar}\" fill=\"{color}\"/>\
             <text x=\"{:.1}\" y=\"{}\">{:.2}</text>",
            left - 8.0,
            y + 13.0,
            label,
            (ratio.min(1.2) * width).max(1.0),
            left + (ratio.min(1.2) * width).max(1.0) + 4.0,
            y + 13.0,
            ratio
        );
    }
    out.push_str("</svg>\n");
    out
}
