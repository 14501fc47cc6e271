//! The ptrace backend with real processes: the same lines as strace, data eBPF cannot read,
//! the fallback when eBPF cannot load, and its safety rules (detach leaves the tracee running,
//! a killed tracer too, a tracee already traced is refused by name).

mod common;

use std::{
    fs,
    os::unix::process::ExitStatusExt,
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use common::*;

fn ptrace_tracer() -> Command {
    let mut c = tracer();
    c.arg("--backend=ptrace");
    c
}

#[test]
fn root_ptrace_launch_prints_the_failed_open_and_passes_the_status_on() {
    require_root();
    let out = ptrace_tracer()
        .args(["--", "cat", "/nonexistent/file"])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("execve(\"/usr/bin/cat\", [\"cat\", \"/nonexistent/file\"]"));
    assert!(text.contains(
        "openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY) = -1 ENOENT (No such file or directory)"
    ));
    assert!(text.ends_with("+++ exited with 1 +++\n"), "{text}");
    // A death by signal is passed on too.
    let status = ptrace_tracer()
        .args(["-o", "/dev/null", "--", "sh", "-c", "kill -TERM $$"])
        .status()
        .expect("run tracer");
    assert_eq!(status.signal(), Some(libc::SIGTERM));
}

#[test]
fn root_ptrace_signals_and_forks_read_as_strace_prints_them() {
    require_root();
    let dir = scratch("ptrace-signals");
    let workload = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stories.py");
    let pick = |out: &Path| -> Vec<String> {
        let mut v: Vec<String> = fs::read_to_string(out)
            .expect("trace")
            .lines()
            .map(|l| {
                // Pids differ between the two runs.
                // (strace pads pids to five columns.)
                let l = l.split_once(' ').map_or(l, |(p, r)| {
                    if p.chars().all(|c| c.is_ascii_digit()) {
                        r.trim_start()
                    } else {
                        l
                    }
                });
                regex::Regex::new(r"(si_pid|si_uid|si_utime|si_stime)=\d+(?: /\* [0-9.]+ s \*/)?")
                    .unwrap()
                    .replace_all(l, "$1=N")
                    .into_owned()
            })
            .filter(|l| l.starts_with("---") || l.starts_with("+++"))
            .collect();
        v.sort();
        v
    };
    let run = |mut c: Command, out: &Path| {
        let status = c
            .args(["-f", "-o"])
            .arg(out)
            .args(["--", "/usr/bin/python3"])
            .arg(&workload)
            .arg("signals")
            .status()
            .expect("run");
        assert!(status.success());
    };
    run(Command::new("strace"), &dir.join("s"));
    run(ptrace_tracer(), &dir.join("t"));
    let (strace, ours) = (pick(&dir.join("s")), pick(&dir.join("t")));
    assert!(!strace.is_empty());
    assert_eq!(ours, strace);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_ptrace_shows_data_the_ebpf_backend_could_not_read() {
    require_root();
    let dir = scratch("untouched");
    let data = dir.join("page.txt");
    fs::write(&data, "hello-from-an-untouched-page").expect("write");
    // write(2) from a file mapping the process never touched: at sys_enter its page is not
    // mapped yet, and a non-sleepable eBPF program cannot fault it in.
    let script = format!(
        "import ctypes, os\n\
         libc = ctypes.CDLL(None)\n\
         libc.mmap.restype = ctypes.c_void_p\n\
         libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, \
         ctypes.c_int, ctypes.c_long]\n\
         fd = os.open('{}', os.O_RDONLY)\n\
         p = libc.mmap(None, 4096, 1, 1, fd, 0)\n\
         out = os.open('/dev/null', os.O_WRONLY)\n\
         libc.write(out, ctypes.c_void_p(p), 28)\n",
        data.display()
    );
    let write_line = |backend: &str| -> String {
        let out = tracer()
            .args([&format!("--backend={backend}"), "-e", "trace=write", "--"])
            .args(["/usr/bin/python3", "-c", &script])
            .output()
            .expect("run tracer");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("write(4, ") && l.ends_with("= 28"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let ebpf = write_line("ebpf");
    assert!(
        ebpf.starts_with("write(4, 0x"),
        "eBPF read it after all: {ebpf}"
    );
    assert_eq!(
        write_line("ptrace"),
        "write(4, \"hello-from-an-untouched-page\", 28) = 28"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_without_bpf_capabilities_tracer_falls_back_to_ptrace() {
    require_root();
    let drop = "-bpf,-perfmon,-sys_admin";
    let out = Command::new("setpriv")
        .args(["--inh-caps", drop, "--bounding-set", drop, "--"])
        .arg(env!("CARGO_BIN_EXE_tracer"))
        .args(["--", "cat", "/nonexistent/file"])
        .output()
        .expect("run setpriv");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let notes: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("tracer: eBPF is not available"))
        .collect();
    assert_eq!(notes.len(), 1, "{stderr}");
    assert!(notes[0].contains("CAP_BPF") && notes[0].ends_with("tracing with ptrace"));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "openat(AT_FDCWD, \"/nonexistent/file\", O_RDONLY) = -1 ENOENT (No such file or directory)"
    ));
}

#[test]
fn root_ptrace_ctrl_c_detaches_and_leaves_the_tracee_running() {
    require_root();
    tracee_survives(ptrace_tracer(), "ptrace-int", |t| {
        signal(t.id(), libc::SIGINT)
    });
}

#[test]
fn root_ptrace_tracer_killed_with_sigkill_leaves_the_tracee_running() {
    require_root();
    tracee_survives(ptrace_tracer(), "ptrace-kill", |t| {
        t.kill().expect("SIGKILL tracer")
    });
}

#[test]
fn root_a_process_traced_by_someone_else_is_refused_naming_its_tracer() {
    require_root();
    let sleeper = KillOnDrop(Command::new("sleep").arg("30").spawn().expect("sleep"));
    let pid = sleeper.0.id().to_string();
    let strace = KillOnDrop(
        Command::new("strace")
            .args(["-o", "/dev/null", "-p", &pid])
            .stderr(Stdio::null())
            .spawn()
            .expect("strace"),
    );
    wait_for(
        Path::new(&format!("/proc/{pid}/status")),
        Duration::from_secs(10),
        |s| s.contains(&format!("TracerPid:\t{}", strace.0.id())),
    );
    let out = ptrace_tracer()
        .args(["-p", &pid])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "tracer: pid {pid}: already traced by pid {}\n",
            strace.0.id()
        )
    );
    drop(strace);
    drop(sleeper);
}

