//! The options, as clap declares them (help text, value names, headings, getopt's rules).

use std::{ffi::OsString, path::PathBuf};

use clap::Parser;

use super::{Backend, parse_size};

#[derive(Debug, Parser)]
#[command(
    name = "tracer",
    version,
    about = "Trace system calls with eBPF (or ptrace where eBPF cannot load), printed the way strace prints them.",
    override_usage = "tracer [OPTIONS] -p PID [-p PID ...]\n       tracer [OPTIONS] --comm NAME [--comm NAME ...]\n       tracer [OPTIONS] [--] COMMAND [ARGS]...",
    disable_help_flag = true,
    disable_version_flag = true,
    // getopt's rule: an option given again takes its last value, a flag repeated is the flag
    // (counted flags, -f -q -x -y -t -D, and the repeatable lists, -e -p -P -E, still add up).
    args_override_self = true
)]
pub struct Cli {
    // General
    /// Qualifying expression OPTION=[!]all or OPTION=[!]VAL1[,VAL2]...: trace=SET (names,
    /// %file %network %process %memory %signal %desc %ipc %creds ..., /regex, !negation),
    /// status=SET, signal=SET, quiet=SET, decode-fds=SET, raw=SET, abbrev=SET (calls whose
    /// structures and arrays are abbreviated), verbose=SET (calls whose structures are
    /// dereferenced), read=SET and write=SET (fds whose data is dumped in hex), inject=SET:...
    /// and fault=SET:... (change calls, ptrace backend); kvm is refused, saying why. A bare SET
    /// means trace=SET.
    // getopt takes `-e -x`'s `-x` as -e's value (long options' values come attached).
    #[arg(
        short = 'e',
        value_name = "EXPR",
        allow_hyphen_values = true,
        help_heading = "General"
    )]
    pub exprs: Vec<String>,

    // Startup
    /// Put VAR=VAL in the launched command's environment, or (-E VAR) remove VAR from it.
    #[arg(
        short = 'E',
        long = "env",
        value_name = "VAR=VAL",
        help_heading = "Startup"
    )]
    pub env: Vec<String>,

    /// Attach to process PID and all its threads (repeatable; also "-p 1,2").
    #[arg(
        short = 'p',
        long = "pid",
        visible_alias = "attach",
        value_name = "PID",
        help_heading = "Startup"
    )]
    pub pids: Vec<String>,

    /// Run the command as USERNAME (its uid, gid and groups; needs root).
    #[arg(
        short = 'u',
        long = "user",
        value_name = "USERNAME",
        help_heading = "Startup"
    )]
    pub user: Option<String>,

    /// Trace every process named NAME (its /proc/PID/comm; names are cut to 15 bytes as the
    /// kernel cuts them), running now or started later: a restarted service is picked up.
    /// PREFIX* matches names that start with PREFIX. Runs until interrupted. Repeatable.
    #[arg(long = "comm", value_name = "NAME", help_heading = "Startup")]
    pub comms: Vec<String>,

    /// Only processes whose real uid is UID (or USER's), running now or started later; alone,
    /// every such process. Checked in the kernel.
    #[arg(long = "uid", value_name = "UID|USER", help_heading = "Startup")]
    pub uid: Option<String>,

    /// Only processes in the cgroup v2 PATH (a systemd unit's or a container's) or below it,
    /// running now or started there later; alone, every such process. Checked in the kernel.
    #[arg(long = "cgroup", value_name = "PATH", help_heading = "Startup")]
    pub cgroup: Option<PathBuf>,

    /// System-wide: every process on the host, running now or started later (tracer's own
    /// excepted), narrowed by --comm, --uid and --cgroup. For short captures with a filter.
    #[arg(long = "all", help_heading = "Startup")]
    pub all: bool,

    // Tracing
    /// Detach on SYSCALL (strace: only execve).
    #[arg(
        short = 'b',
        long = "detach-on",
        value_name = "SYSCALL",
        help_heading = "Tracing"
    )]
    pub detach_on: Option<String>,

    /// Run tracer as a grandchild, not as the command's parent (-DD: in a separate process
    /// group, -DDD: in a separate session).
    #[arg(short = 'D', action = clap::ArgAction::Count, help_heading = "Tracing")]
    pub daemonize_short: u8,

    /// Same as -D, -DD, -DDD: grandchild, pgroup or session.
    #[arg(
        long = "daemonize",
        aliases = ["daemonised", "daemonized"],
        value_name = "HOW",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "grandchild",
        overrides_with = "daemonize",
        help_heading = "Tracing"
    )]
    pub daemonize: Option<String>,

    /// Follow forks: trace the children (and threads) traced processes create (-ff with -o
    /// FILE: one file per process, FILE.PID).
    #[arg(short = 'f', action = clap::ArgAction::Count, help_heading = "Tracing")]
    pub follow: u8,

    /// Same as -f.
    #[arg(long = "follow-forks", help_heading = "Tracing")]
    pub follow_forks: bool,

    /// strace's deprecated -F: -f, with a warning.
    #[arg(short = 'F', hide = true)]
    pub follow_deprecated: bool,

    /// With -o FILE: one file per process, FILE.PID (-ff's second f).
    #[arg(long = "output-separately", help_heading = "Tracing")]
    pub output_separately: bool,

    /// strace's signal blocking while tracing (1 anywhere, 2 waiting, 3 never, 4 never_tstp).
    #[arg(
        short = 'I',
        long = "interruptible",
        value_name = "INTERRUPTIBLE",
        help_heading = "Tracing"
    )]
    pub interruptible: Option<String>,

    /// strace's --seccomp-bpf: implies -f. With the ptrace backend a launched command with a
    /// narrowed -e trace= always gets the seccomp filter; eBPF filters in the kernel anyway.
    #[arg(long = "seccomp-bpf", help_heading = "Tracing")]
    pub seccomp_bpf: bool,

    /// How to trace: eBPF, ptrace (strace's way: slower, but needs no CAP_BPF/CAP_PERFMON and
    /// fetches arguments without eBPF's size limits), or auto: eBPF when it loads, else ptrace.
    #[arg(
        long = "backend",
        value_name = "BACKEND",
        value_enum,
        default_value = "auto",
        help_heading = "Tracing"
    )]
    pub backend: Backend,

    /// Write a stats record (events, lost, rate, state held) every SECONDS, followed with -c/-C
    /// by the table of that interval's calls; 0: never. Default: 60 with --comm, otherwise 0.
    #[arg(
        long = "stats-interval",
        value_name = "SECONDS",
        help_heading = "Tracing"
    )]
    pub stats_interval: Option<u64>,

    /// Kernel ring buffer size: a power of two from 4K to 1G (K, M and G suffixes; default 8M,
    /// 64M with -k); the kernel charges it to tracer's memory cgroup.
    #[arg(long = "ring-size", value_name = "SIZE", value_parser = parse_size, help_heading = "Tracing")]
    pub ring_size: Option<u32>,

    /// Niceness of tracer's draining thread with eBPF, -20..19 (default: raised to -10 so that
    /// busy traced processes do not starve it and fill the ring; the traced keep theirs).
    #[arg(long = "nice", value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(i32).range(-20..=19), help_heading = "Tracing")]
    pub nice: Option<i32>,

    /// Benchmarks only: attach empty programs to the syscall tracepoints instead of tracer's,
    /// to measure the hook's own cost (`cargo xtask bench`). Nothing is traced.
    #[arg(long = "bench-floor", hide = true)]
    pub bench_floor: bool,

    /// Mode of the files tracer creates (-o, -ff, --record), octal: 0600 by default, as a trace
    /// holds query texts; e.g. 0640 for a log shipper's group.
    #[arg(long = "file-mode", value_name = "MODE", default_value = "0600",
          value_parser = crate::outfile::parse_mode, help_heading = "Output format")]
    pub file_mode: u32,

    /// Also save the raw kernel records to FILE (for bug reports and offline decoding).
    #[arg(long = "record", value_name = "FILE", help_heading = "Tracing")]
    pub record: Option<PathBuf>,

    /// Decode a --record FILE instead of tracing (no privileges needed).
    #[arg(long = "replay", value_name = "FILE", conflicts_with_all = ["pids", "command"], help_heading = "Tracing")]
    pub replay: Option<PathBuf>,

    // Filtering
    /// Same as -e trace=SET.
    #[arg(long = "trace", value_name = "SET", help_heading = "Filtering")]
    pub trace: Option<String>,

    /// Same as -e signal=SET.
    #[arg(
        long = "signal",
        alias = "signals",
        value_name = "SET",
        help_heading = "Filtering"
    )]
    pub signal: Option<String>,

    /// Same as -e status=SET (successful, failed, unfinished, unavailable, detached).
    #[arg(long = "status", value_name = "SET", help_heading = "Filtering")]
    pub status: Option<String>,

    /// Show only syscalls that touch PATH (by name or through an fd); repeatable.
    #[arg(
        short = 'P',
        long = "trace-path",
        value_name = "PATH",
        help_heading = "Filtering"
    )]
    pub paths: Vec<PathBuf>,

    /// Show only syscalls that returned without an error (-e status=successful).
    #[arg(
        short = 'z',
        long = "successful-only",
        overrides_with = "failed_only",
        help_heading = "Filtering"
    )]
    pub successful_only: bool,

    /// Show only syscalls that returned an error (-e status=failed).
    #[arg(
        short = 'Z',
        long = "failed-only",
        alias = "failing-only",
        overrides_with = "successful_only",
        help_heading = "Filtering"
    )]
    pub failed_only: bool,

    /// How many of -z/--successful-only/-Z/--failed-only the command line gave (strace warns
    /// from the second: only the last takes effect). Counted by `parse`.
    #[arg(skip)]
    pub status_options: usize,

    /// Show only syscalls whose captured data (strings, buffers, addresses) contains STRING,
    /// checked in the kernel; C escapes work (\0, \n, \xNN). Implies --annotate.
    #[arg(long = "match", value_name = "STRING", help_heading = "Filtering")]
    pub match_text: Option<String>,

    /// Show only syscalls that took at least TIME from entry to exit (10ms, 250us, 1.5s,
    /// 2000ns; milliseconds when no unit is given), decided in the kernel at exit. With -c,
    /// count only those.
    #[arg(long = "min-duration", value_name = "TIME", help_heading = "Filtering")]
    pub min_duration: Option<String>,

    /// Also show the plaintext of OpenSSL's SSL_read/SSL_write calls (uprobes on the libssl
    /// each traced process maps; eBPF backend only), as SSL_read@libssl(FD, "...", N) = N lines
    /// or JSON tls records.
    #[arg(long = "tls", help_heading = "Filtering")]
    pub tls: bool,

    // Output format
    /// Align the return value at COLUMN (default 40).
    #[arg(short = 'a', long = "columns", value_name = "COLUMN", default_value_t = crate::format::text_options::RETURN_COLUMN, help_heading = "Output format")]
    pub columns: usize,

    /// Same as -e abbrev=SET.
    #[arg(long = "abbrev", value_name = "SET", help_heading = "Output format")]
    pub abbrev: Option<String>,

    /// Same as -e verbose=SET.
    #[arg(long = "verbose", value_name = "SET", help_heading = "Output format")]
    pub verbose: Option<String>,

    /// Same as -e raw=SET.
    #[arg(long = "raw", value_name = "SET", help_heading = "Output format")]
    pub raw: Option<String>,

    /// Same as -e read=SET: dump the data read from the fds in SET.
    #[arg(long = "read", value_name = "SET", help_heading = "Output format")]
    pub read: Option<String>,

    /// Same as -e write=SET: dump the data written to the fds in SET.
    #[arg(long = "write", value_name = "SET", help_heading = "Output format")]
    pub write: Option<String>,

    /// Same as -e quiet=SET (attach, exit, path-resolution, personality, thread-execve, all);
    /// bare: attach,personality.
    #[arg(
        long = "quiet",
        aliases = ["silent", "silence"],
        value_name = "SET",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "attach,personality",
        help_heading = "Output format"
    )]
    pub quiet: Option<String>,

    /// Same as -e kvm=vcpu.
    #[arg(long = "kvm", value_name = "vcpu", help_heading = "Output format")]
    pub kvm: Option<String>,

    /// Same as -e decode-fds=SET (path, socket, dev, pidfd, all); bare: path.
    #[arg(
        long = "decode-fds",
        value_name = "SET",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "path",
        help_heading = "Output format"
    )]
    pub decode_fds_set: Option<String>,

    /// Print the instruction pointer at the time of each syscall.
    #[arg(
        short = 'i',
        long = "instruction-pointer",
        help_heading = "Output format"
    )]
    pub instruction_pointer: bool,

    /// Print the stack trace of each syscall.
    #[arg(short = 'k', long = "stack-traces", help_heading = "Output format")]
    pub stack_traces: bool,

    /// Print the syscall number before each line: `[  2] open(...)`.
    #[arg(short = 'n', long = "syscall-number", help_heading = "Output format")]
    pub syscall_number: bool,

    /// Write the trace to FILE instead of standard output; '|COMMAND' or '!COMMAND': pipe it
    /// to COMMAND.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        help_heading = "Output format"
    )]
    pub output: Option<PathBuf>,

    /// Open the -o FILE in append mode.
    #[arg(
        short = 'A',
        long = "output-append-mode",
        help_heading = "Output format"
    )]
    pub append: bool,

    /// Suppress messages about attaching and detaching (-qq: process exits too, -qqq: all).
    #[arg(short = 'q', action = clap::ArgAction::Count, help_heading = "Output format")]
    pub quiet_short: u8,

    /// Prefix lines with the time since the previous line (PRECISION: s, ms, us, ns).
    #[arg(
        short = 'r',
        long = "relative-timestamps",
        value_name = "PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "us",
        help_heading = "Output format"
    )]
    pub relative: Option<String>,

    /// Print at most N bytes of each string and buffer (default 32).
    #[arg(
        short = 's',
        long = "string-limit",
        value_name = "N",
        default_value_t = 32,
        help_heading = "Output format"
    )]
    pub strsize: usize,

    /// Timestamps: [format:]none|time|unix[,[precision:]s|ms|us|ns]; bare: time.
    #[arg(
        long = "absolute-timestamps",
        alias = "timestamps",
        value_name = "FORMAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "time",
        help_heading = "Output format"
    )]
    pub absolute_timestamps: Option<String>,

    /// Prefix lines with the time of day (-tt: with microseconds, -ttt: seconds since the
    /// epoch).
    #[arg(short = 't', action = clap::ArgAction::Count, help_heading = "Output format")]
    pub timestamps: u8,

    /// Show the time spent in each syscall, `<seconds>` at the end of its line (PRECISION: s,
    /// ms, us, ns).
    #[arg(
        short = 'T',
        long = "syscall-times",
        value_name = "PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "us",
        help_heading = "Output format"
    )]
    pub syscall_times: Option<String>,

    /// Print structures, arrays and environments unabbreviated (-e abbrev=none).
    #[arg(short = 'v', long = "no-abbrev", help_heading = "Output format")]
    pub no_abbrev: bool,

    /// Same as -x (non-ascii), -xx (all); non-ascii-chars: hex instead of octal escapes.
    #[arg(
        long = "strings-in-hex",
        value_name = "WHICH",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all",
        help_heading = "Output format"
    )]
    pub strings_in_hex: Option<String>,

    /// Print non-ASCII strings in hex (-xx: all strings).
    #[arg(short = 'x', action = clap::ArgAction::Count, help_heading = "Output format")]
    pub hex: u8,

    /// How named constants and flags are printed: raw, abbrev (the default) or verbose.
    #[arg(
        short = 'X',
        long = "const-print-style",
        value_name = "FORMAT",
        help_heading = "Output format"
    )]
    pub const_print_style: Option<String>,

    /// Print paths of file descriptors (-yy: protocol details of sockets, devices).
    #[arg(short = 'y', action = clap::ArgAction::Count, help_heading = "Output format")]
    pub decode_fds: u8,

    /// Print PIDs with their command names (comm) or in tracer's pid namespace too (pidns).
    #[arg(
        long = "decode-pids",
        value_name = "WHAT",
        help_heading = "Output format"
    )]
    pub decode_pids: Option<String>,

    /// Same as --decode-pids=comm.
    #[arg(short = 'Y', help_heading = "Output format")]
    pub decode_pids_comm: bool,

    /// strace's older spelling of --decode-pids=pidns (strace 6.1 still takes it).
    #[arg(long = "pidns-translation", hide = true)]
    pub pidns_translation: bool,

    /// After each line, note in a /* comment */ where the connection fds it uses came from
    /// (the accept or connect, the peer address, when) and, for EMFILE/ENFILE, the process's
    /// open fds and RLIMIT_NOFILE. Off by default so lines stay as strace prints them.
    #[arg(long = "annotate", help_heading = "Output format")]
    pub annotate: bool,

    /// Print JSON lines (one object per event, schema/tracer-event.schema.json) instead of
    /// strace's text.
    #[arg(long = "json", help_heading = "Output format")]
    pub json: bool,

    /// The longest JSON line in bytes (default 8000, within rsyslog's default 8 KiB message
    /// size): longer strings and texts in a record are cut, and `tracer.cut` says how many
    /// bytes were left out.
    #[arg(long = "json-max-line", value_name = "BYTES", value_parser = clap::value_parser!(u64).range(2048..=1 << 30), help_heading = "Output format")]
    pub json_max_line: Option<u64>,

    /// Output format: text (strace's, the default) or json (same as --json).
    #[arg(long = "output-format", value_name = "FORMAT", value_parser = ["text", "json"], help_heading = "Output format")]
    pub output_format: Option<String>,

    /// Show secrets: by default PostgreSQL password messages in captured data are masked.
    #[arg(long = "no-redact", help_heading = "Output format")]
    pub no_redact: bool,

    // Statistics
    /// Count time, calls and errors per syscall and print a summary instead of the trace.
    #[arg(short = 'c', long = "summary-only", help_heading = "Statistics")]
    pub summary_only: bool,

    /// Like -c, but print the trace as well.
    #[arg(short = 'C', long = "summary", help_heading = "Statistics")]
    pub summary: bool,

    /// Subtract OVERHEAD[UNIT] (s, ms, us, ns; default us) from each call's time in -c.
    #[arg(
        short = 'O',
        long = "summary-syscall-overhead",
        value_name = "OVERHEAD",
        help_heading = "Statistics"
    )]
    pub overhead: Option<String>,

    /// Sort the summary by time (default), min-time, max-time, avg-time, calls, errors, name
    /// or nothing.
    #[arg(
        short = 'S',
        long = "summary-sort-by",
        value_name = "SORTBY",
        default_value = "time",
        help_heading = "Statistics"
    )]
    pub sort_by: String,

    /// The summary's columns: time-percent, total-time, min-time, max-time, avg-time, calls,
    /// errors, name (comma-separated); beyond strace, p50 (median) and p99.
    #[arg(
        short = 'U',
        long = "summary-columns",
        value_name = "COLUMNS",
        help_heading = "Statistics"
    )]
    pub summary_columns: Option<String>,

    /// Summarise wall-clock time (the time from entering to leaving each syscall).
    #[arg(short = 'w', long = "summary-wall-clock", help_heading = "Statistics")]
    pub wall_clock: bool,

    // Tampering
    /// Same as -e inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG]...
    #[arg(long = "inject", value_name = "SET", help_heading = "Tampering")]
    pub inject: Option<String>,

    /// Same as -e fault=SET[:error=ERRNO][:when=WHEN].
    #[arg(long = "fault", value_name = "SET", help_heading = "Tampering")]
    pub fault: Option<String>,

    // Miscellaneous
    /// Print tracer's debug messages on standard error.
    #[arg(short = 'd', long = "debug", help_heading = "Miscellaneous")]
    pub debug: bool,

    /// Print help.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, help_heading = "Miscellaneous")]
    pub help: Option<bool>,

    /// strace's tips on exit.
    #[arg(
        long = "tips",
        value_name = "TIPS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "random",
        help_heading = "Miscellaneous"
    )]
    pub tips: Option<String>,

    /// Print the version, the git commit, the eBPF object's build id and the kernel features
    /// found (BTF, ring buffer, uprobes), then exit.
    #[arg(short = 'V', long = "version", help_heading = "Miscellaneous")]
    pub version: bool,

    /// The command to launch and trace from its execve.
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,
}
