//! The terminal ioctls' structs as strace 6.1 prints them (its term.c): struct termios
//! (TCGETS, TCSETS*), termios2 (TCGETS2, TCSETS*2) and termio (TCGETA, TCSETA*) as their four
//! flag words and `...`, with `-v` also the line discipline, the control characters and
//! termios2's speeds; and the modem lines of TIOCMGET/TIOCMSET.
//!
//! strace prints a word's fields (output delays, baud rates, character size) each followed by
//! `|`, then the word's other flags, which print nothing when none is set: a word with only
//! fields set ends in `|` (`c_cflag=B0|CS5|`), and an empty flag word prints nothing at all
//! (`c_iflag=,`). Both are copied here as strace prints them.

use crate::{
    decode::{
        Arg,
        bytes::{u16_at, u32_at},
        enum_value,
        flags::{flags, push_bits},
    },
    tables::{
        flags::Xlat,
        termios_gen::{
            BAUD_OPTIONS, LINE_DISCIPLINES, MODEM_FLAGS, TERM_CC_INDICES, TERM_CFLAGS,
            TERM_CFLAGS_CSIZE, TERM_IFLAGS, TERM_LFLAGS, TERM_OFLAGS, TERM_OFLAGS_BSDLY,
            TERM_OFLAGS_CRDLY, TERM_OFLAGS_FFDLY, TERM_OFLAGS_NLDLY, TERM_OFLAGS_TABDLY,
            TERM_OFLAGS_VTDLY, TERM_SHIFTS,
        },
    },
};

/// Which struct a request passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// struct termios: 32-bit flag words, 19 control characters.
    Termios,
    /// struct termios2: a termios and the input and output speeds.
    Termios2,
    /// struct termio: 16-bit flag words, 8 control characters.
    Termio,
}

/// `{c_iflag=..., c_oflag=..., c_cflag=..., c_lflag=..., ...}`; `abbrev` false (`-v`): the
/// line discipline, the control characters (and termios2's speeds) in place of `...`. None
/// when `d` is too short.
pub fn termios(d: &[u8], layout: Layout, abbrev: bool) -> Option<Arg> {
    let word = |i: usize| match layout {
        Layout::Termios | Layout::Termios2 => u32_at(d, 4 * i).map(u64::from),
        Layout::Termio => u16_at(d, 2 * i).map(u64::from),
    };
    let (iflag, oflag, cflag, lflag) = (word(0)?, word(1)?, word(2)?, word(3)?);
    let mut fields = vec![
        ("c_iflag", flag_word(TERM_IFLAGS, iflag)),
        ("c_oflag", oflag_word(oflag)),
        ("c_cflag", cflag_word(cflag)),
        ("c_lflag", flag_word(TERM_LFLAGS, lflag)),
    ];
    if abbrev {
        return Some(Arg::Struct { fields, more: true });
    }
    // c_line follows the four words, then c_cc (NCCS 19, a termio's NCC 8).
    let (line_at, ccs) = match layout {
        Layout::Termio => (8, 8),
        _ => (16, 19),
    };
    let line = u64::from(*d.get(line_at)?);
    fields.push(("c_line", enum_value(LINE_DISCIPLINES, line)));
    let cc = d.get(line_at + 1..line_at + 1 + ccs)?;
    let items = cc
        .iter()
        .enumerate()
        .map(|(i, &c)| Arg::Named(cc_label(i), Box::new(Arg::Hex(u64::from(c)))))
        .collect();
    fields.push(("c_cc", Arg::Array { items, more: false }));
    if layout == Layout::Termios2 {
        let speed = |at: usize| u32_at(d, at).map(|v| Arg::UInt(u64::from(v)));
        fields.push(("c_ispeed", speed(36)?));
        fields.push(("c_ospeed", speed(40)?));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// `[VINTR]`: a control character's index by name, or its number (`[17]`).
fn cc_label(i: usize) -> &'static str {
    static LABELS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        (0..NCCS)
            .map(|i| {
                let label = match TERM_CC_INDICES.name(i as u64) {
                    Some(name) => format!("[{name}]"),
                    None => format!("[{i}]"),
                };
                &*label.leak()
            })
            .collect()
    });
    LABELS.get(i).copied().unwrap_or("[?]")
}

/// struct termios' count of control characters (the kernel's NCCS).
const NCCS: usize = 19;

/// The modem lines (`TIOCM_DTR|TIOCM_RTS`, `0` for none).
pub fn modem_lines(d: &[u8]) -> Option<Arg> {
    u32_at(d, 0).map(|v| Arg::boxed(flags(MODEM_FLAGS, u64::from(v))))
}

/// A flag word as strace's printflags without a default prints it: nothing for 0, a bare
/// number for bits no name covers.
fn flag_word(table: Xlat, v: u64) -> Arg {
    if v == 0 {
        return Arg::Raw(String::new());
    }
    let mut parts = Vec::new();
    push_bits(table, v, &mut parts);
    Arg::constant(Arg::Hex(v), Arg::Flags(parts))
}

/// The bits a field's values cover (every value of those tables is named).
fn mask(table: Xlat) -> u64 {
    table.entries.iter().fold(0, |m, (_, v)| m | v)
}

