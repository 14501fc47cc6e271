//! The redactor fails closed: after lost records, and wherever it cannot prove bytes are no
//! secret.

use super::{
    exec::conninfo,
    tests::{masked, message, startup_packet, write_call},
    *,
};

/// A loss report, as the source hands it over.
fn lost(r: &mut Redactor) {
    r.event(&mut RawEvent::Lost { count: 1 });
}

#[test]
fn after_a_loss_a_followed_stream_is_masked_until_a_whole_header() {
    let msg = message(b'p', b"s3cr3tpw\0");
    let (head, body) = msg.split_at(5);
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &startup_packet());
    // The header lost: its body reads as a message of kind `s` 862 MB long, or (a short
    // password) as a header cut by the call's end.
    lost(&mut r);
    assert_eq!(masked(&write_call(&mut r, 1, 3, body)), body.len());
    lost(&mut r);
    assert_eq!(masked(&write_call(&mut r, 1, 3, b"ab\0")), 3);
    // A whole header picks the stream up again: the next password is masked as before.
    assert_eq!(write_call(&mut r, 1, 3, head), head);
    assert_eq!(masked(&write_call(&mut r, 1, 3, body)), body.len());
    let q = message(b'Q', b"select 1\0");
    assert_eq!(write_call(&mut r, 1, 3, &q), q);
    // A stream never followed (a terminal) is left alone after a loss.
    write_call(&mut r, 1, 1, b"hello\n");
    lost(&mut r);
    assert_eq!(write_call(&mut r, 1, 1, b"world\n"), b"world\n");
}

#[test]
fn a_header_that_is_none_after_a_loss_loses_the_place_again() {
    // Picked up after a loss, then a second unreported gap: a header read as a body, and the
    // real body's bytes as a header that is none (`r3tpw`).
    let msg = message(b'p', b"s3cr3tpw\0");
    let (head, body) = msg.split_at(5);
    let mut s = Stream::default();
    s.transfer(&mut startup_packet(), 23);
    s.lose_to_loss();
    for part in [head, head] {
        let mut p = part.to_vec();
        s.transfer(&mut p, 5);
    }
    let mut b = body.to_vec();
    s.transfer(&mut b, 9);
    assert_eq!(masked(&b), 9, "{}", String::from_utf8_lossy(&b));
}

/// eBPF's exec area: the path's fixed slot keeps what the reused scratch area held past the
/// path (with `-v`, the same exec's environment strings, values in clear): zeroed, whatever
/// it is, and the path and argv kept.
#[test]
fn an_exec_areas_path_slot_keeps_no_stale_bytes() {
    use tracer_common::{EXEC_AREA_ARGV_AT, EXEC_AREA_PATH_AT, ExecArea};
    let argv = b"/bin/true\0x\0";
    let head = ExecArea {
        path_len: 9,
        argv_len: argv.len() as u32,
        path_flags: 0,
        argv_flags: 0,
    };
    let mut area = vec![0u8; EXEC_AREA_ARGV_AT];
    let mut h = Vec::new();
    tracer_common::wire::push(&mut h, &head);
    area[..h.len()].copy_from_slice(&h);
    let path_at = EXEC_AREA_PATH_AT;
    area[path_at..path_at + 10].copy_from_slice(b"/bin/true\0");
    let stale = b"AWS_SECRET_ACCESS_KEY=AKIAsecret\0MYSQL_PWD=mysqlpw\0=s3cr3tF\0";
    area[path_at + 10..path_at + 10 + stale.len()].copy_from_slice(stale);
    area.extend_from_slice(argv);
    let execve = crate::tables::by_name("execve").expect("execve").nr;
    let blobs = vec![Blob::at_exit(0, CAP_EXEC_AREA, area)];
    let mut raw = RawSyscall::whole(1, execve, [0; 6], 0, blobs);
    Redactor::default().syscall(&mut raw);
    let data = &raw.blobs[0].data;
    assert_eq!(&data[path_at..path_at + 10], b"/bin/true\0");
    assert!(
        data[path_at + 10..EXEC_AREA_ARGV_AT]
            .iter()
            .all(|&b| b == 0)
    );
    assert_eq!(&data[EXEC_AREA_ARGV_AT..], argv);
}

/// libpq's keyword/value rules (`conninfo_parse`): an unquoted value runs to a blank, a
/// backslash taking the next byte and `"` an ordinary byte; a single-quoted one to its
/// closing quote, with `\'` and `\\` escapes. Each password masked whole.
#[test]
fn conninfo_values_are_masked_as_libpq_reads_them() {
    for (given, want) in [
        ("host=h password=\"s3cr3tG\"", "host=h password=*********"),
        ("password=\"s3cr3tG2\" host=h", "password=********** host=h"),
        ("password=s3\\ cr3tQ host=h", "password=********* host=h"),
        ("password='s3\\'cr3tH'", "password='*********'"),
        (
            "host=h password='s3\\'cr3tH' user=u",
            "host=h password='*********' user=u",
        ),
        ("password='a\\\\' user=u", "password='***' user=u"),
        ("password=s3cr3t'R host=h", "password=******** host=h"),
        ("password=ab&c x", "password=**** x"),
        ("password='unterminated x", "password='**************"),
        ("x?password=zz&a=b", "x?password=**&a=b"),
        (
            "sh -c 'psql \"password=ab cd\"'",
            "sh -c 'psql \"password=** cd\"'",
        ),
        ("'password=ab' x", "'password=**' x"),
    ] {
        let mut s = given.as_bytes().to_vec();
        conninfo(&mut s);
        assert_eq!(String::from_utf8_lossy(&s), want, "{given}");
    }
}

