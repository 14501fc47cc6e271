//! Decoders fed hand-built calls: register values and the blobs the kernel side (or the ptrace
//! capture) would attach, built from the C types where libc has them. The expected lines are
//! strace 6.1's for the same calls (tests/golden/zoo.strace and zoo.expected).

use tracer_common::CAP_CSTR;

use crate::{
    decode::{DecodeOptions, decode},
    event::{Blob, RawSyscall},
    format::{
        strace::{Split, call_end, call_start},
        text_options::{Column, TextOptions},
    },
};

/// Where the kernel side read the argument: as the call began, or as it ended.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Enter,
    Exit,
}

fn blob(arg: u8, at: At, data: Vec<u8>) -> Blob {
    Blob {
        arg,
        kind: CAP_CSTR,
        truncated: false,
        faulted: false,
        at_enter: at == At::Enter,
        data,
    }
}

/// The bytes of a C struct.
fn bytes_of<T: Copy>(value: &T) -> Vec<u8> {
    // SAFETY: `T` is a libc struct of integers and arrays without implicit padding on x86_64
    // (its padding is spelt out as fields), made from zeroed memory.
    unsafe { std::slice::from_raw_parts((value as *const T).cast::<u8>(), size_of::<T>()) }.to_vec()
}

/// A zeroed C struct, to fill in.
fn zeroed<T: Copy>() -> T {
    // SAFETY: used only for libc structs of integers and arrays, for which all-zero is valid.
    unsafe { std::mem::zeroed() }
}

/// strace's line for the call (without the alignment of ` = `).
pub(super) fn line(nr: u32, args: [u64; 6], ret: i64, blobs: Vec<Blob>) -> String {
    let raw = RawSyscall::whole(100, nr, args, ret, blobs);
    let sc = decode(&raw, &DecodeOptions::default());
    let opts = TextOptions {
        column: Column(0),
        ..TextOptions::default()
    };
    let mut out = String::new();
    call_start(&sc, Split::ALL, &opts, None, &mut out);
    call_end(&sc, Split::ALL, &opts, None, 0, &mut out);
    out
}

const AT_FDCWD: u64 = -100i64 as u64;
/// Some address in the tracee.
const P: u64 = 0x7ffd_0000;

fn sockaddr_in(port: u16, addr: [u8; 4]) -> Vec<u8> {
    let mut sa: libc::sockaddr_in = zeroed();
    sa.sin_family = libc::AF_INET as u16;
    sa.sin_port = port.to_be();
    sa.sin_addr.s_addr = u32::from_ne_bytes(addr);
    bytes_of(&sa)
}

/// A socklen the kernel read and rewrote: before, after.
fn socklen(before: u32, after: u32) -> Vec<u8> {
    [before.to_le_bytes(), after.to_le_bytes()].concat()
}

mod net {
    use super::*;

    #[test]
    fn socket_type_and_flags() {
        assert_eq!(
            line(41, [2, 0x80001, 0, 0, 0, 0], 3, vec![]),
            "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3"
        );
    }

    #[test]
    fn inet_addresses_in_and_out() {
        let sa = sockaddr_in(0, [127, 0, 0, 1]);
        assert_eq!(
            line(49, [3, P, 16, 0, 0, 0], 0, vec![blob(1, At::Enter, sa)]),
            r#"bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0"#
        );
        let peer = sockaddr_in(47618, [127, 0, 0, 1]);
        let blobs = vec![blob(1, At::Exit, peer), blob(2, At::Exit, socklen(16, 16))];
        assert_eq!(
            line(43, [3, P, P + 16, 0, 0, 0], 5, blobs),
            r#"accept(3, {sa_family=AF_INET, sin_port=htons(47618), sin_addr=inet_addr("127.0.0.1")}, [16]) = 5"#
        );
    }

