//! Command line, with strace's spellings for what strace also has.

pub mod getopt;

use std::{ffi::OsString, path::PathBuf, process::ExitCode};

use clap::{CommandFactory, FromArgMatches, Parser};

use crate::error::PreflightError;

#[derive(Debug, Parser)]
#[command(
    name = "tracer",
    version,
    about = "Trace system calls with eBPF (or ptrace where eBPF cannot load), printed the way strace prints them.",
    override_usage = "tracer [OPTIONS] -p PID [-p PID ...]\n       tracer [OPTIONS] --comm NAME [--comm NAME ...]\n       tracer [OPTIONS] [--] COMMAND [ARGS]...",
    disable_version_flag = true
)]
pub struct Cli {
    /// Attach to process PID and all its threads (repeatable; also "-p 1,2").
    #[arg(short = 'p', long = "pid", value_name = "PID")]
    pub pids: Vec<String>,

    /// Trace every process named NAME (its /proc/PID/comm; names are cut to 15 bytes as the
    /// kernel cuts them), running now or started later: a restarted service is picked up.
    /// Runs until interrupted. Repeatable.
    #[arg(long = "comm", value_name = "NAME")]
    pub comms: Vec<String>,

    /// Write a stats record (events, lost, rate, state held) every SECONDS; 0: never.
    /// Default: 60 with --comm, otherwise 0.
    #[arg(long = "stats-interval", value_name = "SECONDS")]
    pub stats_interval: Option<u64>,

    /// How to trace: eBPF, ptrace (strace's way: slower, but needs no CAP_BPF/CAP_PERFMON and
    /// fetches arguments without eBPF's size limits), or auto: eBPF when it loads, else ptrace.
    #[arg(
        long = "backend",
        value_name = "BACKEND",
        value_enum,
        default_value = "auto"
    )]
    pub backend: Backend,

    /// Write the trace to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Follow forks: trace the children (and threads) traced processes create (-ff with -o
    /// FILE: one file per process, FILE.PID).
    #[arg(short = 'f', long = "follow-forks", action = clap::ArgAction::Count)]
    pub follow: u8,

    /// strace's --seccomp-bpf: implies -f. With the ptrace backend a launched command with a
    /// narrowed -e trace= always gets the seccomp filter; eBPF filters in the kernel anyway.
    #[arg(long = "seccomp-bpf")]
    pub seccomp_bpf: bool,

    /// Qualifying expression: trace=SET (names, %file %network %process %memory %signal %desc
    /// %ipc %creds ..., /regex, !negation), status=SET, signal=SET. A bare SET means trace=SET.
    #[arg(short = 'e', value_name = "EXPR")]
    pub exprs: Vec<String>,

    /// Same as -e trace=SET.
    #[arg(long = "trace", value_name = "SET")]
    pub trace: Option<String>,

    /// Same as -e status=SET (successful, failed, unfinished).
    #[arg(long = "status", value_name = "SET")]
    pub status: Option<String>,

    /// Same as -e signal=SET.
    #[arg(long = "signal", value_name = "SET")]
    pub signal: Option<String>,

    /// Show only syscalls that returned without an error (-e status=successful).
    #[arg(short = 'z', long = "successful-only", overrides_with = "failed_only")]
    pub successful_only: bool,

    /// Show only syscalls that returned an error (-e status=failed).
    #[arg(short = 'Z', long = "failed-only", overrides_with = "successful_only")]
    pub failed_only: bool,

    /// Show only syscalls that touch PATH (by name or through an fd); repeatable.
    #[arg(short = 'P', long = "trace-path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Prefix lines with the time of day (-tt: with microseconds, -ttt: seconds since the
    /// epoch).
    #[arg(short = 't', long = "absolute-timestamps", action = clap::ArgAction::Count)]
    pub timestamps: u8,

    /// Prefix lines with the time since the previous line.
    #[arg(short = 'r', long = "relative-timestamps")]
    pub relative: bool,

    /// Show the time spent in each syscall, `<seconds>` at the end of its line.
    #[arg(short = 'T', long = "syscall-times")]
    pub syscall_times: bool,

    /// Count time, calls and errors per syscall and print a summary instead of the trace.
    #[arg(short = 'c', long = "summary-only")]
    pub summary_only: bool,

    /// Like -c, but print the trace as well.
    #[arg(short = 'C', long = "summary")]
    pub summary: bool,

    /// Summarise wall-clock time (the time from entering to leaving each syscall).
    #[arg(short = 'w', long = "summary-wall-clock")]
    pub wall_clock: bool,

    /// Sort the summary by time (default), calls, errors, name or nothing.
    #[arg(
        short = 'S',
        long = "summary-sort-by",
        value_name = "SORTBY",
        default_value = "time"
    )]
    pub sort_by: String,

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

    /// Show only syscalls whose captured data (strings, buffers, addresses) contains STRING,
    /// checked in the kernel; C escapes work (\0, \n, \xNN). Implies --annotate.
    #[arg(long = "match", value_name = "STRING")]
    pub match_text: Option<String>,

    /// After each line, note in a /* comment */ where the connection fds it uses came from
    /// (the accept or connect, the peer address, when) and, for EMFILE/ENFILE, the process's
    /// open fds and RLIMIT_NOFILE. Off by default so lines stay as strace prints them.
    #[arg(long = "annotate")]
    pub annotate: bool,

    /// Print JSON lines (one object per event, schema/tracer-event.schema.json) instead of
    /// strace's text.
    #[arg(long = "json")]
    pub json: bool,

    /// Output format: text (strace's, the default) or json (same as --json).
    #[arg(long = "output-format", value_name = "FORMAT", value_parser = ["text", "json"])]
    pub output_format: Option<String>,

    /// Show secrets: by default PostgreSQL password messages in captured data are masked.
    #[arg(long = "no-redact")]
    pub no_redact: bool,

    /// Kernel ring buffer size: a power of two of at least 4K (K and M suffixes).
    #[arg(long = "ring-size", value_name = "SIZE", default_value = "8M", value_parser = parse_size)]
    pub ring_size: u32,

    /// Benchmarks only: attach empty programs to the syscall tracepoints instead of tracer's,
    /// to measure the hook's own cost (`cargo xtask bench`). Nothing is traced.
    #[arg(long = "bench-floor", hide = true)]
    pub bench_floor: bool,

    /// Also save the raw kernel records to FILE (for bug reports and offline decoding).
    #[arg(long = "record", value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Decode a --record FILE instead of tracing (no privileges needed).
    #[arg(long = "replay", value_name = "FILE", conflicts_with_all = ["pids", "command"])]
    pub replay: Option<PathBuf>,

    /// Print the version, the git commit, the eBPF object's build id and the kernel features
    /// found (BTF, ring buffer, uprobes), then exit.
    #[arg(short = 'V', long = "version")]
    pub version: bool,

    /// The command to launch and trace from its execve.
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,
}

