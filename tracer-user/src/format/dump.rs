//! `-e read=SET` / `-e write=SET`: full hex dumps of the data a call read from / wrote to one
//! of the fds in SET, after its line, in strace's layout:
//!
//! ```text
//!  | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              hello world.     |
//! ```
//!
//! The calls are strace 6.1's (`dumpio`): buffers, iovec arrays, a msghdr's iovecs, an
//! mmsghdr array's (each message after ` = N buffers in vector I`).
//!
//! Only what the source captured can be dumped: the eBPF backend keeps at most half a kernel
//! record of each buffer (`MAX_RECORD / 2`, 8 KiB), ptrace 64 KiB (or `-s`, if larger). The bytes
//! past that are not lost silently: a ` * N bytes not captured` line says how many are missing.

use std::fmt::Write as _;

use tracer_common::{CAP_IOVEC, CAP_MSGHDR};

use crate::{
    decode::{bytes, is_error, mmsg},
    event::RawSyscall,
    tables::{
        self,
        row::behaviour::{DATA_IN, DATA_OUT, MMSG, MSG, VECTORED},
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

/// The direction of a call strace dumps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Io {
    Read,
    Write,
}

/// What argument 1 of a dumped call is, as strace's `dumpio` tells them apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// A buffer (`read`, `sendto`, ...).
    Buffer,
    /// An iovec array (`readv`, `pwritev`, ...).
    Iovecs,
    /// A msghdr: its iovecs (`sendmsg`, `recvmsg`).
    Msghdr,
    /// An mmsghdr array: each entry's iovecs (`sendmmsg`, `recvmmsg`).
    Mmsghdr,
}

/// The calls strace 6.1 dumps (those whose row says they move data through argument 1):
/// their direction and argument 1's layout.
fn io_of(nr: u32) -> Option<(Io, Layout)> {
    let def = tables::by_nr(nr)?;
    let io = if def.has(DATA_IN) {
        Io::Read
    } else if def.has(DATA_OUT) {
        Io::Write
    } else {
        return None;
    };
    let layout = if def.has(MMSG) {
        Layout::Mmsghdr
    } else if def.has(MSG) {
        Layout::Msghdr
    } else if def.has(VECTORED) {
        Layout::Iovecs
    } else {
        Layout::Buffer
    };
    Some((io, layout))
}

/// Appends the dump of `raw`'s data to `out` (after its line's newline), if its fd is in the
/// matching set, as strace does: what a write was given even when it failed, what a read
/// returned only when it succeeded.
pub fn io_into(raw: &RawSyscall, dumps: &Dumps, out: &mut String) {
    if raw.no_enter {
        return;
    }
    let fd = i64::from(raw.args[0] as i32);
    let Some((io, layout)) = io_of(raw.nr) else {
        return;
    };
    // How many bytes to dump: what a read returned; a write, all it was given.
    let upto = match io {
        Io::Read if dumps.read.contains(fd) && !is_error(raw.ret) => Some(raw.ret as u64),
        Io::Write if dumps.write.contains(fd) => None,
        _ => return,
    };
    let failed = is_error(raw.ret);
    match layout {
        Layout::Buffer => {
            if let Some(blob) = raw.blob(1).filter(|b| !b.faulted) {
                let len = upto.unwrap_or(raw.args[2]);
                match failed && blob.truncated {
                    false => buffer_into(&blob.data, len, out),
                    true => not_captured(len, out),
                }
            }
        }
        Layout::Iovecs => {
            if let Some(blob) = raw.blob(1).filter(|b| !b.faulted) {
                iovecs_into(&blob.data, raw.args[2], upto, failed, out);
            }
        }
        Layout::Msghdr => msghdr_into(raw, upto, failed, out),
        Layout::Mmsghdr => mmsghdr_into(raw, out),
    }
}

/// ` * N bytes not captured`.
fn not_captured(len: u64, out: &mut String) {
    let _ = writeln!(out, " * {len} bytes not captured");
}

/// strace's `dumpiov_in_msghdr`: the iovecs of the msghdr in argument 1.
fn msghdr_into(raw: &RawSyscall, upto: Option<u64>, failed: bool, out: &mut String) {
    // The blobs read at exit if there are (what a receive filled in).
    let iovlen = raw
        .blob_kind(1, CAP_MSGHDR)
        .and_then(|b| tracer_common::wire::read::<tracer_common::Msghdr>(&b.data))
        .map(|m| m.msg_iovlen);
    if let (Some(count), Some(iov)) = (iovlen, raw.blob_kind(1, CAP_IOVEC)) {
        iovecs_into(&iov.data, count, upto, failed, out);
    }
}

/// strace's `dumpiov_in_mmsghdr`: for each message the call sent or received (its return
/// value), ` = N buffers in vector I` and its iovecs up to its `msg_len`; the messages past
/// the captured entries are counted (` * N more messages not captured`). A failed call dumps
/// nothing (strace walks the array on past its end then).
fn mmsghdr_into(raw: &RawSyscall, out: &mut String) {
    let sent = usize::try_from(raw.ret).unwrap_or(0);
    let entries = mmsg::entries(&raw.blobs, 1);
    for (i, entry) in entries.iter().take(sent).enumerate() {
        let (Some(count), Some(len)) = (entry.iovlen(), entry.msg_len()) else {
            return;
        };
        let _ = writeln!(out, " = {count} buffers in vector {i}");
        if let Some(iov) = entry.sub(CAP_IOVEC) {
            iovecs_into(&iov.data, count, Some(u64::from(len)), false, out);
        }
    }
    // The kernel side keeps the first MMSG_MAX_ITEMS entries.
    let uncaptured = sent.saturating_sub(entries.len());
    if uncaptured > 0 {
        let _ = writeln!(out, " * {uncaptured} more messages not captured");
    }
}

/// `len` bytes of which `data` were captured.
fn buffer_into(data: &[u8], len: u64, out: &mut String) {
    let data = &data[..data.len().min(usize::try_from(len).unwrap_or(usize::MAX))];
    hex_into(data, out);
    let missing = len.saturating_sub(data.len() as u64);
    if missing > 0 {
        not_captured(missing, out);
    }
}

/// strace's `dumpiov_upto`: the buffers of `count` iovecs up to `upto` bytes in all (a read's
/// return value; for a write `u64::MAX`, which each buffer's length is taken from, as
/// strace does), each after ` * N bytes in buffer I`, until the first empty one. Nothing
/// when the array could not be read (strace: its address, no dump). A `failed` call's
/// buffer that was captured only in part is not dumped: its length may be garbage the
/// kernel rejected, and the bytes past the real buffer memory it never read.
fn iovecs_into(blob: &[u8], count: u64, upto: Option<u64>, failed: bool, out: &mut String) {
    if !bytes::iovec_readable(blob) {
        return;
    }
    let mut left = upto.unwrap_or(u64::MAX);
    let entries = bytes::iovec_items(blob);
    for (i, v) in entries.iter().enumerate() {
        let len = left.min(v.len);
        left -= len;
        if len == 0 {
            return;
        }
        let _ = writeln!(out, " * {len} bytes in buffer {i}");
        let cut = v.flags & u32::from(tracer_common::BLOB_TRUNCATED) != 0;
        match v.flags & u32::from(tracer_common::BLOB_FAULTED) == 0 && !(failed && cut) {
            true => buffer_into(&blob[v.data.clone()], len, out),
            false => not_captured(len, out),
        }
    }
    let uncaptured = count.saturating_sub(entries.len() as u64);
    if uncaptured > 0 && left != 0 {
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
