//! A small streaming JSON writer: objects and arrays written straight into a `String`, no
//! intermediate tree (the JSON output runs once per event, so allocation matters).

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The bytes of `w` (little-endian) that need escaping in JSON (a control byte, `"`, `\\`,
/// DEL), each as its top bit: the usual word-at-a-time tests. The lowest bit set is exact
/// (the tests' borrows only reach bytes above a match), so it is the first byte to escape.
fn escapes_in(w: u64) -> u64 {
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
    below_space | has_zero(w ^ (LO * 0x22)) | has_zero(w ^ (LO * 0x5c)) | has_zero(w ^ (LO * 0x7f))
}

/// How a byte is written in a JSON string: itself (None), or its escape.
fn escape_of(b: u8) -> Option<&'static str> {
    const CONTROL: [&str; 32] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\u0008", "\\t", "\\n", "\\u000b", "\\u000c", "\\r", "\\u000e", "\\u000f", "\\u0010",
        "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018",
        "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ];
    match b {
        0..=0x1f => Some(CONTROL[usize::from(b)]),
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        0x7f => Some("\\u007f"),
        _ => None,
    }
}

/// `s` as a JSON string literal. Runs of plain bytes are found 8 at a time (the first byte
/// to escape in a word comes straight from its bit mask) and copied whole: a captured
/// buffer is mostly such runs.
pub fn escape_into(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    body_into(s, out);
    out.push('"');
}

/// Captured bytes as a JSON string a log shipper keeps whole: invalid UTF-8 and NUL bytes
/// replaced by U+FFFD (C JSON parsers such as rsyslog's json-c end a string at `\u0000`), as
/// `String::from_utf8_lossy` replaces, written straight into `out`. Returns whether anything
/// was replaced (`utf8: false`); `message` has the exact bytes, as strace prints them.
pub fn escape_lossy_into(bytes: &[u8], out: &mut String) -> bool {
    out.reserve(bytes.len() + 2);
    out.push('"');
    // Valid UTF-8 (the usual case) is checked fast, a word at a time; chunk by chunk only
    // when it is not.
    let replaced = match std::str::from_utf8(bytes) {
        Ok(valid) => without_nul_into(valid, out),
        Err(_) => {
            let mut replaced = false;
            for chunk in bytes.utf8_chunks() {
                replaced |= without_nul_into(chunk.valid(), out);
                if !chunk.invalid().is_empty() {
                    out.push(char::REPLACEMENT_CHARACTER);
                    replaced = true;
                }
            }
            replaced
        }
    };
    out.push('"');
    replaced
}

/// The escaped text of `s` with each NUL replaced by U+FFFD; whether there was one.
fn without_nul_into(s: &str, out: &mut String) -> bool {
    let mut pieces = s.split('\0');
    body_into(pieces.next().unwrap_or_default(), out);
    let mut replaced = false;
    for piece in pieces {
        out.push(char::REPLACEMENT_CHARACTER);
        body_into(piece, out);
        replaced = true;
    }
    replaced
}

/// The escaped text of `s`, without quotes. Plain runs are found 16 bytes at a time (SSE2,
/// which every x86_64 has) or 8 at a time elsewhere, and copied whole; each escape is
/// appended to the same buffer without a second capacity check.
fn body_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    // SAFETY: only whole runs of `s` (split at ASCII bytes, so on character boundaries) and
    // ASCII escapes are appended: the buffer stays UTF-8.
    let v = unsafe { out.as_mut_vec() };
    let (mut start, mut i) = (0, 0);
    while let Some(at) = next_escape(bytes, i) {
        let esc = escape_of(bytes[at]).unwrap_or_default();
        v.reserve(at - start + esc.len());
        v.extend_from_slice(&bytes[start..at]);
        v.extend_from_slice(esc.as_bytes());
        i = at + 1;
        start = i;
    }
    v.extend_from_slice(&bytes[start..]);
}

