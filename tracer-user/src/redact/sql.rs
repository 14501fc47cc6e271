//! SQL password literals (`PASSWORD 'secret'`, as `ALTER ROLE`, `CREATE ROLE` and psql's
//! `\password` send them), found in text fed in pieces and masked.

use super::{MASK, literals::Literals};

/// Finds `PASSWORD '...'` in SQL text fed in pieces, masking the literal.
#[derive(Debug, Clone, Default)]
pub(super) struct Sql {
    /// The identifier being read, upper-cased (9 bytes: longer than any keyword we want).
    word: Vec<u8>,
    state: SqlState,
    /// Connection strings in the text's literals (`CONNECTION 'host=h password=...'`).
    literals: Literals,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum SqlState {
    #[default]
    Text,
    /// After the keyword PASSWORD: blanks and comments, then maybe a literal, with its `E`
    /// or `U&` prefix.
    AfterKeyword,
    /// `U` after the keyword: `&` makes it a Unicode-escape literal's prefix.
    AfterU,
    /// `/` after the keyword: a block comment if `*` follows.
    Slash,
    /// Inside a block comment, nested this deep (PostgreSQL nests them).
    Comment(u8),
    /// `*` inside a block comment, nested this deep.
    CommentStar(u8),
    /// `/` inside a block comment, nested this deep.
    CommentSlash(u8),
    /// `-` after the keyword: a line comment if another follows.
    Dash,
    LineComment,
    Literal,
    /// A quote inside the literal: its end, or the first of a doubled quote.
    Quote,
    /// Blanks after a literal, with a newline among them or not: a literal after a newline
    /// goes on the same string (`'sec'` newline `'ret'` is `'secret'` to PostgreSQL).
    AfterLiteral(bool),
}

impl Sql {
    /// Masks the password literals in `text`, the next piece of the SQL text.
    pub(super) fn scan(&mut self, text: &mut [u8]) {
        self.literals.scan(text);
        let from = self.skip_plain(text);
        self.scan_bytes(&mut text[from..]);
    }

    /// How many leading bytes of `text` can change nothing but the word being read: in plain
    /// text (most queries: no keyword in them), every byte up to the first place the word
    /// PASSWORD may start, found by a SIMD search rather than byte by byte. The word those
    /// bytes end with is carried to the next piece as the byte scan would carry it.
    fn skip_plain(&mut self, text: &[u8]) -> usize {
        if self.state != SqlState::Text || !self.word.is_empty() {
            return 0;
        }
        if let Some(at) = keyword_start(text) {
            // The byte scan there starts on an empty word, as it would have.
            return at;
        }
        let tail = text.len() - text.iter().rev().take_while(|&&c| is_word(c)).count();
        self.word
            .extend(text[tail..].iter().take(9).map(u8::to_ascii_uppercase));
        text.len()
    }

    /// The byte-by-byte scan.
    pub(super) fn scan_bytes(&mut self, text: &mut [u8]) {
        let mut quote_at = None;
        for i in 0..text.len() {
            let c = text[i];
            match self.state {
                SqlState::Literal if c == b'\'' => {
                    self.state = SqlState::Quote;
                    quote_at = Some(i);
                }
                SqlState::Literal => text[i] = MASK,
                SqlState::Quote if c == b'\'' => {
                    if let Some(q) = quote_at {
                        text[q] = MASK;
                    }
                    text[i] = MASK;
                    self.state = SqlState::Literal;
                }
                SqlState::Quote if c.is_ascii_whitespace() => {
                    self.state = SqlState::AfterLiteral(c == b'\n');
                }
                SqlState::Quote | SqlState::Text => {
                    self.state = SqlState::Text;
                    self.text_byte(c);
                }
                _ => self.between(c),
            }
        }
    }

    /// A byte between the keyword and its literal.
    fn between(&mut self, c: u8) {
        use SqlState::*;
        self.state = match (self.state, c) {
            (AfterKeyword, b'\'') => Literal,
            (AfterKeyword, b'E' | b'e') => AfterKeyword,
            (AfterKeyword, b'U' | b'u') => AfterU,
            (AfterKeyword, b'/') => Slash,
            (AfterKeyword, b'-') => Dash,
            (AfterKeyword, c) if c.is_ascii_whitespace() => AfterKeyword,
            (AfterU, b'&') => AfterKeyword,
            (Slash, b'*') => Comment(1),
            (Dash, b'-') => LineComment,
            (AfterLiteral(newline), c) if c.is_ascii_whitespace() => {
                AfterLiteral(newline || c == b'\n')
            }
            (AfterLiteral(true), b'\'') => Literal,
            (LineComment, b'\n') => AfterKeyword,
            (LineComment, _) => LineComment,
            (CommentSlash(d), b'*') => Comment(d.saturating_add(1)),
            (Comment(d) | CommentStar(d), b'*') => CommentStar(d),
            (CommentStar(1), b'/') => AfterKeyword,
            (CommentStar(d), b'/') => Comment(d - 1),
            (Comment(d) | CommentSlash(d), b'/') => CommentSlash(d),
            (Comment(d) | CommentStar(d) | CommentSlash(d), _) => Comment(d),
            (_, c) => {
                self.state = Text;
                self.text_byte(c);
                return;
            }
        };
    }

    fn text_byte(&mut self, c: u8) {
        if is_word(c) {
            if self.word.len() < 9 {
                self.word.push(c.to_ascii_uppercase());
            }
            return;
        }
        let keyword = self.word == b"PASSWORD";
        self.word.clear();
        if keyword {
            self.state = SqlState::AfterKeyword;
            self.between(c);
        }
    }
}

/// A byte of an SQL identifier or keyword.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Where the first word that starts with `password` (any case) starts in `text`: a `p` after a
/// byte that is not a word's. A word cut by the end of `text` is the caller's to carry.
fn keyword_start(text: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b'p', b'P', text).find(|&at| {
        (at == 0 || !is_word(text[at - 1]))
            && text
                .get(at..at + 8)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"password"))
    })
}

/// Masks SQL password literals in a whole text.
pub fn sql_literals(text: &mut [u8]) {
    Sql::default().scan(text);
}
