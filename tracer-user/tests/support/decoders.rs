//! The harness of the decoder tests (root_decoders*.rs): builds a family's C program
//! (tests/workloads/NAME.c), runs it under real strace 6.1 and under tracer with each backend,
//! masks what differs between two runs (stack addresses, pipe inodes, IPC ids, clock ticks) and
//! compares the lines. A test file includes it next to `mod common;`:
//! `#[path = "support/decoders.rs"] mod decoders;`.
#![allow(
    dead_code,
    reason = "included by several test binaries, each using part of it"
)]

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::LazyLock,
};

use regex::Regex;

use crate::common::*;

/// Builds `tests/workloads/NAME.c` into a scratch directory of its own (tests run in
/// parallel); returns the directory.
pub fn build(name: &str, calls: &str) -> PathBuf {
    let key = calls
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let dir = scratch(&format!("decoders-{name}-{key:08x}"));
    cc(name, &dir);
    dir
}

/// What differs between two runs: stack and mapping addresses (ASLR) and pipe inodes.
pub static ADDRESSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"0x7[ef][0-9a-f]{10}|pipe:\[\d+\]").expect("regex"));

/// System V IPC ids (a kernel counter), with the padding before ` = ` their width moves.
pub static SHM_IDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^((?:shm|msg|sem)get\(.*\)) += \d+$|^(shmat|shmctl|msgctl|semctl)\(\d+(.*\)) += ",
    )
    .expect("regex")
});

/// What times returns: clock ticks since boot, which move between two runs.
pub static TICKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^(times\(.*\)) += \d+$").expect("regex"));

/// The process's own clock ticks in times' struct, which a tick falling in its run makes 1
/// (` /* 0.01 s */`): not the same in two runs.
static OWN_TICKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(tms_[a-z]+=)\d+(?: /\* [0-9.]+ s \*/)?").expect("regex"));

/// Runs `program OPTIONS -e trace=CALLS ./NAME` in `dir`; returns the trace with addresses
/// masked.
pub fn trace(program: Command, options: &[&str], dir: &Path, name: &str, calls: &str) -> String {
    let calls = format!("trace={calls}");
    let options: Vec<&str> = options.iter().copied().chain(["-e", &calls]).collect();
    let (text, code) = trace_to_file(
        program,
        &options,
        dir,
        &["--".as_ref(), dir.join(name).as_os_str()],
    );
    assert_eq!(code, Some(0), "{name} with {options:?}");
    let text = ADDRESSES.replace_all(&text, |c: &regex::Captures<'_>| {
        if c[0].starts_with("pipe") {
            "pipe:[INODE]"
        } else {
            "0xSTACK"
        }
    });
    let text = SHM_IDS.replace_all(&text, |c: &regex::Captures<'_>| match c.get(1) {
        Some(call) => format!("{} = ID", call.as_str()),
        None => format!("{}(ID{} = ", &c[2], &c[3]),
    });
    let text = OWN_TICKS.replace_all(&text, "${1}T");
    TICKS.replace_all(&text, "$1 = TICKS").into_owned()
}

/// strace's and tracer's lines for program NAME, with each backend.
pub fn same_as_strace(name: &str, calls: &str) {
    same_as_strace_with(&[], name, calls);
}

/// The same, both run with `options`.
pub fn same_as_strace_with(options: &[&str], name: &str, calls: &str) {
    masked_as_strace(options, name, calls, str::to_string, false);
}

