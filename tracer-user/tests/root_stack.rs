//! `-k` against real strace 6.1: tests/workloads/stack.c built four ways (`-O0`, `-g`,
//! stripped, `-O2` with tail calls), its calls' stack traces from both backends compared
//! frame by frame with strace's (function names, offsets, file offsets; a frame strace itself
//! cannot name may differ), and the same frames in JSON's `stack` array.

mod common;

use std::{
    fs,
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use common::*;

const CALLS: &str = "trace=getppid,write,getpid";

/// Builds the workload with `flags` into `dir/name`.
fn build(dir: &Path, name: &str, flags: &[&str]) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stack.c");
    let status = Command::new("cc")
        .args(flags)
        .arg("-o")
        .arg(dir.join(name))
        .arg(src)
        .status()
        .expect("run cc");
    assert!(status.success(), "cc {flags:?}");
}

/// Runs `program OPTIONS -o DIR/NAME.OUT ./NAME`, holding the program's stdin open until the
/// trace shows its last call (`getpid`): until then its mappings are there to be read.
fn run(mut program: Command, options: &[&str], dir: &Path, name: &str, out: &str) -> String {
    let path = dir.join(format!("{name}.{out}"));
    let mut child = program
        .current_dir(dir)
        .args(options)
        .args(["-e", CALLS, "-o"])
        .arg(&path)
        .arg(dir.join(name))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run the tracer");
    let marked = |t: &str| t.contains("getpid()") || t.contains("\"getpid\"");
    let text = wait_for(&path, Duration::from_secs(30), marked);
    assert!(marked(&text), "{out}: no getpid in\n{text}");
    drop(child.stdin.take());
    assert!(child.wait().expect("wait").success(), "{out} failed");
    fs::read_to_string(&path).expect("the trace")
}

/// The trace cut into calls: each call line (its return value masked: pids differ) and its
/// frames.
fn calls(trace: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in trace.lines() {
        if let Some(frame) = line.strip_prefix(" > ") {
            out.last_mut()
                .expect("a frame after a call")
                .1
                .push(frame.to_owned());
        } else if !line.starts_with("+++") {
            let call = line.rsplit_once(" = ").map_or(line, |(c, _)| c);
            out.push((call.trim_end().to_owned(), Vec::new()));
        }
    }
    out
}

/// A frame strace names: `PATH(FUNCTION+0xN) [0xN]`.
fn named(frame: &str) -> bool {
    frame.contains("+0x") && !frame.contains("()")
}

/// Ours against strace's, call by call: every frame strace names is ours too, at the same
/// place; the ones it cannot name (or its error line) may differ.
fn same_frames(theirs: &str, ours: &str, what: &str) {
    let (theirs, ours) = (calls(theirs), calls(ours));
    assert_eq!(
        theirs.len(),
        ours.len(),
        "{what}: calls\n{theirs:#?}\n{ours:#?}"
    );
    for ((call, t), (our_call, o)) in theirs.iter().zip(&ours) {
        assert_eq!(call, our_call, "{what}");
        assert!(t.len() >= 3, "{what}: strace unwound too little: {t:#?}");
        let strace_ended = t.last().is_some_and(|f| f.starts_with("unexpected"));
        if !strace_ended {
            assert_eq!(t.len(), o.len(), "{what}: {call}\n{t:#?}\n{o:#?}");
        }
        for (i, frame) in t.iter().enumerate().filter(|(_, f)| named(f)) {
            assert_eq!(
                Some(frame),
                o.get(i),
                "{what}: {call} frame {i}\n{t:#?}\n{o:#?}"
            );
        }
    }
}

