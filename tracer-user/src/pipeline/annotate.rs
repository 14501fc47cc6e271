//! Notes tracer adds after a line when asked (`--annotate`, `--match`), in a trailing
//! `/* ... */` so the rest of the line stays strace's: where each connection fd the call uses
//! came from, and for "too many open files" errors how many the process has and may have.

use std::{collections::BTreeSet, fs};

use crate::{
    decode::{Ret, Syscall},
    fdtable::{
        FdTable, collect_fds,
        origin::{How, Origin},
    },
    format::stamp::Clock,
};

const ENFILE: u32 = 23;
const EMFILE: u32 = 24;

/// ` /* fd 10: accepted from 192.168.10.1:58952 by accept(8) at 08:12:33.123456 */`, or
/// nothing when there is nothing to say.
pub fn annotations(sc: &Syscall, table: Option<&FdTable>, clock: &Clock, out: &mut String) {
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
        Ret::Error(EMFILE) => notes.push(fd_limits(sc.tgid)),
        Ret::Error(ENFILE) => {
            notes.push(fd_limits(sc.tgid));
            notes.push(system_files());
        }
        _ => {}
    }
    if !notes.is_empty() {
        out.push_str(" /* ");
        out.push_str(&notes.join("; "));
        out.push_str(" */");
    }
}

fn origin_text(o: &Origin, clock: &Clock) -> String {
    let peer = o
        .peer
        .as_ref()
        .map_or_else(|| "an unnamed peer".to_string(), ToString::to_string);
    let when =
        o.ts.map(|t| format!(" at {}", clock.wall(t)))
            .unwrap_or_default();
    match &o.how {
        How::Accepted { call, listener } => {
            format!("accepted from {peer} by {call}({listener}){when}")
        }
        How::Connected => format!("connected to {peer}{when}"),
        How::Inherited => format!("connection with {peer}, open before tracing began"),
    }
}

/// `1024 fds open, RLIMIT_NOFILE 1024 (hard 524288)`, read now from /proc.
fn fd_limits(tgid: u32) -> String {
    let open = fs::read_dir(format!("/proc/{tgid}/fd"))
        .map(|d| d.count().to_string())
        .unwrap_or_else(|_| "?".into());
    let (soft, hard) = fs::read_to_string(format!("/proc/{tgid}/limits"))
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("Max open files"))?;
            let cols: Vec<&str> = line["Max open files".len()..].split_whitespace().collect();
            Some((cols.first()?.to_string(), cols.get(1)?.to_string()))
        })
        .unwrap_or_else(|| ("?".into(), "?".into()));
    format!("pid {tgid} has {open} fds open, RLIMIT_NOFILE {soft} (hard {hard})")
}

/// `system: 2144 files open, fs.file-max 9223372036854775807`.
fn system_files() -> String {
    let text = fs::read_to_string("/proc/sys/fs/file-nr").unwrap_or_default();
    let cols: Vec<&str> = text.split_whitespace().collect();
    format!(
        "system: {} files open, fs.file-max {}",
        cols.first().unwrap_or(&"?"),
        cols.get(2).unwrap_or(&"?")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fdtable::origin::Peer;
    use crate::{decode::Arg, format::stamp::StampMode};

    #[test]
    fn emfile_names_the_limit() {
        let sc = Syscall::new(
            std::process::id(),
            "accept",
            vec![Arg::Fd(15)],
            Ret::Error(EMFILE),
        );
        let mut out = String::new();
        annotations(&sc, None, &Clock::with_offset(StampMode::None, 0), &mut out);
        assert!(out.starts_with(" /* pid "), "{out}");
        assert!(out.contains("fds open, RLIMIT_NOFILE "), "{out}");
        assert!(!out.contains('?'), "{out}");
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