/// A received call on fd 4 of process 1: `name`'s data `data`, `flags` in its flags slot.
fn recv_call(r: &mut Redactor, name: &str, flags: u64, data: &[u8]) -> Vec<u8> {
    let def = crate::tables::by_name(name).expect(name);
    let blobs = vec![Blob::at_exit(1, CAP_BUF_RET, data.to_vec())];
    let args = [4, 0x1000, 64, flags, 0, 0];
    let mut raw = RawSyscall::whole(1, def.nr, args, data.len() as i64, blobs);
    r.syscall(&mut raw);
    raw.blobs.remove(0).data
}

/// A peek leaves the bytes queued: the read that takes them must see the stream where the
/// peek found it.
#[test]
fn a_peek_does_not_move_the_stream() {
    let msg = message(b'p', b"s3cr3tpw\0");
    let mut r = Redactor::default();
    recv_call(&mut r, "recvfrom", 0, &startup_packet());
    assert_eq!(recv_call(&mut r, "recvfrom", 2, &msg[..5]), msg[..5]);
    let shown = recv_call(&mut r, "recvfrom", 0, &msg);
    assert_eq!(&shown[..5], &msg[..5]);
    assert_eq!(masked(&shown), msg.len() - 5);
    // A peek of a whole message is masked too, and so is the read after it.
    let shown = recv_call(&mut r, "recvfrom", 2, &msg);
    assert_eq!(masked(&shown), msg.len() - 5);
    assert_eq!(
        masked(&recv_call(&mut r, "recvfrom", 0, &msg)),
        msg.len() - 5
    );
}

/// pwritev2 at offset -1 writes at the fd's position: a socket's stream, as writev.
#[test]
fn pwritev2_at_offset_minus_one_is_a_stream_write() {
    use tracer_common::{ArrayHeader, IovecEntry, wire::push};
    let iov = |data: &[u8]| {
        let mut b = Vec::new();
        let slot = data.len() as u32;
        let head = ArrayHeader {
            count: 1,
            flags: 0,
            slot,
            _pad0: 0,
        };
        push(&mut b, &head);
        let entry = IovecEntry {
            base: 0x1000,
            len: data.len() as u64,
            captured: slot,
            flags: 0,
        };
        push(&mut b, &entry);
        b.extend_from_slice(data);
        b
    };
    let msg = message(b'p', b"s3cr3tpw\0");
    let pwritev2 = crate::tables::by_name("pwritev2").expect("pwritev2").nr;
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &startup_packet());
    for part in [&msg[..5], &msg[5..]] {
        let blobs = vec![Blob::at_exit(1, CAP_IOVEC, iov(part))];
        let args = [3, 0x2000, 1, u64::MAX, u64::MAX, 0];
        let mut raw = RawSyscall::whole(1, pwritev2, args, part.len() as i64, blobs);
        r.syscall(&mut raw);
        let data = &raw.blobs[0].data;
        let shown = &data[data.len() - part.len()..];
        match part.len() {
            5 => assert_eq!(shown, part),
            n => assert_eq!(masked(shown), n),
        }
    }
}

/// `write(fd, data, len)` whose first `seen` bytes were captured (`-s seen`).
fn cut_write(r: &mut Redactor, fd: i32, data: &[u8], seen: usize) -> Vec<u8> {
    let write = crate::tables::by_name("write").expect("write").nr;
    let blobs = vec![Blob::at_exit(1, CAP_BUF_ARG, data[..seen].to_vec())];
    let args = [fd as u64, 0x1000, data.len() as u64, 0, 0, 0];
    let mut raw = RawSyscall::whole(1, write, args, data.len() as i64, blobs);
    r.syscall(&mut raw);
    raw.blobs.remove(0).data
}

#[test]
fn a_header_only_the_capture_cut_proves_no_stream() {
    // `-s 2` on a file: "ab" reads as a cut header, never seen whole; its place then lost
    // must not mask the file's later writes (tracer printed "**" for "01").
    let mut r = Redactor::default();
    for text in [&b"abc"[..], b"de", b"0123456789", b"0123456789", b"TOPSE"] {
        assert_eq!(cut_write(&mut r, 3, text, 2), text[..2], "{text:?}");
    }
    // `-s 4` on mq-like messages: the same.
    for text in [&b"hello"[..], b"hello"] {
        assert_eq!(cut_write(&mut r, 4, text, 4), text[..4]);
    }
}

#[test]
fn a_followed_stream_cut_by_the_capture_stays_masked() {
    // A PostgreSQL connection under `-s 4`: once a header went by uncaptured, a password's
    // body in the next call is masked (tracer showed "s3cr"), and so is every later call
    // whose header the capture cuts.
    let msg = message(b'p', b"s3cr3tpw\0");
    let (head, body) = msg.split_at(5);
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &startup_packet());
    cut_write(&mut r, 3, head, 4);
    assert_eq!(masked(&cut_write(&mut r, 3, body, 4)), 4);
    let q = message(b'Q', b"select 1\0");
    assert_eq!(masked(&cut_write(&mut r, 3, &q, 4)), 4);
    // A whole header (a call of fewer bytes than -s) picks it up again.
    assert_eq!(
        write_call(&mut r, 1, 3, &message(b'S', b"")),
        message(b'S', b"")
    );
    // A real split (the call wrote 1 byte) is still followed tentatively.
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &startup_packet());
    assert_eq!(write_call(&mut r, 1, 3, &msg[..1]), &msg[..1]);
    assert_eq!(write_call(&mut r, 1, 3, &msg[1..5]), &msg[1..5]);
    assert_eq!(masked(&write_call(&mut r, 1, 3, body)), body.len());
}
