//! Helpers for tests that run the real tracer binary.
#![allow(
    dead_code,
    reason = "each test binary includes this module and uses only part of it"
)]

use std::{
    ffi::OsStr,
    fs,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

pub fn tracer() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tracer"))
}

/// Spawns tracer `cmd` (daemon mode: `--comm`, `--uid`, `--cgroup`, `--all`) and returns once
/// it says what it follows (its programs are attached then); its stderr is drained after.
pub fn spawn_following(mut cmd: Command) -> KillOnDrop {
    use std::io::{BufRead, BufReader};
    let mut child = cmd.stderr(Stdio::piped()).spawn().expect("run tracer");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    let ready = lines.by_ref().map_while(Result::ok).any(|l| {
        seen.push(l.clone());
        l.starts_with("tracer: following ")
    });
    let status = if ready { None } else { child.wait().ok() };
    assert!(ready, "tracer {cmd:?} did not start ({status:?}): {seen:?}");
    // Keep reading so that tracer never blocks on a full pipe.
    thread::spawn(move || lines.for_each(drop));
    KillOnDrop(child)
}

/// `-T`'s `<seconds>` at the end of a line.
pub fn took(line: &str) -> f64 {
    line.rsplit_once(" <")
        .and_then(|(_, t)| t.strip_suffix('>'))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no duration in {line}"))
}

/// Root tests load real eBPF programs; run them as root (`cargo xtask test` does), or skip them
/// with `cargo xtask test --no-root`.
pub fn require_root() {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    assert_eq!(
        euid, 0,
        "this test loads eBPF and needs root; run `cargo xtask test` as root or use --no-root"
    );
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tracer-test-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Polls `path` until its text satisfies `pred` or `timeout` passes; returns the last text.
pub fn wait_for(path: &Path, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = fs::read_to_string(path).unwrap_or_default();
        if pred(&text) || start.elapsed() > timeout {
            return text;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// A Python process that tries to open `missing` every 100 ms and counts its rounds in
/// `counter` (so a test can see it keeps working). With `threads`, a second thread runs the
/// same loop. Its first line on stdout is its pid, then thread ids.
pub fn spawn_opener(missing: &Path, counter: &Path, threads: bool) -> Child {
    let script = format!(
        r#"
import os, sys, threading, time
def loop():
    n = 0
    while True:
        try:
            os.open({missing:?}, os.O_RDONLY)
        except OSError:
            pass
        n += 1
        with open({counter:?}, "w") as f:
            f.write(str(n))
        time.sleep(0.1)
if {threads}:
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    time.sleep(0.2)
    print(threading.get_native_id(), t.native_id, flush=True)
loop()
"#,
        missing = missing.display().to_string(),
        counter = counter.display().to_string(),
        threads = if threads { "True" } else { "False" },
    );
    Command::new("python3")
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn python3")
}

pub fn read_counter(path: &Path) -> u64 {
    // The writer truncates the file, then writes: a read in between sees it empty, and a 0
    // taken from that made a wait for 8 more rounds end at once (CI: a SIGINT sent at once).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let n = fs::read_to_string(path)
            .ok()
            .and_then(|s| s.trim().parse().ok());
        match n {
            Some(n) => return n,
            None if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            None => return 0,
        }
    }
}

/// Sends `sig` to `pid`.
pub fn signal(pid: u32, sig: i32) {
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(pid as i32, sig) };
}

pub fn alive(pid: u32) -> bool {
    // SAFETY: as above; signal 0 only checks existence.
    unsafe { libc::kill(pid as i32, 0) == 0 }
}

/// A child process killed (and reaped) when the test ends, pass or fail, so that a failing
/// test leaves nothing running.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The state letter of /proc/PID/stat (`t`: stopped by a tracer).
pub fn task_state(pid: u32) -> String {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ")
        .map(|(_, r)| r[..1].to_string())
        .unwrap_or_default()
}

/// Starts `tracer` (already given its backend and options) with `-f -p` on a two-thread
/// opener, waits for its lines, does `stop` to it, then checks that the opener runs on:
/// making progress, not stopped, not traced, and that the trace no longer grows.
pub fn tracee_survives(mut tracer: Command, name: &str, stop: impl FnOnce(&mut Child)) {
    let dir = scratch(name);
    let (missing, counter, trace) = (dir.join("missing"), dir.join("counter"), dir.join("trace"));
    let opener = KillOnDrop(spawn_opener(&missing, &counter, true));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    let pid = opener.0.id();
    let mut t = tracer
        .args(["-f", "-p", &pid.to_string(), "-o"])
        .arg(&trace)
        .stderr(Stdio::null())
        .spawn()
        .expect("run tracer");
    let m = missing.display().to_string();
    assert!(wait_for(&trace, Duration::from_secs(10), |t| t.contains(&m)).contains(&m));
    stop(&mut t);
    let _ = t.wait();
    let before = read_counter(&counter);
    wait_for(&counter, Duration::from_secs(10), |t| {
        t.trim().parse::<u64>().unwrap_or(0) > before + 3
    });
    assert!(
        alive(pid) && read_counter(&counter) > before + 3,
        "the tracee stalled"
    );
    let state = task_state(pid);
    assert!(state == "S" || state == "R", "tracee state {state}");
    let tracer_pid = fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:").map(|v| v.trim().to_string()));
    assert_eq!(tracer_pid.as_deref(), Some("0"), "still traced");
    let size = fs::metadata(&trace).map_or(0, |m| m.len());
    thread::sleep(Duration::from_millis(300));
    assert_eq!(
        fs::metadata(&trace).map_or(0, |m| m.len()),
        size,
        "the trace still grows"
    );
    drop(opener);
    let _ = fs::remove_dir_all(&dir);
}

/// Builds `tests/workloads/NAME.c` into `dir/NAME` with cc; returns the program's path.
pub fn cc(name: &str, dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/workloads/{name}.c"));
    cc_file(&src, &dir.join(name), &[])
}

/// `cc FLAGS -o BIN SRC`; returns BIN.
fn cc_file(src: &Path, bin: &Path, flags: &[&str]) -> PathBuf {
    let status = Command::new("cc")
        .args(flags)
        .arg("-o")
        .arg(bin)
        .arg(src)
        .status()
        .expect("run cc");
    assert!(status.success(), "cc {}", src.display());
    bin.to_path_buf()
}

/// A tracer's stderr: what it said up to its "attached" line, and the rest, read on a thread.
pub struct Stderr {
    pub head: String,
    rest: thread::JoinHandle<String>,
}

impl Stderr {
    /// All of stderr, once tracer has exited.
    pub fn finish(self) -> String {
        self.head + &self.rest.join().unwrap_or_default()
    }
}

/// Waits until a spawned tracer (stderr piped) says `process N attached`: from then on every
/// call of the process is traced, so a test needs no fixed sleep. Panics if tracer ends first.
pub fn wait_attached(t: &mut Child) -> Stderr {
    wait_said(t, |line| line.contains(" attached"))
}

/// Waits until a spawned tracer (stderr piped) writes a line `said` accepts; the rest of
/// stderr is read on a thread, so tracer never blocks on a full pipe. Panics if tracer ends
/// first.
pub fn wait_said(t: &mut Child, said: impl Fn(&str) -> bool) -> Stderr {
    use std::io::{BufRead, BufReader, Read};
    let mut stderr = BufReader::new(t.stderr.take().expect("tracer's stderr is piped"));
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("tracer ended before saying what the test waits for: {head}");
        }
        head.push_str(&line);
        if said(&line) {
            break;
        }
    }
    let rest = thread::spawn(move || {
        let mut rest = String::new();
        let _ = stderr.read_to_string(&mut rest);
        rest
    });
    Stderr { head, rest }
}

