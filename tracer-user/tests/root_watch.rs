//! Who and where: `--comm PREFIX*`, `--uid`, `--cgroup`, `--all` pick up processes that start
//! after tracer, checked in the kernel. Root tests: they load real eBPF.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Child, Command},
};

use common::*;

/// A copy of sleep named `name` (each test its own names: they run in parallel, and each
/// tracer picks up what matches, whoever started it).
fn sleeper(name: &str) -> PathBuf {
    let path = scratch(&format!("watch-bin-{name}")).join(name);
    fs::copy("/bin/sleep", &path).expect("copy sleep");
    path
}

/// The line of a `sleep 0.MS` call: `tv_nsec=MS000000`.
fn nap(ms: u32) -> String {
    format!("tv_nsec={ms}000000}}")
}

/// Whether the trace has process `pid`'s `sleep 0.MS` line.
fn napped(text: &str, pid: u32, ms: u32) -> bool {
    text.lines()
        .any(|l| l.starts_with(&format!("{pid} ")) && l.contains(&nap(ms)))
}

/// Starts tracer with `args` writing to `trace`, and returns once its programs are attached.
fn start(args: &[&str], trace: &Path) -> KillOnDrop {
    require_root();
    let mut cmd = tracer();
    cmd.args(args)
        .args(["-e", "trace=clock_nanosleep", "-o"])
        .arg(trace);
    spawn_following(cmd)
}

/// Stops tracer (SIGTERM, as a service manager does) and returns the trace.
fn stop(mut t: KillOnDrop, trace: &Path) -> String {
    signal(t.0.id(), libc::SIGTERM);
    let _ = t.0.wait();
    fs::read_to_string(trace).unwrap_or_default()
}

fn run(cmd: &mut Command) -> Child {
    cmd.spawn().expect("run workload")
}

fn finish(mut c: Child) -> u32 {
    let _ = c.wait();
    c.id()
}

#[test]
fn root_comm_prefix_picks_up_new_processes_by_name() {
    let (mine, other) = (sleeper("tr18c-sleeper"), sleeper("tr18c-other"));
    let dir = scratch("watch-comm");
    let trace = dir.join("trace");
    let t = start(&["--comm", "tr18c-sl*"], &trace);
    let shown = finish(run(Command::new(&mine).arg("0.11")));
    finish(run(Command::new(&other).arg("0.12")));
    let text = stop(t, &trace);
    assert!(napped(&text, shown, 110), "{text}");
    assert!(!text.contains(&nap(120)), "{text}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_uid_picks_up_only_that_users_processes() {
    let mine = sleeper("tr18u-sleeper");
    let dir = scratch("watch-uid");
    let trace = dir.join("trace");
    let t = start(&["--uid", "nobody", "--comm", "tr18u*"], &trace);
    finish(run(Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&mine)
        .arg("0.11")));
    finish(run(Command::new(&mine).arg("0.12")));
    let text = stop(t, &trace);
    assert!(text.contains(&nap(110)), "{text}");
    assert!(!text.contains(&nap(120)), "root's process traced:\n{text}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_cgroup_picks_up_processes_started_in_it() {
    let root = fs::read_to_string("/proc/self/mounts")
        .expect("mounts")
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.get(2) == Some(&"cgroup2")).then(|| PathBuf::from(f[1]))
        })
        .expect("a cgroup v2 hierarchy");
    let group = root.join(format!("tracer-test-{}", std::process::id()));
    fs::create_dir_all(&group).expect("create cgroup");
    let dir = scratch("watch-cgroup");
    let trace = dir.join("trace");
    let t = start(&["--cgroup", &group.display().to_string()], &trace);
    let procs = group.join("cgroup.procs").display().to_string();
    // The shell moves itself into the cgroup, then execs sleep: picked up at the exec.
    finish(run(Command::new("sh").args([
        "-c",
        &format!("echo $$ > {procs} && exec sleep 0.11"),
    ])));
    finish(run(Command::new("sleep").arg("0.12")));
    let text = stop(t, &trace);
    let _ = fs::remove_dir(&group);
    assert!(text.contains(&nap(110)), "{text}");
    assert!(
        !text.contains(&nap(120)),
        "a process outside traced:\n{text}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_all_traces_new_processes_but_not_itself() {
    let mine = sleeper("tr18a-sleeper");
    let dir = scratch("watch-all");
    let trace = dir.join("trace");
    let t = start(&["--all"], &trace);
    let tracer_pid = t.0.id();
    let shown = finish(run(Command::new(&mine).arg("0.11")));
    let text = stop(t, &trace);
    assert!(napped(&text, shown, 110), "{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with(&format!("{tracer_pid} "))),
        "tracer traced itself:\n{text}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_kernel_filters_are_refused_with_ptrace() {
    require_root();
    for args in [["--uid", "0"], ["--comm", "post*"], ["--all", "-q"]] {
        let out = tracer()
            .args(["--backend", "ptrace"])
            .args(args)
            .output()
            .expect("run tracer");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("eBPF backend"), "{args:?}: {err}");
    }
}

/// Processes found running at start that end before tracing begins are a race of the scan,
/// not an error (only a `-p PID` that is gone is); `-q` quiets the pick-up messages as it
/// quiets strace's `attached`.
#[test]
fn root_scan_races_are_not_errors_and_q_quiets_pickups() {
    require_root();
    let mine = sleeper("tr18r-sleeper");
    let dir = scratch("watch-races");
    let (trace, err) = (dir.join("trace"), dir.join("err"));
    // Short-lived processes of nobody's, a new one every 20 ms: some are running when tracer
    // scans /proc and gone before its programs are attached.
    let churn = KillOnDrop(run(Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "sh",
            "-c",
        ])
        .arg(format!(
            "while :; do {} 0.3 & sleep 0.02; done",
            mine.display()
        ))));
    std::thread::sleep(std::time::Duration::from_millis(400));
    let mut t = KillOnDrop(run(tracer()
        .args(["--uid", "nobody", "--comm", "tr18r*", "-q"])
        .args(["-e", "trace=clock_nanosleep", "-o"])
        .arg(&trace)
        .stderr(fs::File::create(&err).expect("create err"))));
    let timeout = std::time::Duration::from_secs(60);
    let started = wait_for(&err, timeout, |e| e.contains("tracer: following "));
    assert!(started.contains("tracer: following "), "{started}");
    std::thread::sleep(std::time::Duration::from_secs(1));
    // Daemon mode keeps waiting for new processes even when every one found at start ended
    // before tracing began (not strace's "nothing left to trace").
    let ended = t.0.try_wait().expect("wait");
    assert!(
        ended.is_none(),
        "tracer stopped ({ended:?}): {}",
        fs::read_to_string(&err).unwrap_or_default()
    );
    signal(t.0.id(), libc::SIGTERM);
    let _ = t.0.wait();
    drop(churn);
    let (text, err) = (
        fs::read_to_string(&trace).unwrap_or_default(),
        fs::read_to_string(&err).unwrap_or_default(),
    );
    assert!(text.contains(&nap(300)), "nothing traced:\n{text}\n{err}");
    assert!(!err.contains("no such process"), "{err}");
    assert!(!err.contains("attached"), "-q: {err}");
    let _ = fs::remove_dir_all(&dir);
}
