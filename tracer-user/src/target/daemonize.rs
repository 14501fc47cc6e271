//! strace's `-D` / `-DD` / `-DDD` (`--daemonize=grandchild|pgroup|session`): tracer runs as a
//! detached grandchild, and the command it launches is tracer's original process, so it keeps
//! tracer's pid and parent (the shell waits for the command itself and gets its exit status).
//!
//! As strace 6.1: the original process forks a child, which forks the grandchild (the tracer
//! from then on) and exits; the original process reaps that child, so the command never
//! inherits a stray one, then waits on a pipe until the grandchild traces it (eBPF loaded and
//! its pid registered, or ptrace seized), and execs the command: the trace starts at its
//! execve. A tracer that gives up closes the pipe: the original process exits 1 without
//! running the command (the tracer said why on stderr).

use std::{
    fs::File,
    io::{self, Read},
    os::fd::{AsRawFd, OwnedFd},
};

use anyhow::{Context, Result, bail};

use super::launch::{Held, Prepared, exec_now, pipe};

/// Where the tracer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Daemonize {
    /// `-D`: a grandchild in the command's process group and session.
    Grandchild,
    /// `-DD`: in its own process group (a kill(2) of the command's group misses it).
    Pgroup,
    /// `-DDD`: in its own session (the terminal's hangup misses it).
    Session,
}

impl Daemonize {
    /// strace's reading of `-D` given `count` times and `--daemonize[=HOW]` (`long`).
    pub fn from_options(count: u8, long: Option<&str>) -> Result<Option<Self>> {
        if count > 3 {
            return Err(crate::cli::UsageError::Check(format!(
                "Too many -D's ({count}), maximum supported -D count is 3"
            ))
            .into());
        }
        if count > 0 && long.is_some() {
            bail!("-D and --daemonize cannot be provided simultaneously");
        }
        Ok(match (count, long) {
            (0, None) => None,
            (1, _) | (_, Some("grandchild")) => Some(Self::Grandchild),
            (2, _) | (_, Some("pgroup" | "pgrp")) => Some(Self::Pgroup),
            (3, _) | (_, Some("session")) => Some(Self::Session),
            (_, Some(other)) => {
                return Err(crate::cli::UsageError::Check(format!(
                    "invalid --daemonize argument: '{other}'"
                ))
                .into());
            }
            _ => None,
        })
    }
}

/// Forks as strace -D does. In the grandchild (the tracer) returns the original process,
/// held before its exec of `exec`; in the original process never returns (it becomes the
/// command, or exits 1 when the tracer gives up). Call before any other thread exists.
pub fn daemonize(how: Daemonize, exec: &Prepared) -> Result<Held> {
    // SAFETY: getpid has no preconditions.
    let original = unsafe { libc::getpid() } as u32;
    let (go_r, go_w) = pipe().context("failed to create a pipe for the command")?;
    let (status_r, status_w) = pipe().context("failed to create a pipe for the command")?;
    // SAFETY: fork has no preconditions; the process is single-threaded, so both sides may do
    // anything afterwards.
    let child = unsafe { libc::fork() };
    if child < 0 {
        return Err(io::Error::last_os_error()).context("failed to fork the tracer");
    }
    if child > 0 {
        drop(go_w);
        drop(status_r);
        reap(child);
        wait_and_exec(go_r, &status_w, exec);
    }
    // SAFETY: as above.
    let grandchild = unsafe { libc::fork() };
    if grandchild != 0 {
        // The child: its end lets the grandchild go to init; a failed fork leaves the original
        // process with a closed pipe (it exits 1).
        // SAFETY: _exit is always safe.
        unsafe { libc::_exit(i32::from(grandchild < 0)) };
    }
    drop(go_r);
    drop(status_w);
    detach(how);
    Ok(Held::original(original, go_w, status_r))
}

/// Reaps the intermediate child (it exits at once), so the command inherits no child.
fn reap(child: libc::pid_t) {
    let mut status = 0;
    // SAFETY: waiting for our own child.
    while unsafe { libc::waitpid(child, &mut status, 0) } < 0
        && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted
    {}
}

