//! Line timestamps (`-t`, `-tt`, `-ttt`, `-r`) and call durations (`-T`). Kernel times are
//! CLOCK_MONOTONIC; wall-clock stamps add the realtime offset taken once at startup.

use std::{cell::Cell, fmt::Write as _};

/// How many digits of a second a time shows: strace's PRECISION, s (0), ms (3), us (6, the
/// default) or ns (9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precision(u32);

impl Default for Precision {
    fn default() -> Self {
        Self::MICROS
    }
}

impl Precision {
    pub const SECONDS: Self = Self(0);
    pub const MICROS: Self = Self(6);

    /// `s`, `ms`, `us`, `ns`.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = match text {
            "s" => 0,
            "ms" => 3,
            "us" => 6,
            "ns" => 9,
            _ => return None,
        };
        Some(Self(digits))
    }

    /// `.123456` of the `nanos` below a second (nothing at s precision).
    fn fraction_into(self, nanos: u64, out: &mut String) {
        if self.0 > 0 {
            let scaled = nanos / 10u64.pow(9 - self.0);
            let _ = write!(out, ".{scaled:0width$}", width = self.0 as usize);
        }
    }
}

/// Which timestamp starts each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StampMode {
    #[default]
    None,
    /// `-t`: `08:13:51 `; `-tt`: `08:13:51.757506 `.
    Time(Precision),
    /// `-ttt`: `1795680831.769658 `.
    Epoch(Precision),
    /// `-r`: `     0.000871 `, the time since the previous line.
    Relative(Precision),
}

impl StampMode {
    /// From the count of `-t` and `-r`'s precision if given (`-r` wins, as it does in strace).
    pub fn from_flags(t: u8, r: Option<Precision>) -> Self {
        match (r, t) {
            (Some(p), _) => Self::Relative(p),
            (None, 0) => Self::None,
            (None, 1) => Self::Time(Precision::SECONDS),
            (None, 2) => Self::Time(Precision::MICROS),
            (None, _) => Self::Epoch(Precision::MICROS),
        }
    }

