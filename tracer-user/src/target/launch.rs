//! Launching a command so that its first syscall, execve, is already traced: the child is
//! forked and held on a pipe until the parent has registered its pid with the kernel side,
//! then released to exec.

use std::{
    env,
    ffi::{CString, OsStr, OsString},
    fs::File,
    io::{self, Read},
    os::{
        fd::{AsRawFd, FromRawFd, OwnedFd},
        unix::{ffi::OsStrExt, fs::PermissionsExt},
    },
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};

use crate::{
    error::PreflightError,
    target::startup::{RunAs, Startup},
};

/// Finds the program as execvp would, but up front, so the traced execve is the one that
/// succeeds (strace does the same).
pub fn resolve_program(name: &OsStr) -> Result<PathBuf, PreflightError> {
    let not_found = || PreflightError::CommandNotFound(name.to_string_lossy().into_owned());
    if name.as_bytes().contains(&b'/') {
        let path = PathBuf::from(name);
        return if path.exists() {
            Ok(path)
        } else {
            Err(not_found())
        };
    }
    let path_var = env::var_os("PATH").unwrap_or_else(|| OsString::from("/usr/bin:/bin"));
    env::split_paths(&path_var)
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                PathBuf::from(".").join(name)
            } else {
                dir.join(name)
            }
        })
        .find(|p| is_executable(p))
        .ok_or_else(not_found)
}

fn is_executable(path: &Path) -> bool {
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A forked child waiting to exec.
#[derive(Debug)]
pub struct Held {
    pub pid: u32,
    /// Writing one byte here lets the child exec; closing it unwritten makes it exit.
    go: Option<OwnedFd>,
    /// The child writes its exec errno here; EOF (close-on-exec) means the exec succeeded.
    status: Option<OwnedFd>,
}

/// Forks the child and holds it before exec. Call before any other thread exists: after fork
/// the child only makes async-signal-safe calls, on memory prepared here.
/// With `seccomp`, the child installs that filter right before its exec (the ptrace
/// backend's `--seccomp-bpf`); `startup` gives its environment and user (`-E`, `-u`).
pub fn spawn_held(
    program: &Path,
    argv: &[OsString],
    seccomp: Option<&libc::sock_fprog>,
    startup: &Startup,
) -> Result<Held> {
    let path =
        CString::new(program.as_os_str().as_bytes()).context("command path contains a NUL byte")?;
    let args: Vec<CString> = argv
        .iter()
        .map(|a| CString::new(a.as_bytes()))
        .collect::<Result<_, _>>()
        .context("command argument contains a NUL byte")?;
    let mut arg_ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    arg_ptrs.push(std::ptr::null());
    let env_ptrs: Option<Vec<*const libc::c_char>> = startup.env.as_ref().map(|env| {
        env.iter()
            .map(|e| e.as_ptr())
            .chain(std::iter::once(std::ptr::null()))
            .collect()
    });
    let exec = Exec {
        path: &path,
        argv: &arg_ptrs,
        envp: env_ptrs.as_deref(),
        run_as: startup.run_as.as_ref(),
    };
    let (go_r, go_w) = pipe().context("failed to create a pipe for the command")?;
    let (status_r, status_w) = pipe().context("failed to create a pipe for the command")?;
    // SAFETY: fork has no preconditions; the child branch below only calls read, sigaction
    // (via signal), execv, write and _exit.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(io::Error::last_os_error()).context("failed to fork the command");
    }
    if pid == 0 {
        // SAFETY: in the child, with fds and pointers prepared before the fork.
        unsafe { child_wait_and_exec(go_r.as_raw_fd(), status_w.as_raw_fd(), &exec, seccomp) }
    }
    drop(go_r);
    drop(status_w);
    Ok(Held {
        pid: pid as u32,
        go: Some(go_w),
        status: Some(status_r),
    })
}

/// What the child execs, prepared before the fork.
struct Exec<'a> {
    path: &'a CString,
    /// NULL-terminated.
    argv: &'a [*const libc::c_char],
    /// NULL-terminated; `None`: tracer's own environment.
    envp: Option<&'a [*const libc::c_char]>,
    run_as: Option<&'a RunAs>,
}

