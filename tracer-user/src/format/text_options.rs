//! The options of strace's text rendering (`-a`, `-x`, `-X`, `-Y`, the line prefix), below
//! both the line formatter (`strace`) and the value writer (`value`) that read them.

use crate::format::quote::Style;

/// strace's default alignment column for ` = ` (its `-a` option).
pub const RETURN_COLUMN: usize = 40;

/// How lines start when several tasks are traced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Prefix {
    /// One task: no prefix.
    #[default]
    None,
    /// `[pid  1234] ` (strace writing to a terminal or pipe).
    Bracket,
    /// `1234  ` (strace writing to `-o FILE` with `-f`).
    Plain,
}

/// `-a COLUMN`: where ` = ` and the return value are aligned (default 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column(pub usize);

impl Default for Column {
    fn default() -> Self {
        Self(RETURN_COLUMN)
    }
}

/// Rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    pub prefix: Prefix,
    /// `-x` / `-xx`.
    pub quote: Style,
    /// `-a`.
    pub column: Column,
    /// `-Y`: process ids are followed by the process's name, `1234<postgres>`.
    pub comms: bool,
    /// `--decode-pids=pidns`: `2 /* 7385 in tracer's PID NS */`.
    pub pidns: bool,
    /// `-X`: constants by name, number or both.
    pub consts: ConstStyle,
}

/// `-X`, `--const-print-style`: how named constants and flag words are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConstStyle {
    /// `abbrev` (the default): by name, `O_RDONLY|O_CLOEXEC`.
    #[default]
    Abbrev,
    /// `raw`: the number, `0x80000`.
    Raw,
    /// `verbose`: both, `0x80000 /* O_RDONLY|O_CLOEXEC */`.
    Verbose,
}

impl ConstStyle {
    /// `-X`'s argument, as strace spells it.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "abbrev" => Self::Abbrev,
            "raw" => Self::Raw,
            "verbose" => Self::Verbose,
            _ => return None,
        })
    }
}
