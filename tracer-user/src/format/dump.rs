//! `-e read=SET` / `-e write=SET`: full hex dumps of the data a call read from / wrote to one
//! of the fds in SET, after its line, in strace's layout:
//!
//! ```text
//!  | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              hello world.     |
//! ```
//!
//! Only what the source captured can be dumped: the eBPF backend keeps at most half a kernel
//! record of each buffer (`MAX_RECORD / 2`, 8 KiB), ptrace 64 KiB (or `-s`, if larger). The bytes
//! past that are not lost silently: a ` * N bytes not captured` line says how many are missing.

use std::fmt::Write as _;

use crate::{
    decode::is_error,
    event::RawSyscall,
    tables::{
        self,
        row::behaviour::{DATA_IN, DATA_OUT, MSG, VECTORED},
    },
};

/// A set of fds, as strace's `-e read=`/`-e write=` take it: numbers, `all`, `none`, and a
/// leading `!` that negates the whole set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FdSet {
    negated: bool,
    fds: Vec<u32>,
}

/// A descriptor strace would refuse, worded as strace's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid descriptor '{0}'")]
pub struct BadDescriptor(pub String);

impl FdSet {
    /// Parses `3,6`, `!0`, `all`, `none` (strace accepts any int up to `INT_MAX`).
    pub fn parse(set: &str) -> Result<Self, BadDescriptor> {
        let (negated, rest) = match set.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, set),
        };
        let mut out = Self {
            negated,
            fds: Vec::new(),
        };
        for item in rest.split(',') {
            match item {
                "all" => out.negated = !negated,
                "none" => {}
                _ => match item.parse::<u32>() {
                    Ok(fd) if fd <= i32::MAX as u32 => out.fds.push(fd),
                    _ => return Err(BadDescriptor(item.to_string())),
                },
            }
        }
        Ok(out)
    }

    /// Whether `fd` is in the set.
    pub fn contains(&self, fd: i64) -> bool {
        let listed = u32::try_from(fd).is_ok_and(|fd| self.fds.contains(&fd));
        fd >= 0 && listed != self.negated
    }

    /// Whether no fd is in the set.
    pub fn is_empty(&self) -> bool {
        !self.negated && self.fds.is_empty()
    }
}

/// The fds whose data is dumped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dumps {
    /// `-e read=SET`.
    pub read: FdSet,
    /// `-e write=SET`.
    pub write: FdSet,
}

impl Dumps {
    /// Whether anything is dumped (and so buffers must be captured whole).
    pub fn any(&self) -> bool {
        !self.read.is_empty() || !self.write.is_empty()
    }
}

/// The direction of a call strace dumps; its buffer (or iovec array) is argument 1.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Io {
    Read,
    Write,
}

/// The calls strace 6.1 dumps (those moving a buffer or an iovec array, not a msghdr): their
/// direction, and whether argument 1 is an iovec array.
fn io_of(nr: u32) -> Option<(Io, bool)> {
    let def = tables::by_nr(nr).filter(|d| !d.has(MSG))?;
    let io = if def.has(DATA_IN) {
        Io::Read
    } else if def.has(DATA_OUT) {
        Io::Write
    } else {
        return None;
    };
    Some((io, def.has(VECTORED)))
}

/// Appends the dump of `raw`'s data to `out` (after its line's newline), if its fd is in the
/// matching set, as strace does: what a write was given even when it failed, what a read
/// returned only when it succeeded.
pub fn io_into(raw: &RawSyscall, dumps: &Dumps, out: &mut String) {
    if raw.no_enter {
        return;
    }
    let fd = i64::from(raw.args[0] as i32);
    let Some((io, vector)) = io_of(raw.nr) else {
        return;
    };
    // What a read returned; what a write was asked to write (strace dumps that).
    let len = match io {
        Io::Read if dumps.read.contains(fd) && !is_error(raw.ret) => Some(raw.ret as u64),
        Io::Read => return,
        Io::Write if dumps.write.contains(fd) => (!vector).then_some(raw.args[2]),
        Io::Write => return,
    };
    let Some(blob) = raw.blob(1).filter(|b| !b.faulted) else {
        return;
    };
    match vector {
        false => buffer_into(&blob.data, len.unwrap_or(0), out),
        true => iovecs_into(&blob.data, raw.args[2], len, out),
    }
}