/// The first byte at or after `from` that JSON escapes.
fn next_escape(bytes: &[u8], mut from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    while from + 16 <= bytes.len() {
        let found = escapes_in_16(&bytes[from..from + 16]);
        if found != 0 {
            return Some(from + found.trailing_zeros() as usize);
        }
        from += 16;
    }
    while from + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[from..from + 8]);
        let found = escapes_in(u64::from_le_bytes(word));
        if found != 0 {
            return Some(from + (found.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    bytes[from..]
        .iter()
        .position(|&b| escape_of(b).is_some())
        .map(|p| from + p)
}

/// A bit per byte of `chunk` (16 bytes) that JSON escapes: below 0x20, `"`, `\\`, DEL.
#[cfg(target_arch = "x86_64")]
fn escapes_in_16(chunk: &[u8]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    debug_assert_eq!(chunk.len(), 16);
    // SAFETY: SSE2 is part of x86_64; the load reads the 16 bytes of `chunk`, unaligned.
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        // x <= 0x1f exactly when max(x, 0x1f) == 0x1f (unsigned).
        let low = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
        let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
        let del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
        let any = _mm_or_si128(_mm_or_si128(low, quote), _mm_or_si128(backslash, del));
        _mm_movemask_epi8(any) as u32
    }
}

/// Appends `s`; a short one (a key, a name, a piece of the record's fixed text: most of
/// what a record is made of) by a few overlapping word moves instead of a call to `memcpy`,
/// which costs more than the copy for so few bytes.
#[inline]
pub fn put(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let n = b.len();
    if n > 32 || n == 0 {
        out.push_str(s);
        return;
    }
    out.reserve(n);
    // SAFETY: `n` bytes are reserved past the length; the moves read only inside `b` (the
    // last ones end at its end, overlapping the first when `n` is not a multiple) and write
    // only inside the reserved room; `s` is UTF-8 and is appended whole.
    unsafe {
        let v = out.as_mut_vec();
        let len = v.len();
        let (src, dst) = (b.as_ptr(), v.as_mut_ptr().add(len));
        if n >= 16 {
            let (a, z) = (src.cast::<[u8; 16]>(), src.add(n - 16).cast::<[u8; 16]>());
            let (first, last) = (a.read_unaligned(), z.read_unaligned());
            dst.cast::<[u8; 16]>().write_unaligned(first);
            dst.add(n - 16).cast::<[u8; 16]>().write_unaligned(last);
        } else if n >= 8 {
            let (first, last) = (
                src.cast::<u64>().read_unaligned(),
                src.add(n - 8).cast::<u64>().read_unaligned(),
            );
            dst.cast::<u64>().write_unaligned(first);
            dst.add(n - 8).cast::<u64>().write_unaligned(last);
        } else if n >= 4 {
            let (first, last) = (
                src.cast::<u32>().read_unaligned(),
                src.add(n - 4).cast::<u32>().read_unaligned(),
            );
            dst.cast::<u32>().write_unaligned(first);
            dst.add(n - 4).cast::<u32>().write_unaligned(last);
        } else {
            // One to three bytes: the first, the middle and the last cover them.
            *dst = *src;
            *dst.add(n / 2) = *src.add(n / 2);
            *dst.add(n - 1) = *src.add(n - 1);
        }
        v.set_len(len + n);
    }
}

/// An integer, always as a JSON number (schema 2: a field keeps one type). JSON keeps every
/// 64-bit integer exactly; parsers that read numbers as doubles round those past 2^53, which
/// is why raw register values are also given as hex strings.
pub fn int_into(v: i64, out: &mut String) {
    super::value::decimal_into(v, out);
}

/// `"0x1f"`: lowercase hex digits of `v` in quotes.
pub fn hex_into(v: u64, out: &mut String) {
    out.push('"');
    super::value::prefixed_hex_into(v, out);
    out.push('"');
}

/// An object being written; `close` ends it.
pub struct Obj<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Obj<'a> {
    pub fn open(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    /// Members written into `out` without braces, to be put into an object with `members`.
    pub fn bare(out: &'a mut String) -> Self {
        Self { out, empty: true }
    }

    /// More members of an object whose `{` and first members are in `out` already.
    pub fn after(out: &'a mut String) -> Self {
        Self { out, empty: false }
    }

    /// Members written before (with `bare`), copied as they are.
    pub fn members(&mut self, json: &str) -> &mut Self {
        if json.is_empty() {
            return self;
        }
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        put(self.out, json);
        self
    }

    /// Starts member `k` (plain ASCII names only) and returns where its value goes.
    pub fn key(&mut self, k: &str) -> &mut String {
        // One capacity check for the four pieces (a record has dozens of keys).
        self.out.reserve(k.len() + 4);
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        put(self.out, k);
        self.out.push_str("\":");
        self.out
    }

    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        escape_into(v, self.key(k));
        self
    }

    pub fn int(&mut self, k: &str, v: i64) -> &mut Self {
        int_into(v, self.key(k));
        self
    }

    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k).push_str(if v { "true" } else { "false" });
        self
    }

    /// `"0x1f"`: a raw 64-bit value.
    pub fn hex(&mut self, k: &str, v: u64) -> &mut Self {
        hex_into(v, self.key(k));
        self
    }

    /// A string known to need no escaping (names and constants of tracer's own: ASCII
    /// letters, digits and punctuation other than `"` and `\\`), copied as it is.
    pub fn plain(&mut self, k: &str, v: &str) -> &mut Self {
        debug_assert!(v.bytes().all(|b| escape_of(b).is_none()), "{v:?}");
        let out = self.key(k);
        out.push('"');
        put(out, v);
        out.push('"');
        self
    }

    pub fn obj(&mut self, k: &str, f: impl FnOnce(&mut Obj<'_>)) -> &mut Self {
        let mut o = Obj::open(self.key(k));
        f(&mut o);
        o.close();
        self
    }

    pub fn arr(&mut self, k: &str, f: impl FnOnce(&mut Arr<'_>)) -> &mut Self {
        let mut a = Arr::open(self.key(k));
        f(&mut a);
        a.close();
        self
    }

    pub fn close(self) {
        self.out.push('}');
    }
}

/// An array being written; `close` ends it.
pub struct Arr<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Arr<'a> {
    pub fn open(out: &'a mut String) -> Self {
        out.push('[');
        Self { out, empty: true }
    }

    /// Where the next item goes.
    pub fn item(&mut self) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out
    }

    pub fn obj(&mut self, f: impl FnOnce(&mut Obj<'_>)) {
        let mut o = Obj::open(self.item());
        f(&mut o);
        o.close();
    }

    pub fn close(self) {
        self.out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let mut out = String::new();
        let mut o = Obj::open(&mut out);
        o.str("s", "a\"b\\c\n\u{1}é")
            .int("big", 1 << 60)
            .int("n", -3)
            .hex("raw", 255);
        o.obj("inner", |i| {
            i.bool("t", true);
        });
        o.arr("list", |a| {
            escape_into("x", a.item());
            a.obj(|i| {
                i.int("k", 1);
            });
        });
        o.close();
        assert_eq!(
            out,
            r#"{"s":"a\"b\\c\n\u0001é","big":1152921504606846976,"n":-3,"raw":"0xff","inner":{"t":true},"list":["x",{"k":1}]}"#
        );
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid");
        assert_eq!(v["s"], "a\"b\\c\n\u{1}é");
    }

    #[test]
    fn every_byte_in_every_position_round_trips() {
        // The word-at-a-time scan must find an escape wherever it sits in a word, next to
        // multi-byte characters too.
        for special in (0u8..0x20).chain([b'"', b'\\', 0x7f]) {
            // Past two 16-byte chunks and a word: every path of the scan.
            for at in 0..42 {
                let mut text: String = "é-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
                    .chars()
                    .take(at)
                    .collect();
                text.push(char::from(special));
                text.push_str("tail ü");
                let mut out = String::new();
                escape_into(&text, &mut out);
                let back: String = serde_json::from_str(&out).expect("valid JSON");
                assert_eq!(back, text, "{out}");
            }
        }
        // Named escapes and the rest as \u00XX, DEL too.
        let mut out = String::new();
        escape_into("\u{8}\u{c}\t\u{7f}\"\\", &mut out);
        assert_eq!(out, r#""\u0008\u000c\t\u007f\"\\""#);
        for v in [
            0,
            7,
            -7,
            10,
            99_999,
            -(1 << 52),
            (1 << 53) - 1,
            i64::MAX,
            i64::MIN,
        ] {
            let mut out = String::new();
            int_into(v, &mut out);
            assert_eq!(out, v.to_string());
        }
    }

    #[test]
    fn captured_bytes_are_replaced_as_from_utf8_lossy_and_nul() {
        for bytes in [
            &b"plain text"[..],
            b"p\0\0\0(md5",
            b"caf\xe9 \xf0\x9f\x98",
            b"\xff\xfe\"q\"\\\n\0",
            "ünïcødé \u{1f600}".as_bytes(),
            b"",
        ] {
            let mut out = String::new();
            let replaced = escape_lossy_into(bytes, &mut out);
            let expected = String::from_utf8_lossy(bytes).replace('\0', "\u{fffd}");
            let back: String = serde_json::from_str(&out).expect("valid JSON");
            assert_eq!(back, expected, "{out}");
            assert_eq!(replaced, expected.as_bytes() != bytes, "{out}");
        }
    }

    /// Every length from none through and past the word moves' range, onto a buffer
    /// holding text.
    #[test]
    fn short_copies_append_exactly() {
        let text: String = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-é-ü".into();
        for n in 0..=text.len() {
            if !text.is_char_boundary(n) {
                continue;
            }
            let mut out = String::from("{\"");
            put(&mut out, &text[..n]);
            put(&mut out, "\":");
            assert_eq!(out, format!("{{\"{}\":", &text[..n]));
        }
    }

    #[test]
    fn hex_values() {
        for (v, text) in [
            (0, r#""0x0""#),
            (0xff, r#""0xff""#),
            (u64::MAX, r#""0xffffffffffffffff""#),
        ] {
            let mut out = String::new();
            hex_into(v, &mut out);
            assert_eq!(out, text);
        }
    }
}
