//! Where formatted output goes: stdout or `-o FILE`, buffered. A closed downstream pipe is
//! reported as `SinkClosed` so the caller can stop cleanly instead of panicking. A file can be
//! reopened (SIGHUP, after logrotate moved it away).

use std::{
    io::{self, BufWriter, Write},
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use anyhow::{Context, Result};

use crate::outfile::{self, Existing};

/// The reader of our output went away (EPIPE).
#[derive(Debug, thiserror::Error)]
#[error("output closed by its reader")]
pub struct SinkClosed;

pub struct Sink {
    out: BufWriter<Box<dyn Write + Send>>,
    /// The file behind it, if any (for `reopen`).
    path: Option<PathBuf>,
    /// The mode files are created with (`--file-mode`).
    mode: u32,
}

impl Sink {
    /// stdout, or FILE, created with `mode` (see `outfile::create`); an existing FILE is
    /// emptied, or with `append` (`-A`) written on at its end.
    pub fn open(path: Option<&Path>, mode: u32, append: bool) -> Result<Self> {
        let existing = match append {
            true => Existing::Append,
            false => Existing::Truncate,
        };
        let out: Box<dyn Write + Send> = match path {
            Some(p) => Box::new(outfile::create(p, mode, existing)?),
            None => Box::new(outfile::stdout()?),
        };
        let mut sink = Self::new(out);
        sink.path = path.map(Path::to_path_buf);
        sink.mode = mode;
        Ok(sink)
    }

    /// strace's `-o '|COMMAND'` / `-o '!COMMAND'`: the trace goes to COMMAND's standard input
    /// (run with `sh -c`); tracer waits for COMMAND when the trace ends.
    pub fn pipe(command: &std::ffi::OsStr) -> Result<Self> {
        let mut child = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(command)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("failed to run {}", command.to_string_lossy()))?;
        let stdin = child.stdin.take();
        Ok(Self::new(Box::new(Pipe { stdin, child })))
    }

    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Self {
            out: BufWriter::with_capacity(64 * 1024, out),
            path: None,
            mode: outfile::DEFAULT_MODE,
        }
    }

    /// A file sink writes on in a file opened anew at its path (created if it was moved away,
    /// appended to if it is still there), as logrotate expects on SIGHUP. Other sinks stay.
    /// When the new file cannot be opened safely (a symlink planted in its place, another
    /// user's file) the trace goes on in the old file, with a warning.
    pub fn reopen(&mut self) -> Result<(), SinkError> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        self.flush()?;
        match outfile::create(&path, self.mode, Existing::Append) {
            Ok(file) => self.out = BufWriter::with_capacity(64 * 1024, Box::new(file)),
            Err(err) => log::warn!("{err}; the trace goes on in the file opened before"),
        }
        Ok(())
    }

    pub fn write(&mut self, text: &str) -> Result<(), SinkError> {
        self.out.write_all(text.as_bytes()).map_err(SinkError::from)
    }

    pub fn flush(&mut self) -> Result<(), SinkError> {
        self.out.flush().map_err(SinkError::from)
    }
}

/// The standard input of `-o '|COMMAND'`'s process.
struct Pipe {
    stdin: Option<std::process::ChildStdin>,
    child: std::process::Child,
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.stdin {
            Some(stdin) => stdin.write(buf),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stdin.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for Pipe {
    /// End of input, then wait for the command to finish with it (strace's pclose).
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// An in-memory output whose text can be read back while the sink holds it: for tests and
/// for embedding the pipeline.
#[derive(Clone, Default)]
pub struct Memory(Arc<Mutex<Vec<u8>>>);

impl Memory {
    /// What has been written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Memory {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("memory sink poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopen_follows_the_path_after_a_rename() {
        let dir = std::env::temp_dir().join(format!("tracer-reopen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("trace");
        let mut sink = Sink::open(Some(&path), outfile::DEFAULT_MODE, false).expect("open");
        sink.write("one\n").expect("write");
        std::fs::rename(&path, dir.join("trace.1")).expect("rotate");
        sink.reopen().expect("reopen");
        sink.write("two\n").expect("write");
        sink.flush().expect("flush");
        let read = |n: &str| std::fs::read_to_string(dir.join(n)).expect("read");
        assert_eq!(
            (read("trace.1"), read("trace")),
            ("one\n".into(), "two\n".into())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_pipe_sink_feeds_the_command_and_waits_for_it() {
        let dir = std::env::temp_dir().join(format!("tracer-pipe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("out");
        let command = format!("tr a-z A-Z > {}", path.display());
        let mut sink = Sink::pipe(command.as_ref()).expect("pipe");
        sink.write("openat\n").expect("write");
        drop(sink);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "OPENAT\n");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error(transparent)]
    Closed(#[from] SinkClosed),
    #[error("failed to write the trace: {0}")]
    Io(io::Error),
}

impl From<io::Error> for SinkError {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            SinkError::Closed(SinkClosed)
        } else {
            SinkError::Io(err)
        }
    }
}
