//! What legitimately differs between two runs of the same workload, taken out so that equal
//! lines compare equal: pids, addresses, times, random bytes, ephemeral ports and inode
//! numbers, alignment padding, and strace's unfinished/resumed splits.
//!
//! Used by `cargo xtask fidelity` and by tracer-user's golden tests.
#![allow(
    dead_code,
    reason = "included by xtask and by several test binaries, each using part of it"
)]

use std::{collections::HashMap, sync::LazyLock};

use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// `1234  ` or, with `-Y`, `1234<name> ` (the name stays part of the line).
static PREFIX: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d+)(<[^>]*>)?\s+(.*)$"));
static RESUMED: LazyLock<Regex> = LazyLock::new(|| re(r"^<\.\.\. [a-z0-9_]+ resumed>(.*)$"));
static CHILD_RET: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:clone|clone3|fork|vfork|wait4|waitid|getppid|getpid|gettid)\(.* = (\d+)")
});
static ALIGN: LazyLock<Regex> = LazyLock::new(|| re(r"\)\s+= "));
static ADDR: LazyLock<Regex> = LazyLock::new(|| re(r"0x[0-9a-f]{5,}"));
static TIMES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(tv_sec|tv_nsec|tv_usec|uptime|freeram|sharedram|bufferram|procs|si_utime|si_stime|totalswap|freeswap|f_bfree|f_bavail|f_ffree|shm_atime|shm_dtime|shm_ctime|msg_stime|msg_rtime|msg_ctime|sem_otime|sem_ctime)=\d+(?: /\* [0-9.]+ s \*/)?",
    )
});
static LOADS: LazyLock<Regex> = LazyLock::new(|| re(r"loads=\[[^\]]*\]"));
/// epoll data words often carry pointers: they differ from run to run.
static EPOLL_DATA: LazyLock<Regex> = LazyLock::new(|| re(r"u64=\d{9,}"));
/// Dates strace prints beside timestamps.
static DATES: LazyLock<Regex> = LazyLock::new(|| re(r"/\* \d{4}-\d\d-\d\dT[0-9:.]+\+0000 \*/"));
static RANDOM: LazyLock<Regex> = LazyLock::new(|| re(r#"^getrandom\("[^"]*""#));
static PORT: LazyLock<Regex> = LazyLock::new(|| re(r"htons\((\d+)\)"));
/// A port as its bytes (`-X raw` / `-X verbose`): `sin_port="\xb3\x89"`.
static RAW_PORT: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(sin6?_port=)"\\x([0-9a-f]{2})\\x([0-9a-f]{2})""#));
/// Socket, pipe and anon-inode descriptions: `<TCP:[...]>`, `<pipe:[123]>`, `<UNIX-STREAM:[1->2]>`,
/// `<UNIX:[1->2]>` (datagram and seqpacket unix sockets).
static FD_KINDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"<(?:TCP|TCPv6|UDP|UDPv6|UNIX(?:-[A-Z]+)?|NETLINK|pipe|socket):\[.*?\]>"));
static LONG_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"\d{4,}"));
/// Paths under scratch directories whose names carry a pid.
static PID_PATHS: LazyLock<Regex> = LazyLock::new(|| re(r"tracer-fidelity-\d+|/proc/\d+"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d+\b"));
/// System V IPC ids (a counter of the kernel's, different each run): returned by the `*get`
/// calls, the first argument of the others (after the `-Y` name, if any).
static IPC_ID_RET: LazyLock<Regex> =
    LazyLock::new(|| re(r"^((?:<[^>]*>)?(?:shm|msg|sem)get\(.*\) = )\d+$"));
static IPC_ID_ARG: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^((?:<[^>]*>)?(?:shmat|shmctl|msgctl|msgsnd|msgrcv|semctl|semop|semtimedop))\(\d+")
});
/// Key serials (random, different each run) in the key management calls.
static KEY_CALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:<[^>]*>)?(?:keyctl|add_key|request_key)\("));
static KEY_SERIAL: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{7,}\b"));

/// Normalised lines of one trace file (strace's or tracer's `-f -o` output).
pub fn file(text: &str) -> Vec<String> {
    let joined = join_resumed(text);
    let mut pids: Vec<String> = Vec::new();
    for (pid, rest) in &joined {
        pids.push(pid.clone());
        if let Some(c) = CHILD_RET.captures(rest) {
            pids.push(c[1].to_string());
        }
    }
    pids.sort();
    pids.dedup();
    joined
        .into_iter()
        .map(|(_, rest)| line(&rest, &pids))
        .collect()
}

/// Splits off the pid prefix and joins `X(... <unfinished ...>` with its
/// `<... X resumed>...` continuation.
fn join_resumed(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut pending: HashMap<String, usize> = HashMap::new();
    for raw in text.lines() {
        let (pid, comm, rest) = match PREFIX.captures(raw) {
            Some(c) => (
                c[1].to_string(),
                c.get(2).map_or("", |m| m.as_str()).to_string(),
                c[3].to_string(),
            ),
            None => (String::new(), String::new(), raw.to_string()),
        };
        if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            pending.insert(pid.clone(), out.len());
            out.push((pid, format!("{comm}{head}")));
            continue;
        }
        if let Some(c) = RESUMED.captures(&rest)
            && let Some(at) = pending.remove(&pid)
        {
            let tail = c[1].to_string();
            out[at].1.push_str(&tail);
            continue;
        }
        out.push((pid, format!("{comm}{rest}")));
    }
    out
}

