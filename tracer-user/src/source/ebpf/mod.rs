//! The eBPF source: loads the kernel programs, fills their tables, attaches them to the
//! raw_syscalls tracepoints, and reads records from the ring buffer (`run`: its event loop).

mod attach_state;
mod mappings;
mod priority;
mod refetch;
mod run;
mod tls_scan;
mod traceme;

use std::os::fd::{AsRawFd, RawFd};

use anyhow::{Context, Result, anyhow};
use aya::{
    Ebpf, EbpfLoader,
    maps::{Array, HashMap, MapData, ProgramArray, RingBuf},
    programs::UProbe,
};
use tracer_common::{
    COMM_LEN, Inflight, LossCounters, SyscallSpec, TLS_DATA_MAX, TRACED_WAIT_EXEC, TracedProc,
};

use crate::{
    event::RawEvent,
    filter::KernelSelection,
    source::{Downstream, Halt, btf, programs, tls, wire},
    spec::{self, CaptureOptions},
};

/// The compiled kernel programs, built by build.rs with the pinned nightly and bpf-linker.
pub(crate) static PROGRAMS: &[u8] =
    aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/tracer-ebpf"));

/// Tunables fixed at load time.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Ring buffer size in bytes: a power of two, at least one page.
    pub ring_size: u32,
    /// Kernel-side log level (aya-log), as `aya_log::Level as u8`.
    pub log_level: u8,
    /// `-f`: follow the children of traced processes.
    pub follow_forks: bool,
    pub capture: CaptureOptions,
    /// Which syscalls are recorded, and which outcomes.
    pub selection: KernelSelection,
    /// `--match`: only records containing these bytes.
    pub match_bytes: Option<Vec<u8>>,
    /// Watch the scheduler to account time spent off CPU in calls (`-c` without `-w`).
    pub off_cpu: bool,
    /// `-i`: records carry the task's instruction pointer (`FLAG_IP`).
    pub instruction_pointer: bool,
    /// `-b execve`: a process is untraced at its successful exec (`FLAG_DETACHED`).
    pub detach_on_exec: bool,
    /// `--bench-floor`: attach only the empty programs (see `FLOOR_PROGRAMS`).
    pub floor: bool,
    /// `--comm`, `--uid`, `--cgroup`, `--all`: which processes are picked up when they appear.
    pub watch: crate::target::watch::Watch,
    /// `--tls`: load the OpenSSL probes (attached with `attach_tls`: see `tls::TlsProbes`).
    pub tls: bool,
    /// `--nice`: the draining thread's niceness (see `priority`); None: the default raise.
    pub nice: Option<i32>,
}

pub struct EbpfSource {
    /// Owns the programs and their links; None once detached.
    ebpf: Option<Ebpf>,
    ring: RingBuf<MapData>,
    traced: HashMap<MapData, u32, TracedProc>,
    /// Per-thread enter state, only counted (`kernel_entries`).
    inflight: HashMap<MapData, u32, Inflight>,
    traced_bits: Array<MapData, u64>,
    /// `TRACED_FLAGGED`: set for a process whose `TRACED` flags are not 0.
    traced_flagged: Array<MapData, u64>,
    losses: Array<MapData, LossCounters>,
    logger: Option<aya_log::EbpfLogger<&'static dyn log::Log>>,
    /// The tail-call targets; kept so the array (and the programs' references) stay alive.
    _capture_progs: ProgramArray<MapData>,
    /// Losses already reported through records' `lost_before`.
    reported_lost: u64,
    records_read: u64,
    /// Records that failed the wire checks (a bug if ever non-zero).
    malformed: u64,
    /// Drops the events of processes the invoker may not read (None: may read all).
    guard: Option<(crate::target::privilege::Guard, Vec<u32>)>,
    /// The loaded programs to attach, and their tracepoints.
    attach: Vec<(&'static str, &'static str)>,
    /// `--tls`: the OpenSSL probes attached so far.
    tls: Option<tls::TlsProbes>,
    /// `--tls`: processes whose libssl could not be probed (said once, not retried).
    tls_failed: std::collections::HashSet<u32>,
    /// The processes tracing started with (`run` watches their ends).
    tracees: Vec<run::Tracee>,
    /// `--comm` and the like: processes may come at any time; run until interrupted.
    daemon: bool,
    /// `--nice`, applied when draining starts (`run`).
    nice: Option<i32>,
    /// `-b execve`: a process may leave tracing at its exec, before it exits.
    detach_on_exec: bool,
    /// `--comm` with whole names: run on even when every `-p` process ended before tracing.
    named: bool,
    /// The reader of our output left: tracing stopped, a launched command is still waited for.
    output_closed: bool,
    /// `-k`: the kernel's reports of the traced processes' code mappings.
    kernel_maps: Option<mappings::KernelMaps>,
    /// A failed call's capture that faulted, read again from the live process where sound.
    refetch: refetch::Refetch,
}

