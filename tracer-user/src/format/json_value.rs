//! The model's values as JSON, schema 2: every value is an object whose members each have one
//! JSON type wherever they appear (`int`, `string`, `flags`, `fields`, `items`, `fd`), so a log
//! store maps each field path once (Elasticsearch fixes a field's type at its first value).

use std::cell::Cell;

use crate::{
    decode::{Arg, model::Flag},
    fdtable::FdNames,
    format::jsonw::{Obj, escape_into, escape_lossy_into},
};

/// How much of each long text and string a record keeps: all of it, or at most `limit` bytes,
/// counting what is left out; and how many items of each array (and frames of a `-k` stack):
/// all, or at most `items`, so a record of many short items fits too.
pub struct Fit {
    limit: usize,
    cut: Cell<u64>,
    items: usize,
    items_cut: Cell<u64>,
}

/// Bytes of text per item kept when cutting: an array keeps `limit / ITEM_COST` items, so an
/// array of texts cut to `limit` shrinks with the square of the limit and the halving loop of
/// `bounded_into` ends with none.
const ITEM_COST: usize = 64;

impl Fit {
    /// Everything kept.
    pub fn whole() -> Self {
        Self::to(usize::MAX)
    }

    /// At most `limit` bytes of each text.
    pub(super) fn to(limit: usize) -> Self {
        Self {
            limit,
            cut: Cell::new(0),
            items: if limit == usize::MAX {
                usize::MAX
            } else {
                limit / ITEM_COST
            },
            items_cut: Cell::new(0),
        }
    }

    /// Items (array items, stack frames) left out so far.
    pub(super) fn items_cut(&self) -> u64 {
        self.items_cut.get()
    }

    /// The first items of `all` that fit (the innermost frames of a stack), counting the rest.
    pub fn items<'b, T>(&self, all: &'b [T]) -> &'b [T] {
        if all.len() <= self.items {
            return all;
        }
        let left = all.len() - self.items;
        self.items_cut.set(self.items_cut.get() + left as u64);
        &all[..self.items]
    }

    /// Bytes left out so far.
    pub(super) fn cut(&self) -> u64 {
        self.cut.get()
    }

    pub(super) fn cutting(&self) -> bool {
        self.limit != usize::MAX
    }

    /// At most `limit` bytes of `b`.
    pub fn bytes<'b>(&self, b: &'b [u8]) -> &'b [u8] {
        if b.len() <= self.limit {
            return b;
        }
        self.cut.set(self.cut.get() + (b.len() - self.limit) as u64);
        &b[..self.limit]
    }

    /// At most `limit` bytes of `s`, cut on a character boundary.
    pub fn str<'b>(&self, s: &'b str) -> &'b str {
        if s.len() <= self.limit {
            return s;
        }
        let mut at = self.limit;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        self.cut.set(self.cut.get() + (s.len() - at) as u64);
        &s[..at]
    }
}

/// What a typed value needs besides the value: the fd table (`-y`), the process, and how
/// much of a long string fits.
pub(super) struct Typed<'a> {
    pub fds: Option<&'a dyn FdNames>,
    pub tgid: u32,
    pub fit: &'a Fit,
}

