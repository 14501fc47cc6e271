//! Daemon mode on real processes: `--comm` picks up processes by name (running, restarted,
//! daemonized by a fork), stats records show the state held going back to its baseline, a
//! fork storm leaves nothing behind, stats records and signals keep their time while a flood
//! outruns the reader, and the systemd unit's capability set is exactly enough.

mod common;

use std::{
    fs::{self, File},
    os::unix::{fs::PermissionsExt, process::ExitStatusExt},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use common::{require_root, scratch, tracer, wait_for};

/// A Python script whose process name is its file name (`name`, at most 15 bytes): it tries
/// to open the path in its first argument every 50 ms; with "fork" as its second argument it
/// forks, and the parent exits (as a daemon detaches).
fn named_script(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(
        &path,
        "#!/usr/bin/python3\n\
         import os, sys, time\n\
         if len(sys.argv) > 2 and sys.argv[2] == 'fork':\n\
         \x20   if os.fork():\n\
         \x20       sys.exit(0)\n\
         while True:\n\
         \x20   try:\n\
         \x20       os.open(sys.argv[1], os.O_RDONLY)\n\
         \x20   except OSError:\n\
         \x20       pass\n\
         \x20   time.sleep(0.05)\n",
    )
    .expect("write script");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The counts of the last stats line in `text`, by name.
fn last_stats(text: &str) -> Vec<(String, u64)> {
    let line = text
        .lines()
        .rfind(|l| l.starts_with("--- stats {"))
        .unwrap_or_else(|| panic!("no stats line in:\n{text}"));
    let inner = line
        .trim_start_matches("--- stats {")
        .trim_end_matches("} ---");
    inner
        .split(", ")
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (
                k.to_string(),
                v.trim_end_matches("/s").parse().expect("count"),
            )
        })
        .collect()
}

fn stat(stats: &[(String, u64)], key: &str) -> u64 {
    stats
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no {key} in {stats:?}"))
        .1
}

#[test]
fn root_comm_follows_running_restarted_and_daemonized_processes_by_name() {
    comm_follows("ebpf");
}

#[test]
fn root_comm_follows_processes_by_name_with_ptrace() {
    comm_follows("ptrace");
}

