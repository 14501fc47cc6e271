//! tracer is no way around ptrace's rules: a user who holds CAP_BPF and CAP_PERFMON only
//! through the binary (`setcap`, the setup the README warns against) traces what strace would
//! let them trace, and no more: not a root process given with -p or found by --comm, not a -f
//! child that gains privileges by exec, not one gone before it could be checked. Their own
//! processes still are traced.

mod common;

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::Duration,
};

use common::*;

const SECRET: &str = "root-secret-token-42";
const NOBODY: &str = "65534";

struct Setup {
    dir: PathBuf,
    /// A copy of tracer with cap_bpf,cap_perfmon+ep.
    tracer: PathBuf,
    reader: PathBuf,
    /// A setuid-root copy of the reader.
    suid_reader: PathBuf,
    /// Readable by root only.
    secret: PathBuf,
}

fn setup(name: &str) -> Setup {
    require_root();
    let dir = scratch(name);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    let reader = cc("reader", &dir);
    let suid_reader = dir.join("suid-reader");
    fs::copy(&reader, &suid_reader).expect("copy");
    fs::set_permissions(&suid_reader, fs::Permissions::from_mode(0o4755)).expect("setuid");
    let secret = dir.join("secret");
    fs::write(&secret, format!("{SECRET}\n")).expect("write");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o600)).expect("chmod");
    let tracer = dir.join("tracer");
    fs::copy(env!("CARGO_BIN_EXE_tracer"), &tracer).expect("copy tracer");
    let setcap = Command::new("setcap")
        .args(["cap_bpf,cap_perfmon+ep"])
        .arg(&tracer)
        .status()
        .expect("setcap");
    assert!(setcap.success());
    Setup {
        dir,
        tracer,
        reader,
        suid_reader,
        secret,
    }
}

/// `reader` (as root) reading `file` until the test ends.
fn read_forever(reader: &Path, file: &Path) -> KillOnDrop {
    KillOnDrop(
        Command::new(reader)
            .arg(file)
            .arg("0")
            .spawn()
            .expect("root reader"),
    )
}

/// `cmd` as user nobody (no capabilities of its own).
fn as_nobody(program: &Path) -> Command {
    let mut c = Command::new("setpriv");
    c.args(["--reuid", NOBODY, "--regid", NOBODY, "--clear-groups", "--"])
        .arg(program);
    c
}

/// Runs tracer for at most `secs` (then SIGINT, as timeout does).
fn run_for(secs: &str, tracer: &mut Command) -> Output {
    let mut c = Command::new("timeout");
    c.args(["-s", "INT", secs])
        .arg(tracer.get_program())
        .args(tracer.get_args());
    c.stdin(Stdio::null()).output().expect("run tracer")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn root_a_root_process_is_refused_to_a_user_with_setcap_tracer() {
    let s = setup("priv-pid");
    let root = read_forever(&s.reader, &s.secret);
    for backend in ["ebpf", "ptrace"] {
        let mut t = as_nobody(&s.tracer);
        t.args(["--backend", backend, "-e", "trace=read", "-p"])
            .arg(root.0.id().to_string());
        let out = run_for("6", &mut t);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            !stdout.contains(SECRET),
            "{backend}: the secret leaked:\n{stdout}"
        );
        assert_eq!(out.status.code(), Some(1), "{backend}: {stderr}");
        assert!(
            stderr.contains(&format!("pid {}: runs as uid 0", root.0.id()))
                && stderr.contains("CAP_SYS_PTRACE"),
            "{backend}: {stderr}"
        );
        assert!(!stderr.contains("setcap"), "{stderr}");
        // Told once, in strace's words.
        assert_eq!(
            stderr.matches("runs as uid 0").count(),
            1,
            "{backend}: {stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "tracer: attach: pid {}: runs as uid 0",
                root.0.id()
            )) && stderr.contains("Operation not permitted"),
            "{backend}: {stderr}"
        );
    }
    let _ = fs::remove_dir_all(&s.dir);
}

