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

/// Finds the program up front as strace does, so the traced execve is the one that succeeds:
/// a name with a `/` as it is, otherwise the first regular file with an execute bit in a
/// PATH directory (an empty entry is the current directory, named in full as strace's
/// `getcwd`); no PATH, or no such file, is strace's `Can't stat 'NAME': No such file or
/// directory`.
pub fn resolve_program(name: &OsStr) -> Result<PathBuf, PreflightError> {
    let escaped = || crate::format::quote::escaped(name.as_bytes());
    if name.as_bytes().contains(&b'/') {
        let path = PathBuf::from(name);
        return match path.metadata() {
            Ok(_) => Ok(path),
            Err(err) => Err(PreflightError::CommandUnreadable(
                escaped(),
                crate::error::strerror(&err),
            )),
        };
    }
    let path_var = env::var_os("PATH").unwrap_or_default();
    let found = match path_var.is_empty() {
        true => None,
        false => env::split_paths(&path_var)
            .filter_map(|dir| match dir.as_os_str().is_empty() {
                true => env::current_dir().ok().map(|cwd| cwd.join(name)),
                false => Some(dir.join(name)),
            })
            .find(|p| is_executable(p)),
    };
    found.ok_or_else(|| PreflightError::CommandNotFound(escaped()))
}

fn is_executable(path: &Path) -> bool {
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A process held before its exec: a forked child, or with -D tracer's original process
/// (`target::daemonize`).
#[derive(Debug)]
pub struct Held {
    pub pid: u32,
    /// Writing the go message here lets the process exec; closing it unwritten makes it exit.
    go: Option<OwnedFd>,
    /// The process writes its exec errno here; EOF (close-on-exec) means the exec succeeded.
    status: Option<OwnedFd>,
    /// -D: the held process is tracer's original process, not our child; it takes the
    /// seccomp filter in the go message (it was forked before the source made it).
    daemonized: Option<Vec<libc::sock_filter>>,
}

/// A command prepared for exec before any fork: paths, arguments and environment as C
/// strings, and the pointer arrays over them.
pub struct Prepared {
    path: CString,
    _args: Vec<CString>,
    /// NULL-terminated, into `_args`.
    argv: Vec<*const libc::c_char>,
    /// NULL-terminated, into the startup's environment; `None`: tracer's own environment.
    envp: Option<Vec<*const libc::c_char>>,
    run_as: Option<RunAs>,
}

impl Prepared {
    /// `startup` must outlive the exec (its environment is pointed to, not copied).
    pub fn new(program: &Path, argv: &[OsString], startup: &Startup) -> Result<Self> {
        let path = CString::new(program.as_os_str().as_bytes())
            .context("command path contains a NUL byte")?;
        let args: Vec<CString> = argv
            .iter()
            .map(|a| CString::new(a.as_bytes()))
            .collect::<Result<_, _>>()
            .context("command argument contains a NUL byte")?;
        let mut arg_ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
        arg_ptrs.push(std::ptr::null());
        let envp = startup.env.as_ref().map(|env| {
            env.iter()
                .map(|e| e.as_ptr())
                .chain(std::iter::once(std::ptr::null()))
                .collect()
        });
        Ok(Self {
            path,
            _args: args,
            argv: arg_ptrs,
            envp,
            run_as: startup.run_as.clone(),
        })
    }
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
    let exec = Prepared::new(program, argv, startup)?;
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
        daemonized: None,
    })
}

/// The child side. Never returns.
///
/// # Safety
/// Must run in a freshly forked child; `exec`'s pointer arrays must be NULL-terminated and
/// point to live C strings.
unsafe fn child_wait_and_exec(
    go: i32,
    status: i32,
    exec: &Prepared,
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
    // SAFETY: closing our own fd; then as `exec_now` requires.
    unsafe {
        libc::close(go);
        exec_now(status, exec, seccomp)
    }
}

/// Execs the prepared command (as the user `-u` names, under the seccomp filter), or reports
/// the errno on `status` and exits 1.
///
/// # Safety
/// Only makes async-signal-safe calls; `exec`'s pointer arrays must be NULL-terminated and
/// point to live C strings.
pub(super) unsafe fn exec_now(
    status: i32,
    exec: &Prepared,
    seccomp: Option<&libc::sock_fprog>,
) -> ! {
    // SAFETY: plain syscalls on our own fds and dispositions. Rust ignores SIGPIPE in its
    // processes; the command must get the default back, as from a shell.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        crate::target::signals::restore_for_exec();
        crate::target::std_fds::close_placeholders();
        // -u: groups first, then the gid, then the uid (after which the rest is not allowed).
        if let Some(user) = &exec.run_as
            && (libc::setgroups(user.groups.len(), user.groups.as_ptr()) != 0
                || libc::setgid(user.gid) != 0
                || libc::setuid(user.uid) != 0)
        {
            report_errno_and_exit(status, Stage::User);
        }
        if let Some(prog) = seccomp
            && !crate::source::ptrace::seccomp::install(prog)
        {
            report_errno_and_exit(status, Stage::Seccomp);
        }
        match &exec.envp {
            Some(envp) => libc::execve(exec.path.as_ptr(), exec.argv.as_ptr(), envp.as_ptr()),
            None => libc::execv(exec.path.as_ptr(), exec.argv.as_ptr()),
        };
        report_errno_and_exit(status, Stage::Exec)
    }
}

