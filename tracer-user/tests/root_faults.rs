//! Faults a tracer left on a production host meets, each with real processes: tracer killed
//! outright, huge binary buffers, and being told to stop (once, then again, and while it
//! starts). (Its reader gone: root_closed_output.rs.)
//! (Elsewhere: no such pid and thread ids in cli_errors.rs and root_ebpf.rs, a traced process
//! exiting mid-trace and ring-buffer overflow in root_ebpf.rs, fork storms in root_daemon.rs.)

mod common;

use std::{
    fs,
    os::unix::process::ExitStatusExt,
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::*;

#[test]
fn root_tracer_killed_with_sigkill_leaves_the_traced_process_running() {
    require_root();
    let mut t = tracer();
    t.arg("-yy");
    tracee_survives(t, "sigkill", |t| t.kill().expect("SIGKILL tracer"));
}

/// Writes 1 MiB of every byte value (mostly not UTF-8) to /dev/null, then a short invalid
/// UTF-8 string.
const BINARY_WRITES: &str = "import os\n\
    fd = os.open('/dev/null', os.O_WRONLY)\n\
    os.write(fd, bytes(range(256)) * 4096)\n\
    os.write(fd, b'caf\\xe9 \\xff\\xfe\\x00end\\n')\n";

/// The write lines of `program FLAGS -e trace=write -o OUT python3 -c BINARY_WRITES`.
fn write_lines(program: &mut Command, flags: &[&str], out: &std::path::Path) -> Vec<String> {
    let status = program
        .args(flags)
        .args(["-e", "trace=write", "-o"])
        .arg(out)
        .args(["--", "/usr/bin/python3", "-c", BINARY_WRITES])
        .status()
        .expect("run");
    assert!(status.success());
    fs::read_to_string(out)
        .expect("trace")
        .lines()
        .filter(|l| l.starts_with("write("))
        .map(String::from)
        .collect()
}

#[test]
fn root_megabyte_binary_writes_are_captured_bounded_and_escaped_as_strace_does() {
    require_root();
    let dir = scratch("binary");
    for flags in [&[][..], &["-s", "300"], &["-x"], &["-xx", "-s", "40"]] {
        let strace = write_lines(&mut Command::new("strace"), flags, &dir.join("s"));
        let ours = write_lines(&mut tracer(), flags, &dir.join("t"));
        assert_eq!(strace.len(), 2, "{strace:?}");
        assert_eq!(ours, strace, "flags {flags:?}");
    }
    // Asked for more than any sane line, the capture stays bounded: the line is cut and
    // marked, and the JSON record stays within its default 8000-byte line and says how much of
    // `message` it left out; the data is in `message` only (schema 4), its argument says how
    // many bytes were captured.
    let ours = write_lines(&mut tracer(), &["-s", "4000000"], &dir.join("t"));
    assert!(ours[0].len() < 256 * 1024, "{} bytes", ours[0].len());
    assert!(
        ours[0].contains("\"..., 1048576) = 1048576"),
        "not cut: {}",
        &ours[0][..200]
    );
    let out = dir.join("j");
    let status = tracer()
        .args(["--json", "-s", "4000000", "-e", "trace=write", "-o"])
        .arg(&out)
        .args(["--", "/usr/bin/python3", "-c", BINARY_WRITES])
        .status()
        .expect("run");
    assert!(status.success());
    let json = fs::read_to_string(&out).expect("json");
    let writes: Vec<serde_json::Value> = json
        .lines()
        .filter(|l| l.len() < 8000)
        .map(|l| serde_json::from_str(l).expect("valid JSON"))
        .filter(|v: &serde_json::Value| v["syscall"]["name"] == "write")
        .collect();
    assert_eq!(json.lines().filter(|l| l.contains("\"write\"")).count(), 2);
    assert_eq!(writes.len(), 2, "a write record over 8000 bytes");
    let last = writes[1]["message"].as_str().expect("message");
    assert!(
        last.ends_with(r#", "caf\351 \377\376\0end\n", 12) = 12"#),
        "{last}"
    );
    assert_eq!(writes[1]["syscall"]["args"][1]["len"], 12);
    let data = &writes[0]["syscall"]["args"][1];
    assert!(data.get("string").is_none(), "{data}");
    assert!(data["len"].as_u64() > Some(8000), "{data}");
    let message = writes[0]["message"].as_str().expect("message");
    assert!(message.contains(r#", "\0\1\2\3"#), "{message}");
    assert_eq!(writes[0]["tracer"]["truncated"], true);
    assert!(writes[0]["tracer"]["cut"].as_u64() > Some(0));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_after_a_ring_buffer_overflow_tracer_catches_up() {
    require_root();
    // A flood of getppid into a one-page ring (far faster than any reader: events are lost),
    // then quiet, then one failing open between two pauses.
    let script = "import os, time\n\
                  for _ in range(300000): os.getppid()\n\
                  time.sleep(0.3)\n\
                  try: os.open('/nonexistent-after-the-flood', os.O_RDONLY)\n\
                  except OSError: pass\n\
                  time.sleep(0.3)\n";
    let out = tracer()
        .args([
            "--ring-size",
            "4096",
            "--",
            "/usr/bin/python3",
            "-c",
            script,
        ])
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let after = lines
        .iter()
        .position(|l| {
            l.contains("\"/nonexistent-after-the-flood\", O_RDONLY|O_CLOEXEC) = -1 ENOENT")
        })
        .unwrap_or_else(|| {
            let tail = &lines[lines.len().saturating_sub(20)..];
            panic!(
                "the call after the flood is missing; the end:\n{}",
                tail.join("\n")
            )
        });
    let flood_losses: u64 = lines[..after]
        .iter()
        .filter_map(|l| l.strip_prefix("!!! lost "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    assert!(
        flood_losses > 0,
        "the flood lost nothing: no overflow to recover from"
    );
    // The pause before it is there whole too.
    assert!(
        lines[after - 1].starts_with("clock_nanosleep("),
        "{}",
        lines[after - 1]
    );
}

/// A call whose enter record the full ring refused is not lost with it: its exit carries the
/// whole call (the kernel notes the lost enter), so the sleeps right after a flood print their
/// timespec, not the bare pointer an exit record alone would give. Several runs, as which
/// records the ring refuses depends on the reader's timing (before the fix about one sleep in
/// three came out as `TIMER_ABSTIME, 0x7ff...`).
#[test]
fn root_a_call_whose_enter_record_was_lost_prints_whole_from_its_exit() {
    require_root();
    let script = "import os, time\n\
                  for _ in range(300000): os.getppid()\n\
                  time.sleep(0.01)\n\
                  time.sleep(0.01)\n";
    let mut sleeps = 0;
    for _ in 0..6 {
        let out = tracer()
            .args(["--ring-size", "4096", "-e", "trace=getppid,clock_nanosleep"])
            .args(["--", "/usr/bin/python3", "-c", script])
            .output()
            .expect("run tracer");
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        for line in text.lines().filter(|l| l.starts_with("clock_nanosleep(")) {
            sleeps += 1;
            assert!(line.contains("TIMER_ABSTIME, {tv_sec="), "{line}");
        }
    }
    assert!(sleeps >= 6, "only {sleeps} of 12 sleeps printed");
}

/// After a loss the fd table cannot be trusted: a close and a new open of the same number may
/// be among the lost events. Here fd 3 is fileA (read only), then fileB (written), over and over,
/// while two threads flood the ring: a write must never be named fileA, and `-P fileA` must not
/// show it. Before the fix, `write(3</.../fileA>, "", 0)` came after the first loss every run.
const FD_REUSE_UNDER_LOSS: &str = r#"
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
static volatile int stop;
static void *flood(void *arg) {
    (void)arg;
    while (!stop)
        getppid();
    return 0;
}
int main(int argc, char **argv) {
    pthread_t t[2];
    (void)argc;
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], 0, flood, 0);
    for (int i = 0; i < 10000; i++) {
        int a = open(argv[1], O_RDONLY | O_CREAT, 0600);
        close(a);
        int b = open(argv[2], O_WRONLY | O_CREAT, 0600);
        write(b, "", 0);
        close(b);
    }
    stop = 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], 0);
    return 0;
}
"#;

#[test]
fn root_after_a_loss_fds_are_not_named_from_what_the_trace_said_before_it() {
    require_root();
    let dir = scratch("fd-loss");
    let program = compile_c(&dir, "fd_reuse", FD_REUSE_UNDER_LOSS);
    let (a, b) = (dir.join("fileA"), dir.join("fileB"));
    // Which records the ring refuses depends on timing: three runs with -y.
    let path_a = a.to_str().expect("utf-8");
    for extra in [&["-y"][..], &["-y"], &["-y"], &["-P", path_a]] {
        let out = tracer()
            .args([
                "-f",
                "--ring-size",
                "4096",
                "-e",
                "trace=openat,close,write",
            ])
            .args(extra)
            .arg("--")
            .arg(&program)
            .args([&a, &b])
            .output()
            .expect("run tracer");
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("!!! lost "),
            "no loss to recover from:\n{text}"
        );
        let writes: Vec<&str> = text.lines().filter(|l| l.contains("write(")).collect();
        if extra[0] == "-y" {
            assert!(writes.len() > 10, "{text}");
            let wrong: Vec<&&str> = writes.iter().filter(|l| l.contains("fileA")).collect();
            assert!(wrong.is_empty(), "writes to fileB named fileA: {wrong:?}");
        } else {
            assert!(
                writes.is_empty(),
                "-P fileA shows writes to fileB: {writes:?}"
            );
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A loss on one CPU is reported before the next record written on any CPU, not before that
/// CPU's next record, which may come much later: here a record too big for the ring is lost on
/// CPU 0; the process then sleeps on CPU 1 and is moved back to CPU 0 while it sleeps. The loss
/// marker belongs before the sleep; placed before the sleep's end it would cut its line.
const LOSS_ON_ANOTHER_CPU: &str = r#"
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static void pin(pid_t pid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(pid, sizeof set, &set);
}
int main(void) {
    static char big[12000];
    struct timespec nap = {0, 800000000};
    pid_t sleeper = getpid();
    memset(big, 'x', sizeof big);
    pin(0, 0);
    int fd = open("/dev/null", O_WRONLY);
    write(fd, big, sizeof big);
    pin(0, 1);
    /* The mover is a child, not traced without -f: nothing of it is in the trace. */
    if (fork() == 0) {
        poll(0, 0, 300);
        pin(sleeper, 0);
        _exit(0);
    }
    nanosleep(&nap, 0);
    wait(0);
    return 0;
}
"#;

#[test]
fn root_a_loss_is_reported_before_the_next_record_of_any_cpu() {
    require_root();
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        eprintln!("skipped: needs two CPUs");
        return;
    }
    let dir = scratch("loss-cpu");
    let program = compile_c(&dir, "loss_cpu", LOSS_ON_ANOTHER_CPU);
    let out = tracer()
        .args(["--ring-size", "4096", "-s", "12000"])
        .args(["-e", "trace=write,clock_nanosleep", "--"])
        .arg(&program)
        .output()
        .expect("run tracer");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let sleep = lines
        .iter()
        .position(|l| l.contains("clock_nanosleep("))
        .unwrap_or_else(|| panic!("no whole sleep line:\n{text}"));
    assert!(
        lines[..sleep].iter().any(|l| l.starts_with("!!! lost ")),
        "the loss is not reported before the sleep:\n{text}"
    );
    assert!(
        lines[sleep].ends_with(") = 0") && !text.contains("unfinished"),
        "{text}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_sigint_detaches_drains_and_prints_the_summary() {
    require_root();
    let dir = scratch("sigint");
    let (missing, counter) = (dir.join("missing"), dir.join("counter"));
    let opener = KillOnDrop(spawn_opener(&missing, &counter, false));
    wait_for(&counter, Duration::from_secs(10), |t| !t.is_empty());
    let mut t = tracer()
        .args(["-c", "-p", &opener.0.id().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracer");
    // Counted from the attach on, not from a guess at how long loading takes.
    let err = wait_attached(&mut t);
    let rounds = read_counter(&counter);
    wait_for(&counter, Duration::from_secs(10), |c| {
        c.trim().parse::<u64>().unwrap_or(0) >= rounds + 8
    });
    signal(t.id(), libc::SIGINT);
    let out = t.wait_with_output().expect("tracer exits");
    assert_eq!(out.status.signal(), Some(libc::SIGINT));
    let stderr = err.finish();
    assert!(stderr.contains("detached"), "{stderr}");
    // strace -c prints its table on stderr; ours goes to the trace output.
    let table = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr);
    let openat = table
        .lines()
        .find(|l| l.trim_end().ends_with(" openat"))
        .unwrap_or_else(|| panic!("no openat row in:\n{table}"));
    let cols: Vec<&str> = openat.split_whitespace().collect();
    // calls and errors: ~10 rounds a second, each a failing open of `missing` and a
    // successful one of `counter`.
    let number = |i: usize| -> u64 {
        let col = cols.get(i).copied().unwrap_or_default();
        col.parse()
            .unwrap_or_else(|_| panic!("column {i} of {openat:?} in:\n{table}"))
    };
    let (calls, errors) = (number(3), number(4));
    assert!(
        errors >= 5 && errors * 2 >= calls - 1 && errors * 2 <= calls + 1,
        "{openat}"
    );
    assert!(table.contains("total"), "{table}");
    assert!(alive(opener.0.id()));
    drop(opener);
    let _ = fs::remove_dir_all(&dir);
}

/// Which signals /proc/PID/status lists on its `key` line (`SigBlk`, `SigCgt`): bit `sig - 1`.
fn signal_mask(pid: u32, key: &str) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    u64::from_str_radix(line.split_whitespace().nth(1)?, 16).ok()
}

#[test]
fn root_ctrl_c_while_tracer_starts_detaches_even_when_inherited_ignored() {
    require_root();
    let sleeper = KillOnDrop(Command::new("sleep").arg("120").spawn().expect("sleep"));
    let mut t = tracer();
    t.args(["-p", &sleeper.0.id().to_string(), "-o", "/dev/null"])
        .stderr(Stdio::null());
    // As a background job of a non-interactive shell starts it: SIGINT ignored.
    // SAFETY: signal() is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut t, || {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            Ok(())
        })
    };
    let mut t = t.spawn().expect("run tracer");
    let int = 1u64 << (libc::SIGINT - 1);
    // While tracer loads its programs (long before its handler is in), SIGINT must be held
    // for it, not ignored and not fatal.
    let held = loop {
        match (signal_mask(t.id(), "SigBlk"), signal_mask(t.id(), "SigCgt")) {
            (Some(blocked), _) if blocked & int != 0 => break true,
            (_, Some(caught)) if caught & int != 0 => break false,
            (None, _) => break false,
            _ => std::thread::sleep(Duration::from_millis(1)),
        }
    };
    assert!(held, "SIGINT was not held while tracer started");
    signal(t.id(), libc::SIGINT);
    // Acted on once tracer can detach, while the traced process lives on.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = t.try_wait().expect("try_wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "tracer ran on after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    assert!(alive(sleeper.0.id()));
}

#[test]
fn root_a_launched_command_starts_with_the_signal_state_tracer_was_given() {
    require_root();
    let (int, term, hup) = (
        1u64 << (libc::SIGINT - 1),
        1u64 << (libc::SIGTERM - 1),
        1u64 << (libc::SIGHUP - 1),
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = tracer();
        t.args(["--backend", backend, "-o", "/dev/null", "--"])
            .args(["grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"]);
        // SAFETY: signal() is async-signal-safe.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut t, || {
                libc::signal(libc::SIGINT, libc::SIG_IGN);
                Ok(())
            })
        };
        let out = t.output().expect("run tracer");
        let text = String::from_utf8_lossy(&out.stdout);
        let mask = |key: &str| {
            (text.lines())
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
                .unwrap_or_else(|| panic!("{backend}: no {key} in {text:?}"))
        };
        // tracer holds these while it starts and takes over an ignored SIGINT: the command
        // gets neither, but what the shell gave tracer.
        assert_eq!(mask("SigBlk:") & (int | term | hup), 0, "{backend}: {text}");
        assert_eq!(
            mask("SigIgn:") & (int | term | hup),
            int,
            "{backend}: {text}"
        );
    }
}