#[test]
fn root_the_users_own_process_is_still_traced() {
    let s = setup("priv-own");
    let mine = s.dir.join("mine");
    fs::write(&mine, "my own data\n").expect("write");
    std::os::unix::fs::chown(&mine, Some(65534), Some(65534)).expect("chown");
    let own = KillOnDrop(
        as_nobody(&s.reader)
            .arg(&mine)
            .arg("0")
            .spawn()
            .expect("own reader"),
    );
    std::thread::sleep(Duration::from_millis(200));
    let mut t = as_nobody(&s.tracer);
    t.args(["--backend", "ebpf", "-e", "trace=read", "-p"])
        .arg(own.0.id().to_string());
    let out = run_for("6", &mut t);
    assert!(
        text(&out.stdout).contains("my own data"),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let _ = fs::remove_dir_all(&s.dir);
}

#[test]
fn root_a_child_that_gains_privileges_by_exec_is_dropped_with_a_line() {
    let s = setup("priv-exec");
    let script = format!(
        "{} {} 1; {} {} 1",
        s.suid_reader.display(),
        s.secret.display(),
        s.reader.display(),
        s.secret.display()
    );
    let mut t = as_nobody(&s.tracer);
    t.args([
        "--backend",
        "ebpf",
        "-f",
        "-e",
        "trace=read,openat",
        "--",
        "/bin/sh",
        "-c",
    ])
    .arg(&script);
    let out = run_for("20", &mut t);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stdout.contains(SECRET), "the secret leaked:\n{stdout}");
    assert!(
        stderr.contains("not traced from here on") && stderr.contains("runs as uid"),
        "{stderr}"
    );
    // The unprivileged reader after it is traced: its open fails as it should.
    let secret = s.secret.display().to_string();
    assert!(
        stdout
            .lines()
            .any(|l| l.contains(&secret) && l.contains("EACCES")),
        "{stdout}"
    );
    let _ = fs::remove_dir_all(&s.dir);
}

/// Reads FILE once and exits: a process gone long before tracer reads its records.
const QUICK_READER: &str = r#"
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv) {
    char buf[128];
    int fd = open(argv[1], O_RDONLY);
    return argc > 1 && read(fd, buf, sizeof buf) > 0 ? 0 : 1;
}
"#;

#[test]
fn root_a_privileged_process_gone_before_its_check_shows_nothing() {
    let s = setup("priv-gone");
    let quick = compile_c(&s.dir, "quick-reader", QUICK_READER);
    fs::set_permissions(&quick, fs::Permissions::from_mode(0o4755)).expect("setuid");
    // Ten setuid readers that exit at once, under -f: each is gone when its exec's record is
    // read, so its credentials cannot be checked (they leaked in most runs).
    let script = format!(
        "for i in 1 2 3 4 5 6 7 8 9 10; do {} {}; done",
        quick.display(),
        s.secret.display()
    );
    let mut t = as_nobody(&s.tracer);
    t.args(["--backend", "ebpf", "-f", "-e", "trace=read,openat", "--"])
        .args(["/bin/sh", "-c", &script]);
    let out = run_for("30", &mut t);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stdout.contains(SECRET), "the secret leaked:\n{stdout}");
    assert!(stderr.contains("not traced from here on"), "{stderr}");
    let _ = fs::remove_dir_all(&s.dir);
}

#[test]
fn root_comm_matches_of_another_user_are_not_traced() {
    let s = setup("priv-comm");
    let named = s.dir.join("rootreader");
    fs::copy(&s.reader, &named).expect("copy");
    let root = read_forever(&named, &s.secret);
    for backend in ["ebpf", "ptrace"] {
        let mut t = as_nobody(&s.tracer);
        t.args([
            "--backend",
            backend,
            "-e",
            "trace=read",
            "--comm",
            "rootreader",
        ]);
        let out = run_for("5", &mut t);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            !stdout.contains(SECRET),
            "{backend}: the secret leaked:\n{stdout}"
        );
        assert!(
            stderr.contains(&format!("not traced: pid {}: runs as uid 0", root.0.id())),
            "{backend}: {stderr}"
        );
        // Once per process, whoever finds it (the start, the kernel's adoption, a rescan).
        assert_eq!(
            stderr
                .matches(&format!("pid {}: runs as uid 0", root.0.id()))
                .count(),
            1,
            "{backend}: {stderr}"
        );
    }
    let _ = fs::remove_dir_all(&s.dir);
}