    #[test]
    fn a_unix_address_and_a_rewritten_length() {
        let blobs = vec![
            blob(1, At::Exit, (libc::AF_UNIX as u16).to_le_bytes().to_vec()),
            blob(2, At::Exit, socklen(128, 2)),
        ];
        assert_eq!(
            line(51, [3, P, P + 128, 0, 0, 0], 0, blobs),
            "getsockname(3, {sa_family=AF_UNIX}, [128 => 2]) = 0"
        );
        let mut sun: libc::sockaddr_un = zeroed();
        sun.sun_family = libc::AF_UNIX as u16;
        for (d, s) in sun
            .sun_path
            .iter_mut()
            .zip(b"/run/postgresql/.s.PGSQL.5432")
        {
            *d = *s as libc::c_char;
        }
        let blobs = vec![blob(1, At::Enter, bytes_of(&sun)[..32].to_vec())];
        assert_eq!(
            line(42, [3, P, 32, 0, 0, 0], 0, blobs),
            r#"connect(3, {sa_family=AF_UNIX, sun_path="/run/postgresql/.s.PGSQL.5432"}, 32) = 0"#
        );
    }

    #[test]
    fn socket_options_and_buffers() {
        let one = 1i32.to_le_bytes().to_vec();
        assert_eq!(
            line(54, [3, 1, 2, P, 4, 0], 0, vec![blob(3, At::Enter, one)]),
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
        );
        let data = b"over a socketpair".to_vec();
        assert_eq!(
            line(44, [3, P, 17, 0, 0, 0], 17, vec![blob(1, At::Enter, data)]),
            r#"sendto(3, "over a socketpair", 17, 0, NULL, 0) = 17"#
        );
    }

    #[test]
    fn poll_shows_what_was_asked_and_what_is_ready() {
        let pollfd = |revents: i16| {
            let mut p: libc::pollfd = zeroed();
            p.fd = 3;
            p.events = libc::POLLIN;
            p.revents = revents;
            bytes_of(&p)
        };
        let blobs = vec![
            blob(0, At::Enter, pollfd(0)),
            blob(0, At::Exit, pollfd(libc::POLLIN)),
        ];
        assert_eq!(
            line(7, [P, 1, 0, 0, 0, 0], 1, blobs),
            "poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}])"
        );
    }
}

mod fs {
    use super::*;

    #[test]
    fn open_flags_and_the_mode_only_with_o_creat() {
        let path = |p: &[u8]| vec![blob(1, At::Enter, p.to_vec())];
        assert_eq!(
            line(
                257,
                [AT_FDCWD, P, 0x80000, 0, 0, 0],
                3,
                path(b"/etc/ld.so.cache")
            ),
            r#"openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3"#
        );
        assert_eq!(
            line(257, [AT_FDCWD, P, 0o1101, 0o644, 0, 0], 3, path(b"x")),
            r#"openat(AT_FDCWD, "x", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3"#
        );
        assert_eq!(
            line(257, [AT_FDCWD, P, 0, 0, 0, 0], -2, path(b"/nonexistent")),
            r#"openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)"#
        );
    }

    #[test]
    fn access_modes_modes_and_umask() {
        let path = vec![blob(1, At::Enter, b"raw.txt".to_vec())];
        assert_eq!(
            line(439, [AT_FDCWD, P, 5, 0x200, 0, 0], -13, path),
            r#"faccessat2(AT_FDCWD, "raw.txt", R_OK|X_OK, AT_EACCESS) = -1 EACCES (Permission denied)"#
        );
        let path = vec![blob(0, At::Enter, b"/tmp/tracer-zoo".to_vec())];
        assert_eq!(
            line(83, [P, 0o777, 0, 0, 0, 0], 0, path),
            r#"mkdir("/tmp/tracer-zoo", 0777) = 0"#
        );
        assert_eq!(
            line(95, [0o22, 0, 0, 0, 0, 0], 0o22, vec![]),
            "umask(022) = 022"
        );
    }

    #[test]
    fn stat_is_abbreviated_as_strace_does() {
        let mut st: libc::stat = zeroed();
        st.st_mode = libc::S_IFREG | 0o644;
        st.st_size = 33759;
        let blobs = vec![
            blob(1, At::Enter, Vec::new()),
            blob(2, At::Exit, bytes_of(&st)),
        ];
        assert_eq!(
            line(262, [3, P, P + 8, 0x1000, 0, 0], 0, blobs),
            r#"newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=33759, ...}, AT_EMPTY_PATH) = 0"#
        );
    }