/// Writes the typed members of `arg` into `out`:
/// - `int`: a number (integers, pids, fds, a NULL pointer as 0);
/// - `string`: text (captured strings such as paths, as UTF-8 with invalid bytes replaced; a
///   named constant such as `AT_FDCWD`), with `len` (bytes captured), `truncated` (the capture
///   is a prefix), `utf8: false` (bytes were replaced) and `cut` (bytes left out to keep the
///   line short); captured data (`Arg::Str`'s `data`: a buffer) has `len` and `truncated`
///   only, its bytes being in `message` (schema 4);
/// - `flags`: a flag set's parts (names, `0x…` for bits no name covers, `0644` for
///   permission bits);
/// - `fields`: a struct, each field's name to its typed value;
/// - `items`: an array's (or a set's) items as typed values;
/// - `fd`: with `-y`/`-yy`, what the fd refers to (`fd.path`).
///
/// Writes nothing for values that are only text (addresses, composed text): `text` has them.
pub(super) fn typed_into(arg: &Arg, t: &Typed<'_>, out: &mut Obj<'_>) {
    match arg {
        Arg::Int(v) | Arg::Pid(v) => {
            out.int("int", *v);
        }
        Arg::UInt(v) => {
            out.int("int", *v as i64);
        }
        Arg::Ptr(0) => {
            out.int("int", 0);
        }
        Arg::Fd(fd) => {
            out.int("int", i64::from(*fd));
            if let Some(d) = t.fds.and_then(|f| f.describe(t.tgid, *fd)) {
                out.obj("fd", |f| {
                    d.with_text(|text| f.str("path", text));
                });
            }
        }
        // Data (a buffer the call transfers) is in `message` only, as strace prints it
        // (schema 4): its length here, not its bytes a second time.
        Arg::Str {
            bytes,
            truncated,
            data: true,
            ..
        } => {
            out.int("len", bytes.len() as i64);
            if *truncated {
                out.bool("truncated", true);
            }
        }
        Arg::Str {
            bytes, truncated, ..
        } => {
            let shown = t.fit.bytes(bytes);
            let replaced = escape_lossy_into(shown, out.key("string"));
            out.int("len", bytes.len() as i64);
            if *truncated {
                out.bool("truncated", true);
            }
            if shown.len() < bytes.len() {
                out.int("cut", (bytes.len() - shown.len()) as i64);
            }
            if replaced {
                out.bool("utf8", false);
            }
        }
        Arg::Sym(s) => {
            out.str("string", s);
        }
        Arg::Flags(parts) => {
            out.arr("flags", |a| {
                for part in parts {
                    match part {
                        Flag::Name(name) => escape_into(name, a.item()),
                        _ => escape_into(
                            &super::value::flags_text(std::slice::from_ref(part)),
                            a.item(),
                        ),
                    }
                }
            });
        }
        Arg::Struct { fields, .. } => {
            out.obj("fields", |o| {
                for (name, v) in fields {
                    if !name.is_empty() && has_value(v) {
                        o.obj(name, |f| typed_into(v, t, f));
                    }
                }
            });
        }
        Arg::Array { items, .. } | Arg::Set { items, .. } | Arg::Seq(items) => {
            items_into(items, t, out);
        }
        // htons(5432), inet_addr("10.0.0.1"): the value inside.
        Arg::Call { args, .. } if args.len() == 1 => typed_into(&args[0], t, out),
        Arg::Call { args, .. } => items_into(args, t, out),
        Arg::Boxed(inner)
        | Arg::Labeled(_, inner)
        | Arg::Named(_, inner)
        | Arg::Commented(inner, _)
        | Arg::Indexed(_, inner)
        | Arg::Prefixed(_, inner)
        | Arg::Changed(_, inner) => typed_into(inner, t, out),
        // A constant by name, as -X abbrev shows it, whatever -X says.
        Arg::Const { shown, .. } => typed_into(shown, t, out),
        Arg::Hex(_)
        | Arg::Octal(_)
        | Arg::Ptr(_)
        | Arg::Raw(_)
        | Arg::RawOnly(_)
        | Arg::Or(_)
        | Arg::Shift(..) => {}
    }
}

/// `items`: as many as fit, then `items_cut`, how many were left out.
fn items_into(items: &[Arg], t: &Typed<'_>, out: &mut Obj<'_>) {
    let shown = t.fit.items(items);
    out.arr("items", |a| {
        for item in shown {
            a.obj(|o| typed_into(item, t, o));
        }
    });
    if shown.len() < items.len() {
        out.int("items_cut", (items.len() - shown.len()) as i64);
    }
}

