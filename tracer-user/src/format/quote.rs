//! strace's string quoting: printable ASCII as is, C escapes for `\t \n \v \f \r`, `\"` and
//! `\\`, everything else in octal, using the short form unless a digit follows. `-x` switches
//! a whole string to `\xNN` when it holds a byte that is neither printable nor whitespace;
//! `-xx` always does.

/// strace's `-x` levels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Style {
    /// Default: octal escapes.
    #[default]
    Octal,
    /// `-x`: hex for strings with non-ASCII or control bytes.
    HexNonAscii,
    /// `-xx`: hex for every string.
    HexAll,
    /// `--strings-in-hex=non-ascii-chars`: octal escapes become `\xNN`.
    HexEscapes,
}

/// Appends `bytes` as a quoted C string, and `...` when the value was truncated.
pub fn quote_into(bytes: &[u8], truncated: bool, style: Style, out: &mut String) {
    out.push('"');
    styled_into(bytes, b"", style, out);
    out.push('"');
    if truncated {
        out.push_str("...");
    }
}

/// Every byte as `\xNN`.
pub fn hex_into(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &c in bytes {
        out.push_str("\\x");
        out.push(char::from(DIGITS[usize::from(c >> 4)]));
        out.push(char::from(DIGITS[usize::from(c & 15)]));
    }
}

/// The bytes of a string in `style`, without quotes; `extra` bytes escaped too.
fn styled_into(bytes: &[u8], extra: &[u8], style: Style, out: &mut String) {
    let hex = match style {
        Style::Octal | Style::HexEscapes => false,
        Style::HexAll => true,
        Style::HexNonAscii => bytes
            .iter()
            .any(|&c| c > 0x7e || (c < b' ' && !(9..=13).contains(&c))),
    };
    if hex {
        hex_into(bytes, out);
    } else {
        escaped_into(bytes, extra, style == Style::HexEscapes, out);
    }
}

/// A path as strace shows it between the brackets of `-y` (`3</tmp/a\n\74b\76>`): the
/// same escapes as a quoted string (and the same `-x` style), `<` and `>` escaped too, and no
/// quotes around it, so a name from the traced side can neither end the line nor close the
/// brackets.
pub fn bracketed_into(bytes: &[u8], style: Style, out: &mut String) {
    styled_into(bytes, b"<>", style, out);
}

/// Text from the traced side (a command name) for one of tracer's own messages: strace's
/// escapes without quotes, so it cannot end the line or start a terminal sequence.
pub fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    escaped_into(bytes, b"", false, &mut out);
    out
}

/// strace's escapes without the quotes; the bytes in `extra` are escaped too; the bytes
/// without a C escape in octal, or as `\xNN` with `hex_escapes`.
fn escaped_into(bytes: &[u8], extra: &[u8], hex_escapes: bool, out: &mut String) {
    // Printable runs are copied whole; only the bytes around them are looked at one by one.
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if PRINTED_AS_IS[usize::from(c)] && (extra.is_empty() || !extra.contains(&c)) {
            continue;
        }
        // SAFETY: the run holds only bytes of PRINTED_AS_IS: printable ASCII.
        out.push_str(unsafe { std::str::from_utf8_unchecked(&bytes[start..i]) });
        start = i + 1;
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            _ if hex_escapes => hex_into(&[c], out),
            _ => {
                let next_is_octal_digit =
                    bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                octal_escape(c, next_is_octal_digit, out);
            }
        }
    }
    // SAFETY: as above.
    out.push_str(unsafe { std::str::from_utf8_unchecked(&bytes[start..]) });
}

