//! Unit tests of the capture table: the rows `spec_for` builds for calls and options.

use tracer_common::{CAP_SOCK, CAP_SOCK_PROTO, CAPF_NETLINK_WHOLE};

use super::*;

fn spec(name: &str) -> SyscallSpec {
    spec_for(
        tables::by_name(name).expect("known syscall"),
        &CaptureOptions::default(),
    )
}

/// An ioctl's argument is captured as large as its request's struct: the common size, a
/// larger `_IOC` size, or a loop status struct's.
#[test]
fn ioctl_arguments_are_captured_by_request() {
    let ioctl = spec("ioctl");
    let cap = ioctl.args[2];
    assert_eq!(cap.kind, CAP_FIXED);
    let with = |req: u64| {
        let mut args = [0u64; tracer_common::MAX_ARGS];
        args[1] = req;
        cap.fixed_size(&args).min(usize::from(cap.max))
    };
    assert_eq!(with(0x5401), tracer_common::IOCTL_ARG_COMMON);
    assert_eq!(with(0x4c04), 232);
    assert_eq!(with(0x4c0a), 304);
    // _IOR('f', 11, 32 bytes) under the common size; a huge _IOC size is capped.
    assert_eq!(with(0xc020_660b), 44);
    assert_eq!(with(0xbfff_0000), IOCTL_ARG_MAX);
}

#[test]
fn blocking_calls_report_their_start_with_their_input() {
    let connect = spec("connect");
    assert_ne!(connect.flags & SPEC_CAPTURE_ENTER, 0);
    assert_eq!(connect.args[1].phase, PHASE_ENTER);
    let read = spec("read");
    assert_ne!(read.flags & SPEC_CAPTURE_ENTER, 0);
    assert_eq!(read.args[1].phase, PHASE_EXIT);
    let quiet = spec_for(
        tables::by_name("connect").expect("connect"),
        &CaptureOptions {
            blocking_starts: false,
            ..CaptureOptions::default()
        },
    );
    assert_eq!(quiet.flags & SPEC_CAPTURE_ENTER, 0);
    assert_eq!(quiet.args[1].phase, PHASE_EXIT);
}

/// `-v` (execve outside `-e abbrev=`): the environment's strings, read as argv's, at
/// enter; otherwise only counted.
#[test]
fn an_unabbreviated_exec_captures_its_environment() {
    let execve = tables::by_name("execve").expect("execve");
    let full = CaptureOptions {
        unabbreviated: RawSet::from_flags(
            &(0..=execve.nr).map(|n| n == execve.nr).collect::<Vec<_>>(),
        ),
        ..CaptureOptions::default()
    };
    let spec = spec_for(execve, &full);
    assert_eq!((spec.args[1].kind, spec.args[2].kind), (CAP_STRV, CAP_STRV));
    assert_eq!(spec.args[2].phase, PHASE_ENTER);
    let execveat = spec_for(tables::by_name("execveat").expect("execveat"), &full);
    assert_eq!(execveat.args[3].kind, CAP_PTRV_COUNT);
}

#[test]
fn paths_are_captured_at_exit_and_exec_at_enter() {
    let openat = spec("openat");
    assert_eq!(openat.args[1].kind, CAP_CSTR);
    assert_eq!(openat.args[1].phase, PHASE_EXIT);
    assert_eq!(openat.flags & SPEC_CAPTURE_ENTER, 0);
    let rename = spec("renameat2");
    assert_eq!(
        (rename.args[1].kind, rename.args[3].kind),
        (CAP_CSTR, CAP_CSTR)
    );
    let execve = spec("execve");
    assert_eq!(execve.args[0].phase, PHASE_ENTER);
    assert_eq!(execve.args[1].kind, CAP_STRV);
    assert_eq!(execve.args[2].kind, CAP_PTRV_COUNT);
    assert_ne!(execve.flags & SPEC_CAPTURE_ENTER, 0);
}

