//! One value of the model as strace writes it: numbers, strings, flags, fds with what they
//! refer to (`-y`), pids with their process's name (`-Y`), structs, arrays, return values.

use std::fmt::Write as _;

use crate::{
    decode::{Arg, Ret, model::Flag},
    fdtable::{FdName, FdNames},
    format::{
        quote::{Style, quote_into},
        text_options::TextOptions,
    },
    tables::errno,
};

pub use super::text_options::ConstStyle;

/// Renders values; carries the options and the fd namer for one line.
#[derive(Clone, Copy)]
pub(super) struct Writer<'a> {
    pub opts: &'a TextOptions,
    pub fds: Option<&'a dyn FdNames>,
    pub tgid: u32,
}

/// `<name>`, escaped as strace escapes it (`<` and `>` too, so it cannot close the brackets).
pub(super) fn comm_into(comm: &[u8], style: Style, out: &mut String) {
    out.push('<');
    crate::format::quote::bracketed_into(comm, style, out);
    out.push('>');
}

impl Writer<'_> {
    /// A pid value; with `-Y` followed by the name of the process it names, if any (a pid a
    /// task in a child namespace sees names the process it is there, as strace's).
    /// With `--decode-pids=pidns`, such a pid is followed by tracer's number for it.
    fn pid(&self, pid: i64, out: &mut String) {
        decimal_into(pid, out);
        let own = match self.opts.pidns || self.opts.comms {
            true => self.fds.and_then(|f| f.own_pid(self.tgid, pid)),
            false => None,
        };
        if self.opts.comms
            && pid > 0
            && let Some(comm) = self.fds.and_then(|f| f.comm(own.map_or(pid, i64::from)))
        {
            comm_into(&comm, self.opts.quote, out);
        }
        if let Some(own) = own.filter(|_| self.opts.pidns) {
            let _ = write!(out, " /* {own} in tracer's PID NS */");
        }
    }
}