/// A process of another user that appears after tracer started and has a wanted name is
/// refused by the kernel-side adoption's check, and is not announced as attached (it was:
/// `not traced from here on` and then `process N (name) attached`).
#[test]
fn root_a_refused_late_comm_match_is_not_announced_as_attached() {
    let s = setup("priv-late");
    let named = s.dir.join("latereader");
    fs::copy(&s.reader, &named).expect("copy");
    let mut t = as_nobody(&s.tracer);
    t.args([
        "--backend",
        "ebpf",
        "-e",
        "trace=read",
        "--comm",
        "latereader",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut tracer = t.spawn().expect("run tracer");
    let said = wait_said(&mut tracer, |l| l.contains("following processes named"));
    let late = read_forever(&named, &s.secret);
    let pid = late.0.id();
    std::thread::sleep(Duration::from_millis(1500));
    signal(tracer.id(), libc::SIGINT);
    let out = tracer.wait_with_output().expect("tracer ends");
    let stderr = said.finish();
    let stdout = text(&out.stdout);
    assert!(!stdout.contains(SECRET), "the secret leaked:\n{stdout}");
    assert!(
        stderr.contains(&format!(
            "not traced from here on: pid {pid}: runs as uid 0"
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&format!("process {pid} (latereader) attached")),
        "{stderr}"
    );
    let _ = fs::remove_dir_all(&s.dir);
}

/// A process of the user's own that said it may not be read (prctl(PR_SET_DUMPABLE, 0)):
/// strace run by that user gets EPERM; so does the setcap tracer.
#[test]
fn root_a_non_dumpable_process_of_the_users_own_is_refused() {
    let s = setup("priv-nodump");
    let nodump = cc("nodump_reader", &s.dir);
    let mine = s.dir.join("mine");
    fs::write(&mine, format!("{SECRET}\n")).expect("write");
    std::os::unix::fs::chown(&mine, Some(65534), Some(65534)).expect("chown");
    let own = KillOnDrop(
        as_nobody(&nodump)
            .arg(&mine)
            .spawn()
            .expect("nodump reader"),
    );
    std::thread::sleep(Duration::from_millis(300));
    let pid = own.0.id();
    let strace = run_for(
        "3",
        as_nobody(Path::new("strace"))
            .args(["-e", "trace=read", "-p"])
            .arg(pid.to_string()),
    );
    assert!(
        text(&strace.stderr).contains("Operation not permitted"),
        "strace: {}",
        text(&strace.stderr)
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = as_nobody(&s.tracer);
        t.args(["--backend", backend, "-e", "trace=read", "-p"])
            .arg(pid.to_string());
        let out = run_for("6", &mut t);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            !stdout.contains(SECRET),
            "{backend}: the secret leaked:\n{stdout}"
        );
        assert_eq!(out.status.code(), Some(1), "{backend}: {stderr}");
        assert!(
            stderr.contains(&format!("pid {pid}: is not dumpable")),
            "{backend}: {stderr}"
        );
    }
    let _ = fs::remove_dir_all(&s.dir);
}

/// A tracer run inside a Landlock domain (root, with every capability) may not read a process
/// outside it: the kernel refuses strace, and tracer asks the kernel.
#[test]
fn root_a_landlocked_tracer_cannot_trace_outside_its_domain() {
    let s = setup("priv-landlock");
    let landlock = cc("landlock", &s.dir);
    let root = read_forever(&s.reader, &s.secret);
    std::thread::sleep(Duration::from_millis(200));
    let pid = root.0.id();
    let strace = run_for(
        "3",
        Command::new(&landlock)
            .args(["strace", "-e", "trace=read", "-p"])
            .arg(pid.to_string()),
    );
    assert!(
        text(&strace.stderr).contains("Operation not permitted"),
        "strace: {}",
        text(&strace.stderr)
    );
    for backend in ["ebpf", "ptrace"] {
        let mut t = Command::new(&landlock);
        t.arg(env!("CARGO_BIN_EXE_tracer"))
            .args(["--backend", backend, "-e", "trace=read", "-p"])
            .arg(pid.to_string());
        let out = run_for("6", &mut t);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            !stdout.contains(SECRET),
            "{backend}: the secret leaked:\n{stdout}"
        );
        assert_eq!(out.status.code(), Some(1), "{backend}: {stderr}");
        assert!(
            stderr.contains(&format!("pid {pid}: the kernel refuses you ptrace access")),
            "{backend}: {stderr}"
        );
    }
    let _ = fs::remove_dir_all(&s.dir);
}

/// A root tracer inside a Landlock domain has CAP_SYS_PTRACE but is still refused processes
/// outside its domain: the `--comm` match that starts after it is checked (not skipped as for
/// an unconfined root), refused and its data not shown.
#[test]
fn root_a_landlocked_tracer_checks_comm_matches_that_start_later() {
    let s = setup("priv-landlock-comm");
    let landlock = cc("landlock", &s.dir);
    let named = s.dir.join("llreader");
    fs::copy(&s.reader, &named).expect("copy");
    let mut t = Command::new(&landlock);
    t.arg(env!("CARGO_BIN_EXE_tracer"))
        .args(["-e", "trace=read", "--comm", "llreader"]);
    let tracer = std::thread::spawn(move || run_for("6", &mut t));
    std::thread::sleep(Duration::from_secs(3));
    let root = read_forever(&named, &s.secret);
    let out = tracer.join().expect("tracer");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stdout.contains(SECRET), "the secret leaked:\n{stdout}");
    assert!(
        stderr.contains(&format!(
            "pid {}: the kernel refuses you ptrace access",
            root.0.id()
        )),
        "{stderr}"
    );
    drop(root);
    let _ = fs::remove_dir_all(&s.dir);
}

