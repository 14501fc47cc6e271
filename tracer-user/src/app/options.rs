//! The command line turned into what a session needs: output options, sinks, the `--comm`
//! names and the stats period.

use std::time::Duration;

use anyhow::Result;

use crate::{
    cli::Cli,
    decode::{DecodeOptions, RawSet, abbrev::Verbosity},
    error::PreflightError,
    filter::{Filter, OnlyStatus},
    format::text_options::Column,
    pipeline::{OutputOptions, Sinks, SummaryOptions},
    sink::Sink,
    summary::SortBy,
    target::watch::Watch,
};

/// Stats records' period with --comm when --stats-interval is not given.
const DAEMON_STATS_INTERVAL: Duration = Duration::from_secs(60);

/// `--stats-interval`, with its default for daemon mode.
pub fn stats_period(cli: &Cli, daemon: bool) -> Option<Duration> {
    match cli.stats_interval {
        Some(0) => None,
        Some(s) => Some(Duration::from_secs(s)),
        None if daemon => Some(DAEMON_STATS_INTERVAL),
        None => None,
    }
}

/// The `--comm` names for a message, escaped as strace escapes strings.
pub(super) fn comm_list(cli: &Cli) -> String {
    let names: Vec<String> = cli
        .comms
        .iter()
        .map(|n| crate::format::quote::escaped(n.as_bytes()))
        .collect();
    names.join(", ")
}

/// `--comm` names as the kernel keeps them; says so when one is cut to 15 bytes.
pub(super) fn comm_names(names: &[String]) -> Result<Vec<[u8; tracer_common::COMM_LEN]>> {
    names
        .iter()
        .filter(|name| !name.contains('*'))
        .map(|name| {
            let kernel = crate::target::comm::kernel_name(name).ok_or(PreflightError::EmptyComm)?;
            if name.len() >= tracer_common::COMM_LEN {
                let cut = String::from_utf8_lossy(&kernel[..tracer_common::COMM_LEN - 1]);
                crate::note!(
                    "tracer: --comm {name}: the kernel keeps 15 bytes of a name; matching '{cut}'"
                );
            }
            Ok(kernel)
        })
        .collect()
}

/// The output options from the command line; `processes`: how many are traced from the start.
pub(super) fn output_options(cli: &Cli, processes: usize) -> Result<OutputOptions> {
    let only = if cli.failed_only {
        Some(OnlyStatus::Failed)
    } else if cli.successful_only {
        Some(OnlyStatus::Successful)
    } else {
        None
    };
    let qualifiers = cli.qualifiers()?;
    let mut filter =
        Filter::new(&qualifiers.filter, only, &cli.paths).map_err(PreflightError::BadExpression)?;
    filter.min_duration = cli.min_duration_ns()?;
    let sort = SortBy::parse(&cli.sort_by)
        .ok_or_else(|| PreflightError::BadSortBy(cli.sort_by.clone()))?;
    let columns = cli.summary_columns()?;
    if !sort.shown_by(&columns) {
        return Err(PreflightError::SortByHidden(cli.sort_by.clone()).into());
    }
    let summary = (cli.summary_only || cli.summary).then_some(SummaryOptions {
        sort,
        only: cli.summary_only && !cli.summary,
        wall_clock: cli.wall_clock,
        columns,
        overhead: cli.overhead_ns()?,
        errnos: cli.failed_only,
        per_interval: false,
    });
    Ok(OutputOptions {
        decode: DecodeOptions {
            strsize: cli.strsize,
            raw: match qualifiers.raw.as_deref().map(syscalls).transpose()? {
                Some(set) => RawSet::from_flags(&set),
                None => RawSet::default(),
            },
            verbosity: Verbosity::from_sets(
                qualifiers
                    .abbrev
                    .as_deref()
                    .map(syscalls)
                    .transpose()?
                    .as_deref(),
                qualifiers
                    .verbose
                    .as_deref()
                    .map(syscalls)
                    .transpose()?
                    .as_deref(),
            ),
        },
        quote: cli.quote_style()?,
        fds: cli.fd_detail(qualifiers.decode_fds.as_deref())?,
        quiet_set: cli.quiet_set(qualifiers.quiet.as_deref())?,
        column: Column(cli.columns),
        syscall_number: cli.syscall_number,
        instruction_pointer: cli.instruction_pointer,
        always_prefix: cli.output.is_some()
            && !cli.output_separately
            && (cli.follow > 0 || processes > 1),
        filter,
        stamps: cli.stamp_mode()?,
        durations: cli.durations()?,
        summary,
        annotate: cli.annotate,
        json: cli.json || cli.output_format.as_deref() == Some("json"),
        json_max_line: cli.json_max_line.map(|n| n as usize),
        redact: !cli.no_redact,
        dumps: qualifiers.dumps,
        comms: cli.decode_pids_set()?.comm,
        pidns: cli.decode_pids_set()?.pidns,
        consts: cli.const_style()?,
        match_bytes: cli
            .match_text
            .as_deref()
            .map(crate::cli::unescape)
            .transpose()?,
        every_start: false,
        stack_traces: stack_traces(cli),
    })
}

