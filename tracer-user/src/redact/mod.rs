//! Keeping secrets out of the trace (on by default; `--no-redact` turns it off). What is
//! masked, with `*` over the secret's bytes so lengths and the rest of the line stay:
//!
//! - PostgreSQL password messages (the frontend `p` message: cleartext password, MD5 digest,
//!   SASL exchange). Each connection's stream is followed in each direction, message by
//!   message across calls (write/send/sendto, writev/sendmsg iovecs, read/recv/readv/recvmsg),
//!   so a message split over two calls, or sitting behind others in one call, is found. A
//!   stream whose place is lost (a header beyond the captured `-s` bytes, tracing that began
//!   mid-stream) is picked up again where a call starts with a message.
//! - Password literals in SQL (`PASSWORD 'secret'`, as `ALTER ROLE`, `CREATE ROLE` and psql's
//!   `\password` send them) in simple (`Q`) and extended (`P`) query messages, and in argv.
//! - `password=` values and `user:password@` in libpq connection strings in execve's argv
//!   and in the string literals of SQL (simple and extended query messages, argv).
//! - The values of environment variables passed as options in argv (`-e NAME=VALUE`,
//!   `--env NAME=VALUE`, `--env=NAME=VALUE`), as the environment's own values.
//!
//! - The same in `--tls` plaintext (SSL_read/SSL_write calls), followed per SSL object.
//!
//! - Every value of execve's environment, when `-v` prints it (otherwise it is only counted).
//!
//! Not masked: TLS-encrypted bytes (opaque anyway), passwords in Bind parameters, dollar-quoted
//! or backslash-escaped literals.

mod exec;
mod literals;
mod scrub;
mod sql;
mod stream;

use foldhash::HashMap;

use exec::{argv, environment, exec_area};
use sql::{Sql, sql_literals};
use stream::{Stream, is_kind};

use tracer_common::{CAP_BUF_ARG, CAP_BUF_RET, CAP_EXEC_AREA, CAP_IOVEC, CAP_STRV, MSGHDR_SIZE};

use crate::{
    decode::bytes::iovec_items,
    event::{Blob, Part, RawEvent, RawSyscall},
    tables::{
        FdEffect, SyscallDef,
        args::{ArgKind, StructKind},
        row::behaviour::{AT_OFFSET, DATA_IN, DATA_OUT, MMSG},
    },
};

/// The byte secrets are overwritten with.
const MASK: u8 = b'*';
/// Longest message the protocol allows.
const MAX_MESSAGE: u64 = 1 << 30;
/// Longest first message accepted when picking a stream up (text never looks like this).
const MAX_FIRST: u64 = 1 << 20;
/// PostgreSQL's protocol 3.0, SSLRequest, GSSENCRequest and CancelRequest codes.
const STARTUP_CODES: [u32; 4] = [196_608, 80_877_103, 80_877_104, 80_877_102];

/// Which way data went on an fd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Dir {
    Sent,
    Received,
}

/// The calls that move a connection's bytes (not a file's, at an offset), and which way.
/// preadv2/pwritev2 at offset -1 use the fd's own position, as readv/writev do: on a socket,
/// its stream.
fn direction(def: &SyscallDef, raw: &RawSyscall) -> Option<Dir> {
    let own_position = matches!(def.name, "preadv2" | "pwritev2") && raw.args[3] as i64 == -1;
    if def.has(AT_OFFSET) && !own_position {
        None
    } else if def.has(DATA_OUT) {
        Some(Dir::Sent)
    } else if def.has(DATA_IN) {
        Some(Dir::Received)
    } else {
        None
    }
}

/// Whether calls of `def` may move a connection's bytes, the stream the redactor follows
/// (`direction` says, per call, whether one did): with redaction on, the kernel's `--match`
/// and `--min-duration` tests leave such calls on sockets and pipes to userspace
/// (`SPEC_STREAM`), so that no call the redactor needs is dropped before it sees it.
pub fn follows(def: &SyscallDef) -> bool {
    (def.has(DATA_OUT) || def.has(DATA_IN))
        && (!def.has(AT_OFFSET) || matches!(def.name, "preadv2" | "pwritev2"))
}

/// Masks secrets in events, following each connection's protocol stream.
#[derive(Debug, Default)]
pub struct Redactor {
    streams: HashMap<(u32, i32, Dir), Stream>,
    /// `--tls`: the plaintext streams, by process and `SSL *`.
    tls_streams: HashMap<(u32, u64, Dir), Stream>,
    /// A call's data captured at enter, until its end says how much of it went.
    entered: HashMap<u32, Vec<Blob>>,
}

