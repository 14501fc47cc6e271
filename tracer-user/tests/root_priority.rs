//! The kernel side never waits for tracer: a ring buffer that fills loses records. So with eBPF
//! tracer's draining thread runs at a raised priority (nice -10, or `--nice N`) that busy traced
//! processes cannot starve, while the traced command keeps the niceness tracer was started with
//! (tracer must not change how the processes it watches run).

mod common;

use std::{
    fs,
    io::{BufRead, BufReader},
    process::Stdio,
};

use common::*;

/// The niceness of a task from its `/proc/.../stat` line (field 19; the name before it, in
/// parentheses, may hold spaces).
fn niceness(stat: &str) -> i32 {
    let fields: Vec<&str> = stat[stat.rfind(')').expect("stat") + 2..]
        .split(' ')
        .collect();
    fields[16].parse().expect("nice field")
}

/// The niceness of each of `pid`'s threads.
fn thread_niceness(pid: u32) -> Vec<i32> {
    fs::read_dir(format!("/proc/{pid}/task"))
        .expect("tracer's threads")
        .filter_map(|t| fs::read_to_string(t.ok()?.path().join("stat")).ok())
        .map(|s| niceness(&s))
        .collect()
}

/// Runs tracer (eBPF) with `args` on a command that prints its own niceness and then waits;
/// returns (the command's niceness, the niceness of tracer's threads while it traced it, once
/// one of them has `expect`, or as they were after a second: the draining thread may set its
/// niceness a moment after the command starts).
fn run(args: &[&str], expect: i32) -> (i32, Vec<i32>) {
    let mut child = tracer()
        .args(["--backend=ebpf", "-o", "/dev/null"])
        .args(args)
        .args(["--", "sh", "-c", "nice; exec sleep 2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run tracer");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the command's niceness");
    // The command runs, so tracer is draining the ring now.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    let mut threads = thread_niceness(child.id());
    while !threads.contains(&expect) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        threads = thread_niceness(child.id());
    }
    let status = child.wait().expect("tracer");
    assert!(status.success(), "{status}");
    (line.trim().parse().expect("a niceness"), threads)
}

fn own_niceness() -> i32 {
    niceness(&fs::read_to_string("/proc/thread-self/stat").expect("own stat"))
}

#[test]
fn root_the_draining_thread_is_raised_and_the_command_keeps_its_niceness() {
    require_root();
    let own = own_niceness();
    let (command, threads) = run(&[], own.min(-10));
    assert_eq!(
        command, own,
        "the traced command keeps the niceness tracer started with"
    );
    assert!(
        threads.contains(&own.min(-10)),
        "tracer drains at nice -10 (or above, if it started so): {threads:?}"
    );
}

#[test]
fn root_nice_sets_the_draining_thread_s_niceness() {
    require_root();
    let own = own_niceness();
    let (command, threads) = run(&["--nice", "5"], 5);
    assert_eq!(command, own);
    assert!(threads.contains(&5), "{threads:?}");
    let (_, threads) = run(&["--nice", "-3"], -3);
    assert!(threads.contains(&-3), "{threads:?}");
}