/// The delays, then the output flags.
fn oflag_word(v: u64) -> Arg {
    let delays = [
        TERM_OFLAGS_NLDLY,
        TERM_OFLAGS_CRDLY,
        TERM_OFLAGS_TABDLY,
        TERM_OFLAGS_BSDLY,
        TERM_OFLAGS_VTDLY,
        TERM_OFLAGS_FFDLY,
    ];
    let mut rest = v;
    let mut parts: Vec<Arg> = delays
        .iter()
        .map(|&table| {
            rest &= !mask(table);
            enum_value(table, v & mask(table))
        })
        .collect();
    parts.push(flag_word(TERM_OFLAGS, rest));
    Arg::Or(parts)
}

/// The output baud rate, the input one shifted (only when set), the character size, then
/// the control flags.
fn cflag_word(v: u64) -> Arg {
    let (baud, size) = (mask(BAUD_OPTIONS), mask(TERM_CFLAGS_CSIZE));
    let shift = TERM_SHIFTS.entries[0].1;
    let input = baud << shift;
    let mut parts = vec![enum_value(BAUD_OPTIONS, v & baud)];
    if v & input != 0 {
        parts.push(Arg::Shift(
            Box::new(enum_value(BAUD_OPTIONS, (v & input) >> shift)),
            Box::new(enum_value(TERM_SHIFTS, shift)),
        ));
    }
    parts.push(enum_value(TERM_CFLAGS_CSIZE, v & size));
    parts.push(flag_word(TERM_CFLAGS, v & !(baud | input | size)));
    Arg::Or(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{decode::shown as text, format::value::ConstStyle};

    fn words(w: [u32; 4]) -> Vec<u8> {
        let mut d: Vec<u8> = w.iter().flat_map(|v| v.to_ne_bytes()).collect();
        d.resize(36, 0);
        d
    }

    /// What strace 6.1 printed for a pty's default termios.
    #[test]
    fn a_ptys_termios_as_strace_prints_it() {
        let d = words([0x500, 0x5, 0xbf, 0x8a3b]);
        assert_eq!(
            text(&termios(&d, Layout::Termios, true).unwrap()),
            "{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, \
             c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|\
             ECHOKE, ...}"
        );
    }

    /// strace's quirks: empty words print nothing, fields alone end in `|`, the input baud
    /// rate is shifted, unknown bits are bare numbers.
    #[test]
    fn empty_words_unknown_bits_and_the_input_baud_rate() {
        let d = words([0, 0, 0x1000, 0]);
        assert_eq!(
            text(&termios(&d, Layout::Termios, true).unwrap()),
            "{c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=BOTHER|CS5|, c_lflag=, ...}"
        );
        let d = words([0x8000_0000, 0x8000_0000, 0x800d_1000, 0x8000_0000]);
        assert_eq!(
            text(&termios(&d, Layout::Termios, true).unwrap()),
            "{c_iflag=0x80000000, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|0x80000000, \
             c_cflag=BOTHER|B9600<<IBSHIFT|CS5|CRTSCTS, c_lflag=0x80000000, ...}"
        );
        let cflag = termios(&d, Layout::Termios, true).unwrap();
        let Arg::Struct { fields, .. } = &cflag else {
            panic!("not a struct")
        };
        let styled = |consts| {
            let opts = crate::format::text_options::TextOptions {
                consts,
                ..Default::default()
            };
            crate::format::strace::arg_text(&fields[2].1, &opts, None, 0)
        };
        assert_eq!(styled(ConstStyle::Raw), "0x1000|0xd<<0x10|0|0x80000000");
        assert_eq!(
            styled(ConstStyle::Verbose),
            "0x1000 /* BOTHER */|0xd /* B9600 */<<0x10 /* IBSHIFT */|0 /* CS5 */|0x80000000 \
             /* CRTSCTS */"
        );
    }

    #[test]
    fn termio_words_are_16_bits() {
        let mut d = vec![0xff; 18];
        d[4..6].copy_from_slice(&0x00bfu16.to_ne_bytes());
        let shown = text(&termios(&d, Layout::Termio, true).unwrap());
        assert!(
            shown.starts_with(
                "{c_iflag=IGNBRK|BRKINT|IGNPAR|PARMRK|INPCK|ISTRIP|INLCR|IGNCR|\
                 ICRNL|IUCLC|IXON|IXANY|IXOFF|IMAXBEL|IUTF8|0x8000, c_oflag="
            ),
            "{shown}"
        );
        assert!(
            shown.contains("c_cflag=B38400|CS8|CREAD, c_lflag="),
            "{shown}"
        );
    }

    /// ioctl's row reads as many bytes as the largest struct decoded here, termios2 (44).
    #[test]
    fn ioctls_argument_capture_holds_a_termios2() {
        use crate::tables::args::ArgKind;
        let kinds = crate::tables::by_name("ioctl")
            .and_then(|d| d.args)
            .unwrap();
        assert!(matches!(kinds[2], ArgKind::CustomIn(n) if n >= 44));
    }

    #[test]
    fn modem_lines_by_name() {
        let d = 0x6u32.to_ne_bytes();
        assert_eq!(text(&modem_lines(&d).unwrap()), "[TIOCM_DTR|TIOCM_RTS]");
        assert_eq!(text(&modem_lines(&[0; 4]).unwrap()), "[0]");
    }
}
