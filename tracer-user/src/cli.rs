//! Command line, with strace's spellings for what strace also has.

use std::{ffi::OsString, path::PathBuf};

use clap::Parser;

use crate::error::PreflightError;

#[derive(Debug, Parser)]
#[command(
    name = "tracer",
    version,
    about = "Trace system calls with eBPF, printed the way strace prints them.",
    override_usage = "tracer [OPTIONS] -p PID [-p PID ...]\n       tracer [OPTIONS] [--] COMMAND [ARGS]..."
)]
pub struct Cli {
    /// Attach to process PID and all its threads (repeatable; also "-p 1,2").
    #[arg(short = 'p', long = "pid", value_name = "PID")]
    pub pids: Vec<String>,

    /// Write the trace to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Follow forks: trace the children (and threads) traced processes create.
    #[arg(short = 'f', action = clap::ArgAction::Count)]
    pub follow: u8,

    /// Print at most N bytes of each string and buffer (default 32).
    #[arg(
        short = 's',
        long = "string-limit",
        value_name = "N",
        default_value_t = 32
    )]
    pub strsize: usize,

    /// Print non-ASCII strings in hex (-xx: all strings).
    #[arg(short = 'x', action = clap::ArgAction::Count)]
    pub hex: u8,

    /// Print paths of file descriptors (-yy: protocol details of sockets, devices).
    #[arg(short = 'y', action = clap::ArgAction::Count)]
    pub decode_fds: u8,

    /// Kernel ring buffer size: a power of two of at least 4K (K and M suffixes).
    #[arg(long = "ring-size", value_name = "SIZE", default_value = "8M", value_parser = parse_size)]
    pub ring_size: u32,

    /// Also save the raw kernel records to FILE (for bug reports and offline decoding).
    #[arg(long = "record", value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// The command to launch and trace from its execve.
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,
}

/// `4096`, `64K`, `16M`: a power of two, at least one page.
pub fn parse_size(text: &str) -> Result<u32, PreflightError> {
    let bad = || PreflightError::BadRingSize(text.to_string());
    let (digits, shift) = match text.as_bytes().last() {
        Some(b'k' | b'K') => (&text[..text.len() - 1], 10),
        Some(b'm' | b'M') => (&text[..text.len() - 1], 20),
        _ => (text, 0),
    };
    let value = digits
        .parse::<u64>()
        .ok()
        .and_then(|v| v.checked_shl(shift))
        .ok_or_else(bad)?;
    if value < 4096 || !value.is_power_of_two() || value > 1 << 30 {
        return Err(bad());
    }
    u32::try_from(value).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("8M"), Ok(8 << 20));
        for bad in ["1000", "2K", "x", "", "3M", "4G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strace_spellings() {
        let cli = Cli::try_parse_from(["tracer", "-p", "1", "--pid", "2", "-o", "f"]).expect("ok");
        assert_eq!(cli.pids, ["1", "2"]);
        assert_eq!(cli.output, Some(PathBuf::from("f")));
        let cli = Cli::try_parse_from(["tracer", "--", "ls", "-l", "/"]).expect("ok");
        assert_eq!(cli.command, ["ls", "-l", "/"]);
        let cli = Cli::try_parse_from(["tracer", "ls", "-l"]).expect("ok");
        assert_eq!(cli.command, ["ls", "-l"]);
        let cli =
            Cli::try_parse_from(["tracer", "-f", "-s", "64", "-yy", "-xx", "-p", "1"]).expect("ok");
        assert_eq!(
            (cli.follow, cli.strsize, cli.decode_fds, cli.hex),
            (1, 64, 2, 2)
        );
    }
}
