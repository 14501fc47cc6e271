//! The process model and strace's debugging options, with real eBPF (root): signals and
//! exits, cut and resumed lines, -ff, filters, timestamps, summaries, --match. Where strace
//! has the option, its output on the same workload is the reference.

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{
    fs,
    path::PathBuf,
    process::{Command, Stdio},
};

use common::*;
use regex::Regex;

fn stories() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stories.py")
}

/// Runs `program FLAGS -o OUT /usr/bin/python3 stories.py ARGS`; returns OUT's text.
fn run(program: &mut Command, flags: &[&str], out: &std::path::Path, args: &[&str]) -> String {
    let status = program
        .args(flags)
        .arg("-o")
        .arg(out)
        .args(["--", "/usr/bin/python3"])
        .arg(stories())
        .args(args)
        .status()
        .expect("run the workload");
    assert!(status.success(), "{program:?}: {status}");
    fs::read_to_string(out).expect("trace file")
}

/// Normalised lines of both traces that start with one of `prefixes`.
fn both(
    flags: &[&str],
    args: &[&str],
    name: &str,
    prefixes: &[&str],
) -> (Vec<String>, Vec<String>) {
    require_root();
    let dir = scratch(name);
    let pick = |text: &str| -> Vec<String> {
        normalize::file(text)
            .into_iter()
            .filter(|l| prefixes.iter().any(|p| l.starts_with(p)))
            .collect()
    };
    let strace = pick(&run(
        &mut Command::new("strace"),
        flags,
        &dir.join("s"),
        args,
    ));
    let ours = pick(&run(&mut tracer(), flags, &dir.join("t"), args));
    let _ = fs::remove_dir_all(&dir);
    (strace, ours)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn root_signals_and_ends_of_processes_read_as_strace_prints_them() {
    let (strace, ours) = both(&["-f"], &["signals"], "signals", &["---", "+++"]);
    assert!(
        strace.iter().any(|l| l.contains("si_code=CLD_KILLED")),
        "{strace:#?}"
    );
    assert_eq!(sorted(ours), sorted(strace));
}

/// `-e signal=` sets that leave the fatal signal out drop its `+++ killed by` line, as strace
/// does (the `+++ exited with` lines stay: only -e quiet=exit drops those).
#[test]
fn root_a_signal_set_without_the_fatal_signal_drops_the_killed_line() {
    for set in ["signal=none", "signal=SIGCHLD"] {
        let (strace, ours) = both(
            &["-f", "-e", set],
            &["signals"],
            "signal-set",
            &["---", "+++"],
        );
        assert!(
            strace.iter().any(|l| l.starts_with("+++ exited with")),
            "{set}: {strace:#?}"
        );
        assert!(
            !strace.iter().any(|l| l.contains("killed by")),
            "{set}: {strace:#?}"
        );
        assert_eq!(sorted(ours), sorted(strace), "{set}");
    }
}

#[test]
fn root_a_forked_child_killed_by_a_signal() {
    let (strace, ours) = both(
        &["-f"],
        &["enomem-child"],
        "enomem",
        &[
            "---",
            "+++",
            "mmap(NULL, 4294967296",
            "mprotect(0x7ffffff00000",
        ],
    );
    assert!(
        ours.iter().any(|l| l == "+++ killed by SIGTRAP +++"),
        "{ours:#?}"
    );
    assert_eq!(sorted(ours), sorted(strace));
}

#[test]
fn root_a_blocked_call_is_cut_and_resumed_when_another_thread_prints() {
    require_root();
    let dir = scratch("cut");
    let text = run(&mut tracer(), &["-f"], &dir.join("t"), &["blocked-reader"]);
    let _ = fs::remove_dir_all(&dir);
    // The reading thread's line is cut by the main thread's lines (strace's -f -o form).
    let cut = Regex::new(r"(?m)^(\d+) +read\((\d+),  <unfinished \.\.\.>$").expect("regex");
    let caps = cut
        .captures(&text)
        .unwrap_or_else(|| panic!("no cut read in:\n{text}"));
    let (tid, fd) = (&caps[1], &caps[2]);
    let resumed = format!(r#"{tid} <... read resumed>"x", 1) = 1"#);
    let squeezed: Vec<String> = text
        .lines()
        .map(|l| {
            Regex::new(r"\s+= ")
                .expect("regex")
                .replace(l, " = ")
                .into_owned()
        })
        .map(|l| {
            Regex::new(r"^(\d+) +")
                .expect("regex")
                .replace(&l, "$1 ")
                .into_owned()
        })
        .collect();
    assert!(squeezed.contains(&resumed), "no `{resumed}` in:\n{text}");
    let write_at = squeezed
        .iter()
        .position(|l| l.contains(r#"write("#) && l.contains(r#""x", 1)"#));
    let cut_at = squeezed
        .iter()
        .position(|l| l.contains(&format!("read({fd},  <unfinished")));
    assert!(
        cut_at < write_at,
        "the read starts before the write:\n{text}"
    );
}

#[test]
fn root_ff_writes_one_file_per_process_without_prefixes() {
    require_root();
    let dir = scratch("ff");
    let prefix = dir.join("trace");
    let status = tracer()
        .args(["-ff", "-o"])
        .arg(&prefix)
        .args(["--", "sh", "-c", "/bin/true; exit 0"])
        .status()
        .expect("run tracer");
    assert!(status.success());
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read_to_string(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(files.len(), 2, "{files:#?}");
    assert!(files.iter().all(|(n, _)| n.starts_with("trace.")));
    let child = files
        .iter()
        .find(|(_, t)| t.contains(r#"execve("/bin/true""#))
        .unwrap_or_else(|| panic!("no file for the child: {files:#?}"));
    assert!(child.1.ends_with("+++ exited with 0 +++\n"), "{}", child.1);
    for (_, text) in &files {
        assert!(!text.contains("[pid"), "{text}");
    }
}

#[test]
fn root_trace_status_and_path_filters_match_strace() {
    for flags in [
        &["-f", "-e", "trace=%file,%process", "-Z"][..],
        &["-f", "-e", "trace=!%memory,%signal", "-z"][..],
        &["-f", "-P", "/etc/hostname"][..],
    ] {
        require_root();
        let dir = scratch("filters");
        let trace = |program: &mut Command, out: &str| {
            let file = dir.join(out);
            let status = program
                .args(flags)
                .arg("-o")
                .arg(&file)
                .args(["--", "cat", "/etc/hostname", "/nonexistent"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run");
            assert_eq!(status.code(), Some(1));
            normalize::file(&fs::read_to_string(&file).expect("trace"))
        };
        let strace = trace(&mut Command::new("strace"), "s");
        let ours = trace(&mut tracer(), "t");
        let _ = fs::remove_dir_all(&dir);
        assert!(!ours.is_empty());
        assert_eq!(ours, strace, "with {flags:?}");
    }
}

#[test]
fn root_timestamps_and_durations() {
    require_root();
    let out = tracer()
        .args([
            "-tt",
            "-T",
            "-e",
            "trace=close",
            "--",
            "cat",
            "/etc/hostname",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = Regex::new(r"^\d\d:\d\d:\d\d\.\d{6} close\(\d+\)\s+= 0 <\d+\.\d{6}>$").expect("re");
    let closes: Vec<&str> = text.lines().filter(|l| l.contains("close(")).collect();
    assert!(
        !closes.is_empty(),
        "{text}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for l in closes {
        assert!(line.is_match(l), "{l}");
    }
    let out = tracer()
        .args(["-r", "-e", "trace=close", "--", "cat", "/etc/hostname"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    // cat's own output shares the pipe: look at the trace lines only.
    let first = text
        .lines()
        .find(|l| l.contains("close("))
        .unwrap_or_default();
    assert!(first.starts_with("     0.000000 close("), "{text}");
}

/// `-c`'s rows as (syscall, calls, errors).
fn counts(text: &str) -> Vec<(String, u64, u64)> {
    let row = Regex::new(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d*)\s+(\w+)$").expect("re");
    text.lines()
        .filter_map(|l| row.captures(l))
        .map(|c| {
            (
                c[3].to_string(),
                c[1].parse().unwrap_or(0),
                c[2].parse().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn root_summary_counts_calls_and_errors_as_strace_does() {
    require_root();
    let dir = scratch("summary");
    let args = [
        "-c",
        "-S",
        "name",
        "-e",
        "trace=openat,close,read,fstat,newfstatat",
    ];
    let run = |program: &mut Command, out: &str| {
        let file = dir.join(out);
        program
            .args(args)
            .arg("-o")
            .arg(&file)
            .args(["--", "cat", "/etc/hostname", "/nonexistent"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run");
        fs::read_to_string(&file).expect("summary")
    };
    let strace = run(&mut Command::new("strace"), "s");
    let ours = run(&mut tracer(), "t");
    let _ = fs::remove_dir_all(&dir);
    assert!(ours.starts_with("% time     seconds  usecs/call     calls    errors syscall\n"));
    assert!(!ours.contains("+++"), "{ours}");
    assert_eq!(
        counts(&ours),
        counts(&strace),
        "ours:\n{ours}\nstrace:\n{strace}"
    );
}

#[test]
fn root_match_keeps_only_matching_calls_and_the_kernel_drops_the_rest() {
    require_root();
    let dir = scratch("match");
    let record = dir.join("rec");
    let script = r#"
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
for i in range(20):
    c.send(b"x" * 3000 + (b"READ" + b" ONLY" if i == 7 else b"read" + b" write"))
    a.recv(8000)
"#;
    // `--no-redact`: with redaction on, the data calls reach userspace whatever the kernel's
    // filter says (the redactor follows every stream: `tests/root_redact2.rs`), so the
    // kernel's own dropping shows only without it.
    let out = tracer()
        .args([
            "--no-redact",
            "--match",
            "READ ONLY",
            "-s",
            "4096",
            "-e",
            "trace=sendto,recvfrom",
            "--record",
        ])
        .arg(&record)
        .args(["--", "/usr/bin/python3", "-c", script])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("+++")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("sendto(") && lines[1].starts_with("recvfrom("),
        "{text}"
    );
    assert!(
        lines[1].contains(" /* fd ") && lines[1].contains(": accepted from 127.0.0.1:"),
        "{}",
        lines[1]
    );
    // The kernel wrote only the matching records (and the calls fds are followed through).
    // The script builds its strings from halves: the launched command's execve is recorded
    // (its exec is watched whatever -e trace= says) and its argv must not count.
    let recorded = fs::read(&record).expect("recording");
    let sends = recorded.windows(9).filter(|w| *w == b"READ ONLY").count();
    let others = recorded.windows(10).filter(|w| *w == b"read write").count();
    let _ = fs::remove_dir_all(&dir);
    assert_eq!((sends, others), (2, 0));
}

/// The seconds column of `-c`'s row for `name`.
fn seconds(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.ends_with(&format!(" {name}")))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no {name} row in:\n{text}"))
}

#[test]
fn root_summary_counts_cpu_time_unless_w_asks_for_wall_clock() {
    require_root();
    let dir = scratch("summary-time");
    let run = |backend: &str, extra: &[&str], out: &str| {
        let file = dir.join(out);
        let status = tracer()
            .args([backend, "-c", "-e", "trace=clock_nanosleep"])
            .args(extra)
            .arg("-o")
            .arg(&file)
            .args(["--", "sleep", "0.3"])
            .status()
            .expect("run");
        assert!(status.success());
        fs::read_to_string(&file).expect("summary")
    };
    // Both backends count what strace counts (the ptrace backend counted wall time).
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let cpu = seconds(&run(backend, &[], "cpu"), "clock_nanosleep");
        let wall = seconds(&run(backend, &["-w"], "wall"), "clock_nanosleep");
        // Sleeping costs next to no CPU; it takes the time asked for.
        assert!(cpu < 0.05, "{backend}: cpu {cpu}");
        assert!(wall >= 0.29, "{backend}: wall {wall}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_signal_handler_return_shows_as_rt_sigreturn_as_strace_shows_it() {
    require_root();
    // rt_sigreturn sets orig_ax to -1 when it restores the registers: its exit carries no
    // syscall number, and a tracer that looks only there loses the line.
    let script = "import os, signal\n\
                  signal.signal(signal.SIGUSR1, lambda *a: None)\n\
                  os.kill(os.getpid(), signal.SIGUSR1)\n";
    let lines = |program: &mut Command| -> Vec<String> {
        let out = program
            .args(["-e", "trace=rt_sigreturn,kill", "--"])
            .args(["/usr/bin/python3", "-c", script])
            .output()
            .expect("run");
        assert!(out.status.success());
        // strace writes to stderr, tracer to stdout.
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        text.lines()
            .filter(|l| l.starts_with("rt_sigreturn("))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let strace = lines(&mut Command::new("strace"));
    assert_eq!(strace, ["rt_sigreturn({mask=[]}) = 0"]);
    assert_eq!(lines(&mut tracer()), strace);
    assert_eq!(lines(tracer().arg("--backend=ptrace")), strace);
}

/// The attach messages for -f children on stderr (tracer says `tracer: process N attached`
/// where strace says `strace: Process N attached`): as many as strace prints, both backends,
/// with strace's quiet rules (-q, -e quiet=attach, and -o FILE quiet unless -e quiet= is given).
#[test]
fn root_followed_children_are_announced_as_strace_announces_them() {
    require_root();
    let dir = scratch("announce");
    let out = dir.join("o").to_str().expect("path").to_string();
    let count = |program: &mut Command, flags: &[&str]| -> usize {
        let run = program
            .args(["-f", "-e", "trace=none"])
            .args(flags)
            .args(["sh", "-c", "/bin/true; /bin/true"])
            .output()
            .expect("run");
        assert!(run.status.success(), "{program:?}");
        let attached = Regex::new(r"^(strace|tracer): [Pp]rocess \d+ attached$").expect("re");
        String::from_utf8_lossy(&run.stderr)
            .lines()
            .filter(|l| attached.is_match(l))
            .count()
    };
    let cases: [&[&str]; 5] = [
        &[],
        &["-q"],
        &["-e", "quiet=attach"],
        &["-o", &out],
        &["-e", "quiet=exit", "-o", &out],
    ];
    for flags in cases {
        let want = count(&mut Command::new("strace"), flags);
        for backend in ["ebpf", "ptrace"] {
            let got = count(tracer().args(["--backend", backend]), flags);
            assert_eq!(got, want, "{backend} {flags:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
