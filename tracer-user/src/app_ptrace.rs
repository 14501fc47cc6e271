//! Running with the ptrace backend (`--backend ptrace`, or auto when eBPF cannot load): the
//! same pipeline, fed synchronously from the ptrace loop.

use anyhow::{Context, Result};
use tracer_common::COMM_LEN;

use crate::{
    app::Outcome,
    capture::CaptureOptions,
    cli::Cli,
    launch,
    pipeline::{OutputOptions, Pipeline, Sinks},
    preflight::Target,
    source::ptrace::{End, PtraceSource},
    stats::Ticker,
};

pub fn run(
    cli: &Cli,
    targets: Vec<Target>,
    program: Option<std::path::PathBuf>,
    mut output: OutputOptions,
    sinks: Sinks,
    comms: &[[u8; COMM_LEN]],
    startup: &crate::startup::Startup,
) -> Result<Outcome> {
    let capture = CaptureOptions {
        strsize: cli.strsize,
        blocking_starts: output.shows_starts(),
        every_start: true,
        entry_times: output.needs_entry_times(),
        buf_limit: crate::capture::UNBOUNDED,
        sockets: output.fds == Some(crate::fdtable::Detail::Full),
        whole_buffers: output.dumps.any(),
    };
    let selection = output.kernel_selection();
    let mut source = PtraceSource::new(&capture, &selection, cli.follow > 0);
    source.set_strsize(cli.strsize);
    source.follow_names(comms);
    output.every_start = true;
    let mut pipeline = Pipeline::new(sinks, output).with_host(Box::new(crate::procfs::Procfs));
    let mut attached = Vec::new();
    for target in &targets {
        pipeline.start(target.tgid);
        source.attach(target.tgid)?;
        pipeline.announce(format_args!("process {} attached", target.tgid));
        attached.push(target.tgid);
        pipeline
            .json_process("attach", target.tgid)
            .context("failed to write the trace")?;
    }
    if let Some(program) = program {
        let filter = source.seccomp_filter();
        let fprog = filter.as_ref().map(|f| libc::sock_fprog {
            len: f.len() as u16,
            filter: f.as_ptr().cast_mut(),
        });
        if fprog.is_some() {
            source.use_seccomp();
        }
        let held = launch::spawn_held(&program, &cli.command, fprog.as_ref(), startup)?;
        pipeline.start_launched(held.pid);
        source.launch(held.pid)?;
        held.release_traced()?;
    }
    if !comms.is_empty() {
        crate::note!(
            "tracer: following processes named {} (found within a second with ptrace)",
            crate::app::comm_list(cli)
        );
    }
    let period = crate::app::stats_period(cli, !comms.is_empty());
    let mut ticker = Ticker::default();
    ticker.start();
    let mut last_stats = std::time::Instant::now();
    let events = std::cell::Cell::new(0u64);
    let end = {
        let pipeline = std::cell::RefCell::new(&mut pipeline);
        source.run(
            &mut |event| {
                events.set(events.get() + 1);
                pipeline.borrow_mut().handle(event)
            },
            &mut || {
                let mut p = pipeline.borrow_mut();
                if crate::source::ptrace::reopen_requested() {
                    p.flush()?;
                    p.reopen()?;
                }
                if period.is_some_and(|d| last_stats.elapsed() >= d) {
                    last_stats = std::time::Instant::now();
                    // ptrace loses nothing and keeps no kernel maps: those counts are 0.
                    let held = p.held();
                    p.stats(&ticker.record(events.get(), 0, held))?;
                }
                p.flush()
            },
        )?
    };
    if end != End::OutputClosed {
        let _ = pipeline.detached();
    }
    if period.is_some() && end != End::OutputClosed {
        let held = pipeline.held();
        let _ = pipeline.stats(&ticker.record(events.get(), 0, held));
    }
    if let End::Interrupted(_) = end {
        for pid in &attached {
            pipeline.announce(format_args!("process {pid} detached"));
            let _ = pipeline.json_process("detach", *pid);
        }
    }
    if end != End::OutputClosed {
        let _ = pipeline.finish_summary();
        let _ = pipeline.flush();
    }
    Ok(match end {
        End::Done(Some(status)) if libc::WIFSIGNALED(status) => {
            Outcome::Signal(libc::WTERMSIG(status))
        }
        End::Done(Some(status)) => Outcome::Exit(libc::WEXITSTATUS(status)),
        End::Done(None) | End::OutputClosed => Outcome::Exit(0),
        End::Interrupted(sig) => Outcome::Signal(sig),
    })
}
