//! The decoded model: what a syscall means, independent of how it is printed. Both the strace
//! formatter and (later) the JSON formatter render it.

use std::borrow::Cow;

/// One rendered value: an argument, a struct field, an array element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Signed decimal.
    Int(i64),
    /// Unsigned decimal.
    UInt(u64),
    /// Hexadecimal (`0x…`), for values strace shows in hex.
    Hex(u64),
    /// A pointer: `NULL` or `0x…`.
    Ptr(u64),
    /// A mode: octal with a leading 0, at least three digits (`0644`, `000`).
    Octal(u64),
    /// Bytes read from the tracee, printed as a quoted string; `...` follows when `truncated`.
    /// `hex`: every byte as `\xNN` (getrandom's data). `data`: the bytes a call transfers (a
    /// read or write buffer, an iovec's, a message's text), not a name or path: `--json`
    /// writes data once, in `message` (schema 4), and a name or path in its `string` too.
    Str {
        bytes: Vec<u8>,
        truncated: bool,
        hex: bool,
        data: bool,
    },
    /// A file descriptor (`-y` adds what it refers to).
    Fd(i32),
    /// A process or thread id, decimal (`-Y` adds its name: `1234<postgres>`).
    Pid(i64),
    /// Already symbolic: a named constant (`SEEK_SET`, `SIGTERM`), or text strace composes
    /// (`[INT TERM]`, `8192*1024`).
    Sym(Cow<'static, str>),
    /// A set of flags: the parts joined by `|` (`O_RDONLY|O_CLOEXEC`, `0x8|MAP_FIXED`,
    /// `S_IFREG|0644`); no parts: `0`.
    Flags(Vec<Flag>),
    /// `{name=value, ...}`; `more` adds a trailing `...` (strace's abbreviated structs).
    Struct {
        fields: Vec<(&'static str, Arg)>,
        more: bool,
    },
    /// `[a, b]`; `more` adds a trailing `...`.
    Array { items: Vec<Arg>, more: bool },
    /// Space-separated items in brackets: `[3 4]` (fd sets); `~[...]` when `complement`.
    Set { items: Vec<Arg>, complement: bool },
    /// `name(args)`: `htons(5432)`, `inet_addr("127.0.0.1")`, `makedev(0x1, 0x3)`.
    Call { name: &'static str, args: Vec<Arg> },
    /// `before => after`: a value the kernel read and rewrote.
    Changed(Box<Arg>, Box<Arg>),
    /// `value /* comment */`.
    Commented(Box<Arg>, String),
    /// `[value]`: a value behind a pointer (`[16]`, `[0]`).
    Boxed(Box<Arg>),
    /// `label` immediately followed by the value: `left {...}`, `in [3]`, `@"name"`.
    Labeled(&'static str, Box<Arg>),
    /// An argument strace prints with its name: `flags=CLONE_VM` (clone's).
    Named(&'static str, Box<Arg>),
    /// Items separated by `, `, without brackets (parts of a return annotation).
    Seq(Vec<Arg>),
    /// Text printed as is: `{B38400 opost isig icanon echo ...}`.
    Raw(String),
    /// A named constant or flag word (`shown`: a `Sym` or `Flags`) and the number it stands
    /// for (`Hex`, `Int` or `Octal`, as strace prints that number): `-X abbrev` prints `shown`,
    /// `-X raw` the number, `-X verbose` `number /* shown */`.
    Const { number: Box<Arg>, shown: Box<Arg> },
    /// Constants joined by `|`, each with its number: the `number` of a word strace prints as
    /// two numbers with `-X raw` (socket's type `0x1|0x80000`, clone's flags `0x1200000|17`).
    Or(Vec<Arg>),
    /// `[index]=value`: an array element strace prints with its index
    /// (io_uring_register's max-workers counts: `[IO_WQ_BOUND]=4`).
    Indexed(Box<Arg>, Box<Arg>),
    /// A comment, a space, then the value: `/* bytes 32..47 */ "\x00\x01"` (the bytes past
    /// a struct's known end that are not all zero).
    Prefixed(String, Box<Arg>),
    /// Text printed with `-X raw` only (nothing otherwise): the `/* FUTEX_OP_??? */` strace
    /// puts after a known FUTEX_WAKE_OP operation it prints as a number.
    RawOnly(&'static str),
    /// `value<<shift`: a field shifted into place in a flag word (termios' input baud rate
    /// `B9600<<IBSHIFT`, `0xd<<0x10` with `-X raw`).
    Shift(Box<Arg>, Box<Arg>),
}

impl Arg {
    pub fn sym(s: impl Into<Cow<'static, str>>) -> Self {
        Arg::Sym(s.into())
    }

    /// A string (a path, a name): see `Arg::Str`.
    pub fn str(bytes: &[u8], truncated: bool) -> Self {
        Arg::Str {
            bytes: bytes.to_vec(),
            truncated,
            hex: false,
            data: false,
        }
    }

    /// The data a call transfers (see `Arg::Str`'s `data`).
    pub fn data(bytes: &[u8], truncated: bool) -> Self {
        Arg::Str {
            bytes: bytes.to_vec(),
            truncated,
            hex: false,
            data: true,
        }
    }

    /// strace's `... /* 0xADDR */`, the last item of an array whose element at `addr` could
    /// not be read (its print_array, a cmsg buffer's unreadable tail).
    pub fn unreadable_from(addr: u64) -> Self {
        Arg::Commented(Box::new(Arg::sym("...")), format!("{addr:#x}"))
    }

    pub fn boxed(inner: Arg) -> Self {
        Arg::Boxed(Box::new(inner))
    }

    /// `shown` standing for `number` (see `Arg::Const`).
    pub fn constant(number: Arg, shown: Arg) -> Self {
        Arg::Const {
            number: Box::new(number),
            shown: Box::new(shown),
        }
    }

    /// The value as `-X abbrev` shows it: a constant's names, anything else as it is.
    pub fn abbrev(&self) -> &Arg {
        match self {
            Arg::Const { shown, .. } => shown,
            other => other,
        }
    }

    /// The value as `-X abbrev` shows it, owned (for text strace composes with names
    /// whatever `-X` says: fcntl's `(flags O_RDONLY|O_LARGEFILE)`).
    pub fn into_abbrev(self) -> Arg {
        match self {
            Arg::Const { shown, .. } => *shown,
            other => other,
        }
    }
}

/// One part of a flag set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// A named bit, or a named value of a field of the word (`O_RDONLY`, `SIGCHLD`).
    Name(Cow<'static, str>),
    /// Bits no name covers, or a field's value without a name: `0x…`.
    Bits(u64),
    /// Permission bits: `0644`.
    Octal(u64),
}

#[cfg(test)]
impl Arg {
    /// `{sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("ADDR")}` as the sockaddr
    /// decoder builds it: a fixture for the renderers' tests.
    pub fn sockaddr_in(port: u64, addr: &[u8]) -> Self {
        Arg::Struct {
            fields: vec![
                ("sa_family", Arg::sym("AF_INET")),
                (
                    "sin_port",
                    Arg::Call {
                        name: "htons",
                        args: vec![Arg::UInt(port)],
                    },
                ),
                (
                    "sin_addr",
                    Arg::Call {
                        name: "inet_addr",
                        args: vec![Arg::str(addr, false)],
                    },
                ),
            ],
            more: false,
        }
    }
}

impl Flag {
    pub fn name(name: impl Into<Cow<'static, str>>) -> Self {
        Flag::Name(name.into())
    }
}

/// The outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// A plain value, decimal.
    Value(i64),
    /// A value strace prints unsigned that is negative as a long (an injected `retval=-1`).
    Unsigned(u64),
    /// An address or flags, hex.
    Hex(u64),
    /// A mode, octal (umask).
    Octal(u64),
    /// A new file descriptor (`-y` adds what it refers to).
    Fd(i32),
    /// A process or thread id (`-Y` adds its name).
    Pid(i64),
    /// `-1 ENAME (text)`.
    Error(u32),
    /// A value and the error it stands for: `4294967258 ENOSYS (text)` (modify_ldt's int
    /// error in a 64-bit register, which strace still reports as the error).
    ValueError(i64, u32),
    /// A kernel restart code: `? ENAME (text)`.
    Restart(u32),
    /// The syscall did not return (exit_group): `?`.
    Unknown,
}

/// One syscall, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syscall {
    pub tgid: u32,
    pub tid: u32,
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub nr: u32,
    /// The syscall's row: what it is and does (`def.is_fork()`). None for a number the table
    /// lacks and for calls that are not syscalls (`--tls` library calls).
    pub def: Option<&'static crate::tables::SyscallDef>,
    pub name: Cow<'static, str>,
    pub args: Vec<Arg>,
    pub ret: Ret,
    /// What strace adds after the return value in parentheses: `(flags O_RDWR)`,
    /// `([{fd=3, revents=POLLIN}])`.
    pub ret_extra: Option<Arg>,
    /// The start of the call was not seen (tracing began while it was in progress).
    pub resumed: bool,
    /// What `-e inject=` changed in it.
    pub tampered: crate::event::Tampered,
}

impl Syscall {
    /// A decoded call of task `tid` (also its process) with no timing: for tests and for
    /// building lines by hand.
    pub fn new(tid: u32, name: &'static str, args: Vec<Arg>, ret: Ret) -> Self {
        let def = crate::tables::by_name(name);
        Self {
            tgid: tid,
            tid,
            ts_enter: 0,
            ts_exit: 0,
            nr: def.map_or(0, |d| d.nr),
            def,
            name: name.into(),
            args,
            ret,
            ret_extra: None,
            resumed: false,
            tampered: Default::default(),
        }
    }
}