/// The child side. Never returns.
///
/// # Safety
/// Must run in a freshly forked child; `exec`'s pointer arrays must be NULL-terminated and
/// point to live C strings.
unsafe fn child_wait_and_exec(
    go: i32,
    status: i32,
    exec: &Exec<'_>,
    seccomp: Option<&libc::sock_fprog>,
) -> ! {
    let mut byte = 0u8;
    // SAFETY: reading one byte into a stack variable.
    let n = unsafe { libc::read(go, std::ptr::from_mut(&mut byte).cast(), 1) };
    if n != 1 {
        // The parent gave up (it could not register us): do not run untraced.
        // SAFETY: _exit is always safe.
        unsafe { libc::_exit(127) };
    }
    // SAFETY: plain syscalls on our own fds and dispositions. Rust ignores SIGPIPE in its
    // processes; the command must get the default back, as from a shell.
    unsafe {
        libc::close(go);
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        crate::target::signals::restore_for_exec();
        // -u: groups first, then the gid, then the uid (after which the rest is not allowed).
        if let Some(user) = exec.run_as
            && (libc::setgroups(user.groups.len(), user.groups.as_ptr()) != 0
                || libc::setgid(user.gid) != 0
                || libc::setuid(user.uid) != 0)
        {
            report_errno_and_exit(status);
        }
        if let Some(prog) = seccomp
            && !crate::source::ptrace::seccomp::install(prog)
        {
            report_errno_and_exit(status);
        }
        match exec.envp {
            Some(envp) => libc::execve(exec.path.as_ptr(), exec.argv.as_ptr(), envp.as_ptr()),
            None => libc::execv(exec.path.as_ptr(), exec.argv.as_ptr()),
        };
        report_errno_and_exit(status)
    }
}

/// The child's last word: errno on the status pipe, then exit 127.
///
/// # Safety
/// Only in the forked child, right after the call that failed.
unsafe fn report_errno_and_exit(status: i32) -> ! {
    // SAFETY: errno location, write and _exit are async-signal-safe.
    unsafe {
        let bytes = (*libc::__errno_location()).to_ne_bytes();
        libc::write(status, bytes.as_ptr().cast(), bytes.len());
        libc::_exit(127)
    }
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two fds into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

impl Held {
    /// Lets the child exec without waiting to learn how it went: under ptrace the child only
    /// gets that far once the tracer's loop resumes it (the trace shows its execve).
    pub fn release_traced(mut self) -> Result<u32> {
        let go = self.go.take().context("child already released")?;
        let mut go = File::from(go);
        io::Write::write_all(&mut go, &[1]).context("failed to release the command")?;
        self.status = None;
        Ok(self.pid)
    }

    /// Lets the child exec, and waits until the exec has succeeded or failed.
    pub fn release(mut self) -> Result<u32> {
        let go = self.go.take().context("child already released")?;
        let mut go = File::from(go);
        io::Write::write_all(&mut go, &[1]).context("failed to release the command")?;
        drop(go);
        let status = self.status.take().context("child already released")?;
        let mut buf = Vec::new();
        File::from(status)
            .read_to_end(&mut buf)
            .context("failed to learn whether the command started")?;
        if let Ok(errno) = <[u8; 4]>::try_from(buf.as_slice()) {
            let err = io::Error::from_raw_os_error(i32::from_ne_bytes(errno));
            // The child exits 127; its failed execve is in the trace, like strace shows it.
            crate::note!("tracer: exec: {}", err.to_string().to_lowercase());
        }
        Ok(self.pid)
    }
}

impl Drop for Held {
    /// A child never released is told to exit and reaped, so no command runs untraced.
    fn drop(&mut self) {
        if let Some(go) = self.go.take() {
            drop(go);
            let mut status = 0;
            // SAFETY: waiting for our own child.
            unsafe { libc::waitpid(self.pid as i32, &mut status, 0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_execvp() {
        let sh = resolve_program(OsStr::new("sh")).expect("sh in PATH");
        assert!(sh.is_absolute() && sh.ends_with("sh"));
        assert_eq!(
            resolve_program(OsStr::new("no-such-command-xyz")),
            Err(PreflightError::CommandNotFound(
                "no-such-command-xyz".into()
            ))
        );
        assert!(resolve_program(OsStr::new("/nonexistent/prog")).is_err());
    }

    #[test]
    fn held_child_runs_only_after_release() {
        let dir = std::env::temp_dir().join(format!("tracer-launch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp dir");
        let marker = dir.join("ran");
        let script = format!("touch {}", marker.display());
        let held = spawn_held(
            Path::new("/bin/sh"),
            &["sh".into(), "-c".into(), script.into()],
            None,
            &Startup::default(),
        )
        .expect("fork");
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!marker.exists(), "the child must wait for release");
        let pid = held.release().expect("release");
        let mut status = 0;
        // SAFETY: reaping our own child.
        unsafe { libc::waitpid(pid as i32, &mut status, 0) };
        assert!(marker.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
