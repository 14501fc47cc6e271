//! How tracer's cost grows: with the number of traced PostgreSQL backends (`tracer --comm
//! postgres` while pgbench runs 1, 8 and 64 clients straight against PostgreSQL), and with the
//! event rate (tracer on pgBouncer at 25%, 50% and 100% of the untraced saturated rate).

use std::fmt::Write as _;

use anyhow::Result;

use super::{
    rounds::{self, Round, Setup, Spec, Via, Workload},
    watchers::Watcher,
};

/// The numbers of pgbench clients, hence PostgreSQL backends, of the backend rows.
pub const BACKENDS: [u32; 3] = [1, 8, 64];

/// The shares of the saturated rate of the rate rows, in percent (100: no `-R`).
pub const SHARES: [u32; 3] = [25, 50, 100];

/// What the scaling rounds measured.
#[derive(Debug, Default)]
pub struct Scaling {
    /// (backends, untraced round, traced round).
    pub backends: Vec<(u32, Round, Round)>,
    /// The untraced saturated rate the shares are of.
    pub saturated: f64,
    /// (share in percent, the `-R` asked, traced round).
    pub rates: Vec<(u32, Option<u32>, Round)>,
}

fn run(setup: &Setup, spec: Spec, what: &str) -> Result<Round> {
    eprint!("xtask: bench: {what} ... ");
    let r = rounds::round(setup, spec)?;
    eprintln!(
        "{:.0} TPS, {:.0} events/s, {} lost",
        r.tps,
        events_per_s(&r),
        r.lost.unwrap_or(0)
    );
    Ok(r)
}

/// Lines tracer wrote per second of the round (one line per traced call).
fn events_per_s(r: &Round) -> f64 {
    r.lines as f64 / r.seconds.max(f64::MIN_POSITIVE)
}

/// Runs the backend rows, then the rate rows at shares of `saturated` (untraced select-only TPS
/// through pgBouncer).
pub fn measure(setup: &Setup, saturated: f64) -> Result<Scaling> {
    let mut s = Scaling {
        saturated,
        ..Scaling::default()
    };
    for n in BACKENDS {
        let spec = |watcher| Spec {
            clients: n,
            via: Via::Postgres,
            ..Spec::new(setup, Workload::SelectOnly, watcher)
        };
        let bare = run(
            setup,
            spec(Watcher::None),
            &format!("{n} backends, untraced"),
        )?;
        let traced = run(
            setup,
            spec(Watcher::TracerText),
            &format!("{n} backends, tracer --comm postgres"),
        )?;
        s.backends.push((n, bare, traced));
    }
    for share in SHARES {
        let rate = (share < 100).then(|| (saturated * f64::from(share) / 100.0).max(1.0) as u32);
        let spec = Spec {
            rate,
            ..Spec::new(setup, Workload::SelectOnly, Watcher::TracerText)
        };
        let r = run(
            setup,
            spec,
            &format!("{share}% of the saturated rate, tracer"),
        )?;
        s.rates.push((share, rate, r));
    }
    Ok(s)
}

fn cpu_us_per_event(r: &Round) -> f64 {
    r.cpu * 1e6 / events_per_s(r).max(f64::MIN_POSITIVE)
}

pub fn markdown(s: &Scaling, seconds: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nHow the cost grows with traced backends: `tracer -f -s 256 -yy --comm postgres` (text \
         to a file) while pgbench -S -M simple runs N clients straight against PostgreSQL \
         (N backends), {seconds} s per round:\n"
    );
    let _ = writeln!(
        out,
        "| backends | untraced TPS | traced TPS | ratio | events/s | tracer CPU | CPU per event | lost events |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (n, bare, traced) in &s.backends {
        let ratio = if bare.tps > 0.0 {
            traced.tps / bare.tps
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "| {n} | {:.0} | {:.0} | **{ratio:.3}** | {:.0} | {:.0}% | {:.2} µs | {} |",
            bare.tps,
            traced.tps,
            events_per_s(traced),
            traced.cpu * 100.0,
            cpu_us_per_event(traced),
            traced.lost.unwrap_or(0)
        );
    }
    let _ = writeln!(
        out,
        "\nEvents/s against tracer's CPU (`tracer -f -s 256 -yy` on pgBouncer, text to a file) at \
         shares of the untraced saturated rate ({:.0} TPS; `pgbench -S -R`, 100% = no `-R`):\n",
        s.saturated
    );
    let _ = writeln!(
        out,
        "| share | pgbench -R | TPS | events/s | tracer CPU | CPU per event | lost events |\n\
         |---:|---:|---:|---:|---:|---:|---:|"
    );
    for (share, rate, r) in &s.rates {
        let _ = writeln!(
            out,
            "| {share}% | {} | {:.0} | {:.0} | {:.0}% | {:.2} µs | {} |",
            rate.map_or("none".to_string(), |r| r.to_string()),
            r.tps,
            events_per_s(r),
            r.cpu * 100.0,
            cpu_us_per_event(r),
            r.lost.unwrap_or(0)
        );
    }
    out
}