/// The bytes strace prints as they are: printable ASCII but `"` and `\\` (a table: the loop
/// above looks at every byte of every captured buffer).
static PRINTED_AS_IS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = b' ';
    while c <= b'~' {
        t[c as usize] = c != b'"' && c != b'\\';
        c += 1;
    }
    t
};

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

    /// The table says what the predicate it replaced said, for every byte.
    #[test]
    fn the_plain_byte_table_is_printable_ascii_but_quote_and_backslash() {
        for c in 0..=255u8 {
            let plain = matches!(c, b' '..=b'~') && c != b'"' && c != b'\\';
            assert_eq!(PRINTED_AS_IS[usize::from(c)], plain, "{c:#x}");
            let mut out = String::new();
            escaped_into(&[c], b"", false, &mut out);
            assert_eq!(out.len() == 1, plain, "{c:#x}: {out}");
        }
    }

    #[test]
    fn hex_escapes_replace_octal_ones_only() {
        let mut out = String::new();
        quote_into(b"a\x01b\x803\n", false, Style::HexEscapes, &mut out);
        // As strace --strings-in-hex=non-ascii-chars printed it.
        assert_eq!(out, r#""a\x01b\x803\n""#);
    }

    fn q(bytes: &[u8], style: Style) -> String {
        let mut s = String::new();
        quote_into(bytes, false, style, &mut s);
        s
    }

    #[test]
    fn matches_strace_6_1() {
        // Recorded from strace 6.1: write(1, "\x018\x017\x01a\xff\xc3\xa9\"\\\t\n\r\x0b\x0c\x07\x00")
        let bytes = b"\x018\x017\x01a\xff\xc3\xa9\"\\\t\n\r\x0b\x0c\x07\x00";
        assert_eq!(
            q(bytes, Style::Octal),
            r#""\18\0017\1a\377\303\251\"\\\t\n\r\v\f\7\0""#
        );
        // The same with -xx.
        assert_eq!(
            q(bytes, Style::HexAll),
            r#""\x01\x38\x01\x37\x01\x61\xff\xc3\xa9\x22\x5c\x09\x0a\x0d\x0b\x0c\x07\x00""#
        );
        assert_eq!(
            q(b"/tmp/no\x01such\xff", Style::Octal),
            r#""/tmp/no\1such\377""#
        );
    }

    #[test]
    fn x_switches_only_strings_with_odd_bytes() {
        assert_eq!(q(b"plain text\n", Style::HexNonAscii), r#""plain text\n""#);
        assert_eq!(q(b"a\x01", Style::HexNonAscii), r#""\x61\x01""#);
    }

    #[test]
    fn pgbouncer_query_from_the_article() {
        let msg = b"Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0";
        assert_eq!(
            q(msg, Style::Octal),
            r#""Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0""#
        );
        assert_eq!(
            q(b"C\0\0\0\x08SET\0Z\0\0\0\x05T", Style::Octal),
            r#""C\0\0\0\10SET\0Z\0\0\0\5T""#
        );
    }

    #[test]
    fn bracketed_paths_as_strace_6_1_prints_them() {
        // strace -y on open("/tmp/t14/evil\n+++ FORGED LINE +++\n\e[31mred\xff<>\"\\").
        let mut s = String::new();
        bracketed_into(
            b"/tmp/t14/evil\n+++ FORGED LINE +++\n\x1b[31mred\xff<>\"\\",
            Style::Octal,
            &mut s,
        );
        assert_eq!(
            s,
            r#"/tmp/t14/evil\n+++ FORGED LINE +++\n\33[31mred\377\74\76\"\\"#
        );
        // strace 6.1 -y with --strings-in-hex=non-ascii-chars, -x and -xx.
        let path = b"/tmp/t14/e\xff\nv";
        for (style, want) in [
            (Style::HexEscapes, r"/tmp/t14/e\xff\nv"),
            (
                Style::HexNonAscii,
                r"\x2f\x74\x6d\x70\x2f\x74\x31\x34\x2f\x65\xff\x0a\x76",
            ),
            (
                Style::HexAll,
                r"\x2f\x74\x6d\x70\x2f\x74\x31\x34\x2f\x65\x76",
            ),
        ] {
            let mut s = String::new();
            let bytes: &[u8] = if style == Style::HexAll {
                b"/tmp/t14/ev"
            } else {
                path
            };
            bracketed_into(bytes, style, &mut s);
            assert_eq!(s, want, "{style:?}");
        }
    }

    #[test]
    fn truncation_marker() {
        let mut s = String::new();
        quote_into(b"abc", true, Style::Octal, &mut s);
        assert_eq!(s, r#""abc"..."#);
    }
}
