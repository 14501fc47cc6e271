//! Errors a user can act on, reported before anything is loaded. Messages are lowercase and
//! name the object (pid, capability, command).

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PreflightError {
    /// strace's words, for a `-p` item that is not a positive pid (an empty one too: `-p ,`).
    #[error("Invalid process id: '{0}'")]
    InvalidPid(String),
    #[error("pid {0}: no such process")]
    NoSuchProcess(i32),
    /// As strace's `attach: ptrace(PTRACE_SEIZE, N): Operation not permitted`: the kernel
    /// refuses to trace a zombie or a kernel thread.
    #[error("attach: pid {pid}: Operation not permitted ({what} cannot be traced)")]
    Untraceable { pid: i32, what: &'static str },
    #[error("pid {0}: is tracer itself")]
    SelfTrace(i32),
    #[error(
        "missing capability {cap}, needed to load and attach eBPF programs: run as root, or as \
         the systemd unit runs it (README, \"Privileges\"); --backend ptrace needs none"
    )]
    MissingCapability { cap: &'static str },
    /// As strace's `attach: ptrace(PTRACE_SEIZE, N): Operation not permitted`, with the rule.
    /// Not a `source`: the refusal is told once, not again as its cause.
    #[error("attach: {0}: Operation not permitted")]
    NotPermitted(crate::target::privilege::Refusal),
    #[error("must have COMMAND [ARGS], -p PID or --comm NAME")]
    NothingToTrace,
    #[error(
        "--tls needs the eBPF backend: the ptrace backend stops the process at syscalls only and \
         cannot see inside OpenSSL's SSL_read/SSL_write, where the plaintext is"
    )]
    TlsNeedsEbpf,
    /// A command not found in PATH: strace's words (it looks the name up as a path then).
    #[error("Can't stat '{0}': No such file or directory")]
    CommandNotFound(String),
    /// A command named by a path (with a `/`) that cannot be looked at: strace's `Can't
    /// stat '/nonexist/cmd': No such file or directory` (the name escaped: it goes to stderr,
    /// where the trace goes too).
    #[error("Can't stat '{0}': {1}")]
    CommandUnreadable(String, String),
    #[error(
        "--ring-size {0}: {1}: a ring buffer is a power of two from 4K to 1G bytes (K, M and G \
         suffixes work)"
    )]
    BadRingSize(String, &'static str),
    /// strace's wording (`invalid system call 'bogus'`).
    #[error("{0}")]
    BadExpression(crate::filter::ExprError),
    /// strace's wording.
    #[error("invalid sortby: '{0}'")]
    BadSortBy(String),
    #[error(
        "invalid sortby: '{0}': p50 and p99 sort only when -U shows them (-U calls,p50,p99,...)"
    )]
    SortByHidden(String),
    #[error("--match '{0}': must be 1 to 256 bytes, with valid escapes")]
    BadMatch(String),
    #[error("--comm '': a process name cannot be empty")]
    EmptyComm,
    #[error("piping the output and -ff/--output-separately are mutually exclusive")]
    PipeSeparately,
    #[error(
        "--uid, --cgroup, --all and --comm patterns are checked in the kernel: trace with the \
         eBPF backend to use them"
    )]
    WatchNeedsEbpf,
    #[error("{0} is not supported yet")]
    Unsupported(&'static str),
}

impl PreflightError {
    /// Whether strace follows this error with `Try 'strace -h' for more information.`.
    pub fn wants_help(&self) -> bool {
        matches!(
            self,
            Self::BadSortBy(_)
                | Self::SortByHidden(_)
                | Self::PipeSeparately
                | Self::NothingToTrace
        )
    }
}

impl From<crate::target::privilege::Refusal> for PreflightError {
    fn from(refusal: crate::target::privilege::Refusal) -> Self {
        Self::NotPermitted(refusal)
    }
}

/// An OS error's text as tracer's messages say it: lowercase, without Rust's `(os error N)`
/// (`No such file or directory (os error 2)` -> `no such file or directory`).
pub fn os_text(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    text.to_lowercase()
}

/// An OS error's text as strace says it, glibc's `strerror` (`No such file or directory`).
pub fn strerror(err: &std::io::Error) -> String {
    let text = err
        .raw_os_error()
        .and_then(|e| crate::tables::errno::lookup(u32::try_from(e).ok()?))
        .map(|(_, text)| text.to_string());
    text.unwrap_or_else(|| {
        let text = err.to_string();
        text.split(" (os error").next().unwrap_or(&text).to_string()
    })
}
