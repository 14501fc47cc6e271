//! Call-time distributions for `-c`'s percentile columns (`-U p50,p99`, beyond strace): a
//! log-linear histogram, 32 buckets per power of two, so a percentile is within 1/32 (about 3%)
//! of the true value whatever the range, in memory that grows with the spread of the times,
//! not with the number of calls.

use std::collections::BTreeMap;

/// Buckets per power of two (as a shift).
const SUB_BITS: u32 = 5;
const SUB: u64 = 1 << SUB_BITS;

/// Counts of call times (nanoseconds) by bucket.
#[derive(Debug, Default, Clone)]
pub struct Histogram {
    buckets: BTreeMap<u32, u64>,
    count: u64,
}

/// The bucket of `v`: values below `SUB` have their own; above, the power of two and the top
/// `SUB_BITS` bits below the leading one.
fn bucket(v: u64) -> u32 {
    if v < SUB {
        return v as u32;
    }
    let exp = 63 - v.leading_zeros();
    let shift = exp - SUB_BITS;
    let sub = (v >> shift) - SUB;
    (shift + 1) * SUB as u32 + sub as u32
}

/// The smallest value of bucket `b` (the inverse of `bucket`); past the last bucket,
/// `u64::MAX`.
fn lowest(b: u32) -> u64 {
    let b = u64::from(b);
    if b < SUB {
        return b;
    }
    let shift = b / SUB - 1;
    let v = u128::from(SUB + b % SUB) << shift;
    u64::try_from(v).unwrap_or(u64::MAX)
}

impl Histogram {
    /// Counts one call of `nanos`.
    pub fn add(&mut self, nanos: u64) {
        *self.buckets.entry(bucket(nanos)).or_default() += 1;
        self.count += 1;
    }

    /// Adds another histogram's counts (the table's total row).
    pub fn merge(&mut self, other: &Histogram) {
        for (b, n) in &other.buckets {
            *self.buckets.entry(*b).or_default() += n;
        }
        self.count += other.count;
    }

    /// The `q`-th quantile (0 < q <= 1) as the middle of its bucket, kept within `bounds` (the
    /// shortest and longest time seen, which the bucket may reach past); 0 when empty.
    pub fn quantile(&self, q: f64, bounds: (u64, u64)) -> u64 {
        // The rank of the call at the quantile, 1-based, as "nearest rank" defines it.
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count.max(1));
        let mut seen = 0;
        for (&b, &n) in &self.buckets {
            seen += n;
            if seen >= rank {
                let (lo, hi) = (lowest(b), lowest(b + 1));
                return (lo + (hi - lo) / 2).clamp(bounds.0, bounds.1.max(bounds.0));
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_ordered_and_invert() {
        let mut last = 0;
        for v in [
            0,
            1,
            31,
            32,
            33,
            63,
            64,
            1000,
            1 << 20,
            u64::MAX / 3,
            u64::MAX,
        ] {
            let b = bucket(v);
            assert!(b >= last, "{v}");
            assert!(lowest(b) <= v, "{v}: bucket {b} starts at {}", lowest(b));
            last = b;
        }
        for b in 0..200 {
            assert_eq!(bucket(lowest(b)), b);
        }
    }

    #[test]
    fn percentiles_are_within_three_percent() {
        let mut h = Histogram::default();
        // 1 to 1000 microseconds, once each.
        for us in 1..=1000u64 {
            h.add(us * 1000);
        }
        let all = (0, u64::MAX);
        for (q, want) in [(0.5, 500_000.0), (0.99, 990_000.0), (1.0, 1_000_000.0)] {
            let got = h.quantile(q, all) as f64;
            assert!((got - want).abs() / want < 0.03, "q {q}: {got} vs {want}");
        }
        assert_eq!(Histogram::default().quantile(0.5, all), 0);
        let mut one = Histogram::default();
        one.add(7);
        assert_eq!(one.quantile(0.99, all), 7);
        let mut total = Histogram::default();
        total.merge(&h);
        total.merge(&one);
        assert_eq!(total.count, 1001);
        // Never beyond the longest call, though its bucket reaches further.
        assert_eq!(total.quantile(1.0, (7, 1_000_000)), 1_000_000);
        assert_eq!(total.quantile(0.0001, (7, 1_000_000)), 7);
    }

    /// The exact nearest-rank percentile of sorted `v`.
    fn exact(v: &[u64], q: f64) -> u64 {
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    }

    #[test]
    fn percentiles_of_a_skewed_distribution_match_the_exact_ones() {
        // A latency-like distribution: 100 000 calls spread log-uniformly from 1 us to
        // 1 s (a fixed-seed generator, so the test is repeatable), with a 1% tail of 40-50 ms
        // calls on top, as a disk's fsync would give.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut times: Vec<u64> = (0..100_000)
            .map(|i| match i % 100 {
                0 => 40_000_000 + (next() * 10_000_000.0) as u64,
                _ => (1_000.0 * 1e6f64.powf(next())) as u64,
            })
            .collect();
        let mut h = Histogram::default();
        for &t in &times {
            h.add(t);
        }
        times.sort_unstable();
        let bounds = (times[0], times[times.len() - 1]);
        for q in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0] {
            let (got, want) = (h.quantile(q, bounds) as f64, exact(&times, q) as f64);
            assert!(
                (got - want).abs() / want <= 1.0 / 32.0,
                "q {q}: {got} vs exactly {want}"
            );
        }
    }
}
