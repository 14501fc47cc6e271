//! strace's string quoting: printable ASCII as is, C escapes for `\t \n \v \f \r`, `\"` and
//! `\\`, everything else in octal, using the short form unless a digit follows.

/// Appends `bytes` as a quoted C string, and `...` when the value was truncated.
pub fn quote_into(bytes: &[u8], truncated: bool, out: &mut String) {
    out.push('"');
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b' '..=b'~' => out.push(char::from(c)),
            _ => {
                let next_is_octal_digit =
                    bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                octal_escape(c, next_is_octal_digit, out);
            }
        }
    }
    out.push('"');
    if truncated {
        out.push_str("...");
    }
}

/// `\ooo` when the next character is an octal digit (so it cannot be misread), else the
/// shortest form.
fn octal_escape(c: u8, full: bool, out: &mut String) {
    out.push('\\');
    let digits = [c >> 6, (c >> 3) & 7, c & 7];
    let skip = if full || c >> 6 != 0 {
        0
    } else if c >> 3 != 0 {
        1
    } else {
        2
    };
    for d in &digits[skip..] {
        out.push(char::from(b'0' + d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(bytes: &[u8]) -> String {
        let mut s = String::new();
        quote_into(bytes, false, &mut s);
        s
    }

    #[test]
    fn matches_strace_6_1() {
        // Recorded from strace 6.1: write(1, "\x018\x017\x01a\xff\xc3\xa9\"\\\t\n\r\x0b\x0c\x07\x00")
        let bytes = b"\x018\x017\x01a\xff\xc3\xa9\"\\\t\n\r\x0b\x0c\x07\x00";
        assert_eq!(q(bytes), r#""\18\0017\1a\377\303\251\"\\\t\n\r\v\f\7\0""#);
        assert_eq!(q(b"/tmp/no\x01such\xff"), r#""/tmp/no\1such\377""#);
    }

    #[test]
    fn pgbouncer_query_from_the_article() {
        let msg = b"Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0";
        assert_eq!(
            q(msg),
            r#""Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0""#
        );
        assert_eq!(
            q(b"C\0\0\0\x08SET\0Z\0\0\0\x05T"),
            r#""C\0\0\0\10SET\0Z\0\0\0\5T""#
        );
    }

    #[test]
    fn truncation_marker() {
        let mut s = String::new();
        quote_into(b"abc", true, &mut s);
        assert_eq!(s, r#""abc"..."#);
    }
}
