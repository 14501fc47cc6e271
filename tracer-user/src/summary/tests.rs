//! The `-c` table's layout, orders, columns and breakdowns.

use super::*;

#[test]
fn strace_layout() {
    let mut s = Summary::default();
    // openat 31 calls (13 failed) for 116 us; close 20 for 75 us; read 3 for 10 us.
    for i in 0..31 {
        s.add(
            257,
            i < 13,
            if i == 0 { 116_000 - 30 * 3_700 } else { 3_700 },
        );
    }
    for i in 0..20 {
        s.add(3, false, if i == 0 { 75_000 - 19 * 3_700 } else { 3_700 });
    }
    for i in 0..3 {
        s.add(0, false, if i == 0 { 3_334 } else { 3_333 });
    }
    let mut out = String::new();
    s.render(SortBy::By(Column::Calls), &Columns::default(), &mut out);
    // As `strace -c -S calls -e trace=openat,close,read cat /etc/hostname` printed it.
    assert_eq!(
        out,
        "% time     seconds  usecs/call     calls    errors syscall\n\
         ------ ----------- ----------- --------- --------- ----------------\n \
         57.71    0.000116           3        31        13 openat\n \
         37.31    0.000075           3        20           close\n  \
         4.98    0.000010           3         3           read\n\
         ------ ----------- ----------- --------- --------- ----------------\n\
         100.00    0.000201           3        54        13 total\n"
    );
}

#[test]
fn columns_as_strace_prints_them() {
    let mut s = Summary::default();
    for nanos in [10_000, 24_000, 12_000] {
        s.add(257, nanos == 24_000, nanos);
    }
    s.add(3, false, 9_000);
    let mut out = String::new();
    let columns =
        Columns::parse("min-time,max-time,avg-time,total-time,time-percent,errors").expect("valid");
    s.render(SortBy::By(Column::MaxTime), &columns, &mut out);
    // As `strace -c -w -U ...` lays it out (its figures, our calls).
    assert_eq!(
        out,
        "shortest  longest  usecs/call     seconds % time    errors syscall\n\
         -------- -------- ----------- ----------- ------ --------- ----------------\n\
         0.000010 0.000024          15    0.000046  83.64         1 openat\n\
         0.000009 0.000009           9    0.000009  16.36           close\n\
         -------- -------- ----------- ----------- ------ --------- ----------------\n\
         0.000009 0.000024          13    0.000055 100.00         1 total\n"
    );
    let mut out = String::new();
    s.render(
        SortBy::By(Column::Name),
        &Columns::parse("name,calls").expect("valid"),
        &mut out,
    );
    assert_eq!(
        out,
        "syscall              calls\n---------------- ---------\nclose                    1\n\
         openat                   3\n---------------- ---------\ntotal                    4\n"
    );
    assert_eq!(
        Columns::parse("calls,bogus"),
        Err("unknown column name: 'bogus'".into())
    );
    assert!(Columns::parse("calls,calls").is_err());
}

#[test]
fn equal_rows_stay_in_syscall_number_order() {
    let mut s = Summary::default();
    for nr in [257, 3, 0] {
        s.add(nr, false, 0);
    }
    let mut out = String::new();
    s.render(SortBy::By(Column::TotalTime), &Columns::default(), &mut out);
    let at = |name: &str| out.find(&format!(" {name}\n")).expect("row");
    assert!(
        at("read") < at("close") && at("close") < at("openat"),
        "{out}"
    );
}

#[test]
fn sort_orders() {
    assert_eq!(SortBy::parse("calls"), Some(SortBy::By(Column::Calls)));
    assert_eq!(SortBy::parse("bogus"), None);
    // p50 and p99 sort only when -U shows them: without, the table came out unsorted.
    let p50 = SortBy::parse("p50").expect("p50");
    assert!(!p50.shown_by(&Columns::default()));
    assert!(p50.shown_by(&Columns::parse("calls,p50,name").expect("valid")));
    assert!(
        SortBy::parse("calls")
            .expect("calls")
            .shown_by(&Columns::default())
    );
    let mut s = Summary::default();
    s.add(3, false, 10);
    s.add(0, true, 5);
    let mut out = String::new();
    s.render(SortBy::By(Column::Name), &Columns::default(), &mut out);
    let close = out.find(" close").expect("close row");
    let read = out.find(" read").expect("read row");
    assert!(close < read);
}

