//! Arrays as strace 6.1's print_array prints them (tests/workloads/arrays.c), both backends:
//! an array whose tail is unreadable prints the elements read, then `... /* 0xADDR */` at
//! the first unreadable one (iovecs of writev/pwritev/readv/sendmsg/process_vm_readv,
//! pollfds, gids, a node mask, sembufs), an unreadable first element prints the address, and
//! `-s` caps every array at that many entries (an unreadable one at index `-s` still shows),
//! unless `-v` or `-e abbrev=` leaves the call whole.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::sync::LazyLock;

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
    RUN_IDS.iter().fold(text.to_string(), |text, (re, to)| {
        re.replace_all(&text, *to).into_owned()
    })
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