/// The lines of a `-f -o` trace without their pid, a call cut by another process's line
/// (`... <unfinished ...>`, then `<... openat resumed>...`) joined back into one, as strace
/// cuts any call another process's line comes in the middle of.
fn joined(text: &str) -> Vec<String> {
    let mut started: std::collections::HashMap<&str, String> = Default::default();
    let mut lines = Vec::new();
    for line in text.lines() {
        let (pid, rest) = match line.split_once(' ') {
            Some((pid, rest)) if pid.chars().all(|c| c.is_ascii_digit()) => {
                (pid, rest.trim_start())
            }
            _ => ("", line),
        };
        if let Some(start) = rest.strip_suffix(" <unfinished ...>") {
            started.insert(pid, start.to_string());
        } else if let Some(end) = rest.strip_prefix("<... ") {
            let end = end.split_once(" resumed>").map_or(end, |(_, e)| e);
            lines.push(format!("{}{end}", started.remove(pid).unwrap_or_default()));
        } else {
            lines.push(rest.to_string());
        }
    }
    // Alignment differs between a whole line and a joined one.
    lines
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// `TRACER_LOG=debug`'s count of ptrace stops, and the openat lines (pid prefixes dropped).
fn stops_and_opens(trace: &str, follow: bool) -> (u64, Vec<String>) {
    let script = "dd if=/dev/zero of=/dev/null bs=1 count=5000 2>/dev/null; \
                  cat /nonexistent-seccomp 2>/dev/null";
    let dir = scratch(&format!("seccomp-{}-{follow}", trace.len()));
    let out_file = dir.join("t");
    let mut tracer = ptrace_tracer();
    if follow {
        tracer.arg("-f");
    }
    let out = tracer
        .args(["-e", trace, "-o"])
        .arg(&out_file)
        .args(["--", "sh", "-c", script])
        .env("TRACER_LOG", "debug")
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stops = stderr
        .lines()
        .find_map(|l| l.strip_prefix("tracer: debug: ptrace: "))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no stop count in {stderr}"));
    let opens = joined(&fs::read_to_string(&out_file).expect("trace"))
        .into_iter()
        .filter(|l| l.starts_with("openat("))
        .collect();
    let _ = fs::remove_dir_all(&dir);
    (stops, opens)
}

#[test]
fn root_a_narrowed_trace_of_a_launched_command_stops_only_at_the_traced_calls() {
    require_root();
    // dd's 10000 reads and writes: every one stops when everything is traced; with
    // -e trace=openat the seccomp filter lets them run.
    let (all_stops, all_opens) = stops_and_opens("trace=all", true);
    let (narrow_stops, narrow_opens) = stops_and_opens("trace=openat", true);
    assert!(all_stops > 20_000, "{all_stops}");
    assert!(narrow_stops < 1_000, "{narrow_stops}");
    // Both see the same opens (the filter loses none).
    assert_eq!(narrow_opens, all_opens);
    assert!(
        narrow_opens
            .iter()
            .any(|l| l.contains("/nonexistent-seccomp"))
    );
    // Without -f there is no filter (the children would inherit it, and tracer would have to
    // trace them): the children are not traced at all, so dd's calls do not stop either, and
    // only the shell's own opens are printed.
    let (_, shell_all) = stops_and_opens("trace=all", false);
    let (shell_stops, shell_opens) = stops_and_opens("trace=openat", false);
    assert!(shell_stops < 1_000, "{shell_stops}");
    assert_eq!(shell_opens, shell_all);
    assert!(
        !shell_opens
            .iter()
            .any(|l| l.contains("/nonexistent-seccomp"))
    );
}

#[test]
fn root_ptrace_threads_are_traced_without_f_as_with_ebpf() {
    require_root();
    let script = "import os, threading\n\
                  def work():\n\
                  \x20   try: os.open('/nonexistent-from-thread', os.O_RDONLY)\n\
                  \x20   except OSError: pass\n\
                  t = threading.Thread(target=work); t.start(); t.join()\n";
    for backend in ["ebpf", "ptrace"] {
        let out = tracer()
            .args([&format!("--backend={backend}"), "-e", "trace=openat", "--"])
            .args(["/usr/bin/python3", "-c", script])
            .output()
            .expect("run tracer");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.lines()
                .any(|l| l.starts_with("[pid ") && l.contains("/nonexistent-from-thread")),
            "{backend}: {text}"
        );
    }
}