/// Starts `tracer` (a command with its options) writing to `-o TRACE` and waits until it says
/// it is attached; returns it.
pub fn attach_to_file(mut tracer: Command, trace: &Path) -> Child {
    let mut child = tracer
        .arg("-o")
        .arg(trace)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    wait_attached(&mut child);
    child
}

/// The python3 interpreter itself, not a wrapper script (pyenv's shim would be the process a
/// test attaches to, and its own calls would be in the trace).
pub fn python() -> Command {
    static EXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let exe = EXE.get_or_init(|| {
        let out = Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .expect("run python3");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    });
    Command::new(exe)
}

/// Builds `source` (C) with `cc -pthread` into `dir/name`: a program that makes exactly the
/// calls a test needs.
pub fn compile_c(dir: &Path, name: &str, source: &str) -> PathBuf {
    let src = dir.join(format!("{name}.c"));
    fs::write(&src, source).expect("write the C source");
    cc_file(&src, &dir.join(name), &["-O2", "-pthread"])
}

/// Runs `program OPTIONS -o DIR/trace ARGS` in `dir`; returns the trace file's text (empty
/// when there is none) and the exit status.
pub fn trace_to_file(
    mut program: Command,
    options: &[&str],
    dir: &Path,
    args: &[&OsStr],
) -> (String, Option<i32>) {
    let out = dir.join("trace");
    let _ = fs::remove_file(&out);
    let status = program
        .current_dir(dir)
        .args(options)
        .arg("-o")
        .arg(&out)
        .args(args)
        .status()
        .expect("run");
    (fs::read_to_string(&out).unwrap_or_default(), status.code())
}

/// `text` with the padding before ` = ` made one space on each line that holds one of
/// `masks`: a pid or address masked had its own width in each run (a 5-digit pid in one, 4
/// in the other), which strace's alignment followed.
pub fn unpad_masked(text: &str, masks: &[&str]) -> String {
    let padding = regex::Regex::new(r" {2,}= ").expect("regex");
    text.split_inclusive('\n')
        .map(|line| match masks.iter().any(|m| line.contains(m)) {
            true => padding.replace(line, " = ").into_owned(),
            false => line.to_owned(),
        })
        .collect()
}