/// The tracer's place: its own process group or session, and strace's signal dispositions
/// for a daemonized tracer: a Ctrl-C, SIGTERM or SIGQUIT sent to the command's group (or to
/// the tracer) leaves it tracing until the command ends; writing to the terminal from a
/// background group does not stop it.
fn detach(how: Daemonize) {
    // SAFETY: plain syscalls on our own process and signal mask.
    unsafe {
        match how {
            Daemonize::Grandchild => {}
            Daemonize::Pgroup => {
                libc::setpgid(0, 0);
            }
            Daemonize::Session => {
                libc::setsid();
            }
        }
        // Blocked rather than ignored: both sources install their own handlers later (and
        // `signals::release` leaves these blocked).
        super::signals::keep_stop_signals_out();
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGQUIT] {
            libc::sigaddset(&mut set, sig);
        }
        libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        libc::signal(libc::SIGTTOU, libc::SIG_IGN);
        libc::signal(libc::SIGTTIN, libc::SIG_IGN);
    }
}

/// The original process: waits for the tracer's go message (see `Held`), then execs.
fn wait_and_exec(go: OwnedFd, status: &OwnedFd, exec: &Prepared) -> ! {
    let mut go = File::from(go);
    let filter = read_go(&mut go);
    drop(go);
    let Some(filter) = filter else {
        // The tracer gave up (and said why): do not run untraced.
        // SAFETY: _exit is always safe.
        unsafe { libc::_exit(1) }
    };
    let fprog = (!filter.is_empty()).then(|| libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr().cast_mut(),
    });
    // SAFETY: `exec` was prepared before the fork and is alive; the filter lives until exec.
    unsafe { exec_now(status.as_raw_fd(), exec, fprog.as_ref()) }
}

/// The go message: a byte, the seccomp filter's length, its instructions. None: the pipe
/// closed first.
fn read_go(go: &mut File) -> Option<Vec<libc::sock_filter>> {
    let mut head = [0u8; 5];
    go.read_exact(&mut head).ok()?;
    let len = u32::from_ne_bytes(head[1..].try_into().ok()?) as usize;
    let mut bytes = vec![0u8; len * 8];
    go.read_exact(&mut bytes).ok()?;
    Some(
        bytes
            .as_chunks::<8>()
            .0
            .iter()
            .map(|b| libc::sock_filter {
                code: u16::from_ne_bytes([b[0], b[1]]),
                jt: b[2],
                jf: b[3],
                k: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_go_message_carries_the_seccomp_filter() {
        let (go_r, go_w) = pipe().expect("pipe");
        let (status_r, _status_w) = pipe().expect("pipe");
        let filter = [
            libc::sock_filter {
                code: 0x20,
                jt: 1,
                jf: 2,
                k: 0xdead_beef,
            },
            libc::sock_filter {
                code: 0x06,
                jt: 0,
                jf: 0,
                k: 0x7fff_0000,
            },
        ];
        let held = Held::original(1, go_w, status_r).with_seccomp(&filter);
        assert!(held.is_daemonized());
        held.release_traced().expect("released");
        let got = read_go(&mut File::from(go_r)).expect("a go message");
        let fields = |f: &[libc::sock_filter]| -> Vec<(u16, u8, u8, u32)> {
            f.iter().map(|i| (i.code, i.jt, i.jf, i.k)).collect()
        };
        assert_eq!(fields(&got), fields(&filter));
        // Closed unwritten: no go.
        let (go_r, go_w) = pipe().expect("pipe");
        drop(go_w);
        assert!(read_go(&mut File::from(go_r)).is_none());
    }

    #[test]
    fn options_read_as_strace_reads_them() {
        let read = |count, long| Daemonize::from_options(count, long).map_err(|e| e.to_string());
        assert_eq!(read(0, None), Ok(None));
        assert_eq!(read(1, None), Ok(Some(Daemonize::Grandchild)));
        assert_eq!(read(2, None), Ok(Some(Daemonize::Pgroup)));
        assert_eq!(read(3, None), Ok(Some(Daemonize::Session)));
        assert_eq!(read(0, Some("pgrp")), Ok(Some(Daemonize::Pgroup)));
        assert_eq!(read(0, Some("session")), Ok(Some(Daemonize::Session)));
        assert_eq!(
            read(4, None),
            Err("Too many -D's (4), maximum supported -D count is 3".into())
        );
        assert_eq!(
            read(0, Some("sid")),
            Err("invalid --daemonize argument: 'sid'".into())
        );
        assert_eq!(
            read(1, Some("session")),
            Err("-D and --daemonize cannot be provided simultaneously".into())
        );
    }
}
