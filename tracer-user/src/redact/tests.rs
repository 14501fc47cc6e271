use super::{
    exec::{conninfo, pgpassword},
    *,
};
use crate::decode::bytes::strv_items;

pub(super) fn message(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![kind];
    m.extend_from_slice(&(payload.len() as u32 + 4).to_be_bytes());
    m.extend_from_slice(payload);
    m
}

pub(super) fn masked(s: &[u8]) -> usize {
    s.iter().filter(|&&b| b == MASK).count()
}

#[test]
fn password_messages_are_masked() {
    let mut md5 = message(b'p', b"md5e3b0c44298fc1c149afbf4c8996fb924\0");
    let n = md5.len();
    assert!(pg_passwords(&mut md5, n));
    assert_eq!(&md5[..5], &[b'p', 0, 0, 0, 40]);
    assert!(md5[5..].iter().all(|&b| b == b'*'));
    let mut text = b"password=hunter2 is not a protocol message".to_vec();
    let n = text.len();
    assert!(!pg_passwords(&mut text, n));
}

#[test]
fn a_message_split_over_calls_is_followed() {
    let mut s = Stream::default();
    let msg = message(b'p', b"secret-pw\0");
    let (mut head, mut body) = (msg[..5].to_vec(), msg[5..].to_vec());
    s.transfer(&mut head, 5);
    assert_eq!(head, msg[..5]);
    let n = body.len() as u64;
    s.transfer(&mut body, n);
    assert_eq!(masked(&body), body.len());
    // The header itself split: 3 bytes, then 2 and the body.
    let mut s = Stream::default();
    let mut q = message(b'Q', b"select 1\0");
    let qn = q.len() as u64;
    s.transfer(&mut q, qn);
    let (mut a, mut b) = (msg[..3].to_vec(), msg[3..].to_vec());
    s.transfer(&mut a, 3);
    let bn = b.len() as u64;
    s.transfer(&mut b, bn);
    assert_eq!(masked(&b), msg.len() - 5);
}

#[test]
fn sql_password_literals_are_masked_in_pieces() {
    let mut s =
        b"ALTER ROLE x PASSWORD 'sec''ret1'; CREATE ROLE y LOGIN password  'secret2'".to_vec();
    sql_literals(&mut s);
    assert_eq!(
        String::from_utf8_lossy(&s),
        "ALTER ROLE x PASSWORD '*********'; CREATE ROLE y LOGIN password  '*******'"
    );
    let mut sql = Sql::default();
    let (mut a, mut b) = (
        b"ALTER USER u PASSW".to_vec(),
        b"ORD 'SCRAM-SHA-256$x'".to_vec(),
    );
    sql.scan(&mut a);
    sql.scan(&mut b);
    assert_eq!(String::from_utf8_lossy(&b), "ORD '***************'");
    for (given, want) in [
        ("PASSWORD/**/'sek'", "PASSWORD/**/'***'"),
        (
            "PASSWORD /* a /* b */ c */ 'sek'",
            "PASSWORD /* a /* b */ c */ '***'",
        ),
        ("PASSWORD U&'sek'", "PASSWORD U&'***'"),
        ("password u&'sek'", "password u&'***'"),
        ("PASSWORD E'sek'", "PASSWORD E'***'"),
        ("PASSWORD -- c\n 'sek'", "PASSWORD -- c\n '***'"),
        ("PASSWORD\n\t'sek'", "PASSWORD\n\t'***'"),
        ("PASSWORD NULL, 'x'", "PASSWORD NULL, 'x'"),
    ] {
        let mut s = given.as_bytes().to_vec();
        sql_literals(&mut s);
        assert_eq!(String::from_utf8_lossy(&s), want, "{given}");
    }
    // A comment split across calls.
    let mut sql = Sql::default();
    let (mut a, mut b) = (b"PASSWORD /* x *".to_vec(), b"/ U&'sek'".to_vec());
    sql.scan(&mut a);
    sql.scan(&mut b);
    assert_eq!(String::from_utf8_lossy(&b), "/ U&'***'");
    let mut other = b"SELECT password_encryption, 'x'".to_vec();
    sql_literals(&mut other);
    assert_eq!(masked(&other), 0);
}

