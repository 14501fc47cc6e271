//! strace's text format: `name(args) = ret`, the return value aligned at column 40.

use std::fmt::Write as _;

use crate::{
    decode::{Arg, Syscall},
    fdtable::FdNames,
    format::{
        quote::Style,
        value::{Writer, comm_into},
    },
};

use super::text_options::{Prefix, TextOptions};

/// Appends the line prefix for task `tid`.
pub fn prefix_into(prefix: Prefix, tid: u32, out: &mut String) {
    prefix_comm_into(prefix, tid, None, Style::Octal, out);
}

/// Appends the line prefix for task `tid` named `comm` (`-Y`): `[pid  1234<name>] `, or
/// with `-o FILE` `1234<name> ` (strace does not pad the pid then).
pub fn prefix_comm_into(
    prefix: Prefix,
    tid: u32,
    comm: Option<&[u8]>,
    style: Style,
    out: &mut String,
) {
    match (prefix, comm) {
        (Prefix::None, _) => {}
        (Prefix::Bracket, None) => {
            let _ = write!(out, "[pid {tid:>5}] ");
        }
        (Prefix::Bracket, Some(comm)) => {
            let _ = write!(out, "[pid {tid:>5}");
            comm_into(comm, style, out);
            out.push_str("] ");
        }
        (Prefix::Plain, None) => {
            let _ = write!(out, "{tid:<5} ");
        }
        (Prefix::Plain, Some(comm)) => {
            let _ = write!(out, "{tid}");
            comm_into(comm, style, out);
            out.push(' ');
        }
    }
}

/// Where strace splits a call's line when another task's output comes between its start and
/// its end: the arguments it printed when the call started, and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Arguments printed at the start (`usize::MAX`: all).
    pub at_entry: usize,
    /// The separator after them belongs to the end (`clone(..., flags=X <unfinished ...>` then
    /// `<... clone resumed>, child_tidptr=...`) rather than to the start (`read(3, `).
    pub comma_at_exit: bool,
}

impl Split {
    /// Everything is known at the start.
    pub const ALL: Split = Split {
        at_entry: usize::MAX,
        comma_at_exit: false,
    };
}

/// Appends one syscall line, newline included.
pub fn syscall_line(sc: &Syscall, opts: &TextOptions, fds: Option<&dyn FdNames>, out: &mut String) {
    let start = out.len();
    prefix_into(opts.prefix, sc.tid, out);
    if sc.resumed {
        resumed_into(&sc.name, out);
        call_end(sc, Split::ALL, opts, fds, start, out);
    } else {
        call_start(sc, Split::ALL, opts, fds, out);
        call_end(sc, Split::ALL, opts, fds, start, out);
    }
    out.push('\n');
}

/// One argument as strace renders it.
pub fn arg_text(arg: &Arg, opts: &TextOptions, fds: Option<&dyn FdNames>, tgid: u32) -> String {
    let mut out = String::new();
    Writer { opts, fds, tgid }.arg(arg, &mut out);
    out
}

/// `<... name resumed>`.
pub fn resumed_into(name: &str, out: &mut String) {
    let _ = write!(out, "<... {name} resumed>");
}

/// `name(` and the arguments printed when the call starts.
pub fn call_start(
    sc: &Syscall,
    split: Split,
    opts: &TextOptions,
    fds: Option<&dyn FdNames>,
    out: &mut String,
) {
    call_start_marked(sc, split, opts, fds, out, None);
}

/// The whole line of a call, without prefix or newline (`Split::ALL`), noting in `marks`
/// where each argument's value is in `out` (after `name=` for a named one): the JSON
/// `message`, whose pieces are its arguments' `text`, formatted once.
pub fn call_line_marked(
    sc: &Syscall,
    opts: &TextOptions,
    fds: Option<&dyn FdNames>,
    out: &mut String,
    marks: &mut Vec<std::ops::Range<usize>>,
) {
    let start = out.len();
    call_start_marked(sc, Split::ALL, opts, fds, out, Some(marks));
    call_end(sc, Split::ALL, opts, fds, start, out);
}

