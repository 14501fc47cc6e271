//! strace's tampering, `-e inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=NAME]
//! [:delay_enter=DELAY][:delay_exit=DELAY][:poke_enter=@argN=HEX,...][:poke_exit=...][:when=EXPR]` and `-e fault=SET[:error=ERRNO]
//! [:when=EXPR]`: which calls of which syscalls are changed, and how. The ptrace backend
//! applies it (the eBPF programs only watch). Spellings, limits and messages are strace 6.1's.

use std::{collections::HashMap, time::Duration};

use crate::{
    filter::expr::{ExprError, signal_number, syscall_set},
    tables::{self, errno},
};

/// The highest errno strace injects (the kernel's MAX_ERRNO).
const MAX_ERRNO: u64 = 4095;
/// strace's `when=` bound: the first call and the step are at most 65535; the last, below.
const WHEN_MAX: u64 = 0xffff;

/// A refused inject or fault expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TamperError {
    /// strace's `invalid inject argument 'EXPR'` (or `fault argument`).
    #[error("invalid {kind} argument '{text}'")]
    Invalid { kind: &'static str, text: String },
    /// The set named no syscall strace knows.
    #[error(transparent)]
    Set(#[from] ExprError),
}

/// What a call's return becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `error=ERRNO`: the call fails with it.
    Error(u16),
    /// `retval=VALUE`: the call returns it.
    Value(u64),
}

impl Outcome {
    /// The value the return register gets.
    pub fn register(self) -> i64 {
        match self {
            Self::Error(e) => -i64::from(e),
            Self::Value(v) => v as i64,
        }
    }
}

/// One `-e inject=`'s options, for each syscall of its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `when=`: the first call changed (1-based, per thread and syscall) ...
    pub first: u16,
    /// ... the last (None: no end) ...
    pub last: Option<u16>,
    /// ... and every how many calls after the first (0: the first only).
    pub step: u16,
    pub outcome: Option<Outcome>,
    /// `syscall=`: the number of the call made instead (only with an outcome).
    pub instead: Option<u32>,
    /// `signal=`: sent to the thread at the call (delivered as it returns).
    pub signal: Option<u8>,
    pub delay_enter: Option<Duration>,
    pub delay_exit: Option<Duration>,
    /// `poke_enter=`/`poke_exit=`: the index of its `Pokes` in `Injections::pokes`.
    pub pokes: Option<u16>,
}

/// `@argN=HEX`: bytes written where argument N (1-based) points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poke {
    pub arg: u8,
    pub data: Vec<u8>,
}

/// A rule's `poke_enter=` (written as the call starts, before it is decoded) and
/// `poke_exit=` (as it ends, before its results are decoded) bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pokes {
    pub enter: Vec<Poke>,
    pub exit: Vec<Poke>,
}

impl Default for Rule {
    fn default() -> Self {
        Self {
            first: 1,
            last: None,
            step: 1,
            outcome: None,
            instead: None,
            signal: None,
            delay_enter: None,
            delay_exit: None,
            pokes: None,
        }
    }
}

impl Rule {
    /// Whether the `n`th call (1-based) of a thread to a syscall of this rule is changed.
    pub fn fires(&self, n: u32) -> bool {
        let (first, step) = (u32::from(self.first), u32::from(self.step));
        if n < first || self.last.is_some_and(|last| n > u32::from(last)) {
            return false;
        }
        match step {
            0 => n == first,
            _ => (n - first).is_multiple_of(step),
        }
    }

    /// Whether it does anything (strace refuses an inject= that only narrows `when`).
    fn acts(&self) -> bool {
        self.outcome.is_some()
            || self.signal.is_some()
            || self.delay_enter.is_some()
            || self.delay_exit.is_some()
            || self.pokes.is_some()
    }
}

/// Every `-e inject=`/`-e fault=`, by syscall number; a later expression replaces an earlier
/// one for the syscalls both name, as in strace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Injections {
    rules: HashMap<u32, Rule>,
    pokes: Vec<Pokes>,
}

