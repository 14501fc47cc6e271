//! A PostgreSQL connection's stream in one direction: where the next message starts, and
//! the masking of password messages as they go by (split over calls or behind others).

use super::*;

/// Where a connection's stream is, in one direction.
#[derive(Debug, Clone, Default)]
pub(super) struct Stream {
    pub(super) synced: bool,
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
    /// Picked up again after it lost its place to dropped records: a header that is none
    /// then loses the place again (masked) instead of leaving the stream unfollowed.
    guarded: bool,
    /// The place was lost to dropped records (`lose_to_loss`): only a whole header picks the
    /// stream up again. A place lost otherwise (a header past the captured `-s` bytes) is
    /// picked up as before, a cut header tentatively.
    lost: bool,
}

impl Stream {
    /// `total` bytes went by, of which `data` (a prefix) was captured.
    pub(super) fn transfer(&mut self, data: &mut [u8], total: u64) {
        if !self.synced && !self.pick_up(data, total) {
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
                        lost: guarded,
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
                self.blind = false;
                self.kind = kind;
                self.left = len - 4;
                if self.left == 0 {
                    self.kind = 0;
                }
            }
        }
    }

    /// A stream whose place is unknown is picked up where a call of `total` bytes starts with
    /// a startup packet or a message header (`data`: the bytes captured of them).
    fn pick_up(&mut self, data: &[u8], total: u64) -> bool {
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
        // Where the capture (`-s` below 5), not the call, ended inside the header, nothing
        // tells what the call starts with: a stream that lost its place stays masked.
        let cut = data.len() < 5;
        let capped = (data.len() as u64) < total.min(5);
        if cut && self.blind && (self.lost || capped) {
            return false;
        }
        let ok = data.first().is_some_and(|&k| is_kind(k))
            && (cut || be(1).is_some_and(|len| (4..=MAX_FIRST).contains(&len)));
        self.synced = ok;
        self.tentative = ok && cut;
        self.guarded |= ok && self.blind && self.lost;
        // A tentative start proves nothing yet: the stream stays blind until its header is
        // whole (`transfer`), so that losing the place again keeps it masked.
        self.blind &= !ok || cut;
        ok
    }

    /// A password message's header went by and its body has not (all) come yet.
    pub(super) fn awaits_password(&self) -> bool {
        (self.kind == b'p' && self.left > 0) || self.header.first() == Some(&b'p')
    }

    /// The place is lost, and what comes next is masked until a message start, whether the
    /// stream was followed before or not.
    pub(super) fn blind(&mut self) {
        *self = Self {
            blind: true,
            ..Self::default()
        };
    }

    /// Bytes went by unseen on a stream that was followed: what comes next may be any part of
    /// a message, so it is masked until a call starts with something that reads as a message
    /// start again. A stream never followed (not PostgreSQL's, or its start unseen) stays as
    /// it was. A stream picked up only tentatively (a header cut by the capture or the call, never
    /// seen whole) was never shown to be PostgreSQL's: it stays unfollowed (a file or pipe
    /// written under `-s 2` whose bytes start with a letter is not masked from then on).
    pub(super) fn lose_place(&mut self) {
        let blind = (self.synced && !self.tentative) || self.blind;
        let lost = blind && self.lost;
        *self = Self {
            blind,
            guarded: lost,
            lost,
            ..Self::default()
        };
    }

    /// As `lose_place`, the bytes gone unseen being dropped records: a password message's
    /// header may be among them, so the stream is picked up again only strictly.
    pub(super) fn lose_to_loss(&mut self) {
        self.lose_place();
        self.lost = self.blind;
        self.guarded = self.blind;
    }
}

/// A message type byte of either direction.
pub(super) fn is_kind(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'1' | b'2' | b'3')
}
