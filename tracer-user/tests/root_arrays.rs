//! Arrays as strace 6.1's print_array prints them (tests/workloads/arrays.c), both backends:
//! an array whose tail is unreadable prints the elements read, then `... /* 0xADDR */` at
//! the first unreadable one (iovecs of writev/pwritev/readv/sendmsg/process_vm_readv,
//! pollfds, gids, a node mask, sembufs), an unreadable first element prints the address, and
//! `-s` caps every array at that many entries (an unreadable one at index `-s` still shows),
//! unless `-v` or `-e abbrev=` leaves the call whole. And injection as strace prints it
//! (tests/workloads/inject_values.c, ptrace): `retval=-1` as an unsigned success, arguments
//! poked with `poke_enter=`/`poke_exit=` (`(INJECTED: args)`), bad poke forms refused with
//! strace's message.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::{process::Command, sync::LazyLock};

use decoders::*;
use regex::Regex;

/// What differs between two runs: the semaphore set's id (a kernel counter), the process's
/// pid, the program's data addresses (PIE), and the padding before ` = ` they move.
static RUN_IDS: LazyLock<[(Regex, &str); 4]> = LazyLock::new(|| {
    [
        (r"semop\(\d+,", "semop(ID,"),
        (r"process_vm_readv\(\d+,", "process_vm_readv(PID,"),
        (r"0x5[56][0-9a-f]{10}", "0xDATA"),
        (r"\) +=", ") ="),
    ]
    .map(|(re, to)| (Regex::new(re).expect("regex"), to))
});

/// The calls of the unreadable tails and of the arrays longer than `-s`.
const CALLS: &str = "writev,pwritev,sendmsg,readv,process_vm_readv,poll,ppoll,setgroups,set_mempolicy,semop,pipe2,socketpair";

fn masked(text: &str) -> String {
    replaced(text, &*RUN_IDS)
}

#[test]
fn root_unreadable_tails_as_strace() {
    common::require_root();
    masked_as_strace(&[], "arrays", CALLS, masked, false);
}

/// `-s 2`: two entries of each array, and an unreadable third still shown as such; 40
/// one-byte iovecs each printed whole (`"a"`), not cut by a share of `-s`.
#[test]
fn root_arrays_cut_at_s_as_strace() {
    common::require_root();
    let calls = format!("{CALLS},pwritev2");
    masked_as_strace(&["-s", "2"], "arrays", &calls, masked, false);
}

/// `-s 1` with `-e abbrev=` naming the fd pairs' calls: `[4, ...]` for them, every other
/// array whole.
#[test]
fn root_arrays_abbrev_set_as_strace() {
    common::require_root();
    let options = ["-s", "1", "-e", "abbrev=pipe2,socketpair,poll"];
    masked_as_strace(&options, "arrays", CALLS, masked, false);
}

/// strace's and tracer's (ptrace) lines for inject_values.c run with `options`.
fn injected_as_strace(options: &[&str], calls: &str) -> String {
    common::require_root();
    let dir = build("inject_values", &format!("{options:?}{calls}"));
    let theirs = trace(
        Command::new("strace"),
        options,
        &dir,
        "inject_values",
        calls,
    );
    let mut tracer = common::tracer();
    tracer.arg("--backend=ptrace");
    let ours = trace(tracer, options, &dir, "inject_values", calls);
    assert_eq!(ours, theirs, "{options:?}");
    let _ = std::fs::remove_dir_all(&dir);
    ours
}

/// `retval=-1` is a success strace prints unsigned (`= 18446744073709551615 (INJECTED)`);
/// an fd, a pid, a mode keep their own form (`-1`, `01777777777777777777777`).
#[test]
fn root_injected_minus_one_as_strace() {
    let calls = "chdir,lseek,getppid,umask,dup";
    let inject = format!("inject={calls}:retval=-1");
    let ours = injected_as_strace(&["-e", &inject], calls);
    assert!(
        ours.contains("= 18446744073709551615 (INJECTED)\n"),
        "{ours}"
    );
}

/// `poke_enter=`/`poke_exit=`: the bytes are where the call and its decoding find them
/// (strace's poke-sendfile test), `(INJECTED: args)`, `(INJECTED: args, retval)` with an
/// injected error.
#[test]
fn root_poked_arguments_as_strace() {
    let options = [
        "-e",
        "inject=sendfile:poke_enter=@arg3=0000000000000000:poke_exit=@arg3=ffffffffffffffff",
        "-e",
        "inject=write:poke_enter=@arg2=5859:error=EIO:when=2",
    ];
    let ours = injected_as_strace(&options, "sendfile,write");
    assert!(
        ours.contains("[0] => [18446744073709551615], 10) = 10 (INJECTED: args)"),
        "{ours}"
    );
}

/// A poke that cannot be written (argument 1 of write is an fd, not an address): strace's
/// message on stderr, once per call, and the call as made (no `(INJECTED: args)`).
#[test]
fn root_unwritable_poke_said_as_strace() {
    common::require_root();
    let dir = build("inject_values", "unwritable");
    let run = |mut cmd: Command| {
        let out = cmd
            .args([
                "-e",
                "trace=write",
                "-e",
                "inject=write:poke_enter=@arg1=00",
                "-o",
            ])
            .arg(dir.join("trace"))
            .arg(dir.join("inject_values"))
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let pid = Regex::new(r"process \d+").expect("regex");
        let err = pid
            .replace_all(&err, "process PID")
            .replacen("tracer:", "strace:", 2);
        let trace = std::fs::read_to_string(dir.join("trace")).expect("trace");
        (err, trace)
    };
    let mut ours = common::tracer();
    ours.arg("--backend=ptrace");
    let (ours, theirs) = (run(ours), run(Command::new("strace")));
    assert_eq!(ours, theirs);
    assert!(theirs.0.contains("couldn't poke"), "{theirs:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad `poke_enter=`/`poke_exit=` forms get strace's message; `fault=` takes none.
#[test]
fn root_bad_pokes_refused_as_strace() {
    common::require_root();
    for bad in [
        "inject=write:poke_enter=@arg0=00",
        "inject=write:poke_enter=@arg8=00",
        "inject=write:poke_enter=@arg1=0",
        "inject=write:poke_enter=@arg1=zz",
        "inject=write:poke_enter=arg1=00",
        "inject=write:poke_exit=",
        "inject=write:poke_exit=@arg1=00:poke_exit=@arg2=00",
        "fault=write:poke_enter=@arg1=00",
    ] {
        let first = |mut cmd: Command| {
            let out = cmd.args(["-e", bad, "true"]).output().expect("run");
            assert_eq!(out.status.code(), Some(1), "{bad}");
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            err.lines().next().unwrap_or_default().to_string()
        };
        let mut ours = common::tracer();
        ours.arg("--backend=ptrace");
        assert_eq!(
            first(ours).replacen("tracer:", "", 1),
            first(Command::new("strace")).replacen("strace:", "", 1),
            "{bad}"
        );
    }
}
