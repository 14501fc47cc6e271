//! strace's options, spelled as strace users type them, against real strace 6.1 on the same
//! small C program, with both backends: the same lines once times and pids are masked
//! (keeping their shape: digits, precision, padding).

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::LazyLock,
};

use common::*;
use regex::Regex;

/// A program whose calls have exact arguments: a write to /dev/null, a failed open, a
/// fork whose child exits with 4, then exit 3.
const WORKLOAD: &str = r#"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int fd = open("/dev/null", O_WRONLY);
    write(fd, "hello\n\x01", 7);
    close(fd);
    open("/nonexistent/tracer-cli", O_RDONLY);
    pid_t child = fork();
    if (child == 0) {
        umask(022);
        _exit(4);
    }
    waitpid(child, 0, 0);
    umask(077);
    return 3;
}
"#;

/// The calls compared (the dynamic loader's opens and closes are the same in both runs).
const CALLS: &str = "trace=openat,write,close,umask,exit_group";

static PROGRAM: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = scratch("cli-workload");
    let source = dir.join("w.c");
    fs::write(&source, WORKLOAD).expect("write source");
    let program = dir.join("w");
    let status = Command::new("cc")
        .arg("-O0")
        .arg("-o")
        .arg(&program)
        .arg(&source)
        .status()
        .expect("run cc");
    assert!(status.success(), "cc failed");
    program
});

static MASKS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        // -f -o FILE: the pid column.
        (r"(?m)^\d+ +", "PID "),
        (r"\[pid +\d+\]", "[pid PID]"),
        (r"si_pid=\d+", "si_pid=PID"),
        // -e raw=: pointers differ between runs (ASLR).
        (r"0x[0-9a-f]{9,}", "0xADDR"),
    ]
    .into_iter()
    .map(|(re, to)| (Regex::new(re).expect("regex"), to))
    .collect()
});

/// Times (line stamps, `<durations>`) keep their shape with every digit made 9.
static TIMES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)(^(PID )?(\[ *\d+\] )?[\d:. ]+ |<[\d.]+>$)").expect("regex"));

fn mask(text: &str) -> String {
    let text = mask_pids(text);
    TIMES
        .replace_all(&text, |c: &regex::Captures<'_>| {
            c[0].chars()
                .map(|ch| if ch.is_ascii_digit() { '9' } else { ch })
                .collect::<String>()
        })
        .into_owned()
}

/// Pids masked, nothing else (for -c tables, whose rows start with numbers too).
fn mask_pids(text: &str) -> String {
    let mut text = text.to_string();
    for (re, to) in MASKS.iter() {
        text = re.replace_all(&text, *to).into_owned();
    }
    text
}

/// Runs `program OPTIONS -o OUT -e CALLS WORKLOAD` in `dir`; returns OUT's text and the exit
/// status.
fn run(program: Command, options: &[&str], dir: &Path) -> (String, Option<i32>) {
    let args = [
        "-e".as_ref(),
        CALLS.as_ref(),
        "--".as_ref(),
        PROGRAM.as_os_str(),
    ];
    trace_to_file(program, options, dir, &args)
}

/// The same trace from strace and from tracer (each backend) with `options`.
fn same_as_strace(options: &[&str]) {
    compare_with_strace(options, mask);
}

/// The same `-c` / `-C` output, times made equal by `-O` where they are shown.
fn same_table_as_strace(options: &[&str]) {
    compare_with_strace(options, mask_pids);
}

fn compare_with_strace(options: &[&str], mask: fn(&str) -> String) {
    let dir = scratch(&format!("cli-{}", options.join("").replace('/', "_")));
    let (theirs, status) = run(Command::new("strace"), options, &dir);
    assert!(!theirs.is_empty(), "strace {options:?} wrote nothing");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend);
        let (text, code) = run(ours, options, &dir);
        assert_eq!(code, status, "{backend} {options:?}");
        assert_eq!(mask(&text), mask(&theirs), "{backend} {options:?}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_getopt_spellings_trace_as_strace() {
    require_root();
    for options in [
        &["-f", "-s8"][..],
        &["-fs", "8"],
        &["-f", "--string-limit", "8"],
        &["-f", "--string-limit=8"],
        &["--follow-forks", "--string-l=8"],
        &["-fxs6"],
        &["-fyy"],
        &["-f", "-etrace=write", "-e", "signal=none"],
    ] {
        same_as_strace(options);
    }
}

