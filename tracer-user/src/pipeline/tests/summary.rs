//! `-c`/`-C` tables written by the pipeline: per stats interval, CPU or wall-clock time,
//! partial after losses.

use super::*;

/// `-c -Z --stats-interval`: after each stats record, the table of the calls since the last
/// one (none when there were none), with its breakdown by errno; the whole run's table at the
/// end.
#[test]
fn a_table_per_stats_interval() {
    let buf = Memory::default();
    let opts = OutputOptions {
        summary: Some(SummaryOptions {
            sort: SortBy::default(),
            only: true,
            wall_clock: true,
            columns: Columns::default(),
            overhead: 0,
            errnos: true,
            per_interval: true,
        }),
        ..OutputOptions::default()
    };
    let mut p = traced(&buf, opts, Fake::default());
    let read = |ret| call(Part::Complete, 1, 0, ret, vec![]);
    let stats = Stats {
        interval_s: 1.0,
        ..Stats::default()
    };
    p.handle(read(-11)).expect("ok");
    p.handle(read(4)).expect("ok");
    p.stats(&stats).expect("ok");
    p.stats(&stats).expect("ok");
    p.handle(read(-4)).expect("ok");
    p.stats(&stats).expect("ok");
    p.finish_summary().expect("ok");
    p.flush().expect("ok");
    let text = buf.text();
    // Interval 1: 2 reads, 1 EAGAIN; interval 2: none (no table); interval 3: 1 EINTR; then
    // the run: 3 reads, 2 failures. Each table is followed by its breakdown by errno.
    let totals: Vec<Vec<&str>> = (text.lines())
        .filter(|l| l.ends_with(" total"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let tables: Vec<&[&str]> = totals
        .iter()
        .filter(|w| w.len() == 6)
        .map(|w| &w[3..5])
        .collect();
    let breakdowns: Vec<&str> = totals
        .iter()
        .filter(|w| w.len() == 2)
        .map(|w| w[0])
        .collect();
    assert_eq!(tables, [["2", "1"], ["1", "1"], ["3", "2"]], "{text}");
    assert_eq!(breakdowns, ["1", "1", "2"], "{text}");
    let stats_lines: Vec<usize> = (text.lines().enumerate())
        .filter(|(_, l)| l.starts_with("--- stats"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(stats_lines.len(), 3);
    assert_eq!(
        stats_lines[1],
        stats_lines[0] + 11,
        "no table for an empty interval: {text}"
    );
    assert_eq!(text.matches("EAGAIN").count(), 2, "{text}");
    assert_eq!(text.matches("EINTR").count(), 2, "{text}");
}

#[test]
fn the_summary_counts_time_on_cpu_unless_wall_clock() {
    for (wall_clock, expected) in [(false, "0.000004"), (true, "0.000010")] {
        let buf = Memory::default();
        let opts = OutputOptions {
            summary: Some(SummaryOptions {
                sort: SortBy::default(),
                only: true,
                wall_clock,
                columns: Columns::default(),
                overhead: 0,
                errnos: false,
                per_interval: false,
            }),
            ..OutputOptions::default()
        };
        let mut p = Pipeline::new(Sinks::One(Sink::new(Box::new(buf.clone()))), opts);
        // 10 us from entry to exit, 6 of them off CPU.
        let mut read = call(Part::Complete, 1, 0, 0, vec![]);
        if let RawEvent::Syscall(raw) = &mut read {
            raw.has_enter_record = false;
            raw.ts_exit = raw.ts_enter + 10_000;
            raw.off_cpu = 6_000;
        }
        p.handle(read).expect("ok");
        p.finish_summary().expect("ok");
        p.flush().expect("ok");
        let text = buf.text();
        let row = text
            .lines()
            .find(|l| l.ends_with(" read"))
            .expect("read row");
        assert_eq!(row.split_whitespace().nth(1), Some(expected), "{text}");
    }
}

/// `-c` after losses: the table says it is partial, and by how many events.
#[test]
fn a_table_after_losses_says_it_is_partial() {
    let buf = Memory::default();
    let opts_c = || OutputOptions {
        summary: Some(SummaryOptions {
            sort: SortBy::default(),
            only: true,
            wall_clock: true,
            columns: Columns::default(),
            overhead: 0,
            errnos: false,
            per_interval: false,
        }),
        ..OutputOptions::default()
    };
    let mut p = traced(&buf, opts_c(), Fake::default());
    p.handle(call(Part::Complete, 1, 39, 1, vec![]))
        .expect("write");
    p.handle(RawEvent::Lost { count: 3 }).expect("write");
    p.handle(RawEvent::Lost { count: 4 }).expect("write");
    p.finish_summary().expect("ok");
    p.flush().expect("flush");
    let text = buf.text();
    assert!(
        text.contains(" total\n(partial: 7 events lost, ring buffer full)\n"),
        "{text}"
    );
    // JSON: the total has a `lost` member.
    let buf = Memory::default();
    let opts = OutputOptions {
        json: true,
        ..opts_c()
    };
    let mut p = traced(&buf, opts, Fake::default());
    p.handle(call(Part::Complete, 1, 39, 1, vec![]))
        .expect("write");
    p.handle(RawEvent::Lost { count: 7 }).expect("write");
    p.finish_summary().expect("ok");
    p.flush().expect("flush");
    let text = buf.text();
    let total = text.lines().last().expect("total");
    assert!(
        total.contains("\"total\":{") && total.contains("\"lost\":7"),
        "{text}"
    );
}
