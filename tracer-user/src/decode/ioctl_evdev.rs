//! evdev ioctls (type `'E'`) as strace 6.1's evdev.c and ioctl.c's `evdev_decode_number`
//! print them: the numbered requests by their macro (`EVIOCGNAME(64)`, `EVIOCGBIT(EV_KEY, 64)`,
//! `EVIOCGABS(ABS_X)`, `EVIOCSABS(0x3f /* ABS_??? */)`), and the arguments: what the kernel
//! reads whether or not the call succeeds (`EVIOCSREP` `[250, 33]`, `EVIOCSKEYCODE`
//! `[250, KEY_F]`, `EVIOCSABS` `{value=1, minimum=4294967294, ...}`, `EVIOCGRAB` `1`,
//! `EVIOCRMFF` `-1`, `EVIOCSCLOCKID` `[1]`), what it writes once it succeeded (the version,
//! effects, repeat, key code, axis and the name strings), else the address.

use crate::{
    decode::{
        Arg, Ctx,
        bytes::{i32_at, u32_at},
        enum_value,
    },
    tables::{
        evdev_gen::{ABS_AXES, EV_TYPES, KEY_CODES},
        flags::Xlat,
    },
};

const IOC_WRITE: u32 = 1;
const IOC_READ: u32 = 2;

fn dir(req: u32) -> u32 {
    req >> 30
}

fn nr(req: u32) -> u32 {
    req & 0xff
}

fn size(req: u32) -> u64 {
    u64::from((req >> 16) & 0x3fff)
}

/// Whether `req` is of evdev's type, which strace decodes with evdev.c whatever the request.
pub fn is_evdev(req: u32) -> bool {
    (req >> 8) & 0xff == u32::from(b'E')
}

/// A value of `table`, an unknown one as `0x3f /* ABS_??? */`.
fn value(table: Xlat, v: u32) -> Arg {
    enum_value(table, u64::from(v))
}

/// A request macro's argument: the name alone (strace prints it so in `-X verbose`'s comment:
/// `/* EVIOCGBIT(EV_KEY, 64) */`), an unknown one `0x3f /* ABS_??? */` (bare in the comment).
fn macro_arg(table: Xlat, v: u32) -> Arg {
    match table.name(u64::from(v)) {
        Some(name) => Arg::sym(name),
        None => Arg::Commented(Box::new(Arg::Hex(v.into())), format!("{}???", table.prefix)),
    }
}

/// The request's name when it is one of evdev's numbered requests (strace's
/// `evdev_decode_number`), else None (then named by the table).
pub fn request(req: u32) -> Option<Arg> {
    let (nr, size) = (nr(req), size(req));
    let call = |name: &'static str, args: Vec<Arg>| Arg::Call { name, args };
    let shown = match dir(req) {
        IOC_WRITE if nr >= 0xc0 => call("EVIOCSABS", vec![macro_arg(ABS_AXES, nr - 0xc0)]),
        IOC_READ => match nr {
            // EVIOCGBIT(0, len) is the set of event types: strace prints the 0 bare.
            0x20 => call("EVIOCGBIT", vec![Arg::UInt(0), Arg::UInt(size)]),
            0x21..=0x3f => call(
                "EVIOCGBIT",
                vec![macro_arg(EV_TYPES, nr - 0x20), Arg::UInt(size)],
            ),
            0x40..=0x7f => call("EVIOCGABS", vec![macro_arg(ABS_AXES, nr - 0x40)]),
            _ => {
                let name = match nr {
                    0x06 => "EVIOCGNAME",
                    0x07 => "EVIOCGPHYS",
                    0x08 => "EVIOCGUNIQ",
                    0x09 => "EVIOCGPROP",
                    0x0a => "EVIOCGMTSLOTS",
                    0x18 => "EVIOCGKEY",
                    0x19 => "EVIOCGLED",
                    0x1a => "EVIOCGSND",
                    0x1b => "EVIOCGSW",
                    _ => return None,
                };
                call(name, vec![Arg::UInt(size)])
            }
        },
        _ => return None,
    };
    Some(Arg::constant(Arg::Hex(u64::from(req)), shown))
}

