//! strace's command-line grammar (GNU `getopt_long` with strace's `+` optstring) in front of
//! clap: argv is read the way strace reads it and rewritten into a form clap parses the same
//! way. The option table is clap's own (`Cli`'s definitions), so there is one definition of
//! what tracer accepts.
//!
//! What getopt does and clap alone does not: options end at the first non-option (the command
//! and its arguments are never options), `-s-1` and `-o -x` take a value that starts with `-`,
//! a long option may be cut to any unique prefix (`--foll`), an optional value is only ever
//! attached (`--decode-fds=all`, never `--decode-fds all`), and an unknown option is an error
//! naming it, never a command to look up.

use std::{
    ffi::{OsStr, OsString},
    os::unix::ffi::{OsStrExt, OsStringExt},
};

use clap::{Arg, Command};

/// A command line getopt refuses, worded as GNU getopt words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GetoptError {
    #[error("invalid option -- '{0}'")]
    InvalidShort(char),
    #[error("unrecognized option '{0}'")]
    UnrecognizedLong(String),
    #[error("option requires an argument -- '{0}'")]
    ShortNeedsValue(char),
    #[error("option '--{0}' requires an argument")]
    LongNeedsValue(String),
    #[error("option '--{0}' doesn't allow an argument")]
    LongTakesNoValue(String),
    #[error("option '{0}' is ambiguous; possibilities:{1}")]
    Ambiguous(String, String),
}

/// Whether an option takes a value (getopt's `no_argument`, `required_argument`,
/// `optional_argument`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    No,
    Required,
    /// Only as `--name=VALUE`; clap's `require_equals` with zero or one value.
    Optional,
}

fn takes(arg: &Arg) -> Takes {
    if !arg.get_action().takes_values() {
        return Takes::No;
    }
    let optional = arg.get_num_args().is_some_and(|n| n.min_values() == 0);
    match optional && arg.is_require_equals_set() {
        true => Takes::Optional,
        false => Takes::Required,
    }
}

/// One long spelling: the name typed and the canonical long clap knows the option by.
struct Long {
    name: String,
    canonical: String,
    takes: Takes,
}

/// The options of a built clap command, as getopt tables.
struct Table {
    /// Each short with what it takes and its option's long name, if any.
    shorts: Vec<(char, Takes, Option<String>)>,
    longs: Vec<Long>,
}

impl Table {
    fn new(cmd: &Command) -> Self {
        let mut shorts = Vec::new();
        let mut longs = Vec::new();
        for arg in cmd.get_arguments().filter(|a| !a.is_positional()) {
            let t = takes(arg);
            for c in arg.get_short_and_visible_aliases().unwrap_or_default() {
                shorts.push((c, t, arg.get_long().map(str::to_string)));
            }
            if let Some(canonical) = arg.get_long() {
                let names =
                    std::iter::once(canonical).chain(arg.get_all_aliases().unwrap_or_default());
                longs.extend(names.map(|name| Long {
                    name: name.to_string(),
                    canonical: canonical.to_string(),
                    takes: t,
                }));
            }
        }
        Self { shorts, longs }
    }

    fn short(&self, c: char) -> Option<(Takes, Option<&str>)> {
        self.shorts
            .iter()
            .find(|(s, _, _)| *s == c)
            .map(|(_, t, long)| (*t, long.as_deref()))
    }

    /// getopt_long's lookup: an exact name, else the one option all names starting with
    /// `typed` belong to.
    fn long(&self, typed: &str) -> Result<&Long, GetoptError> {
        if let Some(exact) = self.longs.iter().find(|l| l.name == typed) {
            return Ok(exact);
        }
        let matches: Vec<&Long> = self
            .longs
            .iter()
            .filter(|l| l.name.starts_with(typed))
            .collect();
        match matches.first() {
            None => Err(GetoptError::UnrecognizedLong(format!("--{typed}"))),
            Some(first) if matches.iter().all(|l| l.canonical == first.canonical) => Ok(first),
            Some(_) => Err(GetoptError::Ambiguous(
                format!("--{typed}"),
                matches.iter().map(|l| format!(" '--{}'", l.name)).collect(),
            )),
        }
    }
}

