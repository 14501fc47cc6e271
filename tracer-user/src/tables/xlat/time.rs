//! Clocks and timers.
//! Transcribed from the kernel's uapi headers; the print order follows strace's xlat files.

use crate::tables::flags::Xlat;

/// Clock ids.
pub const CLOCK_IDS: Xlat = Xlat::new(
    "CLOCK_",
    &[
        ("CLOCK_REALTIME", 0),
        ("CLOCK_MONOTONIC", 1),
        ("CLOCK_PROCESS_CPUTIME_ID", 2),
        ("CLOCK_THREAD_CPUTIME_ID", 3),
        ("CLOCK_MONOTONIC_RAW", 4),
        ("CLOCK_REALTIME_COARSE", 5),
        ("CLOCK_MONOTONIC_COARSE", 6),
        ("CLOCK_BOOTTIME", 7),
        ("CLOCK_REALTIME_ALARM", 8),
        ("CLOCK_BOOTTIME_ALARM", 9),
        ("CLOCK_SGI_CYCLE", 10),
        ("CLOCK_TAI", 11),
    ],
);

/// Clock_nanosleep / timerfd_settime flags.
pub const TIMER_FLAGS: Xlat = Xlat::new("TIMER_", &[("TIMER_ABSTIME", 1)]);

/// Setitimer which.
pub const ITIMER_WHICH: Xlat = Xlat::new(
    "ITIMER_",
    &[
        ("ITIMER_REAL", 0),
        ("ITIMER_VIRTUAL", 1),
        ("ITIMER_PROF", 2),
    ],
);
