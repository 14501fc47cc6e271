//! Keeping secrets out of the trace: PostgreSQL password messages (the frontend `p` message
//! that carries a cleartext password, an MD5 digest or a SASL exchange) in captured buffers
//! are overwritten with `*` before anything is decoded, so neither output format shows them.
//! `--no-redact` turns this off. (Environment values never appear: execve's envp is counted,
//! not captured.)

use tracer_common::{CAP_BUF_ARG, CAP_BUF_RET};

use crate::event::RawSyscall;

/// The byte password messages are overwritten with.
const MASK: u8 = b'*';

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

/// Masks the secrets in a call's captured data, in place.
pub fn syscall(raw: &mut RawSyscall) {
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

/// Whether any captured buffer of the call may hold a password message (cheap pre-check, so
/// that most calls are not copied).
pub fn may_hold_secrets(raw: &RawSyscall) -> bool {
    raw.blobs
        .iter()
        .any(|b| (b.kind == CAP_BUF_ARG || b.kind == CAP_BUF_RET) && b.data.contains(&b'p'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u8, payload: &[u8]) -> Vec<u8> {
        let mut m = vec![kind];
        m.extend_from_slice(&(payload.len() as u32 + 4).to_be_bytes());
        m.extend_from_slice(payload);
        m
    }

    #[test]
    fn password_messages_are_masked() {
        let mut md5 = message(b'p', b"md5e3b0c44298fc1c149afbf4c8996fb924\0");
        let n = md5.len();
        assert!(pg_passwords(&mut md5, n));
        assert_eq!(&md5[..5], &[b'p', 0, 0, 0, 40]);
        assert!(md5[5..].iter().all(|&b| b == b'*'));
        // Behind a query in the same buffer, and cut by -s: still masked as far as captured.
        let mut two = message(b'Q', b"select 1\0");
        two.extend(message(
            b'p',
            b"SCRAM-SHA-256\0\0\0\0\x20n,,n=,r=abcdefghijklmnopqrstuvwx",
        ));
        let total = two.len();
        let mut cut = two[..30].to_vec();
        assert!(pg_passwords(&mut cut, total));
        assert_eq!(&cut[..15], &two[..15]);
        assert!(cut[20..].iter().all(|&b| b == b'*'));
    }

    #[test]
    fn text_and_other_messages_are_left_alone() {
        let mut text = b"password=hunter2 is not a protocol message".to_vec();
        let n = text.len();
        assert!(!pg_passwords(&mut text, n));
        assert!(text.starts_with(b"password=hunter2"));
        let mut query = message(
            b'Q',
            b"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0",
        );
        let n = query.len();
        assert!(!pg_passwords(&mut query, n));
    }
}
