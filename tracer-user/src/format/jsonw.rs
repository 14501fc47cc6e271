//! A small streaming JSON writer: objects and arrays written straight into a `String`, no
//! intermediate tree (the JSON output runs once per event, so allocation matters).

use std::fmt::Write as _;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `w` needs escaping in JSON (a control byte, `"`, `\\`, DEL):
/// the usual word-at-a-time tests, exact as a yes/no answer.
fn word_needs_escape(w: u64) -> bool {
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
    below_space | has_zero(w ^ (LO * 0x22)) | has_zero(w ^ (LO * 0x5c)) | has_zero(w ^ (LO * 0x7f))
        != 0
}

/// `s` as a JSON string literal. Runs of bytes that need nothing are found 8 at a time and
/// copied whole: the JSON output escapes every captured buffer (twice, text and value).
pub fn escape_into(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8)
            && let Ok(word) = <[u8; 8]>::try_from(chunk)
            && !word_needs_escape(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f | 0x7f => "",
            _ => {
                i += 1;
                continue;
            }
        };
        // Escaped bytes are ASCII: `i` is on a character boundary.
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(esc);
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// An integer, always as a JSON number (schema 2: a field keeps one type). JSON keeps every
/// 64-bit integer exactly; parsers that read numbers as doubles round those past 2^53, which
/// is why raw register values are also given as hex strings.
pub fn int_into(v: i64, out: &mut String) {
    if v < 0 {
        out.push('-');
    }
    digits_into(v.unsigned_abs(), out);
}

/// Decimal digits of `v`, without the formatting machinery (one call per number field).
fn digits_into(mut v: u64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
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

    /// Starts member `k` (plain ASCII names only) and returns where its value goes.
    pub fn key(&mut self, k: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        self.out.push_str(k);
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
        let _ = write!(self.key(k), "\"{v:#x}\"");
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
            for at in 0..17 {
                let mut text: String = "é-abcdefghijklmnop".chars().take(at).collect();
                text.push(char::from(special));
                text.push_str("tail ü");
                let mut out = String::new();
                escape_into(&text, &mut out);
                let back: String = serde_json::from_str(&out).expect("valid JSON");
                assert_eq!(back, text, "{out}");
            }
        }
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
}