#[test]
fn root_ptrace_an_exec_from_a_thread_is_followed_to_the_end() {
    require_root();
    // The exec'ing thread takes the process's id; its old id vanishes without an exit.
    let script = "import os, threading, time\n\
                  threading.Thread(target=lambda: os.execv('/bin/true', ['true'])).start()\n\
                  time.sleep(5)\n";
    let out = ptrace_tracer()
        .args(["-f", "-e", "trace=execve,exit_group", "--"])
        .args(["/usr/bin/python3", "-c", script])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let exec = text
        .lines()
        .position(|l| l.contains("execve(\"/bin/true\""))
        .unwrap_or_else(|| panic!("no exec of /bin/true in:\n{text}"));
    // As strace: nothing cut the execve's line, so it ends where the thread's id changes.
    let lines: Vec<&str> = text.lines().skip(exec).collect();
    let thread = lines[0]
        .trim_start_matches("[pid ")
        .split(']')
        .next()
        .unwrap_or_default()
        .trim();
    assert!(lines[0].contains(" <pid changed to "), "{text}");
    assert_eq!(
        lines[1],
        format!("+++ superseded by execve in pid {thread} +++"),
        "{text}"
    );
    assert!(lines[2].starts_with("<... execve resumed>)"), "{text}");
    assert!(text.trim_end().ends_with("+++ exited with 0 +++"), "{text}");
}