/// The same inside a pid namespace, where no kernel thread is in sight: the sandboxed
/// tracer's parent, outside the domain, tells that tracer is confined. Without the sandbox
/// the same run shows the data (the setup really makes a match).
#[test]
fn root_a_landlocked_tracer_in_a_pid_namespace_checks_comm_matches() {
    let s = setup("priv-landlock-pidns");
    let landlock = cc("landlock", &s.dir);
    let named = s.dir.join("nsreader");
    fs::copy(&s.reader, &named).expect("copy");
    let run = |sandbox: &str| {
        // The reader starts once tracer says it is following (its programs are attached:
        // a fixed 2 s was too short for a CI machine under load); tracer stops once the
        // secret or the refusal shows, or after 30 s.
        let script = format!(
            "D=$(mktemp -d); timeout -s INT 60 {sandbox} '{tracer}' -e trace=read --comm nsreader \
             >$D/out 2>$D/err & T=$!; \
             for i in $(seq 600); do grep -q following $D/err && break; sleep 0.05; done; \
             '{reader}' '{secret}' 0 & R=$!; \
             for i in $(seq 600); do grep -q -e {SECRET} $D/out && break; \
             grep -q refuses $D/err && break; sleep 0.05; done; \
             kill -INT $T; wait $T; kill $R; cat $D/out; cat $D/err >&2; rm -r $D",
            reader = named.display(),
            secret = s.secret.display(),
            tracer = env!("CARGO_BIN_EXE_tracer"),
        );
        Command::new("unshare")
            .args(["--pid", "--fork", "--mount-proc", "sh", "-c", &script])
            .stdin(Stdio::null())
            .output()
            .expect("run unshare")
    };
    let free = run("");
    assert!(
        text(&free.stdout).contains(SECRET),
        "{}",
        text(&free.stderr)
    );
    let out = run(&format!("'{}'", landlock.display()));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stdout.contains(SECRET), "the secret leaked:\n{stdout}");
    assert!(
        stderr.contains("the kernel refuses you ptrace access"),
        "{stderr}"
    );
    let _ = fs::remove_dir_all(&s.dir);
}
