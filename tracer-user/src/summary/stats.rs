//! `--stats-interval`: periodic records of how tracer is doing (events, losses, rate) and of
//! the state it holds (processes, tasks, fds, kernel map entries), so a daemon left running
//! can be watched from its own output and its memory seen to stay bounded.

use std::fmt::Write as _;

/// One stats record.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    /// Records read from the kernel since tracer started.
    pub events: u64,
    /// Events lost since tracer started (ring buffer full).
    pub lost: u64,
    /// Events per second over the last interval.
    pub rate: f64,
    /// Seconds the interval lasted.
    pub interval_s: f64,
    pub held: Held,
}

/// The state tracer holds, each of which must return to its baseline as processes, threads
/// and fds end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// Traced processes and tasks alive, as the trace says.
    pub processes: usize,
    pub tasks: usize,
    /// File descriptors known to the fd table (-y, -yy, --annotate).
    pub fds: usize,
    /// Calls whose start was printed and whose end has not come yet.
    pub pending: usize,
    /// Entries in the kernel's TRACED (processes) and INFLIGHT (threads inside a call) maps.
    pub kernel_traced: usize,
    pub kernel_inflight: usize,
}

impl Stats {
    /// The text line, in the style of strace's `--- SIGNAL {...} ---` lines.
    pub fn text_into(&self, out: &mut String) {
        let h = &self.held;
        let _ = writeln!(
            out,
            "--- stats {{events={}, lost={}, rate={:.0}/s, processes={}, tasks={}, fds={}, \
             pending={}, kernel_traced={}, kernel_inflight={}}} ---",
            self.events,
            self.lost,
            self.rate,
            h.processes,
            h.tasks,
            h.fds,
            h.pending,
            h.kernel_traced,
            h.kernel_inflight
        );
    }
}

/// Turns running totals into records: remembers the previous total for the rate.
#[derive(Debug, Default)]
pub struct Ticker {
    last_events: u64,
    last_at: Option<std::time::Instant>,
}

impl Ticker {
    pub fn record(&mut self, events: u64, lost: u64, held: Held) -> Stats {
        let now = std::time::Instant::now();
        let interval_s = self
            .last_at
            .map_or(0.0, |at| now.duration_since(at).as_secs_f64());
        let rate = if interval_s > 0.0 {
            events.saturating_sub(self.last_events) as f64 / interval_s
        } else {
            0.0
        };
        self.last_events = events;
        self.last_at = Some(now);
        Stats {
            events,
            lost,
            rate,
            interval_s,
            held,
        }
    }

    /// Starts the first interval.
    pub fn start(&mut self) {
        self.last_at = Some(std::time::Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_line_names_every_count() {
        let s = Stats {
            events: 1200,
            lost: 3,
            rate: 119.6,
            interval_s: 10.0,
            held: Held {
                processes: 1,
                tasks: 2,
                fds: 14,
                pending: 1,
                kernel_traced: 1,
                kernel_inflight: 0,
            },
        };
        let mut line = String::new();
        s.text_into(&mut line);
        assert_eq!(
            line,
            "--- stats {events=1200, lost=3, rate=120/s, processes=1, tasks=2, fds=14, \
             pending=1, kernel_traced=1, kernel_inflight=0} ---\n"
        );
    }

    #[test]
    fn the_rate_is_over_the_last_interval() {
        let mut t = Ticker::default();
        t.start();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let s = t.record(100, 0, Held::default());
        assert!(s.interval_s >= 0.05, "{s:?}");
        assert!(s.rate > 0.0 && s.rate <= 2000.0, "{s:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
        let s = t.record(100, 0, Held::default());
        assert_eq!(s.rate, 0.0);
    }
}