#[test]
fn connection_strings_in_argv() {
    for (given, want) in [
        (
            "host=db user=app password=hunter2 dbname=x",
            "host=db user=app password=******* dbname=x",
        ),
        ("password='a b' x", "password='***' x"),
        (
            "postgresql://app:hunter2@db:5432/x?password=zz&a=b",
            "postgresql://app:*******@db:5432/x?password=**&a=b",
        ),
        ("--no-password", "--no-password"),
        ("host=h password = hunter2 x", "host=h password = ******* x"),
        ("password =ab", "password =**"),
        ("password= ab c", "password= ** c"),
        ("user=u\npassword=ab\nx=1", "user=u\npassword=**\nx=1"),
        ("password = 'a b'", "password = '***'"),
    ] {
        let mut s = given.as_bytes().to_vec();
        conninfo(&mut s);
        assert_eq!(String::from_utf8_lossy(&s), want);
    }
}

/// `PGPASSWORD=` anywhere a shell word starts, its value masked to the end of that word.
#[test]
fn pgpassword_assignments_in_shell_commands() {
    for (given, want) in [
        ("PGPASSWORD=a b", "PGPASSWORD=***"),
        (
            "export PGPASSWORD=Sekr3t1; PGPASSWORD=Sekr3t1b pg_dump x; true",
            "export PGPASSWORD=*******; PGPASSWORD=******** pg_dump x; true",
        ),
        ("A=1 PGPASSWORD=Sekr3tA true", "A=1 PGPASSWORD=******* true"),
        (
            "declare -x PGPASSWORD=Sekr3tD; true",
            "declare -x PGPASSWORD=*******; true",
        ),
        ("x PGPASSWORD='a b'\"c d\"e f", "x PGPASSWORD=*********** f"),
        ("export \"PGPASSWORD=a b\" c", "export \"PGPASSWORD=**** c"),
        ("a;PGPASSWORD=x\\ y|z", "a;PGPASSWORD=****|z"),
        ("(pgpassword=ab)", "(pgpassword=**)"),
        ("x PGPASSWORD='cut off", "x PGPASSWORD=********"),
        ("x PGPASSWORD= y", "x PGPASSWORD= y"),
        ("MYPGPASSWORD=kept x", "MYPGPASSWORD=kept x"),
    ] {
        let mut s = given.as_bytes().to_vec();
        pgpassword(&mut s);
        assert_eq!(String::from_utf8_lossy(&s), want, "{given}");
    }
    // The same through execve's argv.
    use tracer_common::wire::StrvWriter;
    let mut w = StrvWriter::new(64);
    for a in [&b"sh"[..], b"-c", b"export PGPASSWORD=Sekr3t1; pg_dump"] {
        w.push(a, 0, 0x1000);
    }
    let execve = crate::tables::by_name("execve").expect("execve").nr;
    let blobs = vec![Blob::at_exit(1, CAP_STRV, w.finish(0))];
    let mut raw = RawSyscall::whole(1, execve, [0; 6], 0, blobs);
    Redactor::default().syscall(&mut raw);
    let text = String::from_utf8_lossy(&raw.blobs[0].data).into_owned();
    assert!(
        !text.contains("Sekr3t1") && text.contains("pg_dump"),
        "{text}"
    );
}

#[test]
fn a_startup_packet_then_messages() {
    let mut startup = 16u32.to_be_bytes().to_vec();
    startup.extend_from_slice(&196_608u32.to_be_bytes());
    startup.extend_from_slice(b"user\0x\0\0\0");
    startup.truncate(16);
    let mut all = startup.clone();
    all.extend(message(b'p', b"pw\0"));
    let mut s = Stream::default();
    let n = all.len() as u64;
    s.transfer(&mut all, n);
    assert_eq!(masked(&all), 3);
    // TLS after SSLRequest: opaque, nothing masked.
    let mut tls = vec![0x16, 3, 1, 0, 0x50, b'p', 1, 2];
    let mut s = Stream::default();
    s.transfer(&mut tls, 8);
    assert_eq!(masked(&tls), 0);
}

#[test]
fn an_exec_area_read_back_from_the_new_image_is_masked_as_argv() {
    let mut area = vec![0u8; 16];
    area.extend_from_slice(b"./pgwire\0host=db user=app password=hunter2 dbname=x\0");
    area.extend_from_slice(b"ALTER ROLE x PASSWORD 'secret1'\0");
    exec_area(&mut area);
    let text = String::from_utf8_lossy(&area);
    assert!(
        !text.contains("hunter2") && !text.contains("secret1"),
        "{text}"
    );
    assert!(text.contains("password=******* dbname=x"), "{text}");
    assert!(text.contains("./pgwire"), "{text}");
}

