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
//! - `password=` values and `user:password@` in libpq connection strings in execve's argv.
//!
//! - The same in `--tls` plaintext (SSL_read/SSL_write calls), followed per SSL object.
//!
//! - Every value of execve's environment, when `-v` prints it (otherwise it is only counted).
//!
//! Not masked: TLS-encrypted bytes (opaque anyway), passwords in Bind parameters, dollar-quoted
//! or backslash-escaped literals.

mod exec;
mod scrub;
mod sql;

use foldhash::HashMap;

use exec::{argv, environment, exec_area};
use sql::{Sql, sql_literals};

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
            s.lose_place();
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

/// Where a connection's stream is, in one direction.
#[derive(Debug, Clone, Default)]
struct Stream {
    synced: bool,
    /// Picked up where a call starts with a message kind whose header the call cut: the
    /// header, once whole, must be as plausible as a first one (`MAX_FIRST`).
    tentative: bool,
    /// Header bytes of the next message seen so far (a header split between calls).
    header: Vec<u8>,
    kind: u8,
    /// Body bytes of the current message still to come.
    left: u64,
    sql: Sql,
    /// The stream was followed, then lost its place (`lose_place`).
    blind: bool,
    /// Picked up again after it lost its place: a header that is none then loses the place
    /// again (masked) instead of leaving the stream unfollowed.
    guarded: bool,
}

impl Stream {
    /// `total` bytes went by, of which `data` (a prefix) was captured.
    fn transfer(&mut self, data: &mut [u8], total: u64) {
        if !self.synced && !self.pick_up(data) {
            if self.blind {
                // It may be the rest of a message whose start went by unseen: a password.
                data.fill(MASK);
            }
            return;
        }
        let mut pos = 0u64;
        while pos < total {
            if self.left > 0 {
                let n = self.left.min(total - pos);
                let end = pos + n;
                let seen_end = end.min(data.len() as u64) as usize;
                if self.kind == b'Q'
                    && let Some(at) = data
                        .get(pos as usize..seen_end)
                        .and_then(|body| body.iter().position(|&c| c == 0))
                        .filter(|&j| j as u64 + 1 < self.left)
                        .map(|j| pos as usize + j)
                {
                    // A query string ends at its message's last byte: a NUL before it means
                    // this is not the query (a connection that reused a dead one's fd number
                    // mid-message). What follows may be anything, a password: masked.
                    self.sql.scan(&mut data[pos as usize..at]);
                    data[at + 1..].fill(MASK);
                    self.lose_place();
                    return;
                }
                if let Some(seen) = data.get_mut(pos as usize..seen_end) {
                    match self.kind {
                        b'p' => seen.fill(MASK),
                        b'Q' | b'P' => self.sql.scan(seen),
                        _ => {}
                    }
                }
                self.left -= n;
                pos = end;
                if self.left == 0 || seen_end < end as usize {
                    self.sql = Sql::default();
                }
                continue;
            }
            let Some(&b) = data.get(pos as usize) else {
                // A header in bytes not captured.
                self.lose_place();
                return;
            };
            self.header.push(b);
            pos += 1;
            if self.header.len() == 5 {
                let kind = self.header[0];
                let len = u64::from(u32::from_be_bytes([
                    self.header[1],
                    self.header[2],
                    self.header[3],
                    self.header[4],
                ]));
                self.header.clear();
                let most = if self.tentative {
                    MAX_FIRST
                } else {
                    MAX_MESSAGE
                };
                // Picked up after a loss and checked whole since: a header that is none
                // means bytes went by unseen again (a second loss inside a password), not
                // that the connection stopped speaking the protocol.
                let guarded = self.guarded && !self.tentative;
                self.tentative = false;
                if !is_kind(kind) || !(4..=most).contains(&len) {
                    *self = Self {
                        blind: guarded,
                        guarded,
                        ..Self::default()
                    };
                    // A header read whole from this piece's start was no message: the piece
                    // may start something else (a startup packet after an SSLRequest).
                    if pos == 5 {
                        self.transfer(data, total);
                    } else if guarded {
                        // Those header bytes and the rest may be a password's body.
                        let from = (pos.saturating_sub(5) as usize).min(data.len());
                        data[from..].fill(MASK);
                    }
                    return;
                }
                self.kind = kind;
                self.left = len - 4;
                if self.left == 0 {
                    self.kind = 0;
                }
            }
        }
    }

    /// A stream whose place is unknown is picked up where a call starts with a startup packet
    /// or a message header.
    fn pick_up(&mut self, data: &[u8]) -> bool {
        let be = |at: usize| {
            data.get(at..at + 4)
                .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
        };
        if let (Some(len), Some(code)) = (be(0), be(4))
            && STARTUP_CODES.contains(&(code as u32))
            && (8..=10_000).contains(&len)
        {
            // No kind byte: the whole packet is one body.
            *self = Self {
                synced: true,
                left: len,
                ..Self::default()
            };
            return true;
        }
        // A header cut by the piece's end (`p` alone, then its length in the next call) is
        // taken tentatively, and checked once whole; not on a stream that lost its place: a
        // short password's body (`ab\0`) reads as such a cut header, and its bytes would
        // then be shown as one. There only a whole header proves a message start (a
        // cleartext or MD5 password's body is a C string: its second byte is no NUL, so
        // its first five bytes never read as a kind and a length below `MAX_FIRST`).
        let cut = data.len() < 5;
        if cut && self.blind {
            return false;
        }
        let ok = data.first().is_some_and(|&k| is_kind(k))
            && (cut || be(1).is_some_and(|len| (4..=MAX_FIRST).contains(&len)));
        self.synced = ok;
        self.tentative = ok && cut;
        self.guarded |= ok && self.blind;
        self.blind &= !ok;
        ok
    }

    /// A password message's header went by and its body has not (all) come yet.
    fn awaits_password(&self) -> bool {
        (self.kind == b'p' && self.left > 0) || self.header.first() == Some(&b'p')
    }

    /// The place is lost, and what comes next is masked until a message start, whether the
    /// stream was followed before or not.
    fn blind(&mut self) {
        *self = Self {
            blind: true,
            ..Self::default()
        };
    }

    /// Bytes went by unseen on a stream that was followed: what comes next may be any part of
    /// a message, so it is masked until a call starts with something that reads as a message
    /// start again. A stream never followed (not PostgreSQL's, or its start unseen) stays as
    /// it was.
    fn lose_place(&mut self) {
        let blind = self.synced || self.blind;
        *self = Self {
            blind,
            guarded: blind,
            ..Self::default()
        };
    }
}

/// A message type byte of either direction.
fn is_kind(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'1' | b'2' | b'3')
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
