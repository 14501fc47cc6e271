//! execve lines against real strace, with both backends, for execs whose strings the caller
//! never touched (tests/workloads/exec_strings.c): eBPF cannot fault a page in at sys_enter,
//! so a successful exec's path and argv come from the new image; a string nobody can read
//! prints as its address, as strace prints it, never as "".

mod common;
#[path = "support/normalize.rs"]
mod normalize;

use std::{fs, process::Command};

use common::*;

#[test]
fn root_execs_of_untouched_strings_print_as_strace_prints_them() {
    require_root();
    let dir = scratch("exec-strings");
    let bin = cc("exec_strings", &dir);
    let run = |program: &mut Command, out: &str| -> Vec<String> {
        let file = dir.join(out);
        let status = program
            .args(["-f", "-e", "trace=execve", "-o"])
            .arg(&file)
            .arg(&bin)
            .status()
            .expect("run the workload");
        assert!(status.success(), "{program:?} failed: {status}");
        normalize::file(&fs::read_to_string(&file).expect("trace"))
            .into_iter()
            .filter(|l| l.starts_with("execve("))
            .collect()
    };
    let strace = run(&mut Command::new("strace"), "strace.txt");
    assert_eq!(strace.len(), 5, "{strace:#?}");
    assert!(
        strace[1].contains(r#"["sh", "-c", "exit 3"]"#),
        "{strace:#?}"
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = tracer();
        t.arg(format!("--backend={backend}"));
        let ours = run(&mut t, &format!("{backend}.txt"));
        assert_eq!(ours, strace, "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}
