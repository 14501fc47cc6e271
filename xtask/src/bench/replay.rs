//! The consumer's cost without the ring and without the load: a flood is recorded once
//! (`tracer --record`), then replayed (`tracer --replay`, no privileges, no kernel) as text and
//! as `--json` to /dev/null. Counted in instructions, which other work on the machine does not
//! change: `perf stat -e instructions:u` where the CPU's counters are there, else cachegrind
//! (a VM without a PMU; slower, the same count to within a fraction of a percent). User CPU of
//! the best of three replays beside it. Two floods: getppid (no buffers: the fixed per-event
//! cost) and 256-byte write/read pairs through a pipe (every event carries a buffer).

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{Context, Result, bail};

/// Loop iterations per recorded flood: getppid calls, and write+read pairs (two events each).
const GETPPID: u64 = 200_000;
const PAIRS: u64 = 50_000;
/// Bytes per write and read (`-s 256` shows them whole).
pub const BUFFER: usize = 256;

/// One of the recorded floods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flood {
    Getppid,
    Buffers,
}

impl Flood {
    pub const ALL: [Flood; 2] = [Flood::Getppid, Flood::Buffers];

    fn label(self) -> String {
        match self {
            Flood::Getppid => format!("{GETPPID} getppid"),
            Flood::Buffers => format!("{PAIRS} write+read of {BUFFER} bytes"),
        }
    }

    /// The xtask loop that makes the flood.
    fn loop_args(self) -> [String; 2] {
        match self {
            Flood::Getppid => ["bench-loop".into(), GETPPID.to_string()],
            Flood::Buffers => ["bench-loop-rw".into(), PAIRS.to_string()],
        }
    }

    fn events(self) -> u64 {
        match self {
            Flood::Getppid => GETPPID,
            Flood::Buffers => 2 * PAIRS,
        }
    }
}

/// The buffer `bench-loop-rw` moves: what a pooler relays, a PostgreSQL protocol message
/// (binary header and lengths, then the query's text).
pub fn buffer() -> [u8; BUFFER] {
    let mut b = [b' '; BUFFER];
    let query = b"Q\0\0\x01\0SELECT abalance FROM pgbench_accounts WHERE aid = 48213;\n\
        -- \"quoted\" \\ and tab\there, then more of the statement's text to fill the buffer: \
        UPDATE pgbench_tellers SET tbalance = tbalance + 1 WHERE tid = 7;\0";
    let n = query.len().min(BUFFER);
    b[..n].copy_from_slice(&query[..n]);
    b
}

/// `xtask bench-loop-rw N [--gate]`: N writes of the buffer into a pipe, each read back at
/// once; prints the number of syscalls the loop made.
pub fn spin_rw(n: u64, args: &[String]) -> Result<()> {
    let mut fds = [0; 2];
    // SAFETY: `fds` is a valid out-array of two ints.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        bail!("pipe: {}", std::io::Error::last_os_error());
    }
    let data = buffer();
    let mut back = [0u8; BUFFER];
    super::kernel::gate(args)?;
    for _ in 0..n {
        // SAFETY: both buffers are BUFFER bytes long and live across the calls.
        let (w, r) = unsafe {
            (
                libc::write(fds[1], data.as_ptr().cast(), BUFFER),
                libc::read(fds[0], back.as_mut_ptr().cast(), BUFFER),
            )
        };
        if w != BUFFER as isize || r != BUFFER as isize {
            bail!("pipe write/read moved {w}/{r} bytes");
        }
    }
    super::kernel::report(2 * n, args)
}

/// What replaying one flood cost, text and JSON.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cost {
    /// User-space instructions of the whole replay.
    pub instructions: u64,
    /// User CPU, s (best of three).
    pub user_s: f64,
}

/// Text and JSON replays of one flood.
#[derive(Debug, Clone, Copy)]
pub struct Replayed {
    pub flood: Flood,
    pub events: u64,
    pub text: Cost,
    pub json: Cost,
}

/// How instructions were counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    #[default]
    Perf,
    Cachegrind,
}

#[derive(Debug, Default)]
pub struct Replays {
    pub counter: Counter,
    pub rows: Vec<Replayed>,
}

/// The options of both the recording and the replays: the bench's full arguments.
const ARGS: [&str; 3] = ["-s", "256", "-yy"];

/// Records `flood` with tracer into `file`.
fn record(tracer: &Path, exe: &Path, flood: Flood, file: &Path) -> Result<()> {
    let out = Command::new(tracer)
        .args(ARGS)
        .args(["--ring-size", "256M", "-o", "/dev/null", "--record"])
        .arg(file)
        .arg("--")
        .arg(exe)
        .args(flood.loop_args())
        .stdout(Stdio::null())
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || err.contains("lost") {
        bail!("recording the {} flood failed: {err}", flood.label());
    }
    Ok(())
}

/// `tracer ARGS --replay FILE [--json]` to /dev/null, after `wrapper` (perf, valgrind) if any.
fn replay_cmd(wrapper: &[&str], tracer: &Path, file: &Path, json: bool) -> Command {
    let mut c = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(tracer);
            c
        }
        None => Command::new(tracer),
    };
    c.args(ARGS).args(["-o", "/dev/null", "--replay"]).arg(file);
    if json {
        c.arg("--json");
    }
    c.stdout(Stdio::null());
    c
}

