//! A small streaming JSON writer: objects and arrays written straight into a `String`, no
//! intermediate tree (the JSON output runs once per event, so allocation matters).

use std::fmt::Write as _;

/// Largest integer JSON keeps exactly; larger ones are written as decimal strings.
const EXACT: u64 = 1 << 53;

/// `s` as a JSON string literal.
pub fn escape_into(s: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f | 0x7f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// An integer, exact or as a string.
pub fn int_into(v: i64, out: &mut String) {
    if v.unsigned_abs() < EXACT {
        let _ = write!(out, "{v}");
    } else {
        let _ = write!(out, "\"{v}\"");
    }
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
            r#"{"s":"a\"b\\c\n\u0001é","big":"1152921504606846976","n":-3,"raw":"0xff","inner":{"t":true},"list":["x",{"k":1}]}"#
        );
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid");
        assert_eq!(v["s"], "a\"b\\c\n\u{1}é");
    }
}
