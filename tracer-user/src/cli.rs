//! Command line, with strace's spellings for what strace also has.

pub mod getopt;
mod options;
mod parse;
mod resolve;
mod values;
pub mod version;

pub use options::Cli;
pub use parse::{UsageError, command, parse};
pub use resolve::Qualifiers;
pub use values::{parse_size, unescape};

/// The ring buffer's size without `--ring-size`.
pub const DEFAULT_RING: u32 = 8 << 20;

/// The ring buffer's size without `--ring-size` under `-k`: every shown call's record carries
/// 8 KiB of stack, so the default ring holds only ~1000 calls, less than a shell loop of a few
/// commands makes before a consumer starved by a loaded machine (or one unwinding the first
/// stacks of a new image) gets to them.
pub const DEFAULT_RING_STACKS: u32 = 64 << 20;

impl Cli {
    /// The ring buffer's size: `--ring-size`, or the default for what is captured.
    pub fn ring_size(&self) -> u32 {
        self.ring_size.unwrap_or(match self.stack_traces {
            true => DEFAULT_RING_STACKS,
            false => DEFAULT_RING,
        })
    }

    /// `-o '|COMMAND'` or `-o '!COMMAND'`: the command the trace is piped to.
    pub fn output_pipe(&self) -> Option<&std::ffi::OsStr> {
        use std::os::unix::ffi::OsStrExt;
        let bytes = self.output.as_deref()?.as_os_str().as_bytes();
        match bytes.first() {
            Some(b'|' | b'!') => Some(std::ffi::OsStr::from_bytes(&bytes[1..])),
            _ => None,
        }
    }
}

/// `--backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    Auto,
    Ebpf,
    Ptrace,
}