/// strace's and tracer's lines for program NAME run with `options`, each passed through
/// `mask` (what differs between two runs). `ebpf_may_omit_names`: with eBPF an fd named
/// from /proc may be bare (the process closed it before its record was read); a name it
/// does print must be strace's.
pub fn masked_as_strace(
    options: &[&str],
    name: &str,
    calls: &str,
    mask: impl Fn(&str) -> String,
    ebpf_may_omit_names: bool,
) {
    let dir = build(name, &format!("{options:?}{calls}"));
    let mask = |text: &str| adjacent_resumed_joined(&mask(text));
    let theirs = mask(&trace(Command::new("strace"), options, &dir, name, calls));
    assert!(
        theirs.lines().count() > 10,
        "strace printed too little:\n{theirs}"
    );
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend);
        let text = mask(&trace(ours, options, &dir, name, calls));
        if ebpf_may_omit_names && backend == "--backend=ebpf" {
            assert_names_within(&text, &theirs);
        } else {
            assert_eq!(text, theirs, "{name} with {backend} {options:?}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `text` with each call cut by nothing (`X(a <unfinished ...>` then at once `<... X resumed>)
/// = 0`, the same line repeated in between) printed whole, `X(a) = 0`: strace cuts a call
/// when another task's event comes, even one `-qq` then hides (a killed child's `+++`), and
/// once printed the same start twice; nothing is lost by joining them.
pub fn adjacent_resumed_joined(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some((head, name)) = &open {
            if line == format!("{head} <unfinished ...>") {
                continue;
            }
            // The pid column, if any, then the marker.
            let prefix = &head[..head.len()
                - head
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
                    .len()];
            let resumed = format!("{prefix}<... {name} resumed>");
            if let Some(tail) = line.strip_prefix(&resumed) {
                out.pop();
                out.push(format!("{head}{tail}"));
                open = None;
                continue;
            }
        }
        open = line.strip_suffix(" <unfinished ...>").and_then(|head| {
            let name = head.split('(').next()?.rsplit(' ').next()?;
            Some((head.to_string(), name.to_string()))
        });
        out.push(line.to_string());
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// A line without its fds' `<...>` names, and each name with where it stood.
pub fn fd_names(line: &str) -> (String, Vec<(usize, String)>) {
    let (mut bare, mut names) = (String::new(), Vec::new());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        bare.push(c);
        if !(c.is_ascii_digit() && chars.peek() == Some(&'<')) {
            continue;
        }
        let (mut depth, mut name) = (0, String::new());
        for n in chars.by_ref() {
            name.push(n);
            depth += match n {
                '<' => 1,
                '>' => -1,
                _ => 0,
            };
            if depth == 0 {
                break;
            }
        }
        names.push((bare.len(), name));
    }
    (bare, names)
}

/// `ours` has strace's lines, where an fd may lack its name but never has another one.
pub fn assert_names_within(ours: &str, theirs: &str) {
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    assert_eq!(a.len(), b.len(), "line counts:\n{ours}\nstrace:\n{theirs}");
    for (o, t) in a.iter().zip(&b) {
        let ((o_bare, o_names), (t_bare, t_names)) = (fd_names(o), fd_names(t));
        assert_eq!(o_bare, t_bare, "{o}\nstrace: {t}");
        assert!(
            o_names.iter().all(|n| t_names.contains(n)),
            "{o}\nstrace: {t}"
        );
    }
}

/// Socket inodes, pty numbers and pids (each run's own), and the padding before ` = ` their
/// width moves.
pub fn run_ids(text: &str) -> String {
    static IDS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"(UNIX-STREAM|UNIX|UDP|socket):\[[0-9>-]+\]", "$1:[INODE]"),
            (r"/dev/pts/\d+", "/dev/pts/N"),
            (r"char 136:\d+", "char 136:N"),
            (r"pid:\d+", "pid:N"),
            (r"\) +=", ") ="),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("regex"), to))
        .collect()
    });
    replaced(text, &IDS)
}

/// `text` with each rule's pattern replaced, in order (`Regex::replace_all`'s `$1` syntax):
/// the masks of what differs between two runs.
pub fn replaced(text: &str, rules: &[(Regex, &str)]) -> String {
    rules.iter().fold(text.to_string(), |text, (re, to)| {
        re.replace_all(&text, *to).into_owned()
    })
}