    #[test]
    fn statfs_names_its_magic_and_flags() {
        let mut sf: libc::statfs = zeroed();
        sf.f_type = 0xef53;
        sf.f_bsize = 4096;
        sf.f_blocks = 66053021;
        sf.f_bfree = 60596699;
        sf.f_bavail = 18365150;
        sf.f_files = 16777216;
        sf.f_ffree = 16348051;
        sf.f_namelen = 255;
        sf.f_frsize = 4096;
        let mut bytes = bytes_of(&sf);
        // f_fsid, whose fields libc keeps private, and f_flags, which libc calls f_spare[0].
        bytes[56..64].copy_from_slice(&[0x96, 0x95, 0x89, 0x85, 0x71, 0x36, 0xb2, 0xf0]);
        bytes[80..88].copy_from_slice(&0x1020u64.to_le_bytes());
        let blobs = vec![blob(0, At::Enter, b".".to_vec()), blob(1, At::Exit, bytes)];
        assert_eq!(
            line(137, [P, P + 8, 0, 0, 0, 0], 0, blobs),
            r#"statfs(".", {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=60596699, f_bavail=18365150, f_files=16777216, f_ffree=16348051, f_fsid={val=[0x85899596, 0xf0b23671]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0"#
        );
    }

    #[test]
    fn fcntl_and_getdents_annotate_their_results() {
        assert_eq!(
            line(72, [3, 1, 0, 0, 0, 0], 1, vec![]),
            "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)"
        );
        assert_eq!(
            line(72, [3, 3, 0, 0, 0, 0], 0o100002, vec![]),
            "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)"
        );
        // Two linux_dirent64 records: d_ino, d_off, d_reclen, d_type, d_name.
        let dirent = |name: &[u8]| {
            let mut d = vec![0u8; 24];
            d[16..18].copy_from_slice(&24u16.to_le_bytes());
            d[19..19 + name.len()].copy_from_slice(name);
            d
        };
        let data = [dirent(b"."), dirent(b"..")].concat();
        assert_eq!(
            line(
                217,
                [3, 0x3a01d350, 32768, 0, 0, 0],
                48,
                vec![blob(1, At::Exit, data)]
            ),
            "getdents64(3, 0x3a01d350 /* 2 entries */, 32768) = 48"
        );
    }
}

mod structs {
    use super::*;

    #[test]
    fn statx_and_file_locks() {
        let mut stx: libc::statx = zeroed();
        stx.stx_mask = 0x17ff;
        stx.stx_mode = (libc::S_IFREG | 0o644) as u16;
        stx.stx_size = 33759;
        let blobs = vec![
            blob(1, At::Enter, b"/etc/passwd".to_vec()),
            blob(4, At::Exit, bytes_of(&stx)),
        ];
        assert_eq!(
            line(332, [AT_FDCWD, P, 0, 0xfff, P + 64, 0], 0, blobs),
            r#"statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=33759, ...}) = 0"#
        );
        let mut lock: libc::flock = zeroed();
        lock.l_type = libc::F_WRLCK as i16;
        lock.l_len = 10;
        lock.l_pid = 77;
        let blobs = vec![blob(2, At::Enter, bytes_of(&lock))];
        assert_eq!(
            line(72, [3, 6, P, 0, 0, 0], 0, blobs),
            "fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0"
        );
        let blobs = vec![blob(2, At::Exit, bytes_of(&lock))];
        assert_eq!(
            line(72, [3, 5, P, 0, 0, 0], 0, blobs),
            "fcntl(3, F_GETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=77}) = 0"
        );
    }

    #[test]
    fn rlimits_in_strace_units() {
        let lim = libc::rlimit {
            rlim_cur: 8192 * 1024,
            rlim_max: libc::RLIM_INFINITY,
        };
        assert_eq!(
            line(
                302,
                [0, 3, 0, P, 0, 0],
                0,
                vec![blob(3, At::Exit, bytes_of(&lim))]
            ),
            "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0"
        );
    }

    #[test]
    fn sigaction_both_ways() {
        // The kernel's struct sigaction: handler, flags, restorer, mask.
        let act = |handler: u64, flags: u64, restorer: u64| {
            [handler, flags, restorer, 0].map(u64::to_le_bytes).concat()
        };
        let blobs = vec![
            blob(1, At::Enter, act(1, 0x0c00_0000, 0x7f6a834df050)),
            blob(2, At::Exit, act(0, 0, 0)),
        ];
        assert_eq!(
            line(13, [13, P, P + 32, 8, 0, 0], 0, blobs),
            "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_ONSTACK, sa_restorer=0x7f6a834df050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0"
        );
    }