#[test]
fn percentile_columns_beyond_strace() {
    let columns = Columns::parse("calls,p50,p99,median").map(|c| c.percentiles());
    assert!(columns.is_err(), "p50 and median are one column");
    let columns = Columns::parse("calls,p50,p99").expect("valid");
    assert!(columns.percentiles() && !Columns::default().percentiles());
    let mut s = Summary::new(true, false);
    // read: 99 calls of 10 us and one of 5 ms.
    for i in 0..100 {
        s.add(0, false, if i == 0 { 5_000_000 } else { 10_000 });
    }
    let mut out = String::new();
    s.render(SortBy::By(Column::P99), &columns, &mut out);
    let read: Vec<&str> = out
        .lines()
        .find(|l| l.ends_with(" read"))
        .expect("read row")
        .split_whitespace()
        .collect();
    assert_eq!(read[..2], ["100", "0.000010"], "{out}");
    assert_eq!(
        read[2], "0.000010",
        "the 99th of 100 calls is a 10 us one: {out}"
    );
    assert!(
        out.starts_with("    calls      p50      p99 syscall\n"),
        "{out}"
    );
    // Without the columns no times are kept.
    let mut plain = Summary::default();
    plain.add(0, false, 1);
    assert!(plain.times.is_none());
}

#[test]
fn every_spelling_strace_6_1_takes_and_tracers_own() {
    // As `strace -c -U NAME` 6.1 accepts them (checked one by one against its headers).
    for (names, header) in [
        ("time,time-percent,time_percent", "% time"),
        ("total-time,total_time,time-total,time_total", "    seconds"),
        ("min-time,min_time,shortest,time-min,time_min", "shortest"),
        ("max-time,max_time,longest,time-max,time_max", " longest"),
        ("avg-time,avg_time,time-avg,time_avg", " usecs/call"),
        ("calls,count", "    calls"),
        ("errors,error", "   errors"),
        ("p50,median,time-p50,time_p50,p50-time,p50_time", "     p50"),
        ("p99,time-p99,time_p99,p99-time,p99_time", "     p99"),
    ] {
        for name in names.split(',') {
            let columns = Columns::parse(name).expect(name);
            let mut out = String::new();
            Summary::new(columns.percentiles(), false).render(
                SortBy::default(),
                &columns,
                &mut out,
            );
            assert_eq!(
                out.lines().next(),
                Some(format!("{header} syscall").as_str())
            );
        }
    }
    for name in ["name", "syscall", "syscall-name", "syscall_name"] {
        assert_eq!(Columns::parse(name), Columns::parse("name"), "{name}");
    }
    assert_eq!(SortBy::parse("time-min"), Some(SortBy::By(Column::MinTime)));
    assert_eq!(SortBy::parse("time_p99"), Some(SortBy::By(Column::P99)));
}

#[test]
fn failures_by_errno_under_strace_s_table() {
    let mut s = Summary::new(false, true);
    // openat: 2 ENOENT, 1 EACCES, 1 success; close: 1 EBADF; read: no failure.
    for ret in [-2, 3, -13, -2] {
        s.count(257, ret, 1_000);
    }
    s.count(3, -9, 500);
    s.count(0, 5, 200);
    let mut table = String::new();
    s.render(SortBy::By(Column::Calls), &Columns::default(), &mut table);
    let mut strace_only = Summary::default();
    for (nr, failed, nanos) in [
        (257, true, 1_000),
        (257, false, 1_000),
        (257, true, 1_000),
        (257, true, 1_000),
        (3, true, 500),
        (0, false, 200),
    ] {
        strace_only.add(nr, failed, nanos);
    }
    let mut plain = String::new();
    strace_only.render(SortBy::By(Column::Calls), &Columns::default(), &mut plain);
    assert_eq!(table, plain, "strace's table is unchanged by -Z");
    let mut errnos = String::new();
    s.render_errnos(SortBy::By(Column::Calls), &mut errnos);
    assert_eq!(
        errnos,
        "   errors errno            syscall\n\
         --------- ---------------- ----------------\n        \
         2 ENOENT           openat\n        \
         1 EACCES           openat\n        \
         1 EBADF            close\n\
         --------- ---------------- ----------------\n        \
         4                  total\n"
    );
    assert_eq!(s.errnos_of(Some(0)), Some(vec![]));
    assert_eq!(s.errnos_of(None), Some(vec![(2, 2), (9, 1), (13, 1)]));
    // Without -Z nothing is kept and nothing printed.
    let mut none = String::new();
    strace_only.render_errnos(SortBy::default(), &mut none);
    assert!(none.is_empty() && strace_only.errnos_of(None).is_none());
}

/// `-c -Z --stats-interval`: an interval whose calls all succeeded has no errno table.
#[test]
fn no_errno_table_without_failures() {
    let mut s = Summary::new(true, true);
    s.count(0, 5, 10);
    let mut out = String::new();
    s.render_errnos(SortBy::default(), &mut out);
    assert_eq!(out, "");
    s.count(0, -2, 10);
    s.render_errnos(SortBy::default(), &mut out);
    assert!(out.contains("ENOENT"), "{out}");
}

#[test]
fn the_next_interval_keeps_the_same_things() {
    let mut s = Summary::new(true, true);
    s.count(0, -4, 10);
    let next = s.fresh();
    assert!(next.is_empty() && next.percentiles());
    assert_eq!(next.errnos_of(None), Some(vec![]));
    let plain = Summary::default().fresh();
    assert!(!plain.percentiles() && plain.errnos_of(None).is_none());
}