/// Whether this machine's CPU counts instructions for perf (a VM often has no PMU).
fn perf_counts() -> bool {
    Command::new("perf")
        .args(["stat", "-x,", "-e", "instructions:u", "true"])
        .output()
        .is_ok_and(|o| {
            o.status.success() && !String::from_utf8_lossy(&o.stderr).contains("not supported")
        })
}

/// The user-space instructions of one replay.
fn instructions(counter: Counter, tracer: &Path, file: &Path, json: bool) -> Result<u64> {
    let wrapper: &[&str] = match counter {
        Counter::Perf => &["perf", "stat", "-x,", "-e", "instructions:u", "--"],
        Counter::Cachegrind => &[
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
        ],
    };
    let mut c = replay_cmd(wrapper, tracer, file, json);
    let out = c.output()?;
    if !out.status.success() {
        bail!("{c:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    parse_count(counter, &String::from_utf8_lossy(&out.stderr))
        .with_context(|| format!("no instruction count from {c:?}"))
}

/// The count in perf's CSV line (`123456,,instructions:u,...`) or cachegrind's summary
/// (`==1== I   refs:      1,234,567`).
fn parse_count(counter: Counter, stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|l| match counter {
        Counter::Perf => l
            .contains("instructions")
            .then(|| l.split(',').next()?.trim().parse().ok())?,
        Counter::Cachegrind => {
            let rest = l.split_once("I")?.1.trim_start().strip_prefix("refs:")?;
            rest.trim().replace(',', "").parse().ok()
        }
    })
}

/// User CPU of one replay, s.
fn user_seconds(tracer: &Path, file: &Path, json: bool) -> Result<f64> {
    let mut c = replay_cmd(&[], tracer, file, json);
    let child = c.stderr(Stdio::null()).spawn()?;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to overwrite.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `ru` are valid out-pointers; the pid is our unreaped child.
    if unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut ru) } < 0 || status != 0 {
        bail!("replaying {} failed (status {status})", file.display());
    }
    Ok(ru.ru_utime.tv_sec as f64 + ru.ru_utime.tv_usec as f64 / 1e6)
}

fn cost(counter: Counter, tracer: &Path, file: &Path, json: bool) -> Result<Cost> {
    let mut user_s = f64::MAX;
    for _ in 0..3 {
        user_s = user_s.min(user_seconds(tracer, file, json)?);
    }
    Ok(Cost {
        instructions: instructions(counter, tracer, file, json)?,
        user_s,
    })
}

/// Records each flood into `dir` and replays it, text and JSON.
pub fn measure(tracer: &Path, exe: &Path, dir: &Path) -> Result<Replays> {
    let counter = if perf_counts() {
        Counter::Perf
    } else {
        Counter::Cachegrind
    };
    let mut r = Replays {
        counter,
        rows: Vec::new(),
    };
    for flood in Flood::ALL {
        let file: PathBuf = dir.join(format!("replay-{flood:?}.rec").to_lowercase());
        record(tracer, exe, flood, &file)?;
        r.rows.push(Replayed {
            flood,
            events: flood.events(),
            text: cost(counter, tracer, &file, false)?,
            json: cost(counter, tracer, &file, true)?,
        });
    }
    Ok(r)
}

fn ratio(a: f64, b: f64) -> f64 {
    a / b.max(f64::MIN_POSITIVE)
}

pub fn markdown(r: &Replays) -> String {
    let counter = match r.counter {
        Counter::Perf => "`perf stat -e instructions:u`",
        Counter::Cachegrind => {
            "cachegrind (`valgrind --tool=cachegrind --cache-sim=no`: no PMU here)"
        }
    };
    let mut out = format!(
        "\nThe consumer without the ring: each flood recorded once (`tracer -s 256 -yy --record`), \
         then replayed to /dev/null (`tracer -s 256 -yy --replay`, text and `--json`); \
         instructions by {counter}, user CPU the best of three replays:\n\n\
         | flood | events | text instructions/event | JSON instructions/event | JSON / text | text user CPU | JSON user CPU | JSON / text |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for row in &r.rows {
        let per = |c: &Cost| c.instructions as f64 / row.events.max(1) as f64;
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.0} | **{:.2}** | {:.3} s | {:.3} s | **{:.2}** |",
            row.flood.label(),
            row.events,
            per(&row.text),
            per(&row.json),
            ratio(per(&row.json), per(&row.text)),
            row.text.user_s,
            row.json.user_s,
            ratio(row.json.user_s, row.text.user_s),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_perf_and_cachegrind() {
        assert_eq!(
            parse_count(Counter::Perf, "123456789,,instructions:u,1000,100.00,,\n"),
            Some(123_456_789)
        );
        assert_eq!(
            parse_count(
                Counter::Cachegrind,
                "==42== \n==42== I   refs:      1,234,567\n"
            ),
            Some(1_234_567)
        );
        assert_eq!(
            parse_count(Counter::Perf, "<not supported>,,instructions:u\n"),
            None
        );
    }

    #[test]
    fn the_buffer_is_a_protocol_message_with_text_and_binary() {
        let b = buffer();
        assert_eq!(b.len(), BUFFER);
        assert_eq!(b[0], b'Q');
        assert!(b.contains(&0) && b.contains(&b'"') && b.contains(&b'\\'));
    }
}
