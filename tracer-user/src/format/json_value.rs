//! The model's values as JSON (`format::json`'s `args[].value`, `flags`, `fd`, and signal
//! info): numbers as numbers, strings as text, flag sets as lists of names, structs as objects.

use std::fmt::Write as _;

use crate::{
    decode::{Arg, model::Flag},
    fdtable::FdNames,
    format::{
        json::MAX_VALUE,
        jsonw::{Arr, Obj, escape_into, int_into},
    },
};

/// Adds the natural typed form of `arg`, if it has one: `value` (numbers, strings, structs),
/// `flags` (flag names), `fd` (what an fd refers to).
pub(super) fn typed_into(arg: &Arg, fds: Option<&dyn FdNames>, tgid: u32, out: &mut Obj<'_>) {
    match arg {
        Arg::Str {
            bytes, truncated, ..
        } => {
            let shown = &bytes[..bytes.len().min(MAX_VALUE)];
            let text = String::from_utf8_lossy(shown);
            out.str("value", &text).int("len", bytes.len() as i64);
            if *truncated || bytes.len() > MAX_VALUE {
                out.bool("truncated", true);
            }
            if matches!(text, std::borrow::Cow::Owned(_)) {
                out.bool("utf8", false);
            }
        }
        Arg::Sym(s) if is_constant(s) => {
            out.arr("flags", |a| escape_into(s, a.item()));
        }
        Arg::Flags(parts) if !parts.is_empty() && parts.iter().all(is_named) => {
            out.arr("flags", |a| {
                for part in parts {
                    if let Flag::Name(name) = part {
                        escape_into(name, a.item());
                    }
                }
            });
        }
        Arg::Fd(fd) => {
            out.int("value", i64::from(*fd));
            if let Some(d) = fds.and_then(|f| f.describe(tgid, *fd)) {
                out.obj("fd", |f| {
                    f.str("path", &d.text());
                });
            }
        }
        _ => {
            if has_value(arg) {
                value_into(arg, out.key("value"));
            }
        }
    }
}

/// A C constant's name: `O_RDONLY`, `AT_FDCWD`, `SIGTERM` (not `__O_SYNC`, `0x8`).
fn is_constant(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A flag set's part that JSON lists by name.
fn is_named(part: &Flag) -> bool {
    matches!(part, Flag::Name(name) if is_constant(name))
}

/// Whether `value_into` writes anything for `arg`.
pub(super) fn has_value(arg: &Arg) -> bool {
    match arg {
        Arg::Int(_)
        | Arg::Pid(_)
        | Arg::UInt(_)
        | Arg::Fd(_)
        | Arg::Str { .. }
        | Arg::Sym(_)
        | Arg::Flags(_)
        | Arg::Struct { .. }
        | Arg::Array { .. }
        | Arg::Set { .. }
        | Arg::Seq(_)
        | Arg::Ptr(0) => true,
        Arg::Call { args, .. } => args.len() == 1 && has_value(&args[0]),
        Arg::Boxed(inner)
        | Arg::Labeled(_, inner)
        | Arg::Named(_, inner)
        | Arg::Commented(inner, _) => has_value(inner),
        Arg::Changed(_, after) => has_value(after),
        _ => false,
    }
}

/// The plain value of a nested argument (struct fields, array items).
pub(super) fn value_into(arg: &Arg, out: &mut String) {
    match arg {
        Arg::Int(v) | Arg::Pid(v) => int_into(*v, out),
        Arg::UInt(v) => int_into(*v as i64, out),
        Arg::Fd(v) => {
            let _ = write!(out, "{v}");
        }
        Arg::Str { bytes, .. } => escape_into(
            &String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_VALUE)]),
            out,
        ),
        Arg::Sym(s) => escape_into(s, out),
        Arg::Flags(parts) => escape_into(&super::value::flags_text(parts), out),
        Arg::Struct { fields, .. } => {
            let mut o = Obj::open(out);
            for (name, v) in fields {
                if !name.is_empty() && has_value(v) {
                    value_into(v, o.key(name));
                }
            }
            o.close();
        }
        Arg::Array { items, .. } | Arg::Set { items, .. } | Arg::Seq(items) => {
            let mut a = Arr::open(out);
            for item in items.iter().filter(|i| has_value(i)) {
                value_into(item, a.item());
            }
            a.close();
        }
        // htons(5432), inet_addr("10.0.0.1"): the value inside.
        Arg::Call { args, .. } => value_into(&args[0], out),
        Arg::Boxed(inner)
        | Arg::Labeled(_, inner)
        | Arg::Named(_, inner)
        | Arg::Commented(inner, _) => value_into(inner, out),
        Arg::Changed(_, after) => value_into(after, out),
        _ => out.push_str("null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn value(arg: &Arg) -> Option<Value> {
        let mut out = String::new();
        has_value(arg).then(|| {
            value_into(arg, &mut out);
            serde_json::from_str(&out).expect("valid JSON")
        })
    }

    #[test]
    fn structs_become_objects() {
        let sa = Arg::Struct {
            fields: vec![
                ("sa_family", Arg::sym("AF_INET")),
                (
                    "sin_port",
                    Arg::Call {
                        name: "htons",
                        args: vec![Arg::UInt(58952)],
                    },
                ),
                (
                    "sin_addr",
                    Arg::Call {
                        name: "inet_addr",
                        args: vec![Arg::str(b"192.168.10.1", false)],
                    },
                ),
            ],
            more: false,
        };
        assert_eq!(
            value(&sa),
            Some(json!({"sa_family": "AF_INET", "sin_port": 58952, "sin_addr": "192.168.10.1"}))
        );
    }
}