/// strace 6.1's man page says `--seccomp-bpf` implies `-f`; its code warns and disables the
/// option instead, tracing only the launched process (tracer followed the children).
#[test]
fn root_seccomp_bpf_without_f_is_disabled_as_in_strace() {
    require_root();
    let run = |mut program: Command| {
        let out = program
            .args(["--seccomp-bpf", "-e", "trace=openat", "--"])
            .args(["sh", "-c", "cat /nonexistent-seccomp-f; true"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let warning = stderr
            .lines()
            .next()
            .unwrap_or("")
            .replacen("strace", "tracer", 1);
        (warning, String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (warning, _) = run(Command::new("strace"));
    assert_eq!(
        warning,
        "tracer: --seccomp-bpf cannot be used without -f/--follow-forks, disabling"
    );
    let (ours, text) = run(ptrace_tracer());
    assert_eq!(ours, warning);
    // sh's own opens are there, cat's is not: its process was not followed.
    assert!(
        text.contains("openat(AT_FDCWD, \"/etc/ld.so.cache\""),
        "{text}"
    );
    assert!(!text.contains("nonexistent-seccomp-f"), "{text}");
    assert!(!text.contains("[pid "), "{text}");
}

/// With `-p` and no command strace 6.1 first says the filter is not for attached processes,
/// then disables it without `-f`: tracer's first two lines are strace's.
#[test]
fn root_seccomp_bpf_with_p_warns_as_strace() {
    require_root();
    let mut sleeper = KillOnDrop(Command::new("sleep").arg("30").spawn().expect("sleep"));
    let pid = sleeper.0.id().to_string();
    let warnings = |program: &str, extra: &[&str]| {
        let out = Command::new("timeout")
            .args(["-s", "INT", "2", program])
            .args(extra)
            .args(["--seccomp-bpf", "-o", "/dev/null", "-p", &pid])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr).replace("strace: ", "tracer: ");
        stderr.lines().take(2).collect::<Vec<_>>().join("\n")
    };
    let theirs = warnings("strace", &[]);
    assert!(theirs.contains("attached with -p"), "{theirs}");
    let tracer = env!("CARGO_BIN_EXE_tracer");
    assert_eq!(warnings(tracer, &["--backend=ptrace"]), theirs);
    let _ = sleeper.0.kill();
}

/// `-e inject=` spares the launched command's own execve, as strace does: not tampered with
/// nor counted for `when=`, and when that exec fails, tracer's error report and exit after it
/// are not tampered with either (tracer failed the exec, then the launcher's injected
/// `exit_group` "failed" and it died of SIGSEGV, and tracer with it).
#[test]
fn root_inject_spares_the_launched_command_s_exec_as_strace() {
    require_root();
    let mask = |text: &[u8]| {
        let re = regex::Regex::new(r"0x[0-9a-f]+|/\* \d+ vars \*/|(?m)^(strace|tracer): .*\n")
            .expect("regex");
        re.replace_all(&String::from_utf8_lossy(text), "X")
            .into_owned()
    };
    let runs: [&[&str]; 3] = [
        &[
            "-e",
            "trace=execve",
            "-e",
            "inject=execve:error=ENOENT:when=1",
            "sh",
            "-c",
            "exec /bin/true",
        ],
        &[
            "-e",
            "trace=execve,openat",
            "-e",
            "inject=%file:error=EACCES",
            "cat",
            "/etc/hostname",
        ],
        &["-e", "inject=all:error=ENOENT", "/etc/hostname"],
    ];
    let dir = scratch("inject-launch");
    let run = |mut program: Command, args: &[&str]| {
        let file = dir.join("trace");
        let status = program
            .arg("-o")
            .arg(&file)
            .args(args)
            .status()
            .expect("run");
        (status.code(), fs::read(&file).expect("trace"))
    };
    for args in runs {
        let (their_status, theirs) = run(Command::new("strace"), args);
        let mut ptrace = tracer();
        ptrace.arg("--backend=ptrace");
        let (our_status, ours) = run(ptrace, args);
        assert_eq!(our_status, their_status, "{args:?}");
        assert_eq!(mask(&ours), mask(&theirs), "{args:?}");
    }
    let _ = fs::remove_dir_all(&dir);
}