/// Whether `arg` holds a captured string or data (a `len`, in a struct or array too): its
/// argument has no `text` (schema 3), a string being in `message` as strace prints it and in
/// `string` as a value, data in `message` only (schema 4).
pub(super) fn holds_data(arg: &Arg) -> bool {
    match arg {
        Arg::Str { .. } => true,
        Arg::Struct { fields, .. } => fields
            .iter()
            .any(|(name, v)| !name.is_empty() && has_value(v) && holds_data(v)),
        Arg::Array { items, .. } | Arg::Set { items, .. } | Arg::Seq(items) => {
            items.iter().any(holds_data)
        }
        Arg::Call { args, .. } => args.iter().any(holds_data),
        Arg::Boxed(inner)
        | Arg::Labeled(_, inner)
        | Arg::Named(_, inner)
        | Arg::Commented(inner, _)
        | Arg::Indexed(_, inner)
        | Arg::Prefixed(_, inner)
        | Arg::Changed(_, inner) => holds_data(inner),
        Arg::Const { shown, .. } => holds_data(shown),
        _ => false,
    }
}

/// Whether `typed_into` writes anything for `arg`.
pub(super) fn has_value(arg: &Arg) -> bool {
    match arg {
        Arg::Hex(_) | Arg::Octal(_) | Arg::Raw(_) | Arg::RawOnly(_) => false,
        Arg::Ptr(p) => *p == 0,
        Arg::Call { args, .. } => args.len() != 1 || has_value(&args[0]),
        Arg::Boxed(inner)
        | Arg::Labeled(_, inner)
        | Arg::Named(_, inner)
        | Arg::Commented(inner, _)
        | Arg::Indexed(_, inner)
        | Arg::Prefixed(_, inner)
        | Arg::Changed(_, inner) => has_value(inner),
        Arg::Const { shown, .. } => has_value(shown),
        Arg::Or(_) | Arg::Shift(..) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn typed(arg: &Arg) -> Value {
        let fit = Fit::whole();
        let t = Typed {
            fds: None,
            tgid: 1,
            fit: &fit,
        };
        let mut out = String::new();
        let mut o = Obj::open(&mut out);
        typed_into(arg, &t, &mut o);
        o.close();
        serde_json::from_str(&out).expect("valid JSON")
    }

    #[test]
    fn structs_become_objects_of_typed_fields() {
        let sa = Arg::sockaddr_in(58952, b"192.168.10.1");
        assert_eq!(
            typed(&sa),
            json!({"fields": {
                "sa_family": {"string": "AF_INET"},
                "sin_port": {"int": 58952},
                "sin_addr": {"string": "192.168.10.1", "len": 12},
            }})
        );
    }

    /// The same field holding a number in one call and a name in another lands in two
    /// members, each with one type.
    #[test]
    fn one_field_has_one_type_whatever_the_value() {
        let status = |v: Arg| Arg::Struct {
            fields: vec![("si_status", v)],
            more: false,
        };
        assert_eq!(
            typed(&status(Arg::Int(0))),
            json!({"fields": {"si_status": {"int": 0}}})
        );
        assert_eq!(
            typed(&status(Arg::sym("SIGTERM"))),
            json!({"fields": {"si_status": {"string": "SIGTERM"}}})
        );
        assert_eq!(
            typed(&Arg::Flags(vec![Flag::Bits(8), Flag::name("MAP_FIXED")])),
            json!({"flags": ["0x8", "MAP_FIXED"]})
        );
        assert_eq!(
            typed(&Arg::Array {
                items: vec![Arg::Fd(3), Arg::Hex(0x10)],
                more: true
            }),
            json!({"items": [{"int": 3}, {}]})
        );
        assert_eq!(typed(&Arg::Hex(0x10)), json!({}));
    }

    /// NUL ends a string in C JSON parsers (rsyslog's json-c): it is replaced, and said so.
    #[test]
    fn nul_and_invalid_utf8_are_replaced_and_marked() {
        assert_eq!(
            typed(&Arg::str(b"p\0\0\0(md5", false)),
            json!({"string": "p\u{fffd}\u{fffd}\u{fffd}(md5", "len": 8, "utf8": false})
        );
        assert_eq!(
            typed(&Arg::str(b"caf\xe9", false)),
            json!({"string": "caf\u{fffd}", "len": 4, "utf8": false})
        );
        assert_eq!(
            typed(&Arg::str(b"plain", false)),
            json!({"string": "plain", "len": 5})
        );
    }
}
