//! Which kernel programs a run needs, and loading them. The verifier's time is most of
//! tracer's start-up (the capture programs that loop over user memory take hundreds of
//! milliseconds each), so only the programs the options need are loaded, all at once on as
//! many threads: the kernel verifies each in the thread that loads it.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use aya::{
    Ebpf,
    programs::{Program, RawTracePoint},
};
use tracer_common::{CAPTURE_PROGRAMS, PROG_MATCH, PROG_STEP, SPEC_TRACED, SyscallSpec};

/// The programs attached to the raw tracepoint of the same name, and when each is needed, in
/// the order they are attached: `sys_enter` last, so that once a process's first call is
/// recorded, its forks and its exit are too (a process that exits during the attach is
/// reported either fully or as gone, never half).
const TRACEPOINT_PROGRAMS: [(&str, Need); 8] = [
    ("sched_process_exit", Need::Always),
    ("sched_process_fork", Need::Always),
    ("sched_process_exec", Need::Comms),
    ("sched_switch", Need::OffCpu),
    ("signal_generate", Need::Always),
    ("signal_deliver", Need::Always),
    ("sys_exit", Need::Always),
    ("sys_enter", Need::Always),
];

/// Empty programs and the tracepoints they stand in for, for `--bench-floor`.
pub const FLOOR_PROGRAMS: [(&str, &str); 2] =
    [("floor_enter", "sys_enter"), ("floor_exit", "sys_exit")];

/// When a tracepoint program is needed.
#[derive(Debug, Clone, Copy)]
enum Need {
    Always,
    /// `-c` without `-w`: time off CPU inside calls (it runs at every context switch).
    OffCpu,
    /// `--comm`: processes picked up by name when they exec.
    Comms,
}

/// What the options ask of the kernel side.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub off_cpu: bool,
    pub comms: bool,
    pub match_bytes: bool,
    /// `--bench-floor`: only the empty programs.
    pub floor: bool,
}

/// The programs to load: (name, the tracepoint to attach it to, or its `CAPTURE_PROGS` index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub attach: Vec<(&'static str, &'static str)>,
    pub capture: Vec<(u32, &'static str)>,
}

impl Plan {
    /// The programs `needs` and the selected `specs` call for: a looping capture program only
    /// when a traced syscall has an argument of its kind.
    pub fn new(needs: Needs, specs: &[(u32, SyscallSpec)]) -> Self {
        if needs.floor {
            return Self {
                attach: FLOOR_PROGRAMS.to_vec(),
                capture: Vec::new(),
            };
        }
        let attach = TRACEPOINT_PROGRAMS
            .iter()
            .filter(|(_, need)| match need {
                Need::Always => true,
                Need::OffCpu => needs.off_cpu,
                Need::Comms => needs.comms,
            })
            .map(|(name, _)| (*name, *name))
            .collect();
        let heavy: Vec<u32> = specs
            .iter()
            .filter(|(_, spec)| spec.flags & SPEC_TRACED != 0)
            .flat_map(|(_, spec)| spec.args.iter())
            .filter_map(|arg| tracer_common::heavy_program(arg.kind))
            .collect();
        let capture = CAPTURE_PROGRAMS
            .into_iter()
            .filter(|(index, _)| match *index {
                PROG_STEP => true,
                PROG_MATCH => needs.match_bytes,
                i => heavy.contains(&i),
            })
            .collect();
        Self { attach, capture }
    }

    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        let capture = self.capture.iter().map(|(_, n)| *n);
        self.attach.iter().map(|(n, _)| *n).chain(capture)
    }
}

/// Loads (verifies) every program of `plan`, each on its own thread; returns how long each
/// took, slowest first.
pub fn load(ebpf: &mut Ebpf, plan: &Plan) -> Result<Vec<(&'static str, Duration)>> {
    let wanted: Vec<&'static str> = plan.names().collect();
    let mut programs: Vec<(&'static str, &mut Program)> = Vec::new();
    for (name, program) in ebpf.programs_mut() {
        if let Some(n) = wanted.iter().find(|w| **w == name) {
            programs.push((n, program));
        }
    }
    if let Some(missing) = wanted
        .iter()
        .find(|w| !programs.iter().any(|(n, _)| n == *w))
    {
        return Err(anyhow!("eBPF program {missing} is missing from the object"));
    }
    let mut times = std::thread::scope(|scope| {
        let running: Vec<_> = programs
            .into_iter()
            .map(|(name, program)| scope.spawn(move || load_one(name, program)))
            .collect();
        running
            .into_iter()
            .map(|t| t.join().map_err(|_| anyhow!("a program loader panicked"))?)
            .collect::<Result<Vec<_>>>()
    })?;
    times.sort_by_key(|t| std::cmp::Reverse(t.1));
    Ok(times)
}

fn load_one(name: &'static str, program: &mut Program) -> Result<(&'static str, Duration)> {
    let start = Instant::now();
    let prog: &mut RawTracePoint = program
        .try_into()
        .with_context(|| format!("eBPF program {name} is not a raw tracepoint"))?;
    prog.load()
        .with_context(|| format!("failed to load eBPF program {name}"))?;
    let took = start.elapsed();
    let verified = prog
        .info()
        .ok()
        .and_then(|i| i.verified_instruction_count())
        .unwrap_or(0);
    log::debug!(
        "loaded eBPF program {name} in {} ms ({verified} instructions verified)",
        took.as_millis()
    );
    Ok((name, took))
}

/// The loaded program `name` as a raw tracepoint.
pub fn raw_tracepoint<'a>(ebpf: &'a mut Ebpf, name: &str) -> Result<&'a mut RawTracePoint> {
    ebpf.program_mut(name)
        .ok_or_else(|| anyhow!("eBPF program {name} is missing"))?
        .try_into()
        .with_context(|| format!("eBPF program {name} is not a raw tracepoint"))
}

#[cfg(test)]
mod tests {
    use tracer_common::{ArgCapture, CAP_IOVEC, PROG_IOVEC, SyscallSpec};

    use super::*;

    fn spec(kind: u8, traced: bool) -> SyscallSpec {
        let mut spec = SyscallSpec {
            flags: if traced { SPEC_TRACED } else { 0 },
            ..SyscallSpec::default()
        };
        spec.args[1] = ArgCapture {
            kind,
            ..ArgCapture::default()
        };
        spec
    }

    #[test]
    fn looping_captures_only_for_traced_calls_that_need_them() {
        let plan = Plan::new(Needs::default(), &[(20, spec(CAP_IOVEC, false))]);
        assert_eq!(plan.capture, vec![(PROG_STEP, "capture_step")]);
        let plan = Plan::new(Needs::default(), &[(20, spec(CAP_IOVEC, true))]);
        assert!(plan.capture.contains(&(PROG_IOVEC, "capture_iovec")));
        assert!(!plan.attach.iter().any(|(n, _)| *n == "sched_switch"));
    }

    #[test]
    fn options_add_their_programs() {
        let needs = Needs {
            off_cpu: true,
            comms: true,
            match_bytes: true,
            floor: false,
        };
        let plan = Plan::new(needs, &[]);
        let names: Vec<_> = plan.names().collect();
        for name in [
            "sched_switch",
            "sched_process_exec",
            "match_scan",
            "sys_enter",
        ] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        let floor = Plan::new(
            Needs {
                floor: true,
                ..Needs::default()
            },
            &[],
        );
        assert_eq!(
            floor.names().collect::<Vec<_>>(),
            ["floor_enter", "floor_exit"]
        );
    }
}
