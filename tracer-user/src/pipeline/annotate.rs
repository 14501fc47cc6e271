//! Notes tracer adds after a line when asked (`--annotate`, `--match`), in a trailing
//! `/* ... */` so the rest of the line stays strace's: where each connection fd the call uses
//! came from, and for "too many open files" errors how many the process has and may have.

use std::collections::BTreeSet;

use crate::{
    decode::{Ret, Syscall},
    fdtable::{
        FdTable, collect_fds,
        origin::{How, Origin},
    },
    format::stamp::Clock,
    pipeline::{FdLimits, Host, SystemFiles},
};

const ENFILE: u32 = 23;
const EMFILE: u32 = 24;

/// ` /* fd 10: accepted from 192.168.10.1:58952 by accept(8) at 08:12:33.123456 */`, or
/// nothing when there is nothing to say.
pub fn annotations(
    sc: &Syscall,
    table: Option<&FdTable>,
    clock: &Clock,
    host: &dyn Host,
    out: &mut String,
) {
    let notes = notes(sc, table, clock, host);
    if !notes.is_empty() {
        out.push_str(" /* ");
        out.push_str(&notes.join("; "));
        out.push_str(" */");
    }
}

/// What there is to say about `sc`: `fd 10: accepted from ...`, fd limits.
pub fn notes(sc: &Syscall, table: Option<&FdTable>, clock: &Clock, host: &dyn Host) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(table) = table {
        let mut fds = Vec::new();
        sc.args.iter().for_each(|a| collect_fds(a, &mut fds));
        let fds: BTreeSet<i32> = fds.into_iter().filter(|&fd| fd >= 0).collect();
        for fd in fds {
            if let Some(o) = table.origin(sc.tgid, fd) {
                notes.push(format!("fd {fd}: {}", origin_text(o, clock)));
            }
        }
    }
    match sc.ret {
        Ret::Error(EMFILE) => notes.push(fd_limits(sc.tgid, &host.fd_limits(sc.tgid))),
        Ret::Error(ENFILE) => {
            notes.push(fd_limits(sc.tgid, &host.fd_limits(sc.tgid)));
            notes.push(system_files(&host.system_files()));
        }
        _ => {}
    }
    notes
}

/// `accepted from PEER by accept(8) at ...`; a peer the call was not asked for and the
/// socket's description does not name (`accept(fd, NULL, NULL)` without `-yy`) is left out,
/// never called unnamed.
fn origin_text(o: &Origin, clock: &Clock) -> String {
    let when =
        o.ts.map(|t| format!(" at {}", clock.wall(t)))
            .unwrap_or_default();
    let peer = o.peer.as_ref();
    match (&o.how, peer) {
        (How::Accepted { call, listener }, Some(peer)) => {
            format!("accepted from {peer} by {call}({listener}){when}")
        }
        (How::Accepted { call, listener }, None) => {
            format!("accepted by {call}({listener}){when}")
        }
        (How::Connected, Some(peer)) => format!("connected to {peer}{when}"),
        (How::Connected, None) => format!("connected{when}"),
        (How::Inherited, Some(peer)) => {
            format!("connection with {peer}, open before tracing began")
        }
        (How::Inherited, None) => "connection open before tracing began".to_string(),
    }
}

/// `pid 10 has 1024 fds open, RLIMIT_NOFILE 1024 (hard 524288)` (`?` for what is not known).
fn fd_limits(tgid: u32, l: &FdLimits) -> String {
    let open = l.open.map_or_else(|| "?".into(), |n| n.to_string());
    let (soft, hard) = l.nofile.clone().unwrap_or_else(|| ("?".into(), "?".into()));
    format!("pid {tgid} has {open} fds open, RLIMIT_NOFILE {soft} (hard {hard})")
}

/// `system: 2144 files open, fs.file-max 9223372036854775807`.
fn system_files(f: &SystemFiles) -> String {
    format!(
        "system: {} files open, fs.file-max {}",
        f.open.as_deref().unwrap_or("?"),
        f.max.as_deref().unwrap_or("?")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fdtable::origin::Peer;
    use crate::{decode::Arg, format::stamp::StampMode, pipeline::host::Fake};

    /// A system with a process 10 at its fd limit.
    fn full() -> Fake {
        Fake {
            limits: [(
                10,
                FdLimits {
                    open: Some(1024),
                    nofile: Some(("1024".into(), "unlimited".into())),
                },
            )]
            .into(),
            files: SystemFiles {
                open: Some("2144".into()),
                max: Some("9223372036854775807".into()),
            },
            ..Fake::default()
        }
    }

    fn notes(ret: Ret, tgid: u32, host: &dyn Host) -> String {
        let sc = Syscall::new(tgid, "accept", vec![Arg::Fd(15)], ret);
        let mut out = String::new();
        let clock = Clock::with_offset(StampMode::None, 0);
        annotations(&sc, None, &clock, host, &mut out);
        out
    }

    #[test]
    fn emfile_and_enfile_name_the_limits() {
        assert_eq!(
            notes(Ret::Error(EMFILE), 10, &full()),
            " /* pid 10 has 1024 fds open, RLIMIT_NOFILE 1024 (hard unlimited) */"
        );
        assert_eq!(
            notes(Ret::Error(ENFILE), 10, &full()),
            " /* pid 10 has 1024 fds open, RLIMIT_NOFILE 1024 (hard unlimited); \
             system: 2144 files open, fs.file-max 9223372036854775807 */"
        );
        // What the system does not say shows as `?`.
        assert_eq!(
            notes(Ret::Error(EMFILE), 11, &full()),
            " /* pid 11 has ? fds open, RLIMIT_NOFILE ? (hard ?) */"
        );
        assert_eq!(
            notes(Ret::Error(ENFILE), 11, &crate::pipeline::Unknown),
            " /* pid 11 has ? fds open, RLIMIT_NOFILE ? (hard ?); \
             system: ? files open, fs.file-max ? */"
        );
        assert_eq!(notes(Ret::Value(3), 10, &full()), "");
    }

    fn text_starts(o: &Origin, clock: &Clock, start: &str) -> bool {
        origin_text(o, clock).starts_with(start)
    }

    #[test]
    fn origins_read_naturally() {
        let clock = Clock::with_offset(StampMode::None, 0);
        let o = Origin {
            how: How::Accepted {
                call: "accept",
                listener: 8,
            },
            peer: Some(Peer::Inet("192.168.10.1:58952".parse().expect("addr"))),
            ts: Some(1_000_000),
        };
        let text = origin_text(&o, &clock);
        assert!(
            text.starts_with("accepted from 192.168.10.1:58952 by accept(8) at "),
            "{text}"
        );
        // No address asked for and none known: no peer claimed.
        let o = Origin { peer: None, ..o };
        assert!(text_starts(&o, &clock, "accepted by accept(8) at "));
        let o = Origin {
            peer: Some(Peer::Unnamed),
            ..o
        };
        assert!(text_starts(
            &o,
            &clock,
            "accepted from an unnamed peer by accept(8) at "
        ));
        let inherited = Origin {
            how: How::Inherited,
            peer: Some(Peer::Inet("10.0.0.1:5432".parse().expect("addr"))),
            ts: None,
        };
        assert_eq!(
            origin_text(&inherited, &clock),
            "connection with 10.0.0.1:5432, open before tracing began"
        );
    }
}