impl Redactor {
    /// Masks the secrets in `event`, in place.
    pub fn event(&mut self, event: &mut RawEvent) {
        match event {
            RawEvent::Syscall(raw) => self.syscall(raw),
            RawEvent::Tls(t) => self.tls(t),
            RawEvent::Exit(e) => {
                self.entered.remove(&e.tid);
                if e.group_dead {
                    self.streams.retain(|k, _| k.0 != e.tgid);
                    self.tls_streams.retain(|k, _| k.0 != e.tgid);
                }
            }
            RawEvent::Lost { .. } => self.lost(),
            _ => {}
        }
    }

    /// An SSL_read/SSL_write call's plaintext: the same protocol stream as a connection's
    /// bytes, followed per SSL object and direction.
    fn tls(&mut self, t: &mut crate::event::TlsCall) {
        if t.done == 0 || t.faulted {
            return;
        }
        let dir = match tracer_common::tls_is_read(t.func) {
            true => Dir::Received,
            false => Dir::Sent,
        };
        let stream = self.tls_streams.entry((t.tgid, t.ssl, dir)).or_default();
        let seen = t
            .data
            .len()
            .min(usize::try_from(t.done).unwrap_or(usize::MAX));
        stream.transfer(&mut t.data[..seen], t.done);
    }

    fn syscall(&mut self, raw: &mut RawSyscall) {
        raw.blobs.iter_mut().for_each(scrub::scrub);
        let Some(def) = crate::tables::by_nr(raw.nr) else {
            return;
        };
        if def.is_exec() {
            // With -v the environment is captured as argv is (`CAP_STRV`), in its own slot.
            let envp = def.args.and_then(|kinds| {
                kinds
                    .iter()
                    .position(|k| matches!(k, ArgKind::In(StructKind::Envp)))
            });
            for b in raw.blobs.iter_mut() {
                match b.kind {
                    CAP_STRV if envp == Some(usize::from(b.arg)) => environment(&mut b.data),
                    CAP_STRV => argv(&mut b.data),
                    // The strings the new image holds, read back at exit: the same argv, so
                    // the same secrets (and what `exec_area::recover` shows in place of a
                    // faulted argv comes from here).
                    CAP_EXEC_AREA => exec_area(&mut b.data),
                    _ => {}
                }
            }
            return;
        }
        if def.fd == FdEffect::Close {
            let fd = raw.args[0] as i32;
            self.streams.retain(|k, _| (k.0, k.1) != (raw.tgid, fd));
            return;
        }
        let Some(dir) = direction(def, raw) else {
            stateless(raw);
            return;
        };
        let key = (raw.tgid, raw.args[0] as i32, dir);
        if raw.part == Part::Enter {
            // Shown before the call ends: masked as if all of it went, nothing committed.
            if has_data(&raw.blobs) {
                self.entered.insert(raw.tid, raw.blobs.clone());
            }
            let first = first_bytes(&raw.blobs);
            if self.crossed(key, &first).is_some() {
                mask_all(&mut raw.blobs);
                return;
            }
            let mut peek = self.streams.get(&key).cloned().unwrap_or_default();
            if is_startup(&first) {
                peek = Stream::default();
            }
            walk(&mut peek, &mut raw.blobs, None);
            return;
        }
        let entered = self.entered.remove(&raw.tid);
        let Ok(total) = u64::try_from(raw.ret) else {
            return;
        };
        if total == 0 {
            self.streams.entry(key).or_default();
            return;
        }
        let first = match (has_data(&raw.blobs), &entered) {
            (false, Some(blobs)) if raw.has_enter_record => first_bytes(blobs),
            _ => first_bytes(&raw.blobs),
        };
        if let Some(other) = self.crossed(key, &first) {
            // Another stream of this direction waits for a password's body, and this call
            // does not start a message: it may be that body, written through another fd (a
            // dup, a forked child's inherited fd). Masked whole; neither stream knows its
            // place any more.
            mask_all(&mut raw.blobs);
            for k in [other, key] {
                self.streams.entry(k).or_default().blind();
            }
            return;
        }
        if peeks(def, raw) {
            // MSG_PEEK: the bytes stay queued for the read that takes them, which moves the
            // stream; shown as that read will show them.
            let mut peek = self.streams.get(&key).cloned().unwrap_or_default();
            if is_startup(&first) {
                peek = Stream::default();
            }
            match def.has(MMSG) {
                true => walk_mmsg(&mut peek, &mut raw.blobs, total),
                false => walk(&mut peek, &mut raw.blobs, Some(total)),
            }
            return;
        }
        let stream = self.streams.entry(key).or_default();
        if is_startup(&first) {
            // A new connection starts here (its fd number may be a dead one's, whose close
            // went untraced): whatever the stream was in the middle of is over.
            *stream = Stream::default();
        }
        if def.has(MMSG) {
            // `total` counts messages; each says how many bytes it moved.
            walk_mmsg(stream, &mut raw.blobs, total);
        } else if has_data(&raw.blobs) {
            walk(stream, &mut raw.blobs, Some(total));
        } else if let Some(mut blobs) = entered.filter(|_| raw.has_enter_record) {
            // Its data was in the enter record (masked then): the stream moves on past it.
            walk(stream, &mut blobs, Some(total));
        } else {
            // Nothing captured: where the stream is now is unknown.
            stream.lose_place();
        }
    }
}

