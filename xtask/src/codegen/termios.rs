//! Terminal tables from the kernel UAPI headers of Debian's `linux-libc-dev`: the flag words
//! of struct termios (`asm/termbits.h`), the fields inside them (delays, baud rates, character
//! size) and the modem lines (`asm/termios.h`). The names are those strace 6.1's xlat tables
//! hold, in their order (flags print in table order, which is not the bits' order for
//! `c_lflag`); the values come from compiling the headers.

use anyhow::Result;

use super::headers::{Table, render};

const TERMBITS: &str = "asm/termbits.h";

const TABLES: &[Table] = &[
    Table {
        constant: "TERM_IFLAGS",
        prefix: "",
        header: TERMBITS,
        names: &[
            "IGNBRK", "BRKINT", "IGNPAR", "PARMRK", "INPCK", "ISTRIP", "INLCR", "IGNCR", "ICRNL",
            "IUCLC", "IXON", "IXANY", "IXOFF", "IMAXBEL", "IUTF8",
        ],
    },
    Table {
        constant: "TERM_OFLAGS",
        prefix: "",
        header: TERMBITS,
        names: &[
            "OPOST", "OLCUC", "ONLCR", "OCRNL", "ONOCR", "ONLRET", "OFILL", "OFDEL",
        ],
    },
    Table {
        constant: "TERM_OFLAGS_NLDLY",
        prefix: "NL",
        header: TERMBITS,
        names: &["NL0", "NL1"],
    },
    Table {
        constant: "TERM_OFLAGS_CRDLY",
        prefix: "CR",
        header: TERMBITS,
        names: &["CR0", "CR1", "CR2", "CR3"],
    },
    // strace names TAB3's value by its older name.
    Table {
        constant: "TERM_OFLAGS_TABDLY",
        prefix: "TAB",
        header: TERMBITS,
        names: &["TAB0", "TAB1", "TAB2", "XTABS", "TAB3"],
    },
    Table {
        constant: "TERM_OFLAGS_BSDLY",
        prefix: "BS",
        header: TERMBITS,
        names: &["BS0", "BS1"],
    },
    Table {
        constant: "TERM_OFLAGS_VTDLY",
        prefix: "VT",
        header: TERMBITS,
        names: &["VT0", "VT1"],
    },
    Table {
        constant: "TERM_OFLAGS_FFDLY",
        prefix: "FF",
        header: TERMBITS,
        names: &["FF0", "FF1"],
    },
    // CBAUDEX is BOTHER's value; strace prints BOTHER.
    Table {
        constant: "BAUD_OPTIONS",
        prefix: "B",
        header: TERMBITS,
        names: &[
            "B0", "B50", "B75", "B110", "B134", "B150", "B200", "B300", "B600", "B1200", "B1800",
            "B2400", "B4800", "B9600", "B19200", "B38400", "BOTHER", "B57600", "B115200",
            "B230400", "B460800", "B500000", "B576000", "B921600", "B1000000", "B1152000",
            "B1500000", "B2000000", "B2500000", "B3000000", "B3500000", "B4000000",
        ],
    },
    Table {
        constant: "TERM_CFLAGS_CSIZE",
        prefix: "CS",
        header: TERMBITS,
        names: &["CS5", "CS6", "CS7", "CS8"],
    },
    // strace 6.1 does not know ADDRB (Linux 6.0): its bit prints as a number.
    Table {
        constant: "TERM_CFLAGS",
        prefix: "",
        header: TERMBITS,
        names: &[
            "CSTOPB", "CREAD", "PARENB", "PARODD", "HUPCL", "CLOCAL", "CMSPAR", "CRTSCTS",
        ],
    },
    Table {
        constant: "TERM_LFLAGS",
        prefix: "",
        header: TERMBITS,
        names: &[
            "ISIG", "ICANON", "XCASE", "ECHO", "ECHOE", "ECHOK", "ECHONL", "NOFLSH", "IEXTEN",
            "ECHOCTL", "ECHOPRT", "ECHOKE", "FLUSHO", "PENDIN", "TOSTOP", "EXTPROC",
        ],
    },
    // The shift from c_cflag's output baud rate to its input one (CIBAUD).
    Table {
        constant: "TERM_SHIFTS",
        prefix: "",
        header: TERMBITS,
        names: &["IBSHIFT"],
    },
    // The indices of c_cc, strace's `[VINTR]=0x3` (a termio's are the first eight).
    Table {
        constant: "TERM_CC_INDICES",
        prefix: "V",
        header: TERMBITS,
        names: &[
            "VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART",
            "VSTOP", "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2",
        ],
    },
    // c_line's line disciplines.
    Table::defines("LINE_DISCIPLINES", "N_", "linux/tty.h"),
    Table {
        constant: "MODEM_FLAGS",
        prefix: "TIOCM_",
        header: "asm/termios.h",
        names: &[
            "TIOCM_LE",
            "TIOCM_DTR",
            "TIOCM_RTS",
            "TIOCM_ST",
            "TIOCM_SR",
            "TIOCM_CTS",
            "TIOCM_CAR",
            "TIOCM_RNG",
            "TIOCM_DSR",
            "TIOCM_CD",
            "TIOCM_RI",
            "TIOCM_OUT1",
            "TIOCM_OUT2",
            "TIOCM_LOOP",
        ],
    },
];

/// The generated `termios_gen.rs`.
pub fn tables() -> Result<String> {
    render("Terminal flag and value tables", TABLES)
}