/// execve's environment captured with -v: every value masked, names kept, whatever the
/// variable; argv in the same call is masked as argv.
#[test]
fn an_environment_printed_in_full_has_its_values_masked() {
    use tracer_common::wire::StrvWriter;
    let strv = |items: &[&[u8]]| {
        let mut w = StrvWriter::new(64);
        for s in items {
            w.push(s, 0, 0x1000);
        }
        w.finish(0)
    };
    let envp = strv(&[
        b"PGPASSWORD=s3cret",
        b"HOME=/home/dba",
        b"EMPTY=",
        b"NOEQUALS",
    ]);
    let argv = strv(&[b"psql", b"password=hunter2"]);
    let execve = crate::tables::by_name("execve").expect("execve").nr;
    let blobs = vec![
        Blob::at_exit(1, CAP_STRV, argv),
        Blob::at_exit(2, CAP_STRV, envp),
    ];
    let mut raw = RawSyscall::whole(1, execve, [0; 6], 0, blobs);
    Redactor::default().syscall(&mut raw);
    let items = |b: &Blob| -> Vec<String> {
        strv_items(&b.data)
            .into_iter()
            .map(|(_, r)| String::from_utf8_lossy(&b.data[r]).into_owned())
            .collect()
    };
    assert_eq!(
        items(&raw.blobs[1]),
        ["PGPASSWORD=******", "HOME=*********", "EMPTY=", "********"]
    );
    assert_eq!(items(&raw.blobs[0]), ["psql", "password=*******"]);
}

#[test]
fn a_stream_picked_up_mid_way_follows_a_header_cut_over_calls() {
    // Its start unseen (a narrowed -e trace=): `p`, then its length, then the body in two.
    let msg = message(b'p', b"hunter2-SECRET-pw\0");
    let mut s = Stream::default();
    let mut pieces: Vec<Vec<u8>> = vec![
        msg[..1].to_vec(),
        msg[1..5].to_vec(),
        msg[5..12].to_vec(),
        msg[12..].to_vec(),
    ];
    for p in pieces.iter_mut() {
        let n = p.len() as u64;
        s.transfer(p, n);
    }
    assert_eq!(masked(&pieces[2]) + masked(&pieces[3]), msg.len() - 5);
    // Text that starts with a letter is no header: nothing masked, the stream unsynced.
    let mut s = Stream::default();
    let (mut a, mut b) = (b"p".to_vec(), b"lain text, not a message".to_vec());
    s.transfer(&mut a, 1);
    let n = b.len() as u64;
    s.transfer(&mut b, n);
    assert_eq!(masked(&b), 0);
    assert!(!s.synced);
}

#[test]
fn a_startup_packet_after_an_ssl_request_keeps_the_stream() {
    // libpq's sslmode=prefer over TCP: SSLRequest, (the server's `N'), the startup packet,
    // then a password message cut after 3 bytes.
    let mut ssl = vec![0, 0, 0, 8, 4, 210, 22, 47];
    let mut startup = vec![0, 0, 0, 32, 0, 3, 0, 0];
    startup.extend_from_slice(b"user\0alice\0database\0db\0\0");
    let msg = message(b'p', b"hunter2-SECRET-pw\0");
    let (mut head, mut rest) = (msg[..3].to_vec(), msg[3..].to_vec());
    let mut s = Stream::default();
    for p in [&mut ssl, &mut startup, &mut head, &mut rest] {
        let n = p.len() as u64;
        s.transfer(p, n);
    }
    assert_eq!(masked(&startup), 0);
    assert_eq!(masked(&rest), msg.len() - 5);
}