/// What the child failed at, after the errno on the status pipe.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Stage {
    /// `-u`: setgroups, setgid or setuid.
    User = b'u',
    /// `--seccomp-bpf`: installing the filter.
    Seccomp = b's',
    /// The exec: the trace shows it, and the pipeline says `tracer: exec: ...` after it.
    Exec = b'x',
}

/// The child's last word: errno on the status pipe, then exit 1 (strace's child's status
/// after its `exec: ...` message; the pipeline hides these calls, as strace does).
///
/// # Safety
/// Only in the forked child, right after the call that failed.
unsafe fn report_errno_and_exit(status: i32, stage: Stage) -> ! {
    // SAFETY: errno location, signal, write and _exit are async-signal-safe.
    unsafe {
        let errno = (*libc::__errno_location()).to_ne_bytes();
        let bytes = [errno[0], errno[1], errno[2], errno[3], stage as u8];
        // Nobody may read it (ptrace does not wait for the exec): no SIGPIPE death for that.
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        libc::write(status, bytes.as_ptr().cast(), bytes.len());
        libc::_exit(1)
    }
}

pub(super) fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two fds into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

impl Held {
    /// -D: tracer's original process `pid`, held on these pipes (see `target::daemonize`).
    pub(super) fn original(pid: u32, go: OwnedFd, status: OwnedFd) -> Self {
        Self {
            pid,
            go: Some(go),
            status: Some(status),
            daemonized: Some(Vec::new()),
        }
    }

    /// Whether the held process is tracer's original one (-D), not its child: it is traced
    /// as an attached process is, and not waited for.
    pub fn is_daemonized(&self) -> bool {
        self.daemonized.is_some()
    }

    /// -D with the ptrace backend's `--seccomp-bpf`: the filter the original process installs
    /// before its exec (a forked child got it at the fork).
    pub fn with_seccomp(mut self, filter: &[libc::sock_filter]) -> Self {
        if let Some(own) = self.daemonized.as_mut() {
            own.extend_from_slice(filter);
        }
        self
    }

    /// What lets the process go: one byte; for the original process (-D) then the seccomp
    /// filter's length in instructions (u32) and its instructions.
    fn go_message(&self) -> Vec<u8> {
        let mut message = vec![1];
        if let Some(filter) = &self.daemonized {
            message.extend_from_slice(&(filter.len() as u32).to_ne_bytes());
            for insn in filter {
                message.extend_from_slice(&insn.code.to_ne_bytes());
                message.push(insn.jt);
                message.push(insn.jf);
                message.extend_from_slice(&insn.k.to_ne_bytes());
            }
        }
        message
    }

    fn go(&mut self) -> Result<()> {
        let message = self.go_message();
        let go = self.go.take().context("command already released")?;
        io::Write::write_all(&mut File::from(go), &message).context("failed to release the command")
    }

    /// Lets the process exec without waiting to learn how it went: under ptrace it only gets
    /// that far once the tracer's loop resumes it (the trace shows its execve).
    pub fn release_traced(mut self) -> Result<u32> {
        self.go()?;
        self.status = None;
        Ok(self.pid)
    }

    /// Lets the process exec, and waits until the exec has succeeded or failed.
    pub fn release(mut self) -> Result<u32> {
        self.go()?;
        let status = self.status.take().context("child already released")?;
        let mut buf = Vec::new();
        File::from(status)
            .read_to_end(&mut buf)
            .context("failed to learn whether the command started")?;
        if let Ok([e0, e1, e2, e3, stage]) = <[u8; 5]>::try_from(buf.as_slice()) {
            let err = io::Error::from_raw_os_error(i32::from_ne_bytes([e0, e1, e2, e3]));
            let err = crate::error::strerror(&err);
            // A failed exec is in the trace, and the pipeline's word follows its line
            // (`pipeline::launch_exec`); the child exits 1.
            match stage {
                b'u' => crate::note!("tracer: -u: cannot switch to the user: {err}"),
                b's' => crate::note!("tracer: --seccomp-bpf: cannot install the filter: {err}"),
                _ => log::debug!("exec failed: {err}"),
            }
        }
        Ok(self.pid)
    }
}

impl Drop for Held {
    /// A child never released is told to exit and reaped, so no command runs untraced.
    fn drop(&mut self) {
        if let Some(go) = self.go.take() {
            drop(go);
            if self.is_daemonized() {
                // Not ours to reap: the shell waits for it.
                return;
            }
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
        // strace: `Can't stat '/nonexistent/prog': No such file or directory` (not "in PATH").
        assert_eq!(
            resolve_program(OsStr::new("/nonexistent/prog")).map_err(|e| e.to_string()),
            Err("Can't stat '/nonexistent/prog': No such file or directory".into())
        );
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