/// Rewrites `args` (argv, program name first) into what clap reads as getopt would: each
/// option on its own (`-fttT` → `-f -t -t -T`, `-s64` → `-s 64`), long options by their
/// full name with any value attached (`--foll` → `--follow-forks`, `--output f` →
/// `--output=f`), then `--` and the command with its arguments untouched.
pub fn normalize(cmd: &Command, args: Vec<OsString>) -> Result<Vec<OsString>, GetoptError> {
    let table = Table::new(cmd);
    let mut args = args.into_iter();
    let mut out: Vec<OsString> = args.next().into_iter().collect();
    let mut command = None;
    while let Some(arg) = args.next() {
        let bytes = arg.as_bytes();
        if bytes == b"--" {
            break;
        }
        if let Some(long) = bytes.strip_prefix(b"--") {
            out.extend(long_option(&table, long, &mut args)?);
        } else if bytes.len() > 1 && bytes[0] == b'-' {
            out.extend(short_bundle(&table, &bytes[1..], &mut args)?);
        } else {
            // The first non-option: the command starts here (strace's `+`).
            command = Some(arg);
            break;
        }
    }
    out.push("--".into());
    out.extend(command);
    out.extend(args);
    Ok(out)
}

/// `--name`, `--name=value`, or `--name value` for an option that requires one.
fn long_option(
    table: &Table,
    text: &[u8],
    rest: &mut impl Iterator<Item = OsString>,
) -> Result<Vec<OsString>, GetoptError> {
    let (name, value) = match text.iter().position(|&b| b == b'=') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let long = table
        .long(&String::from_utf8_lossy(name))
        .map_err(|e| match e {
            // getopt names the whole argument, value included.
            GetoptError::UnrecognizedLong(_) => {
                GetoptError::UnrecognizedLong(format!("--{}", String::from_utf8_lossy(text)))
            }
            other => other,
        })?;
    let flag = format!("--{}", long.canonical);
    let value = match (long.takes, value) {
        (Takes::No, Some(_)) => return Err(GetoptError::LongTakesNoValue(long.name.clone())),
        (Takes::No | Takes::Optional, None) => return Ok(vec![flag.into()]),
        (_, Some(v)) => OsString::from_vec(v.to_vec()),
        (Takes::Required, None) => rest
            .next()
            .ok_or_else(|| GetoptError::LongNeedsValue(long.name.clone()))?,
    };
    Ok(vec![attach(&flag, &value)])
}

/// `--flag=value`, bytes kept as they are.
fn attach(flag: &str, value: &OsStr) -> OsString {
    let mut joined = format!("{flag}=").into_bytes();
    joined.extend_from_slice(value.as_bytes());
    OsString::from_vec(joined)
}

