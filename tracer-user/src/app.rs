//! Orchestration: preflight checks, loading, attaching or launching, then the event loop
//! until every tracee is gone or we are interrupted.

use std::{
    collections::HashSet,
    os::fd::{AsRawFd, OwnedFd, RawFd},
    time::Duration,
};

use anyhow::{Context, Result};
use nix::{
    sys::{
        signal::{Signal, kill},
        wait::{WaitPidFlag, WaitStatus, waitpid},
    },
    unistd::Pid,
};
use tokio::{
    io::{Interest, unix::AsyncFd},
    signal::unix::{SignalKind, signal},
    sync::mpsc,
    time::{Instant, interval},
};

mod tls;

use crate::{
    app_ptrace,
    capture::CaptureOptions,
    cli::{Backend, Cli},
    decode::{DecodeOptions, RawSet},
    error::PreflightError,
    event::RawEvent,
    filter::{Filter, OnlyStatus},
    format::strace::Column,
    launch, logging,
    pipeline::{OutputOptions, Pipeline, Sinks, SummaryOptions},
    preflight,
    sink::{Sink, SinkError},
    source::ebpf::{EbpfSource, LoadOptions},
    stats::{Held, Ticker},
    summary::SortBy,
};

/// How tracer ends, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Exit(i32),
    /// Die by this signal, as the launched command did or as we were told to.
    Signal(i32),
}

/// How often the ring buffer is read when the kernel does not wake us (it does when the ring
/// is an eighth full).
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// Stats records' period with --comm when --stats-interval is not given.
const DAEMON_STATS_INTERVAL: Duration = Duration::from_secs(60);

/// How long a launched command gets to exit after we forward it a Ctrl-C or SIGTERM before we
/// detach and leave it running.
const CHILD_GRACE: Duration = Duration::from_secs(1);

/// A process whose exit ends part of the trace.
struct Tracee {
    pid: u32,
    pidfd: OwnedFd,
    /// We launched it (and must reap it and report its status).
    child: bool,
}