#[test]
fn root_a_second_signal_stops_tracer_at_once() {
    require_root();
    // The launched command ignores SIGINT: after forwarding the first one, tracer would give
    // it a grace period (1 s) before detaching. A second signal cuts that short.
    let dir = scratch("second-signal");
    let trace = dir.join("trace");
    let mut t = tracer()
        .arg("-o")
        .arg(&trace)
        .args(["--", "sh", "-c", "trap '' INT; sleep 30"])
        .stderr(Stdio::null())
        .spawn()
        .expect("run tracer");
    // Its lines are written from the event loop, whose signal handlers are in place; the
    // shell ignores SIGINT once its trap is set (before that the forwarded signal kills it).
    wait_for(&trace, Duration::from_secs(20), |t| {
        t.contains("rt_sigaction(SIGINT, {sa_handler=SIG_IGN")
    });
    signal(t.id(), libc::SIGINT);
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    signal(t.id(), libc::SIGINT);
    let status = t.wait().expect("tracer exits");
    let took = start.elapsed();
    assert!(took < Duration::from_millis(700), "took {took:?}");
    assert!(status.signal().is_some() || status.code().is_some());
    // The command is left running, untouched by the second signal.
    let pids = Command::new("pgrep")
        .args(["-f", "trap '' INT; sleep 30"])
        .output()
        .expect("pgrep");
    let pids = String::from_utf8_lossy(&pids.stdout).to_string();
    assert!(!pids.trim().is_empty(), "the command was killed");
    for pid in pids.split_whitespace() {
        let _ = Command::new("kill").args(["-9", pid]).status();
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_call_running_when_tracer_detaches_ends_as_detached() {
    require_root();
    for backend in ["ebpf", "ptrace"] {
        let dir = scratch(&format!("detached-{backend}"));
        let trace = dir.join("trace");
        // The long sleep starts once tracer is attached (the test creates `go` then) and is
        // still running at the detach.
        let go = dir.join("go");
        let script = format!(
            "import os, time\nwhile not os.path.exists({go:?}): time.sleep(0.02)\ntime.sleep(30)",
            go = go.display().to_string()
        );
        let sleeper = KillOnDrop(
            Command::new("/usr/bin/python3")
                .args(["-c", &script])
                .spawn()
                .expect("spawn python"),
        );
        let mut t = tracer()
            .arg(format!("--backend={backend}"))
            .args(["-p", &sleeper.0.id().to_string(), "-o"])
            .arg(&trace)
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tracer");
        let _stderr = wait_attached(&mut t);
        fs::write(&go, "").expect("create go");
        // It saw the file (traced), then entered the long sleep: clock_nanosleep is 230.
        let seen = |text: &str| text.contains("/go\", {st_mode=");
        assert!(
            seen(&wait_for(&trace, Duration::from_secs(10), seen)),
            "{backend}: the go file was not seen"
        );
        let syscall = format!("/proc/{}/syscall", sleeper.0.id());
        let sleeping = |text: &str| text.starts_with("230 ");
        assert!(
            sleeping(&wait_for(
                Path::new(&syscall),
                Duration::from_secs(10),
                sleeping
            )),
            "{backend}: the long sleep did not start"
        );
        signal(t.id(), libc::SIGINT);
        let _ = t.wait_with_output();
        let text = fs::read_to_string(&trace).expect("trace");
        let last = text.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("clock_nanosleep(") && last.ends_with(",  <detached ...>"),
            "{backend}: {text}"
        );
        assert!(alive(sleeper.0.id()));
        drop(sleeper);
        let _ = fs::remove_dir_all(&dir);
    }
}

/// SIGTERM to tracer: the launched command gets it too, with either backend, as under
/// strace (the ptrace backend detached and left it running).
#[test]
fn root_sigterm_reaches_the_launched_command_with_both_backends() {
    require_root();
    for backend in ["--backend=ebpf", "--backend=ptrace"] {
        let dir = scratch(&format!("sigterm-{}", &backend[10..]));
        let trace = dir.join("trace");
        // A duration of its own: pgrep finds this command and no other.
        let marker = format!("30.{}", std::process::id() % 1000 + 1000);
        let mut t = tracer()
            .arg(backend)
            .arg("-o")
            .arg(&trace)
            .args(["--", "sleep", &marker])
            .stderr(Stdio::null())
            .spawn()
            .expect("run tracer");
        wait_for(&trace, Duration::from_secs(20), |t| {
            t.contains("clock_nanosleep")
        });
        signal(t.id(), libc::SIGTERM);
        let status = t.wait().expect("tracer exits");
        assert_eq!(status.signal(), Some(libc::SIGTERM), "{backend}");
        let left = Command::new("pgrep")
            .args(["-f", &format!("sleep {marker}")])
            .output()
            .expect("pgrep");
        let left = String::from_utf8_lossy(&left.stdout).to_string();
        for pid in left.split_whitespace() {
            let _ = Command::new("kill").args(["-9", pid]).status();
        }
        assert!(left.trim().is_empty(), "{backend}: the command ran on");
        let _ = fs::remove_dir_all(&dir);
    }
}