/// `-abc`: flags one after another; the first that takes a value takes the rest of the
/// bundle, or the next argument when the bundle ends with it.
fn short_bundle(
    table: &Table,
    bundle: &[u8],
    rest: &mut impl Iterator<Item = OsString>,
) -> Result<Vec<OsString>, GetoptError> {
    let mut out = Vec::new();
    for (i, &b) in bundle.iter().enumerate() {
        let c = char::from(b);
        let found = b.is_ascii().then(|| table.short(c)).flatten();
        match found {
            None => return Err(GetoptError::InvalidShort(c)),
            // A short option's optional value exists only in its long spelling
            // (`-r` / `--relative-timestamps=ms`).
            Some((Takes::No | Takes::Optional, _)) => out.push(OsString::from(format!("-{c}"))),
            Some((_, long)) => {
                let attached = &bundle[i + 1..];
                let value = match attached.is_empty() {
                    false => OsString::from_vec(attached.to_vec()),
                    true => rest.next().ok_or(GetoptError::ShortNeedsValue(c))?,
                };
                // clap reads `-o=x` as `x` and `-o --` as no value: the long spelling keeps
                // the value as typed; a short-only option's value goes as its own argument
                // (every value-taking option accepts one starting with `-`).
                match long {
                    Some(long) => out.push(attach(&format!("--{long}"), &value)),
                    None => out.extend([OsString::from(format!("-{c}")), value]),
                }
                return Ok(out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd() -> Command {
        let mut c = Command::new("t")
            .arg(
                Arg::new("f")
                    .short('f')
                    .long("follow-forks")
                    .action(clap::ArgAction::Count),
            )
            .arg(Arg::new("t").short('t').action(clap::ArgAction::Count))
            .arg(Arg::new("e").short('e'))
            .arg(Arg::new("s").short('s').long("string-limit"))
            .arg(Arg::new("o").short('o').long("output").alias("out"))
            .arg(
                Arg::new("d")
                    .long("decode-fds")
                    .num_args(0..=1)
                    .require_equals(true),
            )
            .arg(
                Arg::new("summary")
                    .long("summary")
                    .action(clap::ArgAction::SetTrue),
            )
            .arg(
                Arg::new("summary-only")
                    .long("summary-only")
                    .action(clap::ArgAction::SetTrue),
            )
            .arg(Arg::new("cmd").num_args(0..).trailing_var_arg(true));
        c.build();
        c
    }

    fn norm(args: &[&str]) -> Result<Vec<String>, GetoptError> {
        let args = std::iter::once("t")
            .chain(args.iter().copied())
            .map(OsString::from);
        normalize(&cmd(), args.collect()).map(|v| {
            v.into_iter()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        })
    }

    #[test]
    fn bundles_and_attached_values() {
        assert_eq!(
            norm(&["-ftt", "ls"]).unwrap(),
            ["-f", "-t", "-t", "--", "ls"]
        );
        assert_eq!(
            norm(&["-s64", "-ofile"]).unwrap(),
            ["--string-limit=64", "--output=file", "--"]
        );
        assert_eq!(
            norm(&["-fs", "8"]).unwrap(),
            ["-f", "--string-limit=8", "--"]
        );
        assert_eq!(norm(&["-o", "--"]).unwrap(), ["--output=--", "--"]);
        assert_eq!(
            norm(&["-e-x", "-e", "=y"]).unwrap(),
            ["-e", "-x", "-e", "=y", "--"]
        );
    }

    #[test]
    fn long_spellings() {
        assert_eq!(norm(&["--output", "f"]).unwrap(), ["--output=f", "--"]);
        assert_eq!(norm(&["--out=f"]).unwrap(), ["--output=f", "--"]);
        assert_eq!(norm(&["--foll"]).unwrap(), ["--follow-forks", "--"]);
        assert_eq!(norm(&["--summary"]).unwrap(), ["--summary", "--"]);
        assert_eq!(
            norm(&["--decode-fds", "ls"]).unwrap(),
            ["--decode-fds", "--", "ls"]
        );
        assert_eq!(
            norm(&["--decode-fds=all"]).unwrap(),
            ["--decode-fds=all", "--"]
        );
    }

    #[test]
    fn the_command_ends_the_options() {
        assert_eq!(
            norm(&["-f", "ls", "-l", "--x"]).unwrap(),
            ["-f", "--", "ls", "-l", "--x"]
        );
        assert_eq!(norm(&["--", "-x", "-f"]).unwrap(), ["--", "-x", "-f"]);
        assert_eq!(norm(&["-", "-f"]).unwrap(), ["--", "-", "-f"]);
    }

    #[test]
    fn refusals_name_the_option() {
        assert_eq!(norm(&["-Q"]), Err(GetoptError::InvalidShort('Q')));
        assert_eq!(norm(&["-fQ"]), Err(GetoptError::InvalidShort('Q')));
        assert_eq!(
            norm(&["--bogus"]),
            Err(GetoptError::UnrecognizedLong("--bogus".into()))
        );
        assert_eq!(norm(&["-s"]), Err(GetoptError::ShortNeedsValue('s')));
        assert_eq!(
            norm(&["--output"]),
            Err(GetoptError::LongNeedsValue("output".into()))
        );
        assert_eq!(
            norm(&["--follow-forks=2"]),
            Err(GetoptError::LongTakesNoValue("follow-forks".into()))
        );
        assert_eq!(
            norm(&["--su"]).unwrap_err().to_string(),
            "option '--su' is ambiguous; possibilities: '--summary' '--summary-only'"
        );
    }
}
