//! Orchestration: preflight checks, then one session (`session`) over the backend's source
//! (`crate::source`), or a `--replay` of a recording.

mod options;
mod session;

use std::collections::HashSet;

use anyhow::{Context, Result};

use crate::{
    cli::{Backend, Cli},
    error::PreflightError,
    logging,
    pipeline::{OutputOptions, Pipeline},
    sink::SinkError,
    source::{
        Command, Source,
        ebpf::{EbpfSource, LoadOptions},
        ptrace::PtraceSource,
        record::Recorder,
    },
    spec::CaptureOptions,
    target::launch,
    target::preflight,
    target::watch::Watch,
};
pub use options::stats_period;
use options::{comm_list, comm_names, open_sinks, output_options};
use session::Session;

/// How tracer ends, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Exit(i32),
    /// Die by this signal, as the launched command did or as we were told to.
    Signal(i32),
}

pub fn run(mut cli: Cli) -> Result<Outcome> {
    cli.settle_follow()?;
    cli.check()?;
    cli.warn_as_strace();
    if let Some(path) = &cli.replay {
        // Nothing to detach from: the default dispositions do.
        crate::target::signals::release();
        return replay(&cli, path);
    }
    let mut targets = Vec::new();
    let pids = preflight::parse_pids(&cli.pids)?;
    // As strace: a process of several that cannot be attached (gone, a zombie, refused) is
    // told and the others are traced (a launched command too); the run fails only when none
    // is left.
    let mut refusals = Vec::new();
    for &pid in &pids {
        let target = match preflight::resolve(pid) {
            Ok(target) => target,
            Err(
                e @ (PreflightError::NoSuchProcess(_)
                | PreflightError::Untraceable { .. }
                | PreflightError::NotPermitted(_)),
            ) if pids.len() > 1 || !cli.command.is_empty() => {
                refusals.push(e);
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if !targets
            .iter()
            .any(|t: &preflight::Target| t.tgid == target.tgid)
        {
            targets.push(target);
        }
    }
    let watch = Watch::new(
        &cli.comms,
        cli.uid.as_deref(),
        cli.cgroup.as_deref(),
        cli.all,
    )?;
    let last_refusal = targets.is_empty() && cli.command.is_empty() && !watch.active();
    let fatal = if last_refusal { refusals.pop() } else { None };
    for e in &refusals {
        crate::note!("tracer: {e}");
    }
    if let Some(e) = fatal {
        return Err(e.into());
    }
    let comms = comm_names(&cli.comms)?;
    // Told once here; the ptrace backend's own scans by name skip them.
    let mut refused = Vec::new();
    // Found by the scan, not named with -p: one that ends before tracing begins is no error.
    let mut scanned = HashSet::new();
    for pid in watch.running() {
        // One that exits meanwhile is simply not there.
        match preflight::resolve(pid as i32) {
            Ok(target) if !targets.iter().any(|t| t.tgid == target.tgid) => {
                scanned.insert(target.tgid);
                targets.push(target);
            }
            Err(PreflightError::NotPermitted(refusal)) => {
                crate::note!("tracer: not traced: {refusal}");
                refused.push(pid);
            }
            _ => {}
        }
    }
    let program = match cli.command.first() {
        Some(name) => Some(launch::resolve_program(name)?),
        None => None,
    };
    if targets.is_empty() && program.is_none() && !watch.active() {
        return Err(PreflightError::NothingToTrace.into());
    }
    let startup = crate::target::startup::Startup::new(&cli.env, cli.user.as_deref())?;
    // With --comm, more processes may come: lines carry their pid as with several -p.
    let processes = match !watch.active() {
        true => targets.len() + usize::from(program.is_some()),
        false => usize::MAX,
    };
    let mut output = output_options(&cli, processes)?;
    // -D: from here on this is the tracer, a grandchild; the original process became the
    // command's (it execs once traced). Before the output is opened: a `-o |cmd` is ours.
    let daemonized = match (cli.daemonize()?, &program) {
        (Some(how), Some(program)) => {
            let exec = launch::Prepared::new(program, &cli.command, &startup)?;
            Some(crate::target::daemonize::daemonize(how, &exec)?)
        }
        _ => None,
    };
    let level = logging::init(cli.debug);
    let sinks = open_sinks(&cli)?;
    let (mut source, following) = backend(&cli, &watch, (&comms, &refused), &mut output, level)?;
    let recorder = match &cli.record {
        Some(path) => Some(Recorder::create(path, cli.file_mode, !cli.no_redact)?),
        None => None,
    };
    let stats = stats_period(&cli, watch.active());
    if let Some(summary) = output.summary.as_mut() {
        summary.per_interval = stats.is_some();
    }
    let pipeline = Pipeline::new(sinks, output).with_host(Box::new(crate::procfs::Procfs));
    let mut session = Session::new(pipeline, recorder, stats).with_scanned(scanned);
    let command = program.map(|program| Command {
        program,
        argv: &cli.command,
        startup: &startup,
        held: daemonized,
    });
    if !session.start(source.as_mut(), targets, command)? {
        // As strace: nothing left to trace is a failure.
        return Ok(Outcome::Exit(1));
    }
    if let Some(following) = following {
        crate::note!("tracer: following {following}");
    }
    session.run(source.as_mut())
}

/// The source for `--backend` (with `auto`, eBPF or else ptrace), and what it follows by
/// itself for the startup message.
fn backend(
    cli: &Cli,
    watch: &Watch,
    (comms, refused): (&[[u8; tracer_common::COMM_LEN]], &[u32]),
    output: &mut OutputOptions,
    level: log::LevelFilter,
) -> Result<(Box<dyn Source>, Option<String>)> {
    let invoker = crate::target::privilege::Invoker::current();
    let unrestricted = invoker.unrestricted();
    let mut selection = output.kernel_selection();
    if !unrestricted {
        // After an exec a process may hold new privileges: the guard must see every exec
        // whatever `-e trace=` shows.
        selection.keep_syscalls(crate::tables::SyscallDef::is_exec);
    }
    if cli.detach_on.is_some() || !cli.command.is_empty() {
        // `-b execve`: the exec that detaches a process must be seen whatever is shown; a
        // launched command's failed exec hides what follows (`pipeline::launch_exec`).
        selection.keep_syscalls(crate::tables::SyscallDef::is_exec);
    }
    if cli.tls {
        // The return probes make the traced process run the `uretprobe` syscall (x86_64,
        // Linux 6.11 on) at each SSL_* return: tracer's own doing, not the program's call.
        if let Some(def) = crate::tables::by_name("uretprobe") {
            for v in [&mut selection.record, &mut selection.keep] {
                if let Some(b) = v.get_mut(def.nr as usize) {
                    *b = false;
                }
            }
        }
    }
    let load = || -> Result<EbpfSource> {
        preflight::check_capabilities()?;
        if let Some(warning) = preflight::ring_memory_warning(cli.ring_size()) {
            log::warn!("{warning}");
        }
        EbpfSource::load(LoadOptions {
            ring_size: cli.ring_size(),
            log_level: logging::kernel_level(level),
            follow_forks: cli.follow > 0,
            capture: CaptureOptions {
                strsize: cli.strsize,
                blocking_starts: output.shows_starts(),
                every_start: false,
                entry_times: output.needs_entry_times(),
                sockets: output.fds.is_some_and(|d| d.socket),
                whole_buffers: output.dumps.any(),
                unabbreviated: output.decode.verbosity.full,
                redact_streams: output.redact,
                follows_fds: output.follows_fds(),
                ..CaptureOptions::default()
            },
            selection: selection.clone(),
            match_bytes: output.match_bytes.clone(),
            off_cpu: output.needs_cpu_time(),
            instruction_pointer: output.instruction_pointer,
            detach_on_exec: cli.detach_on.is_some(),
            floor: cli.bench_floor,
            watch: watch.clone(),
            tls: cli.tls,
            nice: cli.nice,
        })
    };
    if cli.backend == Backend::Ptrace && !watch.names_only() {
        return Err(PreflightError::WatchNeedsEbpf.into());
    }
    let injections = tampering(cli)?;
    let ptrace_selection = selection.clone();
    let by_ptrace = |output: &mut OutputOptions| {
        ptrace(
            cli,
            (comms, refused),
            output,
            &ptrace_selection,
            &injections,
        )
    };
    let mut source = match cli.backend {
        Backend::Ebpf => load()?,
        Backend::Ptrace if cli.tls => return Err(PreflightError::TlsNeedsEbpf.into()),
        Backend::Ptrace => return Ok(by_ptrace(output)),
        // Only ptrace can change calls.
        Backend::Auto if !injections.is_empty() => {
            if cli.tls {
                return Err(PreflightError::TlsNeedsEbpf.into());
            }
            if !watch.names_only() {
                return Err(PreflightError::WatchNeedsEbpf.into());
            }
            return Ok(by_ptrace(output));
        }
        Backend::Auto => match load() {
            Ok(source) => source,
            Err(err) if !watch.names_only() => {
                return Err(err.context(PreflightError::WatchNeedsEbpf));
            }
            Err(err) if cli.tls => {
                return Err(err.context(PreflightError::TlsNeedsEbpf));
            }
            Err(err) => {
                crate::note!("tracer: eBPF is not available ({err:#}); tracing with ptrace");
                return Ok(by_ptrace(output));
            }
        },
    };
    if !unrestricted {
        source.guard(invoker);
    }
    // Daemon mode (--comm, patterns, --uid, --cgroup, --all) keeps waiting for new processes
    // when none of those found at start is left.
    source.wait_for_names(watch.active());
    let following = watch
        .active()
        .then(|| options::following(watch, &cli.comms));
    Ok((Box::new(source), following))
}

/// `-e inject=`/`-e fault=`, strace's warnings printed (`Cli::check` refused them with eBPF).
fn tampering(cli: &Cli) -> Result<crate::tamper::Injections> {
    let (injections, warnings) = cli.injections()?;
    for warning in warnings {
        crate::note!("tracer: {warning}");
    }
    Ok(injections)
}

/// The ptrace backend; it reports every call's start (`every_start`).
fn ptrace(
    cli: &Cli,
    (comms, refused): (&[[u8; tracer_common::COMM_LEN]], &[u32]),
    output: &mut OutputOptions,
    selection: &crate::spec::KernelSelection,
    injections: &crate::tamper::Injections,
) -> (Box<dyn Source>, Option<String>) {
    let capture = CaptureOptions {
        strsize: cli.strsize,
        blocking_starts: output.shows_starts(),
        every_start: true,
        entry_times: output.needs_entry_times(),
        buf_limit: crate::spec::UNBOUNDED,
        sockets: output.fds.is_some_and(|d| d.socket),
        whole_buffers: output.dumps.any(),
        unabbreviated: output.decode.verbosity.full,
        // The ptrace backend drops nothing before the redactor sees it.
        redact_streams: false,
        follows_fds: output.follows_fds(),
    };
    let mut source = PtraceSource::new(&capture, selection, cli.follow > 0);
    source.follow_names(comms, refused);
    source.inject(injections.clone());
    if cli.detach_on.is_some() {
        source.detach_on_exec();
    }
    if output.needs_cpu_time() {
        source.account_cpu_time();
    }
    output.every_start = true;
    let following = (!comms.is_empty()).then(|| {
        format!(
            "processes named {} (found within a second with ptrace)",
            comm_list(cli)
        )
    });
    (Box::new(source), following)
}

/// `--replay FILE`: decodes a `--record` file as if it were being traced now (no privileges
/// needed; fds are named from what the recording shows).
fn replay(cli: &Cli, path: &std::path::Path) -> Result<Outcome> {
    let file =
        std::fs::File::open(path).with_context(|| format!("failed to read {}", path.display()))?;
    let events = crate::source::record::Events::new(std::io::BufReader::new(file));
    let output = output_options(cli, 1)?;
    // No host: the recording's pids are not this system's, and asking /proc about them would
    // name, place and credit recorded processes after whatever runs here now under the same
    // numbers.
    let mut pipeline = Pipeline::new(open_sinks(cli)?, output);
    for event in events {
        let event = event.with_context(|| format!("{}: not a tracer recording", path.display()))?;
        match pipeline.handle(event) {
            Ok(()) => {}
            Err(SinkError::Closed(_)) => return Ok(Outcome::Exit(0)),
            Err(SinkError::Io(err)) => return Err(err).context("failed to write the trace"),
        }
    }
    pipeline
        .release_held()
        .and_then(|()| pipeline.finish_summary())
        .and_then(|()| pipeline.flush())
        .map_err(|e| anyhow::anyhow!("failed to write the trace: {e}"))?;
    Ok(Outcome::Exit(0))
}

/// Ends the process by `sig` (no core dump), as strace does when its command died that way.
pub fn die_by_signal(sig: i32) -> ! {
    // SAFETY: plain syscalls changing our own limits and dispositions before raising.
    unsafe {
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
    std::process::exit(128 + sig)
}