fn call_start_marked(
    sc: &Syscall,
    split: Split,
    opts: &TextOptions,
    fds: Option<&dyn FdNames>,
    out: &mut String,
    mut marks: Option<&mut Vec<std::ops::Range<usize>>>,
) {
    let w = Writer {
        opts,
        fds,
        tgid: sc.tgid,
    };
    out.push_str(&sc.name);
    out.push('(');
    let upto = split.at_entry.min(sc.args.len());
    let cut = split.comma_at_exit && upto > 0 && upto < sc.args.len();
    for (i, item) in sc.args[..upto].iter().enumerate() {
        if i != 0 {
            out.push_str(", ");
        }
        let at = out.len();
        match item {
            // What the kernel wrote back is printed with the end (clone3's `=> {...}`).
            Arg::Changed(before, _) if cut && i + 1 == upto => w.arg(before, out),
            _ => w.arg(item, out),
        }
        if let Some(marks) = marks.as_deref_mut() {
            let label = match item {
                Arg::Named(name, _) => name.len() + 1,
                _ => 0,
            };
            marks.push(at + label..out.len());
        }
    }
    if upto > 0 && upto < sc.args.len() && !split.comma_at_exit {
        out.push_str(", ");
    }
}

/// The arguments after the split, `)`, the return value aligned at column 40 of the line that
/// began at `line_start`, and strace's annotation of the return value. No newline.
pub fn call_end(
    sc: &Syscall,
    split: Split,
    opts: &TextOptions,
    fds: Option<&dyn FdNames>,
    line_start: usize,
    out: &mut String,
) {
    let w = Writer {
        opts,
        fds,
        tgid: sc.tgid,
    };
    let from = split.at_entry.min(sc.args.len());
    if split.comma_at_exit && from > 0 && from < sc.args.len() {
        if let Arg::Changed(_, after) = &sc.args[from - 1] {
            out.push_str(" => ");
            w.arg(after, out);
        }
        out.push_str(", ");
    }
    w.list(&sc.args[from..], ", ", out);
    out.push(')');
    let width = width_of(&out[line_start..]);
    let column = opts.column.0;
    if width < column {
        spaces_into(column - width, out);
        out.push_str("= ");
    } else {
        out.push_str(" = ");
    }
    w.ret(sc.ret, out);
    if let Some(extra) = &sc.ret_extra {
        // strace does not decorate the fds it lists after the return value.
        let plain = Writer { fds: None, ..w };
        let mut text = String::new();
        plain.arg(extra, &mut text);
        // Nothing with -X raw (ioprio_get's `(IOPRIO_PRIO_VALUE(...))`).
        if !text.is_empty() {
            let _ = write!(out, " ({text})");
        }
    }
    match (sc.tampered.poked, sc.tampered.injected) {
        (true, true) => out.push_str(" (INJECTED: args, retval)"),
        (true, false) => out.push_str(" (INJECTED: args)"),
        (false, true) => out.push_str(" (INJECTED)"),
        (false, false) => {}
    }
    if sc.tampered.delayed {
        out.push_str(" (DELAYED)");
    }
}

/// The end of a call its task died inside (`= ?`) before the kernel wrote what strace prints
/// at the end: strace's decoder never ran its exit half, so ` <unfinished ...>` stands where
/// those arguments would be (`read(4,  <unfinished ...>) = ?`,
/// `<... read resumed> <unfinished ...>) = ?`), never the memory as it was.
pub fn call_end_unfinished(
    sc: &Syscall,
    split: Split,
    opts: &TextOptions,
    fds: Option<&dyn FdNames>,
    line_start: usize,
    out: &mut String,
) {
    let shown = Syscall {
        args: sc.args[..split.at_entry.min(sc.args.len())].to_vec(),
        ..sc.clone()
    };
    out.push_str(" <unfinished ...>");
    call_end(&shown, split, opts, fds, line_start, out);
}

