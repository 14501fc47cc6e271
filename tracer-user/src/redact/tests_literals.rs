//! Connection strings inside SQL string literals, and environment variables passed as
//! options in argv (`docker run -e NAME=VALUE`).

use tracer_common::wire::StrvWriter;

use super::{
    sql::Sql,
    tests::{message, startup_packet, write_call},
    *,
};
use crate::decode::bytes::strv_items;

#[test]
fn connection_strings_in_sql_literals_are_masked() {
    for (given, want) in [
        (
            "CREATE SUBSCRIPTION s CONNECTION 'host=h password=s3cr3tB dbname=x' PUBLICATION p",
            "CREATE SUBSCRIPTION s CONNECTION 'host=h password=******* dbname=x' PUBLICATION p",
        ),
        (
            "SELECT dblink_connect('host=h password=s3cr3tC')",
            "SELECT dblink_connect('host=h password=*******')",
        ),
        (
            "SELECT dblink_connect('c', 'postgres://u:s3cr3tD@h/db')",
            "SELECT dblink_connect('c', 'postgres://u:*******@h/db')",
        ),
        // SQL doubles a quote in a literal: libpq reads `password='s3 cr3t'` there.
        (
            "SELECT dblink_connect('password=''s3 cr3t'' host=h')",
            "SELECT dblink_connect('password=''*******'' host=h')",
        ),
        // A password with a doubled quote in it, unquoted for libpq.
        (
            "SELECT dblink_connect('password=s3''x host=h')",
            "SELECT dblink_connect('password=***** host=h')",
        ),
        // The keyword in any case, with blanks around `=` as libpq allows.
        (
            "SELECT dblink_connect('host=h PaSsWoRd = s3cr3tE')",
            "SELECT dblink_connect('host=h PaSsWoRd = *******')",
        ),
        // An apostrophe in a comment opens a literal to the next quote: text with `=` but
        // no keyword or URI in it stays as it is.
        (
            "SELECT 1; -- the statement's text, a = 1, b = 2, pass = 3, word",
            "SELECT 1; -- the statement's text, a = 1, b = 2, pass = 3, word",
        ),
        // Outside a literal nothing is read as a connection string.
        (
            "SELECT password FROM t WHERE a = 'x=1' AND b = 'http://h/'",
            "SELECT password FROM t WHERE a = 'x=1' AND b = 'http://h/'",
        ),
    ] {
        let mut s = given.as_bytes().to_vec();
        sql_literals(&mut s);
        assert_eq!(String::from_utf8_lossy(&s), want, "{given}");
    }
}

/// A query's text in pieces: a literal open at a piece's end goes on in the next, a quote
/// that ends a piece is the literal's end or the first of a doubled quote.
#[test]
fn literals_are_followed_across_pieces() {
    let mut sql = Sql::default();
    let mut pieces: Vec<Vec<u8>> = [
        &b"SELECT dblink_connect('"[..],
        b"host=h password=s3cr3tE",
        b" dbname=x'",
        b", 'password=s3cr3tF')",
    ]
    .iter()
    .map(|p| p.to_vec())
    .collect();
    for p in pieces.iter_mut() {
        sql.scan(p);
    }
    let text = String::from_utf8_lossy(&pieces.concat()).into_owned();
    assert_eq!(
        text,
        "SELECT dblink_connect('host=h password=******* dbname=x', 'password=*******')"
    );
}

/// A simple query message on a followed connection: its literals' passwords masked.
#[test]
fn a_subscriptions_connection_string_is_masked_in_a_query_message() {
    let mut r = Redactor::default();
    write_call(&mut r, 1, 3, &startup_packet());
    let q = message(
        b'Q',
        b"CREATE SUBSCRIPTION s CONNECTION 'host=h password=s3cr3tB dbname=x' PUBLICATION p\0",
    );
    let out = String::from_utf8_lossy(&write_call(&mut r, 1, 3, &q)).into_owned();
    assert!(out.contains("'host=h password=******* dbname=x'"), "{out}");
}

fn strv(items: &[&[u8]]) -> Vec<u8> {
    let mut w = StrvWriter::new(64);
    for s in items {
        w.push(s, 0, 0x1000);
    }
    w.finish(0)
}

fn items(data: &[u8]) -> Vec<String> {
    strv_items(data)
        .into_iter()
        .map(|(_, r)| String::from_utf8_lossy(&data[r]).into_owned())
        .collect()
}

/// `-e NAME=VALUE`, `--env NAME=VALUE`, `--env=NAME=VALUE`, `-eNAME=VALUE`: the value masked
/// as the environment's values are when the name is a secret's; `-e` before something that is
/// no such assignment (grep's pattern, `x=1`) left alone.
#[test]
fn environment_variables_passed_as_options_are_masked() {
    let mut argv = strv(&[
        b"docker",
        b"run",
        b"-e",
        b"POSTGRES_PASSWORD=s3cr3tA",
        b"--env",
        b"PGPASSWORD=s3cr3tB",
        b"-e",
        b"MYSQL_PWD=s3cr3tC",
        b"--env=DB_PASSWORD=s3cr3tD",
        b"-eTOKEN=s3cr3tE",
        b"-e",
        b"HOME",
        b"postgres",
        b"-e",
        b"a b=c",
        b"-e",
        b"x=1",
        b"-eLANG=C",
        b"-e",
        b"github_token=s3cr3tF",
    ]);
    exec::argv(&mut argv);
    assert_eq!(
        items(&argv),
        [
            "docker",
            "run",
            "-e",
            "POSTGRES_PASSWORD=*******",
            "--env",
            "PGPASSWORD=*******",
            "-e",
            "MYSQL_PWD=*******",
            "--env=DB_PASSWORD=*******",
            "-eTOKEN=*******",
            "-e",
            "HOME",
            "postgres",
            "-e",
            "a b=c",
            "-e",
            "x=1",
            "-eLANG=C",
            "-e",
            "github_token=*******",
        ]
    );
    // The same argv read back from the new image.
    let mut area = vec![0u8; 16];
    area.extend_from_slice(b"/usr/bin/docker\0run\0-e\0POSTGRES_PASSWORD=s3cr3tA\0x\0");
    exec::exec_area(&mut area);
    let text = String::from_utf8_lossy(&area);
    assert!(text.contains("POSTGRES_PASSWORD=*******\0x"), "{text}");
}
