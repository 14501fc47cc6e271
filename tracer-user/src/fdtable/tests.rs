//! The fd table fed hand-built calls and kernel-side blobs (no process behind them: the tgid
//! is one /proc does not have, so everything comes from the calls).

use tracer_common::{
    CAP_FD_INODE, CAP_SOCK, CAP_SOCKADDR_PLEN, FdInode, SOCK_IS_SOCKET, SOCK_PEER_EMBRYO, SockInfo,
    wire,
};

use super::*;
use crate::event::Blob;

/// No such process: /proc has nothing to say about it.
const TGID: u32 = 0x3fff_fff0;

/// A `CAP_FD_INODE` blob: the new fds and their inodes.
fn fd_inodes(pairs: &[(i32, u64)]) -> Blob {
    let mut data = Vec::new();
    for &(fd, ino) in pairs {
        wire::push(&mut data, &FdInode { fd, _pad0: 0, ino });
    }
    Blob::at_exit(0, CAP_FD_INODE, data)
}

/// A `CAP_SOCK` blob for argument slot `arg`.
fn sock(arg: u8, info: &SockInfo) -> Blob {
    Blob::at_exit(arg, CAP_SOCK, wire::as_bytes(info).to_vec())
}

fn tcp_info(fd: i32, ino: u64, local: ([u8; 4], u16)) -> SockInfo {
    let mut info = SockInfo {
        fd,
        flags: SOCK_IS_SOCKET,
        family: libc::AF_INET as u16,
        ino,
        lport: local.1,
        ..SockInfo::default()
    };
    info.proto[..3].copy_from_slice(b"TCP");
    info.laddr[..4].copy_from_slice(&local.0);
    info
}

fn raw(nr: u32, ret: i64, args: [u64; 6], blobs: Vec<Blob>) -> RawSyscall {
    RawSyscall::whole(TGID, nr, args, ret, blobs)
}

/// Decodes one call and runs it through the table as the pipeline does; returns what its
/// returned fd is described as (`= 5<TCP:[999]>`).
fn call(t: &mut FdTable, raw: &RawSyscall) -> Option<String> {
    let sc = crate::decode::decode(raw, &crate::decode::DecodeOptions::default());
    t.prepare(&sc, raw);
    let shown = t.describe_ret(TGID, 0).map(|d| d.text().into_owned());
    t.commit(&sc, raw);
    shown
}

/// Task `by` of `tgid` made `child` (a new process, or a thread of `tgid`), sharing both
/// tables or none.
fn forked(tgid: u32, by: u32, child: u32, shares: bool) -> crate::event::Fork {
    crate::event::Fork {
        ts: 0,
        tgid,
        tid: by,
        child_tgid: if shares { tgid } else { child },
        child_tid: child,
        shares_files: shares,
        shares_fs: shares,
    }
}

/// A C string argument as captured.
fn cstr(arg: u8, s: &[u8]) -> Blob {
    Blob::at_exit(arg, tracer_common::CAP_CSTR, s.to_vec())
}

fn shown(t: &FdTable, fd: i32) -> Option<String> {
    t.describe(TGID, fd).map(|d| d.text().into_owned())
}

#[test]
fn pipes_and_socketpairs_are_named_from_their_inodes() {
    let mut t = FdTable::new(Detail::FULL);
    let pipe = raw(
        293,
        0,
        [0x1000, 0, 0, 0, 0, 0],
        vec![fd_inodes(&[(3, 111), (4, 222)])],
    );
    call(&mut t, &pipe);
    assert_eq!(t.describe(TGID, 3), Some(FdName::Pipe { ino: 111 }));
    assert_eq!(shown(&t, 4).as_deref(), Some("pipe:[222]"));
    // socketpair(AF_UNIX, SOCK_STREAM, 0, [5, 6])
    let pair = raw(
        53,
        0,
        [1, 1, 0, 0x1000, 0, 0],
        vec![fd_inodes(&[(5, 7), (6, 8)])],
    );
    call(&mut t, &pair);
    assert_eq!(shown(&t, 5).as_deref(), Some("UNIX-STREAM:[7->8]"));
    assert_eq!(shown(&t, 6).as_deref(), Some("UNIX-STREAM:[8->7]"));
    // -y: the inode only.
    let mut t = FdTable::new(Detail::PATHS);
    call(&mut t, &pair);
    assert_eq!(shown(&t, 5).as_deref(), Some("socket:[7]"));
    // A failed call creates nothing.
    let failed = raw(
        293,
        -24,
        [0x1000, 0, 0, 0, 0, 0],
        vec![fd_inodes(&[(3, 111), (4, 222)])],
    );
    let mut t = FdTable::new(Detail::FULL);
    call(&mut t, &failed);
    assert_eq!(t.fds(), 0);
}