#[test]
fn root_stack_traces_as_strace() {
    require_root();
    let dir = scratch("stack");
    for (name, flags) in [
        ("plain", &[][..]),
        ("debug", &["-g"][..]),
        ("stripped", &["-s"][..]),
        ("tailcalls", &["-O2"][..]),
    ] {
        build(&dir, name, flags);
        let theirs = run(Command::new("strace"), &["-k"], &dir, name, "strace");
        // The stripped binary's own frames are nameless: the format for them is checked too.
        if name == "stripped" {
            assert!(theirs.contains("/stripped() [0x"), "{theirs}");
        } else {
            assert!(theirs.contains("(level1+0x"), "{theirs}");
        }
        for backend in ["ebpf", "ptrace"] {
            let mut ours = tracer();
            ours.arg(format!("--backend={backend}"));
            let text = run(ours, &["-k"], &dir, name, backend);
            same_frames(&theirs, &text, &format!("{name} {backend}"));
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// JSON: each call's frames as objects in `syscall.stack`, the same as the text's.
#[test]
fn root_stack_traces_in_json() {
    require_root();
    let dir = scratch("stack-json");
    build(&dir, "plain", &[]);
    let text = run(tracer(), &["-k"], &dir, "plain", "text");
    let json = run(tracer(), &["-k", "--json"], &dir, "plain", "json");
    let mut from_json = String::new();
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let Some(s) = v.get("syscall") else {
            continue;
        };
        from_json.push_str(&format!("{}() = 0\n", s["name"].as_str().expect("name")));
        for f in s["stack"].as_array().expect("a stack array") {
            // An address in no known mapping: strace's error line, as the text prints it.
            if let Some(what) = f["error"].as_str() {
                let address = f["address"].as_str().unwrap_or("0");
                from_json.push_str(&format!(" > {what} [{address}]\n"));
                continue;
            }
            let binary = f["binary"].as_str().expect("binary");
            let offset = f["offset"].as_str().expect("offset");
            match (f["function"].as_str(), f["function_offset"].as_str()) {
                (Some(func), Some(off)) => {
                    from_json.push_str(&format!(" > {binary}({func}+{off}) [{offset}]\n"));
                }
                _ => from_json.push_str(&format!(" > {binary}() [{offset}]\n")),
            }
        }
    }
    // The named frames of each call: the runs are two processes, whose unnamed frames (an
    // error line's address) differ.
    let frames = |t: &str| {
        calls(t)
            .into_iter()
            .map(|(call, f)| {
                let name = call.split('(').next().unwrap_or_default().to_owned();
                (name, f.into_iter().filter(|f| named(f)).collect::<Vec<_>>())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(frames(&from_json), frames(&text));
    assert!(from_json.contains("(level3+0x"), "{from_json}");
    let _ = fs::remove_dir_all(&dir);
}

/// Processes that map their libraries and call at once (300 runs of the workload under
/// `-f`): each call's frames are named with the libraries mapped just before it. With eBPF
/// the kernel's reports of those mappings were read at the start of each read of the ring,
/// so a stack written after that start was named without the newest mappings (1-6% of the
/// runs' first call ended in `unexpected_backtracing_error`).
#[test]
fn root_stack_traces_of_fresh_processes_name_their_libraries() {
    require_root();
    let dir = scratch("stack-fresh");
    build(&dir, "plain", &[]);
    const RUNS: usize = 300;
    let script = format!("for i in $(seq 1 {RUNS}); do ./plain >/dev/null; done");
    for backend in ["ebpf", "ptrace"] {
        let path = dir.join(format!("fresh.{backend}"));
        let status = tracer()
            .current_dir(&dir)
            .arg(format!("--backend={backend}"))
            .args(["-f", "-k", "-e", "trace=getppid", "-o"])
            .arg(&path)
            .args(["sh", "-c", &script])
            .stdin(Stdio::null())
            .status()
            .expect("run the tracer");
        assert!(status.success(), "{backend}");
        let trace = fs::read_to_string(&path).expect("the trace");
        let unnamed: Vec<&str> = trace
            .lines()
            .filter(|l| l.contains("unexpected_backtracing_error"))
            .collect();
        assert!(unnamed.is_empty(), "{backend}: {unnamed:#?}");
        // Each run's two getppid calls, named down to the workload's own functions.
        let named_level3 = trace.matches("/plain(level3+0x").count();
        let named_level1 = trace.matches("/plain(level1+0x").count();
        assert_eq!(named_level3, RUNS, "{backend}");
        assert!(named_level1 >= 2 * RUNS, "{backend}: {named_level1}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// `-c -k`: strace 6.1's word on stderr, and the summary as without `-k`.
#[test]
fn root_stack_traces_with_summary_only() {
    require_root();
    let dir = scratch("stack-summary");
    build(&dir, "plain", &[]);
    for mut program in [Command::new("strace"), tracer()] {
        let out = program
            .args(["-c", "-k", "-e", CALLS])
            .arg(dir.join("plain"))
            .stdin(Stdio::null())
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("-k/--stack-traces has no effect with -c/--summary-only"),
            "{stderr}"
        );
        // The table only: no frame anywhere.
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("getppid") || stderr.contains("getppid"),
            "{stdout}{stderr}"
        );
        assert!(
            !stdout.contains(" > ") && !stderr.contains(" > "),
            "{stdout}{stderr}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A child that makes its call and exits at once, with eBPF (its records are read after it is
/// gone): its frames are named from the mappings it inherited from its traced parent.
#[test]
fn root_stack_traces_of_a_short_lived_child() {
    use std::io::Write;
    require_root();
    let dir = scratch("stack-fork");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workloads/stack_fork.c");
    let bin = dir.join("stack_fork");
    let status = Command::new("cc")
        .arg("-o")
        .arg(&bin)
        .arg(src)
        .status()
        .expect("run cc");
    assert!(status.success());
    let mut parent = Command::new(&bin)
        .stdin(Stdio::piped())
        .spawn()
        .expect("run the workload");
    let out = dir.join("trace");
    let mut t = tracer()
        .args(["--backend=ebpf", "-k", "-f", "-e", "trace=getppid", "-o"])
        .arg(&out)
        .args(["-p", &parent.id().to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    let _stderr = wait_attached(&mut t);
    let mut stdin = parent.stdin.take().expect("stdin");
    stdin.write_all(b"\n").expect("a line");
    let text = wait_for(&out, Duration::from_secs(30), |t| t.contains("(main+0x"));
    drop(stdin);
    let _ = parent.wait();
    let _ = t.wait();
    let frames = calls(&text)
        .into_iter()
        .find(|(call, _)| call.ends_with("getppid()"))
        .map(|(_, f)| f)
        .unwrap_or_else(|| panic!("no getppid in\n{text}"));
    let expected = ["getppid+0x", "(child_work+0x", "(child_main+0x", "(main+0x"];
    for (frame, name) in frames.iter().zip(expected) {
        assert!(frame.contains(name), "{name} in {frames:#?}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Each process's trace of a `-ff -o PREFIX` run (or the `-o PREFIX` file), oldest process
/// first.
fn per_process(prefix: &Path) -> Vec<String> {
    let dir = prefix.parent().expect("a directory");
    let name = prefix.file_name().and_then(|n| n.to_str()).expect("a name");
    let mut files: Vec<(u32, String)> = fs::read_dir(dir)
        .expect("the directory")
        .filter_map(|e| {
            let file = e.ok()?.file_name().into_string().ok()?;
            let pid = match file.strip_prefix(name)? {
                "" => 0,
                rest => rest.strip_prefix('.')?.parse().ok()?,
            };
            Some((pid, fs::read_to_string(dir.join(&file)).ok()?))
        })
        .collect();
    files.sort();
    // In the order the processes were made: pids wrap at pid_max (32768 on the CI machine),
    // so a burst may go from 32760 to 300; it starts after the widest gap between pids.
    let pid_max: u64 = fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1 << 22);
    let n = files.len();
    let gap = |i: usize| {
        let (a, b) = (u64::from(files[i].0), u64::from(files[(i + 1) % n].0));
        (b + pid_max - a) % pid_max
    };
    let start = (0..n).max_by_key(|&i| gap(i)).map_or(0, |i| (i + 1) % n);
    files.rotate_left(start);
    files.into_iter().map(|(_, text)| text).collect()
}

/// A launched command that exits at once (`/bin/true`), and under `-f` the two commands a
/// launched shell runs: every call's frames with eBPF, read after the process is gone, are
/// strace's (they were `unexpected_backtracing_error`: the mappings were read from
/// `/proc/PID/maps` when the records were, and the process was gone). The launched command's
/// own execve differs (strace, which does not see its entry, shows the new image's entry
/// point; tracer the image that called it, its own).
#[test]
fn root_stack_traces_of_short_lived_commands() {
    require_root();
    let dir = scratch("stack-short");
    for (what, follow, argv) in [
        ("true", &[][..], &["/bin/true"][..]),
        (
            "sh",
            &["-ff"][..],
            &["/bin/sh", "-c", "/bin/true; /bin/true"][..],
        ),
    ] {
        let mut traces = Vec::new();
        for (who, mut program) in [("strace", Command::new("strace")), ("ebpf", tracer())] {
            if who != "strace" {
                program.arg(format!("--backend={who}"));
            }
            let prefix = dir.join(format!("{what}.{who}"));
            let status = program
                .args(["-k"])
                .args(follow)
                .arg("-o")
                .arg(&prefix)
                .args(argv)
                .stdin(Stdio::null())
                .status()
                .expect("run the tracer");
            assert!(status.success(), "{what} {who}");
            traces.push(per_process(&prefix));
        }
        let (theirs, ours) = (&traces[0], &traces[1]);
        assert_eq!(
            theirs.len(),
            if follow.is_empty() { 1 } else { 3 },
            "{what}"
        );
        same_frames_per_process(theirs, ours, what);
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Each process's trace (`-ff` files in pid order) against strace's: the k-th call of each
/// name has every frame strace names, at the same place, and no frame is
/// `unexpected_backtracing_error`. The launched command's own execve is left out (strace,
/// which does not see its entry, shows the new image's entry point; tracer the image that
/// called it, its own).
fn same_frames_per_process(theirs: &[String], ours: &[String], what: &str) {
    assert_eq!(theirs.len(), ours.len(), "{what}: processes");
    for (n, (t, o)) in theirs.iter().zip(ours).enumerate() {
        assert!(
            !o.contains("unexpected_backtracing_error"),
            "{what} {n}:\n{o}"
        );
        // Calls only: a signal's line (`--- SIGCHLD {si_pid=...} ---`) has no frames.
        let calls = |text: &str| {
            let mut c = calls(text);
            c.retain(|(line, _)| !line.starts_with("---"));
            c
        };
        let (t, o) = (calls(t), calls(o));
        let name = |call: &str| call.split('(').next().unwrap_or_default().to_owned();
        // The k-th call of each name against strace's k-th (a wait4 that a SIGCHLD cuts
        // is printed in another order around its rt_sigreturn).
        let by_name = |c: &[(String, Vec<String>)]| {
            let mut m = std::collections::BTreeMap::<String, Vec<(String, Vec<String>)>>::new();
            for (call, frames) in c {
                m.entry(name(call))
                    .or_default()
                    .push((call.clone(), frames.clone()));
            }
            m
        };
        // The launched command's execve: see above.
        let (t, o) = (&t[usize::from(n == 0)..], &o[usize::from(n == 0)..]);
        let (t, o) = (by_name(t), by_name(o));
        let counts = |m: &std::collections::BTreeMap<String, Vec<_>>| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(counts(&t), counts(&o), "{what} {n}: calls");
        let mut compared = 0;
        for (call_name, calls) in &t {
            // vfork's: glibc's __vfork keeps its return address in rdi across the call,
            // which neither backend copies (a limit of its own, see the README). An
            // rt_sigreturn's: the frames of wherever the SIGCHLD came, which varies by run.
            if call_name == "vfork" || call_name == "rt_sigreturn" {
                continue;
            }
            for ((call, tf), (_, of)) in calls.iter().zip(&o[call_name]) {
                assert!(
                    tf.is_empty() || !of.is_empty(),
                    "{what} {n}: no frames for {call}"
                );
                for (i, frame) in tf.iter().enumerate().filter(|(_, f)| named(f)) {
                    assert_eq!(
                        Some(frame),
                        of.get(i),
                        "{what} {n}: {call} frame {i}\n{tf:#?}\n{of:#?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 20, "{what} {n}: {compared} frames compared");
    }
}

/// The shell launched by tracer `pid` once it waits in its first `read` (syscall 0 in
/// `/proc/PID/syscall`: tracer is attached), or None after `timeout`.
fn reading_child(pid: u32, timeout: Duration) -> Option<u32> {
    let start = std::time::Instant::now();
    while start.elapsed() < timeout {
        let tasks = fs::read_dir(format!("/proc/{pid}/task"))
            .into_iter()
            .flatten();
        let children = tasks
            .filter_map(|t| fs::read_to_string(t.ok()?.path().join("children")).ok())
            .flat_map(|c| {
                c.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok())
                    .collect::<Vec<_>>()
            });
        for child in children {
            // Not tracer's own child held before its exec (reading a pipe as well).
            let comm = fs::read_to_string(format!("/proc/{child}/comm")).unwrap_or_default();
            let syscall = fs::read_to_string(format!("/proc/{child}/syscall")).unwrap_or_default();
            if comm.trim_end() == "sh" && syscall.split_whitespace().next() == Some("0") {
                return Some(child);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// A loop of short commands under `-k` with the default ring while tracer does not read it
/// (stopped, as a consumer starved on a loaded machine, or unwinding its first stacks of
/// each new image, may be): the whole burst waits in the ring. Each shown call's record
/// carries 8 KiB of stack, and the 8M ring held ~1000 of them: this loop of ~2000 calls lost
/// events (and the frames of processes whose fork or exec record was lost). Now no loss, and
/// every process's frames are strace's.
#[test]
fn root_stack_traces_of_a_burst_fit_the_default_ring() {
    use std::io::Write;
    require_root();
    let dir = scratch("stack-burst");
    let done = dir.join("done");
    let script = format!(
        "read x; i=0; while [ $i -lt 48 ]; do /bin/true; i=$((i+1)); done; : > {}",
        done.display()
    );
    let mut traces = Vec::new();
    for who in ["strace", "ebpf"] {
        let mut program = match who {
            "strace" => Command::new("strace"),
            _ => {
                let mut t = tracer();
                t.arg("--backend=ebpf");
                t
            }
        };
        let prefix = dir.join(format!("loop.{who}"));
        let mut child = program
            .args(["-k", "-ff", "-o"])
            .arg(&prefix)
            .args(["/bin/sh", "-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the tracer");
        let stopped = who != "strace";
        if stopped {
            let shell = reading_child(child.id(), Duration::from_secs(60));
            assert!(shell.is_some(), "the shell did not start under tracer");
            signal(child.id(), libc::SIGSTOP);
        }
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"go\n").expect("start the loop");
        drop(stdin);
        if stopped {
            wait_for(&done, Duration::from_secs(120), |_| done.exists());
            assert!(done.exists(), "the loop did not end");
            signal(child.id(), libc::SIGCONT);
        }
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{who}: {stderr}");
        assert!(!stderr.contains("lost"), "{who}: {stderr}");
        fs::remove_file(&done).expect("the loop's mark");
        let files = per_process(&prefix);
        for text in &files {
            assert!(!text.contains("lost"), "{who}:\n{text}");
        }
        traces.push(files);
    }
    assert_eq!(traces[0].len(), 49, "processes");
    same_frames_per_process(&traces[0], &traces[1], "loop");
    let _ = fs::remove_dir_all(&dir);
}

/// JSON `-k` with a stack deeper than a line holds (a recursion 200 deep, as Python's or
/// PostgreSQL's executor's): each line within the default 8000 bytes, the innermost frames kept
/// and the count of the outer ones left out in `stack_cut`, both backends.
#[test]
fn root_deep_stacks_keep_json_lines_within_their_limit() {
    require_root();
    let dir = scratch("stack-deep");
    let src = dir.join("deep.c");
    fs::write(
        &src,
        "#include <unistd.h>\n\
         int __attribute__((noinline)) level(int n) {\n\
           if (n == 0) return getppid();\n\
           return level(n - 1) + 1;\n\
         }\n\
         int main(void) { char c; int r = level(200); (void)!read(0, &c, 1); return r == 0; }\n",
    )
    .expect("write deep.c");
    let status = Command::new("cc")
        .args(["-O0", "-o"])
        .arg(dir.join("deep"))
        .arg(&src)
        .status()
        .expect("run cc");
    assert!(status.success(), "cc deep.c");
    for backend in ["ebpf", "ptrace"] {
        let path = dir.join(format!("deep.{backend}"));
        let mut child = tracer()
            .args([&format!("--backend={backend}"), "-k", "--json"])
            .args(["-e", "trace=getppid,read", "-o"])
            .arg(&path)
            .arg(dir.join("deep"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("run the tracer");
        let marked = |t: &str| t.contains("\"getppid\"");
        let text = wait_for(&path, Duration::from_secs(30), marked);
        drop(child.stdin.take());
        assert!(child.wait().expect("wait").success(), "{backend} failed");
        let json = fs::read_to_string(&path).unwrap_or(text);
        let line = json
            .lines()
            .find(|l| l.contains("\"getppid\""))
            .unwrap_or_else(|| panic!("{backend}: no getppid in\n{json}"));
        assert!(line.len() < 8000, "{backend}: {} bytes", line.len());
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let stack = v["syscall"]["stack"].as_array().expect("a stack array");
        assert!(
            stack.iter().take(3).any(|f| f["function"] == "level"),
            "{backend}: the innermost frames are kept: {line}"
        );
        let cut = v["syscall"]["stack_cut"].as_u64().expect("stack_cut");
        assert!(stack.len() as u64 + cut > 150, "{backend}: {line}");
        assert_eq!(v["tracer"]["items_cut"].as_u64(), Some(cut), "{backend}");
    }
    let _ = fs::remove_dir_all(&dir);
}