impl Injections {
    /// Adds `-e inject=TEXT` (`fault`: `-e fault=TEXT`). Warnings strace gives for a `retval`
    /// that reads as an error are returned, to be printed.
    pub fn add(&mut self, text: &str, fault: bool) -> Result<Vec<String>, TamperError> {
        let kind = if fault { "fault" } else { "inject" };
        let invalid = || TamperError::Invalid {
            kind,
            text: text.to_string(),
        };
        let (name, tokens) = text.split_once(':').unwrap_or((text, ""));
        let mut rule = Rule::default();
        let mut seen = Seen::default();
        let mut warnings = Vec::new();
        let mut pokes = Pokes::default();
        for token in tokens.split(':').filter(|t| !t.is_empty()) {
            let (key, value) = token.split_once('=').ok_or_else(invalid)?;
            let ok = match key {
                "when" => when(value, &mut rule).is_some(),
                "error" => errno_value(value).is_some_and(|e| {
                    rule.outcome = Some(Outcome::Error(e));
                    seen.once(Seen::OUTCOME)
                }),
                "retval" if !fault => retval(value).is_some_and(|v| {
                    warnings.extend(inadvertent(v));
                    rule.outcome = Some(Outcome::Value(v));
                    seen.once(Seen::OUTCOME)
                }),
                "signal" if !fault => signal(value).is_some_and(|s| {
                    rule.signal = Some(s);
                    seen.once(Seen::SIGNAL)
                }),
                "syscall" if !fault => pure_syscall(value).is_some_and(|nr| {
                    rule.instead = Some(nr);
                    seen.once(Seen::SYSCALL)
                }),
                "delay_enter" if !fault => delay(value).is_some_and(|d| {
                    rule.delay_enter = Some(d);
                    seen.once(Seen::DELAY_ENTER)
                }),
                "delay_exit" if !fault => delay(value).is_some_and(|d| {
                    rule.delay_exit = Some(d);
                    seen.once(Seen::DELAY_EXIT)
                }),
                "poke_enter" if !fault => poke_list(value).is_some_and(|p| {
                    pokes.enter = p;
                    seen.once(Seen::POKE_ENTER)
                }),
                "poke_exit" if !fault => poke_list(value).is_some_and(|p| {
                    pokes.exit = p;
                    seen.once(Seen::POKE_EXIT)
                }),
                _ => false,
            };
            if !ok {
                return Err(invalid());
            }
        }
        let set = syscall_set(name, tracer_common::SYSCALL_NUMBERS as usize)?;
        if seen.0 & (Seen::POKE_ENTER | Seen::POKE_EXIT) != 0 {
            rule.pokes = Some(self.pokes.len() as u16);
            self.pokes.push(pokes);
        }
        if !rule.acts() {
            if !fault {
                return Err(invalid());
            }
            rule.outcome = Some(Outcome::Error(libc::ENOSYS as u16));
        }
        for (nr, _) in set.iter().enumerate().filter(|(_, on)| **on) {
            self.rules.insert(nr as u32, rule);
        }
        Ok(warnings)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule for syscall `nr`, if it is tampered with.
    pub fn rule(&self, nr: u32) -> Option<&Rule> {
        self.rules.get(&nr)
    }

    /// A rule's `poke_enter=`/`poke_exit=` bytes.
    pub fn pokes(&self, rule: &Rule) -> Option<&Pokes> {
        self.pokes.get(usize::from(rule.pokes?))
    }
}

/// Options given once at most, as strace checks them.
#[derive(Default)]
struct Seen(u8);

impl Seen {
    const OUTCOME: u8 = 1;
    const SIGNAL: u8 = 2;
    const SYSCALL: u8 = 4;
    const DELAY_ENTER: u8 = 8;
    const DELAY_EXIT: u8 = 16;
    const POKE_ENTER: u8 = 32;
    const POKE_EXIT: u8 = 64;

    /// Marks `bit`; false when it was already.
    fn once(&mut self, bit: u8) -> bool {
        let fresh = self.0 & bit == 0;
        self.0 |= bit;
        fresh
    }
}

/// A decimal number in 0..=max (strace's string_to_uint_upto).
fn decimal(text: &str, max: u64) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|&n| n <= max)
}

/// `poke_enter=`/`poke_exit=`'s `@argN=HEX,...` as strace 6.1's parse_poke_token reads it:
/// N in 1..=7, an even number of hex digits (at most 2048), each pair as `%2hhx` scans it
/// (one digit is enough: `0g` is 0); empty items between commas are skipped.
fn poke_list(text: &str) -> Option<Vec<Poke>> {
    if text.is_empty() {
        return None;
    }
    let one = |item: &str| -> Option<Poke> {
        let rest = item.strip_prefix("@arg")?.as_bytes();
        let (&n, rest) = rest.split_first()?;
        let hex = rest
            .strip_prefix(b"=")
            .filter(|_| (b'1'..=b'7').contains(&n))?;
        if hex.is_empty() || hex.len() % 2 != 0 || hex.len() > 2048 {
            return None;
        }
        let digit = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
        let data = hex
            .chunks(2)
            .map(|pair| match (digit(pair[0]), digit(pair[1])) {
                (Some(hi), Some(lo)) => Some(hi << 4 | lo),
                (Some(only), None) => Some(only),
                _ => None,
            })
            .collect::<Option<Vec<u8>>>()?;
        Some(Poke {
            arg: n - b'0',
            data,
        })
    };
    text.split(',').filter(|t| !t.is_empty()).map(one).collect()
}