#[test]
fn buffers_follow_their_length_and_s() {
    let write = spec("write");
    assert_eq!(
        (write.args[1].kind, write.args[1].size_arg),
        (CAP_BUF_ARG, 2)
    );
    assert_eq!(write.args[1].max, 32);
    let read = spec("read");
    assert_eq!(read.args[1].kind, CAP_BUF_RET);
    assert_eq!(read.args[1].flags & CAPF_ON_SUCCESS, CAPF_ON_SUCCESS);
    let wide = spec_for(
        tables::by_name("read").expect("read"),
        &CaptureOptions {
            strsize: 256,
            ..CaptureOptions::default()
        },
    );
    assert_eq!(wide.args[1].max, 256);
}

#[test]
fn vectored_reads_keep_what_they_returned_only() {
    let readv = spec("readv");
    assert_eq!(readv.args[1].kind, CAP_IOVEC);
    assert_eq!(
        readv.args[1].flags & (CAPF_BY_RET | CAPF_ON_SUCCESS),
        CAPF_BY_RET
    );
    assert_eq!(spec("writev").args[1].flags & CAPF_BY_RET, 0);
}

#[test]
fn accept_fetches_the_peer_and_the_socklen_both_ways() {
    let accept = spec("accept4");
    assert_eq!(accept.args[1].kind, CAP_SOCKADDR_PLEN);
    assert_eq!(accept.args[1].size_arg, 2);
    assert_eq!(accept.args[2].kind, CAP_U32_INOUT);
    assert_ne!(accept.flags & SPEC_SAVE_U32, 0);
    // The socklen is saved in the thread's state, not sent in the start record.
    assert_eq!(accept.args[2].phase, PHASE_EXIT);
}

#[test]
fn select_reads_its_sets_before_and_after() {
    let select = spec("select");
    assert_eq!(select.args[1].phase, PHASE_ENTER | PHASE_EXIT);
    assert_eq!(select.args[1].flags & CAPF_BITS, CAPF_BITS);
    assert_ne!(select.flags & SPEC_CAPTURE_ENTER, 0);
}

#[test]
fn calls_needing_nothing_at_entry_skip_it_unless_times_are_wanted() {
    let fast = CaptureOptions {
        entry_times: false,
        ..CaptureOptions::default()
    };
    let of = |name: &str, o: &CaptureOptions| {
        spec_for(tables::by_name(name).expect("known"), o).flags & SPEC_EXIT_ONLY != 0
    };
    assert!(of("getppid", &fast) && of("openat", &fast) && of("sendto", &fast));
    // Input read at entry, a socklen kept from entry, a call that never returns.
    assert!(!of("execve", &fast) && !of("accept4", &fast) && !of("exit_group", &fast));
    assert!(!of("getppid", &CaptureOptions::default()));
    // Fds followed: a call freeing fd numbers keeps its entry time (`FdTable::reused_since`).
    assert!(of("close", &fast) && of("close_range", &fast));
    let fds = CaptureOptions {
        follows_fds: true,
        ..fast
    };
    assert!(!of("close", &fds) && !of("close_range", &fds) && of("openat", &fds));
}

#[test]
fn every_start_reports_starts_except_calls_whose_argument_depends_on_the_command() {
    let opts = CaptureOptions {
        every_start: true,
        ..CaptureOptions::default()
    };
    let of = |name: &str| spec_for(tables::by_name(name).expect("known syscall"), &opts);
    assert_ne!(of("write").flags & SPEC_CAPTURE_ENTER, 0);
    assert_ne!(of("close").flags & SPEC_CAPTURE_ENTER, 0);
    // ioctl's third argument is read at exit, where the command says what it is.
    assert_eq!(of("ioctl").flags & SPEC_CAPTURE_ENTER, 0);
    assert_eq!(spec("close").flags & SPEC_CAPTURE_ENTER, 0);
}

