//! A minimal `log` backend: tracer's own diagnostics and the kernel programs' aya-log records
//! go to stderr as `tracer: LEVEL: message`. `TRACER_LOG=error|warn|info|debug|trace` sets the
//! level (default warn).

use std::{fmt, io::Write as _};

use log::{Level, LevelFilter, Log, Metadata, Record};

/// `eprintln!` that never panics: with stderr closed (`2>&-`, `2>&1 | head`) the message is
/// lost, never the trace or the traced process.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::logging::note(format_args!($($arg)*))
    };
}

/// Writes one line to stderr, ignoring failure (see `note!`).
pub fn note(args: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// Writes text to stderr as is, ignoring failure.
pub fn note_raw(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

struct StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let level = record.level().as_str().to_ascii_lowercase();
            note(format_args!("tracer: {level}: {}", record.args()));
        }
    }

    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

/// Installs the logger; returns the level, for the kernel side's filter. `debug` (strace's
/// `-d`) means at least the debug level.
pub fn init(debug: bool) -> LevelFilter {
    let level = std::env::var("TRACER_LOG")
        .ok()
        .and_then(|v| v.parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::Warn);
    let level = match debug {
        true => level.max(LevelFilter::Debug),
        false => level,
    };
    // A second init (tests) keeps the first logger; the level still applies.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(level);
    level
}

/// The aya-log level byte matching a `LevelFilter` (0 disables kernel logging).
pub fn kernel_level(filter: LevelFilter) -> u8 {
    match filter.to_level() {
        None => 0,
        Some(Level::Error) => aya_log::Level::Error as u8,
        Some(Level::Warn) => aya_log::Level::Warn as u8,
        Some(Level::Info) => aya_log::Level::Info as u8,
        Some(Level::Debug) => aya_log::Level::Debug as u8,
        Some(Level::Trace) => aya_log::Level::Trace as u8,
    }
}
