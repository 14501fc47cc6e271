//! Secrets in execve's strings: connection strings' passwords, SQL password literals and
//! `PGPASSWORD=` assignments in argv, every value of the environment.

use super::{MASK, sql_literals};
use crate::decode::bytes::strv_items;

/// execve's argv: connection strings' passwords, SQL password literals, and `PGPASSWORD=`
/// assignments (`env PGPASSWORD=x psql`, `sh -c 'export PGPASSWORD=x; pg_dump'`).
pub(super) fn argv(blob: &mut [u8]) {
    for (_, range) in strv_items(blob) {
        argv_item(&mut blob[range]);
    }
}

/// execve's envp (captured with `-v`): every value masked, `PGPASSWORD=******`, the names
/// kept; a string whose `=` was not captured (a name longer than `-s`) is masked whole.
pub(super) fn environment(blob: &mut [u8]) {
    for (_, range) in strv_items(blob) {
        let s = &mut blob[range];
        let value = s.iter().position(|&c| c == b'=').map_or(0, |at| at + 1);
        s[value..].fill(MASK);
    }
}

/// An exec area (`ExecArea` header, then the path and the NUL-separated argv strings): each
/// string masked as an argv item. The header's few binary bytes hold no text to match.
pub(super) fn exec_area(blob: &mut [u8]) {
    blob.split_mut(|&c| c == 0).for_each(argv_item);
}

/// One argv string.
fn argv_item(s: &mut [u8]) {
    pgpassword(s);
    conninfo(s);
    sql_literals(s);
}

/// Masks the value of every `PGPASSWORD=` assignment in an argv string. At the start of the
/// string (`env PGPASSWORD=x psql`) the value is the rest of the string; anywhere else it is
/// a shell command's (`sh -c 'export PGPASSWORD=x; pg_dump'`, `A=1 PGPASSWORD=x psql`,
/// `declare -x "PGPASSWORD=x"`): a shell word starting after any byte that cannot be part of
/// a variable name, its value masked to the end of the shell word, quotes included.
pub fn pgpassword(s: &mut [u8]) {
    const KEY: &[u8] = b"PGPASSWORD=";
    let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i + KEY.len() <= s.len() {
        let starts = i == 0 || !name_byte(s[i - 1]);
        if !(starts && s[i..i + KEY.len()].eq_ignore_ascii_case(KEY)) {
            i += 1;
            continue;
        }
        let value = i + KEY.len();
        let end = match i {
            0 => s.len(),
            _ => shell_word_end(s, value, s[i - 1]),
        };
        s[value..end].fill(MASK);
        i = end.max(value);
    }
}

/// Where the shell word that goes on at `from` ends: at an unquoted blank or operator byte,
/// or the end of the string (a cut one included). `before` is the byte before the word's
/// assignment: a quote there opened the quoting the value starts in.
fn shell_word_end(s: &[u8], from: usize, before: u8) -> usize {
    let mut quote = matches!(before, b'\'' | b'"').then_some(before);
    let mut j = from;
    while j < s.len() {
        let c = s[j];
        match quote {
            Some(b'\'') if c == b'\'' => quote = None,
            Some(b'"') if c == b'"' => quote = None,
            Some(b'"') if c == b'\\' => j += 1,
            Some(_) => {}
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c == b'\\' => j += 1,
            None if c.is_ascii_whitespace() || b";&|<>()`".contains(&c) => return j,
            None => {}
        }
        j += 1;
    }
    s.len()
}

/// Masks `password = VALUE` (keyword/value form, blanks allowed around `=` as libpq allows,
/// or a URI parameter) and the password of a `scheme://user:password@host` URI.
///
/// The value is read as libpq's `conninfo_parse` reads it: unquoted, up to a blank, a
/// backslash taking the next byte (`password=s3\ cr3t` is `s3 cr3t`), a double quote an
/// ordinary byte (`password="s3cr3t"`); single-quoted, up to the closing quote, with `\'`
/// and `\\` escapes (`password='s3\'cr3t'`); either cut by the string's end masked to it.
/// A URI parameter (`?password=`, `&password=`) ends at `&` or `#` too; a value in an
/// argument quoted for a shell or SQL (`'password=x host=h'`) at that quote.
pub fn conninfo(s: &mut [u8]) {
    const KEY: &[u8] = b"password";
    let blank = |b: u8| b.is_ascii_whitespace();
    let mut i = 0;
    while i + KEY.len() <= s.len() {
        let before = i.checked_sub(1).map(|p| s[p]);
        let starts = before.is_none_or(|b| blank(b) || matches!(b, b'?' | b'&' | b'\'' | b'"'));
        if !(starts && s[i..i + KEY.len()].eq_ignore_ascii_case(KEY)) {
            i += 1;
            continue;
        }
        let mut j = i + KEY.len();
        while j < s.len() && blank(s[j]) {
            j += 1;
        }
        if s.get(j) != Some(&b'=') {
            i += 1;
            continue;
        }
        j += 1;
        while j < s.len() && blank(s[j]) {
            j += 1;
        }
        let uri = matches!(before, Some(b'?' | b'&'));
        let outer = before.filter(|b| matches!(b, b'\'' | b'"'));
        let quoted = !uri && s.get(j) == Some(&b'\'');
        j += usize::from(quoted);
        while j < s.len() {
            let c = s[j];
            let end = match quoted {
                true => c == b'\'',
                false => {
                    blank(c) || (uri && matches!(c, b'&' | b'#' | b'\'' | b'"')) || Some(c) == outer
                }
            };
            if end {
                break;
            }
            s[j] = MASK;
            if c == b'\\' && j + 1 < s.len() {
                // The escaped byte is the password's, whatever it is (a blank, a quote).
                j += 1;
                s[j] = MASK;
            }
            j += 1;
        }
        i = j + 1;
    }
    if let Some(scheme) = s.windows(3).position(|w| w == b"://") {
        let rest = scheme + 3;
        let auth_end = s[rest..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b' '))
            .map_or(s.len(), |p| rest + p);
        if let Some(at) = s[rest..auth_end].iter().rposition(|&b| b == b'@')
            && let Some(colon) = s[rest..rest + at].iter().position(|&b| b == b':')
        {
            s[rest + colon + 1..rest + at].fill(MASK);
        }
    }
}
