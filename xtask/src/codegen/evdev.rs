//! evdev ioctl tables: the event types (`EV_*`), absolute axes (`ABS_*`) and key codes
//! (`KEY_*`, `BTN_*`) strace 6.1 names in EVIOCGBIT/EVIOCGABS/EVIOCSABS requests and in key
//! code arguments (its xlat/evdev_{ev,abs,keycode}.in), read from linux/input-event-codes.h.

use anyhow::Result;

use super::headers::{ValueTable, render_value_tables};

const CODES: &str = "linux/input-event-codes.h";

const TABLES: &[ValueTable] = &[
    ValueTable {
        constant: "EV_TYPES",
        prefix: "EV_",
        header: CODES,
        names: "EV_[A-Z_]+",
        bits: false,
        // EV_MAX is a bound, not a type: strace prints 0x1f as `0x1f /* EV_??? */`.
        exclude: "^EV_(MAX|CNT|VERSION)$",
        probe: false,
    },
    ValueTable {
        constant: "ABS_AXES",
        prefix: "ABS_",
        header: CODES,
        names: "ABS_[A-Z0-9_]+",
        bits: false,
        exclude: "^ABS_(MAX|CNT)$",
        probe: false,
    },
    ValueTable {
        constant: "KEY_CODES",
        prefix: "KEY_",
        header: CODES,
        names: "(KEY|BTN)_[A-Z0-9_]+",
        bits: false,
        exclude: "^KEY_(MAX|CNT)$",
        probe: false,
    },
];

/// The generated file `evdev_gen.rs`.
pub fn tables() -> Result<String> {
    render_value_tables("evdev event types, axes and key codes", TABLES)
}
