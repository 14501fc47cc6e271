use std::process::ExitCode;

use tracer::{
    app::{self, Outcome},
    cli,
};

fn main() -> ExitCode {
    // Before anything else: a Ctrl-C while tracer starts is acted on once it can detach.
    tracer::target::signals::hold();
    tracer::outfile::guard_stdio();
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(err) => return err.report(),
    };
    if cli.version {
        print!("{}", tracer::cli::version::report());
        return ExitCode::SUCCESS;
    }
    match app::run(cli) {
        Ok(Outcome::Exit(code)) => ExitCode::from(code.clamp(0, 255) as u8),
        Ok(Outcome::Signal(sig)) => app::die_by_signal(sig),
        Err(err) => {
            if let Some(usage) = err.downcast_ref::<tracer::cli::UsageError>() {
                return usage.report();
            }
            tracer::note!("tracer: {err:#}");
            if err
                .downcast_ref::<tracer::error::PreflightError>()
                .is_some_and(tracer::error::PreflightError::wants_help)
            {
                tracer::note!("Try 'tracer -h' for more information.");
            }
            ExitCode::FAILURE
        }
    }
}