fn comm_follows(backend: &str) {
    require_root();
    let dir = scratch(&format!("comm-{backend}"));
    // A name of its own per run (the two backends' runs go on at the same time).
    let name = format!("td{}{}", &backend[..1], std::process::id() % 100_000);
    let script = named_script(&dir, &name);
    let other = named_script(
        &dir,
        &format!("to{}{}", &backend[..1], std::process::id() % 100_000),
    );
    let marker = |tag: &str| dir.join(format!("missing-{tag}"));
    let mut first = Command::new(&script)
        .arg(marker("first"))
        .spawn()
        .expect("spawn");
    let mut bystander = Command::new(&other)
        .arg(marker("other"))
        .spawn()
        .expect("spawn");
    // Its name is set once the interpreter runs.
    let comm = format!("/proc/{}/comm", first.id());
    wait_for(Path::new(&comm), Duration::from_secs(5), |c| {
        c.trim() == name
    });
    let (out, err) = (dir.join("out"), dir.join("err"));
    let mut t = tracer()
        .arg(format!("--backend={backend}"))
        .args(["--comm", &name, "--stats-interval", "1", "-yy", "-o"])
        .arg(&out)
        .stderr(File::create(&err).expect("stderr file"))
        .spawn()
        .expect("run tracer");
    // Generous: loading and verifying the programs took over 10 s on a CI machine under a
    // load average of 14; the wait ends as soon as the marker shows.
    let seen = |tag: &str| {
        let m = marker(tag).display().to_string();
        wait_for(&out, Duration::from_secs(60), |t| t.contains(&m)).contains(&m)
    };
    assert!(
        seen("first"),
        "the running process was not traced; tracer said: {}",
        fs::read_to_string(&err).unwrap_or_default()
    );
    // A restart: the old process goes, a new one with the same name comes.
    kill(&mut first);
    let mut second = Command::new(&script)
        .arg(marker("second"))
        .spawn()
        .expect("spawn");
    assert!(seen("second"), "the restarted process was not picked up");
    // A daemon: the started process forks and exits; the child carries on under the name.
    let status = Command::new(&script)
        .args([marker("daemon").as_os_str(), "fork".as_ref()])
        .status()
        .expect("run the daemonizing script");
    assert!(status.success());
    assert!(seen("daemon"), "the daemonized child was not picked up");
    kill(&mut second);
    let _ = Command::new("pkill")
        .args(["-f", &marker("daemon").display().to_string()])
        .status();
    // Once all are gone, the state held goes back to nothing; tracer keeps waiting.
    let text = wait_for(&out, Duration::from_secs(10), |t| {
        t.lines()
            .filter(|l| l.contains("+++ killed by SIGTERM +++"))
            .count()
            >= 2
            && last_stats(t)
                .iter()
                .any(|(k, v)| k == "processes" && *v == 0)
    });
    assert!(t.try_wait().expect("try_wait").is_none(), "tracer stopped");
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(t.id() as i32, libc::SIGTERM) };
    t.wait().expect("wait tracer");
    kill(&mut bystander);
    let text = fs::read_to_string(&out).unwrap_or(text);
    assert!(
        !text.contains(&marker("other").display().to_string()),
        "a process of another name was traced"
    );
    let stats = last_stats(&text);
    for key in [
        "processes",
        "tasks",
        "fds",
        "pending",
        "kernel_traced",
        "kernel_inflight",
        "lost",
    ] {
        assert_eq!(stat(&stats, key), 0, "{key} after every process ended");
    }
    let stderr = fs::read_to_string(&err).unwrap_or_default();
    let attached = stderr
        .lines()
        .filter(|l| l.ends_with("attached") && l.contains(&name))
        .count();
    // The restarted one, the daemon's parent and the daemon itself (the first was found
    // running: "process N attached"). ptrace's scan each second may miss the short-lived
    // parent.
    if backend == "ebpf" {
        assert_eq!(attached, 3, "{stderr}");
    } else {
        assert!((2..=3).contains(&attached), "{stderr}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_fork_storm_under_f_leaves_the_state_at_its_baseline() {
    require_root();
    let dir = scratch("storm");
    let (out, pidfile) = (dir.join("out"), dir.join("pid"));
    const CHILDREN: usize = 2000;
    // The shell becomes a sleep that lives until the test has seen the state it holds.
    let script = format!(
        "for i in $(seq {CHILDREN}); do /bin/true; done; echo $$ > {}; exec sleep 1000",
        pidfile.display()
    );
    let mut t = tracer()
        // A ring large enough that a consumer slowed by a busy machine does not overflow it:
        // this test is about the state tracer keeps; losses have tests of their own.
        .args([
            "-f",
            "-yy",
            "--stats-interval",
            "1",
            "--ring-size",
            "64M",
            "-o",
        ])
        .arg(&out)
        .args(["--", "sh", "-c", &script])
        .stderr(Stdio::null())
        .spawn()
        .expect("run tracer");
    let exited = |text: &str| {
        text.lines()
            .filter(|l| l.ends_with("+++ exited with 0 +++"))
            .count()
    };
    // Every child's end and seq's, then a stats record: written while only sleep lives.
    let stats_after_storm = |text: &str| {
        exited(text) == CHILDREN + 1
            && text
                .rsplit_once("+++ exited with 0 +++")
                .is_some_and(|(_, after)| after.contains("--- stats {"))
    };
    let text = wait_for(&out, Duration::from_secs(300), stats_after_storm);
    assert!(stats_after_storm(&text), "no stats record after the storm");
    let sleep: i32 = fs::read_to_string(&pidfile)
        .expect("pid file")
        .trim()
        .parse()
        .expect("pid");
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(sleep, libc::SIGTERM) };
    let status = t.wait().expect("wait tracer");
    // tracer ends as its command did, by SIGTERM.
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
    let text = fs::read_to_string(&out).expect("trace");
    assert_eq!(exited(&text), CHILDREN + 1);
    assert!(!text.contains("!!! lost"), "events were lost");
    // While only `sleep` lives (after the last child's exit line, before sleep's end): one
    // process, one task, at most one call in flight.
    let (_, after_storm) = text
        .rsplit_once("+++ exited with 0 +++")
        .expect("the storm's last exit");
    let (during, _) = after_storm
        .split_once("+++ killed by SIGTERM +++")
        .expect("sleep's end");
    let before_end = last_stats(during);
    assert_eq!(stat(&before_end, "processes"), 1, "{before_end:?}");
    assert_eq!(stat(&before_end, "tasks"), 1, "{before_end:?}");
    assert_eq!(stat(&before_end, "kernel_traced"), 1, "{before_end:?}");
    assert!(stat(&before_end, "kernel_inflight") <= 1, "{before_end:?}");
    assert!(stat(&before_end, "pending") <= 1, "{before_end:?}");
    let at_end = last_stats(&text);
    for key in [
        "processes",
        "tasks",
        "fds",
        "kernel_traced",
        "kernel_inflight",
    ] {
        assert_eq!(stat(&at_end, key), 0, "{key} at the end: {at_end:?}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Two threads calling write() and getppid() as fast as they can, until killed: a producer
/// faster than tracer reads, whatever the build.
const FLOOD: &str = r#"
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static void *flood(void *arg) {
    (void)arg;
    int fd = open("/dev/null", O_WRONLY);
    for (;;) {
        write(fd, "abcdefghij", 10);
        getppid();
    }
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, flood, NULL);
    flood(NULL);
    return 0;
}
"#;

#[test]
fn root_stats_and_signals_keep_their_time_while_a_flood_outruns_the_reader() {
    require_root();
    let dir = scratch("flood-stats");
    let flood = common::compile_c(&dir, "flood", FLOOD);
    let mut flood = common::KillOnDrop(Command::new(&flood).spawn().expect("run the flood"));
    let out = dir.join("out");
    // The reader never finds the ring empty while the flood runs: it used to read on and on,
    // with no stats record and no signal taken, until the flood ended.
    let mut t = tracer()
        .args(["-p", &flood.0.id().to_string()])
        .args(["--stats-interval", "1", "-o"])
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .expect("run tracer");
    let stats = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("--- stats {"))
            .count()
    };
    let text = wait_for(&out, Duration::from_secs(60), |text| stats(text) >= 3);
    assert!(
        stats(&text) >= 3,
        "{} stats records in a minute of flood",
        stats(&text)
    );
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(t.id() as i32, libc::SIGINT) };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while t.try_wait().expect("try_wait").is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "tracer ran on for a minute after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        flood.0.try_wait().expect("try_wait").is_none(),
        "the traced flood stopped"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// The capabilities the systemd unit grants, as setpriv spells them (`+bpf,+perfmon,...`).