#[test]
fn message_vectors_are_followed_entry_by_entry() {
    use tracer_common::{ArrayHeader, CAP_MSGHDR, IovecEntry, wire::push};
    // Two sendmmsg entries, each a mmsghdr blob (msg_len after the msghdr) and its iovecs:
    // a query, then a password message; the call sent both (ret 2).
    let entry = |data: &[u8]| {
        let mut hdr = vec![0u8; usize::from(MSGHDR_SIZE) + 8];
        hdr[usize::from(MSGHDR_SIZE)..][..4].copy_from_slice(&(data.len() as u32).to_le_bytes());
        let mut iov = Vec::new();
        let slot = data.len() as u32;
        push(
            &mut iov,
            &ArrayHeader {
                count: 1,
                flags: 0,
                slot,
                _pad0: 0,
            },
        );
        let len = data.len() as u64;
        push(
            &mut iov,
            &IovecEntry {
                base: 0x1000,
                len,
                captured: slot,
                flags: 0,
            },
        );
        iov.extend_from_slice(data);
        [
            Blob::at_exit(1, CAP_MSGHDR, hdr),
            Blob::at_exit(1, CAP_IOVEC, iov),
        ]
    };
    let query = message(b'Q', b"select 1\0");
    let msg = message(b'p', b"hunter2-SECRET-pw\0");
    let mut blobs: Vec<Blob> = entry(&query).into_iter().chain(entry(&msg)).collect();
    let mut s = Stream::default();
    walk_mmsg(&mut s, &mut blobs, 2);
    let tail = &blobs[3].data[blobs[3].data.len() - msg.len()..];
    assert_eq!(&tail[..5], &msg[..5]);
    assert_eq!(masked(tail), msg.len() - 5);
    assert_eq!(masked(&blobs[1].data), 0);
    // The call sent a third message the kernel side did not capture (it keeps four entries):
    // a password's header, its body in the next write, masked; a query after it is not.
    let mut blobs: Vec<Blob> = entry(&query).into_iter().chain(entry(&query)).collect();
    let mut s = Stream::default();
    walk_mmsg(&mut s, &mut blobs, 3);
    let mut body = msg[5..].to_vec();
    let n = body.len() as u64;
    s.transfer(&mut body, n);
    assert_eq!(masked(&body), body.len());
    let mut next = query.clone();
    s.transfer(&mut next, query.len() as u64);
    assert_eq!(masked(&next), 0);
}

#[test]
fn a_literal_continued_after_a_newline_is_the_same_password() {
    let mut s = b"ALTER ROLE x PASSWORD 'sqlsec'\n  'ret14'; SELECT 'shown'".to_vec();
    sql_literals(&mut s);
    assert_eq!(
        String::from_utf8_lossy(&s),
        "ALTER ROLE x PASSWORD '******'\n  '*****'; SELECT 'shown'"
    );
    // Without a newline between them two literals are a syntax error, not one string: the
    // second is left (PostgreSQL never takes it as the password).
    let mut s = b"ALTER ROLE x PASSWORD 'a' 'b'".to_vec();
    sql_literals(&mut s);
    assert_eq!(String::from_utf8_lossy(&s), "ALTER ROLE x PASSWORD '*' 'b'");
}

/// A whole `write(fd, data, len)` by process `pid`, run through `r`; returns what it shows.
pub(super) fn write_call(r: &mut Redactor, pid: u32, fd: i32, data: &[u8]) -> Vec<u8> {
    let write = crate::tables::by_name("write").expect("write").nr;
    let blobs = vec![Blob::at_exit(1, CAP_BUF_ARG, data.to_vec())];
    let args = [fd as u64, 0x1000, data.len() as u64, 0, 0, 0];
    let mut raw = RawSyscall::whole(pid, write, args, data.len() as i64, blobs);
    r.syscall(&mut raw);
    raw.blobs.remove(0).data
}

/// A connection on fd 3 that sent a startup packet and the first 10 bytes of a 995-byte
/// query, then died (its close untraced).
fn dead_query() -> Redactor {
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &startup_packet());
    let mut q = b"Q".to_vec();
    q.extend_from_slice(&1000u32.to_be_bytes());
    q.extend_from_slice(b"SELECT 1  ");
    write_call(&mut r, 1, 3, &q);
    r
}

pub(super) fn startup_packet() -> Vec<u8> {
    let mut p = 23u32.to_be_bytes().to_vec();
    p.extend_from_slice(&196_608u32.to_be_bytes());
    p.extend_from_slice(b"user\0postgres\0\0");
    p
}

#[test]
fn a_password_body_written_through_another_fd_is_masked() {
    let msg = message(b'p', b"hunter2SECRETpw\0");
    // A dup (same process, another fd) and a forked child (another process, same fd).
    for (pid, fd) in [(1, 4), (2, 3)] {
        let mut r = Redactor::default();
        write_call(&mut r, 1, 3, &startup_packet());
        assert_eq!(write_call(&mut r, 1, 3, &msg[..5]), msg[..5]);
        let (a, b) = msg[5..].split_at(7);
        let shown = write_call(&mut r, pid, fd, a);
        assert_eq!(masked(&shown), a.len(), "{pid} {fd}");
        // Its rest, later, on either fd: the place is lost on both.
        assert_eq!(masked(&write_call(&mut r, pid, fd, b)), b.len());
        let mut r2 = Redactor::default();
        write_call(&mut r2, 1, 3, &msg[..5]);
        write_call(&mut r2, pid, fd, a);
        assert_eq!(masked(&write_call(&mut r2, 1, 3, b)), b.len());
        // A message start on the first fd picks it up again.
        let q = message(b'Q', b"select 1\0");
        assert_eq!(write_call(&mut r2, 1, 3, &q), q);
    }
    // A message written meanwhile on another connection is no body: left alone.
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &msg[..5]);
    let q = message(b'Q', b"select 1\0");
    assert_eq!(write_call(&mut r, 1, 5, &q), q);
    assert_eq!(masked(&write_call(&mut r, 1, 3, &msg[5..])), msg.len() - 5);
}