/// The characters of `text` (strace pads to a column counted in characters): its length
/// when it is ASCII, as nearly every line is, checked a word at a time.
fn width_of(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// `n` spaces, copied from a run of them rather than pushed one by one.
fn spaces_into(mut n: usize, out: &mut String) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// `--- SIGCHLD {si_signo=SIGCHLD, ...} ---` (after the caller's prefix), newline included.
pub fn signal_line(
    (info, sig, tgid): (&Arg, u32, u32),
    opts: &TextOptions,
    names: Option<&dyn FdNames>,
    out: &mut String,
) {
    let w = Writer {
        opts,
        fds: names,
        tgid,
    };
    let _ = write!(out, "--- {} ", crate::tables::signals::name(u64::from(sig)));
    w.arg(info, out);
    out.push_str(" ---\n");
}

/// `--- stopped by SIGSTOP ---`: a task entered a group stop.
pub fn stopped_line(sig: u32, out: &mut String) {
    let name = crate::tables::signals::name(u64::from(sig));
    let _ = writeln!(out, "--- stopped by {name} ---");
}

/// The line marking events lost at this point of the stream.
pub fn lost_line(count: u64, out: &mut String) {
    let noun = if count == 1 { "event" } else { "events" };
    let _ = writeln!(out, "!!! lost {count} {noun} (ring buffer full) !!!");
}

/// `+++ exited with N +++` / `+++ killed by SIGKILL (core dumped) +++` for a process's end,
/// from its kernel exit code (a wait status).
pub fn exit_line(code: u32, superseded_by: Option<u32>, out: &mut String) {
    let sig = code & 0x7f;
    if let Some(pid) = superseded_by {
        let _ = writeln!(out, "+++ superseded by execve in pid {pid} +++");
    } else if sig == 0 {
        let _ = writeln!(out, "+++ exited with {} +++", (code >> 8) & 0xff);
    } else {
        let core = if code & 0x80 != 0 {
            " (core dumped)"
        } else {
            ""
        };
        let name = crate::tables::signals::name(u64::from(sig));
        let _ = writeln!(out, "+++ killed by {name}{core} +++");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Ret;

    fn sc(name: &'static str, args: Vec<Arg>, ret: Ret) -> Syscall {
        Syscall::new(7, name, args, ret)
    }

    fn line(s: &Syscall, opts: TextOptions) -> String {
        let mut out = String::new();
        syscall_line(s, &opts, None, &mut out);
        out
    }

    /// The column is counted in characters (a non-ASCII path pads by its characters, not
    /// bytes), and a column past the run of spaces copied at once still pads whole.
    #[test]
    fn padding_counts_characters_and_any_column() {
        let path = sc("chdir", vec![Arg::sym("ééé")], Ret::Value(0));
        let text = line(&path, TextOptions::default());
        assert_eq!(
            text.find('=').map(|at| text[..at].chars().count()),
            Some(40)
        );
        let close = sc("close", vec![Arg::Fd(3)], Ret::Value(0));
        for column in [0, 9, 40, 64, 65, 200] {
            let opts = TextOptions {
                column: crate::format::text_options::Column(column),
                ..TextOptions::default()
            };
            let text = line(&close, opts);
            let want = if column > 8 {
                format!("close(3){}= 0\n", " ".repeat(column - 8))
            } else {
                "close(3) = 0\n".to_string()
            };
            assert_eq!(text, want, "column {column}");
        }
    }

    #[test]
    fn short_lines_align_the_return_value_at_column_40() {
        // Recorded from strace 6.1 (`strace true`).
        let close = sc("close", vec![Arg::Fd(3)], Ret::Value(0));
        assert_eq!(
            line(&close, TextOptions::default()),
            "close(3)                                = 0\n"
        );
        let brk = sc("brk", vec![Arg::Ptr(0)], Ret::Hex(0x55af24174000));
        assert_eq!(
            line(&brk, TextOptions::default()),
            "brk(NULL)                               = 0x55af24174000\n"
        );
        let exit = sc("exit_group", vec![Arg::Int(0)], Ret::Unknown);
        assert_eq!(
            line(&exit, TextOptions::default()),
            "exit_group(0)                           = ?\n"
        );
    }

    #[test]
    fn errors_carry_name_and_text() {
        let open = sc(
            "openat",
            vec![
                Arg::sym("AT_FDCWD"),
                Arg::str(b"/nonexistent/file", false),
                Arg::sym("O_RDONLY"),
            ],
            Ret::Error(2),
        );
        assert_eq!(
            line(&open, TextOptions::default()),
            "openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
        );
        let restart = sc("read", vec![Arg::Int(0)], Ret::Restart(512));
        assert!(
            line(&restart, TextOptions::default())
                .ends_with("= ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n")
        );
    }

    #[test]
    fn tampered_calls_say_so_after_the_return_value() {
        let mut call = sc("getpid", vec![], Ret::Error(2));
        call.tampered.injected = true;
        assert_eq!(
            line(&call, TextOptions::default()),
            "getpid()                                = -1 ENOENT (No such file or directory) (INJECTED)\n"
        );
        // An errno without a name (only injection makes one): strace's `(errno N)`.
        for code in [200, 4094, 4095] {
            call.ret = Ret::Error(code);
            assert_eq!(
                line(&call, TextOptions::default()),
                format!("getpid()                                = -1 (errno {code}) (INJECTED)\n")
            );
        }
        call.ret = Ret::Value(42);
        call.tampered.delayed = true;
        assert!(line(&call, TextOptions::default()).ends_with("= 42 (INJECTED) (DELAYED)\n"));
    }

    #[test]
    fn pid_prefixes_and_resumed_form() {
        let mut s = sc("read", vec![], Ret::Value(5));
        s.tid = 1234;
        s.resumed = true;
        let bracket = TextOptions {
            prefix: Prefix::Bracket,
            ..TextOptions::default()
        };
        assert_eq!(
            line(&s, bracket),
            "[pid  1234] <... read resumed>)         = 5\n"
        );
        // strace -f -o FILE: `%-5d `, and column 40 counts the prefix.
        let plain = TextOptions {
            prefix: Prefix::Plain,
            ..TextOptions::default()
        };
        let brk = Syscall {
            tid: 28872,
            ..sc("brk", vec![Arg::Ptr(0)], Ret::Hex(0x55f7438ca000))
        };
        assert_eq!(
            line(&brk, plain),
            "28872 brk(NULL)                         = 0x55f7438ca000\n"
        );
    }

    #[test]
    fn nested_values() {
        let accept = sc(
            "accept",
            vec![
                Arg::Fd(8),
                Arg::sockaddr_in(58952, b"192.168.10.1"),
                Arg::boxed(Arg::UInt(16)),
            ],
            Ret::Fd(10),
        );
        // The line from the article's fourth story.
        assert_eq!(
            line(&accept, TextOptions::default()),
            "accept(8, {sa_family=AF_INET, sin_port=htons(58952), sin_addr=inet_addr(\"192.168.10.1\")}, [16]) = 10\n"
        );
    }

    #[test]
    fn split_lines_join_up_to_the_whole_line() {
        let read = sc(
            "read",
            vec![Arg::Fd(3), Arg::str(b"ab", false), Arg::UInt(2)],
            Ret::Value(2),
        );
        let opts = TextOptions::default();
        let split = Split {
            at_entry: 1,
            comma_at_exit: false,
        };
        let mut start = String::new();
        call_start(&read, split, &opts, None, &mut start);
        assert_eq!(start, "read(3, ");
        let mut end = start.clone();
        call_end(&read, split, &opts, None, 0, &mut end);
        assert_eq!(end + "\n", line(&read, opts));
        // What strace prints after another task's line: the end, as resumed.
        let mut resumed = String::new();
        resumed_into("read", &mut resumed);
        call_end(&read, split, &opts, None, 0, &mut resumed);
        assert_eq!(resumed, "<... read resumed>\"ab\", 2)              = 2");
        let clone = sc(
            "clone",
            vec![Arg::Ptr(0), Arg::sym("SIGCHLD"), Arg::Ptr(16)],
            Ret::Value(9),
        );
        let split = Split {
            at_entry: 2,
            comma_at_exit: true,
        };
        let mut start = String::new();
        call_start(&clone, split, &opts, None, &mut start);
        assert_eq!(start, "clone(NULL, SIGCHLD");
        let mut end = String::new();
        call_end(&clone, split, &opts, None, 0, &mut end);
        assert!(end.starts_with(", 0x10)"), "{end}");
        // clone3's struct as it went in, then (strace 6.1) what the kernel wrote back.
        let flags = || Arg::Struct {
            fields: vec![("flags", Arg::sym("CLONE_VM"))],
            more: false,
        };
        let tid = Arg::Struct {
            fields: vec![("parent_tid", Arg::boxed(Arg::Pid(9)))],
            more: false,
        };
        let clone3 = sc(
            "clone3",
            vec![
                Arg::Changed(Box::new(flags()), Box::new(tid)),
                Arg::UInt(88),
            ],
            Ret::Value(9),
        );
        let split = Split {
            at_entry: 1,
            comma_at_exit: true,
        };
        let mut start = String::new();
        call_start(&clone3, split, &opts, None, &mut start);
        assert_eq!(start, "clone3({flags=CLONE_VM}");
        let mut end = String::new();
        resumed_into("clone3", &mut end);
        call_end(&clone3, split, &opts, None, 0, &mut end);
        assert!(
            end.starts_with("<... clone3 resumed> => {parent_tid=[9]}, 88)"),
            "{end}"
        );
    }

    #[test]
    fn exit_lines() {
        let mut out = String::new();
        exit_line(0, None, &mut out);
        exit_line(3 << 8, None, &mut out);
        exit_line(9, None, &mut out);
        exit_line(0x80 | 11, None, &mut out);
        exit_line(9, Some(42), &mut out);
        assert_eq!(
            out,
            "+++ exited with 0 +++\n+++ exited with 3 +++\n+++ killed by SIGKILL +++\n+++ killed by SIGSEGV (core dumped) +++\n\
             +++ superseded by execve in pid 42 +++\n"
        );
    }
}
