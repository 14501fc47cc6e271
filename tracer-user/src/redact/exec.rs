//! Secrets in execve's strings: connection strings' passwords, SQL password literals and
//! `PGPASSWORD=` assignments in argv, every value of the environment.

use super::{MASK, sql_literals};
use crate::decode::bytes::strv_items;

/// execve's argv: connection strings' passwords, SQL password literals, `PGPASSWORD=`
/// assignments (`env PGPASSWORD=x psql`, `sh -c 'export PGPASSWORD=x; pg_dump'`), and the
/// environment variables passed as options (`docker run -e NAME=VALUE`: `env_option`).
pub(super) fn argv(blob: &mut [u8]) {
    let mut env_next = false;
    for (_, range) in strv_items(blob) {
        env_next = argv_item_after(&mut blob[range], env_next);
    }
}

/// execve's envp (captured with `-v`): every value masked, `PGPASSWORD=******`, the names
/// kept; a string whose `=` was not captured (a name longer than `-s`) is masked whole.
pub(super) fn environment(blob: &mut [u8]) {
    for (_, range) in strv_items(blob) {
        env_string(&mut blob[range]);
    }
}

/// One environment string: its value masked (all of it when no `=` was captured).
fn env_string(s: &mut [u8]) {
    let value = s.iter().position(|&c| c == b'=').map_or(0, |at| at + 1);
    s[value..].fill(MASK);
}

/// An exec area (`ExecArea` header, then the path and the NUL-separated argv strings): each
/// string masked as an argv item. The header's few binary bytes hold no text to match.
pub(super) fn exec_area(blob: &mut [u8]) {
    let mut env_next = false;
    for s in blob.split_mut(|&c| c == 0) {
        env_next = argv_item_after(s, env_next);
    }
}

/// An argv string, `env_next` when the one before was `-e` or `--env`: then it is that
/// option's `NAME=VALUE`. Returns whether this one is such an option.
fn argv_item_after(s: &mut [u8], env_next: bool) -> bool {
    if env_next {
        env_assignment(s);
    }
    let next = env_option(s);
    argv_item(s);
    next
}

/// An environment variable passed as an option, as `docker`/`podman run`, `kubectl run` and
/// `nerdctl` take them: `-e NAME=VALUE`, `--env NAME=VALUE` (true: the next string is the
/// assignment), `--env=NAME=VALUE`, `-eNAME=VALUE` (masked here). Its value is masked as the
/// environment's values are (`env_string`) when the name is a secret's (`secret_name`).
fn env_option(s: &mut [u8]) -> bool {
    if s == b"-e" || s == b"--env" {
        return true;
    }
    if let Some(rest) = s.strip_prefix(b"--env=") {
        let at = s.len() - rest.len();
        env_assignment(&mut s[at..]);
    } else if s.starts_with(b"-e") && !s.starts_with(b"--") {
        env_assignment(&mut s[2..]);
    }
    false
}

/// `NAME=VALUE` with a variable's name (letters, digits, `_`, not a digit first): the value
/// masked. Anything else (`-e` is also grep's and sed's option) is left alone.
/// Words that make a variable's name a secret's (`POSTGRES_PASSWORD`, `MYSQL_PWD`,
/// `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `PASSPHRASE`), any case: an option's `NAME=VALUE`
/// is masked only then, so `grep -e x=1` or `sed -e` keep their patterns as strace shows them.
const SECRET_WORDS: [&[u8]; 6] = [b"PASS", b"PWD", b"SECRET", b"TOKEN", b"KEY", b"CREDENTIAL"];

/// Whether a variable named `name` holds a secret by its name (`SECRET_WORDS`).
fn secret_name(name: &[u8]) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS
        .iter()
        .any(|w| upper.windows(w.len()).any(|x| x == *w))
}

fn env_assignment(s: &mut [u8]) {
    let Some(eq) = s.iter().position(|&c| c == b'=') else {
        return;
    };
    let name = &s[..eq];
    let is_name = name
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_');
    if is_name && secret_name(name) {
        env_string(s);
    }
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
    // Every URI in the string (a query or a shell command may hold several).
    let mut from = 0;
    while let Some(scheme) = memchr::memmem::find(&s[from..], b"://") {
        let rest = from + scheme + 3;
        let auth_end = s[rest..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?') || blank(b))
            .map_or(s.len(), |p| rest + p);
        if let Some(at) = s[rest..auth_end].iter().rposition(|&b| b == b'@')
            && let Some(colon) = s[rest..rest + at].iter().position(|&b| b == b':')
        {
            s[rest + colon + 1..rest + at].fill(MASK);
        }
        from = rest;
    }
}
