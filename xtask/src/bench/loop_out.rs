//! What the bench-loop child reports, and the clock it reports in: shared by the
//! microbenchmarks and the consumer table.

use anyhow::{Context, Result};

/// CLOCK_MONOTONIC in ns.
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Parses `bench-loop`'s line: (ns per call, start, end, CPU ns).
pub fn loop_line(text: &str) -> Result<(f64, u64, u64, u64)> {
    let mut w = text.split_whitespace();
    let mut next = || w.next().context("bench-loop printed too little");
    let ns = next()?.parse()?;
    let start = next()?.parse()?;
    let end = next()?.parse()?;
    let cpu = next()?.parse()?;
    Ok((ns, start, end, cpu))
}
