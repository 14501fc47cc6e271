//! Connection strings inside SQL string literals (`CREATE SUBSCRIPTION s CONNECTION 'host=h
//! password=...'`, `dblink_connect('host=h password=...')`, `'postgres://u:pw@h/db'`): each
//! literal of a query's text is read as libpq reads a connection string (`exec::conninfo`,
//! argv's rule) and its password masked.

use super::{MASK, exec::conninfo};

/// Where SQL text fed in pieces is: inside a standard (`'...'`) literal or not.
#[derive(Debug, Clone, Default)]
pub(super) struct Literals {
    /// Inside a literal.
    open: bool,
    /// The previous piece ended with a quote inside a literal: the literal's end, or the first
    /// of a doubled quote (`''`, a quote in the string).
    quote: bool,
}

impl Literals {
    /// Masks the connection-string passwords in the literals of `text`, the next piece.
    pub(super) fn scan(&mut self, text: &mut [u8]) {
        let mut i = 0;
        if std::mem::take(&mut self.quote) {
            if text.first() == Some(&b'\'') {
                i = 1;
            } else {
                self.open = false;
            }
        }
        loop {
            if !self.open {
                let Some(at) = memchr::memchr(b'\'', &text[i..]) else {
                    return;
                };
                i += at + 1;
                self.open = true;
            }
            let start = i;
            let mut j = i;
            loop {
                let Some(at) = memchr::memchr(b'\'', &text[j..]) else {
                    // The literal goes on in the next piece.
                    literal(&mut text[start..]);
                    return;
                };
                let q = j + at;
                match text.get(q + 1) {
                    Some(b'\'') => j = q + 2,
                    Some(_) => {
                        literal(&mut text[start..q]);
                        self.open = false;
                        i = q + 1;
                        break;
                    }
                    None => {
                        literal(&mut text[start..q]);
                        self.quote = true;
                        return;
                    }
                }
            }
        }
    }
}

/// Whether `text` holds the keyword `password` (any case) or a URI's `://`.
fn names_a_password(text: &[u8]) -> bool {
    const KEY: &[u8] = b"password";
    memchr::memmem::find(text, b"://").is_some()
        || memchr::memchr2_iter(b'p', b'P', text).any(|i| {
            text.get(i..i + KEY.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(KEY))
        })
}

/// One literal's contents (or the part of it in this piece), quotes doubled: read as the
/// string SQL makes of it, masked where that string's password is.
fn literal(text: &mut [u8]) {
    // A password needs `=` (keyword/value or URI parameter) or `@` (a URI's `user:pw@`),
    // and the keyword `password` or a URI's `://` (`conninfo` masks nothing else). Undoubling
    // quotes joins no new such word. Most literals (a query's text after an apostrophe in a
    // comment runs to the next quote) have neither: the copies below cost ~5000 instructions
    // per 256-byte buffer.
    if memchr::memchr2(b'=', b'@', text).is_none() || !names_a_password(text) {
        return;
    }
    let mut value = Vec::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len());
    let mut k = 0;
    while k < text.len() {
        value.push(text[k]);
        from.push(k);
        k += if text[k] == b'\'' && text.get(k + 1) == Some(&b'\'') {
            2
        } else {
            1
        };
    }
    let before = value.clone();
    conninfo(&mut value);
    for (n, (&now, &was)) in value.iter().zip(&before).enumerate() {
        if now == MASK && was != MASK {
            let at = from[n];
            let width = if was == b'\'' && text.get(at + 1) == Some(&b'\'') {
                2
            } else {
                1
            };
            text[at..at + width].fill(MASK);
        }
    }
}