    /// `--absolute-timestamps=[[format:]FORMAT][,[precision:]PRECISION]`: none, time or unix,
    /// seconds unless said.
    pub fn parse_absolute(text: &str) -> Option<Self> {
        let mut format = "time";
        let mut precision = Precision::SECONDS;
        for item in text.split(',') {
            if let Some(f) = item.strip_prefix("format:") {
                format = f;
            } else if let Some(p) = item.strip_prefix("precision:") {
                precision = Precision::parse(p)?;
            } else if let Some(p) = Precision::parse(item) {
                precision = p;
            } else {
                format = item;
            }
        }
        match format {
            "none" => Some(Self::None),
            "time" => Some(Self::Time(precision)),
            "unix" => Some(Self::Epoch(precision)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Clock {
    mode: StampMode,
    /// CLOCK_REALTIME minus CLOCK_MONOTONIC, in ns.
    offset: i128,
    /// The previous line's time, for `-r`.
    last: Option<u64>,
    /// The latest second `rfc3339` wrote and its `2026-11-26T09:30:00` (a flood's records
    /// share their second).
    second: Cell<(i64, [u8; 19])>,
}

/// A clock's reading in ns.
fn now_ns(clock: libc::clockid_t) -> i128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec)
}

impl Clock {
    pub fn new(mode: StampMode) -> Self {
        Self::with_offset(
            mode,
            now_ns(libc::CLOCK_REALTIME) - now_ns(libc::CLOCK_MONOTONIC),
        )
    }

    /// With a fixed realtime offset (for tests).
    pub fn with_offset(mode: StampMode, offset: i128) -> Self {
        Self {
            mode,
            offset,
            last: None,
            second: Cell::new((i64::MIN, [0; 19])),
        }
    }

    pub fn mode(&self) -> StampMode {
        self.mode
    }

    /// Appends the stamp for a line at monotonic time `mono` (ns).
    pub fn stamp_into(&mut self, mono: u64, out: &mut String) {
        // No stamp (the default): no 128-bit division either.
        if matches!(self.mode, StampMode::None) {
            return;
        }
        let real = i128::from(mono) + self.offset;
        let (secs, nanos) = (
            real.div_euclid(1_000_000_000),
            real.rem_euclid(1_000_000_000) as u64,
        );
        match self.mode {
            StampMode::None => return,
            StampMode::Time(p) => {
                let (h, m, s) = local_hms(secs as i64);
                let _ = write!(out, "{h:02}:{m:02}:{s:02}");
                p.fraction_into(nanos, out);
            }
            StampMode::Epoch(p) => {
                let _ = write!(out, "{secs}");
                p.fraction_into(nanos, out);
            }
            StampMode::Relative(p) => {
                let delta = self.last.map_or(0, |l| mono.saturating_sub(l));
                self.last = Some(mono);
                let _ = write!(out, "{:6}", delta / 1_000_000_000);
                p.fraction_into(delta % 1_000_000_000, out);
            }
        }
        out.push(' ');
    }
}

impl Clock {
    /// `08:13:51.757506`: the wall-clock time of monotonic time `mono`, whatever the mode.
    pub fn wall(&self, mono: u64) -> String {
        let real = i128::from(mono) + self.offset;
        let (h, m, s) = local_hms(real.div_euclid(1_000_000_000) as i64);
        let micros = real.rem_euclid(1_000_000_000) / 1000;
        format!("{h:02}:{m:02}:{s:02}.{micros:06}")
    }
}

/// `2026-11-26T09:30:00.123456789Z`: RFC 3339 UTC with nanoseconds, for JSON; formatted in
/// place, without allocating (every JSON record has one).
#[derive(Clone, Copy)]
pub struct Rfc3339([u8; 30]);

impl Rfc3339 {
    pub fn as_str(&self) -> &str {
        // SAFETY: `rfc3339` writes only ASCII digits over an ASCII template.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }
}

/// Writes `v`'s last `to.len()` decimal digits into `to`, two at a time (the nine digits
/// of every JSON record's nanoseconds).
fn digits(mut v: u64, to: &mut [u8]) {
    static PAIRS: [[u8; 2]; 100] = {
        let mut t = [[0u8; 2]; 100];
        let mut i = 0;
        while i < 100 {
            t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        t
    };
    let mut end = to.len();
    while end >= 2 {
        to[end - 2..end].copy_from_slice(&PAIRS[(v % 100) as usize]);
        v /= 100;
        end -= 2;
    }
    if end == 1 {
        to[0] = b'0' + (v % 10) as u8;
    }
}

impl Clock {
    /// The RFC 3339 UTC time of monotonic time `mono`.
    pub fn rfc3339(&self, mono: u64) -> Rfc3339 {
        let real = i128::from(mono) + self.offset;
        // In 64 bits when it fits (until 2262): 128-bit division is a library call.
        let (secs, nanos) = match i64::try_from(real) {
            Ok(r) => (
                r.div_euclid(1_000_000_000),
                r.rem_euclid(1_000_000_000) as u64,
            ),
            Err(_) => (
                real.div_euclid(1_000_000_000) as i64,
                real.rem_euclid(1_000_000_000) as u64,
            ),
        };
        let mut b = *b"0000-00-00T00:00:00.000000000Z";
        let (seen, date_time) = self.second.get();
        if seen == secs {
            b[..19].copy_from_slice(&date_time);
        } else {
            let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400) as u64);
            let (y, m, d) = civil_from_days(days);
            digits(y.clamp(0, 9999) as u64, &mut b[0..4]);
            digits(u64::from(m), &mut b[5..7]);
            digits(u64::from(d), &mut b[8..10]);
            digits(rest / 3600, &mut b[11..13]);
            digits(rest % 3600 / 60, &mut b[14..16]);
            digits(rest % 60, &mut b[17..19]);
            let mut date_time = [0; 19];
            date_time.copy_from_slice(&b[..19]);
            self.second.set((secs, date_time));
        }
        digits(nanos, &mut b[20..29]);
        Rfc3339(b)
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The time a call took, when both ends were seen.
pub fn duration_ns(ts_enter: u64, ts_exit: u64, no_return: bool) -> Option<u64> {
    (ts_enter != 0 && ts_exit >= ts_enter && !no_return).then(|| ts_exit - ts_enter)
}

/// `-T`: ` <0.000252>` after the return value.
pub fn duration_into(nanos: u64, precision: Precision, out: &mut String) {
    let _ = write!(out, " <{}", nanos / 1_000_000_000);
    precision.fraction_into(nanos % 1_000_000_000, out);
    out.push('>');
}

/// Hours, minutes and seconds of the local time at `secs` since the epoch, as strace shows
/// them (it uses localtime too).
fn local_hms(secs: i64) -> (i32, i32, i32) {
    // SAFETY: `tm` is a valid out-pointer; localtime_r is thread-safe.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&secs, &mut tm);
        tm
    };
    (tm.tm_hour, tm.tm_min, tm.tm_sec)
}

/// `-i`: strace's `[00007f3a1b2c3d4e] `, the task's instruction pointer, or
/// `[????????????????] ` when there is none (a process's exit).
pub fn instruction_pointer_into(ip: Option<u64>, out: &mut String) {
    match ip {
        Some(ip) => {
            let _ = write!(out, "[{ip:016x}] ");
        }
        None => out.push_str("[????????????????] "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two digits at a time: every width (odd ones end on a single digit), every pair.
    #[test]
    fn digits_by_pairs_match_the_formatter() {
        for width in 1..=9u32 {
            for v in [
                0,
                7,
                10,
                99,
                100,
                4_321,
                123_456_789,
                987_654_321,
                u64::from(width),
            ] {
                let mut to = vec![b'x'; width as usize];
                digits(v, &mut to);
                let want = format!("{:0w$}", v % 10u64.pow(width), w = width as usize);
                assert_eq!(
                    String::from_utf8(to).expect("ascii"),
                    want,
                    "{v} in {width}"
                );
            }
        }
    }

    #[test]
    fn epoch_and_relative_stamps() {
        let mut c = Clock::with_offset(
            StampMode::Epoch(Precision::MICROS),
            1_795_680_831_000_000_000,
        );
        let mut out = String::new();
        c.stamp_into(769_658_123, &mut out);
        assert_eq!(out, "1795680831.769658 ");
        let mut c = Clock::with_offset(StampMode::Relative(Precision::MICROS), 0);
        let mut out = String::new();
        c.stamp_into(5_000_000, &mut out);
        c.stamp_into(5_871_999, &mut out);
        assert_eq!(out, "     0.000000      0.000871 ");
        // strace's PRECISION: s, ms, ns.
        let mut out = String::new();
        for p in ["s", "ms", "ns"] {
            let mode = StampMode::parse_absolute(&format!("unix,{p}")).expect("valid");
            Clock::with_offset(mode, 1_795_680_831_000_000_000).stamp_into(769_658_123, &mut out);
        }
        assert_eq!(out, "1795680831 1795680831.769 1795680831.769658123 ");
    }

    #[test]
    fn rfc3339_in_utc_with_nanoseconds() {
        let c = Clock::with_offset(StampMode::None, 1_795_680_831_000_000_000);
        assert_eq!(
            c.rfc3339(123_456_789).as_str(),
            "2026-11-26T08:13:51.123456789Z"
        );
        let epoch = Clock::with_offset(StampMode::None, 0);
        assert_eq!(epoch.rfc3339(0).as_str(), "1970-01-01T00:00:00.000000000Z");
        let leap = Clock::with_offset(StampMode::None, 951_782_400_000_000_000);
        assert_eq!(leap.rfc3339(0).as_str(), "2000-02-29T00:00:00.000000000Z");
        // Each field's every digit, against the formatting machinery.
        let c = Clock::with_offset(StampMode::None, 4_102_444_799_000_000_000);
        assert_eq!(
            c.rfc3339(999_999_999).as_str(),
            "2099-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            c.rfc3339(1_000_000_001).as_str(),
            "2100-01-01T00:00:00.000000001Z"
        );
        // The second kept from the call before is not reused for another second.
        assert_eq!(
            c.rfc3339(1_000_000_002).as_str(),
            "2100-01-01T00:00:00.000000002Z"
        );
        assert_eq!(c.rfc3339(2).as_str(), "2099-12-31T23:59:59.000000002Z");
        // Past 64-bit nanoseconds (2262) the same digits come from 128-bit arithmetic.
        let far = Clock::with_offset(StampMode::None, 10_413_792_000_000_000_000);
        assert_eq!(far.rfc3339(5).as_str(), "2300-01-01T00:00:00.000000005Z");
    }

    #[test]
    fn durations() {
        let mut out = String::new();
        duration_into(252_999, Precision::MICROS, &mut out);
        duration_into(2_000_000_001, Precision::MICROS, &mut out);
        assert_eq!(out, " <0.000252> <2.000000>");
        let mut out = String::new();
        for p in ["s", "ms", "ns"] {
            duration_into(10_940, Precision::parse(p).expect("valid"), &mut out);
        }
        assert_eq!(out, " <0> <0.000> <0.000010940>");
    }

    #[test]
    fn flags() {
        let us = Precision::MICROS;
        assert_eq!(StampMode::from_flags(0, None), StampMode::None);
        assert_eq!(
            StampMode::from_flags(1, None),
            StampMode::Time(Precision::SECONDS)
        );
        assert_eq!(StampMode::from_flags(2, None), StampMode::Time(us));
        assert_eq!(StampMode::from_flags(3, None), StampMode::Epoch(us));
        assert_eq!(StampMode::from_flags(1, Some(us)), StampMode::Relative(us));
        for (text, mode) in [
            ("none", StampMode::None),
            ("time", StampMode::Time(Precision::SECONDS)),
            ("time,us", StampMode::Time(us)),
            ("unix,us", StampMode::Epoch(us)),
            ("format:unix,precision:us", StampMode::Epoch(us)),
        ] {
            assert_eq!(StampMode::parse_absolute(text), Some(mode), "{text}");
        }
        assert_eq!(StampMode::parse_absolute("bogus"), None);
        assert_eq!(StampMode::parse_absolute("time,ps"), None);
    }

    #[test]
    fn instruction_pointers_as_strace() {
        let mut out = String::new();
        instruction_pointer_into(Some(0x7f3a_1b2c_3d4e), &mut out);
        instruction_pointer_into(None, &mut out);
        assert_eq!(out, "[00007f3a1b2c3d4e] [????????????????] ");
    }
}