/// A command line tracer refuses (or `--help`/`--version`, which end the run too).
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    Getopt(#[from] getopt::GetoptError),
    #[error("{}", clap_message(.0))]
    Clap(#[from] clap::Error),
}

/// clap's first line without its `error: ` (the rest is advice strace does not give).
fn clap_message(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

impl UsageError {
    /// Prints the error as strace does (`tracer: MESSAGE`, then where to find help) and gives
    /// strace's exit status for a bad command line, 1; help and version print and succeed.
    pub fn report(&self) -> ExitCode {
        if let Self::Clap(err) = self
            && !err.use_stderr()
        {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        eprintln!("tracer: {self}\nTry 'tracer -h' for more information.");
        ExitCode::FAILURE
    }
}

/// The clap command behind `Cli`, every option's value allowed to start with `-` (getopt
/// takes `-e -x`'s `-x` as -e's value; see [`getopt`]).
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    let ids: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && a.get_action().takes_values())
        .map(|a| a.get_id().clone())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| a.allow_hyphen_values(true));
    }
    cmd.build();
    cmd
}

/// argv (program name first) read as strace's getopt reads it.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, UsageError> {
    let mut cmd = command();
    let args = getopt::normalize(&cmd, args.into_iter().collect())?;
    let matches = cmd.try_get_matches_from_mut(args)?;
    Ok(Cli::from_arg_matches(&matches)?)
}

/// `--backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    Auto,
    Ebpf,
    Ptrace,
}