impl EbpfSource {
    /// Loads the programs and fills the capture table; nothing is attached yet.
    pub fn load(opts: LoadOptions) -> Result<Self> {
        let k = btf::kernel_offsets()?;
        let follow = u8::from(opts.follow_forks);
        // In a container: the namespace's pids (see `pidns`).
        let pidns = crate::target::pidns::own().unwrap_or((0, 0));
        let (match_len, (match_hash, match_pow)) = match &opts.match_bytes {
            Some(m) => (m.len() as u32, tracer_common::match_hash(m)),
            None => (0, (0, 0)),
        };
        let cgroup = opts.watch.cgroup.clone().unwrap_or_default();
        let mut ebpf = EbpfLoader::new()
            .map_max_entries("EVENTS", opts.ring_size)
            .map_max_entries("TRACED_BITS", pid_max() / 64 + 1)
            .map_max_entries("TRACED_FLAGGED", pid_max() / 64 + 1)
            .override_global("AYA_LOG_LEVEL", &opts.log_level, false)
            .override_global("FOLLOW_FORKS", &follow, true)
            .override_global("WATCH", &opts.watch.bits(), true)
            .override_global("COMM_PREFIX_LENS", &opts.watch.prefix_lens(), true)
            .override_global("WATCH_UID_VALUE", &opts.watch.uid.unwrap_or(0), true)
            .override_global("WATCH_CGROUP_ID", &cgroup.id, true)
            .override_global("WATCH_CGROUP_LEVEL", &cgroup.level, true)
            .override_global("SELF_TGID", &std::process::id(), true)
            .override_global("STATUS_FILTER", &opts.selection.status_drop, true)
            .override_global("MIN_DURATION_NS", &opts.selection.min_duration, true)
            .override_global("STACK_TRACES", &u8::from(opts.selection.stack_traces), true)
            .override_global("WAKEUP_BYTES", &wakeup_bytes(opts.ring_size), true)
            .override_global("MATCH_LEN", &match_len, true)
            .override_global("WANT_IP", &u8::from(opts.instruction_pointer), true)
            .override_global("DETACH_ON_EXEC", &u8::from(opts.detach_on_exec), true)
            .override_global("MATCH_HASH", &match_hash, true)
            .override_global("MATCH_POW", &match_pow, true)
            .override_global("TASK_PID_OFF", &k.pid, true)
            .override_global("TASK_TGID_OFF", &k.tgid, true)
            .override_global("TASK_EXIT_CODE_OFF", &k.exit_code, true)
            .override_global("TASK_FILES_OFF", &k.files, true)
            .override_global("TASK_FS_OFF", &k.fs, true)
            .override_global("FILES_FDT_OFF", &k.fdt, true)
            .override_global("FDT_MAX_FDS_OFF", &k.max_fds, true)
            .override_global("FDT_FD_OFF", &k.fd, true)
            .override_global("FILE_INODE_OFF", &k.f_inode, true)
            .override_global("INODE_INO_OFF", &k.i_ino, true)
            .override_global("TASK_THREAD_PID_OFF", &k.thread_pid, true)
            .override_global("TASK_GROUP_LEADER_OFF", &k.group_leader, true)
            .override_global("PID_LEVEL_OFF", &k.pid_level, true)
            .override_global("PID_NUMBERS_OFF", &k.pid_numbers, true)
            .override_global("PIDNS_NS_OFF", &k.pidns_ns, true)
            .override_global("NS_INUM_OFF", &k.ns_inum, true)
            .override_global("TASK_SIGNAL_OFF", &k.signal, true)
            .override_global("TASK_PENDING_SET_OFF", &k.pending_set, true)
            .override_global("SIGNAL_EXIT_CODE_OFF", &k.group_exit_code, true)
            .override_global("SIGNAL_EXEC_TASK_OFF", &k.group_exec_task, true)
            .override_global("TASK_STACK_OFF", &k.stack, true)
            .override_global("PIDNS_DEV", &pidns.0, true)
            .override_global("PIDNS_INO", &pidns.1, true)
            .override_global("SOCK_OFFSETS", &k.sock, true)
            .override_global("MM_OFFSETS", &k.mm, true)
            .override_global("TLS_ON", &u8::from(opts.tls), true)
            .override_global(
                "TLS_CAP",
                &(opts.capture.strsize.min(TLS_DATA_MAX) as u32),
                true,
            )
            .load(PROGRAMS)
            .context("failed to load the eBPF object")?;
        let logger = aya_log::EbpfLogger::init(&mut ebpf).ok();
        let mut specs: Array<MapData, SyscallSpec> = take_map(&mut ebpf, "SPECS")?;
        let specs_used: Vec<_> = spec::selected_specs(&opts.capture, &opts.selection).collect();
        for &(nr, spec) in &specs_used {
            specs
                .set(nr, &spec, 0)
                .with_context(|| format!("failed to fill map SPECS at syscall {nr}"))?;
        }
        let ring = take_map(&mut ebpf, "EVENTS")?;
        let traced = take_map(&mut ebpf, "TRACED")?;
        let inflight = take_map(&mut ebpf, "INFLIGHT")?;
        // Kept open until the programs that use them are loaded.
        let mut name_maps = Vec::new();
        for (map, keys) in [
            ("COMMS", opts.watch.names.clone()),
            ("COMM_PREFIXES", opts.watch.prefix_keys().collect()),
        ] {
            let mut names: HashMap<MapData, [u8; COMM_LEN], u8> = take_map(&mut ebpf, map)?;
            for key in &keys {
                names
                    .insert(key, &1, 0)
                    .with_context(|| format!("failed to fill map {map}"))?;
            }
            name_maps.push(names);
        }
        let traced_bits = take_map(&mut ebpf, "TRACED_BITS")?;
        let traced_flagged = take_map(&mut ebpf, "TRACED_FLAGGED")?;
        let losses = take_map(&mut ebpf, "LOSSES")?;
        let plan = programs::Plan::new(
            programs::Needs {
                off_cpu: opts.off_cpu,
                comms: opts.watch.active(),
                match_bytes: match_len != 0,
                floor: opts.floor,
            },
            &specs_used,
        );
        let started = std::time::Instant::now();
        let times = programs::load(&mut ebpf, &plan)?;
        log::debug!(
            "loaded {} eBPF programs in {} ms (slowest: {})",
            times.len(),
            started.elapsed().as_millis(),
            times
                .iter()
                .take(3)
                .map(|(n, t)| format!("{n} {} ms", t.as_millis()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if opts.tls {
            for name in tls::PROGRAMS {
                let prog: &mut UProbe = ebpf
                    .program_mut(name)
                    .ok_or_else(|| anyhow!("eBPF program {name} is missing from the object"))?
                    .try_into()
                    .with_context(|| format!("eBPF program {name} is not a uprobe"))?;
                prog.load()
                    .with_context(|| format!("failed to load eBPF program {name}"))?;
            }
        }
        let mut capture_progs: ProgramArray<MapData> = take_map(&mut ebpf, "CAPTURE_PROGS")?;
        for (index, name) in &plan.capture {
            let prog = programs::raw_tracepoint(&mut ebpf, name)?;
            let fd = prog
                .fd()
                .with_context(|| format!("eBPF program {name} has no fd"))?;
            capture_progs
                .set(*index, fd, 0)
                .with_context(|| format!("failed to put {name} in map CAPTURE_PROGS"))?;
        }
        drop(name_maps);
        Ok(Self {
            refetch: refetch::Refetch::new(&specs_used, opts.capture.strsize),
            ebpf: Some(ebpf),
            ring,
            traced,
            inflight,
            traced_bits,
            traced_flagged,
            losses,
            logger,
            _capture_progs: capture_progs,
            reported_lost: 0,
            records_read: 0,
            malformed: 0,
            guard: None,
            attach: plan.attach,
            // Per file for every process where traced processes may start at any moment.
            tls: opts
                .tls
                .then(|| tls::TlsProbes::new(opts.follow_forks || opts.watch.active())),
            tls_failed: Default::default(),
            tracees: Vec::new(),
            daemon: opts.watch.active(),
            nice: opts.nice,
            detach_on_exec: opts.detach_on_exec,
            named: false,
            output_closed: false,
            kernel_maps: opts
                .selection
                .stack_traces
                .then(|| mappings::KernelMaps::new(opts.follow_forks)),
        })
    }

    /// Attaches both programs to their tracepoints; events flow from now on for traced pids.
    pub fn attach(&mut self) -> Result<()> {
        let ebpf = self
            .ebpf
            .as_mut()
            .context("eBPF programs already detached")?;
        for &(name, tracepoint) in &self.attach {
            programs::raw_tracepoint(ebpf, name)?
                .attach(tracepoint)
                .with_context(|| {
                    format!("failed to attach {name} to raw tracepoint {tracepoint}")
                })?;
        }
        Ok(())
    }

    /// `--tls`: attaches the OpenSSL probes to process `tgid`'s libssl (see
    /// `TlsProbes::attach`); returns the library's path when the process is first seen mapping
    /// it.
    pub fn attach_tls(&mut self, tgid: u32) -> Result<Option<std::path::PathBuf>> {
        match (self.tls.as_mut(), self.ebpf.as_mut()) {
            (Some(probes), Some(ebpf)) => probes.attach(ebpf, tgid),
            _ => Ok(None),
        }
    }

    /// `--tls`: removes the probes of processes not in `live` (gone or no longer traced).
    pub fn prune_tls(&mut self, live: &std::collections::HashSet<u32>) {
        if let (Some(probes), Some(ebpf)) = (self.tls.as_mut(), self.ebpf.as_mut()) {
            for tgid in probes.processes() {
                if !live.contains(&tgid) {
                    probes.detach(ebpf, tgid);
                }
            }
        }
    }

    /// Whether `--tls` is on.
    pub fn tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Detaches the programs (dropping their links). Records already in the ring buffer stay
    /// readable; the traced processes are not affected at all.
    pub fn detach(&mut self) {
        self.ebpf = None;
    }

    /// Starts tracing process `tgid`. With `wait_exec`, events begin at its next execve.
    /// Call it before `attach`: the bit is set with a plain read-modify-write, which would race
    /// with the fork program setting a child's bit in the same word.
    pub fn trace(&mut self, tgid: u32, wait_exec: bool) -> Result<()> {
        let flags = if wait_exec { TRACED_WAIT_EXEC } else { 0 };
        if flags != 0 {
            // The programs read a traced process's flags only where this bit is set.
            set_bit(&mut self.traced_flagged, tgid, true)
                .with_context(|| format!("failed to mark pid {tgid} in map TRACED_FLAGGED"))?;
        }
        self.traced
            .insert(&tgid, &TracedProc { flags, _pad0: 0 }, 0)
            .with_context(|| format!("failed to add pid {tgid} to map TRACED"))?;
        set_bit(&mut self.traced_bits, tgid, true)
            .with_context(|| format!("failed to mark pid {tgid} in map TRACED_BITS"))
    }

    /// `-k`: the kernel reports the code mappings of process `tgid` from now on (of its
    /// children too with `-f`). `launched`: a command held before its exec, followed from
    /// its start, so its mappings need never be read from `/proc` (which may already show a
    /// later state, or be gone). Without the reports, stacks are named from `/proc` alone.
    pub fn follow_maps(&mut self, tgid: u32, launched: bool, down: &mut dyn Downstream) {
        let Some(k) = self.kernel_maps.as_mut() else {
            return;
        };
        match k.follow(tgid) {
            Ok(()) if launched => down.mapped(crate::event::MapEvent {
                ts: 0,
                tgid,
                change: crate::event::MapChange::Followed,
            }),
            Ok(()) => {}
            Err(err) => log::warn!("-k: the mappings of process {tgid} are not reported: {err}"),
        }
    }

    /// `-k`: hands over the mapping changes the kernel reported so far.
    fn read_maps(&mut self, down: &mut dyn Downstream) {
        if let Some(k) = self.kernel_maps.as_mut() {
            k.read(&mut |e| down.mapped(e));
        }
    }

    /// Whether `tgid` is still registered. The exit program removes a process when its last
    /// thread exits: one that is gone but still registered ended before the programs ran.
    pub fn registered(&self, tgid: u32) -> bool {
        self.traced.get(&tgid, 0).is_ok()
    }

    /// The ring buffer's fd, for readiness polling.
    pub fn ring_fd(&self) -> RawFd {
        self.ring.as_raw_fd()
    }

    /// The aya-log ring buffer's fd, if the object logs.
    pub fn log_fd(&self) -> Option<RawFd> {
        self.logger.as_ref().map(|l| l.as_raw_fd())
    }

    /// Prints pending kernel-side log records (through the `log` crate).
    pub fn flush_log(&mut self) {
        if let Some(logger) = self.logger.as_mut() {
            logger.flush();
        }
    }

    /// Checks every process that execs (or is adopted by name) against ptrace's rule for
    /// `invoker`, and stops tracing the ones it refuses (see `privilege::Guard`). The kernel
    /// selection must keep the execs (`SyscallDef::is_exec`): after them a process may hold
    /// new privileges.
    pub fn guard(&mut self, invoker: crate::target::privilege::Invoker) {
        let nrs = crate::tables::all()
            .iter()
            .filter(|d| d.is_exec())
            .map(|d| d.nr)
            .collect();
        self.guard = Some((crate::target::privilege::Guard::new(invoker), nrs));
    }

    /// Stops tracing process `tgid` (its children forked from now on are not traced either).
    pub fn untrace(&mut self, tgid: u32) {
        // The bit first: the programs take a set bit (with no TRACED_FLAGGED bit) as traced.
        let _ = set_bit(&mut self.traced_bits, tgid, false);
        let _ = self.traced.remove(&tgid);
    }

    /// `--comm` with whole names: tracing goes on for processes still to come even when every
    /// `-p` process ended before it began.
    pub fn wait_for_names(&mut self, named: bool) {
        self.named = named;
    }

    /// Hands the records in the ring buffer to `down`, in order, without blocking, up to the
    /// first one written after `until` (CLOCK_MONOTONIC ns) and until `deadline`: a producer
    /// faster than us must not keep us here, away from signals, exits and stats ticks. Loss
    /// markers come out where the losses happened. After a halt the rest is still handed over
    /// (for the recording). Returns the first halt, and whether records were left for the next
    /// read.
    fn read_ring(
        &mut self,
        down: &mut dyn Downstream,
        until: u64,
        deadline: std::time::Instant,
    ) -> (Option<Halt>, bool) {
        let mut halt = None;
        let mut more = false;
        let mut refused = Vec::new();
        let mut emit = |down: &mut dyn Downstream, event: RawEvent, wire: Option<&[u8]>| {
            if let Err(h) = down.event(event, wire)
                && halt.is_none()
            {
                halt = Some(h);
            }
        };
        // A record is read whole once taken: the bounds stop before the next one.
        while !more && let Some(item) = self.ring.next() {
            self.records_read += 1;
            // The clock is read every 64 records: cheap, and well inside the turn.
            if self.records_read.is_multiple_of(64) && std::time::Instant::now() >= deadline {
                more = true;
            }
            let parsed = wire::parse_record(&item);
            if let (Ok(parsed), Some((guard, nrs))) = (&parsed, self.guard.as_mut()) {
                let keep = match guard.check(&parsed.event, nrs) {
                    crate::target::privilege::Verdict::Pass => true,
                    crate::target::privilege::Verdict::Drop => false,
                    crate::target::privilege::Verdict::Refuse { tgid, refusal } => {
                        crate::note!("tracer: not traced from here on: {refusal}");
                        refused.push(tgid);
                        // A refused fork or adoption never reaches the trace: no `process N
                        // attached` for a process that is not traced. (An exec that gains
                        // privileges still shows as the child's last call.)
                        !matches!(parsed.event, RawEvent::Fork(_) | RawEvent::Adopt { .. })
                    }
                };
                if !keep {
                    // The event goes (unrecorded too); a loss before it is still told.
                    if parsed.lost_before != 0 {
                        let count = u64::from(parsed.lost_before);
                        self.reported_lost += count;
                        emit(down, RawEvent::Lost { count }, None);
                    }
                    continue;
                }
            }
            match parsed {
                Ok(mut parsed) => {
                    self.refetch.mend(&mut parsed.event);
                    if parsed.lost_before != 0 {
                        let count = u64::from(parsed.lost_before);
                        self.reported_lost += count;
                        emit(down, RawEvent::Lost { count }, None);
                    }
                    let later = parsed.event.written_at().is_some_and(|t| t > until);
                    // Written after the mappings were read: a mapping made just before it
                    // (the first call's stack after the dynamic loader mapped libc) is read
                    // now, before it, or its frames would be named without it.
                    if later && let Some(k) = self.kernel_maps.as_mut() {
                        k.read(&mut |e| down.mapped(e));
                    }
                    emit(down, parsed.event, Some(&item));
                    more |= later;
                }
                Err(err) => {
                    down.malformed(&item);
                    self.malformed += 1;
                    log::warn!("dropping a malformed ring-buffer record: {err}");
                    log::debug!(
                        "malformed record bytes: {:02x?}",
                        &item[..item.len().min(512)]
                    );
                }
            }
        }
        for tgid in refused {
            self.untrace(tgid);
        }
        (halt, more)
    }

    /// Events the kernel could not write so far, reported in the stream or not yet.
    fn losses_so_far(&self) -> u64 {
        let total = self.losses.get(&0, 0).map_or(0, |c| c.total);
        total.max(self.reported_lost)
    }

    /// Losses the kernel counted that no record has reported yet (losses after the last record
    /// written). Marks them reported.
    fn take_unreported_losses(&mut self) -> Result<u64> {
        let total = self
            .losses
            .get(&0, 0)
            .context("failed to read map LOSSES")?
            .total;
        let unreported = total.saturating_sub(self.reported_lost);
        self.reported_lost += unreported;
        Ok(unreported)
    }
}

/// The highest pid the kernel hands out, plus one (`kernel.pid_max`; at most 2^22 on 64-bit).
fn pid_max() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1 << 22)
        .min(1 << 22)
}

/// Unread bytes from which the kernel wakes us at once: an eighth of the ring, so a burst is
/// read long before the ring fills while the poll timer (`POLL_INTERVAL`) picks up the rest.
fn wakeup_bytes(ring_size: u32) -> u64 {
    u64::from(ring_size / 8)
}

fn take_map<M>(ebpf: &mut Ebpf, name: &str) -> Result<M>
where
    M: TryFrom<aya::maps::Map, Error = aya::maps::MapError>,
{
    let map = ebpf
        .take_map(name)
        .ok_or_else(|| anyhow!("map {name} is missing from the eBPF object"))?;
    M::try_from(map).with_context(|| format!("map {name} has an unexpected type"))
}

/// Sets or clears `tgid`'s bit in a per-pid bitmap map (`TRACED_BITS`, `TRACED_FLAGGED`) with
/// a plain read-modify-write.
fn set_bit(bits: &mut Array<MapData, u64>, tgid: u32, on: bool) -> Result<(), aya::maps::MapError> {
    let word = bits.get(&(tgid / 64), 0).unwrap_or(0);
    let bit = 1 << (tgid % 64);
    bits.set(tgid / 64, &(if on { word | bit } else { word & !bit }), 0)
}
