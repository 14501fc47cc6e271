//! Flag words as the model holds them (`Arg::Flags`): names in strace's order, then the bits
//! no name covers.

use crate::{
    decode::model::{Arg, Flag},
    tables::flags::{O_ACCMODE, OPEN_ACCESS_MODES, OPEN_MODE_FLAGS, Xlat},
};

/// Appends `table`'s names for the bits of `value`, then the bits left over (nothing for 0).
pub fn push_bits(table: Xlat, value: u64, out: &mut Vec<Flag>) {
    let (names, rest) = table.split(value);
    out.extend(names.into_iter().map(Flag::name));
    if rest != 0 {
        out.push(Flag::Bits(rest));
    }
}

/// A flag word; 0 is the table's name for 0 (`PROT_NONE`), or `0`; bits no name covers at
/// all are `0x1 /* PIDFD_??? */`, as strace's printflags marks them.
pub fn flags(table: Xlat, value: u64) -> Arg {
    flags_ex(&[table], value)
}

/// strace's printflags_ex: the names of each table in turn (clone3's flags: clone's, then
/// clone3's own), the first table's prefix marking bits none of them names.
pub fn flags_ex(tables: &[Xlat], value: u64) -> Arg {
    Arg::constant(Arg::Hex(value), flag_parts(tables, value))
}

/// `flags`'s names alone, without the number (for text strace composes by name whatever
/// `-X` says).
fn flag_parts(tables: &[Xlat], value: u64) -> Arg {
    let (mut names, mut rest) = (Vec::new(), value);
    for table in tables {
        let (more, left) = table.split(rest);
        names.extend(more);
        rest = left;
    }
    let mut parts: Vec<Flag> = names.into_iter().map(Flag::name).collect();
    if parts.is_empty() && rest != 0 {
        let marker = tables
            .first()
            .map_or_else(|| "???".into(), Xlat::unknown_marker);
        // An empty marker is no comment (strace's printflags with dflt "": memfd_secret).
        if marker.is_empty() {
            return Arg::Hex(rest);
        }
        return Arg::Commented(Box::new(Arg::Hex(rest)), marker);
    }
    if rest != 0 {
        parts.push(Flag::Bits(rest));
    }
    if parts.is_empty()
        && let Some(zero) = tables.first().and_then(|t| t.name(0))
    {
        parts.push(Flag::name(zero));
    }
    Arg::Flags(parts)
}

/// A word whose `mask` bits hold a value of `values` (in hex when it has no name) and whose
/// other bits are flags of `bits`: `SOCK_STREAM|SOCK_CLOEXEC`, `MAP_PRIVATE|MAP_ANONYMOUS`.
pub fn value_and_flags(values: Xlat, mask: u64, bits: Xlat, v: u64) -> Arg {
    let value = v & mask;
    let mut parts = vec![values.name(value).map_or(Flag::Bits(value), Flag::name)];
    push_bits(bits, v & !mask, &mut parts);
    Arg::constant(Arg::Hex(v), Arg::Flags(parts))
}

/// A value of `table` by name, standing for its number in hex (`SEEK_END`, `F_GETFL`,
/// `AF_INET`); `None` when the table has no name for it.
pub fn named(table: Xlat, value: u64) -> Option<Arg> {
    table
        .name(value)
        .map(|name| Arg::constant(Arg::Hex(value), Arg::sym(name)))
}

/// A constant's `name` standing for `number` (printed as that `Arg` prints: `Int` for
/// signals, `Hex` for most).
pub fn constant(number: Arg, name: impl Into<std::borrow::Cow<'static, str>>) -> Arg {
    Arg::constant(number, Arg::sym(name))
}

/// open(2)/openat(2) flags: the access mode, then the other flags.
pub fn open_flags(v: u64) -> Arg {
    value_and_flags(OPEN_ACCESS_MODES, O_ACCMODE, OPEN_MODE_FLAGS, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown as text;

    #[test]
    fn bits_no_name_covers_are_marked_only_when_none_is_named() {
        use crate::tables::ioctl_args_gen::PIDFD_FLAGS;
        assert_eq!(text(&flags(PIDFD_FLAGS, 0x800)), "PIDFD_NONBLOCK");
        assert_eq!(text(&flags(PIDFD_FLAGS, 1)), "0x1 /* PIDFD_??? */");
        assert_eq!(text(&flags(PIDFD_FLAGS, 0x801)), "PIDFD_NONBLOCK|0x1");
        assert_eq!(text(&flags(PIDFD_FLAGS, 0)), "0");
    }

    #[test]
    fn open_flags_print_in_straces_order() {
        assert_eq!(text(&open_flags(0)), "O_RDONLY");
        assert_eq!(text(&open_flags(0o2000000)), "O_RDONLY|O_CLOEXEC");
        // What strace 6.1 printed for Python's os.open with these flags.
        let all = 0o1 | 0o100 | 0o1000 | 0o2000 | 0o4000 | 0o4010000 | 0o2000000 | 0o200000;
        assert_eq!(
            text(&open_flags(all)),
            "O_WRONLY|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_CLOEXEC|O_DIRECTORY"
        );
        assert_eq!(text(&open_flags(0o20200002)), "O_RDWR|O_TMPFILE");
        assert_eq!(text(&open_flags(0x8000_0000)), "O_RDONLY|0x80000000");
        assert_eq!(
            open_flags(0x8000_0000).abbrev(),
            &Arg::Flags(vec![Flag::name("O_RDONLY"), Flag::Bits(0x8000_0000)])
        );
    }

    #[test]
    fn zero_is_the_tables_name_for_it_or_0() {
        assert_eq!(text(&flags(OPEN_MODE_FLAGS, 0)), "0");
        assert_eq!(text(&flags(crate::tables::xlat::MMAP_PROT, 0)), "PROT_NONE");
        assert_eq!(
            flag_parts(&[crate::tables::xlat::MMAP_PROT], 3),
            Arg::Flags(vec![Flag::name("PROT_READ"), Flag::name("PROT_WRITE")])
        );
    }

    #[test]
    fn an_unnamed_value_is_hex_before_the_flags() {
        let t = crate::tables::xlat::SOCK_TYPES;
        let f = crate::tables::xlat::SOCK_TYPE_FLAGS;
        assert_eq!(
            text(&value_and_flags(t, 0xf, f, 0x80001)),
            "SOCK_STREAM|SOCK_CLOEXEC"
        );
        assert_eq!(
            text(&value_and_flags(t, 0xf, f, 0x8000e)),
            "0xe|SOCK_CLOEXEC"
        );
    }
}