impl Redactor {
    /// Records were lost (the ring buffer was full, or the kernel side dropped some): any
    /// stream may have moved unseen, a password message's header among the lost bytes and its
    /// body still to come. Every stream that was followed is masked until it can be picked
    /// up again (`Stream::pick_up`'s strict form); one never followed (a file, a terminal)
    /// stays as it was.
    fn lost(&mut self) {
        for s in self
            .streams
            .values_mut()
            .chain(self.tls_streams.values_mut())
        {
            s.lose_to_loss();
        }
        // A call in progress may have been cut from its end: its enter's data is no guide.
        self.entered.clear();
    }

    /// Another stream in `key`'s direction whose password message's body has not come yet,
    /// when a call on `key` whose data starts with `first` does not start a message.
    fn crossed(&self, key: (u32, i32, Dir), first: &[u8]) -> Option<(u32, i32, Dir)> {
        if proven_start(first) {
            return None;
        }
        self.streams
            .iter()
            .find(|(k, s)| **k != key && k.2 == key.2 && s.awaits_password())
            .map(|(k, _)| *k)
    }
}

/// A receive with `MSG_PEEK`: it copies bytes out and leaves them queued.
fn peeks(def: &SyscallDef, raw: &RawSyscall) -> bool {
    const MSG_PEEK: u64 = 2;
    let flags = match def.name {
        "recvfrom" | "recvmmsg" => raw.args[3],
        "recvmsg" => raw.args[2],
        _ => return false,
    };
    flags & MSG_PEEK != 0
}

/// The first captured bytes of a call's data (at most 8: a startup packet's or a header's).
fn first_bytes(blobs: &[Blob]) -> Vec<u8> {
    let mut out = Vec::new();
    for blob in blobs.iter().filter(|b| !b.faulted) {
        match blob.kind {
            CAP_BUF_ARG | CAP_BUF_RET => out.extend_from_slice(&blob.data),
            CAP_IOVEC => {
                for item in iovec_items(&blob.data) {
                    out.extend_from_slice(&blob.data[item.data]);
                }
            }
            _ => {}
        }
        if out.len() >= 8 {
            break;
        }
    }
    out.truncate(8);
    out
}

/// Every captured byte of a call's data masked.
fn mask_all(blobs: &mut [Blob]) {
    for blob in blobs.iter_mut() {
        match blob.kind {
            CAP_BUF_ARG | CAP_BUF_RET => blob.data.fill(MASK),
            CAP_IOVEC => {
                for item in iovec_items(&blob.data) {
                    blob.data[item.data].fill(MASK);
                }
            }
            _ => {}
        }
    }
}

fn be32(data: &[u8], at: usize) -> Option<u64> {
    data.get(at..at + 4)
        .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
}

/// A startup packet (protocol 3.0, SSLRequest, GSSENCRequest, CancelRequest) at `data`'s start.
fn is_startup(data: &[u8]) -> bool {
    matches!((be32(data, 0), be32(data, 4)), (Some(len), Some(code))
        if STARTUP_CODES.contains(&(code as u32)) && (8..=10_000).contains(&len))
}