/// An option given twice takes its last value, a flag repeated is the flag, as strace's getopt.
#[test]
fn root_repeated_options_as_strace() {
    require_root();
    for options in [
        &["-s", "3", "-s", "6"][..],
        &["-s3", "--string-limit=6"],
        &["-a", "10", "-a", "50"],
        &["-z", "-z"],
        &["-Z", "-Z"],
        &["-T", "-T"],
        &["-T", "--syscall-times=ms"],
        &["-X", "raw", "-X", "abbrev"],
    ] {
        same_as_strace(options);
    }
}

#[test]
fn root_columns_and_syscall_numbers_as_strace() {
    require_root();
    for options in [
        &["-a", "20"][..],
        &["-a0"],
        &["--columns=60"],
        // strace numbers a signal line with the task's latest call even when -e trace=
        // leaves it out; tracer only sees the calls it traces.
        &["-n", "-e", "signal=none"],
        &["-f", "-n", "-a30", "-e", "signal=none"],
    ] {
        same_as_strace(options);
    }
}

#[test]
fn root_timestamps_and_precisions_as_strace() {
    require_root();
    for options in [
        &["-t"][..],
        &["-tt"],
        &["-fttt"],
        &["-r"],
        &["--relative-timestamps=ms"],
        &["--relative-timestamps=s"],
        &["--absolute-timestamps=unix,ms"],
        &["--timestamps=time,ns"],
        &["--timestamps=format:unix,precision:s"],
        &["--timestamps=none"],
        &["-T"],
        &["--syscall-times=ns"],
        &["--syscall-times=s"],
        &["-fttT"],
    ] {
        same_as_strace(options);
    }
}

#[test]
fn root_quiet_hex_and_fd_spellings_as_strace() {
    require_root();
    for options in [
        &["-f", "-q"][..],
        &["-f", "-qq"],
        &["-f", "-qqq"],
        &["-f", "-e", "quiet=exit"],
        &["-f", "--quiet=attach,exit"],
        &["-f", "--silent=!exit"],
        &["-x"],
        &["--strings-in-hex=all"],
        &["--strings-in-hex=non-ascii"],
        &["--strings-in-hex=non-ascii-chars"],
        &["--decode-fds"],
        &["--decode-fds=all"],
        &["-e", "decode-fds=path"],
    ] {
        same_as_strace(options);
    }
}

/// strace's `-ff -o PREFIX` / `--output-separately`: one file per process, PREFIX.PID.
fn per_process_files(program: Command, options: &[&str], dir: &Path) -> Vec<String> {
    run(program, options, dir);
    let mut texts: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            name.starts_with("trace.")
                .then(|| mask(&fs::read_to_string(&path).unwrap_or_default()))
        })
        .collect();
    texts.sort();
    for entry in fs::read_dir(dir).expect("list").flatten() {
        let _ = fs::remove_file(entry.path());
    }
    texts
}

