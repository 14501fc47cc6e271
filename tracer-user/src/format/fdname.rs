//! What an fd refers to, as `-y` and `-yy` show it between the brackets: a path (bytes from
//! the traced side, so always escaped as strace escapes them) or a description tracer composed
//! itself (`TCP:[...]`, `UNIX-STREAM:[5,"/run/x"]`, whose names are quoted already).

use std::borrow::Cow;

use crate::format::quote::{Style, bracketed_into};

/// The marker /proc adds to a deleted file's path; strace prints it after the brackets.
const DELETED: &[u8] = b" (deleted)";

/// One fd's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FdName {
    /// A path as the kernel reports it (`/etc/passwd`, also `pipe:[5]`, `anon_inode:[eventfd]`),
    /// raw bytes; `suffix` is tracer's own (`-yy`'s `<char 1:3>`).
    Path { path: Vec<u8>, suffix: String },
    /// Composed by tracer from numbers and already-quoted names.
    Composed(String),
}

impl FdName {
    /// A path without a suffix.
    pub fn path(path: impl Into<Vec<u8>>) -> Self {
        Self::Path {
            path: path.into(),
            suffix: String::new(),
        }
    }

    /// The path's bytes, for a path.
    pub fn as_path(&self) -> Option<&[u8]> {
        match self {
            Self::Path { path, .. } => Some(path),
            Self::Composed(_) => None,
        }
    }

    /// The description as plain text (JSON, filters): a path's bytes as UTF-8, lossily.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Path { path, suffix } if suffix.is_empty() => String::from_utf8_lossy(path),
            Self::Path { path, suffix } => {
                Cow::Owned(format!("{}{suffix}", String::from_utf8_lossy(path)))
            }
            Self::Composed(s) => Cow::Borrowed(s),
        }
    }

    /// `<...>` as strace prints it after the fd number, with a deleted file's `(deleted)`
    /// after the brackets.
    pub fn bracketed_into(&self, style: Style, out: &mut String) {
        out.push('<');
        let deleted = match self {
            Self::Path { path, suffix } => {
                let (shown, deleted) = match path.strip_suffix(DELETED) {
                    Some(p) => (p, true),
                    None => (&path[..], false),
                };
                bracketed_into(shown, style, out);
                out.push_str(suffix);
                deleted
            }
            Self::Composed(s) => {
                out.push_str(s);
                false
            }
        };
        out.push('>');
        if deleted {
            out.push_str("(deleted)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(name: &FdName) -> String {
        let mut s = String::new();
        name.bracketed_into(Style::Octal, &mut s);
        s
    }

    #[test]
    fn paths_are_escaped_and_composed_names_are_not() {
        assert_eq!(
            shown(&FdName::path(
                &b"/tmp/evil\n+++ FORGED LINE +++\n\x1b[31mred\xff"[..]
            )),
            r"</tmp/evil\n+++ FORGED LINE +++\n\33[31mred\377>"
        );
        assert_eq!(
            shown(&FdName::Composed(r#"UNIX-STREAM:[5,"/run/a\n"]"#.into())),
            r#"<UNIX-STREAM:[5,"/run/a\n"]>"#
        );
        assert_eq!(
            shown(&FdName::path(&b"/memfd:x (deleted)"[..])),
            "</memfd:x>(deleted)"
        );
        let dev = FdName::Path {
            path: b"/dev/null".to_vec(),
            suffix: "<char 1:3>".into(),
        };
        assert_eq!(shown(&dev), "</dev/null<char 1:3>>");
        assert_eq!(dev.text(), "/dev/null<char 1:3>");
    }
}
