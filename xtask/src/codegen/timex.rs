//! adjtimex/clock_adjtime tables: `struct timex`'s `ADJ_*` modes and `STA_*` status bits and
//! the clock states the calls return (`TIME_*`), the names strace 6.1 prints (its
//! xlat/adjtimex_{modes,status,state}.in), in its order, valued by compiling
//! `linux/timex.h`.

use anyhow::Result;

use super::headers::{Table, render};

const TIMEX: &str = "linux/timex.h";

const TABLES: &[Table] = &[
    Table {
        constant: "ADJ_MODES",
        prefix: "ADJ_",
        header: TIMEX,
        // The combined modes first: strace names them before their bits.
        names: &[
            "ADJ_OFFSET_SS_READ",
            "ADJ_OFFSET_SINGLESHOT",
            "ADJ_OFFSET",
            "ADJ_FREQUENCY",
            "ADJ_MAXERROR",
            "ADJ_ESTERROR",
            "ADJ_STATUS",
            "ADJ_TIMECONST",
            "ADJ_TAI",
            "ADJ_SETOFFSET",
            "ADJ_MICRO",
            "ADJ_NANO",
            "ADJ_TICK",
        ],
    },
    Table {
        constant: "STA_FLAGS",
        prefix: "STA_",
        header: TIMEX,
        names: &[
            "STA_PLL",
            "STA_PPSFREQ",
            "STA_PPSTIME",
            "STA_FLL",
            "STA_INS",
            "STA_DEL",
            "STA_UNSYNC",
            "STA_FREQHOLD",
            "STA_PPSSIGNAL",
            "STA_PPSJITTER",
            "STA_PPSWANDER",
            "STA_PPSERROR",
            "STA_CLOCKERR",
            "STA_NANO",
            "STA_MODE",
            "STA_CLK",
        ],
    },
    Table {
        constant: "TIME_STATES",
        prefix: "TIME_",
        header: TIMEX,
        names: &[
            "TIME_OK",
            "TIME_INS",
            "TIME_DEL",
            "TIME_OOP",
            "TIME_WAIT",
            "TIME_ERROR",
        ],
    },
];

/// The generated `timex_gen.rs`.
pub fn tables() -> Result<String> {
    render("adjtimex's modes, status and clock states", TABLES)
}