/// `when=F`, `F+`, `F+S`, `F..L`, `F..L+S` (strace 6.1: L above F and below 65535).
fn when(text: &str, rule: &mut Rule) -> Option<()> {
    let (range, step) = match text.split_once('+') {
        Some((range, step)) => (range, Some(step)),
        None => (text, None),
    };
    let (first, last) = match range.split_once("..") {
        Some((first, last)) => (first, Some(last)),
        None => (range, None),
    };
    rule.first = decimal(first, WHEN_MAX).filter(|&f| f >= 1)? as u16;
    rule.last = match last {
        Some(last) => {
            let last = decimal(last, WHEN_MAX - 1)?;
            (last > u64::from(rule.first)).then_some(last as u16)?;
            Some(last as u16)
        }
        None => None,
    };
    rule.step = match step {
        Some("") => 1,
        Some(step) => decimal(step, WHEN_MAX).filter(|&s| s >= 1)? as u16,
        None if rule.last.is_some() => 1,
        None => 0,
    };
    Some(())
}

/// `error=`: a number in 1..=4095 or an errno name (any case).
fn errno_value(text: &str) -> Option<u16> {
    let n = match decimal(text, MAX_ERRNO) {
        Some(n) => n as u32,
        None => errno::by_name(text)?,
    };
    u16::try_from(n).ok().filter(|&n| n >= 1)
}

/// `retval=`: an unsigned number as C's strtoull reads it (0x hex, 0 octal, a `-` negates).
fn retval(text: &str) -> Option<u64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        decimal(digits, u64::MAX)?
    };
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// strace's warnings for a `retval` the tracee would read as an error (x86_64, and its
/// 32-bit personality).
fn inadvertent(v: u64) -> Option<String> {
    let long = v as i64;
    let int = v as u32 as i32;
    if long < 0 && long >= -(MAX_ERRNO as i64) {
        Some(format!(
            "Inadvertent injection of error {} is possible for retval={v}",
            -long
        ))
    } else if int < 0 && i64::from(int) >= -(MAX_ERRNO as i64) {
        Some(format!(
            "Inadvertent injection of error {} is possible in compat personality for retval={v}",
            -int
        ))
    } else if u64::from(v as u32) != v {
        Some(format!(
            "Injected return value {v} will be clipped to {} in compat personality",
            v as u32
        ))
    } else {
        None
    }
}

/// `signal=`: a number in 1..=64 or a name (`SIGUSR1`, `usr1`).
fn signal(text: &str) -> Option<u8> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return decimal(text, 255)
            .filter(|n| (1..=64).contains(n))
            .map(|n| n as u8);
    }
    signal_number(text).map(|n| n as u8)
}

/// strace's TRACE_PURE syscalls (no arguments, no side effects): the only ones `syscall=`
/// may put in another call's place.
const PURE: &[&str] = &[
    "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "gettid", "getpgrp",
];

/// `syscall=NAME`: a pure syscall's number.
fn pure_syscall(name: &str) -> Option<u32> {
    PURE.contains(&name)
        .then(|| tables::by_name(name).map(|d| d.nr))
        .flatten()
}

/// A delay `NUMBER[s|ms|us|ns]`, microseconds when no unit is given (strace's parse_ts).
fn delay(text: &str) -> Option<Duration> {
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "" | "us" => 1e3,
        "s" => 1e9,
        "ms" => 1e6,
        "ns" => 1.0,
        _ => return None,
    };
    let ns = number.parse::<f64>().ok()? * scale;
    (ns.is_finite() && ns >= 0.0 && ns < u64::MAX as f64).then(|| Duration::from_nanos(ns as u64))
}

/// How many calls of each tampered syscall each thread made, to tell which `when=` picks.
#[derive(Debug, Default)]
pub struct Counters {
    calls: HashMap<(u32, u32), u32>,
}

impl Counters {
    /// Counts a call of `nr` by `tid`: its 1-based number.
    pub fn next(&mut self, tid: u32, nr: u32) -> u32 {
        let n = self.calls.entry((tid, nr)).or_default();
        *n = n.saturating_add(1);
        *n
    }

    /// Thread `tid` is gone (its id may come back as a new thread's).
    pub fn forget(&mut self, tid: u32) {
        self.calls.retain(|(t, _), _| *t != tid);
    }
}

#[cfg(test)]
#[path = "tamper_tests.rs"]
mod tests;