fn unit_capabilities(unit: &str) -> Vec<String> {
    let line = unit
        .lines()
        .find_map(|l| l.strip_prefix("AmbientCapabilities="))
        .expect("AmbientCapabilities in the unit");
    let bounding = unit
        .lines()
        .find_map(|l| l.strip_prefix("CapabilityBoundingSet="))
        .expect("CapabilityBoundingSet in the unit");
    assert_eq!(line, bounding, "ambient and bounding sets differ");
    line.split_whitespace()
        .map(|c| c.trim_start_matches("CAP_").to_lowercase())
        .collect()
}

/// Runs tracer as user nobody holding only `caps`, on a root-owned process holding
/// `held` open since before tracing began; returns (status, trace, stderr).
fn run_with_caps(caps: &[String], held: &Path) -> (Option<i32>, String, String) {
    let set: String = caps.iter().map(|c| format!(",+{c}")).collect();
    let set = format!("-all{set}");
    let script = format!(
        "exec 7<{}; while :; do read -t 0.05 -u 7 x || :; sleep 0.05; done",
        held.display()
    );
    let mut target = Command::new("bash")
        .args(["-c", &script])
        .spawn()
        .expect("spawn target");
    std::thread::sleep(Duration::from_millis(300));
    let out = Command::new("timeout")
        .args([
            "-s",
            "INT",
            // Loading takes seconds on a busy machine.
            "8",
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
        ])
        .args(["--clear-groups", "--inh-caps", &set, "--ambient-caps", &set])
        .args(["--bounding-set", &set, "--"])
        .arg(env!("CARGO_BIN_EXE_tracer"))
        // The eBPF backend, as the unit's --comm needs (auto would fall back to ptrace).
        .args(["--backend=ebpf", "-yy", "-e", "trace=read"])
        .args(["-p", &target.id().to_string()])
        .output()
        .expect("run setpriv");
    kill(&mut target);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn root_the_systemd_unit_grants_exactly_the_capabilities_tracer_needs() {
    require_root();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let unit = fs::read_to_string(root.join("dist/systemd/tracer@.service")).expect("the unit");
    let dir = scratch("unit");
    // systemd accepts the unit (with the binary where it would be installed).
    let copy = dir.join("tracer@pgbouncer.service");
    fs::write(
        &copy,
        unit.replace("/usr/bin/tracer", env!("CARGO_BIN_EXE_tracer")),
    )
    .expect("write unit copy");
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&copy)
        .output();
    if let Ok(v) = verify {
        assert!(
            v.status.success() && v.stderr.is_empty(),
            "systemd-analyze verify: {}",
            String::from_utf8_lossy(&v.stderr)
        );
    }
    let caps = unit_capabilities(&unit);
    assert_eq!(caps, ["bpf", "perfmon", "dac_read_search", "sys_ptrace"]);
    let held = dir.join("held-open");
    fs::write(&held, "x\n").expect("write file");
    let held_name = held.display().to_string();
    // With the unit's set, an unprivileged user traces a root process and names its fds.
    // (timeout's 124: it ran until interrupted.)
    let (status, trace, stderr) = run_with_caps(&caps, &held);
    assert_eq!(status, Some(124), "{stderr}");
    assert!(
        trace.contains(&format!("read(7<{held_name}>")),
        "fd 7 not named with the unit's capabilities:\n{trace}\n{stderr}"
    );
    // Without CAP_DAC_READ_SEARCH the calls are traced, but fds opened before tracing began
    // cannot be named: the other user's /proc/PID/fd is closed to us.
    let fewer: Vec<String> = caps
        .iter()
        .filter(|c| *c != "dac_read_search")
        .cloned()
        .collect();
    let (status, trace, _) = run_with_caps(&fewer, &held);
    assert_eq!(status, Some(124));
    assert!(trace.contains("read(7"), "nothing traced:\n{trace}");
    assert!(!trace.contains(&held_name), "named:\n{trace}");
    // Without CAP_SYS_PTRACE ptrace's rule refuses another user's process (root_privilege.rs).
    let fewer: Vec<String> = caps
        .iter()
        .filter(|c| *c != "sys_ptrace")
        .cloned()
        .collect();
    let (status, trace, stderr) = run_with_caps(&fewer, &held);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("CAP_SYS_PTRACE") && trace.is_empty(),
        "{stderr}"
    );
    // Without CAP_BPF or CAP_PERFMON nothing loads, and the error names what is missing.
    for missing in ["bpf", "perfmon"] {
        let fewer: Vec<String> = caps.iter().filter(|c| *c != missing).cloned().collect();
        let (status, _, stderr) = run_with_caps(&fewer, &held);
        assert_eq!(status, Some(1));
        assert!(
            stderr.contains(&format!("CAP_{}", missing.to_uppercase())),
            "{missing}: {stderr}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}
