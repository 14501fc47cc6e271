//! Reading argv: strace's getopt grammar in front of clap, and usage errors reported as
//! strace reports them.

use std::{ffi::OsString, process::ExitCode};

use clap::{CommandFactory, FromArgMatches};

use super::{Cli, getopt};

/// A command line tracer refuses (or `--help`, which ends the run too).
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    Getopt(#[from] getopt::GetoptError),
    #[error("{}", clap_message(.0))]
    Clap(#[from] clap::Error),
    /// Options that do not go together, found once parsed: strace's `error_msg_and_help`.
    #[error("{0}")]
    Check(String),
}

/// clap's first line without its `error: ` (the rest is advice strace does not give); a value
/// an option refuses reads as strace's `invalid -s argument: '-1'`.
fn clap_message(err: &clap::Error) -> String {
    if let Some(message) = invalid_argument(err) {
        return message;
    }
    let text = err.render().to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// strace's wording for a refused value of one of strace's options, named by its short name
/// (`--string-limit <N>` -> `-s`); tracer's own long options keep their parser's reason.
fn invalid_argument(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        err.kind(),
        ErrorKind::ValueValidation | ErrorKind::InvalidValue
    ) {
        return None;
    }
    let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
        err.get(ContextKind::InvalidArg),
        err.get(ContextKind::InvalidValue),
    ) else {
        return None;
    };
    let long = arg.split(' ').next()?.strip_prefix("--")?;
    let cmd = command();
    let short = cmd
        .get_arguments()
        .find(|a| a.get_long() == Some(long))?
        .get_short()?;
    Some(format!("invalid -{short} argument: '{value}'"))
}