fn line(text: &str, pids: &[String]) -> String {
    let s = ALIGN.replace_all(text, ") = ");
    let s = ADDR.replace_all(&s, "0x<A>");
    let s = TIMES.replace_all(&s, "$1=<T>");
    let s = LOADS.replace_all(&s, "loads=<T>");
    let s = EPOLL_DATA.replace_all(&s, "u64=<U>");
    let s = DATES.replace_all(&s, "/* <DATE> */");
    let s = RANDOM.replace(&s, "getrandom(\"<R>\"");
    let s = PORT.replace_all(&s, |c: &regex::Captures<'_>| {
        let port: u32 = c[1].parse().unwrap_or(0);
        if port >= 32768 {
            "htons(<P>)".to_string()
        } else {
            c[0].to_string()
        }
    });
    let s = RAW_PORT.replace_all(&s, |c: &regex::Captures<'_>| {
        let high = u32::from_str_radix(&c[2], 16).unwrap_or(0);
        if high >= 0x80 {
            format!("{}\"<P>\"", &c[1])
        } else {
            c[0].to_string()
        }
    });
    // Inode numbers and ephemeral ports inside fd descriptions.
    let s = FD_KINDS.replace_all(&s, |c: &regex::Captures<'_>| {
        LONG_NUMBER.replace_all(&c[0], "<N>").into_owned()
    });
    let s = PID_PATHS.replace_all(&s, "<PIDPATH>");
    let s = IPC_ID_RET.replace(&s, "$1<ID>");
    let s = IPC_ID_ARG.replace(&s, "$1(<ID>");
    let s = match KEY_CALL.is_match(&s) {
        true => KEY_SERIAL.replace_all(&s, "<KEY>").into_owned(),
        false => s.into_owned(),
    };
    NUMBER
        .replace_all(&s, |c: &regex::Captures<'_>| {
            if pids.iter().any(|p| p == &c[0]) {
                "<PID>".to_string()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// How many of strace's lines tracer reproduced (as a multiset), of how many, and the ones
/// it did not.
pub fn score(strace: &[String], ours: &[String]) -> (usize, usize, Vec<String>) {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for l in ours {
        *have.entry(l.as_str()).or_default() += 1;
    }
    let mut matched = 0;
    let mut misses = Vec::new();
    for l in strace {
        match have.get_mut(l.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                matched += 1;
            }
            _ => misses.push(l.clone()),
        }
    }
    (matched, strace.len(), misses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_splits_and_hides_what_varies() {
        let strace = "\
101   clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>
102   getpid()                          = 102
101   <... clone resumed>)              = 102
101   mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f3528c7d000
";
        let ours = "\
7     clone(child_stack=NULL, flags=SIGCHLD) = 8
8     getpid()                          = 8
7     mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000001000
";
        let (a, b) = (file(strace), file(ours));
        assert_eq!(a[0], "clone(child_stack=NULL, flags=SIGCHLD) = <PID>");
        assert_eq!(score(&a, &b), (3, 3, Vec::new()));
    }

    #[test]
    fn sysv_ipc_ids_are_masked() {
        assert_eq!(
            line("shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600)   = 65597", &[]),
            "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = <ID>"
        );
        assert_eq!(
            line("<longtail>shmctl(98321, IPC_RMID, NULL) = 0", &[]),
            "<longtail>shmctl(<ID>, IPC_RMID, NULL) = 0"
        );
    }

    #[test]
    fn counts_misses_as_a_multiset() {
        let a = vec!["x".to_string(), "x".to_string(), "y".to_string()];
        let b = vec!["x".to_string(), "y".to_string()];
        assert_eq!(score(&a, &b), (2, 3, vec!["x".to_string()]));
    }

    #[test]
    fn ephemeral_ports_as_bytes_are_masked() {
        let a = line(
            r#"connect(4, {sa_family=0x2, sin_port="\xb3\x89"}, 16) = 0"#,
            &[],
        );
        assert_eq!(a, r#"connect(4, {sa_family=0x2, sin_port="<P>"}, 16) = 0"#);
        let b = line(
            r#"bind(4, {sa_family=0x2, sin_port="\x15\x38"}, 16) = 0"#,
            &[],
        );
        assert_eq!(
            b,
            r#"bind(4, {sa_family=0x2, sin_port="\x15\x38"}, 16) = 0"#
        );
    }

    #[test]
    fn fd_descriptions_lose_inodes_and_ephemeral_ports() {
        let a = line(
            "read(3<TCP:[127.0.0.1:41234->127.0.0.1:5432]>, \"x\", 1) = 1",
            &[],
        );
        assert_eq!(
            a,
            "read(3<TCP:[127.0.0.1:<N>->127.0.0.1:<N>]>, \"x\", 1) = 1"
        );
    }
}