#[test]
fn a_socket_is_named_by_protocol_then_by_its_endpoints() {
    let mut t = FdTable::new(Detail::FULL);
    // socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5
    let socket = raw(
        41,
        5,
        [2, 0x80001, 0, 0, 0, 0],
        vec![fd_inodes(&[(5, 999)])],
    );
    let ret = call(&mut t, &socket);
    // What `= 5<TCP:[999]>` shows, before the table has learnt it.
    assert_eq!(ret.as_deref(), Some("TCP:[999]"));
    assert_eq!(shown(&t, 5).as_deref(), Some("TCP:[999]"));
    assert!(t.describe(TGID, 5).is_some_and(|d| d.inode_only()));
    // bind: the kernel side read the socket as the call ended.
    let info = tcp_info(5, 999, ([127, 0, 0, 1], 5432));
    let bind = raw(49, 0, [5, 0, 16, 0, 0, 0], vec![sock(0, &info)]);
    call(&mut t, &bind);
    assert_eq!(shown(&t, 5).as_deref(), Some("TCP:[127.0.0.1:5432]"));
    // accept: the listener's address and the peer from the returned sockaddr.
    let mut sa = vec![2, 0];
    sa.extend_from_slice(&41000u16.to_be_bytes());
    sa.extend_from_slice(&[10, 0, 0, 2]);
    sa.resize(16, 0);
    let accept = raw(
        43,
        6,
        [5, 0x1000, 0x2000, 0, 0, 0],
        vec![
            fd_inodes(&[(6, 1000)]),
            Blob::at_exit(1, CAP_SOCKADDR_PLEN, sa),
        ],
    );
    call(&mut t, &accept);
    assert_eq!(
        shown(&t, 6).as_deref(),
        Some("TCP:[127.0.0.1:5432->10.0.0.2:41000]")
    );
    // A datagram socket is UDP.
    let udp = raw(41, 7, [10, 2, 0, 0, 0, 0], vec![fd_inodes(&[(7, 5)])]);
    call(&mut t, &udp);
    assert_eq!(shown(&t, 7).as_deref(), Some("UDPv6:[5]"));
    // -y: an inode, whatever the call says.
    let mut t = FdTable::new(Detail::PATHS);
    call(&mut t, &socket);
    assert_eq!(
        t.describe(TGID, 5),
        Some(FdName::from_link(b"socket:[999]".to_vec()))
    );
}

/// Runs `raw` through the table up to its formatting; returns how fd `fd` shows on its line.
fn shown_on_line(t: &mut FdTable, raw: &RawSyscall, fd: i32) -> Option<String> {
    let sc = crate::decode::decode(raw, &crate::decode::DecodeOptions::default());
    t.prepare(&sc, raw);
    let line = shown(t, fd);
    t.commit(&sc, raw);
    line
}