/// `data` starts with a startup packet, or a message header read whole with a length as
/// plausible as a first message's.
fn proven_start(data: &[u8]) -> bool {
    is_startup(data)
        || (data.first().is_some_and(|&k| is_kind(k))
            && be32(data, 1).is_some_and(|len| (4..=MAX_FIRST).contains(&len)))
}

fn has_data(blobs: &[Blob]) -> bool {
    blobs
        .iter()
        .any(|b| matches!(b.kind, CAP_BUF_ARG | CAP_BUF_RET | CAP_IOVEC))
}

/// Feeds a call's `total` transferred bytes through `stream`: its buffer, or its iovecs in
/// order; what was transferred but not captured, last. `None`: a peek at data captured at
/// enter, all of it taken as sent.
fn walk(stream: &mut Stream, blobs: &mut [Blob], total: Option<u64>) {
    let mut left = total.unwrap_or(u64::MAX);
    for blob in blobs.iter_mut().filter(|b| !b.faulted) {
        match blob.kind {
            CAP_BUF_ARG | CAP_BUF_RET => {
                let t = total.map_or(blob.data.len() as u64, |_| left);
                let seen = (blob.data.len() as u64).min(t) as usize;
                stream.transfer(&mut blob.data[..seen], t);
                left -= t;
            }
            CAP_IOVEC => {
                for item in iovec_items(&blob.data) {
                    let t = total.map_or(item.data.len() as u64, |_| item.len.min(left));
                    let seen = (item.data.len() as u64).min(t) as usize;
                    let start = item.data.start;
                    stream.transfer(&mut blob.data[start..start + seen], t);
                    left -= t;
                }
            }
            _ => {}
        }
    }
    if total.is_some() && left > 0 {
        stream.transfer(&mut [], left);
    }
}

/// sendmmsg/recvmmsg: the first `count` messages' iovecs, each entry (a `CAP_MSGHDR` blob of
/// the whole mmsghdr, then its sub-blobs) moving its `msg_len` bytes, in order.
fn walk_mmsg(stream: &mut Stream, blobs: &mut [Blob], count: u64) {
    let mut entry = 0u64;
    let mut moved = None;
    for blob in blobs.iter_mut().filter(|b| !b.at_enter) {
        match blob.kind {
            tracer_common::CAP_MSGHDR => {
                if entry >= count {
                    return;
                }
                entry += 1;
                moved = crate::decode::bytes::u32_at(&blob.data, usize::from(MSGHDR_SIZE))
                    .filter(|_| !blob.faulted);
                if moved.is_none() {
                    // Where the stream is after this entry is unknown.
                    stream.lose_place();
                    return;
                }
            }
            CAP_IOVEC => {
                if let Some(len) = moved.take() {
                    walk(stream, std::slice::from_mut(blob), Some(u64::from(len)));
                }
            }
            _ => {}
        }
    }
    if entry < count {
        // Messages past the captured entries (the kernel side keeps four) moved bytes nobody
        // saw: a password message's header among them would leave its body to a later call.
        stream.lose_place();
    }
}

/// Calls that are not a connection's transfer: each buffer on its own.
fn stateless(raw: &mut RawSyscall) {
    let ret = usize::try_from(raw.ret).unwrap_or(0);
    for blob in raw
        .blobs
        .iter_mut()
        .filter(|b| b.kind == CAP_BUF_ARG || b.kind == CAP_BUF_RET)
    {
        let total = ret.max(blob.data.len());
        pg_passwords(&mut blob.data, total);
    }
}

/// Masks the payload of every PostgreSQL password message at the start of `data`, a buffer of
/// which `total` bytes were really transferred (`data` may be a prefix). Returns whether
/// anything was masked. A run of messages is followed while each looks like one (a letter,
/// then a length that fits the transfer), so text that merely starts with `p` is left alone.
pub fn pg_passwords(data: &mut [u8], total: usize) -> bool {
    let mut pos = 0;
    let mut masked = false;
    while pos + 5 <= data.len() {
        let kind = data[pos];
        let len = u32::from_be_bytes([data[pos + 1], data[pos + 2], data[pos + 3], data[pos + 4]]);
        let len = len as usize;
        if !kind.is_ascii_alphabetic() || len < 4 || pos + 1 + len > total {
            break;
        }
        if kind == b'p' {
            let end = (pos + 1 + len).min(data.len());
            data[pos + 5..end].fill(MASK);
            masked = true;
        }
        pos += 1 + len;
    }
    masked
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fail_closed;
#[cfg(test)]
mod tests_literals;