/// The argument as strace prints it, or None for requests evdev.c leaves in hex.
pub fn argument(ctx: &Ctx<'_>, req: u32, names: &[&str]) -> Option<Arg> {
    let value = ctx.arg(2);
    let has = |n: &str| names.contains(&n);
    // What the kernel reads is shown whether or not the call succeeds; what it writes only
    // once it succeeded (strace decodes _IOC_READ requests as they end).
    let read = || ctx.data(2).filter(|_| value != 0);
    let written = || read().filter(|_| !ctx.failed());
    let or_addr = |a: Option<Arg>| Some(a.unwrap_or(Arg::Ptr(value)));
    let (nr, dir) = (nr(req), dir(req));
    if dir == IOC_WRITE {
        return if has("EVIOCSREP") {
            or_addr(read().and_then(|d| pair(d, |v| Arg::UInt(u64::from(v)))))
        } else if has("EVIOCSKEYCODE") {
            or_addr(read().and_then(keycode))
        } else if has("EVIOCRMFF") {
            Some(Arg::Int(ctx.int(2)))
        } else if has("EVIOCGRAB") || has("EVIOCREVOKE") {
            Some(Arg::UInt(value))
        } else if has("EVIOCSCLOCKID") {
            or_addr(
                read()
                    .and_then(|d| i32_at(d, 0))
                    .map(|v| Arg::boxed(Arg::Int(v.into()))),
            )
        } else if nr >= 0xc0 {
            absinfo(ctx, req, read())
        } else if has("EVIOCSKEYCODE_V2") || has("EVIOCSFF") || has("EVIOCSMASK") {
            // Structs not decoded yet: their address.
            Some(Arg::Ptr(value))
        } else {
            None
        };
    }
    if dir != IOC_READ {
        return None;
    }
    if has("EVIOCGVERSION") {
        return or_addr(
            written()
                .and_then(|d| u32_at(d, 0))
                .map(|v| Arg::boxed(Arg::Hex(v.into()))),
        );
    }
    if has("EVIOCGEFFECTS") {
        return or_addr(
            written()
                .and_then(|d| u32_at(d, 0))
                .map(|v| Arg::boxed(Arg::UInt(v.into()))),
        );
    }
    if has("EVIOCGREP") {
        return or_addr(written().and_then(|d| pair(d, |v| Arg::UInt(u64::from(v)))));
    }
    if has("EVIOCGKEYCODE") {
        return or_addr(written().and_then(keycode));
    }
    match nr {
        // The name strings: as many bytes as the call returned.
        0x06..=0x08 => {
            let len = match ctx.raw.ret {
                r if r > 0 => r as usize,
                _ => 0,
            };
            or_addr(written().map(|d| ctx.bytes_arg(&d[..len.min(d.len())], false)))
        }
        0x40..=0x7f => match written() {
            Some(d) => absinfo(ctx, req, Some(d)),
            None => Some(Arg::Ptr(value)),
        },
        // The bit sets (EVIOCGBIT, EVIOCGKEY, ...) are not decoded yet: the address (what
        // strace prints when they fail).
        0x09 | 0x0a | 0x18..=0x1b | 0x20..=0x3f => Some(Arg::Ptr(value)),
        _ => None,
    }
}

/// Two unsigned ints, `[250, 33]` (printpair_int).
fn pair(d: &[u8], second: impl Fn(u32) -> Arg) -> Option<Arg> {
    Some(Arg::Array {
        items: vec![Arg::UInt(u32_at(d, 0)?.into()), second(u32_at(d, 4)?)],
        more: false,
    })
}

/// EVIOCGKEYCODE/EVIOCSKEYCODE's scan code and key, `[250, KEY_F]`.
fn keycode(d: &[u8]) -> Option<Arg> {
    pair(d, |k| value(KEY_CODES, k))
}

/// `struct input_absinfo` `{value=1, minimum=4294967294, ...}` (every field with `-v`, the
/// resolution when the request's size holds it); a request smaller than the original
/// struct's 20 bytes is left in hex, as strace leaves it.
fn absinfo(ctx: &Ctx<'_>, req: u32, d: Option<&[u8]>) -> Option<Arg> {
    let size = size(req) as usize;
    if size < 20 {
        return None;
    }
    let Some(d) = d else {
        return Some(Arg::Ptr(ctx.arg(2)));
    };
    let f = |at: usize| u32_at(d, at).map(|v| Arg::UInt(v.into()));
    let mut fields = vec![("value", f(0)?), ("minimum", f(4)?)];
    if ctx.abbrev() {
        return Some(Arg::Struct { fields, more: true });
    }
    fields.extend([("maximum", f(8)?), ("fuzz", f(12)?), ("flat", f(16)?)]);
    if size > 20 {
        fields.push(("resolution", f(20)?));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    const EVIOCGNAME_64: u32 = 0x8040_4506;

    #[test]
    fn numbered_requests_are_named_as_strace_names_them() {
        let text = |req| request(req).map(|a| shown(&a));
        assert_eq!(text(EVIOCGNAME_64).as_deref(), Some("EVIOCGNAME(64)"));
        assert_eq!(text(0x8040_4521).as_deref(), Some("EVIOCGBIT(EV_KEY, 64)"));
        assert_eq!(text(0x8008_4520).as_deref(), Some("EVIOCGBIT(0, 8)"));
        assert_eq!(
            text(0x8004_453e).as_deref(),
            Some("EVIOCGBIT(0x1e /* EV_??? */, 4)")
        );
        assert_eq!(text(0x8018_4540).as_deref(), Some("EVIOCGABS(ABS_X)"));
        assert_eq!(
            text(0x4018_45ff).as_deref(),
            Some("EVIOCSABS(0x3f /* ABS_??? */)")
        );
        // Fixed-size requests are the table's.
        assert_eq!(text(0x4004_4590), None);
    }

    #[test]
    fn key_codes_are_named() {
        let d = [250u32.to_le_bytes(), 33u32.to_le_bytes()].concat();
        assert_eq!(shown(&keycode(&d).expect("pair")), "[250, KEY_F]");
    }
}
