//! The files tracer writes and the streams it writes to, tried as an attacker or an unlucky
//! operator would: modes, planted symlinks, other users' files, rotation with a planted
//! symlink, hostile recordings, a recording that cannot be written, --record with the ptrace
//! backend replayed, closed stdout and stderr, ring sizes.

mod common;

use std::{
    fs,
    os::unix::fs::{MetadataExt, PermissionsExt, symlink},
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::*;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("stat").mode() & 0o777
}

/// Runs tracer to the end; (exit code, stderr).
fn run(t: &mut Command) -> (Option<i32>, String) {
    let out = t.stdout(Stdio::null()).output().expect("run tracer");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn root_trace_and_recording_files_are_0600_unless_file_mode_says_otherwise() {
    require_root();
    let dir = scratch("modes");
    // A umask that would leave files world-readable does not matter.
    let sh = |args: &str| {
        let status = Command::new("sh")
            .args(["-c", &format!("umask 022; exec \"$0\" {args}")])
            .arg(env!("CARGO_BIN_EXE_tracer"))
            .current_dir(&dir)
            .stderr(Stdio::null())
            .status()
            .expect("run");
        assert!(status.success(), "{args}");
    };
    sh("-o one --record rec -- /bin/true");
    sh("-ff -o per --backend ebpf -- /bin/sh -c '/bin/true; /bin/true'");
    sh("--file-mode 0640 -o shared -- /bin/true");
    assert_eq!(mode(&dir.join("one")), 0o600);
    assert_eq!(mode(&dir.join("rec")), 0o600);
    let per: Vec<_> = fs::read_dir(&dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("per."))
        .collect();
    assert!(per.len() >= 2, "-ff files: {}", per.len());
    for f in per {
        assert_eq!(mode(&f.path()), 0o600, "{:?}", f.path());
    }
    assert_eq!(mode(&dir.join("shared")), 0o640);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_no_file_is_written_through_a_planted_symlink_or_into_another_users_file() {
    require_root();
    let dir = scratch("planted");
    let victim = dir.join("victim");
    fs::write(&victim, "precious\n").expect("write");
    symlink(&victim, dir.join("trace")).expect("symlink");
    symlink(&victim, dir.join("rec")).expect("symlink");
    let theirs = dir.join("theirs");
    fs::write(&theirs, "their text\n").expect("write");
    std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).expect("chown");
    for args in [
        vec!["-o", "trace"],
        vec!["-o", "out", "--record", "rec"],
        vec!["-o", "theirs"],
    ] {
        let mut t = tracer();
        t.current_dir(&dir).args(&args).args(["--", "/bin/true"]);
        let (code, stderr) = run(&mut t);
        assert_ne!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.contains("symbolic link") || stderr.contains("belongs to uid 65534"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
    assert_eq!(fs::read_to_string(&theirs).expect("read"), "their text\n");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_sighup_after_rotation_does_not_follow_a_planted_symlink() {
    require_root();
    for backend in ["ebpf", "ptrace"] {
        let dir = scratch(&format!("rotate-{backend}"));
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).expect("chmod");
        let (missing, counter, trace) =
            (dir.join("missing"), dir.join("counter"), dir.join("trace"));
        let victim = dir.join("victim");
        fs::write(&victim, "precious\n").expect("write");
        let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
        wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
        let mut t = trace_opener(&["--backend", backend], opener.0.id(), &trace, &missing);
        let m = missing.display().to_string();
        // logrotate moves the file away; another user plants a symlink at its name.
        fs::rename(&trace, dir.join("trace.1")).expect("rotate");
        symlink(&victim, &trace).expect("plant");
        signal(t.0.id(), libc::SIGHUP);
        let before = fs::metadata(dir.join("trace.1")).expect("stat").len();
        let grown = wait_for(&dir.join("trace.1"), Duration::from_secs(10), |t| {
            t.len() as u64 > before + 2 * m.len() as u64
        });
        signal(t.0.id(), libc::SIGINT);
        let _ = t.0.wait();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut t.0.stderr.take().expect("stderr"), &mut stderr)
            .expect("stderr");
        assert_eq!(
            fs::read_to_string(&victim).expect("read"),
            "precious\n",
            "{backend}: the trace went into the victim file"
        );
        assert!(grown.len() as u64 > before, "{backend}: the trace stopped");
        assert!(stderr.contains("symbolic link"), "{backend}: {stderr}");
        drop(opener);
        let _ = fs::remove_dir_all(&dir);
    }
}

/// `ln -s TARGET LINK` run as user nobody (the attacker plants the link).
fn plant_as_nobody(target: &Path, link: &Path) {
    let ok = Command::new("setpriv")
        .args([
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            "ln",
            "-s",
        ])
        .arg(target)
        .arg(link)
        .status()
        .expect("setpriv ln");
    assert!(ok.success(), "plant {}", link.display());
}

/// Another user plants a symlinked directory in a sticky world-writable directory (/tmp): the
/// root trace is not written through it, at start (-o, --record) nor at SIGHUP's reopen after
/// the log directory is moved away. The kernel's protected_symlinks rule, kept even where the
/// sysctl is 0 (as on this machine).
#[test]
fn root_no_file_is_written_through_a_planted_directory_link() {
    require_root();
    let dir = scratch("dirlink");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).expect("chmod");
    let rootdir = dir.join("rootdir");
    fs::create_dir(&rootdir).expect("mkdir");
    let victim = rootdir.join("app.log");
    fs::write(&victim, "data\n").expect("write");
    let logs = dir.join("logs");
    plant_as_nobody(&rootdir, &logs);
    for flag in ["-o", "--record"] {
        let (code, stderr) = run(tracer()
            .arg(flag)
            .arg(logs.join("app.log"))
            .args(["--", "/bin/true"]));
        assert_eq!(code, Some(1), "{flag}: {stderr}");
        assert!(
            stderr.contains("a symbolic link of uid 65534"),
            "{flag}: {stderr}"
        );
        assert_eq!(
            fs::read_to_string(&victim).expect("read"),
            "data\n",
            "{flag}"
        );
        assert_eq!(mode(&victim), 0o644, "{flag}: chmodded");
    }
    // Rotation: the log directory is moved away, a link planted at its name, then SIGHUP.
    fs::remove_file(&logs).expect("rm link");
    fs::create_dir(&logs).expect("mkdir logs");
    let (missing, counter, trace) = (
        dir.join("missing"),
        dir.join("counter"),
        logs.join("app.log"),
    );
    let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    let mut t = trace_opener(&[], opener.0.id(), &trace, &missing);
    let m = missing.display().to_string();
    fs::rename(&logs, dir.join("logs.1")).expect("rotate");
    plant_as_nobody(&rootdir, &logs);
    signal(t.0.id(), libc::SIGHUP);
    let rotated = dir.join("logs.1/app.log");
    let before = fs::metadata(&rotated).expect("stat").len();
    wait_for(&rotated, Duration::from_secs(10), |t| {
        t.len() as u64 > before + 2 * m.len() as u64
    });
    signal(t.0.id(), libc::SIGINT);
    let _ = t.0.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut t.0.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert_eq!(
        fs::read_to_string(&victim).expect("read"),
        "data\n",
        "{stderr}"
    );
    assert!(stderr.contains("a symbolic link of uid 65534"), "{stderr}");
    drop(opener);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_recording_that_cannot_be_written_fails_naming_it() {
    require_root();
    // A recording cut short must not pass for whole: as a trace that cannot be written, it
    // ends tracer with an error (while the run is short, when it is flushed at the end).
    for backend in ["ebpf", "ptrace"] {
        for script in ["true", "for i in 1 2 3 4 5 6 7 8; do /bin/true; done"] {
            let (code, stderr) = run(tracer()
                .args([
                    "--backend",
                    backend,
                    "--record",
                    "/dev/full",
                    "-o",
                    "/dev/null",
                ])
                .args(["--", "sh", "-c", script]));
            assert_eq!(code, Some(1), "{backend} {script}: {stderr}");
            assert!(
                stderr.contains(
                    "tracer: failed to write the recording /dev/full: No space left on device"
                ),
                "{backend} {script}: {stderr}"
            );
        }
    }
}

#[test]
fn root_replay_reads_a_stream_with_bounded_memory_and_refuses_oversized_records() {
    require_root();
    let dir = scratch("replay");
    let long = dir.join("long");
    fs::write(&long, (1u32 << 30).to_le_bytes()).expect("write");
    for (input, expect) in [
        (Path::new("/dev/zero"), "not a tracer recording"),
        (long.as_path(), "longer than any record"),
    ] {
        let start = Instant::now();
        let mut t = KillOnDrop(
            tracer()
                .arg("--replay")
                .arg(input)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run tracer"),
        );
        while t.0.try_wait().expect("wait").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "--replay {input:?} still runs (reading it all into memory?)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let status = t.0.wait().expect("wait");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut t.0.stderr.take().expect("stderr"), &mut stderr)
            .expect("stderr");
        assert_eq!(status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(expect), "{input:?}: {stderr}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Traces `workload` with `backend_args` into `dir/NAME.txt` while recording `dir/NAME.rec`,
/// then replays the recording into `dir/NAME.replayed`; (what was traced, what was replayed).
fn record_and_replay(dir: &Path, name: &str, backend_args: &[&str]) -> (String, String) {
    let (out, rec, replayed) = (
        dir.join(format!("{name}.txt")),
        dir.join(format!("{name}.rec")),
        dir.join(format!("{name}.replayed")),
    );
    let workload = "trap : USR1; cat /nonexistent/file; kill -USR1 $$; exit 3";
    let mut t = match backend_args.first() {
        Some(&"setpriv") => {
            let mut t = Command::new("setpriv");
            t.args(&backend_args[1..]).arg(env!("CARGO_BIN_EXE_tracer"));
            t
        }
        _ => {
            let mut t = tracer();
            t.args(backend_args);
            t
        }
    };
    t.args(["-f", "-o"])
        .arg(&out)
        .arg("--record")
        .arg(&rec)
        .args(["--", "/bin/sh", "-c", workload]);
    let (code, stderr) = run(&mut t);
    assert_eq!(code, Some(3), "{name}: {stderr}");
    let mut t = tracer();
    t.args(["-f", "-o"])
        .arg(&replayed)
        .arg("--replay")
        .arg(&rec);
    let (code, stderr) = run(&mut t);
    assert_eq!(code, Some(0), "{name}: {stderr}");
    (
        fs::read_to_string(&out).expect("trace"),
        fs::read_to_string(&replayed).expect("replayed trace"),
    )
}

/// Each task's lines in order, a call cut by another task's (`<unfinished ...>` and its
/// `<... resumed>`) joined again: where a live trace cuts a call depends on when the tracer
/// flushed (a replay reads everything at once), what each task did does not.
fn per_task(trace: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut tasks: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    // A task may start a call before an earlier one's end is shown (vfork's parent): keyed
    // by task and call.
    let mut cut: std::collections::HashMap<(String, String), String> = Default::default();
    for line in trace.lines() {
        let (pid, rest) = line.split_once(' ').unwrap_or(("", line));
        // The pid column is padded to five: a pid below 10000 leaves a second space.
        let rest = rest.trim_start();
        if let Some(start) = rest.strip_suffix(" <unfinished ...>") {
            let name = start.split('(').next().unwrap_or_default().to_string();
            cut.insert((pid.to_string(), name), start.to_string());
            continue;
        }
        let resumed = rest
            .strip_prefix("<... ")
            .and_then(|r| r.split_once(" resumed>"));
        let whole = match resumed {
            Some((name, end)) => {
                let key = (pid.to_string(), name.to_string());
                cut.remove(&key).unwrap_or_default() + end
            }
            None => rest.to_string(),
        };
        let whole = whole.split_whitespace().collect::<Vec<_>>().join(" ");
        tasks.entry(pid.to_string()).or_default().push(whole);
    }
    tasks
}

#[test]
fn root_record_with_ptrace_and_after_the_fallback_replays_to_the_same_trace() {
    require_root();
    let dir = scratch("record-ptrace");
    let (traced, replayed) = record_and_replay(&dir, "ptrace", &["--backend", "ptrace"]);
    // Forks, a failed open, a signal and the exits: every kind of event ptrace reports.
    for expect in [
        "ENOENT (No such file or directory)",
        "--- SIGCHLD",
        "--- SIGUSR1",
        "+++ exited with 1 +++",
        "+++ exited with 3 +++",
    ] {
        assert!(traced.contains(expect), "{expect}: {traced}");
    }
    assert_eq!(per_task(&replayed), per_task(&traced));
    assert_eq!(mode(&dir.join("ptrace.rec")), 0o600);
    // Without CAP_BPF (and CAP_SYS_ADMIN) eBPF does not load and auto falls back to ptrace.
    let (traced, replayed) = record_and_replay(
        &dir,
        "fallback",
        &[
            "setpriv",
            "--bounding-set",
            "-bpf,-sys_admin,-perfmon",
            "--",
        ],
    );
    assert!(traced.contains("+++ exited with 3 +++"), "{traced}");
    assert_eq!(per_task(&replayed), per_task(&traced));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_closed_stdout_is_an_error_and_closed_stderr_never_panics() {
    require_root();
    let bin = env!("CARGO_BIN_EXE_tracer");
    let out = Command::new("sh")
        .args(["-c", "exec \"$0\" -- /bin/true >&-"])
        .arg(bin)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("standard output is closed"), "{stderr}");

    let out = Command::new("sh")
        .args(["-c", "exec \"$0\" -e trace=execve -- /bin/true 2>&-"])
        .arg(bin)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("execve(\"/bin/true\""));

    // `tracer -p PID 2>&1 | head -1`: both streams into a pipe whose reader leaves.
    let dir = scratch("closed-stderr");
    let (missing, counter) = (dir.join("missing"), dir.join("counter"));
    let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    for backend in ["ebpf", "ptrace"] {
        let out = Command::new("bash")
            .args([
                "-c",
                "\"$0\" --backend $1 -p $2 2>&1 | head -1 >/dev/null; echo ${PIPESTATUS[0]}",
            ])
            .arg(bin)
            .arg(backend)
            .arg(opener.0.id().to_string())
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text.trim(), "0", "{backend}: tracer's exit status");
    }
    drop(opener);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_ring_size_limits_are_stated_and_a_ring_over_the_memory_limit_warns() {
    require_root();
    let (code, stderr) = run(tracer().args(["--ring-size", "2G", "--", "/bin/true"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("larger than 1G"), "{stderr}");
    let (code, stderr) = run(tracer().args(["--ring-size", "3M", "--", "/bin/true"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("not a power of two"), "{stderr}");
    // A memory cgroup smaller than the ring (cgroup v1 here; v2 is read the same way).
    let cgroup = fs::read_to_string("/proc/self/cgroup").expect("cgroup");
    let Some(path) = cgroup
        .lines()
        .find_map(|l| l.split_once(":memory:").map(|(_, p)| p.to_string()))
    else {
        return;
    };
    let dir = Path::new("/sys/fs/cgroup/memory")
        .join(path.trim_start_matches('/'))
        .join(format!("tracer-test-{}", std::process::id()));
    fs::create_dir(&dir).expect("mkdir cgroup");
    fs::write(dir.join("memory.limit_in_bytes"), (64u64 << 20).to_string()).expect("limit");
    let (code, stderr) = run(Command::new("sh")
        .args([
            "-c",
            "echo $$ > \"$1/cgroup.procs\" && exec \"$0\" --ring-size 128M -- /bin/true",
        ])
        .arg(env!("CARGO_BIN_EXE_tracer"))
        .arg(&dir));
    let _ = fs::remove_dir(&dir);
    assert!(
        stderr.contains("--ring-size 128M: not less than the 64M"),
        "{code:?}: {stderr}"
    );
}

/// Attaches tracer (with `extra` flags) to the opener `pid`, writing its openat calls to
/// `trace`, and waits until the trace shows the open of `missing`: from then on the file is
/// being written, so a rotation tests the reopen.
fn trace_opener(extra: &[&str], pid: u32, trace: &Path, missing: &Path) -> KillOnDrop {
    let t = KillOnDrop(
        tracer()
            .args(extra)
            .args(["-e", "trace=openat", "-p"])
            .arg(pid.to_string())
            .arg("-o")
            .arg(trace)
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tracer"),
    );
    let m = missing.display().to_string();
    assert!(wait_for(trace, Duration::from_secs(10), |t| t.contains(&m)).contains(&m));
    t
}

/// The check and the open are one operation: while another thread swaps the log directory's
/// name with a symlink another user planted (renameat2 RENAME_EXCHANGE, in a loop), tracer's
/// reopens at each SIGHUP never land the trace in the directory the link points to. Checking
/// the path first and opening it after (a check-then-use race) loses this within seconds.
#[test]
fn root_a_directory_swapped_for_a_planted_link_during_reopens_is_never_followed() {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    };
    require_root();
    let dir = scratch("swap");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).expect("chmod");
    let victim_dir = dir.join("victim");
    fs::create_dir(&victim_dir).expect("mkdir");
    let (logs, planted) = (dir.join("logs"), dir.join("planted"));
    fs::create_dir(&logs).expect("mkdir logs");
    plant_as_nobody(&victim_dir, &planted);
    let (missing, counter) = (dir.join("missing"), dir.join("counter"));
    let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    let mut t = trace_opener(&[], opener.0.id(), &logs.join("app.log"), &missing);
    // Each refused reopen warns: drain stderr so tracer never blocks on it.
    let mut stderr = t.0.stderr.take().expect("stderr");
    let drain = std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let stop = Arc::clone(&stop);
        let a = std::ffi::CString::new(logs.as_os_str().as_encoded_bytes()).expect("path");
        let b = std::ffi::CString::new(planted.as_os_str().as_encoded_bytes()).expect("path");
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // SAFETY: two valid C strings; renameat2 only swaps the two names.
                let rc = unsafe {
                    libc::renameat2(
                        libc::AT_FDCWD,
                        a.as_ptr(),
                        libc::AT_FDCWD,
                        b.as_ptr(),
                        libc::RENAME_EXCHANGE,
                    )
                };
                assert_eq!(rc, 0, "renameat2: {}", std::io::Error::last_os_error());
            }
        })
    };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(4) && !victim_dir.join("app.log").exists() {
        signal(t.0.id(), libc::SIGHUP);
        std::thread::sleep(Duration::from_millis(2));
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().expect("swapper");
    signal(t.0.id(), libc::SIGINT);
    let _ = t.0.wait();
    let _ = drain.join();
    assert!(
        !victim_dir.join("app.log").exists(),
        "a reopen followed the planted link into {}",
        victim_dir.display()
    );
    drop(opener);
    let _ = fs::remove_dir_all(&dir);
}