#[test]
fn socket_data_calls_read_the_socket_kind_and_keep_netlink_messages_whole() {
    let of = |name: &str| spec(name);
    for (name, slot, data) in [("sendto", 5, 1), ("recvfrom", 3, 1), ("sendmsg", 5, 1)] {
        let s = of(name);
        assert_eq!(s.args[slot].kind, CAP_SOCK_PROTO, "{name}");
        assert_ne!(s.args[data].flags & CAPF_NETLINK_WHOLE, 0, "{name}");
    }
    // sendto's fd slot stays free for -yy's endpoints; read/write pay nothing.
    assert_eq!(of("sendto").args[0].kind, CAP_NONE);
    assert!(!of("write").args.iter().any(|a| a.kind == CAP_SOCK_PROTO));
    assert_eq!(of("write").args[1].flags & CAPF_NETLINK_WHOLE, 0);
    // A send's netlink socket is looked at as it begins too (strace's view: unbound before
    // the send binds it), still without an enter record; receives are read as they end.
    for name in ["sendto", "sendmsg"] {
        let flags = of(name).flags;
        assert_ne!(flags & tracer_common::SPEC_SOCK_AT_ENTER, 0, "{name}");
        assert_eq!(flags & tracer_common::SPEC_CAPTURE_ENTER, 0, "{name}");
    }
    assert_eq!(of("recvfrom").flags & tracer_common::SPEC_SOCK_AT_ENTER, 0);
}

#[test]
fn sockets_are_read_in_the_kernel_only_with_yy() {
    let yy = CaptureOptions {
        sockets: true,
        ..CaptureOptions::default()
    };
    let of = |name: &str, o: &CaptureOptions| spec_for(tables::by_name(name).expect(name), o);
    let connect = of("connect", &yy);
    assert_eq!((connect.args[0].kind, connect.args[0].scale), (CAP_SOCK, 1));
    assert_eq!(connect.args[0].phase, PHASE_EXIT);
    let accept = of("accept4", &yy);
    assert_eq!((accept.args[4].kind, accept.args[4].scale), (CAP_SOCK, 0));
    assert_eq!(accept.args[5].kind, CAP_FD_INODE);
    let sendto = of("sendto", &yy).args[0];
    assert_eq!((sendto.kind, sendto.size_arg), (CAP_SOCK, 4));
    assert_ne!(sendto.flags & tracer_common::CAPF_IF_ARG, 0);
    assert_eq!(
        of("sendto", &CaptureOptions::default()).args[0].kind,
        CAP_NONE
    );
    assert_ne!(sendto.flags & tracer_common::CAPF_IF_PEER_PENDING, 0);
    // A call on an fd reads the socket again only while it is a unix client whose peer was
    // not accepted yet (the kernel side's rule); without -yy, never.
    for name in ["write", "recvfrom", "read", "close"] {
        let slot = of(name, &yy).args[0];
        assert_eq!(
            (slot.kind, slot.scale, slot.phase),
            (CAP_SOCK, 1, PHASE_EXIT),
            "{name}"
        );
        assert_eq!(slot.flags, tracer_common::CAPF_IF_PEER_PENDING, "{name}");
        assert_eq!(of(name, &CaptureOptions::default()).args[0].kind, CAP_NONE);
    }
    assert_eq!(of("openat", &yy).args[0].kind, CAP_NONE);
}

#[test]
fn no_return_and_plain_syscalls() {
    assert_ne!(spec("exit_group").flags & SPEC_NO_RETURN, 0);
    let getpid = spec("getpid");
    assert_ne!(getpid.flags & SPEC_TRACED, 0);
    assert_eq!(getpid.flags & (SPEC_CAPTURE_ENTER | SPEC_CAPTURE_EXIT), 0);
}

/// With redaction on, the calls that move a connection's bytes carry `SPEC_STREAM` (the
/// kernel's `--match` and `--min-duration` leave them to userspace); calls at a file offset,
/// other calls, and every call with redaction off, do not.
#[test]
fn stream_calls_are_marked_for_the_redactor_when_it_is_on() {
    let on = CaptureOptions {
        redact_streams: true,
        ..CaptureOptions::default()
    };
    let with = |name: &str, opts: &CaptureOptions| {
        spec_for(tables::by_name(name).expect("known syscall"), opts).flags
            & tracer_common::SPEC_STREAM
            != 0
    };
    for name in [
        "read", "write", "sendto", "recvfrom", "readv", "writev", "sendmsg", "recvmsg", "sendmmsg",
        "recvmmsg", "preadv2", "pwritev2",
    ] {
        assert!(with(name, &on), "{name}");
        assert!(!with(name, &CaptureOptions::default()), "{name}");
    }
    for name in ["pread64", "pwrite64", "openat", "futex", "epoll_wait"] {
        assert!(!with(name, &on), "{name}");
    }
}