/// `--match` text with C escapes (`\0`, `\n`, `\t`, `\\`, `\"`, `\xNN`) turned into bytes.
pub fn unescape(text: &str) -> Result<Vec<u8>, PreflightError> {
    let bad = || PreflightError::BadMatch(text.to_string());
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next().ok_or_else(bad)? {
            b'0' => out.push(0),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'x' => {
                let hi = bytes.next().ok_or_else(bad)?;
                let lo = bytes.next().ok_or_else(bad)?;
                let hex = [hi, lo];
                let s = std::str::from_utf8(&hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(s, 16).map_err(|_| bad())?);
            }
            other => out.push(other),
        }
    }
    if out.is_empty() || out.len() > tracer_common::MATCH_MAX {
        return Err(bad());
    }
    Ok(out)
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

    fn parse_strs<const N: usize>(args: [&str; N]) -> Result<Cli, UsageError> {
        parse(args.map(OsString::from))
    }

    #[test]
    fn getopt_spellings_as_strace_types_them() {
        let cli = parse_strs([
            "tracer",
            "-p1234",
            "-s256",
            "-etrace=openat",
            "-ttT",
            "-ofile",
        ])
        .expect("ok");
        assert_eq!(cli.pids, ["1234"]);
        assert_eq!(
            (cli.strsize, cli.timestamps, cli.syscall_times),
            (256, 2, true)
        );
        assert_eq!(cli.exprs, ["trace=openat"]);
        assert_eq!(cli.output, Some(PathBuf::from("file")));
        let cli = parse_strs([
            "tracer",
            "-ffyy",
            "-xxs64",
            "-e",
            "trace=openat",
            "ls",
            "-l",
        ])
        .expect("ok");
        assert_eq!(
            (cli.follow, cli.decode_fds, cli.hex, cli.strsize),
            (2, 2, 2, 64)
        );
        assert_eq!(cli.exprs, ["trace=openat"]);
        assert_eq!(cli.command, ["ls", "-l"]);
        let cli = parse_strs([
            "tracer",
            "--string-limit",
            "9",
            "--output=-x",
            "-e",
            "-q",
            "--",
            "-f",
        ])
        .expect("ok");
        assert_eq!(cli.strsize, 9);
        assert_eq!(cli.output, Some(PathBuf::from("-x")));
        assert_eq!(cli.exprs, ["-q"]);
        assert_eq!(cli.command, ["-f"]);
        // Options end at the command: its own options are never tracer's.
        let cli = parse_strs(["tracer", "ls", "-Q", "--bogus"]).expect("ok");
        assert_eq!(cli.command, ["ls", "-Q", "--bogus"]);
    }

    #[test]
    fn unknown_options_are_errors_naming_them() {
        for (args, message) in [
            (&["tracer", "-Q", "ls"][..], "invalid option -- 'Q'"),
            (&["tracer", "-fQ"], "invalid option -- 'Q'"),
            (
                &["tracer", "--bogus", "ls"],
                "unrecognized option '--bogus'",
            ),
            (&["tracer", "-s"], "option requires an argument -- 's'"),
        ] {
            let err = parse(args.iter().map(OsString::from)).expect_err("refused");
            assert_eq!(err.to_string(), message);
        }
    }

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
        let cli = parse_strs(["tracer", "-p", "1", "--pid", "2", "-o", "f"]).expect("ok");
        assert_eq!(cli.pids, ["1", "2"]);
        assert_eq!(cli.output, Some(PathBuf::from("f")));
        let cli = parse_strs(["tracer", "--", "ls", "-l", "/"]).expect("ok");
        assert_eq!(cli.command, ["ls", "-l", "/"]);
        let cli = parse_strs(["tracer", "ls", "-l"]).expect("ok");
        assert_eq!(cli.command, ["ls", "-l"]);
        let cli = parse_strs(["tracer", "-f", "-s", "64", "-yy", "-xx", "-p", "1"]).expect("ok");
        assert_eq!(
            (cli.follow, cli.strsize, cli.decode_fds, cli.hex),
            (1, 64, 2, 2)
        );
    }

    #[test]
    fn match_escapes() {
        assert_eq!(unescape("READ ONLY").expect("ok"), b"READ ONLY");
        assert_eq!(unescape(r"Q\0\x00\x3a").expect("ok"), b"Q\0\0:");
        assert!(unescape("").is_err());
        assert!(unescape(r"\x4").is_err());
    }

    #[test]
    fn filters_times_and_summaries() {
        let cli = parse_strs([
            "tracer",
            "-e",
            "trace=%net",
            "-e",
            "status=failed",
            "-P",
            "/etc/passwd",
            "-tt",
            "-T",
            "-c",
            "-S",
            "calls",
            "-z",
            "-Z",
            "-p",
            "1",
        ])
        .expect("ok");
        assert_eq!(cli.exprs, ["trace=%net", "status=failed"]);
        assert_eq!(cli.paths, [PathBuf::from("/etc/passwd")]);
        assert_eq!((cli.timestamps, cli.syscall_times), (2, true));
        assert!(cli.summary_only && !cli.summary);
        // The last of -z and -Z wins, as in strace.
        assert!(cli.failed_only && !cli.successful_only);
        assert_eq!(cli.sort_by, "calls");
    }
}