pub fn run(mut cli: Cli) -> Result<Outcome> {
    cli.settle_follow()?;
    cli.check()?;
    if let Some(path) = &cli.replay {
        return replay(&cli, path);
    }
    let mut targets = Vec::new();
    for pid in preflight::parse_pids(&cli.pids)? {
        let target = preflight::resolve(pid)?;
        if !targets
            .iter()
            .any(|t: &preflight::Target| t.tgid == target.tgid)
        {
            targets.push(target);
        }
    }
    let watch = crate::watch::Watch::new(
        &cli.comms,
        cli.uid.as_deref(),
        cli.cgroup.as_deref(),
        cli.all,
    )?;
    let comms = comm_names(&cli.comms)?;
    for pid in watch.running() {
        // One that exits meanwhile is simply not there.
        match preflight::resolve(pid as i32) {
            Ok(target) if !targets.iter().any(|t| t.tgid == target.tgid) => targets.push(target),
            Err(PreflightError::NotPermitted(refusal)) => {
                crate::note!("tracer: not traced: {refusal}");
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
    let startup = crate::startup::Startup::new(&cli.env, cli.user.as_deref())?;
    // With --comm, more processes may come: lines carry their pid as with several -p.
    let processes = match !watch.active() {
        true => targets.len() + usize::from(program.is_some()),
        false => usize::MAX,
    };
    let output = output_options(&cli, processes)?;
    let level = logging::init(cli.debug);
    let sinks = open_sinks(&cli)?;
    let invoker = crate::privilege::Invoker::current();
    let mut selection = output.kernel_selection();
    if !invoker.unrestricted() {
        // After an exec a process may hold new privileges: the guard must see every exec
        // whatever `-e trace=` shows.
        selection.keep_syscalls(crate::tables::SyscallDef::is_exec);
    }
    if cli.record.is_some() && cli.backend == Backend::Ptrace {
        return Err(PreflightError::RecordNeedsEbpf.into());
    }
    let load = || -> Result<EbpfSource> {
        preflight::check_capabilities()?;
        if let Some(warning) = preflight::ring_memory_warning(cli.ring_size) {
            log::warn!("{warning}");
        }
        EbpfSource::load(LoadOptions {
            ring_size: cli.ring_size,
            log_level: logging::kernel_level(level),
            follow_forks: cli.follow > 0,
            capture: CaptureOptions {
                strsize: cli.strsize,
                blocking_starts: output.shows_starts(),
                every_start: false,
                entry_times: output.needs_entry_times(),
                sockets: output.fds == Some(crate::fdtable::Detail::Full),
                whole_buffers: output.dumps.any(),
                ..CaptureOptions::default()
            },
            selection: selection.clone(),
            match_bytes: output.match_bytes.clone(),
            off_cpu: output.needs_cpu_time(),
            floor: cli.bench_floor,
            watch: watch.clone(),
            tls: cli.tls,
        })
    };
    if cli.backend == Backend::Ptrace && !watch.names_only() {
        return Err(PreflightError::WatchNeedsEbpf.into());
    }
    let mut source = match cli.backend {
        Backend::Ebpf => load()?,
        Backend::Ptrace if cli.tls => return Err(PreflightError::TlsNeedsEbpf.into()),
        Backend::Ptrace => {
            return app_ptrace::run(&cli, targets, program, output, sinks, &comms, &startup);
        }
        Backend::Auto => match load() {
            Ok(source) => source,
            Err(err) if cli.record.is_some() => {
                return Err(err.context(PreflightError::RecordNeedsEbpf));
            }
            Err(err) if !watch.names_only() => {
                return Err(err.context(PreflightError::WatchNeedsEbpf));
            }
            Err(err) if cli.tls => {
                return Err(err.context(PreflightError::TlsNeedsEbpf));
            }
            Err(err) => {
                crate::note!("tracer: eBPF is not available ({err:#}); tracing with ptrace");
                return app_ptrace::run(&cli, targets, program, output, sinks, &comms, &startup);
            }
        },
    };
    if !invoker.unrestricted() {
        source.guard(invoker);
    }
    if let Some(path) = &cli.record {
        let recorder = crate::source::record::Recorder::create(path, cli.file_mode)?;
        source.record_to(recorder, !cli.no_redact);
    }
    let mut pipeline = Pipeline::new(sinks, output).with_host(Box::new(crate::procfs::Procfs));
    // Every traced process is registered before the programs run (see `EbpfSource::trace`).
    for target in &targets {
        pipeline.start(target.tgid);
        source.trace(target.tgid, false)?;
    }
    let held = match program {
        Some(program) => {
            // No other thread exists yet: the runtime starts below.
            let held = launch::spawn_held(&program, &cli.command, None, &startup)?;
            // Its descriptors are the ones it will exec with: record them now.
            pipeline.start_launched(held.pid);
            source.trace(held.pid, true)?;
            Some(held)
        }
        None => None,
    };
    source.attach()?;
    if let Some(held) = &held {
        // --tls: probes on the usual libssl before it execs (see `TlsProbes::attach`).
        if let Err(err) = source.attach_tls(held.pid) {
            log::debug!("no early TLS probes: {err:#}");
        }
    }
    let mut tracees = Vec::new();
    let asked = targets.len();
    for target in targets {
        let ended = preflight::has_exited(&target.pidfd) || preflight::exiting(target.tgid);
        if ended && source.registered(target.tgid) {
            // It ended, or began to, while the programs were loading: its exit may have come
            // before the exit program was there (one that ends after the attach is
            // unregistered by its exit record, which reports it).
            eprintln!(
                "tracer: {}",
                PreflightError::NoSuchProcess(target.tgid as i32)
            );
            source.untrace(target.tgid);
            pipeline.forget(target.tgid);
            continue;
        }
        // Only now: from this line on, every call of the process is recorded.
        pipeline.announce(format_args!("process {} attached", target.tgid));
        pipeline
            .json_process("attach", target.tgid)
            .context("failed to write the trace")?;
        tracees.push(Tracee {
            pid: target.tgid,
            pidfd: target.pidfd,
            child: false,
        });
    }
    if asked != 0 && tracees.is_empty() && held.is_none() && comms.is_empty() {
        // As strace: nothing left to trace is a failure.
        return Ok(Outcome::Exit(1));
    }
    if let Some(held) = held {
        let pidfd = preflight::pidfd_open(held.pid).context("failed to watch the command")?;
        let pid = held.release()?;
        tracees.push(Tracee {
            pid,
            pidfd,
            child: true,
        });
    }
    if watch.active() {
        crate::note!("tracer: following {}", watch.describe(&cli.comms));
    }
    let stats_every = stats_period(&cli, watch.active());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("failed to start the event loop")?;
    let mut event_loop = EventLoop::new(source, pipeline);
    event_loop.daemon = watch.active();
    event_loop.stats_every = stats_every;
    runtime.block_on(event_loop.run(tracees))
}

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
pub(crate) fn comm_list(cli: &Cli) -> String {
    let names: Vec<String> = cli
        .comms
        .iter()
        .map(|n| crate::format::quote::escaped(n.as_bytes()))
        .collect();
    names.join(", ")
}

/// `--comm` names as the kernel keeps them; says so when one is cut to 15 bytes.
fn comm_names(names: &[String]) -> Result<Vec<[u8; tracer_common::COMM_LEN]>> {
    names
        .iter()
        .filter(|name| !name.contains('*'))
        .map(|name| {
            let kernel = crate::comm::kernel_name(name).ok_or(PreflightError::EmptyComm)?;
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
fn output_options(cli: &Cli, processes: usize) -> Result<OutputOptions> {
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
    let summary = (cli.summary_only || cli.summary).then_some(SummaryOptions {
        sort,
        only: cli.summary_only && !cli.summary,
        wall_clock: cli.wall_clock,
        columns: cli.summary_columns()?,
        overhead: cli.overhead_ns()?,
    });
    Ok(OutputOptions {
        decode: DecodeOptions {
            strsize: cli.strsize,
            raw: match &qualifiers.raw {
                Some(set) => RawSet::from_flags(
                    &crate::filter::expr::syscall_set(set, crate::filter::TABLE_LEN)
                        .map_err(PreflightError::BadExpression)?,
                ),
                None => RawSet::default(),
            },
        },
        quote: cli.quote_style()?,
        fds: cli.fd_detail(qualifiers.decode_fds.as_deref())?,
        quiet_set: cli.quiet_set(qualifiers.quiet.as_deref())?,
        column: Column(cli.columns),
        syscall_number: cli.syscall_number,
        always_prefix: cli.output.is_some()
            && !cli.output_separately
            && (cli.follow > 0 || processes > 1),
        filter,
        stamps: cli.stamp_mode()?,
        durations: cli.durations()?,
        summary,
        annotate: cli.annotate,
        json: cli.json || cli.output_format.as_deref() == Some("json"),
        redact: !cli.no_redact,
        dumps: qualifiers.dumps,
        comms: cli.decode_pids_set()?.comm,
        match_bytes: cli
            .match_text
            .as_deref()
            .map(crate::cli::unescape)
            .transpose()?,
        every_start: false,
    })
}

/// `--replay FILE`: decodes a `--record` file as if it were being traced now (no privileges
/// needed; fds are named from what the recording shows).
fn replay(cli: &Cli, path: &std::path::Path) -> Result<Outcome> {
    let file =
        std::fs::File::open(path).with_context(|| format!("failed to read {}", path.display()))?;
    let events = crate::source::record::Events::new(std::io::BufReader::new(file));
    let output = output_options(cli, 1)?;
    // Recorded pids are named as the running system names them now, as before the host
    // was a parameter (see notes/12e.md: a replay should not ask this system).
    let mut pipeline =
        Pipeline::new(open_sinks(cli)?, output).with_host(Box::new(crate::procfs::Procfs));
    for event in events {
        let event = event.with_context(|| format!("{}: not a tracer recording", path.display()))?;
        match pipeline.handle(event) {
            Ok(()) => {}
            Err(SinkError::Closed(_)) => return Ok(Outcome::Exit(0)),
            Err(SinkError::Io(err)) => return Err(err).context("failed to write the trace"),
        }
    }
    pipeline
        .finish_summary()
        .and_then(|()| pipeline.flush())
        .map_err(|e| anyhow::anyhow!("failed to write the trace: {e}"))?;
    Ok(Outcome::Exit(0))
}

/// stdout, `-o FILE`, `-o '|COMMAND'`, or with `-ff -o PREFIX` one file per task.
fn open_sinks(cli: &Cli) -> Result<Sinks> {
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
        }),
        path => Ok(Sinks::One(Sink::open(
            path.as_deref(),
            cli.file_mode,
            cli.append,
        )?)),
    }
}

/// An fd we poll but do not own.
struct Fd(RawFd);

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Registers `inner` for readability with the runtime.
///
/// # Safety
/// `inner`'s fd must stay open, and the same file, for as long as the returned value lives.
unsafe fn watch<T: AsRawFd>(inner: T) -> std::io::Result<AsyncFd<T>> {
    // SAFETY: upheld by the caller.
    unsafe { AsyncFd::register_with_interest(inner, Interest::READABLE) }.map_err(Into::into)
}

struct EventLoop {
    source: EbpfSource,
    pipeline: Pipeline,
    /// The reader of our output left: stop tracing, keep waiting for a launched command.
    output_closed: bool,
    /// `--comm`: processes may come at any time; run until interrupted.
    daemon: bool,
    /// `--stats-interval`.
    stats_every: Option<Duration>,
    ticker: Ticker,
    /// `--tls`: processes whose libssl could not be probed (said once, not retried).
    tls_failed: HashSet<u32>,
}

/// What the loop is waiting for next.
#[derive(Debug, Default)]
struct State {
    /// Processes whose pidfd has not fired yet.
    live: HashSet<u32>,
    child: Option<u32>,
    child_status: Option<WaitStatus>,
    interrupted: Option<i32>,
    /// After forwarding a signal to the launched command: when to give up waiting.
    deadline: Option<Instant>,
}

impl EventLoop {
    fn new(source: EbpfSource, pipeline: Pipeline) -> Self {
        Self {
            source,
            pipeline,
            output_closed: false,
            daemon: false,
            stats_every: None,
            ticker: Ticker::default(),
            tls_failed: HashSet::new(),
        }
    }

    /// Writes a stats record.
    fn write_stats(&mut self) -> Result<()> {
        if self.output_closed {
            return Ok(());
        }
        let (kernel_traced, kernel_inflight) = self.source.kernel_entries();
        let held = Held {
            kernel_traced,
            kernel_inflight,
            ..self.pipeline.held()
        };
        let lost = self.source.losses_so_far();
        let stats = self.ticker.record(self.source.records_read(), lost, held);
        match self
            .pipeline
            .stats(&stats)
            .and_then(|()| self.pipeline.flush())
        {
            Ok(()) => Ok(()),
            Err(SinkError::Closed(_)) => {
                self.output_closed = true;
                self.source.detach();
                Ok(())
            }
            Err(SinkError::Io(err)) => Err(err).context("failed to write the trace"),
        }
    }

    async fn run(mut self, tracees: Vec<Tracee>) -> Result<Outcome> {
        // SAFETY: the fd belongs to a map `self.source` owns; it outlives this local.
        let ring = unsafe { watch(Fd(self.source.ring_fd())) }
            .context("failed to poll the ring buffer")?;
        let log = match self.source.log_fd() {
            // SAFETY: as above.
            Some(fd) => Some(unsafe { watch(Fd(fd)) }.context("failed to poll the kernel log")?),
            None => None,
        };
        let mut state = State::default();
        let (exit_tx, mut exits) = mpsc::unbounded_channel();
        for tracee in tracees {
            state.live.insert(tracee.pid);
            if tracee.child {
                state.child = Some(tracee.pid);
            }
            let tx = exit_tx.clone();
            // SAFETY: the AsyncFd owns the pidfd.
            let pidfd = unsafe { watch(tracee.pidfd) }.context("failed to poll a pidfd")?;
            tokio::spawn(async move {
                // A pidfd becomes readable when its process exits.
                let _ = pidfd.readable().await;
                let _ = tx.send(tracee.pid);
            });
        }
        drop(exit_tx);
        let mut sigint = signal(SignalKind::interrupt()).context("failed to handle SIGINT")?;
        let mut sigterm = signal(SignalKind::terminate()).context("failed to handle SIGTERM")?;
        let mut sighup = signal(SignalKind::hangup()).context("failed to handle SIGHUP")?;
        // The kernel wakes us only when the ring fills up (see `EbpfSource::load`): records
        // written at a quieter pace are picked up on this timer.
        let mut tick = interval(POLL_INTERVAL);
        let mut ticks: u32 = 0;
        let mut hurry = false;
        let period = self.stats_every.unwrap_or(Duration::MAX / 4);
        let mut stats_tick = tokio::time::interval_at(Instant::now() + period, period);
        self.ticker.start();
        self.tls_rescan();
        while self.daemon || !state.live.is_empty() || !self.pipeline.live().is_empty() {
            tokio::select! {
                ready = ring.readable() => {
                    let mut guard = ready?;
                    self.drain()?;
                    guard.clear_ready();
                }
                Ok(mut guard) = async {
                    match &log {
                        Some(fd) => fd.readable().await,
                        None => std::future::pending().await,
                    }
                } => {
                    self.source.flush_log();
                    guard.clear_ready();
                }
                Some(pid) = exits.recv() => {
                    // Its last records are in the ring before its pidfd fires.
                    self.drain()?;
                    self.on_exit(pid, &mut state);
                }
                _ = sigint.recv() => hurry = self.on_signal(libc::SIGINT, &mut state),
                _ = sigterm.recv() => hurry = self.on_signal(libc::SIGTERM, &mut state),
                _ = sighup.recv() => {
                    // logrotate moved the file away: write on in a new one.
                    self.drain()?;
                    self.pipeline
                        .reopen()
                        .map_err(|e| anyhow::anyhow!("failed to reopen the output: {e}"))?;
                }
                _ = stats_tick.tick(), if self.stats_every.is_some() => {
                    self.drain()?;
                    self.write_stats()?;
                }
                _ = tick.tick() => {
                    self.drain()?;
                    self.tls_rescan();
                    ticks = ticks.wrapping_add(1);
                    if ticks.is_multiple_of(8) {
                        self.source.flush_log();
                        self.prune_gone();
                    }
                    if state.deadline.is_some_and(|d| Instant::now() >= d) {
                        break;
                    }
                }
            }
            if hurry || (state.interrupted.is_some() && state.child.is_none()) {
                break;
            }
            if self.output_closed && state.child.is_none() {
                break;
            }
        }
        self.finish(&state, hurry)?;
        Ok(outcome(&state))
    }

    fn drain(&mut self) -> Result<()> {
        if self.output_closed {
            self.source.drain(|_| {});
            return Ok(());
        }
        let mut failure: Option<SinkError> = None;
        let pipeline = &mut self.pipeline;
        self.source.drain(|event| {
            if failure.is_none()
                && let Err(err) = pipeline.handle(event)
            {
                failure = Some(err);
            }
        });
        let failure = failure.or_else(|| self.pipeline.flush().err());
        match failure {
            None => Ok(()),
            Some(SinkError::Closed(_)) => {
                // Nobody reads us any more: stop tracing; the tracees are untouched.
                self.output_closed = true;
                self.source.detach();
                Ok(())
            }
            Some(SinkError::Io(err)) => Err(err).context("failed to write the trace"),
        }
    }

    /// Followed processes whose exit record was lost would keep us waiting: drop the ones
    /// that no longer exist.
    fn prune_gone(&mut self) {
        let gone: Vec<u32> = self
            .pipeline
            .live()
            .iter()
            .copied()
            .filter(|&pid| kill(Pid::from_raw(pid as i32), None) == Err(nix::errno::Errno::ESRCH))
            .collect();
        for pid in gone {
            self.pipeline.forget(pid);
        }
    }

    fn on_exit(&mut self, pid: u32, state: &mut State) {
        state.live.remove(&pid);
        self.pipeline.forget(pid);
        if state.child == Some(pid) {
            state.child = None;
            state.child_status =
                waitpid(Pid::from_raw(pid as i32), Some(WaitPidFlag::WNOHANG)).ok();
        }
    }

    /// First signal: a launched command gets it too and a moment to exit; otherwise detach
    /// now. A second signal: stop at once. Returns true to stop at once.
    fn on_signal(&mut self, sig: i32, state: &mut State) -> bool {
        if state.interrupted.is_some() {
            return true;
        }
        state.interrupted = Some(sig);
        if let (Some(child), Ok(signal)) = (state.child, Signal::try_from(sig)) {
            let _ = kill(Pid::from_raw(child as i32), signal);
            state.deadline = Some(Instant::now() + CHILD_GRACE);
        }
        false
    }

    fn finish(&mut self, state: &State, hurry: bool) -> Result<()> {
        self.source.detach();
        if !hurry {
            self.drain()?;
        }
        let unreported = self.source.unreported_losses().unwrap_or(0);
        if unreported != 0 && !self.output_closed {
            let _ = self.pipeline.handle(RawEvent::Lost { count: unreported });
        }
        if !self.output_closed {
            let _ = self.pipeline.detached();
        }
        if self.stats_every.is_some() {
            // The last word on what was read, lost and left held.
            self.write_stats()?;
        }
        for pid in &state.live {
            self.pipeline
                .announce(format_args!("process {pid} detached"));
            if !self.output_closed {
                let _ = self.pipeline.json_process("detach", *pid);
            }
        }
        if !self.output_closed {
            let _ = self.pipeline.finish_summary();
            let _ = self.pipeline.flush();
        }
        self.source.flush_recording();
        let lost = self.source.lost_total();
        if lost != 0 {
            crate::note!(
                "tracer: lost {lost} events in total (ring buffer full); a larger --ring-size helps"
            );
        }
        if self.source.malformed() != 0 {
            crate::note!(
                "tracer: dropped {} malformed records",
                self.source.malformed()
            );
        }
        Ok(())
    }
}

fn outcome(state: &State) -> Outcome {
    match state.child_status {
        Some(WaitStatus::Exited(_, code)) => Outcome::Exit(code),
        Some(WaitStatus::Signaled(_, sig, _)) => Outcome::Signal(sig as i32),
        _ => match state.interrupted {
            Some(sig) => Outcome::Signal(sig),
            None => Outcome::Exit(0),
        },
    }
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