    #[test]
    fn timespecs_and_the_time_left_only_when_interrupted() {
        let ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 1000,
        };
        assert_eq!(
            line(
                35,
                [P, 0, 0, 0, 0, 0],
                0,
                vec![blob(0, At::Enter, bytes_of(&ts))]
            ),
            "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0"
        );
        assert_eq!(
            line(
                230,
                [1, 0, P, 0, 0, 0],
                0,
                vec![blob(2, At::Enter, bytes_of(&ts))]
            ),
            "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0"
        );
        let left = libc::timespec {
            tv_sec: 4,
            tv_nsec: 5,
        };
        let blobs = vec![
            blob(0, At::Enter, bytes_of(&ts)),
            blob(1, At::Exit, bytes_of(&left)),
        ];
        assert_eq!(
            line(35, [P, P + 16, 0, 0, 0, 0], -516, blobs),
            "nanosleep({tv_sec=0, tv_nsec=1000}, {tv_sec=4, tv_nsec=5}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)"
        );
    }

    #[test]
    fn select_sets_print_as_passed_in_and_the_result_after_the_return() {
        let fds = |bits: u64| bits.to_ne_bytes().to_vec();
        let passed = libc::timespec {
            tv_sec: 0,
            tv_nsec: 20_000_000,
        };
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // A timeout: the kernel cleared the set and the time left; strace shows the input.
        let blobs = vec![
            blob(1, At::Enter, fds(1 << 3)),
            blob(1, At::Exit, fds(0)),
            blob(4, At::Enter, bytes_of(&passed)),
            blob(4, At::Exit, bytes_of(&zero)),
        ];
        assert_eq!(
            line(270, [4, P, 0, 0, P + 64, 0], 0, blobs),
            "pselect6(4, [3], NULL, NULL, {tv_sec=0, tv_nsec=20000000}, NULL) = 0 (Timeout)"
        );
        let left = libc::timespec {
            tv_sec: 0,
            tv_nsec: 5,
        };
        let blobs = vec![
            blob(1, At::Enter, fds(1 << 3 | 1)),
            blob(1, At::Exit, fds(1 << 3)),
            blob(4, At::Enter, bytes_of(&passed)),
            blob(4, At::Exit, bytes_of(&left)),
        ];
        assert_eq!(
            line(270, [4, P, 0, 0, P + 64, 0], 1, blobs),
            "pselect6(4, [0 3], NULL, NULL, {tv_sec=0, tv_nsec=20000000}, NULL) = 1 (in [3], left {tv_sec=0, tv_nsec=5})"
        );
    }
}

/// `--json` writes data once, in `message` (schema 4): what a call transfers (a write's or
/// read's buffer, a read of nothing) is marked data; a path keeps its `string`.
#[test]
fn buffers_are_data_and_paths_are_not() {
    use crate::decode::Arg;
    let decoded = |nr: u32, args: [u64; 6], ret: i64, blobs: Vec<Blob>| {
        decode(
            &RawSyscall::whole(100, nr, args, ret, blobs),
            &DecodeOptions::default(),
        )
    };
    let is_data = |a: &Arg| match a {
        Arg::Str { data, .. } => Some(*data),
        _ => None,
    };
    let hello = || vec![blob(1, At::Enter, b"hello".to_vec())];
    let write = decoded(libc::SYS_write as u32, [1, P, 5, 0, 0, 0], 5, hello());
    assert_eq!(is_data(&write.args[1]), Some(true));
    let read = decoded(libc::SYS_read as u32, [3, P, 64, 0, 0, 0], 5, hello());
    assert_eq!(is_data(&read.args[1]), Some(true));
    let eof = decoded(libc::SYS_read as u32, [3, P, 64, 0, 0, 0], 0, Vec::new());
    assert_eq!(is_data(&eof.args[1]), Some(true));
    let path = vec![blob(1, At::Enter, b"/etc/hostname".to_vec())];
    let open = decoded(libc::SYS_openat as u32, [AT_FDCWD, P, 0, 0, 0, 0], 3, path);
    assert_eq!(is_data(&open.args[1]), Some(false));
}