impl UsageError {
    /// Prints the error as strace does (`tracer: MESSAGE`, then where to find help) and gives
    /// strace's exit status for a bad command line, 1; help prints and succeeds.
    pub fn report(&self) -> ExitCode {
        if let Self::Clap(err) = self
            && !err.use_stderr()
        {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        crate::note!("tracer: {self}\nTry 'tracer -h' for more information.");
        ExitCode::FAILURE
    }
}

/// The clap command behind `Cli`, built (its help flag included).
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

/// argv (program name first) read as strace's getopt reads it.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, UsageError> {
    let mut cmd = command();
    let args = getopt::normalize(&cmd, args.into_iter().collect())?;
    let status_options = args
        .iter()
        .take_while(|a| *a != "--")
        .filter(|a| {
            [
                "-z",
                "-Z",
                "--successful-only",
                "--failed-only",
                "--failing-only",
            ]
            .contains(&a.to_str().unwrap_or_default())
        })
        .count();
    let matches = cmd.try_get_matches_from_mut(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.status_options = status_options;
    place_qualifiers(&mut cli, &matches);
    Ok(cli)
}

/// Options that are `-e` qualifiers in another spelling take effect where they stand among
/// the `-e` options, as strace's (the later one wins): `-v` is `-e abbrev=none`, `-Y`
/// `-e decode-pids=comm`, `--pidns-translation` `-e decode-pids=pidns` and
/// `--decode-pids=SET` `-e decode-pids=SET`; each joins `exprs` in its place.
fn place_qualifiers(cli: &mut Cli, matches: &clap::ArgMatches) {
    use clap::parser::ValueSource;
    let mut placed: Vec<(usize, String)> = matches
        .indices_of("exprs")
        .map(|at| at.zip(std::mem::take(&mut cli.exprs)).collect())
        .unwrap_or_default();
    let mut add = |id: &str, expr: String| {
        if matches.value_source(id) == Some(ValueSource::CommandLine)
            && let Some(at) = matches.index_of(id)
        {
            placed.push((at, expr));
        }
    };
    add("no_abbrev", "abbrev=none".to_string());
    if std::mem::take(&mut cli.decode_pids_comm) {
        add("decode_pids_comm", "decode-pids=comm".to_string());
    }
    if std::mem::take(&mut cli.pidns_translation) {
        add("pidns_translation", "decode-pids=pidns".to_string());
    }
    if let Some(set) = cli.decode_pids.take() {
        add("decode_pids", format!("decode-pids={set}"));
    }
    placed.sort_by_key(|(at, _)| *at);
    cli.exprs = placed.into_iter().map(|(_, expr)| expr).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_strs<const N: usize>(args: [&str; N]) -> Result<Cli, UsageError> {
        parse(args.map(OsString::from))
    }

    /// `-v` is `-e abbrev=none` where it stands: the later of it and `-e abbrev=` wins.
    #[test]
    fn no_abbrev_takes_its_place_among_the_qualifiers() {
        let cli = parse_strs(["tracer", "-e", "abbrev=execve", "-fv", "-etrace=stat", "ls"]);
        let cli = cli.expect("parses");
        assert_eq!(cli.exprs, ["abbrev=execve", "abbrev=none", "trace=stat"]);
        let cli = parse_strs(["tracer", "--no-abbrev", "-e", "abbrev=execve", "ls"]);
        assert_eq!(cli.expect("parses").exprs, ["abbrev=none", "abbrev=execve"]);
        let cli = parse_strs(["tracer", "-e", "trace=stat", "ls", "-v"]).expect("parses");
        assert_eq!(cli.exprs, ["trace=stat"]);
    }

    /// `-Y`, `--pidns-translation`, `--decode-pids=` and `-e decode-pids=` each replace the set
    /// before them, as strace 6.1's.
    #[test]
    fn decode_pids_spellings_take_their_place() {
        let set = |args: &[&str]| {
            let mut argv = vec!["tracer"];
            argv.extend(args);
            argv.push("true");
            let set = parse(argv.into_iter().map(OsString::from))
                .expect("parses")
                .decode_pids_set()
                .expect("valid");
            (set.comm, set.pidns)
        };
        assert_eq!(set(&["--pidns-translation"]), (false, true));
        assert_eq!(set(&["-Y", "--pidns-translation"]), (false, true));
        assert_eq!(set(&["--pidns-translation", "-Y"]), (true, false));
        assert_eq!(
            set(&["--decode-pids=comm", "-e", "decode-pids=pidns"]),
            (false, true)
        );
        assert_eq!(set(&["-e", "decode-pids=pidns", "-Y"]), (true, false));
        assert_eq!(set(&["-Y", "-e", "decode-pids=none"]), (false, false));
        assert_eq!(set(&["--decode-pids=comm,pidns"]), (true, true));
        assert_eq!(
            set(&["--pidns-translation", "--decode-pids=all"]),
            (true, true)
        );
    }

    /// strace warns from the second -z/-Z in any spelling, before the command only.
    #[test]
    fn status_options_are_counted_as_strace_warns_of_them() {
        let count = |args: &[&str]| {
            let mut argv = vec!["tracer"];
            argv.extend(args);
            parse(argv.into_iter().map(OsString::from))
                .expect("parses")
                .status_options
        };
        assert_eq!(count(&["-z", "true"]), 1);
        assert_eq!(count(&["-z", "-Z", "true"]), 2);
        assert_eq!(count(&["-zZ", "true"]), 2);
        assert_eq!(count(&["-fz", "--failed-only", "true"]), 2);
        assert_eq!(count(&["--failing-only", "-z", "true"]), 2);
        assert_eq!(count(&["-z", "true", "-Z"]), 1);
    }

    /// A value an option refuses is worded as strace words it.
    #[test]
    fn bad_values_read_as_strace_reports_them() {
        let message = |args: &[&str]| {
            let mut argv = vec!["tracer"];
            argv.extend(args);
            argv.push("/bin/true");
            match parse(argv.into_iter().map(OsString::from)) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("{args:?} accepted"),
            }
        };
        assert_eq!(message(&["-s", "-1"]), "invalid -s argument: '-1'");
        assert_eq!(message(&["-s", "x"]), "invalid -s argument: 'x'");
        assert_eq!(message(&["-a", "x"]), "invalid -a argument: 'x'");
        assert_eq!(
            message(&["--string-limit", "x"]),
            "invalid -s argument: 'x'"
        );
        assert!(message(&["--ring-size", "3"]).contains("smaller than 4K"));
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
            (cli.strsize, cli.timestamps, cli.syscall_times.is_some()),
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

    /// getopt's rule for an option given twice: its last value; a flag repeated is the flag.
    /// Every strace option tracer has (the tester's list), none refused as clap refuses
    /// repeats ("cannot be used multiple times").
    #[test]
    fn an_option_given_again_takes_its_last_value_as_getopt() {
        let twice = |args: &[&str]| {
            let mut argv = vec!["tracer"];
            argv.extend(args);
            argv.push("/bin/true");
            parse(argv.into_iter().map(OsString::from))
                .unwrap_or_else(|e| panic!("{args:?} refused: {e}"))
        };
        assert_eq!(twice(&["-s", "8", "-s", "16"]).strsize, 16);
        assert_eq!(twice(&["-s8", "--string-limit=16"]).strsize, 16);
        assert_eq!(twice(&["-a", "10", "-a", "20"]).columns, 20);
        let cli = twice(&["-o", "x1", "-o", "x2"]);
        assert_eq!(cli.output, Some(PathBuf::from("x2")));
        let cli = twice(&["-X", "raw", "-X", "abbrev"]);
        assert_eq!(cli.const_print_style.as_deref(), Some("abbrev"));
        assert_eq!(
            twice(&["-O", "1", "-O", "2", "-c"]).overhead.as_deref(),
            Some("2")
        );
        assert_eq!(twice(&["-S", "calls", "-S", "name", "-c"]).sort_by, "name");
        let cli = twice(&["-U", "calls", "-U", "name", "-c"]);
        assert_eq!(cli.summary_columns.as_deref(), Some("name"));
        assert_eq!(
            twice(&["-u", "root", "-u", "nobody"]).user.as_deref(),
            Some("nobody")
        );
        let cli = twice(&["-b", "execve", "-b", "execve"]);
        assert_eq!(cli.detach_on.as_deref(), Some("execve"));
        assert!(twice(&["-i", "-i"]).instruction_pointer);
        assert!(twice(&["-n", "-n"]).syscall_number);
        assert!(twice(&["-c", "-c"]).summary_only);
        assert!(twice(&["-C", "-C"]).summary);
        assert!(twice(&["-w", "-w", "-c"]).wall_clock);
        assert_eq!(twice(&["-r", "-r"]).relative.as_deref(), Some("us"));
        let cli = twice(&["-r", "--relative-timestamps=ms"]);
        assert_eq!(cli.relative.as_deref(), Some("ms"));
        assert_eq!(twice(&["-T", "-T"]).syscall_times.as_deref(), Some("us"));
        let cli = twice(&["-T", "--syscall-times=ms"]);
        assert_eq!(cli.syscall_times.as_deref(), Some("ms"));
        let cli = twice(&["--syscall-times", "--syscall-times"]);
        assert_eq!(cli.syscall_times.as_deref(), Some("us"));
        assert!(twice(&["-z", "-z"]).successful_only);
        assert!(twice(&["-Z", "-Z"]).failed_only);
        assert!(twice(&["-A", "-A", "-o", "x"]).append);
        assert!(twice(&["-k", "-k"]).stack_traces);
        assert!(twice(&["-Y", "-Y"]).decode_pids_set().expect("set").comm);
        assert!(twice(&["-F", "-F"]).follow_deprecated);
        assert!(twice(&["--seccomp-bpf", "--seccomp-bpf"]).seccomp_bpf);
        let cli = twice(&["--timestamps", "--timestamps=unix"]);
        assert_eq!(cli.absolute_timestamps.as_deref(), Some("unix"));
        assert!(twice(&["-v", "-v"]).no_abbrev);
        assert!(twice(&["--json", "--json"]).json);
        // Counted flags and lists still add up.
        let cli = twice(&["-f", "-f", "-q", "-q", "-x", "-x", "-y", "-y", "-t", "-t"]);
        assert_eq!(
            (
                cli.follow,
                cli.quiet_short,
                cli.hex,
                cli.decode_fds,
                cli.timestamps
            ),
            (2, 2, 2, 2, 2)
        );
        let cli = twice(&[
            "-e",
            "trace=read",
            "-e",
            "trace=write",
            "-p",
            "1",
            "-p",
            "2",
        ]);
        assert_eq!((cli.exprs.len(), cli.pids.len()), (2, 2));
        assert_eq!(twice(&["-D", "-D"]).daemonize_short, 2);
        // Every option tracer defines can be given twice, whatever it is.
        let cmd = command();
        for arg in cmd.get_arguments().filter(|a| !a.is_positional()) {
            let Some(long) = arg.get_long() else { continue };
            if matches!(long, "help" | "version" | "replay") {
                continue;
            }
            let flag = match arg.get_action().takes_values() {
                true => format!("--{long}=1"),
                false => format!("--{long}"),
            };
            let argv = ["tracer", &flag, &flag, "/bin/true"];
            if let Err(e) = parse(argv.iter().map(OsString::from)) {
                assert!(!e.to_string().contains("multiple times"), "{argv:?}: {e}");
            }
        }
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
        assert_eq!(
            (cli.timestamps, cli.syscall_times.as_deref()),
            (2, Some("us"))
        );
        assert!(cli.summary_only && !cli.summary);
        // The last of -z and -Z wins, as in strace.
        assert!(cli.failed_only && !cli.successful_only);
        assert_eq!(cli.sort_by, "calls");
    }
}
