//! What the pipeline is configured with: the output options the command line gives, and the
//! facts derived from them that the source needs too (what the kernel records, whether calls
//! need their entry time, whether a blocking call's start is printed).

use crate::{
    decode::DecodeOptions,
    fdtable::Detail,
    filter::{Filter, expr::QuietSet},
    format::{
        dump::Dumps,
        quote::Style,
        stamp::{self, StampMode},
        text_options::Column,
    },
    summary::{Columns, SortBy},
};

/// `-c` / `-C`.
#[derive(Debug, Clone, Copy)]
pub struct SummaryOptions {
    pub sort: SortBy,
    /// `-c`: the summary instead of the trace.
    pub only: bool,
    /// `-w`: count the time from entry to exit, not only the time on CPU.
    pub wall_clock: bool,
    /// `-U`.
    pub columns: Columns,
    /// `-O`: nanoseconds taken off each call's time.
    pub overhead: u64,
    /// `-Z`: the failures by errno under the table, beyond strace.
    pub errnos: bool,
    /// `--stats-interval`: a table of the interval's calls after each stats record too.
    pub per_interval: bool,
}

/// What the user asked for, as far as the output is concerned.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub decode: DecodeOptions,
    /// `-x` / `-xx`.
    pub quote: Style,
    /// `-y` / `-yy`: fds are shown with what they refer to.
    pub fds: Option<Detail>,
    /// Every line carries its pid (strace does this with `-f -o FILE`).
    pub always_prefix: bool,
    pub filter: Filter,
    /// `-t`, `-tt`, `-ttt`, `-r`.
    pub stamps: StampMode,
    /// `-a`: where the return value is aligned.
    pub column: Column,
    /// `-n`: `[  59] ` before each line, the task's syscall number.
    pub syscall_number: bool,
    /// `-i`: `[00007f3a1b2c3d4e] ` before each line, the task's instruction pointer.
    pub instruction_pointer: bool,
    /// `-q`, `-e quiet=`: which informational messages are left out.
    pub quiet_set: QuietSet,
    /// `-T`, at its precision.
    pub durations: Option<stamp::Precision>,
    pub summary: Option<SummaryOptions>,
    /// `--annotate`: notes on fd origins and fd limits after lines.
    pub annotate: bool,
    /// `--match`: only calls whose captured data contains these bytes (annotated).
    pub match_bytes: Option<Vec<u8>>,
    /// `--json`: JSON lines instead of strace's text.
    pub json: bool,
    /// `--json-max-line`: the longest JSON line (bytes); None: `format::json::MAX_LINE`.
    pub json_max_line: Option<usize>,
    /// Mask secrets (PostgreSQL password messages) in captured data; `--no-redact` clears it.
    pub redact: bool,
    /// Every call's start may be shown (the source reports them all: see
    /// `CaptureOptions::every_start`), not only those of calls that may block.
    pub every_start: bool,
    /// `-e read=`, `-e write=`: hex dumps of the data after the line.
    pub dumps: Dumps,
    /// `-Y`: pids are followed by the process's name.
    pub comms: bool,
    /// `--decode-pids=pidns`: pids a task in a child pid namespace sees are followed by
    /// tracer's number for them.
    pub pidns: bool,
    /// `-X`: constants by name (`abbrev`), number (`raw`) or both (`verbose`).
    pub consts: crate::format::value::ConstStyle,
    /// `-k`: each call's stack trace after its line.
    pub stack_traces: bool,
}

impl OutputOptions {
    /// What the kernel should record. With -c/-C every outcome is counted (strace 6.1 counts
    /// the calls -z/-Z leave out of the trace), so none is dropped there.
    pub fn kernel_selection(&self) -> crate::filter::KernelSelection {
        let mut selection = self.filter.kernel_selection(self.follows_fds());
        selection.stack_traces = self.stack_traces;
        if self.summary.is_some() {
            selection.status_drop = 0;
        }
        if self.comms || self.json {
            use crate::tables::row::behaviour::{REAPS, TASK_NAME};
            selection.keep_syscalls(|d| d.has(TASK_NAME) || d.has(REAPS));
        }
        selection
    }

    /// Whether the fd table must be kept (to show fds, or to match them against `-P`).
    pub fn follows_fds(&self) -> bool {
        self.fds.is_some() || self.filter.by_path() || self.annotates()
    }

    /// Whether lines get tracer's notes.
    pub fn annotates(&self) -> bool {
        self.annotate || self.match_bytes.is_some()
    }

    /// Whether the kernel must account the time syscalls spend off CPU (`-c` without `-w`).
    pub fn needs_cpu_time(&self) -> bool {
        self.summary.is_some_and(|s| !s.wall_clock)
    }

    /// Whether calls need their entry time (and so a visit at sys_enter).
    pub fn needs_entry_times(&self) -> bool {
        self.json
            || self.durations.is_some()
            || self.summary.is_some()
            || self.stamps != StampMode::None
            || self.filter.min_duration > 0
    }

    /// Whether no trace lines are printed (`-c`).
    pub fn quiet(&self) -> bool {
        self.summary.is_some_and(|s| s.only)
    }

    /// Whether a blocking call's line is printed when it starts (and so may be cut by other
    /// tasks' lines). Not when lines are filtered on their outcome or their fds, which are
    /// only known at the end: strace also holds such lines back whole.
    pub fn shows_starts(&self) -> bool {
        !self.quiet()
            && !self.json
            && self.filter.status.is_all()
            && self.filter.min_duration == 0
            && !self.filter.by_path()
            && self.match_bytes.is_none()
    }
}
