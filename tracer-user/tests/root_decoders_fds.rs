//! Fd decoders against real strace 6.1: notification fds (timerfd, inotify, signalfd, eventfd,
//! fanotify), io_uring, fcntl, splice, NULL buffers and positioned vectors, select/poll sets,
//! and fds a call hands over without returning them, named under `-y`/`-yy`; strace and tracer
//! (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// timerfd_* (one TFD_* table for both calls, as strace 6.1), inotify_* (IN_NONBLOCK before
/// IN_CLOEXEC), signalfd4 (the mask's address for a size other than 8) and eventfd2, with
/// valid, invalid, NULL and unreadable arguments (tests/workloads/fdnotify.c), in the three
/// `-X` styles and with `-yy`.
#[test]
fn root_fd_notification_calls_as_strace() {
    require_root();
    let calls = "timerfd_create,timerfd_settime,timerfd_gettime,inotify_init1,inotify_add_watch,\
                 inotify_rm_watch,signalfd4,eventfd2";
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-yy"]] {
        same_as_strace_with(options, "fdnotify", calls);
    }
}

/// fanotify_init (class and flags as two numbers with `-X raw`, an unknown class as one,
/// event files' O_* flags) and fanotify_mark (FAN_MARK_*, the 64-bit FAN_* mask, AT_FDCWD and
/// FAN_NOFD, the path) with valid, invalid, NULL and unreadable arguments
/// (tests/workloads/fanotify.c), in the three `-X` styles and with `-yy`.
#[test]
fn root_fanotify_as_strace() {
    require_root();
    for options in [&[][..], &["-X", "raw"], &["-X", "verbose"], &["-yy"]] {
        same_as_strace_with(options, "fanotify", "fanotify_init,fanotify_mark");
    }
}

/// io_uring_setup's params (what the caller set at entry, what the kernel wrote once it
/// succeeded: entries, features, ring offsets; `wq_fd` with ATTACH_WQ, `resv` when set),
/// io_uring_enter's flags and sigset (its address unless the size is 8), io_uring_register's
/// opcodes (strace 6.1's names, newer ones as `0x28 /* IORING_REGISTER_??? */`) and fd arrays
/// cut at `-s` (tests/workloads/io_uring.c), in the three `-X` styles, with `-yy` and `-s 64`.
#[test]
fn root_io_uring_as_strace() {
    require_root();
    let calls = "io_uring_setup,io_uring_enter,io_uring_register";
    for options in [
        &[][..],
        &["-X", "raw"],
        &["-X", "verbose"],
        &["-yy"],
        &["-s", "64"],
    ] {
        same_as_strace_with(options, "io_uring", calls);
    }
}

/// fcntl as strace 6.1's fcntl.c prints each command (tests/workloads/fcntl.c): `f_owner_ex`,
/// `DN_*` flags, signals set and returned, leases returned by name, unknown lock types and
/// whences, strace's names and hex for the other commands; in each -X style.
#[test]
fn root_fcntl_as_strace() {
    require_root();
    same_as_strace("fcntl", "fcntl");
    same_as_strace_with(&["-X", "raw"], "fcntl", "fcntl");
    same_as_strace_with(&["-X", "verbose"], "fcntl", "fcntl");
}

/// The splice family as strace 6.1 prints it (tests/workloads/splice.c): splice's and
/// copy_file_range's offsets as given (no `=>`, with either backend), sendfile's
/// `[0] => [4]` (ptrace printed `[0]`: the line's start is written as the call starts) and
/// unsigned offsets, tee, vmsplice; in each -X style.
#[test]
fn root_splice_family_as_strace() {
    require_root();
    let calls = "splice,tee,vmsplice,sendfile,copy_file_range";
    same_as_strace("splice", calls);
    same_as_strace_with(&["-X", "raw"], "splice", calls);
    same_as_strace_with(&["-X", "verbose"], "splice", calls);
}

/// NULL buffers print as NULL whatever length the call returned (they came out as `""`), and
/// preadv/pwritev show their vectors and one offset, as strace prints them.
#[test]
fn root_null_buffers_and_positioned_vectors_as_strace() {
    require_root();
    same_as_strace(
        "nullbufs",
        "read,write,readv,writev,preadv,pwritev,recvfrom,recvmsg,sendmsg,sendto",
    );
}

/// select and pselect6 with fds past FD_SETSIZE (the sets were read as 1024 bits: `[]` and
/// `= 1` with no `in [...]` for fd 1500).
#[test]
fn root_select_sets_past_fd_setsize_as_strace() {
    require_root();
    same_as_strace("bigselect", "select,pselect6");
}