/// A `-e` qualifier's syscall set (`trace=`'s grammar), indexed by syscall number.
fn syscalls(set: &str) -> Result<Vec<bool>> {
    crate::filter::expr::syscall_set(set, crate::filter::TABLE_LEN)
        .map_err(|e| PreflightError::BadExpression(e).into())
}

/// `-k`, unless `-c` leaves no lines to put stacks under: then, as strace 6.1, a word on
/// stderr (with the other options `-c` leaves nothing to do, `summary_only_notes`) and no
/// stack is copied.
fn stack_traces(cli: &Cli) -> bool {
    summary_only_notes(cli);
    cli.stack_traces && !(cli.summary_only && !cli.summary)
}

/// strace 6.1's word for each option of the lines that `-c` (without `-C`) does not print,
/// in strace's order.
fn summary_only_notes(cli: &Cli) {
    if !cli.summary_only || cli.summary {
        return;
    }
    let timestamps = cli.timestamps > 0 || cli.absolute_timestamps.is_some();
    let fds = cli.decode_fds > 0 || cli.decode_fds_set.is_some();
    for (given, option) in [
        (cli.instruction_pointer, "-i/--instruction-pointer"),
        (cli.stack_traces, "-k/--stack-traces"),
        (cli.syscall_number, "-n/--syscall-number"),
        (cli.relative.is_some(), "-r/--relative-timestamps"),
        (timestamps, "-t/--absolute-timestamps"),
        (cli.syscall_times.is_some(), "-T/--syscall-times"),
        (fds, "-y/--decode-fds"),
    ] {
        if given {
            crate::note!("tracer: {option} has no effect with -c/--summary-only");
        }
    }
}

/// stdout, `-o FILE`, `-o '|COMMAND'`, or with `-ff -o PREFIX` one file per task.
pub(super) fn open_sinks(cli: &Cli) -> Result<Sinks> {
    let separately = cli.output_separately;
    if let Some(command) = cli.output_pipe() {
        if separately {
            return Err(PreflightError::PipeSeparately.into());
        }
        return Ok(Sinks::One(Sink::pipe(command)?));
    }
    match &cli.output {
        Some(prefix) if separately => Ok(Sinks::PerTask {
            prefix: prefix.clone(),
            files: Default::default(),
            append: cli.append,
            mode: cli.file_mode,
            opened: Default::default(),
        }),
        path => {
            let json = cli.json || cli.output_format.as_deref() == Some("json");
            if path.is_none() && json && !cli.command.is_empty() {
                // A line the command prints is one more line of the stream: a JSON object
                // of its own making would read as a record.
                crate::note!(
                    "tracer: --json records and the command's own output share standard output \
                     (a line it prints can pass for a record): use -o FILE to keep them apart"
                );
            }
            Ok(Sinks::One(Sink::open(
                path.as_deref(),
                cli.file_mode,
                cli.append,
            )?))
        }
    }
}

/// What `watch` picks up, for the startup message (`tracer: following ...`).
pub(super) fn following(watch: &Watch, comms: &[String]) -> String {
    let mut parts = Vec::new();
    if !comms.is_empty() {
        let names: Vec<String> = comms
            .iter()
            .map(|n| crate::format::quote::escaped(n.as_bytes()))
            .collect();
        parts.push(format!("named {}", names.join(", ")));
    }
    if let Some(uid) = watch.uid {
        parts.push(format!("of uid {uid}"));
    }
    if let Some(c) = &watch.cgroup {
        parts.push(format!("in cgroup {}", c.path));
    }
    if parts.is_empty() {
        "every process".to_string()
    } else {
        format!("processes {}", parts.join(" "))
    }
}