impl Writer<'_> {
    pub(super) fn list(&self, items: &[Arg], sep: &str, out: &mut String) {
        for (i, item) in items.iter().enumerate() {
            if i != 0 {
                out.push_str(sep);
            }
            self.arg(item, out);
        }
    }

    fn fd(&self, fd: i32, out: &mut String) {
        let name = self.fds.and_then(|f| f.describe(self.tgid, fd));
        fd_into(fd, name, self.opts, out);
    }

    pub(super) fn arg(&self, arg: &Arg, out: &mut String) {
        match arg {
            Arg::Int(v) => decimal_into(*v, out),
            Arg::UInt(v) => decimal_into(*v, out),
            Arg::Hex(v) => hex_into(*v, out),
            Arg::Ptr(0) => out.push_str("NULL"),
            Arg::Ptr(v) => hex_into(*v, out),
            Arg::Octal(v) => octal_into(*v, out),
            Arg::Str {
                bytes,
                truncated,
                hex,
                ..
            } => {
                let style = if *hex { Style::HexAll } else { self.opts.quote };
                quote_into(bytes, *truncated, style, out);
            }
            Arg::Fd(fd) => self.fd(*fd, out),
            Arg::Pid(pid) => self.pid(*pid, out),
            Arg::Sym(s) => out.push_str(s),
            Arg::Flags(parts) => flags_into(parts, out),
            Arg::Struct { fields, more } => {
                out.push('{');
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i != 0 {
                        out.push_str(", ");
                    }
                    if !name.is_empty() {
                        out.push_str(name);
                        out.push('=');
                    }
                    self.arg(value, out);
                }
                if *more {
                    out.push_str(if fields.is_empty() { "..." } else { ", ..." });
                }
                out.push('}');
            }
            Arg::Array { items, more } => {
                out.push('[');
                self.list(items, ", ", out);
                if *more {
                    out.push_str(if items.is_empty() { "..." } else { ", ..." });
                }
                out.push(']');
            }
            Arg::Set { items, complement } => {
                if *complement {
                    out.push('~');
                }
                out.push('[');
                self.list(items, " ", out);
                out.push(']');
            }
            Arg::Call { name, args } => {
                out.push_str(name);
                out.push('(');
                self.list(args, ", ", out);
                out.push(')');
            }
            Arg::Changed(before, after) => {
                self.arg(before, out);
                out.push_str(" => ");
                self.arg(after, out);
            }
            Arg::Commented(value, comment) => {
                self.arg(value, out);
                // A value no name covers (`0x7 /* SEEK_??? */`): strace leaves the marker
                // out with -X raw.
                if !(self.opts.consts == ConstStyle::Raw && comment.ends_with("??")) {
                    let _ = write!(out, " /* {comment} */");
                }
            }
            Arg::Boxed(inner) => {
                out.push('[');
                self.arg(inner, out);
                out.push(']');
            }
            Arg::Labeled(label, value) => {
                out.push_str(label);
                self.arg(value, out);
            }
            Arg::Named(name, value) => {
                out.push_str(name);
                out.push('=');
                self.arg(value, out);
            }
            Arg::Seq(items) => self.list(items, ", ", out),
            Arg::Raw(s) => out.push_str(s),
            Arg::RawOnly(s) => {
                if self.opts.consts == ConstStyle::Raw {
                    out.push_str(s);
                }
            }
            Arg::Const { number, shown } => self.constant(number, shown, out),
            Arg::Or(parts) => self.list(parts, "|", out),
            Arg::Shift(value, by) => {
                self.arg(value, out);
                out.push_str("<<");
                self.arg(by, out);
            }
            Arg::Indexed(index, value) => {
                out.push('[');
                self.arg(index, out);
                out.push_str("]=");
                self.arg(value, out);
            }
            Arg::Prefixed(comment, value) => {
                let _ = write!(out, "/* {comment} */ ");
                self.arg(value, out);
            }
        }
    }

    /// A named constant in the `-X` style.
    fn constant(&self, number: &Arg, shown: &Arg, out: &mut String) {
        match self.opts.consts {
            ConstStyle::Abbrev => self.arg(shown, out),
            ConstStyle::Raw => self.arg(number, out),
            ConstStyle::Verbose => {
                // Text strace leaves out with -X raw and prints as is otherwise.
                if matches!(number, Arg::Seq(items) if items.is_empty()) {
                    return self.arg(shown, out);
                }
                if matches!(number, Arg::Or(_) | Arg::Set { .. }) {
                    // Constants that carry their own names: `0x1 /* SOCK_STREAM
                    // */|0x80000 /* SOCK_CLOEXEC */`, `[2 /* INT */ 15 /* TERM */]`.
                    return self.arg(number, out);
                }
                let start = out.len();
                match number {
                    // A zero strace leaves out with -X raw (statx's sync type).
                    Arg::Raw(s) if s.is_empty() => out.push('0'),
                    _ => self.arg(number, out),
                }
                let numeral = out[start..].to_string();
                let mut names = String::new();
                match shown {
                    // strace's comment leaves out where inet_pton writes: `/* inet_pton(AF_INET6,
                    // "::1") */`.
                    Arg::Call {
                        name: "inet_pton",
                        args,
                    } if args.len() == 3 => self.arg(
                        &Arg::Call {
                            name: "inet_pton",
                            args: args[..2].to_vec(),
                        },
                        &mut names,
                    ),
                    _ => self.arg(shown, &mut names),
                }
                // An evdev request's unknown argument is bare in the comment (strace's
                // evdev_decode_number: `/* EVIOCSABS(0x3f) */`, abbreviated
                // `EVIOCSABS(0x3f /* ABS_??? */)`); other macros keep the marker
                // (`/* IOPRIO_PRIO_VALUE(0x9 /* IOPRIO_CLASS_??? */, 1) */`).
                if matches!(shown, Arg::Call { name, .. } if name.starts_with("EVIOC")) {
                    names = without_unknown_markers(&names);
                }
                // Nothing to name (a flag word 0 with no name for 0), or the name already
                // carries the number (`0x63 /* RLIMIT_??? */`).
                if names.is_empty() {
                    // No text beside the number (an empty hardware address: `mr_address=""`).
                    return;
                }
                // A text of several parts (`Or`: memfd_create's) is never folded.
                if !matches!(shown, Arg::Or(_))
                    && (names == numeral || names.starts_with(&format!("{numeral} /*")))
                {
                    out.truncate(start);
                    out.push_str(&names);
                } else {
                    let _ = write!(out, " /* {names} */");
                }
            }
        }
    }

    /// Appends the return value part after `= `.
    pub(super) fn ret(&self, ret: Ret, out: &mut String) {
        match ret {
            Ret::Value(v) => decimal_into(v, out),
            Ret::Unsigned(v) => decimal_into(v, out),
            Ret::Hex(v) => hex_into(v, out),
            Ret::Pid(pid) => self.pid(pid, out),
            Ret::Octal(v) => octal_into(v, out),
            Ret::Fd(fd) => fd_into(
                fd,
                self.fds.and_then(|f| f.describe_ret(self.tgid, fd)),
                self.opts,
                out,
            ),
            Ret::Error(code) => {
                out.push_str("-1 ");
                errno_into(code, out);
            }
            Ret::ValueError(v, code) => {
                let _ = write!(out, "{v} ");
                errno_into(code, out);
            }
            Ret::Restart(code) => {
                out.push_str("? ");
                errno_into(code, out);
            }
            Ret::Unknown => out.push('?'),
        }
    }
}

