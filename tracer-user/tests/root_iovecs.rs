//! iovec arrays against real strace 6.1 (tests/workloads/iovecs.c), both backends: an array
//! that cannot be read prints as its address and dumps nothing, a failed read prints its
//! buffers' addresses, lengths the kernel rejected dump none of the bytes the call was never
//! given, and ptrace prints (up to `-s`) and dumps every iovec as strace does.

mod common;

use std::{fs, path::Path, process::Command, sync::LazyLock};

use common::*;
use regex::Regex;

/// Stack and data addresses (ASLR).
static ADDRESSES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"0x[0-9a-f]{9,}").expect("regex"));

/// The buffers with a rejected length: their bytes run past the 16 real ones into the
/// stack (different in each run), shown as a string or, where it could not be read, an
/// address.
static REJECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"iov_base=(?:0x[0-9a-f]+|\x220123456789abcdef[^\x22]*\x22(?:\.\.\.)?), iov_len=(1099511627776|18446744073709551615)")
        .expect("regex")
});

/// `program OPTIONS -o OUT ./iovecs ARGS` in `dir`, masked.
fn trace(program: Command, options: &[&str], dir: &Path, args: &[&str]) -> String {
    let mut argv = vec![dir.join("iovecs").into_os_string()];
    argv.extend(args.iter().map(Into::into));
    let argv: Vec<&std::ffi::OsStr> = argv.iter().map(|a| a.as_os_str()).collect();
    let (text, status) = trace_to_file(program, options, dir, &argv);
    assert!(status.is_some(), "{options:?}: killed");
    let text = REJECTED.replace_all(&text, "iov_base=REJECTED, iov_len=$1");
    ADDRESSES.replace_all(&text, "0xADDR").into_owned()
}

/// The tracer's trace with `backend`.
fn ours(backend: &str, options: &[&str], dir: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracer"));
    cmd.arg(format!("--backend={backend}"));
    trace(cmd, options, dir, args)
}

const CALLS: &str = "trace=writev,pwritev,vmsplice,sendmsg,readv,preadv";

#[test]
fn root_unreadable_and_rejected_iovecs_as_strace() {
    require_root();
    let dir = scratch("iovecs-faults");
    cc("iovecs", &dir);
    let options = ["-e", CALLS, "-e", "write=all", "-e", "read=all"];
    let theirs = trace(Command::new("strace"), &options, &dir, &[]);
    let squeezed = Regex::new(r" +=")
        .expect("regex")
        .replace_all(&theirs, " =");
    for shown in [
        "writev(3, 0x1000, 2) = -1 EFAULT",
        "readv(3, [{iov_base=0xADDR, iov_len=1}, {iov_base=0xADDR, iov_len=1}], 2) = -1 EBADF",
        " * 1099511627776 bytes in buffer 0\n * 18446742974197923839 bytes in buffer 1\n",
    ] {
        assert!(squeezed.contains(shown), "strace: {theirs}");
    }
    // Where strace could not read the bytes of a rejected length (it dumps nothing), tracer
    // says that it did not dump them; nothing else differs.
    let said = Regex::new(r"(?m)^ \* (1099511627776|18446742974197923839) bytes not captured\n")
        .expect("regex");
    for backend in ["ebpf", "ptrace"] {
        let mine = ours(backend, &options, &dir, &[]);
        assert_eq!(said.find_iter(&mine).count(), 4, "{backend}: {mine}");
        let mine = said.replace_all(&mine, "");
        assert_eq!(
            mine.lines().collect::<Vec<_>>(),
            theirs.lines().collect::<Vec<_>>(),
            "{backend}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_ptrace_prints_and_dumps_every_iovec_as_strace() {
    require_root();
    let dir = scratch("iovecs-many");
    cc("iovecs", &dir);
    for options in [
        &["-e", CALLS, "-e", "write=3"][..],
        &["-s", "5", "-e", CALLS, "-e", "write=3"],
    ] {
        let theirs = trace(Command::new("strace"), options, &dir, &["many"]);
        assert!(
            theirs.contains(" * 1 bytes in buffer 39\n"),
            "strace: {theirs}"
        );
        assert_eq!(
            ours("ptrace", options, &dir, &["many"]),
            theirs,
            "{options:?}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}
