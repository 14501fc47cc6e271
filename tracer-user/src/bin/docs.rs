//! `tracer-docs OUT_DIR`: writes tracer's man page (`tracer.1`) and its bash and zsh
//! completions (`tracer.bash`, `_tracer`), generated from the same clap definitions the
//! binary parses with, so they cannot drift from it. `cargo xtask package` runs it and ships
//! the files; it is not installed.

use std::{env, fs, path::PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use tracer::cli::Cli;

fn main() -> Result<()> {
    let out = PathBuf::from(
        env::args_os()
            .nth(1)
            .context("usage: tracer-docs OUT_DIR")?,
    );
    fs::create_dir_all(&out).with_context(|| format!("failed to create {}", out.display()))?;
    let cmd = Cli::command();
    let mut man = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut man)
        .context("failed to render the man page")?;
    let page = out.join("tracer.1");
    fs::write(&page, man).with_context(|| format!("failed to write {}", page.display()))?;
    for shell in [Shell::Bash, Shell::Zsh] {
        clap_complete::generate_to(shell, &mut cmd.clone(), "tracer", &out)
            .with_context(|| format!("failed to write the {shell} completions"))?;
    }
    Ok(())
}
