//! Option values tracer parses itself.

use crate::error::PreflightError;

/// `--match` text with C escapes (`\0`, `\n`, `\t`, `\\`, `\"`, `\xNN`) turned into bytes.
pub fn unescape(text: &str) -> Result<Vec<u8>, PreflightError> {
    let bad = || PreflightError::BadMatch(text.to_string());
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next().ok_or_else(bad)? {
            b'0' => out.push(0),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'x' => {
                let hi = bytes.next().ok_or_else(bad)?;
                let lo = bytes.next().ok_or_else(bad)?;
                let hex = [hi, lo];
                let s = std::str::from_utf8(&hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(s, 16).map_err(|_| bad())?);
            }
            other => out.push(other),
        }
    }
    if out.is_empty() || out.len() > tracer_common::MATCH_MAX {
        return Err(bad());
    }
    Ok(out)
}

/// `4096`, `64K`, `16M`, `1G`: a power of two, at least one page, at most 1 GiB (tracer's
/// limit: the kernel's ring buffer position arithmetic and a u32 size).
pub fn parse_size(text: &str) -> Result<u32, PreflightError> {
    let bad = |why| PreflightError::BadRingSize(text.to_string(), why);
    let (digits, shift) = match text.as_bytes().last() {
        Some(b'k' | b'K') => (&text[..text.len() - 1], 10),
        Some(b'm' | b'M') => (&text[..text.len() - 1], 20),
        Some(b'g' | b'G') => (&text[..text.len() - 1], 30),
        _ => (text, 0),
    };
    let value = digits
        .parse::<u64>()
        .ok()
        .and_then(|v| v.checked_mul(1 << shift))
        .ok_or_else(|| bad("not a size"))?;
    if value < 4096 {
        return Err(bad("smaller than 4K"));
    }
    if value > 1 << 30 {
        return Err(bad("larger than 1G"));
    }
    if !value.is_power_of_two() {
        return Err(bad("not a power of two"));
    }
    u32::try_from(value).map_err(|_| bad("larger than 1G"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("8M"), Ok(8 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        let err = parse_size("2G").expect_err("too large").to_string();
        assert!(err.contains("larger than 1G"), "{err}");
        for bad in ["1000", "2K", "x", "", "3M", "4G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn match_escapes() {
        assert_eq!(unescape("READ ONLY").expect("ok"), b"READ ONLY");
        assert_eq!(unescape(r"Q\0\x00\x3a").expect("ok"), b"Q\0\0:");
        assert!(unescape("").is_err());
        assert!(unescape(r"\x4").is_err());
    }
}