/// `len` bytes of which `data` were captured.
fn buffer_into(data: &[u8], len: u64, out: &mut String) {
    let data = &data[..data.len().min(usize::try_from(len).unwrap_or(usize::MAX))];
    hex_into(data, out);
    let missing = len.saturating_sub(data.len() as u64);
    if missing > 0 {
        let _ = writeln!(out, " * {missing} bytes not captured");
    }
}

/// strace's `dumpiov_upto`: the buffers of `count` iovecs up to `upto` bytes in all (a read's
/// return value; every byte for a write), each after ` * N bytes in buffer I`, until the
/// first empty one.
fn iovecs_into(blob: &[u8], count: u64, mut upto: Option<u64>, out: &mut String) {
    let entries = crate::decode::bytes::iovec_items(blob);
    for (i, v) in entries.iter().enumerate() {
        let len = upto.map_or(v.len, |left| left.min(v.len));
        if let Some(left) = upto.as_mut() {
            *left -= len;
        }
        if len == 0 {
            return;
        }
        let _ = writeln!(out, " * {len} bytes in buffer {i}");
        match v.flags & u32::from(tracer_common::BLOB_FAULTED) {
            0 => buffer_into(&blob[v.data.clone()], len, out),
            _ => {
                let _ = writeln!(out, " * {len} bytes not captured");
            }
        }
    }
    let uncaptured = count.saturating_sub(entries.len() as u64);
    if uncaptured > 0 && upto != Some(0) {
        let _ = writeln!(out, " * {uncaptured} more buffers not captured");
    }
}

/// strace's `dumpstr`: 16 bytes a line, offset, hex in two groups of 8, printable ASCII.
pub fn hex_into(data: &[u8], out: &mut String) {
    for (i, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, " | {:05x}  ", i * 16);
        for col in 0..16 {
            match chunk.get(col) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
            if col == 7 {
                out.push(' ');
            }
        }
        out.push(' ');
        for col in 0..16 {
            out.push(match chunk.get(col) {
                Some(&b) if (0x20..0x7f).contains(&b) => char::from(b),
                Some(_) => '.',
                None => ' ',
            });
        }
        out.push_str(" |\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_strace_prints_them() {
        let mut out = String::new();
        hex_into(b"abcdefghijklmnopq", &mut out);
        assert_eq!(
            out,
            " | 00000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  abcdefghijklmnop |\n \
             | 00010  71                                                q                |\n"
        );
        let mut out = String::new();
        hex_into(b"\x7fEL\n", &mut out);
        let chars = format!(".EL.{} |\n", " ".repeat(12));
        assert!(out.starts_with(" | 00000  7f 45 4c 0a    ") && out.ends_with(&chars));
    }

    #[test]
    fn sets_as_strace_reads_them() {
        let set = FdSet::parse("3,6").expect("ok");
        assert!(set.contains(3) && set.contains(6) && !set.contains(4) && !set.contains(-1));
        let not = FdSet::parse("!1").expect("ok");
        assert!(!not.contains(1) && not.contains(2));
        assert!(FdSet::parse("all").expect("ok").contains(100));
        assert!(FdSet::parse("!all").expect("ok").is_empty());
        assert!(FdSet::parse("none").expect("ok").is_empty());
        assert_eq!(FdSet::parse("x"), Err(BadDescriptor("x".into())));
        assert_eq!(FdSet::parse("-1"), Err(BadDescriptor("-1".into())));
    }
}