#[test]
fn a_startup_packet_starts_the_stream_over() {
    // A connection died mid-query, its close untraced; a new one got its fd number.
    let mut r = dead_query();
    write_call(&mut r, 1, 3, &startup_packet());
    let msg = message(b'p', b"hunter2REUSEpw\0");
    let shown = write_call(&mut r, 1, 3, &msg);
    assert_eq!(masked(&shown), msg.len() - 5);
}

#[test]
fn a_nul_inside_a_query_loses_the_place() {
    // The fd number reused without a startup packet: the password message reads as the rest
    // of the dead connection's query, until its NUL.
    let mut r = dead_query();
    let msg = message(b'p', b"hunter2REUSEpw\0");
    let shown = write_call(&mut r, 1, 3, &msg);
    assert_eq!(&shown[..2], b"p\0");
    assert_eq!(masked(&shown), msg.len() - 2);
    // Blind until a message starts a call.
    assert_eq!(masked(&write_call(&mut r, 1, 3, b"hunter2")), 7);
    let x = message(b'X', b"");
    assert_eq!(write_call(&mut r, 1, 3, &x), x);
    // A query's own terminating NUL, and one split over calls, are no such thing.
    let q = message(b'Q', b"select 1\0");
    let (a, b) = q.split_at(9);
    assert_eq!(write_call(&mut r, 1, 3, a), a);
    assert_eq!(write_call(&mut r, 1, 3, b), b);
    assert_eq!(write_call(&mut r, 1, 3, &x), x);
}

/// The plain-text skip (`Sql::skip_plain`) masks exactly what the byte-by-byte scan masks, for
/// every text cut into two or three pieces at every place: words cut by a piece's end, words
/// longer than the kept nine bytes, `p` inside words, the keyword at either end.
#[test]
fn the_plain_text_skip_masks_as_the_byte_scan() {
    let texts: [&[u8]; 12] = [
        b"ALTER ROLE x PASSWORD 'sec''ret'; SELECT 1",
        b"xpassword 'a' PASSWORDS 'b' _password 'c' password_x 'd'",
        b"abcdefghijpassword 'x' abcdefghpassword 'y'",
        b"select 'p', pp, Password\n'a'\n'b' PASSWORD",
        b"password",
        b"p",
        b"PASSWORD/* p /* password */ */'q' pass word 'r'",
        b"SELECT * FROM pgbench_accounts WHERE aid = 42;\0",
        b"PaSsWoRd E'x' PASSWORD U&'y' PASSWORD -- p\n'z'",
        b"1password 'a' ;password'b'",
        b"\0password\0'a'",
        b"",
    ];
    let reference = |pieces: &[&[u8]]| -> Vec<u8> {
        let mut sql = Sql::default();
        pieces
            .iter()
            .flat_map(|p| {
                let mut p = p.to_vec();
                sql.scan_bytes(&mut p);
                p
            })
            .collect()
    };
    let fast = |pieces: &[&[u8]]| -> Vec<u8> {
        let mut sql = Sql::default();
        pieces
            .iter()
            .flat_map(|p| {
                let mut p = p.to_vec();
                sql.scan(&mut p);
                p
            })
            .collect()
    };
    for text in texts {
        for i in 0..=text.len() {
            for j in i..=text.len() {
                let pieces = [&text[..i], &text[i..j], &text[j..]];
                assert_eq!(
                    String::from_utf8_lossy(&fast(&pieces)),
                    String::from_utf8_lossy(&reference(&pieces)),
                    "{:?}",
                    pieces.map(String::from_utf8_lossy)
                );
            }
        }
    }
    let mut q = b"SELECT 1 password 'x'".to_vec();
    sql_literals(&mut q);
    assert_eq!(q, b"SELECT 1 password '*'");
}