/// `text` without its ` /* X_??? */` markers.
fn without_unknown_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" /* ") {
        let Some(end) = rest[at..].find(" */").map(|e| at + e + 3) else {
            break;
        };
        out.push_str(&rest[..at]);
        if !rest[at..end].ends_with("??? */") {
            out.push_str(&rest[at..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `3</etc/passwd>`, or `3` without a description; `AT_FDCWD</home/me>` for the current
/// directory (`-100</home/me>` with `-X raw`, `-100 /* AT_FDCWD */</home/me>` with
/// `-X verbose`, as strace prints it).
fn fd_into(fd: i32, name: Option<FdName>, opts: &TextOptions, out: &mut String) {
    if fd != crate::tables::flags::AT_FDCWD {
        decimal_into(fd, out);
    } else {
        match opts.consts {
            ConstStyle::Abbrev => out.push_str("AT_FDCWD"),
            ConstStyle::Raw => {
                let _ = write!(out, "{fd}");
            }
            ConstStyle::Verbose => {
                let _ = write!(out, "{fd} /* AT_FDCWD */");
            }
        }
    }
    match name {
        Some(name) if fd == crate::tables::flags::AT_FDCWD => {
            name.cwd_bracketed_into(opts.quote, out)
        }
        Some(name) => name.bracketed_into(opts.quote, out),
        None => {}
    }
}

/// A flag set: its parts joined by `|`, or `0`.
fn flags_into(parts: &[Flag], out: &mut String) {
    if parts.is_empty() {
        out.push('0');
    }
    for (i, part) in parts.iter().enumerate() {
        if i != 0 {
            out.push('|');
        }
        match part {
            Flag::Name(name) => out.push_str(name),
            Flag::Bits(bits) => {
                let _ = write!(out, "{bits:#x}");
            }
            Flag::Octal(v) => octal_into(*v, out),
        }
    }
}

/// A flag set as strace prints it.
pub fn flags_text(parts: &[Flag]) -> String {
    let mut out = String::new();
    flags_into(parts, &mut out);
    out
}

/// C's `%#x`: `0` for zero, else `0x…`.
fn hex_into(v: u64, out: &mut String) {
    if v == 0 {
        out.push('0');
    } else {
        prefixed_hex_into(v, out);
    }
}

/// `0x` and the lowercase hex digits of `v` (`0x0` for zero), without `core::fmt`: a
/// pointer or a raw register in every other record.
pub(super) fn prefixed_hex_into(v: u64, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 18];
    let mut at = buf.len();
    let mut rest = v;
    loop {
        at -= 1;
        buf[at] = HEX[(rest & 15) as usize];
        rest >>= 4;
        if rest == 0 {
            break;
        }
    }
    buf[at - 2] = b'0';
    buf[at - 1] = b'x';
    // SAFETY: `buf` holds only ASCII.
    out.push_str(unsafe { std::str::from_utf8_unchecked(&buf[at - 2..]) });
}

/// An integer in decimal, by `itoa` rather than `core::fmt` (its formatter machinery costs
/// a few hundred instructions per number, and every line has one).
pub(super) fn decimal_into(v: impl itoa::Integer, out: &mut String) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// C's `%#03o`: a leading 0, at least three digits.
fn octal_into(v: u64, out: &mut String) {
    out.push_str(&crate::decode::octal(v));
}

/// `ENOENT (No such file or directory)`; a code without a name as strace 6.1's
/// `print_err_ret` prints it, `(errno 200)` (only an injected error has none).
fn errno_into(code: u32, out: &mut String) {
    match errno::lookup(code) {
        Some((name, text)) => {
            let _ = write!(out, "{name} ({text})");
        }
        None => {
            let _ = write!(out, "(errno {code})");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        decode::flags::{constant, open_flags},
        format::strace::arg_text,
    };

    fn shown(arg: &Arg, consts: ConstStyle) -> String {
        let opts = TextOptions {
            consts,
            ..TextOptions::default()
        };
        arg_text(arg, &opts, None, 0)
    }

    /// Numbers by itoa and hex by hand read as `core::fmt` printed them.
    #[test]
    fn numbers_without_the_formatter() {
        for v in [0i64, 1, -1, 9, 10, -10, 10700, i64::MAX, i64::MIN] {
            assert_eq!(shown(&Arg::Int(v), ConstStyle::Abbrev), v.to_string());
            assert_eq!(shown(&Arg::Pid(v), ConstStyle::Abbrev), v.to_string());
        }
        for v in [0u64, 1, 0xf, 0x10, 0x29cc, 0x5593_979d_f000, u64::MAX] {
            assert_eq!(shown(&Arg::UInt(v), ConstStyle::Abbrev), v.to_string());
            let hex = if v == 0 {
                "0".into()
            } else {
                format!("{v:#x}")
            };
            assert_eq!(shown(&Arg::Hex(v), ConstStyle::Abbrev), hex);
            let mut out = String::new();
            prefixed_hex_into(v, &mut out);
            assert_eq!(out, format!("{v:#x}"));
        }
        assert_eq!(shown(&Arg::Fd(-100), ConstStyle::Abbrev), "AT_FDCWD");
        assert_eq!(shown(&Arg::Fd(-100), ConstStyle::Raw), "-100");
        assert_eq!(shown(&Arg::Fd(-9), ConstStyle::Abbrev), "-9");
    }

    #[test]
    fn constants_by_name_number_or_both_as_strace() {
        let flags = open_flags(0o2000000);
        let signal = constant(Arg::UInt(10), "SIGUSR1");
        let flags_of_nothing =
            crate::decode::flags::flags(crate::tables::flags::OPEN_MODE_FLAGS, 0);
        let cases = [
            (
                &flags,
                [
                    "O_RDONLY|O_CLOEXEC",
                    "0x80000",
                    "0x80000 /* O_RDONLY|O_CLOEXEC */",
                ],
            ),
            (&signal, ["SIGUSR1", "10", "10 /* SIGUSR1 */"]),
            (&Arg::Fd(-100), ["AT_FDCWD", "-100", "-100 /* AT_FDCWD */"]),
            // No name for 0: one `0` whatever -X says.
            (&flags_of_nothing, ["0", "0", "0"]),
        ];
        for (arg, [abbrev, raw, verbose]) in cases {
            assert_eq!(shown(arg, ConstStyle::Abbrev), abbrev);
            assert_eq!(shown(arg, ConstStyle::Raw), raw);
            assert_eq!(shown(arg, ConstStyle::Verbose), verbose);
        }
    }

    #[test]
    fn a_word_of_two_numbers_names_each() {
        let two = Arg::constant(
            Arg::Or(vec![
                constant(Arg::Hex(1), "SOCK_STREAM"),
                constant(Arg::Hex(0x80000), "SOCK_CLOEXEC"),
            ]),
            Arg::Flags(vec![Flag::name("SOCK_STREAM"), Flag::name("SOCK_CLOEXEC")]),
        );
        assert_eq!(shown(&two, ConstStyle::Abbrev), "SOCK_STREAM|SOCK_CLOEXEC");
        assert_eq!(shown(&two, ConstStyle::Raw), "0x1|0x80000");
        assert_eq!(
            shown(&two, ConstStyle::Verbose),
            "0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */"
        );
    }

    /// Every call, decoded from registers alone with a few argument values, printed with
    /// `-X raw`: no C constant's name is left (a decoder that names a value without its
    /// number would print the name whatever -X says).
    #[test]
    fn raw_leaves_no_constant_named() {
        use crate::{
            decode::{DecodeOptions, decode},
            event::RawSyscall,
            format::strace::{Split, call_end, call_start},
        };
        let opts = TextOptions {
            consts: ConstStyle::Raw,
            ..TextOptions::default()
        };
        let name = regex::Regex::new(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b").expect("regex");
        let mut named = std::collections::BTreeSet::new();
        for def in crate::tables::all() {
            for v in [0u64, 1, 2, 3, 0x80, 0x802, 0x4000_0000] {
                let raw = RawSyscall::whole(100, def.nr, [v; 6], 0, Vec::new());
                let sc = decode(&raw, &DecodeOptions::default());
                let mut out = String::new();
                call_start(&sc, Split::ALL, &opts, None, &mut out);
                call_end(&sc, Split::ALL, &opts, None, 0, &mut out);
                for m in name.find_iter(&out) {
                    named.insert(format!("{}: {}", def.name, m.as_str()));
                }
            }
        }
        // strace names these whatever -X says: F_GETFL's open flags, PR_GET_DUMPABLE's answer,
        // the policy sched_getscheduler returns and the clock state adjtimex/clock_adjtime
        // return (their auxstr), syslog's action (always `N /* NAME */`), socket's AX.25
        // protocol (verbose style: `0x3 /* AX25_P_??? */`).
        named.retain(|n| {
            n != "fcntl: O_RDONLY"
                && !n.starts_with("socket: AX25_P_")
                && !n.starts_with("syslog: SYSLOG_ACTION_")
                && !n.starts_with("prctl: SUID_DUMP_")
                && !n.starts_with("sched_getscheduler: SCHED_")
                && !n.starts_with("adjtimex: TIME_")
                && !n.starts_with("clock_adjtime: TIME_")
        });
        assert!(named.is_empty(), "{named:#?}");
    }
}