#[test]
fn a_unix_client_shows_its_peer_from_the_call_that_read_it_accepted() {
    let mut t = FdTable::new(Detail::FULL);
    let mut client = SockInfo {
        fd: 4,
        flags: SOCK_IS_SOCKET | SOCK_PEER_EMBRYO,
        family: libc::AF_UNIX as u16,
        ino: 50,
        ..SockInfo::default()
    };
    client.proto[..11].copy_from_slice(b"UNIX-STREAM");
    let connect = raw(42, 0, [4, 0, 0, 0, 0, 0], vec![sock(0, &client)]);
    call(&mut t, &connect);
    assert_eq!(shown(&t, 4).as_deref(), Some("UNIX-STREAM:[50]"));
    // The server's accept, traced or not, changes nothing until the client's next call
    // reads its socket (the reader may run behind the processes).
    let mut server = SockInfo {
        fd: 9,
        ino: 60,
        peer_ino: 50,
        flags: SOCK_IS_SOCKET,
        ..client
    };
    let path = b"/run/s";
    server.path[..path.len()].copy_from_slice(path);
    server.addr_len = (path.len() + 2) as u16;
    let accept = raw(
        43,
        9,
        [8, 0, 0, 0, 0, 0],
        vec![fd_inodes(&[(9, 60)]), sock(1, &server)],
    );
    call(&mut t, &accept);
    assert_eq!(
        shown(&t, 9).as_deref(),
        Some(r#"UNIX-STREAM:[60->50,"/run/s"]"#)
    );
    assert_eq!(shown(&t, 4).as_deref(), Some("UNIX-STREAM:[50]"));
    // A write read while the peer was still an embryo, then one read once it was accepted:
    // each line shows what its own read found.
    let write = |info: &SockInfo| raw(1, 1, [4, 0, 1, 0, 0, 0], vec![sock(0, info)]);
    assert_eq!(
        shown_on_line(&mut t, &write(&client), 4).as_deref(),
        Some("UNIX-STREAM:[50]")
    );
    let accepted = SockInfo {
        flags: SOCK_IS_SOCKET,
        peer_ino: 60,
        ..client
    };
    assert_eq!(
        shown_on_line(&mut t, &write(&accepted), 4).as_deref(),
        Some("UNIX-STREAM:[50->60]")
    );
    // No longer pending: a read of fd 4 that some other rule made is not taken for one.
    assert!(!t.pending.contains(TGID, 4));
    // A client closed after a traced accept, without a call between: the close's read finds
    // the fd gone, and the accept gives the peer strace sees at the close's entry.
    let other = SockInfo {
        fd: 7,
        ino: 70,
        ..client
    };
    call(
        &mut t,
        &raw(42, 0, [7, 0, 0, 0, 0, 0], vec![sock(0, &other)]),
    );
    let taken = SockInfo {
        fd: 10,
        ino: 80,
        peer_ino: 70,
        ..server
    };
    call(
        &mut t,
        &raw(43, 10, [8, 0, 0, 0, 0, 0], vec![sock(1, &taken)]),
    );
    let gone = SockInfo {
        fd: 7,
        ..SockInfo::default()
    };
    let close = raw(3, 0, [7, 0, 0, 0, 0, 0], vec![sock(0, &gone)]);
    assert_eq!(
        shown_on_line(&mut t, &close, 7).as_deref(),
        Some("UNIX-STREAM:[70->80]")
    );
}

#[test]
fn fds_the_call_names_itself() {
    let mut t = FdTable::new(Detail::FULL);
    let memfd = raw(319, 3, [0x1000, 0, 0, 0, 0, 0], vec![cstr(0, b"pg")]);
    call(&mut t, &memfd);
    let mut text = String::new();
    let name = t.describe(TGID, 3).expect("memfd");
    name.bracketed_into(crate::format::quote::Style::Octal, &mut text);
    assert_eq!(text, "</memfd:pg>(deleted)");
    call(&mut t, &raw(290, 4, [0; 6], vec![]));
    assert_eq!(shown(&t, 4).as_deref(), Some("anon_inode:[eventfd]"));
    // pidfd_open: `-yy` names the process, `-y` the anon inode.
    call(&mut t, &raw(434, 6, [1, 0, 0, 0, 0, 0], vec![]));
    assert_eq!(shown(&t, 6).as_deref(), Some("pid:1"));
    let mut paths = FdTable::new(Detail::PATHS);
    call(&mut paths, &raw(434, 6, [1, 0, 0, 0, 0, 0], vec![]));
    assert_eq!(shown(&paths, 6).as_deref(), Some("anon_inode:[pidfd]"));
    // An absolute path is the description, as opened (it does not exist to be resolved).
    let open = raw(
        257,
        5,
        [AT_FDCWD as u64, 0x1000, 0, 0, 0, 0],
        vec![cstr(1, b"/nonexistent/tracer/x")],
    );
    call(&mut t, &open);
    assert_eq!(shown(&t, 5).as_deref(), Some("/nonexistent/tracer/x"));
    // dup copies the description; close forgets it.
    call(&mut t, &raw(32, 6, [5, 0, 0, 0, 0, 0], vec![]));
    assert_eq!(shown(&t, 6), shown(&t, 5));
    call(&mut t, &raw(3, 0, [5, 0, 0, 0, 0, 0], vec![]));
    assert_eq!(shown(&t, 5), None);
    // A new process inherits the table; an exited one has none.
    t.fork(&forked(TGID, TGID, TGID + 1, false));
    assert_eq!(t.describe(TGID + 1, 6), t.describe(TGID, 6));
    t.exit(TGID);
    assert_eq!(t.describe(TGID, 6), None);
}

#[test]
fn a_relative_chdir_up_is_the_parent_even_once_gone() {
    let mut t = FdTable::new(Detail::PATHS);
    let chdir = |path: &[u8]| raw(80, 0, [0x1000, 0, 0, 0, 0, 0], vec![cstr(0, path)]);
    call(&mut t, &chdir(b"/nonexistent/tracer/d"));
    assert_eq!(
        shown(&t, AT_FDCWD).as_deref(),
        Some("/nonexistent/tracer/d")
    );
    // The directory no longer exists to be resolved: `..` is its parent, `.` nothing.
    call(&mut t, &chdir(b"./.."));
    assert_eq!(shown(&t, AT_FDCWD).as_deref(), Some("/nonexistent/tracer"));
    call(&mut t, &chdir(b"../../.."));
    assert_eq!(shown(&t, AT_FDCWD).as_deref(), Some("/"));
    // A `..` after a name is the kernel's to resolve (the name may be a symlink).
    call(&mut t, &chdir(b"nonexistent/x/../y"));
    assert_eq!(shown(&t, AT_FDCWD).as_deref(), Some("/nonexistent/x/../y"));
}

#[test]
fn a_thread_that_unshared_its_fs_has_its_own_directory() {
    let mut t = FdTable::new(Detail::PATHS);
    let as_task = |tid: u32, mut r: RawSyscall| {
        r.tid = tid;
        r
    };
    let chdir = |tid: u32, path: &[u8]| {
        as_task(
            tid,
            raw(80, 0, [0x1000, 0, 0, 0, 0, 0], vec![cstr(0, path)]),
        )
    };
    let thread = TGID + 1;
    call(&mut t, &chdir(TGID, b"/nonexistent/shared"));
    // unshare(CLONE_FS) in the thread, then its chdir: the leader's directory stays.
    call(
        &mut t,
        &as_task(thread, raw(272, 0, [0x200, 0, 0, 0, 0, 0], vec![])),
    );
    call(&mut t, &chdir(thread, b"own"));
    let cwd_of = |t: &mut FdTable, tid: u32| {
        let getpid = as_task(tid, raw(39, 1, [0; 6], vec![]));
        let sc = crate::decode::decode(&getpid, &crate::decode::DecodeOptions::default());
        t.prepare(&sc, &getpid);
        shown(t, AT_FDCWD)
    };
    assert_eq!(
        cwd_of(&mut t, thread).as_deref(),
        Some("/nonexistent/shared/own")
    );
    assert_eq!(cwd_of(&mut t, TGID).as_deref(), Some("/nonexistent/shared"));
    // A process the thread forks starts in the thread's directory.
    t.fork(&forked(TGID, thread, TGID + 2, false));
    let child = t.known(TGID + 2, AT_FDCWD).map(|d| d.text().into_owned());
    assert_eq!(child.as_deref(), Some("/nonexistent/shared/own"));
}

#[test]
fn a_thread_that_unshared_its_fd_table_has_its_own_fds() {
    let mut t = FdTable::new(Detail::PATHS);
    let as_task = |tid: u32, mut r: RawSyscall| {
        r.tid = tid;
        r
    };
    let open = |tid: u32, fd: i64, path: &[u8]| {
        as_task(
            tid,
            raw(
                257,
                fd,
                [AT_FDCWD as u64, 0x1000, 0, 0, 0, 0],
                vec![cstr(1, path)],
            ),
        )
    };
    let thread = TGID + 1;
    call(&mut t, &open(TGID, 3, b"/nonexistent/process"));
    t.fork(&forked(TGID, TGID, thread, true));
    // unshare(CLONE_FILES) in the thread, then close(3) and a new fd 3 there.
    call(
        &mut t,
        &as_task(thread, raw(272, 0, [0x400, 0, 0, 0, 0, 0], vec![])),
    );
    call(
        &mut t,
        &as_task(thread, raw(3, 0, [3, 0, 0, 0, 0, 0], vec![])),
    );
    call(&mut t, &open(thread, 3, b"/nonexistent/thread"));
    let fd3_of = |t: &mut FdTable, tid: u32| {
        let getpid = as_task(tid, raw(39, 1, [0; 6], vec![]));
        let sc = crate::decode::decode(&getpid, &crate::decode::DecodeOptions::default());
        t.prepare(&sc, &getpid);
        shown(t, 3)
    };
    assert_eq!(
        fd3_of(&mut t, TGID).as_deref(),
        Some("/nonexistent/process")
    );
    assert_eq!(
        fd3_of(&mut t, thread).as_deref(),
        Some("/nonexistent/thread")
    );
    // A thread it makes shares its table; the process's exit forgets both.
    t.fork(&forked(TGID, thread, TGID + 2, true));
    assert_eq!(
        fd3_of(&mut t, TGID + 2).as_deref(),
        Some("/nonexistent/thread")
    );
    t.exit(TGID);
    assert_eq!(t.fds(), 0);
}

/// The kernel frees an fd number as `close`/`close_range` begin: a thread's open can take it
/// and end first. Such a close, read after that open, leaves the new fd named; a close that
/// began after the open removes it.
#[test]
fn a_close_that_began_before_another_threads_open_keeps_the_new_fd() {
    let at = |tid: u32, ts_enter: u64, ts_exit: u64, mut r: RawSyscall| {
        r.tid = tid;
        r.ts_enter = ts_enter;
        r.ts_exit = ts_exit;
        r
    };
    let open = |path: &[u8]| {
        raw(
            257,
            3,
            [AT_FDCWD as u64, 0x1000, 0, 0, 0, 0],
            vec![cstr(1, path)],
        )
    };
    let thread = TGID + 1;
    for (nr, args) in [(3, [3, 0, 0, 0, 0, 0]), (436, [3, 9, 0, 0, 0, 0])] {
        let mut t = FdTable::new(Detail::PATHS);
        t.fork(&forked(TGID, TGID, thread, true));
        call(&mut t, &at(TGID, 10, 11, open(b"/nonexistent/a")));
        // The main thread's close began at 20; the thread's open of 3 ended at 25.
        call(&mut t, &at(thread, 21, 25, open(b"/nonexistent/b")));
        call(&mut t, &at(TGID, 20, 30, raw(nr, 0, args, vec![])));
        assert_eq!(shown(&t, 3).as_deref(), Some("/nonexistent/b"), "nr {nr}");
        // A close that began after it closes it.
        call(&mut t, &at(TGID, 40, 41, raw(nr, 0, args, vec![])));
        assert_eq!(shown(&t, 3), None, "nr {nr}");
    }
}
