//! `-v` / `--no-abbrev`, `-e abbrev=SET` and `-e verbose=SET` against real strace 6.1: the stat
//! family, statx, uname, execve's argv and environment, poll's arrays and a terminal's termios
//! (tests/workloads/verbose.c), printed in full, as addresses, or abbreviated per syscall,
//! with both backends; and the environment's values masked unless `--no-redact`, text and
//! JSON.

mod common;

use std::{ffi::OsStr, fs, path::Path, process::Command, sync::LazyLock};

use common::*;
use regex::Regex;

/// The calls the workload makes that these options change.
const CALLS: &str = "trace=execve,newfstatat,fstat,stat,lstat,statx,uname,getdents64,poll,ioctl";

/// Stack and heap addresses (ASLR; the launched command's argv is on strace's stack and in
/// tracer's heap).
static ADDRESSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"0x(7[ef]|5[56])[0-9a-f]{10}").expect("regex"));

/// What moves between two runs: the data file's change time (it is written in every run),
/// and every time of /dev/null (anything writing to it moves them).
static CTIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"st_ctime=\d+ /\* [^*]* \*/, st_ctime_nsec=\d+|stx_ctime=\{[^}]*\} /\* [^*]* \*/")
        .expect("regex")
});
static ANY_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"st_[amc]time=\d+ /\* [^*]* \*/, st_[amc]time_nsec=\d+|stx_[abcm]time=\{[^}]*\} /\* [^*]* \*/",
    )
    .expect("regex")
});

/// Runs `program OPTIONS -e CALLS ./verbose` in `dir` with a one-variable environment; the
/// trace with addresses and moving times masked, without the dynamic loader's fstat of fd 3
/// (`newfstatat(3, "", ...)`, the libraries' times).
fn trace(mut program: Command, options: &[&str], dir: &Path) -> String {
    program.env_clear().env("A", "b");
    let options: Vec<&str> = options.iter().copied().chain(["-e", CALLS]).collect();
    let (text, code) = trace_to_file(
        program,
        &options,
        dir,
        &[OsStr::new("--"), dir.join("verbose").as_os_str()],
    );
    assert_eq!(code, Some(0), "verbose with {options:?}: {text}");
    let text = ADDRESSES.replace_all(&text, "0xSTACK");
    text.lines()
        .filter(|l| !l.contains("(3, \"\","))
        .map(|l| match l.contains("/dev/null") {
            true => ANY_TIME.replace_all(l, "TIME").into_owned(),
            false => CTIME.replace_all(l, "TIME").into_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The workload built once per test (each test its own directory: they run in parallel).
fn workload(name: &str) -> std::path::PathBuf {
    let dir = scratch(&format!("verbose-{name}"));
    cc("verbose", &dir);
    // The first run makes the files later runs find (same inodes, same times).
    let status = Command::new(dir.join("verbose"))
        .current_dir(&dir)
        .status()
        .expect("run verbose");
    assert!(status.success());
    dir
}

/// strace's and tracer's lines with `options`, each backend (tracer also given `ours`).
fn same_as_strace(name: &str, options: &[&str], ours: &[&str]) {
    let dir = workload(name);
    let theirs = trace(Command::new("strace"), options, &dir);
    assert!(
        theirs.lines().count() > 10,
        "strace printed too little:\n{theirs}"
    );
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut tracer = tracer();
        tracer.arg(backend).args(ours);
        let text = trace(tracer, options, &dir);
        assert_eq!(text, theirs, "{backend} {options:?}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `-v`: every field of stat, statx, uname and termios (termios2's speeds too), getdents64's
/// entries, argv and poll's arrays past `-s` entries, the environment's strings (compared with `--no-redact`).
#[test]
fn root_no_abbrev_prints_structures_arrays_and_environments_in_full() {
    require_root();
    same_as_strace("v", &["-v", "-s", "16"], &["--no-redact"]);
    same_as_strace("no-abbrev", &["--no-abbrev", "-s", "16"], &["--no-redact"]);
}

/// `-e verbose=none`: what the arguments point to is printed as the address (strings stay).
#[test]
fn root_verbose_none_prints_addresses() {
    require_root();
    same_as_strace("verbose-none", &["-e", "verbose=none"], &[]);
}

/// `-e abbrev=execve`: execve abbreviated (argv cut at `-s`, the environment counted), every
/// other call in full; `-e verbose=!stat,uname` with it.
#[test]
fn root_abbrev_and_verbose_sets_apply_per_syscall() {
    require_root();
    same_as_strace("abbrev-execve", &["-e", "abbrev=execve", "-s", "16"], &[]);
    same_as_strace(
        "verbose-some",
        &["-v", "-e", "verbose=!stat,uname", "-s", "16"],
        &["--no-redact"],
    );
}

/// With `-v` and redaction on (the default), the environment's values are masked in text and
/// JSON, both backends: names and lengths stay, as strace would print them.
#[test]
fn root_an_environment_printed_in_full_is_redacted() {
    require_root();
    let dir = workload("redact");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend);
        let text = trace(ours, &["-v", "-e", "trace=execve"], &dir);
        assert!(
            text.contains(
                r#"["HOME=*********", "PGPASSWORD=*********", "LANG=*", "EMPTY=", "********"]"#
            ),
            "{backend}: {text}"
        );
        assert!(text.contains(r#"["A=*"]"#), "{backend}: {text}");
        assert!(!text.contains("s3cret"), "{backend}: {text}");
        let mut ours = tracer();
        ours.arg(backend);
        let json = trace(ours, &["-v", "--json", "-e", "trace=execve"], &dir);
        assert!(json.contains("PGPASSWORD=*********"), "{backend}: {json}");
        assert!(!json.contains("s3cret"), "{backend}: {json}");
    }
    let _ = fs::remove_dir_all(&dir);
}