#[test]
fn root_output_separately_and_append_as_strace() {
    require_root();
    let dir = scratch("cli-separately");
    // strace 6.1: -f's count decides, so `-f --output-separately` writes one file.
    for (options, files) in [
        (&["-ff"][..], 2),
        (&["--follow-forks", "--output-separately"], 2),
        (&["-f", "--output-separately"], 0),
    ] {
        let theirs = per_process_files(Command::new("strace"), options, &dir);
        assert_eq!(theirs.len(), files, "{theirs:?}");
        for backend in ["--backend=ebpf", "--backend=ptrace"] {
            let mut ours = tracer();
            ours.arg(backend);
            assert_eq!(
                per_process_files(ours, options, &dir),
                theirs,
                "{backend} {options:?}"
            );
        }
    }
    // -A: the file is appended to, not truncated.
    let out = dir.join("trace");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        fs::write(&out, "kept\n").expect("write");
        let status = tracer()
            .args([backend, "-A", "-o"])
            .arg(&out)
            .args(["-e", "trace=umask", "-e", "signal=none", "--"])
            .arg(&*PROGRAM)
            .status()
            .expect("run tracer");
        assert_eq!(status.code(), Some(3));
        assert_eq!(
            fs::read_to_string(&out).expect("read"),
            "kept\numask(077)                              = 022\n+++ exited with 3 +++\n",
            "{backend}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_output_piped_to_a_command_as_strace() {
    require_root();
    let dir = scratch("cli-pipe");
    let piped = |program: Command, name: &str, bar: char| -> String {
        let file = dir.join(name);
        let mut program = program;
        let status = program
            .arg("-o")
            .arg(format!("{bar}tr a-z A-Z > {}", file.display()))
            .args(["-e", "trace=umask", "-e", "signal=none", "--"])
            .arg(&*PROGRAM)
            .status()
            .expect("run");
        assert_eq!(status.code(), Some(3));
        // The command has finished when tracer exits: the file is complete.
        fs::read_to_string(&file).expect("piped output")
    };
    let theirs = piped(Command::new("strace"), "s", '|');
    assert!(theirs.starts_with("UMASK(077)"), "{theirs}");
    for (backend, bar) in [("--backend=ebpf", '|'), ("--backend=ptrace", '!')] {
        let mut ours = tracer();
        ours.arg(backend);
        assert_eq!(piped(ours, "t", bar), theirs, "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_summary_tables_as_strace() {
    require_root();
    for options in [
        // Counts, errors, names and row order: the exit_group row, equal rows.
        &["-f", "-c", "-O", "1s", "-U", "calls,errors,name"][..],
        &["-f", "-c", "-S", "calls", "-U", "name,calls,errors"],
        &["-f", "-c", "-S", "name", "-U", "errors,calls"],
        &["-f", "-c", "-S", "nothing", "-U", "calls,errors"],
        &["-f", "-c", "-S", "errors", "-U", "calls,errors"],
        // -c -z counts every call, as strace 6.1 does (-c -Z too, with a breakdown by
        // errno under the table: tests/root_summary.rs).
        &["-f", "-c", "-z", "-S", "name", "-U", "calls,errors"],
        &["-f", "-C", "-S", "name", "-U", "calls,errors"],
        // Every time column, made 0 by an overhead larger than any call (-O).
        &["-f", "-c", "-O", "1s", "-S", "name"],
        &["-f", "-c", "-w", "-O", "1s", "-S", "calls"],
        &[
            "-f",
            "-c",
            "-O1000ms",
            "-S",
            "min-time",
            "-U",
            "min-time,max-time,avg-time,name",
        ],
        &[
            "-f",
            "-c",
            "-O",
            "1000000",
            "-S",
            "avg-time",
            "-U",
            "time-percent,total-time,calls",
        ],
        &[
            "-f",
            "-c",
            "-O",
            "1000000000ns",
            "-S",
            "max-time",
            "-U",
            "max-time,calls",
        ],
    ] {
        same_table_as_strace(options);
    }
}

/// `-E` and `-u`: the launched command's environment and user, as its own write shows them.
#[test]
fn root_environment_and_user_changes_as_strace() {
    require_root();
    let dir = scratch("cli-startup");
    let script =
        r#"printf "%s|%s|%s|%s\n" "$FOO" "${BAR-unset}" "$(id -u)" "$(id -g)" > /dev/null"#;
    let traced = |mut program: Command, options: &[&str]| -> String {
        let out = dir.join("trace");
        let status = program
            .env("BAR", "set")
            .args(options)
            .arg("-o")
            .arg(&out)
            .args([
                "-e",
                "trace=write",
                "-e",
                "signal=none",
                "--",
                "sh",
                "-c",
                script,
            ])
            .status()
            .expect("run");
        assert!(status.success(), "{options:?}");
        fs::read_to_string(&out).expect("trace")
    };
    for options in [
        &["-E", "FOO=one", "-E", "BAR"][..],
        &["-EFOO=a=b", "--env=FOO=two"],
        &["-u", "nobody", "-E", "FOO=x"],
        &["--user=nobody"],
    ] {
        let theirs = traced(Command::new("strace"), options);
        assert!(theirs.starts_with("write(1, "), "{theirs}");
        for backend in ["--backend=ebpf", "--backend=ptrace"] {
            let mut ours = tracer();
            ours.arg(backend);
            assert_eq!(traced(ours, options), theirs, "{backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_raw_arguments_as_strace() {
    require_root();
    for options in [
        &["-e", "raw=openat,umask,write"][..],
        &["--raw=all"],
        &["-f", "-e", "raw=!umask"],
        &["-e", "raw=%file", "-y"],
    ] {
        same_as_strace(options);
    }
}
