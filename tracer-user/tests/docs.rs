//! The man page and completions are generated from the clap definitions (`tracer-docs`, run
//! by `cargo xtask docs` and `cargo xtask package`): every option the command line takes is
//! in them, under strace's help groups, and the bash completions parse.

use std::{fs, process::Command};

#[test]
fn man_page_and_completions_list_every_option() {
    let dir = std::env::temp_dir().join(format!("tracer-docs-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_tracer-docs"))
        .arg(&dir)
        .status()
        .expect("run tracer-docs");
    assert!(status.success());
    let read = |name: &str| fs::read_to_string(dir.join(name)).expect(name);
    let (man, bash, zsh) = (read("tracer.1"), read("tracer.bash"), read("_tracer"));
    let cmd = tracer::cli::command();
    let visible = cmd.get_arguments().filter(|a| !a.is_hide_set());
    let mut longs = 0;
    for arg in visible {
        if let Some(long) = arg.get_long() {
            longs += 1;
            // roff escapes the dashes in the man page.
            let roff = format!("\\-\\-{}", long.replace('-', "\\-"));
            assert!(man.contains(&roff), "man: --{long}");
            assert!(bash.contains(&format!("--{long}")), "bash: --{long}");
            assert!(zsh.contains(&format!("--{long}")), "zsh: --{long}");
        }
        if let Some(short) = arg.get_short() {
            assert!(man.contains(&format!("\\-{short}")), "man: -{short}");
            assert!(zsh.contains(&format!("-{short}")), "zsh: -{short}");
        }
    }
    assert!(longs >= 60, "{longs} long options");
    // strace's help groups are the man page's sections.
    for section in [
        "GENERAL",
        "STARTUP",
        "TRACING",
        "FILTERING",
        "OUTPUT FORMAT",
        "STATISTICS",
    ] {
        let plain = format!(".SH {section}\n");
        let quoted = format!(".SH \"{section}\"\n");
        assert!(man.contains(&plain) || man.contains(&quoted), "{section}");
    }
    let status = Command::new("bash")
        .arg("-n")
        .arg(dir.join("tracer.bash"))
        .status();
    assert!(
        status.expect("bash").success(),
        "bash completions do not parse"
    );
    assert!(zsh.starts_with("#compdef tracer"));
    let _ = fs::remove_dir_all(&dir);
}
