//! Device ioctl argument tables: the values and flags strace 6.1's mtd.c, ubi.c, lirc.c,
//! ptp.c, seccomp_ioctl.c, gpio_ioctl.c, counter_ioctl.c and block.c (BLKPG) name in the
//! structs those requests pass, read from the UAPI headers that define them.

use anyhow::Result;

use super::{
    headers::{ValueTable, render_value_tables},
    netlink::table,
};

// Every table is valued by compiling its header (enums, `(1UL << 0)` spellings).
const TABLES: &[ValueTable] = &[
    table(
        "MTD_OTP_MODES",
        "MTD_OTP_",
        "mtd/mtd-abi.h",
        "MTD_OTP_(OFF|FACTORY|USER)",
        false,
        "^$",
    ),
    // An enum whose members are the MTD_OTP_* values, then MTD_FILE_MODE_RAW.
    table(
        "MTD_FILE_MODES",
        "MTD_FILE_MODE_",
        "mtd/mtd-abi.h",
        "MTD_FILE_MODE_[A-Z_]+",
        false,
        "^$",
    ),
    table(
        "UBI_VOLUME_TYPES",
        "UBI_",
        "mtd/ubi-user.h",
        "UBI_(DYNAMIC|STATIC)_VOLUME",
        false,
        "^$",
    ),
    table(
        "UBI_VOLUME_FLAGS",
        "UBI_VOL_",
        "mtd/ubi-user.h",
        "UBI_VOL_SKIP_CRC_CHECK_FLG",
        true,
        "^$",
    ),
    table(
        "LIRC_MODES",
        "LIRC_MODE_",
        "linux/lirc.h",
        "LIRC_MODE_(RAW|PULSE|MODE2|SCANCODE|LIRCCODE)",
        false,
        "^$",
    ),
    table(
        "PTP_EXTTS_FLAGS",
        "PTP_",
        "linux/ptp_clock.h",
        "PTP_(ENABLE_FEATURE|RISING_EDGE|FALLING_EDGE|STRICT_FLAGS)",
        true,
        "^$",
    ),
    table(
        "PTP_PEROUT_FLAGS",
        "PTP_PEROUT_",
        "linux/ptp_clock.h",
        "PTP_PEROUT_(ONE_SHOT|DUTY_CYCLE|PHASE)",
        true,
        "^$",
    ),
    table(
        "SECCOMP_NOTIF_RESP_FLAGS",
        "SECCOMP_USER_NOTIF_FLAG_",
        "linux/seccomp.h",
        "SECCOMP_USER_NOTIF_FLAG_[A-Z_]+",
        true,
        "^$",
    ),
    table(
        "SECCOMP_ADDFD_FLAGS",
        "SECCOMP_ADDFD_FLAG_",
        "linux/seccomp.h",
        "SECCOMP_ADDFD_FLAG_[A-Z_]+",
        true,
        "^$",
    ),
    table(
        "GPIO_HANDLE_FLAGS",
        "GPIOHANDLE_REQUEST_",
        "linux/gpio.h",
        "GPIOHANDLE_REQUEST_[A-Z_]+",
        true,
        "^$",
    ),
    table(
        "GPIOLINE_FLAGS",
        "GPIOLINE_FLAG_",
        "linux/gpio.h",
        "GPIOLINE_FLAG_[A-Z_]+",
        true,
        "^$",
    ),
    // Header order: the two edges, then BOTH_EDGES (their union; decode/ioctl_chardev.rs
    // names it first, as strace's table does).
    table(
        "GPIO_EVENT_FLAGS",
        "GPIOEVENT_REQUEST_",
        "linux/gpio.h",
        "GPIOEVENT_REQUEST_[A-Z_]+",
        false,
        "^$",
    ),
    table(
        "COUNTER_COMPONENT_TYPES",
        "COUNTER_COMPONENT_",
        "linux/counter.h",
        "COUNTER_COMPONENT_[A-Z_]+",
        false,
        "^$",
    ),
    table(
        "COUNTER_SCOPES",
        "COUNTER_SCOPE_",
        "linux/counter.h",
        "COUNTER_SCOPE_[A-Z_]+",
        false,
        "^$",
    ),
    table(
        "COUNTER_EVENTS",
        "COUNTER_EVENT_",
        "linux/counter.h",
        "COUNTER_EVENT_[A-Z_]+",
        false,
        "^$",
    ),
    table(
        "BLKPG_OPS",
        "BLKPG_",
        "linux/blkpg.h",
        "BLKPG_(ADD|DEL|RESIZE)_PARTITION",
        false,
        "^$",
    ),
];

/// The generated file `ioctl_dev_gen.rs`.
pub fn tables() -> Result<String> {
    render_value_tables("Device ioctl argument values and flags", TABLES)
}