/// poll's result stops at -s entries with `...` (it ran on, unmarked), and an entry with a
/// negative fd is `{fd=-1}` as strace prints it.
#[test]
fn root_poll_results_and_ignored_entries_as_strace() {
    require_root();
    same_as_strace("bigpoll", "poll,ppoll");
}

/// Fds a call hands over without returning one: the pty peer of `ioctl(TIOCGPTPEER)` (a bare
/// `= 4` in strace, named from then on), `SIOCGSKNS`, `NS_GET_USERNS`/`NS_GET_PARENT`
/// (returned as fds), those received in `SCM_RIGHTS` by recvmsg/recvmmsg (named in the
/// receiving call's own `cmsg_data`), pidfd_getfd's and F_DUPFD's
/// (tests/workloads/handed_fds.c), under -y and -yy.
#[test]
fn root_handed_fds_named_as_strace() {
    require_root();
    let calls = "ioctl,sendmsg,recvmsg,recvmmsg,pidfd_getfd,fcntl,close";
    masked_as_strace(&[], "handed_fds", calls, run_ids, false);
    masked_as_strace(&["-y"], "handed_fds", calls, run_ids, true);
    masked_as_strace(&["-yy"], "handed_fds", calls, run_ids, true);
}

/// A handed fd whose number the process closed and reused before /proc was read (eBPF reads
/// it late) is bare, never named after the later file; ptrace names it as strace; a bpf map
/// and memfd_secret's file are named from the call (eBPF named them after the later file:
/// /proc was asked without the inode check) (tests/workloads/handed_reuse.c).
#[test]
fn root_handed_fds_whose_number_was_reused_are_never_misnamed() {
    require_root();
    let calls = "recvmsg,write,pidfd_getfd,ioctl,fcntl,bpf,memfd_secret,close";
    masked_as_strace(&["-y"], "handed_reuse", calls, run_ids, true);
}

/// `AT_FDCWD` as strace names it for each thread: a thread that unshared its fs_struct and
/// changed directory moves only itself and the process it forks (tracer named the main
/// thread's directory after it), and `chdir("..")` out of a directory removed at once is
/// the parent (eBPF named it `cwd-gone/..`) (tests/workloads/cwd_threads.c).
#[test]
fn root_each_thread_has_its_current_directory_as_strace() {
    require_root();
    directories_as_strace("cwd_threads", "chdir,faccessat,unshare,rmdir,mkdir");
}

/// Workload `name`'s `calls` under `-f -y`, pids masked, against strace's, both backends. A
/// task's end races another's next call: exits are not compared.
fn directories_as_strace(name: &str, calls: &str) {
    let pids = |text: &str| {
        let re = regex::Regex::new(r"(?m)^\d+ ").expect("regex");
        re.replace_all(&run_ids(text), "PID ").into_owned()
    };
    let options = ["-f", "-y", "-e", "signal=none", "-e", "quiet=attach,exit"];
    masked_as_strace(&options, name, calls, pids, false);
}

/// `-y` after chroot, as strace names it: fds and `AT_FDCWD` from tracer's root, a path the
/// jailed process gives taken from its jail, the current directory unchanged by the chroot, a
/// child in its parent's root (tracer named `/sub/f` as `/sub/f` and `AT_FDCWD` bare)
/// (tests/workloads/chroot_names.c).
#[test]
fn root_paths_after_a_chroot_are_named_from_tracer_s_root_as_strace() {
    require_root();
    let calls = "chdir,chroot,faccessat,openat,write,close,unlink";
    directories_as_strace("chroot_names", calls);
}

/// Two threads reusing one fd number: a close that ends after the other thread's open took
/// the number again (the kernel frees it as the close begins) leaves the new file named, as
/// strace names it (the ptrace backend forgot it: `write(3, "b", 1)` bare)
/// (tests/workloads/fd_reuse_threads.c).
#[test]
fn root_a_close_ending_after_the_number_was_reused_keeps_the_new_name() {
    require_root();
    let dir = build("fd_reuse_threads", "");
    let named = regex::Regex::new(r"write\(\d+<").expect("regex");
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let mut ours = tracer();
        ours.arg(backend);
        let text = trace(ours, &["-f", "-y"], &dir, "fd_reuse_threads", "write");
        let writes: Vec<&str> = text.lines().filter(|l| l.contains("write(")).collect();
        assert_eq!(writes.len(), 6000, "{backend}");
        let bare: Vec<&&str> = writes.iter().filter(|l| !named.is_match(l)).collect();
        assert!(
            bare.is_empty(),
            "{backend}: {} bare: {:?}",
            bare.len(),
            &bare[..bare.len().min(3)]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
